import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type dockerignoreModule from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import { APPS, loadManifests, readImageSpec, repoRoot, serviceWorkload } from './support.js';

// No Docker engine runs here, so what `docker build` would do is checked from the files:
// Docker's own .dockerignore rules (@balena/dockerignore) and the Docker language server's
// Dockerfile parser (dockerfile-ast).
// A CommonJS module whose typings claim an ES default export: load it as what it is.
const ignore = createRequire(import.meta.url)('@balena/dockerignore') as typeof dockerignoreModule.default;
const dockerignore = ignore().add(readFileSync(join(repoRoot, '.dockerignore'), 'utf8'));
const manifests = loadManifests();

/** A node:20 image pinned to an exact release and Alpine version, optionally by digest too. */
const PINNED_NODE_20 = /^(docker\.io\/library\/)?node:20\.\d+\.\d+-alpine\d+\.\d+(@sha256:[a-f0-9]{64})?$/;

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

describe.each(APPS)('apps/$name/Dockerfile', ({ name, workspace }) => {
  const spec = readImageSpec(name);
  // Looked up in each test, so a missing Deployment fails those tests and not the whole file.
  const workload = () => serviceWorkload(manifests, name);

  it('is multi-stage: the image is built from a build stage and contains none of its tools', () => {
    expect(spec.stages.length).toBeGreaterThanOrEqual(2);
    const build = spec.stages[0];
    expect(build?.name).toBeTruthy();
    const copiesFromBuild = spec.runtime.instructions.filter(
      (i) => i.getKeyword() === 'COPY' && /--from=(\S+)/.exec(i.getTextContent())?.[1] === build?.name,
    );
    expect(copiesFromBuild.length).toBeGreaterThan(0);
    const runtimeRuns = spec.runtime.instructions
      .filter((i) => i.getKeyword() === 'RUN')
      .map((i) => i.getTextContent());
    expect(runtimeRuns.join('\n')).not.toMatch(/\bnpm (ci|install|i)\b|\btsc\b/);
  });

  it('builds on a small Node 20 image pinned to an exact version, never latest', () => {
    for (const stage of spec.stages) {
      expect(stage.base).toMatch(PINNED_NODE_20);
      expect(stage.base).not.toMatch(/:latest|:lts|:current|^node:20(-alpine)?$/);
    }
    expect(new Set(spec.stages.map((stage) => stage.base)).size).toBe(1);
  });

  it('installs with npm ci from the lockfile and ships only the production closure of its workspace', () => {
    const runs = spec.stages[0]?.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getTextContent());
    expect(runs?.some((run) => /\bnpm ci\b/.test(run))).toBe(true);
    expect(runs?.some((run) => run.includes(`deploy/image/assemble.mjs ${workspace} /app`))).toBe(true);
  });

  it('runs as a fixed numeric non-root UID and GID, the ones the manifests set', () => {
    const { deployment, pod, container } = workload();
    const match = /^(\d+):(\d+)$/.exec(spec.user ?? '');
    expect(match, `USER must be numeric uid:gid, got ${spec.user}`).not.toBeNull();
    const [uid, gid] = [Number(match?.[1]), Number(match?.[2])];
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    // The same ids get a passwd and group entry in the image.
    const runs = spec.runtime.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getTextContent());
    expect(runs.join('\n')).toMatch(new RegExp(`addgroup [^&]*-g ${gid}\\b`));
    expect(runs.join('\n')).toMatch(new RegExp(`adduser [^&]*-u ${uid}\\b`));
    const runAsUser = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
    const runAsGroup = container.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup;
    expect(runAsUser, `${deployment.metadata.name} must set runAsUser`).toBe(uid);
    expect(runAsGroup, `${deployment.metadata.name} must set runAsGroup`).toBe(gid);
  });

  it('starts the compiled JavaScript with node directly, in exec form, so SIGTERM reaches it', () => {
    expect(spec.entrypoint ?? []).toEqual([]);
    expect(spec.cmd).toEqual(['node', `apps/${name}/build/main.js`]);
    expect(spec.workdir).toBe('/app');
    const { container } = workload();
    // The manifests must not replace it with a shell, npm or tsx either.
    expect(container.command).toBeUndefined();
    expect(container.args).toBeUndefined();
    const manifestPackage = JSON.parse(readFileSync(join(repoRoot, 'apps', name, 'package.json'), 'utf8')) as {
      main?: string;
    };
    expect(manifestPackage.main).toBe('./build/main.js');
  });

  it('runs in production mode and exposes the port the Deployment uses', () => {
    expect(spec.env.NODE_ENV).toBe('production');
    const { container } = workload();
    const ports = (container.ports ?? []).map((port) => port.containerPort);
    expect(ports).toEqual(spec.exposed);
  });

  it('writes nothing outside /tmp: the root filesystem is read-only in the manifests', () => {
    const { container } = workload();
    expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
    const writable = (container.volumeMounts ?? []).filter((mount) => !mount.readOnly).map((mount) => mount.mountPath);
    for (const path of writable) expect(path === '/tmp' || path.startsWith('/tmp/')).toBe(true);
  });

  it('has what the pod spec runs inside it: the preStop hook is a command the image provides', () => {
    const { container } = workload();
    const hook = (container as { lifecycle?: { preStop?: { exec?: { command?: string[] } } } }).lifecycle?.preStop?.exec
      ?.command;
    if (hook === undefined) return;
    // Alpine's busybox has sleep; a distroless base would not, and the hook would fail on every rollout.
    expect(['sleep', '/bin/sleep']).toContain(hook[0]);
    expect(spec.runtime.base).toMatch(/-alpine/);
  });

  it('is the image the Deployment runs: <registry>/<app>:<tag>, never latest', () => {
    const { container } = workload();
    expect(container.image).toMatch(new RegExp(`^[^\\s]+/${name}(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[a-f0-9]{64})$`));
    expect(container.image).not.toMatch(/:latest$/);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const sources = spec.stages
      .flatMap((stage) => stage.instructions)
      .filter((i) => i.getKeyword() === 'COPY' && !/--from=/.test(i.getTextContent()))
      .flatMap((i) =>
        i
          .getArguments()
          .slice(0, -1)
          .map((arg) => arg.getValue()),
      );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      const path = source.replace(/\/$/, '');
      expect(existsSync(join(repoRoot, path)), `${source} does not exist`).toBe(true);
      const probe = source.endsWith('/') ? `${path}/package.json` : path;
      expect(dockerignore.ignores(probe), `.dockerignore leaves out ${probe}`).toBe(false);
    }
    expect(dockerignore.ignores(`apps/${name}/src/main.ts`)).toBe(false);
    expect(dockerignore.ignores(`apps/${name}/migrations/0001.sql`)).toBe(false);
  });
});
