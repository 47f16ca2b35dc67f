import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository, so that the entry finds our node_modules as main.ts does.
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const work = mkdtempSync(join(ROOT, '.tmp', 'run-ts-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function runTs(entry: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'run-ts.mjs'), entry, ...args], {
      cwd: work,
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
});
