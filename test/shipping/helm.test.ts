import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './support.js';

// `npm run synth:helm` must give Helm exactly what `npm run synth` gives kubectl. No helm
// binary runs here, so the chart is checked against Helm's rules for Chart.yaml and for what
// its template engine would change.

const run = promisify(execFile);
const root = await mkdtemp(join(tmpdir(), 'billing-helm-'));
const version = (JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** What Helm renders from a template that holds no actions but our escaped delimiters. */
function helmRender(template: string): string {
  if (/\{\{(?! "(\{\{|\}\})" \}\})/.test(template.replace(/\{\{ "(\{\{|\}\})" \}\}/g, ''))) {
    throw new Error('the template holds a Helm action that is not an escaped delimiter');
  }
  return template.replace(/\{\{ "(\{\{|\}\})" \}\}/g, '$1');
}

describe.each(['dev', 'prod'])('the Helm chart of the %s environment', (environment) => {
  const chart = join(root, `${environment}-chart`);
  let plain = '';

  beforeAll(async () => {
    await run('npm', ['run', '--silent', 'synth:helm', '--', '--env', environment, '--output', chart], {
      cwd: repoRoot,
    });
    const { stdout } = await run(
      'npm',
      ['run', '--silent', 'synth', '--', '--env', environment, '--outdir', join(root, `${environment}-plain`)],
      {
        cwd: repoRoot,
      },
    );
    // main.ts says where it wrote the environment (dev into the outdir itself, others below it).
    plain = /manifests written to (.+)$/m.exec(stdout)?.[1]?.trim() ?? '';
  }, 120_000);

  it('has a valid Chart.yaml (apiVersion v2, a DNS-label name, SemVer versions)', async () => {
    const meta = parse(await readFile(join(chart, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
    expect(meta.apiVersion).toBe('v2');
    expect(meta.name).toBe('billing-platform');
    expect(meta.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(meta.version).toBe(version);
    expect(meta.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/);
    expect(meta.type).toBe('application');
    expect(meta.appVersion).toBe(version);
    expect(String(meta.description)).toContain(environment);
  });

  it('holds only the chart files, and no template subfolder Helm would render as well', async () => {
    expect((await readdir(chart)).sort()).toEqual(['Chart.yaml', 'README.md', 'templates']);
    const templates = await readdir(join(chart, 'templates'), { withFileTypes: true });
    expect(templates.filter((entry) => !entry.isFile())).toEqual([]);
  });

  it('renders to exactly the manifests npm run synth writes', async () => {
    const expected = (await readdir(plain)).filter((file) => file.endsWith('.yaml')).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect((await readdir(join(chart, 'templates'))).sort()).toEqual(expected);
    for (const file of expected) {
      const template = await readFile(join(chart, 'templates', file), 'utf8');
      expect(helmRender(template), file).toBe(await readFile(join(plain, file), 'utf8'));
    }
  });
});

describe('npm run synth:helm options', () => {
  it('puts the registry and tag it is given into the images and the appVersion', async () => {
    const chart = join(root, 'tagged');
    await run(
      'npm',
      [
        'run',
        '--silent',
        'synth:helm',
        '--',
        '--output',
        chart,
        '--registry',
        'ghcr.io/acme/billing',
        '--tag',
        'abc1234',
      ],
      { cwd: repoRoot },
    );
    const meta = parse(await readFile(join(chart, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
    expect(meta.appVersion).toBe('abc1234');
    const templates = await Promise.all(
      (await readdir(join(chart, 'templates'))).map((file) => readFile(join(chart, 'templates', file), 'utf8')),
    );
    const all = templates.join('\n');
    expect(all).toContain('image: ghcr.io/acme/billing/invoice-app:abc1234');
    expect(all).toContain('image: ghcr.io/acme/billing/payment-provider:abc1234');
  }, 120_000);

  it('refuses a chart version that is not SemVer, naming the problem', async () => {
    const failed = run(
      'npm',
      ['run', '--silent', 'synth:helm', '--', '--output', join(root, 'bad'), '--chart-version', 'v1'],
      {
        cwd: repoRoot,
      },
    );
    await expect(failed).rejects.toThrow(/does not follow SemVer/);
  }, 60_000);

  it('explains itself with --help', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'synth:helm', '--', '--help'], { cwd: repoRoot });
    expect(stdout).toMatch(/^Writes the manifests of one environment as a Helm chart/);
    expect(stdout).toMatch(/--chart-version/);
    expect(stdout).not.toMatch(/^\/\//m);
  });

  it('refuses an unknown environment in a line, without a stack trace, and leaves the output folder as it was', async () => {
    const chart = join(root, 'kept');
    await mkdir(chart);
    await writeFile(join(chart, 'Chart.yaml'), 'name: earlier\n');
    const failed = await run('npm', ['run', '--silent', 'synth:helm', '--', '--env', 'nope', '--output', chart], {
      cwd: repoRoot,
    }).then(
      () => ({ stderr: 'it succeeded' }),
      (err: { stderr: string }) => err,
    );
    expect(failed.stderr).toMatch(/Unknown environment 'nope'. Choose one of: dev, prod./);
    expect(failed.stderr).toMatch(/synth:helm: no chart written; .* is as it was\./);
    expect(failed.stderr).not.toMatch(/^\s+at /m);
    expect(await readdir(chart)).toEqual(['Chart.yaml']);
    expect(await readFile(join(chart, 'Chart.yaml'), 'utf8')).toBe('name: earlier\n');
    expect((await readdir(root)).filter((entry) => entry.startsWith('.synth-helm-'))).toEqual([]);
  }, 120_000);
});
