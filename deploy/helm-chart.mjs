#!/usr/bin/env node
// Writes the manifests of one environment as a Helm chart, with the cdk8s CLI's own Helm
// output (`cdk8s synth --format helm`): Chart.yaml plus the very files `npm run synth` writes,
// as templates. `npm run synth:helm` runs it.
//
//   npm run synth:helm                                   dev, into dist-helm/dev
//   npm run synth:helm -- --env prod --tag 1f2e3d4       prod, into dist-helm/prod
//   npm run synth:helm -- --output /tmp/chart --chart-version 1.2.3 --registry ghcr.io/acme
//
// Then: helm upgrade --install billing dist-helm/dev --namespace default
// (the release record goes there; the chart creates its namespaces itself, so do not let Helm
// create one of them with --create-namespace).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';

/** The chart's name, whatever folder the repository was cloned into (the CLI would use that). */
const CHART_NAME = 'billing-platform';

const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'dev' },
    output: { type: 'string' },
    'chart-version': { type: 'string' },
    registry: { type: 'string' },
    tag: { type: 'string' },
  },
});
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const chartVersion = values['chart-version'] ?? version;
const output = values.output ?? join('dist-helm', values.env);

// The synth program is main.ts, as for `npm run synth`, limited to one environment: the CLI
// points it at <output>/templates through CDK8S_OUTDIR.
const synth = [process.execPath, '--import', 'tsx', 'main.ts', '--env', values.env];
if (values.registry) synth.push('--registry', values.registry);
if (values.tag) synth.push('--tag', values.tag);

// The CLI's package exports only its package.json; its bin lies beside it.
const cli = join(dirname(createRequire(import.meta.url).resolve('cdk8s-cli/package.json')), 'bin', 'cdk8s');
const args = ['synth', '--format', 'helm', '--chart-version', chartVersion, '--output', output];
execFileSync(process.execPath, [cli, ...args, '--app', synth.map(shellQuote).join(' ')], {
  // The CLI's progress and validation reports go to stderr: a failure shows why.
  stdio: ['ignore', 2, 'inherit'],
  env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
});

const chartFile = join(output, 'Chart.yaml');
const chart = parse(readFileSync(chartFile, 'utf8'));
chart.name = CHART_NAME;
chart.description = `The billing platform (${values.env}): invoice-app, payment-provider and their databases, synthesized by cdk8s.`;
chart.appVersion = values.tag ?? version;
writeFileSync(chartFile, stringify(chart));

// Helm renders every template as a Go template; text that only looks like one (a dashboard's
// "{{ $labels }}", say) must reach the cluster as it is.
const templates = join(output, 'templates');
// main.ts writes an environment other than dev into a subfolder of its outdir (dist/prod/);
// the chart holds one environment, so its files move up into templates/.
for (const entry of readdirSync(templates, { withFileTypes: true }).filter((e) => e.isDirectory())) {
  for (const file of readdirSync(join(templates, entry.name))) {
    if (existsSync(join(templates, file)))
      throw new Error(`templates/${entry.name}/${file} collides with templates/${file}`);
    renameSync(join(templates, entry.name, file), join(templates, file));
  }
  rmSync(join(templates, entry.name), { recursive: true });
}
for (const file of readdirSync(templates)) {
  const text = readFileSync(join(templates, file), 'utf8');
  const escaped = escapeTemplateDelimiters(text);
  if (escaped !== text) writeFileSync(join(templates, file), escaped);
}
process.stdout.write(`Helm chart ${CHART_NAME} ${chartVersion} (${values.env}) written to ${output}\n`);

/** `{{` and `}}` as Helm literals: `{{ "{{" }}` renders `{{`. */
export function escapeTemplateDelimiters(text) {
  return text.replace(/\{\{|\}\}/g, (delimiter) => `{{ "${delimiter}" }}`);
}

function shellQuote(word) {
  return /^[\w./:@=-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
