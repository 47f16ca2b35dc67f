import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';

/** Where the provider is and how hard to try. */
export interface PaymentProviderClientOptions {
  /** Base URL of the provider; `/rest/v1/charge` is resolved against it. */
  readonly endpoint: string;
  /** Bearer token the provider expects. */
  readonly token: string;
  /** Longest one request may take, connecting included. */
  readonly timeoutMs: number;
  /** Retries after a network error, timeout, 429 or 5xx. @default 3 */
  readonly maxRetries?: number;
  /** Bound of the first retry wait; doubles per retry (full jitter). @default 100 */
  readonly retryBaseMs?: number;
  /** Bound of any one retry wait. @default 2000 */
  readonly retryMaxMs?: number;
  /** Sockets kept open to the provider; match the billing concurrency. @default 128 */
  readonly connections?: number;
  /** Told about every request sent, for metrics. @default nothing */
  readonly onRequest?: (outcome: RequestOutcome, seconds: number) => void;
}

/** One charge as the provider's contract describes it. */
export interface Charge {
  readonly invoiceId: number;
  readonly customerId: number;
  /** Decimal text as stored (e.g. "184.04"), so the body is the same on every retry. */
  readonly amount: string;
  readonly currency: string;
  /** Idempotency-Key: the same for every retry of this charge. */
  readonly key: string;
}

/**
 * What became of a charge:
 * - `charged`, `declined`: the provider's definite answer;
 * - `rejected`: a definite "never with this request" (unsupported currency, key conflict);
 * - `unknown`: no definite answer (network error, timeout, 5xx after retries, odd reply):
 *   the money may or may not have moved, so the same key must be used next time.
 */
export type ChargeResult =
  | { readonly kind: 'charged' | 'declined'; readonly requests: number }
  | { readonly kind: 'rejected' | 'unknown'; readonly requests: number; readonly error: string };

/** How one HTTP request ended, as counted in metrics. */
export type RequestOutcome =
  'charged' | 'declined' | 'rejected' | 'client_error' | 'server_error' | 'network_error' | 'unexpected_answer';

/** A charge that cannot be retried within its deadline is given up as unknown. */
export interface ChargeOptions {
  /** Epoch ms after which no new request may start (the claim's lease runs out). */
  readonly deadline: number;
}

type Attempt = { readonly final: ChargeResult } | { readonly retryable: string };

/**
 * The HTTP client of the payment provider: pooled keep-alive sockets (undici), a hard
 * timeout per request, and bounded retries with exponential backoff and full jitter for
 * failures that may be transient. Every retry carries the same Idempotency-Key and body,
 * so a charge that went through the first time is answered, not made again.
 */
export class PaymentProviderClient {
  private readonly agent: Agent;
  private readonly url: URL;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly connections: number;

  constructor(private readonly options: PaymentProviderClientOptions) {
    const base = options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`;
    this.url = new URL('rest/v1/charge', base);
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 100;
    this.retryMaxMs = options.retryMaxMs ?? 2_000;
    this.connections = options.connections ?? 128;
    this.agent = new Agent({
      connections: this.connections,
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /**
   * The longest `charge` can take when every request times out: what a claim's lease must
   * outlast.
   */
  static worstCaseMs(timeoutMs: number, maxRetries: number, retryMaxMs: number): number {
    return (maxRetries + 1) * timeoutMs + maxRetries * retryMaxMs;
  }

  /** Charges once, retrying transient failures; never throws. */
  async charge(charge: Charge, options: ChargeOptions): Promise<ChargeResult> {
    const body = JSON.stringify({
      customer_id: charge.customerId,
      value: Number(charge.amount),
      currency: charge.currency,
      invoice_id: charge.invoiceId,
    });
    let lastError = 'not sent';
    for (let retry = 0; retry <= this.maxRetries; retry++) {
      if (retry > 0) await sleep(this.backoffMs(retry));
      if (Date.now() + this.options.timeoutMs > options.deadline) {
        return { kind: 'unknown', requests: retry, error: `gave up before the claim ran out; last: ${lastError}` };
      }
      const attempt = await this.send(body, charge.key);
      if ('final' in attempt) return { ...attempt.final, requests: retry + 1 };
      lastError = attempt.retryable;
    }
    return { kind: 'unknown', requests: this.maxRetries + 1, error: lastError };
  }

  /**
   * Opens the pool's sockets ahead of the first billing run, one cheap request each (the
   * provider's liveness route), all at once so that each takes a socket of its own. A run
   * that finds them open sends its first charges at once instead of waiting for as many
   * connections to be made; they stay open while the provider keeps idle connections.
   */
  async openConnections(): Promise<void> {
    const health = new URL('../health', this.url);
    await Promise.all(
      Array.from({ length: this.connections }, async () => {
        const response = await request(health, {
          dispatcher: this.agent,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        await response.body.dump();
      }),
    );
  }

  /** Closes the pooled sockets. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private async send(body: string, key: string): Promise<Attempt> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    // One timer per request, cleared when it ends (AbortSignal.timeout would fire later anyway).
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new TimeoutError(this.options.timeoutMs)), this.options.timeoutMs);
    try {
      return await this.exchange(body, key, timeout.signal, seconds);
    } finally {
      clearTimeout(timer);
    }
  }

  private async exchange(body: string, key: string, signal: AbortSignal, seconds: () => number): Promise<Attempt> {
    let response;
    try {
      response = await request(this.url, {
        dispatcher: this.agent,
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.options.token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body,
        signal,
      });
    } catch (err) {
      this.options.onRequest?.('network_error', seconds());
      return { retryable: describeNetworkError(err) };
    }

    const { statusCode } = response;
    let text: string;
    try {
      text = await response.body.text();
    } catch (err) {
      // The status arrived but the answer was cut off: as unknown as a lost request.
      this.options.onRequest?.('network_error', seconds());
      return { retryable: `answer ${statusCode} cut off: ${describeNetworkError(err)}` };
    }
    const outcome = classify(statusCode, text);
    this.options.onRequest?.(outcome.metric, seconds());
    return outcome.attempt;
  }

  private backoffMs(retry: number): number {
    return Math.random() * Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (retry - 1));
  }
}

function classify(status: number, text: string): { metric: RequestOutcome; attempt: Attempt } {
  const reason = () => `provider answered ${status}: ${errorText(text)}`;
  if (status === 200) {
    const result = parseResult(text);
    if (result === true) return { metric: 'charged', attempt: { final: { kind: 'charged', requests: 1 } } };
    if (result === false) return { metric: 'declined', attempt: { final: { kind: 'declined', requests: 1 } } };
    return { metric: 'unexpected_answer', attempt: { final: { kind: 'unknown', requests: 1, error: reason() } } };
  }
  if (status === 408 || status === 429 || status >= 500)
    return { metric: 'server_error', attempt: { retryable: reason() } };
  // 422: a currency the provider does not take; 409: this key already names a different charge.
  if (status === 422 || status === 409) {
    return { metric: 'rejected', attempt: { final: { kind: 'rejected', requests: 1, error: reason() } } };
  }
  // 400/401/403/404: our request or credentials are wrong; retrying now cannot help, a fix can.
  return { metric: 'client_error', attempt: { final: { kind: 'unknown', requests: 1, error: reason() } } };
}

function parseResult(text: string): boolean | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const result = (parsed as { result?: unknown } | null)?.result;
    return typeof result === 'boolean' ? result : undefined;
  } catch {
    return undefined;
  }
}

function errorText(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    const error = (parsed as { error?: unknown } | null)?.error;
    if (typeof error === 'string') return error;
  } catch {
    // Not JSON: show the start of it below.
  }
  return text.slice(0, 200) || '(empty body)';
}

function describeNetworkError(err: unknown): string {
  if (err instanceof TimeoutError) return err.message;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const cause = (err as { cause?: { code?: unknown } }).cause?.code;
    return [code ?? cause, err.message].filter(Boolean).join(': ');
  }
  return String(err);
}

/** The reason a request was aborted at its deadline. */
class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}
