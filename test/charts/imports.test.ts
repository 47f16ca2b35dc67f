// The typed custom resources in imports/ are what `cdk8s import` makes of the CRDs vendored in
// schemas/crds/, as cdk8s.yaml lists them: a clone regenerates the same files offline, and a CRD
// upgraded without re-importing (or an import edited by hand) fails here.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Not among cdk8s-cli's exports: loaded by its file path (an `exports` map binds only package specifiers).
const requireHere = createRequire(import.meta.url);
const cliDir = dirname(requireHere.resolve('cdk8s-cli/package.json'));
const { ImportCustomResourceDefinition } = requireHere(join(cliDir, 'lib/import/crd.js')) as {
  ImportCustomResourceDefinition: {
    fromSpec(spec: { source: string }): Promise<{
      import(options: { outdir: string; targetLanguage: string; moduleNamePrefix: string }): Promise<void>;
    }>;
  };
};
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const config = parse(await readFile(join(repoRoot, 'cdk8s.yaml'), 'utf8')) as { imports: string[] };
/** `name:=schemas/crds/...yaml` entries: the CRD imports (the k8s one is not a file). */
const crdImports = config.imports
  .map((entry) => /^([a-z0-9-]+):=(schemas\/crds\/.+\.ya?ml)$/.exec(entry))
  .filter((match): match is RegExpExecArray => match !== null)
  .map(([, name, file]) => ({ name: name!, file: file! }));
const outdir = await mkdtemp(join(tmpdir(), 'billing-imports-'));
afterAll(() => rm(outdir, { recursive: true, force: true }));

describe('imports of the vendored CRDs', () => {
  it('lists every vendored CRD in cdk8s.yaml, each under its own module name', async () => {
    const vendored: string[] = [];
    for (const project of await readdir(join(repoRoot, 'schemas/crds'), { withFileTypes: true })) {
      if (!project.isDirectory()) continue;
      for (const file of await readdir(join(repoRoot, 'schemas/crds', project.name))) {
        vendored.push(`schemas/crds/${project.name}/${file}`);
      }
    }
    expect(crdImports.map((entry) => entry.file).sort()).toEqual(vendored.sort());
    expect(new Set(crdImports.map((entry) => entry.name)).size).toBe(crdImports.length);
  });

  it('regenerates exactly the committed imports/ files, offline', { timeout: 120_000 }, async () => {
    // cdk8s import's own code, in this process: one CLI process per CRD costs a minute on a busy machine.
    for (const entry of crdImports) {
      const importer = await ImportCustomResourceDefinition.fromSpec({ source: join(repoRoot, entry.file) });
      await importer.import({ outdir, targetLanguage: 'typescript', moduleNamePrefix: entry.name });
    }
    const generated = (await readdir(outdir)).sort();
    expect(generated).toHaveLength(crdImports.length);
    for (const file of generated) {
      const committed = await readFile(join(repoRoot, 'imports', file), 'utf8');
      expect(await readFile(join(outdir, file), 'utf8'), file).toBe(committed);
    }
  });
});
