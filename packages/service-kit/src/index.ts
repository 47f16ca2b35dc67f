export { ConfigError, baseConfigSchema, type BaseConfig, configSchema, env, loadConfig } from './config.js';
export { createPool, withTransaction, type PoolOptions } from './database.js';
export { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-outage.js';
export { healthPlugin, type HealthOptions } from './health.js';
export { metricsPlugin, type MetricsOptions } from './metrics.js';
export { applyMigrations, migrationNames, type MigrationOptions } from './migrations.js';
export { runService, type RunOptions } from './run.js';
export { createService, type ServiceApp, type ServiceOptions } from './service.js';
export { requireBearerToken } from './auth.js';
export type { FastifyPluginAsyncTypebox as RoutesPlugin } from '@fastify/type-provider-typebox';
export { convertStrings, validatorCompiler } from './validation.js';
export { jsonArrayStream, type BatchReader } from './json-array.js';
export {
  ErrorBody,
  HIDDEN_FROM_OPENAPI,
  OPENAPI_PATH,
  bearerToken,
  openApiPlugin,
  responses,
  type OpenApiOptions,
} from './openapi.js';
