import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository, so that the entry finds our node_modules as main.ts does.
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const work = mkdtempSync(join(ROOT, '.tmp', 'run-ts-test-'));
const cache = join(work, 'cache');
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function runTs(entry: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'run-ts.mjs'), entry, ...args], {
      cwd: work,
      env: { ...process.env, RUN_TS_CACHE: cache },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('run-ts.mjs', () => {
  const entry = join(work, 'entry.ts');
  const helper = join(work, 'lib', 'helper.ts');
  mkdirSync(join(work, 'lib'));
  writeFileSync(
    entry,
    `import { stringify } from 'yaml';
import { where, version } from './lib/helper.js';
const own: string = import.meta.url;
process.stdout.write(stringify({ own, where, version, argv: process.argv.slice(2), main: process.argv[1] }));
`,
  );

  it('runs the entry with its arguments, each file knowing its own import.meta.url', async () => {
    writeFileSync(helper, `export const where: string = import.meta.url;\nexport const version = 1;\n`);
    const { code, stdout, stderr } = await runTs('entry.ts', '--env', 'prod');
    expect(code, stderr).toBe(0);
    expect(stdout).toBe(
      [
        `own: ${pathToFileURL(entry).href}`,
        `where: ${pathToFileURL(helper).href}`,
        'version: 1',
        'argv:',
        '  - --env',
        '  - prod',
        `main: ${entry}`,
        '',
      ].join('\n'),
    );
  });

  it('runs the sources as they are now, never an earlier build', async () => {
    writeFileSync(helper, `export const where: string = import.meta.url;\nexport const version = 2;\n`);
    expect((await runTs('entry.ts')).stdout).toContain('version: 2');
    writeFileSync(helper, `export const where: string = import.meta.url;\nexport const version = 3;\n`);
    expect((await runTs('entry.ts')).stdout).toContain('version: 3');
  });

  it('fails with exit code 1 and the error when the entry throws', async () => {
    writeFileSync(join(work, 'throws.ts'), `throw new Error('Unknown environment stage.');\n`);
    const { code, stderr } = await runTs('throws.ts');
    expect(code).toBe(1);
    expect(stderr).toContain('Unknown environment stage.');
  });

  it('fails with exit code 1 and the compiler error on invalid TypeScript', async () => {
    writeFileSync(join(work, 'broken.ts'), `const x: number = ;\n`);
    const { code, stderr } = await runTs('broken.ts');
    expect(code).toBe(1);
    expect(stderr).toContain('broken.ts:1:');
  });

  it('requires the bundle it kept when nothing changed, without bundling again', async () => {
    writeFileSync(helper, `export const where: string = import.meta.url;\nexport const version = 4;\n`);
    expect((await runTs('entry.ts')).stdout).toContain('version: 4');
    const [bundle] = readdirSync(cache).filter((file) => file.startsWith('entry.ts-'));
    const kept = readFileSync(join(cache, bundle!), 'utf8');
    const record = kept.slice(0, kept.indexOf('\n') + 1);
    writeFileSync(join(cache, bundle!), `${record}process.stdout.write('the kept bundle');\n`);
    expect((await runTs('entry.ts')).stdout).toBe('the kept bundle');
  });

  it('bundles afresh when a package now resolves to another place', async () => {
    writeFileSync(helper, `export const where: string = import.meta.url;\nexport const version = 5;\n`);
    expect((await runTs('entry.ts')).stdout).toContain('version: 5');
    const local = join(work, 'node_modules', 'yaml');
    mkdirSync(local, { recursive: true });
    writeFileSync(join(local, 'package.json'), '{ "name": "yaml", "main": "index.js" }');
    writeFileSync(join(local, 'index.js'), `exports.stringify = () => 'a yaml closer to the entry';\n`);
    try {
      expect((await runTs('entry.ts')).stdout).toBe('a yaml closer to the entry');
    } finally {
      rmSync(join(work, 'node_modules'), { recursive: true, force: true });
    }
    expect((await runTs('entry.ts')).stdout).toContain('version: 5');
  });
});
