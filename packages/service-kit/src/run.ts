import closeWithGrace from 'close-with-grace';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { ConfigError, type BaseConfig } from './config.js';
import type { ServiceApp } from './service.js';

/** How an entry point starts a service. */
export interface RunOptions<Config extends BaseConfig> {
  /** Reads and validates the environment; throws ConfigError for bad input. */
  readonly loadConfig: () => Config;
  /** The app factory, the same one the tests drive. */
  readonly buildApp: (config: Config) => Promise<ServiceApp>;
  /** Interface to bind. @default process.env.HOST ?? "0.0.0.0" */
  readonly host?: string;
  /** Work to do once migrations are applied (seeding, say); readiness waits for it, then for the app's warm-ups. @default nothing */
  readonly afterMigrations?: (app: ServiceApp, config: Config) => Promise<void>;
}

/**
 * The entry point of a service: validate config (one line and exit 1 if bad), listen, then
 * apply migrations, retrying with backoff while the database is unreachable, so a pod that
 * starts before its database is live but not ready instead of crash-looping. On SIGTERM or
 * SIGINT it stops accepting, fails readiness, lets in-flight requests finish, closes the
 * pool and exits 0; if that takes longer than the bound, it exits 1.
 */
export async function runService<Config extends BaseConfig>(options: RunOptions<Config>): Promise<ServiceApp> {
  // V8 moves the objects of an allocation site straight to the old generation once many of them
  // survived a young collection. Under a burst of requests at start, short-lived request objects
  // look long-lived, and invoice-app could run on with a major collection many times a second at
  // half its usual rate. NODE_OPTIONS does not take this V8 flag, so the kit sets it at start.
  setFlagsFromString('--no-allocation-site-pretenuring');
  let config: Config;
  try {
    config = options.loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }

  const app = await options.buildApp(config);
  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an unexpected error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });

  // Not ready until the start-up work is done too: a replica that answers before it is seeded would serve
  // nothing, and one whose connections are not yet open would make its first callers wait for them.
  app.isStartingUp = true;
  await app.listen({ port: config.PORT, host: options.host ?? process.env.HOST ?? '0.0.0.0' });
  announceListening(app);
  void migrateWhenPossible(app, async () => options.afterMigrations?.(app, config));
  return app;
}

// A parent that started this process with an IPC channel (devkit's local platform) learns that
// the port answering its readiness checks is this process's, not another's that holds it. The
// channel must not keep the process alive.
function announceListening(app: ServiceApp): void {
  if (process.send === undefined) return;
  const address = app.server.address();
  if (typeof address === 'object' && address !== null) process.send({ listening: address.port });
  process.channel?.unref();
}

async function migrateWhenPossible(app: ServiceApp, then: () => Promise<void>): Promise<void> {
  for (let attempt = 1; !app.isShuttingDown; attempt++) {
    try {
      await app.migrate();
      await then();
      await app.warmUp();
      app.isStartingUp = false;
      return;
    } catch (err) {
      const waitMs = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
      app.log.warn({ err, attempt, waitMs }, 'start-up work failed; retrying');
      await sleep(waitMs);
    }
  }
}
