import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../verify/testing/platform.yaml', import.meta.url));
const PLUGIN = join(ROOT, 'verify/cdk8s-plugin.mjs');
const CLI = join(dirname(createRequire(import.meta.url).resolve('cdk8s-cli/package.json')), 'bin', 'cdk8s');
const work = mkdtempSync(join(tmpdir(), 'verify-cdk8s-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A cdk8s project whose app is a real cdk8s App that includes the given manifest, validated by our plugin. */
function project(manifest: string): string {
  const dir = mkdtempSync(join(work, 'project-'));
  writeFileSync(join(dir, 'platform.yaml'), manifest);
  writeFileSync(
    join(dir, 'app.cjs'),
    `const { App, Chart, Include } = require(${JSON.stringify(createRequire(import.meta.url).resolve('cdk8s'))});
const app = new App();
new Include(new Chart(app, 'platform'), 'platform', { url: ${JSON.stringify(join(dir, 'platform.yaml'))} });
app.synth();
`,
  );
  const config = parse(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8')) as { validations: { package: string }[] };
  const validations = config.validations.map((validation) => ({
    ...validation,
    package: join(ROOT, validation.package),
  }));
  writeFileSync(
    join(dir, 'cdk8s.yaml'),
    JSON.stringify({ language: 'typescript', app: `node ${join(dir, 'app.cjs')}`, validations }),
  );
  return dir;
}

async function synth(dir: string, caches: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...caches };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'synth'], {
      cwd: dir,
      env,
      timeout: 120_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  }
}

describe('the cdk8s validation plugin', () => {
  it('is what cdk8s.yaml declares', () => {
    const config = parse(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8')) as { validations: unknown };
    expect(config.validations).toEqual([
      { package: './verify/cdk8s-plugin.mjs', version: '0.1.0', class: 'ManifestVerification' },
    ]);
    expect(PLUGIN).toBe(join(ROOT, './verify/cdk8s-plugin.mjs'));
  });

  it('lets cdk8s synth pass manifests that pass, leaving only the manifests in dist/', async () => {
    const dir = project(readFileSync(FIXTURE, 'utf8'));
    const { code, output } = await synth(dir);
    expect(code, output).toBe(0);
    expect(output).toContain('Validations ended succesfully');
    expect(readdirSync(join(dir, 'dist'))).toEqual(['platform.k8s.yaml']);
  });

  it('keeps its bundle and compiled validators where RUN_TS_CACHE and VERIFY_SCHEMA_CACHE say', async () => {
    const caches = { RUN_TS_CACHE: join(work, 'run-ts-cache'), VERIFY_SCHEMA_CACHE: join(work, 'schema-cache') };
    const { code, output } = await synth(project(readFileSync(FIXTURE, 'utf8')), caches);
    expect(code, output).toBe(0);
    expect(readdirSync(caches.RUN_TS_CACHE)).toEqual([expect.stringMatching(/^cdk8s-validation\.ts-[0-9a-f]+\.cjs$/)]);
    const [validators] = readdirSync(caches.VERIFY_SCHEMA_CACHE);
    expect(readdirSync(join(caches.VERIFY_SCHEMA_CACHE, validators!)).sort()).toEqual(['kinds.json', 'validators.cjs']);
  });

  it('makes cdk8s synth fail on a violation, naming the check and the object, and leaves nothing extra', async () => {
    const dir = project(
      readFileSync(FIXTURE, 'utf8').replace('registry.example.com/billing/invoice-app:1.0.0', 'invoice-app:latest'),
    );
    const { code, output } = await synth(dir);
    expect(code).toBe(2);
    expect(output).toContain('image-tag');
    expect(output).toContain(
      'Deployment invoices/invoice-app spec.template.spec.containers[0].image: "invoice-app:latest" must name an explicit tag',
    );
    expect(output).toContain('Validation failed.');
    expect(readdirSync(join(dir, 'dist'))).toEqual(['platform.k8s.yaml']);
  });
});
