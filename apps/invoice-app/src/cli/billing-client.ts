import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import type { RunRecord, RunTrigger } from '../billing/billing-runs.js';

/** Where the API is and how patient to be with it. */
export interface BillingClientOptions {
  /** invoice-app's base URL. */
  readonly baseUrl: string;
  /** BILLING_API_TOKEN. */
  readonly token: string;
  /** How long connection failures are retried: the first connection, and a followed stream that drops. */
  readonly connectRetryMs: number;
  /** Longest one connection attempt may take. @default 3000 */
  readonly connectTimeoutMs?: number;
  /** Longest an answer may take once connected (event streams excepted). @default 30000 */
  readonly answerTimeoutMs?: number;
  /** Told about each failed attempt that will be retried. @default nothing */
  readonly onRetry?: (reason: string) => void;
}

/** The API answered with something other than what the command needs. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Pause before a dropped event stream is opened again. */
const RECONNECT_DELAY_MS = 500;

/** A server-sent event of a run's stream. */
export interface RunEvent {
  readonly event: 'progress' | 'end';
  readonly run: RunRecord;
}

/**
 * The billing API as the CLI uses it. Connection failures (refused, reset, timed out, name
 * not resolved yet) are retried for a bounded time until the API has answered once; after
 * that a request fails at once, except a followed event stream, which reconnects (to whichever
 * replica the Service picks) and carries on from the run's record.
 */
export class BillingClient {
  private readonly agent: Dispatcher;
  private connected = false;

  constructor(private readonly options: BillingClientOptions) {
    this.agent = new Agent({
      connect: { timeout: options.connectTimeoutMs ?? 3_000 },
      headersTimeout: options.answerTimeoutMs ?? 30_000,
      // Event streams stay quiet between events; the server sends a comment every 15 s.
      bodyTimeout: 60_000,
    });
  }

  /** Starts a run with Prefer: respond-async: the run's first record. */
  async startRun(trigger: RunTrigger): Promise<RunRecord> {
    return this.json<RunRecord>('POST', '/rest/v1/invoices/pay', 202, {
      prefer: 'respond-async',
      'billing-trigger': trigger,
    });
  }

  /** The newest runs first. */
  async listRuns(limit: number): Promise<RunRecord[]> {
    return this.json<RunRecord[]>('GET', `/rest/v1/billing-runs?limit=${limit}`, 200);
  }

  /** One run. */
  async getRun(runId: string): Promise<RunRecord> {
    return this.json<RunRecord>('GET', `/rest/v1/billing-runs/${encodeURIComponent(runId)}`, 200);
  }

  /**
   * The run's events until its end. A stream that drops before the end is opened again, for
   * as long as connections keep failing for less than `connectRetryMs` in a row.
   */
  async *follow(runId: string, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const path = `/rest/v1/billing-runs/${encodeURIComponent(runId)}/events`;
    for (;;) {
      const response = await this.send('GET', path, { accept: 'text/event-stream' }, signal);
      if (response.statusCode !== 200) throw await this.unexpected(response, 'GET', path);
      try {
        for await (const event of serverSentEvents(response.body)) {
          if (event.event !== 'progress' && event.event !== 'end') continue;
          const runEvent: RunEvent = { event: event.event, run: JSON.parse(event.data) as RunRecord };
          yield runEvent;
          if (runEvent.event === 'end') return;
        }
        this.options.onRetry?.('the event stream closed before the run ended; reconnecting');
      } catch (err) {
        if (signal?.aborted) throw err;
        this.options.onRetry?.(`the event stream broke (${describe(err)}); reconnecting`);
      }
      // The next connection gets the retry window afresh: the stream itself did connect.
      this.connected = false;
      await sleep(RECONNECT_DELAY_MS, undefined, { signal });
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async json<T>(method: string, path: string, expected: number, headers: Record<string, string> = {}) {
    const response = await this.send(method, path, { accept: 'application/json', ...headers });
    if (response.statusCode !== expected) throw await this.unexpected(response, method, path);
    return (await response.body.json()) as T;
  }

  /** Sends one request, retrying connection failures while the API has not answered yet. */
  private async send(method: string, path: string, headers: Record<string, string>, signal?: AbortSignal) {
    const url = new URL(path, this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
    const giveUpAt = Date.now() + this.options.connectRetryMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await request(url, {
          method: method as Dispatcher.HttpMethod,
          dispatcher: this.agent,
          headers: { authorization: `Bearer ${this.options.token}`, ...headers },
          signal,
        });
        // A proxy or a replica shutting down answers 502-504 for a moment when no replica is ready.
        if (this.connected || !UNAVAILABLE.has(response.statusCode) || Date.now() >= giveUpAt) {
          this.connected = true;
          return response;
        }
        await response.body.dump();
        this.options.onRetry?.(`${url.origin} answered ${response.statusCode}; retrying`);
      } catch (err) {
        if (this.connected || signal?.aborted || !isConnectionFailure(err) || Date.now() >= giveUpAt) {
          throw new ApiError(0, `cannot reach ${url.origin}: ${describe(err)}`);
        }
        this.options.onRetry?.(`cannot reach ${url.origin} yet (${describe(err)}); retrying`);
      }
      await sleep(Math.min(2_000, 100 * 2 ** attempt, Math.max(0, giveUpAt - Date.now())), undefined, { signal });
    }
  }

  private async unexpected(response: Dispatcher.ResponseData, method: string, path: string): Promise<ApiError> {
    const text = await response.body.text().catch(() => '');
    let reason = text.slice(0, 300);
    try {
      const error = (JSON.parse(text) as { error?: unknown }).error;
      if (typeof error === 'string') reason = error;
    } catch {
      // Not JSON: the start of the text says enough.
    }
    const hint = response.statusCode === 401 ? ' (check BILLING_API_TOKEN)' : '';
    return new ApiError(response.statusCode, `${method} ${path} answered ${response.statusCode}: ${reason}${hint}`);
  }
}

const UNAVAILABLE = new Set([502, 503, 504]);

/** Errors that mean the connection itself did not come about (yet), as undici and Node name them. */
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return CONNECTION_FAILURES.has(String(code)) || CONNECTION_FAILURES.has(String(cause));
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
}

/** Splits a text/event-stream body into its events (the fields this API sends: event, data). */
async function* serverSentEvents(body: AsyncIterable<Buffer>): AsyncGenerator<{ event: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
    }
  }
}
