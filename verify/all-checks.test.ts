import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from './all-checks.js';
import type { Check } from './check.js';
import { Platform } from './testing/platform.js';

// The shape eslint's rules and kube-linter's templates have: verify/checks/<name>.ts is the check
// named <name> and nothing else, <name>.test.ts beside it holds its failing cases, and
// all-checks.ts lists them all.
const FOLDER = fileURLToPath(new URL('./checks/', import.meta.url));
const files = readdirSync(FOLDER);
const checkFiles = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

describe('the fixture platform', () => {
  it('passes every check, with its waivers and deploy-time Secrets listed', () => {
    const report = new Platform().verify();
    expect(report.violations).toEqual([]);
    expect(report.waived.map((waiver) => waiver.check).sort()).toEqual([
      'run-as-high-uid',
      'run-as-high-uid',
      'service-account-token-automount',
    ]);
    expect(report.deployTime).toHaveLength(4);
  });
});

describe('the registry of checks', () => {
  it('lists the one export of each file in verify/checks, a check named as its file', async () => {
    for (const file of checkFiles) {
      const exports = Object.values((await import(`${FOLDER}${file}`)) as Record<string, unknown>);
      expect(exports, `${file} exports one check and nothing else`).toHaveLength(1);
      const check = exports[0] as Check;
      expect(check.name, `the check in ${file} is named as its file`).toBe(file.replace(/\.ts$/, ''));
      expect(ALL_CHECKS, `${file} is listed in verify/all-checks.ts`).toContain(check);
    }
  });

  it('lists each check once, from its own file, with its failing cases beside it', () => {
    const names = ALL_CHECKS.map((check) => check.name);
    expect(new Set(names).size).toBe(names.length);
    expect(
      names.filter((name) => !checkFiles.includes(`${name}.ts`)),
      'registered checks with no verify/checks/<name>.ts',
    ).toEqual([]);
    for (const name of names) {
      expect(files, `verify/checks/${name}.test.ts holds the failing cases of ${name}`).toContain(`${name}.test.ts`);
      expect(readFileSync(`${FOLDER}${name}.test.ts`, 'utf8'), `${name}.test.ts tests ${name}`).toContain(
        `from './${name}.js'`,
      );
    }
  });

  it('has no test file without its check', () => {
    const orphans = files
      .filter((file) => file.endsWith('.test.ts'))
      .filter((file) => !checkFiles.includes(file.replace(/\.test\.ts$/, '.ts')));
    expect(orphans).toEqual([]);
  });

  it('gives every check a kebab-case name and a one-line reason', () => {
    for (const check of ALL_CHECKS) {
      expect(check.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(check.reason).toMatch(/^\S.*\S$/);
      expect(check.reason).not.toContain('\n');
    }
  });
});
