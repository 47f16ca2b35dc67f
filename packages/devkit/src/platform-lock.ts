import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** What a running platform records in its data folder, so that a second start can name it. */
export interface PlatformRecord {
  /** The process that started it. */
  readonly pid: number;
  /** Its data folder. */
  readonly dataDir: string;
  /** Where its services listen. */
  readonly urls: readonly string[];
  /** When it started (ISO 8601). */
  readonly startedAt: string;
}

/** A second platform on a data folder that another one uses: nothing was touched. */
export class PlatformRunningError extends Error {
  override readonly name = 'PlatformRunningError';
}

const FILE = 'platform.lock.json';

/**
 * One platform per data folder. Two would share one Postgres: the second start would take the
 * first one's Postgres for an orphan and stop it. The lock is a file created exclusively in the
 * data folder; one whose process is gone (a platform killed with SIGKILL) is taken over.
 */
export class PlatformLock {
  /** Takes the data folder's lock, or throws PlatformRunningError naming the platform that holds it. */
  static async acquire(record: PlatformRecord): Promise<PlatformLock> {
    const path = join(record.dataDir, FILE);
    for (let attempt = 0; ; attempt++) {
      try {
        const file = await open(path, 'wx');
        await file.writeFile(`${JSON.stringify(record, null, 2)}\n`);
        await file.close();
        return new PlatformLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      }
      const holder = await readRecord(path);
      if (holder !== undefined && isAlive(holder.pid)) {
        throw new PlatformRunningError(
          `Another platform is running on ${holder.dataDir} (PID ${holder.pid}, since ${holder.startedAt}): ` +
            `${holder.urls.join(', ')}. Stop it first (Ctrl-C in its terminal, or kill ${holder.pid}), ` +
            `or run a second one with its own PLATFORM_DATA_DIR, INVOICE_APP_PORT and PAYMENT_PROVIDER_PORT.`,
        );
      }
      await rm(path, { force: true });
    }
  }

  /** The lock file's name inside the data folder. */
  static readonly fileName = FILE;

  private constructor(private readonly path: string) {}

  /** Gives the data folder free again. */
  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

async function readRecord(path: string): Promise<PlatformRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PlatformRecord;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
