import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { readTree } from '../../charts/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const folders: string[] = [];

/** Runs main.ts as `npm run synth` does, with no image overrides from the caller's environment. */
async function synth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; outdir: string }> {
  const outdir = mkdtempSync(join(tmpdir(), 'billing-dist-'));
  folders.push(outdir);
  const env = { ...process.env };
  for (const name of ['IMAGE_REGISTRY', 'IMAGE_TAG', 'CDK8S_OUTDIR']) delete env[name];
  Object.assign(
    env,
    Object.fromEntries(args.filter((a) => a.includes('=') && !a.startsWith('--')).map((a) => a.split('='))),
  );
  const flags = args.filter((a) => a.startsWith('--') || !a.includes('='));
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['run-ts.mjs', 'main.ts', '--outdir', outdir, ...flags],
      { cwd: ROOT, env, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr, outdir };
  } catch (err) {
    const failure = err as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr, outdir };
  }
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('dist/', () => {
  it('is exactly what a fresh synth writes (run `npm run synth` and commit dist/ when this fails)', async () => {
    const { code, outdir } = await synth();
    expect(code).toBe(0);
    const fresh = readTree(outdir);
    const committed = readTree(join(ROOT, 'dist'));
    expect([...committed.keys()], 'the files in dist/').toEqual([...fresh.keys()]);
    for (const [path, content] of fresh) {
      expect(committed.get(path), `dist/${path} is stale`).toBe(content);
    }
  });
});

describe('main.ts', () => {
  it('writes one environment with another registry and tag when asked', async () => {
    const { code, stdout, outdir } = await synth('--env', 'prod', '--registry', 'ghcr.io/acme', '--tag', '1f2e3d4');
    expect(code).toBe(0);
    expect(stdout).toContain(join(outdir, 'prod'));
    const files = readTree(outdir);
    expect([...files.keys()].every((path) => path.startsWith('prod/'))).toBe(true);
    expect(files.get('prod/0003-invoices.k8s.yaml')).toContain('image: ghcr.io/acme/invoice-app:1f2e3d4');
  });

  it('reads IMAGE_TAG and IMAGE_REGISTRY too (for `npx cdk8s synth`)', async () => {
    const { code, outdir } = await synth('--env', 'dev', 'IMAGE_TAG=abc123', 'IMAGE_REGISTRY=mirror.test');
    expect(code).toBe(0);
    expect(readTree(outdir).get('0003-invoices.k8s.yaml')).toContain('image: mirror.test/invoice-app:abc123');
  });

  it('refuses an unknown environment or a latest tag with one clear line and exit 1', async () => {
    const unknown = await synth('--env', 'stage');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("Unknown environment 'stage'. Choose one of: dev, prod.\n");
    const latest = await synth('--tag', 'latest');
    expect(latest.code).toBe(1);
    expect(latest.stderr.trim().split('\n')).toHaveLength(1);
    expect(latest.stderr).toContain("uses the tag 'latest'");
  });
});
