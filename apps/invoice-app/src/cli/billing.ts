#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '@billing/service-kit';
import type { RunRecord } from '../billing/billing-runs.js';
import { ApiError, BillingClient } from './billing-client.js';
import { loadCliConfig } from './cli-config.js';
import { ProgressView, runsTable, summaryLine, type Output } from './progress-view.js';

export const USAGE = `billing: start, follow and look back on invoice-app's billing runs

Usage:
  billing pay [--follow] [--json]   start a run (it goes on in the service); --follow shows its
                                    progress to the end and exits 1 unless it completed
  billing runs [--limit N] [--json] the newest runs (default 20)
  billing run <id> [--follow] [--json]
                                    one run; --follow as for pay
  billing --help                    this text

Environment:
  BILLING_API_URL           invoice-app's base URL, e.g. http://invoice-app.invoices.svc:8000 (required)
  BILLING_API_TOKEN         the service's BILLING_API_TOKEN (required)
  BILLING_TRIGGER           who starts runs, as recorded: api, cli, schedule or page (default cli)
  BILLING_CONNECT_RETRY_MS  how long a first connection that is refused or times out is retried
                            (default 30000)

Exit status: 0 done (a followed run completed), 1 a followed run failed or was interrupted, or
the API refused the request, 2 bad usage or configuration, 130 stopped by Ctrl-C.`;

/** Where the CLI reads its input and writes its output. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  /** Results: summaries, tables, JSON. */
  readonly stdout: Output;
  /** Progress and problems. */
  readonly stderr: Output;
  /** Aborted by Ctrl-C: a followed run goes on in the service. @default never */
  readonly signal?: AbortSignal;
}

class UsageError extends Error {}

/** Runs one command line; resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        follow: { type: 'boolean', short: 'f' },
        json: { type: 'boolean' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let client: BillingClient | undefined;
  try {
    const commandLine = checkCommand(command, rest, values);
    const config = loadCliConfig(io.env);
    const view = new ProgressView(io.stderr);
    client = new BillingClient({
      baseUrl: config.BILLING_API_URL,
      token: config.BILLING_API_TOKEN,
      connectRetryMs: config.BILLING_CONNECT_RETRY_MS,
      onRetry: (reason) => view.note(reason),
    });
    const show = (run: RunRecord) => io.stdout.write(`${values.json ? JSON.stringify(run) : summaryLine(run)}\n`);

    if (commandLine.command === 'runs') {
      const runs = await client.listRuns(commandLine.limit);
      io.stdout.write(`${values.json ? JSON.stringify(runs) : runsTable(runs)}\n`);
      return 0;
    }
    const run =
      commandLine.command === 'pay'
        ? await client.startRun(config.BILLING_TRIGGER)
        : await client.getRun(commandLine.runId);
    if (!values.follow) {
      show(run);
      return 0;
    }
    view.start(run);
    let last = run;
    for await (const event of client.follow(run.runId, io.signal)) {
      last = event.run;
      if (event.event === 'progress') view.update(last);
    }
    view.end(last);
    show(last);
    return last.status === 'completed' ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) return usageError(io, err.message);
    if (err instanceof ConfigError) {
      io.stderr.write(`billing: ${err.message}\n`);
      return 2;
    }
    if (io.signal?.aborted) {
      io.stderr.write('\nbilling: stopped following; the run goes on in the service (billing run <id> --follow)\n');
      return 130;
    }
    if (err instanceof ApiError) {
      io.stderr.write(`billing: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await client?.close();
  }
}

type CommandLine = { command: 'pay' } | { command: 'runs'; limit: number } | { command: 'run'; runId: string };

function checkCommand(
  command: string | undefined,
  rest: string[],
  values: { limit?: string; follow?: boolean },
): CommandLine {
  const extra = (allowed: number) => {
    if (rest.length > allowed) throw new UsageError(`unexpected argument '${rest[allowed]}'`);
  };
  switch (command) {
    case 'pay':
      extra(0);
      return { command };
    case 'runs': {
      extra(0);
      const limit = Number(values.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
        throw new UsageError(`--limit must be a whole number from 1 to 1000 (got '${values.limit}')`);
      }
      return { command, limit };
    }
    case 'run':
      if (rest[0] === undefined) throw new UsageError('run needs the id of a run (billing runs lists them)');
      extra(1);
      return { command, runId: rest[0] };
    case undefined:
      throw new UsageError('a command is needed');
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`billing: ${message}; see billing --help\n`);
  return 2;
}

// Run as a program (not imported by a test): real streams, Ctrl-C stops following.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  process.once('SIGTERM', () => interrupt.abort());
  process.exitCode = await main(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: interrupt.signal,
  });
}
