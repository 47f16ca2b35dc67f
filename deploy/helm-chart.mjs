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
//
// The chart is written aside and moved into place only when complete: a failed run leaves the
// output folder as it was.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';

/** The chart's name, whatever folder the repository was cloned into (the CLI would use that). */
const CHART_NAME = 'billing-platform';

/** Stops with one line, as every command here does for a mistake. */
function fail(message) {
  process.stderr.write(`synth:helm: ${message}\n`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      env: { type: 'string', default: 'dev' },
      output: { type: 'string' },
      'chart-version': { type: 'string' },
      registry: { type: 'string' },
      tag: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  fail(`${err.message}. npm run synth:helm -- --help lists the options.`);
}
if (values.help) {
  // The comment block at the top of this file is the usage.
  const header = readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n')
    .slice(1);
  const usage = header.slice(
    0,
    header.findIndex((line) => !line.startsWith('//')),
  );
  process.stdout.write(`${usage.map((line) => line.replace(/^\/\/ ?/, '')).join('\n')}\n`);
  process.exit(0);
}
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const chartVersion = values['chart-version'] ?? version;
const output = values.output ?? join('dist-helm', values.env);
mkdirSync(dirname(output), { recursive: true });
const staging = mkdtempSync(join(dirname(output), '.synth-helm-'));

// The synth program is main.ts, as for `npm run synth`, limited to one environment: the CLI
// points it at <output>/templates through CDK8S_OUTDIR.
const synth = [process.execPath, '--import', 'tsx', 'main.ts', '--env', values.env];
if (values.registry) synth.push('--registry', values.registry);
if (values.tag) synth.push('--tag', values.tag);

// The CLI's package exports only its package.json; its bin lies beside it.
const cli = join(dirname(createRequire(import.meta.url).resolve('cdk8s-cli/package.json')), 'bin', 'cdk8s');
const args = ['synth', '--format', 'helm', '--chart-version', chartVersion, '--output', staging];
const cdk8s = spawnSync(process.execPath, [cli, ...args, '--app', synth.map(shellQuote).join(' ')], {
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
  env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
});
if (cdk8s.status !== 0) {
  rmSync(staging, { recursive: true, force: true });
  // What the synth program and the validations said, without the CLI's stack trace around it.
  const said = `${cdk8s.stdout}\n${cdk8s.stderr}`
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^(Synthesizing application|Error: command |\s+at )/.test(line));
  process.stderr.write(said.map((line) => `${line}\n`).join(''));
  fail(`no chart written; ${output} is as it was.`);
}

const chartFile = join(staging, 'Chart.yaml');
const chart = parse(readFileSync(chartFile, 'utf8'));
chart.name = CHART_NAME;
chart.description = `The billing platform (${values.env}): invoice-app, payment-provider and their databases, synthesized by cdk8s.`;
chart.appVersion = values.tag ?? version;
writeFileSync(chartFile, stringify(chart));

// The CLI copies the CRDs that cdk8s.yaml imports into crds/, for Helm to install. They belong to
// the operators prod runs on (CloudNativePG, cert-manager, ...), which install and upgrade them;
// a chart that shipped its own copies would fight them over ownership.
rmSync(join(staging, 'crds'), { recursive: true, force: true });

// Helm renders every template as a Go template; text that only looks like one (a dashboard's
// "{{ $labels }}", say) must reach the cluster as it is.
const templates = join(staging, 'templates');
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
rmSync(output, { recursive: true, force: true });
renameSync(staging, output);
process.stdout.write(`Helm chart ${CHART_NAME} ${chartVersion} (${values.env}) written to ${output}\n`);

/** `{{` and `}}` as Helm literals: `{{ "{{" }}` renders `{{`. */
export function escapeTemplateDelimiters(text) {
  return text.replace(/\{\{|\}\}/g, (delimiter) => `{{ "${delimiter}" }}`);
}

function shellQuote(word) {
  return /^[\w./:@=-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
