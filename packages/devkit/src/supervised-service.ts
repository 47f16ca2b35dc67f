import { setTimeout as sleep } from 'node:timers/promises';
import type { Exit, ManagedProcess } from './process.js';

/** How a service that exits on its own is restarted, as a Deployment restarts its pod. */
export interface RestartPolicy {
  /** Exits in a row, each sooner than `stableMs` after its start, that make a crash loop: the platform then stops. @default 5 */
  readonly crashLoopExits?: number;
  /** How long a service must run for its next exit to count as a first one again. @default 30000 */
  readonly stableMs?: number;
  /** Wait before the first restart; each further one in a row waits twice as long (Kubernetes: 10 s, up to 5 min). @default 1000 */
  readonly backoffMs?: number;
}

/** What a supervised service reports. */
export interface SupervisionEvents {
  /** A line for the person running the platform: an exit and its reason, a restart. */
  readonly report: (line: string) => void;
  /** The service is crash-looping: `reason` says how it last ended. */
  readonly giveUp: (reason: string) => void;
}

/**
 * One service process kept running: when it exits without being asked to, its exit and the last
 * thing it printed are reported, and it is started again after a backoff that doubles while it
 * keeps exiting soon after each start, until that makes a crash loop.
 */
export class SupervisedService {
  private stopping = false;
  private exitsInARow = 0;
  private startedAt = Date.now();

  constructor(
    /** Its name in reports, as `invoice-app-0`. */
    readonly name: string,
    /** The running process; replaced by each restart. */
    public current: ManagedProcess,
    private readonly start: () => ManagedProcess,
    private readonly ready: (process: ManagedProcess) => Promise<void>,
    private readonly policy: RestartPolicy,
    private readonly events: SupervisionEvents,
  ) {
    this.watch();
  }

  /** Stops the process for good: no restart follows. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.current.stop('SIGTERM');
  }

  private watch(): void {
    const process = this.current;
    void process.exited.then((exit) => this.exitedOnItsOwn(process, exit));
  }

  private async exitedOnItsOwn(process: ManagedProcess, exit: Exit): Promise<void> {
    if (this.stopping) return;
    const stable = this.policy.stableMs ?? 30_000;
    this.exitsInARow = Date.now() - this.startedAt >= stable ? 1 : this.exitsInARow + 1;
    const reason = `${this.name} ${describeExit(exit)}${lastWords(process)}`;
    if (this.exitsInARow >= (this.policy.crashLoopExits ?? 5)) {
      this.events.giveUp(`${reason} (exit ${this.exitsInARow} in a row, each within ${stable / 1000} s of its start)`);
      return;
    }
    const waitMs = (this.policy.backoffMs ?? 1_000) * 2 ** (this.exitsInARow - 1);
    this.events.report(`${reason}. Restarting it in ${waitMs / 1000} s, as its Deployment would.`);
    await sleep(waitMs);
    if (this.stopping) return;
    this.startedAt = Date.now();
    this.current = this.start();
    this.watch();
    // Dying before it is ready is an exit like any other, which watch() handles.
    await this.ready(this.current).then(
      () => this.events.report(`${this.name} is ready again.`),
      () => undefined,
    );
  }
}

function describeExit(exit: Exit): string {
  return exit.signal === null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
}

/** The last error the process reported: a JSON log line at warn or above, or an `...Error: ...` line. */
function lastWords(process: ManagedProcess): string {
  const lines = `${process.stdout}\n${process.stderr}`.split('\n').map((text) => text.trim());
  for (const line of lines.reverse()) {
    if (/^\w*Error\b.*: /.test(line)) return `: ${line}`;
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) >= 40) return `: ${[entry.msg, entry.err?.message].filter(Boolean).join(': ')}`;
    } catch {
      // Not a log line after all.
    }
  }
  return '';
}
