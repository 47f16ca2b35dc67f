import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

// The container engine the image tests build and run with. As root on a machine with Debian's
// docker.io, a private dockerd: its sockets, pidfile, configuration and containerd state under a
// temporary folder, its images and build cache in ~/.cache/billing-platform/dockerd (locked while
// it runs; a concurrent run gets a temporary one), no bridge and no iptables rules (builds and
// containers use the host's network, so every connection stays on 127.0.0.1), stopped after the
// tests. Otherwise an engine the docker CLI already reaches (DOCKER_HOST or the default socket).

const run = promisify(execFile);

export const HOW_TO_RUN =
  "the image tests need a container engine: run npm test as root with Debian's docker.io and debootstrap installed (apt-get install docker.io debootstrap; the tests start a private dockerd), or with a running Docker engine the docker CLI reaches. CI never skips them.";

/** A container engine and the docker CLI that drives it. */
export interface Engine {
  /** True when the tests started this engine (and the base image must be rebuilt offline). */
  readonly private: boolean;
  /** The environment for the docker CLI and the scripts that call it: DOCKER, DOCKER_HOST. */
  readonly env: NodeJS.ProcessEnv;
  /** Runs the docker CLI and answers its standard output. */
  docker(args: string[], options?: { timeoutMs?: number }): Promise<string>;
  /** Removes every container of this run, then stops the engine if the tests started it. */
  stop(): Promise<void>;
}

/** The docker CLI: $DOCKER, else `docker` on PATH, else Debian's /usr/bin/docker. */
function dockerCli(): string | undefined {
  return [process.env.DOCKER, 'docker', '/usr/bin/docker'].find(
    (candidate) => candidate !== undefined && spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0,
  );
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Why the image tests cannot run here, or undefined when they can. */
export function engineUnavailable(): string | undefined {
  const cli = dockerCli();
  if (cli === undefined) return `no docker CLI: ${HOW_TO_RUN}`;
  if (process.getuid?.() === 0 && onPath('dockerd')) return undefined;
  if (spawnSync(cli, ['info'], { stdio: 'ignore', timeout: 20_000 }).status === 0) return undefined;
  return `no container engine here: ${HOW_TO_RUN}`;
}

/** Starts a private dockerd when this process may, else uses the engine the CLI reaches. */
export async function startEngine(label: string): Promise<Engine> {
  const cli = dockerCli();
  if (cli === undefined) throw new Error(`no docker CLI: ${HOW_TO_RUN}`);
  const containerLabel = `billing-platform.test=${label}-${process.pid}`;
  if (process.getuid?.() === 0 && onPath('dockerd')) return startPrivate(cli, containerLabel);
  return engineFor(cli, process.env, false, containerLabel, async () => {});
}

function engineFor(
  cli: string,
  env: NodeJS.ProcessEnv,
  isPrivate: boolean,
  containerLabel: string,
  stopEngine: () => Promise<void>,
): Engine {
  const docker = async (args: string[], options: { timeoutMs?: number } = {}) => {
    try {
      const { stdout } = await run(cli, args, {
        env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`docker ${args.join(' ')} failed: ${stderr ?? String(error)}`, { cause: error });
    }
  };
  return {
    private: isPrivate,
    env: { ...env, DOCKER: cli },
    docker: (args, options) =>
      docker(
        args[0] === 'run' || args[0] === 'create' ? [args[0], '--label', containerLabel, ...args.slice(1)] : args,
        options,
      ),
    stop: async () => {
      const ours = (await docker(['ps', '--all', '--quiet', '--filter', `label=${containerLabel}`])).split('\n');
      const ids = ours.filter((id) => id !== '');
      if (ids.length > 0) await docker(['rm', '--force', ...ids]);
      await stopEngine();
    },
  };
}

async function startPrivate(cli: string, containerLabel: string): Promise<Engine> {
  // Short: the unix sockets below it must fit in 108 bytes.
  const dir = await mkdtemp(join(tmpdir().length > 40 ? '/tmp' : tmpdir(), 'dockerd-'));
  // Its own (empty) configuration file, so the machine's /etc/docker/daemon.json does not apply.
  await writeFile(join(dir, 'daemon.json'), '{}\n');
  // Images and the build cache are kept between runs (a second run rebuilds only what changed),
  // under a lock held as long as the engine runs: a concurrent run gets a temporary data folder.
  const kept = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'billing-platform', 'dockerd');
  const daemon =
    (onPath('flock') ? await launch(cli, dir, kept) : undefined) ?? (await launch(cli, dir, join(dir, 'data')));
  if (daemon === undefined) throw new Error('dockerd could not start');

  // Should the test process die without its afterAll, the engine must not outlive it.
  const stopOnExit = () => daemon.signal('SIGTERM');
  process.once('exit', stopOnExit);
  const stopEngine = async () => {
    process.off('exit', stopOnExit);
    if (daemon.dataRoot === kept) await pruneKept(cli, daemon.env);
    daemon.signal('SIGTERM');
    const stopped = await Promise.race([daemon.exited.then(() => true), sleep(60_000).then(() => false)]);
    if (!stopped) {
      daemon.signal('SIGKILL');
      await daemon.exited;
    }
    // A mount left behind (a killed engine) would make the folder impossible to remove.
    for (const mount of mountsBelow(dir).reverse()) spawnSync('umount', ['--lazy', mount]);
    await rm(dir, { recursive: true, force: true });
  };
  return engineFor(cli, daemon.env, true, containerLabel, stopEngine);
}

interface Daemon {
  readonly env: NodeJS.ProcessEnv;
  readonly dataRoot: string;
  readonly exited: Promise<void>;
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts dockerd with its sockets, pidfile and log in `dir` and its data in `dataRoot`, and
 * waits until it answers. A data folder outside `dir` is locked first (flock); undefined when
 * another engine holds it.
 */
async function launch(cli: string, dir: string, dataRoot: string): Promise<Daemon | undefined> {
  const log = join(dir, 'dockerd.log');
  const pidfile = join(dir, 'docker.pid');
  const host = `unix://${dir}/docker.sock`;
  const dockerd = [
    'dockerd',
    `--config-file=${dir}/daemon.json`,
    `--data-root=${dataRoot}`,
    `--exec-root=${dir}/exec`,
    `--pidfile=${pidfile}`,
    `--host=${host}`,
    '--bridge=none',
    '--iptables=false',
    '--ip-masq=false',
    '--log-level=warn',
  ];
  const locked = !dataRoot.startsWith(`${dir}/`);
  if (locked) await mkdir(dirname(dataRoot), { recursive: true });
  const command = locked ? ['flock', '--nonblock', '--conflict-exit-code=75', `${dataRoot}.lock`, ...dockerd] : dockerd;
  const child: ChildProcess = spawn(command[0] ?? '', command.slice(1), {
    stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const env = { ...process.env, DOCKER_HOST: host };
  const daemon: Daemon = {
    env,
    dataRoot,
    exited,
    // flock waits for dockerd and forwards no signal: dockerd is signalled through its pidfile.
    signal: (signal) => {
      const pid = existsSync(pidfile) ? Number.parseInt(readFileSync(pidfile, 'utf8'), 10) : Number.NaN;
      try {
        if (Number.isInteger(pid) && pid > 0) process.kill(pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    },
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode === 75 && locked) return undefined;
    if (child.exitCode !== null) throw new Error(`dockerd exited at start:\n${readFileSync(log, 'utf8').slice(-2000)}`);
    const answered = await run(cli, ['version'], { env, timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (answered) return daemon;
    if (Date.now() > deadline) {
      daemon.signal('SIGKILL');
      throw new Error(`dockerd did not answer within 60 s:\n${(await readFile(log, 'utf8')).slice(-2000)}`);
    }
    await sleep(250);
  }
}

/** Keeps the kept data folder bounded: images no tag names, and build cache beyond a few GB. */
async function pruneKept(cli: string, env: NodeJS.ProcessEnv): Promise<void> {
  await run(cli, ['image', 'prune', '--force'], { env, timeout: 120_000 }).catch(() => undefined);
  await run(cli, ['builder', 'prune', '--force', '--keep-storage=4gb'], { env, timeout: 120_000 }).catch(
    () => undefined,
  );
}

function mountsBelow(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(`${dir}/`));
}
