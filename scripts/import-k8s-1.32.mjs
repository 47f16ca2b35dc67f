// `npm run import:k8s-1.32`: regenerates imports/k8s-1.32/k8s.ts, the typed constructs of the
// Kubernetes 1.32 kinds the platform uses and 1.27 does not serve (ValidatingAdmissionPolicy and
// its binding, admissionregistration.k8s.io/v1, GA in 1.30), without network access. Only these
// kinds and the definitions they refer to go into the import: the rest of the program stays on
// the 1.27 types (imports/k8s.ts), which cdk8s-plus-27 targets.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VERSION = '1.32.0';
const KINDS = [
  'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy',
  'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBinding',
];

const { definitions } = JSON.parse(readFileSync(join(ROOT, `schemas/k8s/v${VERSION}/_definitions.json`), 'utf8'));
const kept = {};
const visit = (name) => {
  if (kept[name]) return;
  if (!definitions[name]) throw new Error(`${name} is not in the Kubernetes ${VERSION} schema.`);
  kept[name] = definitions[name];
  for (const [, ref] of JSON.stringify(definitions[name]).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) visit(ref);
};
KINDS.forEach(visit);

const schemaDir = mkdtempSync(join(tmpdir(), 'k8s-schema-'));
try {
  mkdirSync(join(schemaDir, `v${VERSION}`));
  writeFileSync(join(schemaDir, `v${VERSION}/_definitions.json`), JSON.stringify({ definitions: kept }));
  const cli = join(ROOT, 'node_modules/cdk8s-cli/bin/cdk8s');
  const result = spawnSync(
    process.execPath,
    [
      '--require',
      join(ROOT, 'schemas/k8s/offline-import.cjs'),
      cli,
      'import',
      `k8s@${VERSION}`,
      '-l',
      'typescript',
      '-o',
      'imports/k8s-1.32',
      '--no-save',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CDK8S_SCHEMA_DIR: schemaDir, CDK8S_CHECK_UPGRADE: 'false' },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
} finally {
  rmSync(schemaDir, { recursive: true, force: true });
}
