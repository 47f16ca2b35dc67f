import { exec, execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { readTree } from '../../charts/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const folders: string[] = [];

/** Runs main.ts as `npm run synth` does, with no image overrides from the caller's environment. */
async function synth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; outdir: string }> {
  return synthInto(mkdtempSync(join(tmpdir(), 'billing-dist-')), ...args);
}

async function synthInto(
  outdir: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string; outdir: string }> {
  folders.push(outdir);
  const env = { ...process.env };
  for (const name of ['IMAGE_REGISTRY', 'IMAGE_TAG', 'CDK8S_OUTDIR', 'PLATFORM_ENV']) delete env[name];
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
  it('writes every environment by default, or the one PLATFORM_ENV names', async () => {
    const all = await synth();
    expect([...readTree(all.outdir).keys()].some((path) => path.startsWith('prod/'))).toBe(true);
    const prod = await synth('PLATFORM_ENV=prod');
    expect(prod.code).toBe(0);
    expect([...readTree(prod.outdir).keys()].every((path) => path.startsWith('prod/'))).toBe(true);
  });

  it('is run by the cdk8s CLI for one environment: dev unless PLATFORM_ENV says otherwise', async () => {
    const app = /^app: (.*)$/m.exec(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8'))?.[1] ?? '';
    const run = async (env: Record<string, string>) => {
      const outdir = mkdtempSync(join(tmpdir(), 'billing-cdk8s-'));
      folders.push(outdir);
      const clean = { ...process.env };
      for (const name of ['IMAGE_REGISTRY', 'IMAGE_TAG', 'PLATFORM_ENV']) delete clean[name];
      // As the CLI runs it: through a shell, with CDK8S_OUTDIR set.
      await promisify(exec)(app, { cwd: ROOT, env: { ...clean, CDK8S_OUTDIR: outdir, ...env }, timeout: 60_000 });
      return [...readTree(outdir).keys()];
    };
    const dev = await run({});
    expect(dev.length).toBeGreaterThan(0);
    expect(dev.every((path) => !path.includes('/'))).toBe(true);
    const prod = await run({ PLATFORM_ENV: 'prod' });
    expect(prod.length).toBe(dev.length);
    expect(prod.every((path) => path.startsWith('prod/'))).toBe(true);
  });

  it.each([
    ['--tag latest', ['--tag', 'latest'], "uses the tag 'latest'"],
    ['--registry with a trailing slash', ['--registry', 'ghcr.io/acme/'], 'without a trailing slash'],
    ['IMAGE_TAG=latest', ['IMAGE_TAG=latest'], "uses the tag 'latest'"],
    ['an unknown environment', ['--env', 'stage'], "Unknown environment 'stage'"],
  ])('leaves the manifests already written untouched when refusing %s', async (_name, args, message) => {
    const outdir = mkdtempSync(join(tmpdir(), 'billing-dist-'));
    cpSync(join(ROOT, 'dist'), outdir, { recursive: true });
    const before = readTree(outdir);
    const failed = await synthInto(outdir, ...args);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).toContain(message);
    expect(readTree(outdir)).toEqual(before);
    // No staging folder is left next to the output folder.
    expect(readdirSync(dirname(outdir)).filter((entry) => entry.startsWith(`.${basename(outdir)}-`))).toEqual([]);
  });

  it('prints its usage for --help and writes nothing', async () => {
    const help = await synth('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run synth/);
    expect(help.stdout).toContain('--tag <tag>');
    expect(help.stderr).toBe('');
    expect(readTree(help.outdir).size).toBe(0);
  });

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
});
