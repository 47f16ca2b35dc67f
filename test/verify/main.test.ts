import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../verify/testing/platform.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'verify-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `npm run verify -- ...args`, as a real child process. */
async function verifyCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'verify/main.ts', ...args],
      { cwd: ROOT, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('npm run verify', () => {
  it('exits 0 and says OK for manifests that pass', async () => {
    const { code, stdout } = await verifyCli(FIXTURE);
    expect(code).toBe(0);
    expect(stdout).toMatch(/OK: \d+\/\d+ checks pass, 3 findings waived\./);
  });

  it('exits 1 with the report when a check fails', async () => {
    const broken = join(work, 'broken.yaml');
    writeFileSync(
      broken,
      readFileSync(FIXTURE, 'utf8').replace('registry.example.com/billing/invoice-app:1.0.0', 'invoice-app:latest'),
    );
    const { code, stdout } = await verifyCli(broken);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ image-tag');
    expect(stdout).toContain('FAILED:');
  });

  it('prints the matrices as Markdown with --matrices', async () => {
    const { code, stdout } = await verifyCli(FIXTURE, '--matrices');
    expect(code).toBe(0);
    expect(stdout).toContain('#### Reachability (from the NetworkPolicies)');
    expect(stdout).toContain(
      '| Group team-payments | payments | apps/deployments (payment-provider) | patch, update |',
    );
  });

  it('exits 2 with one line for a bad option or a missing path', async () => {
    const option = await verifyCli('--matrix');
    expect(option.code).toBe(2);
    expect(option.stderr).toBe('Unknown option --matrix: use --matrices or --list.\n');
    const missing = await verifyCli(join(work, 'nothing'));
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
