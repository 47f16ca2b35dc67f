export { LocalPostgres, freePort, quoteIdent, withAdmin, type LocalPostgresOptions } from './local-postgres.js';
export { ManagedProcess, TS_NODE_FLAGS, type Exit, type ManagedProcessOptions } from './process.js';
export { PlatformLock, PlatformRunningError, type PlatformRecord } from './platform-lock.js';
export { SupervisedService, type RestartPolicy, type SupervisionEvents } from './supervised-service.js';
export {
  compiledEntryPoints,
  entryPoints,
  invoiceAppEnvironment,
  paymentProviderEnvironment,
  SERVICE_RUNTIME_ENV,
  startPlatform,
  type Environment,
  type Platform,
  type PlatformOptions,
  type Wiring,
} from './platform.js';
