import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CrdSchemaRegistry, javascriptPattern } from '../../verify/crd-schemas.js';

const folder = fileURLToPath(new URL('../../schemas/crds/', import.meta.url));

describe('CrdSchemaRegistry', () => {
  const registry = new CrdSchemaRegistry();

  it('serves exactly the group, version and kind of every vendored CRD, read from its header', () => {
    const expected: string[] = [];
    for (const project of readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
      for (const file of readdirSync(join(folder, project.name))) {
        const crd = load(readFileSync(join(folder, project.name, file), 'utf8')) as {
          spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean }[] };
        };
        for (const version of crd.spec.versions.filter((v) => v.served)) {
          expected.push(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`);
        }
      }
    }
    const served = expected.filter((key) => registry.serves(...(key.split(' ') as [string, string])));
    expect(served).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(11);
    expect(registry.serves('postgresql.cnpg.io/v1', 'Deployment')).toBe(false);
  });

  it('checks a custom resource as the API server does: enums, required fields, unknown fields', () => {
    const validate = registry.validatorFor('monitoring.coreos.com/v1', 'PrometheusRule')!;
    const rule = (spec: unknown) => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', spec });
    expect(validate(rule({ groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0' }] }] }))).toBe(true);
    expect(validate(rule({ groups: [{ rules: [] }] }))).toBe(false);
    expect(validate(rule({ groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up', severity: 'x' }] }] }))).toBe(false);
  });
});

describe('javascriptPattern', () => {
  it('turns a Go (?i) pattern into one JavaScript matches the same way', () => {
    const pattern = new RegExp(javascriptPattern('^(?i)(abort|warn)?$'), 'u');
    for (const value of ['abort', 'Abort', 'WARN', '']) expect(pattern.test(value), value).toBe(true);
    for (const value of ['ab', 'abortx', 'stop']) expect(pattern.test(value), value).toBe(false);
    expect(javascriptPattern('^[a-z]+$')).toBe('^[a-z]+$');
  });
});
