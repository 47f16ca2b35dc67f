import { randomBytes } from 'node:crypto';
import type pg from 'pg';

/** Where a run is: `running` until it ends; `interrupted` when shutdown stopped it or its process died. */
export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed';

/** Who started a run. */
export const RUN_TRIGGERS = ['api', 'cli', 'schedule', 'page'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** The counts a run keeps as it goes. */
export interface RunCounts {
  /** Invoices the run took: settled ones plus those in flight; once it ends, the sum of the next four. */
  attempted: number;
  paid: number;
  /** Declined by the provider; PENDING, tried again (with a new key) by the next run. */
  declined: number;
  /** Marked FAILED: unknown customer, currency mismatch, or refused by the provider. */
  failed: number;
  /** No definite answer (network, timeout, 5xx after retries); PENDING, same key next run. */
  errored: number;
  /** Of the attempted, how many resumed a charge whose outcome an earlier run never learned. */
  resumed: number;
  /** Charge requests sent, retries included. */
  chargeRequests: number;
}

/** A billing run as the API shows it. */
export interface RunRecord extends RunCounts {
  readonly runId: string;
  readonly status: RunStatus;
  readonly trigger: RunTrigger;
  /** host/pid of the process that runs it. */
  readonly replica: string;
  /** ISO 8601. */
  readonly startedAt: string;
  /** ISO 8601; null while running. */
  readonly finishedAt: string | null;
  /** PENDING invoices when the run began. */
  readonly total: number;
  /** Why a failed run stopped; null otherwise. */
  readonly error: string | null;
}

/** A new run's id: sortable by start, URL-safe, unique without coordination. */
export function newRunId(now = Date.now()): string {
  return `r-${now.toString(36)}-${randomBytes(4).toString('hex')}`;
}

interface RunRow {
  id: string;
  status: RunStatus;
  trigger: RunTrigger;
  replica: string;
  started_at: Date;
  finished_at: Date | null;
  total: number;
  attempted: number;
  paid: number;
  declined: number;
  failed: number;
  errored: number;
  resumed: number;
  charge_requests: number;
  error: string | null;
}

const RUN_COLUMNS = `id, status, trigger, replica, started_at, finished_at, total, attempted, paid, declined,
  failed, errored, resumed, charge_requests, error`;

function toRecord(row: RunRow): RunRecord {
  return {
    runId: row.id,
    status: row.status,
    trigger: row.trigger,
    replica: row.replica,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    total: row.total,
    attempted: row.attempted,
    paid: row.paid,
    declined: row.declined,
    failed: row.failed,
    errored: row.errored,
    resumed: row.resumed,
    chargeRequests: row.charge_requests,
    error: row.error,
  };
}

const countValues = (counts: RunCounts) => [
  counts.attempted,
  counts.paid,
  counts.declined,
  counts.failed,
  counts.errored,
  counts.resumed,
  counts.chargeRequests,
];

/** What a new run records about itself. */
export interface NewRun {
  readonly runId: string;
  readonly trigger: RunTrigger;
  readonly replica: string;
  /** The run's first lease: it is alive at least this long without writing again. */
  readonly leaseMs: number;
}

/**
 * The billing_runs table. A run writes its own row (start, progress, end); anyone reading
 * first settles runs whose lease ran out as `interrupted`, so a run whose process died reads
 * as such on every replica without anyone having to watch for it.
 */
export class BillingRuns {
  constructor(
    private readonly db: pg.Pool,
    /** Told how many dead runs a read or a new run has just settled as interrupted (for the metrics). */
    private readonly onFoundDead: (count: number) => void = () => undefined,
  ) {}

  /**
   * Records a new run with the number of invoices billable now, and returns it with its start
   * by the database's clock, as text to keep the microseconds the claims compare against.
   */
  async create(run: NewRun): Promise<{ record: RunRecord; startedAt: string }> {
    // The run that takes over a dead run's invoices settles it, even if nobody reads the runs.
    await this.settleDead();
    const { rows } = await this.db.query<RunRow & { started_at_text: string }>(
      `INSERT INTO billing_runs (id, trigger, replica, lease_until, total)
       SELECT $1, $2, $3, now() + $4 * interval '1 millisecond', count(*)::int
       FROM invoices WHERE status = 'PENDING'
       RETURNING ${RUN_COLUMNS}, started_at::text AS started_at_text`,
      [run.runId, run.trigger, run.replica, run.leaseMs],
    );
    const row = rows[0]!;
    return { record: toRecord(row), startedAt: row.started_at_text };
  }

  /**
   * Writes a running run's counts and keeps it alive for another lease. A run already declared
   * interrupted (its writes stalled past its lease) stays so: its claims were free to take.
   */
  async progress(runId: string, counts: RunCounts, leaseMs: number): Promise<void> {
    await this.db.query(
      `UPDATE billing_runs
       SET attempted = $2, paid = $3, declined = $4, failed = $5, errored = $6, resumed = $7, charge_requests = $8,
           lease_until = greatest(lease_until, now() + $9 * interval '1 millisecond'), updated_at = now()
       WHERE id = $1 AND status = 'running'`,
      [runId, ...countValues(counts), leaseMs],
    );
  }

  /** Records how a run ended; the run's own word wins over an earlier verdict of interrupted. */
  async finish(runId: string, status: Exclude<RunStatus, 'running'>, counts: RunCounts, error: string | null) {
    await this.db.query(
      `UPDATE billing_runs
       SET status = $2, finished_at = now(), error = $10,
           attempted = $3, paid = $4, declined = $5, failed = $6, errored = $7, resumed = $8, charge_requests = $9,
           updated_at = now()
       WHERE id = $1`,
      [runId, status, ...countValues(counts), error],
    );
  }

  /** One run, or undefined. */
  async get(runId: string): Promise<RunRecord | undefined> {
    await this.settleDead();
    const { rows } = await this.db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM billing_runs WHERE id = $1`, [runId]);
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  /** The newest runs first. */
  async list(limit: number): Promise<RunRecord[]> {
    await this.settleDead();
    const { rows } = await this.db.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM billing_runs ORDER BY started_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toRecord);
  }

  /** Marks runs whose lease ran out (their process died) as interrupted, at the time it ran out. */
  private async settleDead(): Promise<void> {
    const { rowCount } = await this.db.query(
      `UPDATE billing_runs SET status = 'interrupted', finished_at = lease_until, updated_at = now()
       WHERE status = 'running' AND lease_until < now()`,
    );
    if (rowCount) this.onFoundDead(rowCount);
  }
}
