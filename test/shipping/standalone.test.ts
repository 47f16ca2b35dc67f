import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support.js';

// The repository stands alone: what `npm run import` needs (the schemas and the offline preload)
// is inside it. A copy of what the import reads, in a folder with no shared reference folder beside it and no
// network at all, regenerates imports/ byte for byte.

const run = promisify(execFile);
const root = await mkdtemp(join(tmpdir(), 'billing-standalone-'));

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('npm run import', () => {
  it('regenerates the committed imports/ offline, from the repository alone', async () => {
    const clone = join(root, 'clone');
    await mkdir(join(clone, 'scripts'), { recursive: true });
    for (const file of ['package.json', 'cdk8s.yaml', 'schemas', 'scripts/import-k8s-1.32.mjs']) {
      await cp(join(repoRoot, file), join(clone, file), { recursive: true });
    }
    // The installed packages are the same as after npm ci; only the import's own inputs are copied.
    await symlink(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
    await expect(stat(join(root, 'shared'))).rejects.toThrow(/ENOENT/);

    // Any attempt to open a connection fails the import.
    const offline = join(root, 'offline.cjs');
    await writeFile(
      offline,
      "require('node:net').Socket.prototype.connect = function () { throw new Error('no network here'); };\n",
    );
    const offlineRun = (script: string) =>
      run('npm', ['run', '--silent', script], {
        cwd: clone,
        env: { ...process.env, NODE_OPTIONS: `--require ${offline}` },
      });
    const { stderr } = await offlineRun('import');
    expect(stderr).toContain(`[offline] using ${join(clone, 'schemas/k8s/v1.27.0/_definitions.json')}`);
    await offlineRun('import:k8s-1.32');

    const committed = await readdir(join(repoRoot, 'imports'), { recursive: true });
    expect((await readdir(join(clone, 'imports'), { recursive: true })).sort()).toEqual(committed.sort());
    for (const file of committed.filter((name) => name.endsWith('.ts'))) {
      const regenerated = await readFile(join(clone, 'imports', file), 'utf8');
      expect(regenerated === (await readFile(join(repoRoot, 'imports', file), 'utf8')), file).toBe(true);
    }
  }, 120_000);

  it('keeps the 1.32 schema too, for the newer types (ValidatingAdmissionPolicy)', async () => {
    const definitions = JSON.parse(await readFile(join(repoRoot, 'schemas/k8s/v1.32.0/_definitions.json'), 'utf8')) as {
      definitions: Record<string, unknown>;
    };
    expect(Object.keys(definitions.definitions)).toContain(
      'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy',
    );
  });
});
