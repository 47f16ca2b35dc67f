import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invoiceConfigSchema } from '../../apps/invoice-app/src/config.js';
import { paymentProviderConfigSchema } from '../../apps/payment-provider/src/config.js';
import { APPS, loadManifests, readImageSpec, repoRoot, serviceWorkload, type K8sObject } from './support.js';
import { nodeRuntimeEnv } from '../../charts/index.js';

// The configuration reference (docs/configuration.md) is the operator's only list of settings: it
// must name every variable the services read, with the schema's default, and the ConfigMap or
// Secret the manifests set it from.

const reference = readFileSync(join(repoRoot, 'docs/configuration.md'), 'utf8');

interface Row {
  readonly variable: string;
  readonly defaults: string;
  readonly setBy: string;
}

function configurationReference(): Map<string, Row> {
  const start = reference.indexOf('# Configuration reference');
  expect(start, 'docs/configuration.md has no "# Configuration reference" heading').toBeGreaterThanOrEqual(0);
  const next = reference.indexOf('\n## ', start + 1);
  const section = reference.slice(start, next < 0 ? undefined : next);
  const rows = new Map<string, Row>();
  // The section's first table is the reference; the scripts' settings follow in another.
  const lines = section.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, index) => index > first && !line.startsWith('|'));
  for (const line of lines.slice(first, end < 0 ? undefined : end)) {
    const cells = line.split('|').map((cell) => cell.trim());
    const variable = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[1] ?? '')?.[1];
    if (variable === undefined || cells.length < 6 || rows.has(variable)) continue;
    rows.set(variable, { variable, defaults: cells[3] ?? '', setBy: cells[4] ?? '' });
  }
  return rows;
}

const schemas = [invoiceConfigSchema, paymentProviderConfigSchema];
/** Read outside the schemas: the kit's listen address, the image's NODE_ENV, node's own NODE_OPTIONS and glibc's settings. */
const OUTSIDE_SCHEMAS = ['HOST', 'NODE_ENV', ...Object.keys(nodeRuntimeEnv())];

describe('the configuration reference in docs/configuration.md', () => {
  const rows = configurationReference();

  it('lists exactly the variables the services read', () => {
    const read = new Set([...schemas.flatMap((schema) => Object.keys(schema.properties)), ...OUTSIDE_SCHEMAS]);
    expect([...rows.keys()].sort()).toEqual([...read].sort());
  });

  it("gives each variable the default of the service's schema", () => {
    for (const schema of schemas) {
      for (const [name, property] of Object.entries(schema.properties as Record<string, { default?: unknown }>)) {
        if (property.default === undefined) continue;
        expect(rows.get(name)?.defaults, name).toContain(String(property.default));
      }
    }
    for (const { name } of APPS) expect(rows.get('NODE_ENV')?.defaults).toContain(readImageSpec(name).env.NODE_ENV);
  });

  it.each(['dist', 'dist/prod'])('names the ConfigMap or Secret that %s sets each variable from', (folder) => {
    const manifests = loadManifests(join(repoRoot, folder));
    for (const { name } of APPS) {
      const { container, namespace } = serviceWorkload(manifests, name);
      for (const source of container.envFrom ?? []) {
        const configMap = manifests.find(
          (object): object is K8sObject & { data: Record<string, string> } =>
            object.kind === 'ConfigMap' &&
            object.metadata.name === source.configMapRef?.name &&
            object.metadata.namespace === namespace,
        );
        for (const key of Object.keys(configMap?.data ?? {})) {
          const setBy = rows.get(key)?.setBy ?? '';
          const what = `${folder}: ${name} gets ${key} from ConfigMap ${configMap?.metadata.name}`;
          expect(setBy, what).toMatch(/^ConfigMap /);
          expect(setBy, what).toContain(`\`${configMap?.metadata.name}\``);
        }
      }
      // A variable a composed value refers to as $(NAME) is a part of it (prod's DATABASE_URL from
      // the CloudNativePG Secret): the composed variable's row names the part's Secret.
      const env = container.env ?? [];
      const referenced = (value = '') => [...value.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((m) => m[1]!);
      const parts = new Set(env.flatMap((variable) => referenced(variable.value)));
      const secretOf = (variable: string) => env.find((v) => v.name === variable)?.valueFrom?.secretKeyRef?.name;
      for (const variable of env) {
        const secrets = variable.value
          ? referenced(variable.value).flatMap((part) => secretOf(part) ?? [])
          : [variable.valueFrom?.secretKeyRef?.name ?? []].flat();
        if (parts.has(variable.name)) continue;
        for (const secret of secrets) {
          expect(
            rows.get(variable.name)?.setBy,
            `${folder}: ${name} gets ${variable.name} from Secret ${secret}`,
          ).toContain(`\`${secret}\``);
        }
      }
    }
  });
});
