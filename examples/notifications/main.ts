// Synthesizes the billing platform with the notifications extension, every environment:
//
//   node run-ts.mjs examples/notifications/main.ts [outdir]    (default: examples/notifications/dist)
import { synthesize } from '../../charts/index.js';
import { addNotifications } from './notifications.js';

const written = synthesize({ outdir: process.argv[2] ?? 'examples/notifications/dist', extend: addNotifications });
process.stdout.write(`manifests written to ${written.join(', ')}\n`);
