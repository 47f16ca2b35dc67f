import Type, { type Static, type TObject, type TProperties } from 'typebox';
import Value from 'typebox/value';
import { convertStrings } from './validation.js';

/**
 * A configuration value that is wrong or missing. Entry points print its message as one
 * line and exit non-zero; it names the variable and what would be accepted.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Env var schemas that every service reads the same way. */
export const env = {
  /** A TCP port to listen on. */
  port: (defaultPort: number) => Type.Integer({ minimum: 1, maximum: 65535, default: defaultPort }),
  /** A postgres:// connection string. */
  postgresUrl: () => Type.String({ pattern: '^postgres(ql)?://.+' }),
  /** An http(s) base URL. */
  httpUrl: () => Type.String({ pattern: '^https?://[^\\s]+$' }),
  /** A shared secret: long enough that guessing it is hopeless. */
  secret: () => Type.String({ minLength: 16 }),
  /** A share between 0 and 1. */
  rate: (defaultRate: number) => Type.Number({ minimum: 0, maximum: 1, default: defaultRate }),
  /** A whole number of milliseconds. */
  milliseconds: (defaultMs: number) => Type.Integer({ minimum: 0, maximum: 600_000, default: defaultMs }),
  /** A pino log level. */
  logLevel: () => Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
};

/** Settings every service has, whatever else it reads. */
export const baseConfigSchema = {
  PORT: env.port(8000),
  DATABASE_URL: env.postgresUrl(),
  LOG_LEVEL: env.logLevel(),
  /** Longest a graceful shutdown may take; keep it below the pod's terminationGracePeriodSeconds. */
  SHUTDOWN_TIMEOUT_MS: env.milliseconds(25_000),
};

/** The settings every service's config has. */
export type BaseConfig = Static<TObject<typeof baseConfigSchema>>;

/**
 * Reads the variables a schema names from `source`, applies defaults, converts strings to
 * numbers, and throws one ConfigError that names every bad variable. An empty string counts
 * as unset, as Kubernetes and shells make it easy to pass one by accident.
 */
export function loadConfig<P extends TProperties>(
  schema: TObject<P>,
  source: NodeJS.ProcessEnv = process.env,
): Static<TObject<P>> {
  const given = Object.fromEntries(
    Object.keys(schema.properties)
      .filter((name) => source[name] !== undefined && source[name] !== '')
      .map((name) => [name, source[name]]),
  );
  const value = convertStrings(schema, Value.Default(schema, given));
  const problems = [...Value.Errors(schema, value)].flatMap((error) => describe(error, source));
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration: ${[...new Set(problems)].join('; ')}`);
  }
  return value as Static<TObject<P>>;
}

interface ValidationError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

function describe(error: ValidationError, source: NodeJS.ProcessEnv): string[] {
  if (error.keyword === 'required') {
    const missing = (error.params.requiredProperties as string[] | undefined) ?? [];
    return missing.map((name) => `${name} is required but not set`);
  }
  const name = error.instancePath.split('/')[1];
  if (name === undefined || name === '') return [error.message];
  const secretLike = /TOKEN|PASSWORD|SECRET|DATABASE_URL/.test(name);
  const shown = secretLike ? 'a value' : JSON.stringify(source[name]);
  const expectation = error.keyword === 'pattern' ? 'must be a valid URL' : error.message;
  return [`${name} ${expectation} (got ${shown})`];
}

/** Builds a service's config schema from the shared settings plus its own. */
export function configSchema<P extends TProperties>(own: P) {
  return Type.Object({ ...baseConfigSchema, ...own });
}
