import Type from 'typebox';
import { env, loadConfig } from '@billing/service-kit';
import { RUN_TRIGGERS } from '../billing/billing-runs.js';

/** The billing CLI's environment, read once like the services' (one clear line when wrong). */
export const cliConfigSchema = Type.Object({
  /** invoice-app's base URL, e.g. http://invoice-app.invoices.svc:8000. */
  BILLING_API_URL: env.httpUrl(),
  /** The service's BILLING_API_TOKEN. */
  BILLING_API_TOKEN: env.secret(),
  /** Who starts runs, as recorded on them: a CronJob says schedule. */
  BILLING_TRIGGER: Type.Enum([...RUN_TRIGGERS], { default: 'cli' }),
  /**
   * How long the first connection is retried while it is refused or times out: a new pod's
   * network rules may take a second or two to be programmed, and a Service may have no ready
   * endpoint yet.
   */
  BILLING_CONNECT_RETRY_MS: env.milliseconds(30_000),
});

export type CliConfig = ReturnType<typeof loadCliConfig>;

/** Reads and validates the CLI's variables; throws a ConfigError naming every bad one. */
export function loadCliConfig(source: NodeJS.ProcessEnv = process.env) {
  return loadConfig(cliConfigSchema, source);
}
