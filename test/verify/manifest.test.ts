import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifests, manifestFolders, parseManifests, refOf } from '../../verify/manifest.js';

const folders: string[] = [];
function folderWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'verify-manifests-'));
  folders.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: a }\n`;

describe('manifests', () => {
  it('reads files in the order kubectl apply does: by name, documents in order, no subfolders', () => {
    const root = folderWith({
      'b.yaml': configMap('b1') + '---\n' + configMap('b2') + '---\n',
      'a.yml': configMap('a'),
      'notes.txt': 'x',
      'prod/c.yaml': configMap('c'),
    });
    const manifests = loadManifests([root], root);
    expect(manifests.map((m) => `${m.order} ${refOf(m.object)} ${m.source}`)).toEqual([
      '0 ConfigMap a/a a.yml#0',
      '1 ConfigMap a/b1 b.yaml#0',
      '2 ConfigMap a/b2 b.yaml#1',
    ]);
  });

  it('reads values by the YAML 1.2 core schema: dates and yes stay strings, as cdk8s meant them', () => {
    const [manifest] = parseManifests(
      `${configMap('c')}data: { since: 2024-01-01, enabled: yes, port: 8080, empty: ~, ratio: 0.5 }\n`,
      'c.yaml',
    );
    expect(manifest!.object).toMatchObject({
      data: { since: '2024-01-01', enabled: 'yes', port: 8080, empty: null, ratio: 0.5 },
    });
  });

  it('finds one folder per environment', () => {
    const root = folderWith({ 'a.yaml': configMap('a'), 'prod/c.yaml': configMap('c'), 'empty/readme.md': '' });
    expect(manifestFolders(root)).toEqual([root, join(root, 'prod')]);
  });

  it('says clearly what is wrong with a file that is not manifests', () => {
    expect(() => parseManifests('a: 1\n---\nb: [\n', 'bad.yaml')).toThrow(
      'bad.yaml:4: invalid YAML: unexpected end of the stream within a flow collection',
    );
    expect(() => parseManifests('a: 1\na: 2\n', 'twice.yaml')).toThrow(
      'twice.yaml:2: invalid YAML: duplicated mapping key',
    );
    expect(() => parseManifests('just: a map\n', 'map.yaml')).toThrow(
      'map.yaml#0: not a Kubernetes object (it needs apiVersion and kind strings).',
    );
    expect(() => manifestFolders('/no/such/dist')).toThrow('/no/such/dist does not exist');
    expect(() => loadManifests([folderWith({ 'readme.md': '' })])).toThrow(/No YAML manifests found/);
  });
});
