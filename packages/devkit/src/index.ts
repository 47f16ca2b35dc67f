export { LocalPostgres, freePort, quoteIdent, withAdmin, type LocalPostgresOptions } from './local-postgres.js';
export { ManagedProcess, TS_NODE_FLAGS, type Exit } from './process.js';
