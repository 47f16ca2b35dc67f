export { LocalPostgres, freePort, quoteIdent, withAdmin, type LocalPostgresOptions } from './local-postgres.js';
export { ManagedProcess, TS_NODE_FLAGS, type Exit, type ManagedProcessOptions } from './process.js';
export {
  compiledEntryPoints,
  entryPoints,
  invoiceAppEnvironment,
  paymentProviderEnvironment,
  SERVICE_NODE_OPTIONS,
  startPlatform,
  type Environment,
  type Platform,
  type PlatformOptions,
  type Wiring,
} from './platform.js';
