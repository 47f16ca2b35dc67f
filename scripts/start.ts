import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// `npm start`. A terminal's Ctrl-C signals its whole foreground process group; Postgres would
// be in it and stop at once, under the services still finishing their requests. So the
// platform (scripts/platform.ts) runs in a process group of its own, and this process only
// forwards the signals to it: the services stop first, then Postgres.
const platform = spawn(
  process.execPath,
  [...process.execArgv, fileURLToPath(new URL('./platform.ts', import.meta.url)), ...process.argv.slice(2)],
  { stdio: 'inherit', detached: true },
);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => platform.kill(signal));
}
platform.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
