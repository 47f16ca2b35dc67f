import cliProgress from 'cli-progress';
import type { RunRecord } from '../billing/billing-runs.js';

/** Where the CLI writes: a stream that may be a terminal. */
export type Output = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** Invoices a run has settled (an outcome written), as opposed to taken. */
export function settled(run: RunRecord): number {
  return run.paid + run.declined + run.failed + run.errored;
}

const seconds = (run: RunRecord) =>
  ((Date.parse(run.finishedAt ?? new Date().toISOString()) - Date.parse(run.startedAt)) / 1000).toFixed(1);

/** One line that says how a run ended (or where it is), with the API's counts. */
export function summaryLine(run: RunRecord): string {
  const where = run.status === 'running' ? 'running for' : `${run.status} in`;
  const counts = `${run.attempted} attempted: ${run.paid} paid, ${run.declined} declined, ${run.failed} failed, ${run.errored} errored`;
  const error = run.error === null ? '' : ` (${run.error})`;
  return `run ${run.runId} ${where} ${seconds(run)} s; ${counts}; ${run.total} billable at start${error}`;
}

/** The runs as a table, newest first as given. */
export function runsTable(runs: readonly RunRecord[]): string {
  const header = ['RUN', 'STATUS', 'TRIGGER', 'STARTED', 'SECONDS', 'TOTAL', 'PAID', 'DECLINED', 'FAILED', 'ERRORED'];
  const rows = runs.map((run) => [
    run.runId,
    run.status,
    run.trigger,
    run.startedAt,
    seconds(run),
    String(run.total),
    String(run.paid),
    String(run.declined),
    String(run.failed),
    String(run.errored),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** How often plain progress lines are written at most (a log, not a terminal, reads them). */
const PLAIN_LINE_INTERVAL_MS = 2_000;

/**
 * A followed run's progress: a bar (cli-progress) on a terminal, plain lines at most every two
 * seconds otherwise (a CronJob's log), always with the settled count against the billable total.
 */
export class ProgressView {
  private readonly bar: cliProgress.SingleBar | undefined;
  private lastLine = 0;

  constructor(private readonly out: Output) {
    if (out.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: out,
          format:
            '{bar} {percentage}% | {value}/{total} | paid {paid} declined {declined} failed {failed} errored {errored} | ETA {eta_formatted}',
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
    }
  }

  start(run: RunRecord): void {
    this.out.write(`run ${run.runId} (${run.trigger}) started ${run.startedAt}; ${run.total} invoices billable\n`);
    this.bar?.start(Math.max(run.total, 1), settled(run), counts(run));
    this.lastLine = Date.now();
  }

  update(run: RunRecord): void {
    if (this.bar) {
      // Invoices added after the start are billed too: the bar grows rather than overflows.
      if (settled(run) > this.bar.getTotal()) this.bar.setTotal(settled(run));
      this.bar.update(settled(run), counts(run));
      return;
    }
    if (Date.now() - this.lastLine < PLAIN_LINE_INTERVAL_MS) return;
    this.lastLine = Date.now();
    const percent = run.total === 0 ? 100 : Math.min(100, Math.floor((100 * settled(run)) / run.total));
    this.out.write(
      `progress ${settled(run)}/${run.total} (${percent}%): ${run.paid} paid, ${run.declined} declined, ${run.failed} failed, ${run.errored} errored\n`,
    );
  }

  /** Stops the bar; a completed run's bar is full even when other replicas' runs billed part of the total. */
  end(run: RunRecord): void {
    if (!this.bar) return;
    if (run.status === 'completed') this.bar.update(this.bar.getTotal(), counts(run));
    this.bar.stop();
  }

  /** Says something between updates without tearing the bar. */
  note(message: string): void {
    if (this.bar) this.out.write('\n');
    this.out.write(`${message}\n`);
  }
}

const counts = (run: RunRecord) => ({
  paid: run.paid,
  declined: run.declined,
  failed: run.failed,
  errored: run.errored,
});
