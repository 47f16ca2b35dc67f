import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invoiceAppEnvironment, paymentProviderEnvironment } from '@billing/devkit';
import { NODE_OPTIONS } from '../../charts/index.js';
import { APPS, loadManifests, readImageSpec, repoRoot, serviceWorkload } from '../shipping/support.js';

// The memory the benchmarks measure is memory in a pod only if the services run with the same
// node flags everywhere: the manifests (the images add none), and npm start / the benchmarks.
describe('NODE_OPTIONS', () => {
  it('sizes the V8 heap for a pod rather than the host', () => {
    expect(NODE_OPTIONS).toMatch(/--max-semi-space-size=\d+/);
    expect(NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
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
      const values = configMaps.map(
        (map) => (map as { data?: Record<string, string> } | undefined)?.data?.NODE_OPTIONS,
      );
      expect(
        values.filter((value) => value !== undefined),
        `${folder}: ${name}`,
      ).toEqual([NODE_OPTIONS]);
      // A variable of the container itself would override the ConfigMap's.
      expect((container.env ?? []).map((variable) => variable.name)).not.toContain('NODE_OPTIONS');
    }
  });

  // The images set none of their own, so the manifests' value is the one a pod runs with
  // (test/shipping/images.test.ts checks the built images too).
  it.each(APPS.map(({ name }) => name))('is left to the manifests by the %s image', (name) => {
    expect(readImageSpec(name).env.NODE_OPTIONS).toBeUndefined();
  });

  it('is what npm start and the benchmarks give both services', () => {
    const wiring = { port: 1, databaseUrl: 'postgres://local', paymentProviderToken: 'token' };
    expect(invoiceAppEnvironment({}, wiring).NODE_OPTIONS).toBe(NODE_OPTIONS);
    expect(paymentProviderEnvironment({}, wiring).NODE_OPTIONS).toBe(NODE_OPTIONS);
  });
});
