-- Up Migration
-- One row per billing run, whoever started it: what an operator follows and looks back on.
CREATE TABLE billing_runs (
  -- URL-safe, so it can stand in a path: r-<start time, base 36>-<random hex>.
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  status text NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'completed', 'interrupted', 'failed')),
  trigger text NOT NULL CHECK (trigger IN ('api', 'cli', 'schedule', 'page')),
  -- The process that runs it (host/pid), for an operator reading logs.
  replica text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  -- The run is alive while this lies ahead: every claim and every progress write pushes it to
  -- at least the end of the run's newest invoice lease. Past it, the process is gone and every
  -- claim it held has expired: the run reads as interrupted.
  lease_until timestamptz NOT NULL,
  -- PENDING invoices when the run began.
  total integer NOT NULL,
  attempted integer NOT NULL DEFAULT 0,
  paid integer NOT NULL DEFAULT 0,
  declined integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  errored integer NOT NULL DEFAULT 0,
  resumed integer NOT NULL DEFAULT 0,
  charge_requests integer NOT NULL DEFAULT 0,
  -- Why a failed run stopped.
  error text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'running') = (finished_at IS NULL))
);

-- Newest first, for the list.
CREATE INDEX billing_runs_started_at ON billing_runs (started_at DESC, id DESC);
-- Finding runs whose process died stays cheap however many runs are kept.
CREATE INDEX billing_runs_running ON billing_runs (lease_until) WHERE status = 'running';

-- Down Migration
DROP TABLE billing_runs;
