import Type, { type Static } from 'typebox';
import { configSchema, env, loadConfig as loadEnv } from '@billing/service-kit';

/** The provider's environment, as the contract lists it, plus the kit's shared settings. */
export const paymentProviderConfigSchema = configSchema({
  PORT: env.port(9000),
  /** Bearer token every caller must present on /rest/v1/charge and /rest/v1/charges. */
  PAYMENT_PROVIDER_TOKEN: env.secret(),
  /** Share of charges that succeed. */
  PAYMENT_SUCCESS_RATE: env.rate(0.5),
  /** Seeds the outcomes (and injected faults): the same seed and the same requests give the same answers. */
  RANDOM_SEED: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff_ffff })),
  /** Each charge waits this long plus a random extra of up to as long again. */
  FAULT_LATENCY_MS: env.milliseconds(0),
  /** Share of charge requests answered 503 without charging. */
  FAULT_ERROR_RATE: env.rate(0),
});

export type Config = Static<typeof paymentProviderConfigSchema>;

/** Reads and validates the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  return loadEnv(paymentProviderConfigSchema, source);
}
