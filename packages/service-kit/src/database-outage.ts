/**
 * Seconds a client is told to wait (`Retry-After`) when the database is unavailable: about as
 * long as a Postgres pod takes to come back after it is deleted (7 s on a real node).
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// SQLSTATEs of a server that is away, starting, stopping or full: class 08 (connection
// exception), admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, and
// query_canceled, which is what statement_timeout raises on a database too slow to answer.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300|57014)$/;

// What pg and pg-pool say when a connection cannot be had or is lost.
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|connection timeout|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end/i;

// Socket errors of a connection to the database (a refused connect, a reset, an unknown host).
const UNAVAILABLE_SOCKET = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/;

/**
 * True when `err` means the service's database cannot be reached or cannot answer now, as pg
 * and pg-pool report it, also when wrapped (`cause`) or one of several (`AggregateError`). Not
 * for an outgoing HTTP call: undici's `fetch failed` wraps the same socket errors, and another
 * service being away is not this database being away.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 5) return false;
  const { code, message, cause, errors } = err as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (err instanceof TypeError && message === 'fetch failed') return false;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET.test(code))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
