import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../verify/schema-registry.js';

const SCHEMA = new URL('../../schemas/k8s/v1.27.0/_definitions.json', import.meta.url);
const work = mkdtempSync(join(tmpdir(), 'verify-schema-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: 'b' } };

/** Unknown fields the validator finds in `object`, or [] when it passes. */
function unknownFields(registry: SchemaRegistry, object: typeof configMap & Record<string, unknown>): unknown[] {
  const validate = registry.validatorFor(object.apiVersion, object.kind)!;
  if (validate(object)) return [];
  return (validate.errors ?? []).map((error) => error.params.additionalProperty);
}

/** The one folder of compiled validators below `cache`. */
function keptFolder(cache: string): string {
  const [folder, ...others] = readdirSync(cache);
  expect(others).toEqual([]);
  return join(cache, folder!);
}

describe('the compiled schema validators kept between runs', () => {
  it('are loaded on the next run instead of compiling again', () => {
    const cache = join(work, 'kept');
    expect(unknownFields(new SchemaRegistry(SCHEMA, cache), { ...configMap, spc: 1 })).toEqual(['spc']);
    const folder = keptFolder(cache);
    expect(readdirSync(folder).sort()).toEqual(['kinds.json', 'validators.cjs']);
    // Another process would find this file: one that accepts anything shows that it is used.
    writeFileSync(
      join(folder, 'validators.cjs'),
      "module.exports = function (formats, require, exports) { exports['v1 ConfigMap'] = () => true; };\n",
    );
    const copy = join(work, 'kept-copy');
    cpSync(cache, copy, { recursive: true });
    expect(unknownFields(new SchemaRegistry(SCHEMA, copy), { ...configMap, spc: 1 })).toEqual([]);
  });

  it('are one module for every kind seen, a new kind compiled with those kept', () => {
    const cache = join(work, 'growing');
    new SchemaRegistry(SCHEMA, cache).prepare([configMap, { apiVersion: 'v1', kind: 'Service' }]);
    const copy = join(work, 'growing-copy');
    cpSync(cache, copy, { recursive: true });
    const registry = new SchemaRegistry(SCHEMA, copy);
    expect(unknownFields(registry, { ...configMap, apiVersion: 'apps/v1', kind: 'Deployment' })).toEqual(['data']);
    const kept = readFileSync(join(keptFolder(copy), 'validators.cjs'), 'utf8');
    const exported = [...kept.matchAll(/exports\["([^"]+)"\] =/g)].map(([, key]) => key);
    expect(exported.sort()).toEqual(['apps/v1 Deployment', 'v1 ConfigMap', 'v1 Service']);
  });

  it('are compiled again when the kept file cannot be loaded', () => {
    const cache = join(work, 'broken');
    new SchemaRegistry(SCHEMA, cache).validatorFor('v1', 'ConfigMap');
    writeFileSync(
      join(keptFolder(cache), 'v1_ConfigMap.cjs'),
      'module.exports = function (formats, require, module) {',
    );
    const copy = join(work, 'broken-copy');
    cpSync(cache, copy, { recursive: true });
    expect(unknownFields(new SchemaRegistry(SCHEMA, copy), { ...configMap, spc: 1 })).toEqual(['spc']);
  });

  it('are never used for another schema document, whatever the cache holds', () => {
    const cache = join(work, 'shared');
    expect(unknownFields(new SchemaRegistry(SCHEMA, cache), configMap)).toEqual([]);

    const document = JSON.parse(readFileSync(SCHEMA, 'utf8')) as {
      definitions: Record<string, { properties: Record<string, unknown> }>;
    };
    delete document.definitions['io.k8s.api.core.v1.ConfigMap']!.properties.data;
    const otherSchema = join(work, 'without-config-map-data.json');
    writeFileSync(otherSchema, JSON.stringify(document));

    expect(unknownFields(new SchemaRegistry(pathToFileURL(otherSchema), cache), configMap)).toEqual(['data']);
    expect(readdirSync(cache)).toHaveLength(2);
  });
});
