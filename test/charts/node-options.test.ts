import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invoiceAppEnvironment, paymentProviderEnvironment } from '@billing/devkit';
import { MALLOC_SETTINGS, NODE_OPTIONS, nodeRuntimeEnv } from '../../charts/index.js';
import { APPS, loadManifests, readImageSpec, repoRoot, serviceWorkload } from '../shipping/support.js';

// The memory the benchmarks measure is memory in a pod only if the services run with the same
// node flags and allocator settings everywhere: the manifests (the images add none), and npm
// start / the benchmarks.
const RUNTIME_VARIABLES = Object.keys(nodeRuntimeEnv());

describe('NODE_OPTIONS and the allocator settings', () => {
  it('sizes the V8 heap for a pod rather than the host', () => {
    expect(NODE_OPTIONS).toMatch(/--max-semi-space-size=\d+/);
    expect(NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
  });

  it("fixes glibc's arenas and mapping threshold, so that freed large blocks go back", () => {
    expect(Number(MALLOC_SETTINGS.MALLOC_ARENA_MAX)).toBeGreaterThanOrEqual(1);
    expect(Number(MALLOC_SETTINGS.MALLOC_MMAP_THRESHOLD_)).toBeGreaterThan(0);
    expect(nodeRuntimeEnv('--max-old-space-size=64')).toEqual({
      NODE_OPTIONS: '--max-old-space-size=64',
      ...MALLOC_SETTINGS,
    });
  });

  it.each(['dist', 'dist/prod'])('is what %s gives each service, in its ConfigMap', (folder) => {
    const manifests = loadManifests(join(repoRoot, folder));
    for (const { name } of APPS) {
      const { container, namespace } = serviceWorkload(manifests, name);
      const configMaps = (container.envFrom ?? []).map((source) =>
        manifests.find(
          (object) =>
            object.kind === 'ConfigMap' &&
            object.metadata.name === source.configMapRef?.name &&
            object.metadata.namespace === namespace,
        ),
      );
      const data = Object.assign(
        {},
        ...configMaps.map((map) => (map as { data?: Record<string, string> } | undefined)?.data ?? {}),
      ) as Record<string, string>;
      const given = Object.fromEntries(RUNTIME_VARIABLES.map((variable) => [variable, data[variable]]));
      expect(given, `${folder}: ${name}`).toEqual(nodeRuntimeEnv());
      // A variable of the container itself would override the ConfigMap's.
      const own = (container.env ?? []).map((variable) => variable.name);
      for (const variable of RUNTIME_VARIABLES) expect(own).not.toContain(variable);
    }
  });

  // The images set none of their own, so the manifests' value is the one a pod runs with
  // (test/shipping/images.test.ts checks the built images too).
  it.each(APPS.map(({ name }) => name))('is left to the manifests by the %s image', (name) => {
    for (const variable of RUNTIME_VARIABLES) expect(readImageSpec(name).env[variable]).toBeUndefined();
  });

  it('is what npm start and the benchmarks give both services', () => {
    const wiring = { port: 1, databaseUrl: 'postgres://local', paymentProviderToken: 'token' };
    for (const environment of [invoiceAppEnvironment({}, wiring), paymentProviderEnvironment({}, wiring)]) {
      expect(environment).toMatchObject(nodeRuntimeEnv());
    }
  });
});
