import { runService } from '@billing/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

// Reads the environment once; a bad variable prints one line and exits 1 (see the kit's runService).
await runService({ loadConfig: () => loadConfig(), buildApp });
