import type { ApiResult, LoadRun } from './api.js';
import type { BillingRun, ThroughputResult } from './billing.js';
import type { FollowedRun } from './followed-run.js';
import { renderChart } from './chart.js';
import type { MemoryResult, ServiceMemory } from './memory.js';
import { DEFAULT_LARGEST_INVOICES, SCALING_REFERENCE_INVOICES, type ScalingResult } from './scaling.js';
import { FIRST_RUN, type SynthResult, type SynthTiming } from './synth.js';

/** The targets of the issue. They are what we hold ourselves to: never lowered to fit a result. */
export const TARGETS = {
  /** `npm run synth` at least this many times faster than the cdk8s default. */
  npmRunSynthSpeedup: 8,
  /** `npx cdk8s synth` at least this many times faster than the cdk8s default. */
  cliSynthSpeedup: 3,
  /** Invoices billed per second by one invoice-app. */
  billingRate: 1_500,
  /** One invoice-app against the sequential baseline. */
  billingSpeedup: 30,
  /** One invoice-app on a platform just started, with no warm-up, against the sequential baseline. */
  coldBillingSpeedup: 90,
  /** Three replicas' rate against one replica's: no slower. */
  replicaRatio: 1,
  /** Sharing the work: each of the three replicas charges at least this share of an even split. */
  replicaFairShare: 0.5,
  /** By-id requests per second against the bare Fastify handler's. */
  apiShareOfBare: 0.5,
  /** By-id p99 latency, ms. */
  apiP99Ms: 10,
  /** Resident memory of each service, MiB (the highest of after billing and after listing). */
  memoryMiB: 150,
  /** Requests set from the peak: between the peak and this many times it. */
  requestOfPeak: { min: 1, max: 1.5 },
  /** Limits set from the peak: between these many times it. */
  limitOfPeak: { min: 1.5, max: 3 },
  /** Linear scaling: the largest run's time per invoice at most this times the 10,000 run's. */
  scalingPerInvoiceRatio: 1.25,
  /**
   * Progress throughout a followed run: the longest wait between two events of its stream, s.
   * The run records its counts every 500 ms and the stream reads them every 500 ms, so an event
   * is due about once a second at worst; 2 s allows one late read on a busy machine, and is
   * still less than an operator watching a bar takes for a stall.
   */
  progressGapSeconds: 2,
} as const;

/** The machine the run was on: the context of every absolute figure. */
export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  /** 1-minute load average at the start and at the end of the run. */
  readonly loadAtStart: number;
  readonly loadAtEnd: number;
}

/** Memory requests and limits of a service's container, as dist/ has them now. */
export interface ManifestResources {
  readonly requestMiB: number;
  readonly limitMiB: number;
}

/** The invoice-app and payment-provider containers' memory in one environment's folder. */
export interface EnvironmentResources {
  /** Where the manifests are, e.g. `dist/` or `dist/prod/`. */
  readonly folder: string;
  readonly invoiceApp: ManifestResources;
  readonly paymentProvider: ManifestResources;
}

/** Everything one `npm run bench` measured; a benchmark that did not run is absent. */
export interface BenchResults {
  readonly generatedAt: string;
  readonly machine: Machine;
  readonly durationMinutes: number;
  readonly synth?: SynthResult;
  readonly throughput?: ThroughputResult;
  readonly api?: ApiResult;
  readonly memory?: MemoryResult;
  readonly scaling?: ScalingResult;
  /** The containers' memory in every environment's manifests, dev's (`dist/`) first. */
  readonly manifests?: readonly EnvironmentResources[];
}

export type Verdict = 'met' | 'missed' | 'not run';

/** One line of the summary table. */
export interface Row {
  readonly figure: string;
  readonly measured: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly verdict: Verdict;
  /** Measured against target, 1 = exactly on target, above 1 = better than the target: the chart's bar. */
  readonly score?: number;
}

/** The file names the report and its chart are written as, in docs/. */
export const REPORT_FILE = 'benchmarks.md';
export const CHART_FILE = 'benchmarks.svg';

/** The Markdown report and the SVG chart it references. */
export function renderReport(results: BenchResults): { markdown: string; svg: string } {
  const rows = summaryRows(results);
  const sections = [
    header(results),
    summaryTable(rows),
    synthSection(results.synth),
    throughputSection(results.throughput, results.machine.cpus),
    apiSection(results.api),
    memorySection(results),
    scalingSection(results.scaling),
    followedSection(results.scaling),
    methodSection(),
  ];
  return {
    markdown: `${sections.join('\n\n')}\n`,
    svg: renderChart(
      rows.filter((row) => row.score !== undefined).map((row) => ({ label: row.figure, score: row.score! })),
      (results.scaling?.runs ?? []).map((run) => ({ invoices: run.invoices, seconds: run.wallSeconds })),
    ),
  };
}

/** The summary table's rows: one per target, in the issue's order. */
export function summaryRows(results: BenchResults): Row[] {
  return [
    ...synthRows(results.synth),
    ...throughputRows(results.throughput),
    ...apiRows(results.api),
    ...memoryRows(results),
    ...scalingRows(results.scaling),
    ...followedRows(results.scaling),
  ];
}

const notRun = (figure: string, target: string): Row => ({
  figure,
  measured: '-',
  baseline: '-',
  ratio: '-',
  target,
  verdict: 'not run',
});

const verdict = (met: boolean): Verdict => (met ? 'met' : 'missed');

function synthRows(synth: SynthResult | undefined): Row[] {
  const npmTarget = `>= ${TARGETS.npmRunSynthSpeedup}x faster`;
  const cliTarget = `>= ${TARGETS.cliSynthSpeedup}x faster`;
  if (!synth)
    return [
      notRun('`npm run synth` vs cdk8s default', npmTarget),
      notRun('`npx cdk8s synth` vs cdk8s default', cliTarget),
    ];
  const baseline = timing(synth, 'baseline').median.wallSeconds;
  const row = (figure: string, name: string, target: number, targetText: string): Row => {
    const seconds = timing(synth, name).median.wallSeconds;
    const speedup = baseline / seconds;
    // A first run (empty caches) is shown beside it, not judged: see the Synth section.
    const first = synth.timings.find((t) => t.name === `${name}${FIRST_RUN}`)?.median.wallSeconds;
    return {
      figure,
      measured: `${fixed(seconds, 1)} s${first === undefined ? '' : ` (first run ${fixed(first, 1)} s)`}`,
      baseline: `${fixed(baseline, 1)} s`,
      ratio: `${fixed(speedup, 1)}x faster${first === undefined ? '' : ` (first run ${fixed(baseline / first, 1)}x)`}`,
      target: targetText,
      verdict: verdict(speedup >= target),
      score: speedup / target,
    };
  };
  return [
    row('`npm run synth` vs cdk8s default', 'npm run synth', TARGETS.npmRunSynthSpeedup, npmTarget),
    row('`npx cdk8s synth` vs cdk8s default', 'npx cdk8s synth', TARGETS.cliSynthSpeedup, cliTarget),
  ];
}

function throughputRows(throughput: ThroughputResult | undefined): Row[] {
  const rateTarget = `>= ${number(TARGETS.billingRate)}/s and >= ${TARGETS.billingSpeedup}x`;
  const replicaTarget = `no slower than 1 replica, each replica >= ${percent(TARGETS.replicaFairShare)} of an even share`;
  const coldTarget = `>= ${TARGETS.coldBillingSpeedup}x`;
  if (!throughput) {
    return [
      notRun('Billing 10,000 invoices, 1 replica', rateTarget),
      notRun('Billing 10,000 invoices, 1 replica, cold platform', coldTarget),
      notRun('Billing, 3 replicas vs 1', replicaTarget),
    ];
  }
  const { sequential, oneReplica, threeReplicas, coldOneReplica: cold } = throughput;
  const coldSpeedup = cold.invoicesPerSecond / sequential.invoicesPerSecond;
  const speedup = oneReplica.invoicesPerSecond / sequential.invoicesPerSecond;
  const replicaRatio = threeReplicas.invoicesPerSecond / oneReplica.invoicesPerSecond;
  const share = smallestShare(threeReplicas);
  return [
    {
      figure: `Billing ${number(oneReplica.invoices)} invoices, 1 replica`,
      measured: `${number(oneReplica.invoicesPerSecond)}/s`,
      baseline: `${fixed(sequential.invoicesPerSecond, 1)}/s sequential`,
      ratio: `${fixed(speedup, 1)}x`,
      target: rateTarget,
      verdict: verdict(oneReplica.invoicesPerSecond >= TARGETS.billingRate && speedup >= TARGETS.billingSpeedup),
      score: Math.min(oneReplica.invoicesPerSecond / TARGETS.billingRate, speedup / TARGETS.billingSpeedup),
    },
    {
      figure: `Billing ${number(cold.invoices)} invoices, 1 replica, cold platform`,
      measured: `${number(cold.invoicesPerSecond)}/s`,
      baseline: `${fixed(sequential.invoicesPerSecond, 1)}/s sequential`,
      ratio: `${fixed(coldSpeedup, 1)}x (warm ${fixed(speedup, 1)}x)`,
      target: coldTarget,
      verdict: verdict(coldSpeedup >= TARGETS.coldBillingSpeedup),
      score: coldSpeedup / TARGETS.coldBillingSpeedup,
    },
    {
      figure: `Billing ${number(threeReplicas.invoices)} invoices, 3 replicas vs 1`,
      measured: `${number(threeReplicas.invoicesPerSecond)}/s`,
      baseline: `${number(oneReplica.invoicesPerSecond)}/s (1 replica)`,
      ratio: `${fixed(replicaRatio, 2)}x, smallest share ${percent(share)}`,
      target: replicaTarget,
      verdict: verdict(replicaRatio >= TARGETS.replicaRatio && share >= TARGETS.replicaFairShare),
      score: Math.min(replicaRatio / TARGETS.replicaRatio, share / TARGETS.replicaFairShare),
    },
  ];
}

/** The least work any replica did, against an even split of the run (1 = even). */
export function smallestShare(run: BillingRun): number {
  return (Math.min(...run.attemptedPerReplica) * run.attemptedPerReplica.length) / run.invoices;
}

function apiRows(api: ApiResult | undefined): Row[] {
  const target = `>= ${percent(TARGETS.apiShareOfBare)} of bare, p99 < ${TARGETS.apiP99Ms} ms, no failures`;
  if (!api) return [notRun('`GET /rest/v1/invoices/:id`, 50 connections', target)];
  const byId = api.routes[0]!;
  const share = byId.service.requestsPerSecond / byId.bare.requestsPerSecond;
  return [
    {
      figure: '`GET /rest/v1/invoices/:id`, 50 connections',
      measured: `${number(byId.service.requestsPerSecond)} req/s, p99 ${byId.service.p99Ms} ms`,
      baseline: `${number(byId.bare.requestsPerSecond)} req/s, p99 ${byId.bare.p99Ms} ms`,
      ratio: `${percent(share)} of bare`,
      target,
      verdict: verdict(
        share >= TARGETS.apiShareOfBare && byId.service.p99Ms < TARGETS.apiP99Ms && byId.service.failures === 0,
      ),
      score: Math.min(share / TARGETS.apiShareOfBare, TARGETS.apiP99Ms / Math.max(byId.service.p99Ms, 1)),
    },
  ];
}

/** The highest resident memory a service had at the moments measured (peak included). */
export function peakMiB(memory: ServiceMemory): number {
  return Math.max(memory.afterBilling.peakRssMiB, memory.afterListing.peakRssMiB);
}

/**
 * Requests and limits from a measured peak: the request reserves the peak plus a quarter
 * (garbage collection timing moves it), the limit allows twice the peak before the kernel
 * kills the container. Both in whole 16 MiB steps.
 */
export function resourcesFromPeak(peak: number): ManifestResources {
  const step = (mib: number) => Math.ceil(mib / 16) * 16;
  return { requestMiB: step(peak * 1.25), limitMiB: step(peak * 2) };
}

/**
 * A manifest is set from the figures when its request covers the peak without reserving much
 * more, and its limit leaves room above the peak without being far off it (TARGETS).
 */
export function manifestFits(manifest: ManifestResources, peak: number): boolean {
  const within = (mib: number, range: { min: number; max: number }) =>
    mib >= peak * range.min && mib <= peak * range.max;
  return within(manifest.requestMiB, TARGETS.requestOfPeak) && within(manifest.limitMiB, TARGETS.limitOfPeak);
}

/** The two services, by their names and their keys in MemoryResult and EnvironmentResources. */
const SERVICES = [
  ['invoice-app', 'invoiceApp'],
  ['payment-provider', 'paymentProvider'],
] as const;

/** A container whose memory is not set from its service's measured peak. */
interface Misfit {
  readonly folder: string;
  readonly name: string;
  readonly manifest: ManifestResources;
  readonly peak: number;
}

/** Every container, in every environment, whose memory does not fit its service's peak. */
function misfits(memory: MemoryResult, manifests: readonly EnvironmentResources[]): Misfit[] {
  return manifests.flatMap(({ folder, ...resources }) =>
    SERVICES.map(([name, key]) => ({ folder, name, manifest: resources[key], peak: peakMiB(memory[key]) })).filter(
      (container) => !manifestFits(container.manifest, container.peak),
    ),
  );
}

function memoryRows(results: BenchResults): Row[] {
  const target = `< ${TARGETS.memoryMiB} MiB each`;
  const { memory, api, manifests } = results;
  const rows: Row[] = [];
  if (!memory) {
    rows.push(notRun('Memory, invoice-app', target), notRun('Memory, payment-provider', target));
  } else {
    const bare = api?.bareMemory.rssMiB;
    for (const [name, key] of SERVICES) {
      const peak = peakMiB(memory[key]);
      rows.push({
        figure: `Memory, ${name} (peak RSS, ${number(memory.invoices)} billed and listed)`,
        measured: `${fixed(peak, 0)} MiB`,
        baseline: bare === undefined ? '-' : `${fixed(bare, 0)} MiB bare Fastify`,
        ratio: bare === undefined ? '-' : `${fixed(peak / bare, 1)}x bare`,
        target,
        verdict: verdict(peak < TARGETS.memoryMiB),
        score: TARGETS.memoryMiB / peak,
      });
    }
  }
  const range = (r: { min: number; max: number }) => `${r.min}x-${r.max}x peak`;
  const requestsTarget = `request ${range(TARGETS.requestOfPeak)}, limit ${range(TARGETS.limitOfPeak)}`;
  if (!memory || !manifests) {
    rows.push(notRun('Manifest memory requests/limits (invoice-app, payment-provider)', requestsTarget));
  } else {
    const show = (m: ManifestResources) => `${m.requestMiB}/${m.limitMiB} Mi`;
    rows.push({
      figure: 'Manifest memory requests/limits (invoice-app, payment-provider)',
      measured: manifests.map((e) => `${e.folder}: ${show(e.invoiceApp)}, ${show(e.paymentProvider)}`).join('; '),
      baseline: '-',
      ratio: '-',
      target: requestsTarget,
      verdict: verdict(misfits(memory, manifests).length === 0),
    });
  }
  return rows;
}

/** Seconds per extra invoice between consecutive sizes. */
export function marginalSeconds(runs: readonly BillingRun[]): number[] {
  return runs.slice(1).map((run, index) => {
    const previous = runs[index]!;
    return (run.wallSeconds - previous.wallSeconds) / (run.invoices - previous.invoices);
  });
}

/** Seconds per invoice of a run. */
const perInvoice = (run: BillingRun) => run.wallSeconds / run.invoices;

/** The scaling benchmark's largest run and the 10,000 run it is held against, when both ran. */
function largestAndReference(
  scaling: ScalingResult | undefined,
): { largest: BillingRun; reference: BillingRun } | undefined {
  const reference = scaling?.runs.find((run) => run.invoices === SCALING_REFERENCE_INVOICES);
  const largest = scaling?.runs.at(-1);
  return reference && largest && largest !== reference ? { largest, reference } : undefined;
}

function scalingRows(scaling: ScalingResult | undefined): Row[] {
  const target = `linear: time per invoice <= ${TARGETS.scalingPerInvoiceRatio}x the ${number(SCALING_REFERENCE_INVOICES)} run's`;
  const runs = largestAndReference(scaling);
  if (!runs) return [notRun('Scaling to the largest run', target)];
  const { largest, reference } = runs;
  const ratio = perInvoice(largest) / perInvoice(reference);
  return [
    {
      figure: `Scaling to ${number(largest.invoices)} invoices`,
      measured: `${fixed(perInvoice(largest) * 1000, 3)} ms/invoice`,
      baseline: `${fixed(perInvoice(reference) * 1000, 3)} ms/invoice (${number(reference.invoices)})`,
      ratio: `${fixed(ratio, 2)}x`,
      target,
      verdict: verdict(ratio <= TARGETS.scalingPerInvoiceRatio),
      score: TARGETS.scalingPerInvoiceRatio / ratio,
    },
  ];
}

/** The largest run as its event stream showed it, when it was followed. */
function followedRun(scaling: ScalingResult | undefined): { run: BillingRun; followed: FollowedRun } | undefined {
  const run = scaling?.runs.at(-1);
  return run?.followed ? { run, followed: run.followed } : undefined;
}

/** Whether the events came throughout, in order, and ended as the ledger did. */
function progressMet(run: BillingRun, followed: FollowedRun): boolean {
  return (
    followed.longestGapSeconds <= TARGETS.progressGapSeconds && followed.monotonic && endMatchesLedger(run, followed)
  );
}

function endMatchesLedger(run: BillingRun, followed: FollowedRun): boolean {
  const { end } = followed;
  return (
    end.status === 'completed' &&
    end.attempted === run.invoices &&
    end.paid === run.invoices &&
    end.paid === followed.ledgerPaid
  );
}

function followedRows(scaling: ScalingResult | undefined): Row[] {
  const memoryTarget = `< ${TARGETS.memoryMiB} MiB`;
  const progressTarget = `longest gap <= ${TARGETS.progressGapSeconds} s, counts only grow, end = ledger`;
  const found = followedRun(scaling);
  if (!found) {
    return [
      notRun('Memory, invoice-app while the largest run is followed', memoryTarget),
      notRun('Progress events through the largest run', progressTarget),
    ];
  }
  const { run, followed } = found;
  return [
    {
      figure: `Memory, invoice-app while the ${number(run.invoices)}-invoice run is followed (peak RSS)`,
      measured: `${fixed(followed.peakRssMiB, 0)} MiB`,
      baseline: '-',
      ratio: '-',
      target: memoryTarget,
      verdict: verdict(followed.peakRssMiB < TARGETS.memoryMiB),
      score: TARGETS.memoryMiB / followed.peakRssMiB,
    },
    {
      figure: `Progress events through the ${number(run.invoices)}-invoice run`,
      measured: `${number(followed.progressEvents)} events, longest gap ${fixed(followed.longestGapSeconds, 1)} s`,
      baseline: '-',
      ratio: `${followed.monotonic ? 'counts only grow' : '**counts went back**'}; end ${
        endMatchesLedger(run, followed) ? '= ledger' : '**differs from ledger**'
      }`,
      target: progressTarget,
      verdict: verdict(progressMet(run, followed)),
      // Counts that went back or an end that is not the ledger's miss whatever the gaps were.
      score: Math.min(
        TARGETS.progressGapSeconds / Math.max(followed.longestGapSeconds, 0.1),
        progressMet(run, followed) ? Infinity : 0.5,
      ),
    },
  ];
}

function header(results: BenchResults): string {
  const { machine } = results;
  return `# Benchmarks

Generated by \`npm run bench\` (do not edit by hand) on ${results.generatedAt}, in ${fixed(results.durationMinutes, 1)} minutes.
Machine: ${machine.cpus} x ${machine.cpuModel}, ${fixed(machine.memoryGiB, 0)} GiB, Node ${machine.node}; 1-minute load
average ${fixed(machine.loadAtStart, 1)} at the start and ${fixed(machine.loadAtEnd, 1)} at the end${
    machine.loadAtStart > machine.cpus
      ? ' (a shared, busy machine: absolute figures are low, ratios are what compare)'
      : ''
  }.

Every figure is measured against a baseline run in the same \`npm run bench\`, on the same machine, so that a noisy
machine moves both alike. Absolute values are for information. A missed target is reported with what the run measured
about why; targets are never lowered to fit a result.

![Each figure against its target, and billing time against invoices](${CHART_FILE})`;
}

function summaryTable(rows: readonly Row[]): string {
  const lines = rows.map(
    (row) =>
      `| ${row.figure} | ${row.measured} | ${row.baseline} | ${row.ratio} | ${row.target} | ${
        row.verdict === 'met' ? 'met' : row.verdict === 'missed' ? '**missed**' : 'not run'
      } |`,
  );
  return [
    '## Summary',
    '',
    '| Figure | Measured | Baseline (same run) | Ratio | Target | Verdict |',
    '| --- | --- | --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}

function synthSection(synth: SynthResult | undefined): string {
  if (!synth) return '## Synth\n\nNot run.';
  const baseline = timing(synth, 'baseline');
  const ours = timing(synth, 'npm run synth');
  const cli = timing(synth, 'npx cdk8s synth');
  const noValidate = timing(synth, 'npx cdk8s synth --no-validate');
  const appAlone = timing(synth, 'node run-ts.mjs main.ts');
  const validation = cli.median.wallSeconds - noValidate.median.wallSeconds;
  const cliOverhead = noValidate.median.wallSeconds - ours.median.wallSeconds;
  const rows = synth.timings.map(
    (t) =>
      `| ${t.name} | \`${t.command}\` | ${fixed(t.median.wallSeconds, 1)} s | ${fixed(t.median.cpuSeconds, 1)} s | ${fixed(
        baseline.median.wallSeconds / t.median.wallSeconds,
        1,
      )}x | ${fixed(baseline.median.cpuSeconds / t.median.cpuSeconds, 1)}x |`,
  );
  const cliSpeedup = baseline.median.wallSeconds / cli.median.wallSeconds;
  const lines = [
    '## Synth',
    '',
    `The same charts (\`main.ts\`, the dev environment, which \`npx cdk8s synth\` writes) synthesized ${synth.rounds} times each, interleaved, after one warm-up of`,
    '`npm run synth` and of `npx cdk8s synth`; medians. Every way must write byte-identical manifests, or the benchmark fails.',
    '',
    '| Case | Command | Wall (median) | CPU (median) | Faster than baseline (wall) | (CPU) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'The baseline is the cdk8s default, `app: npx ts-node main.ts` through the CLI, with ts-node 10.9.2 type-checking as it',
    "does by default and reading our tsconfig.json unchanged. An ES module project needs ts-node's ESM loader, and ts-node's",
    'own `--esm` mode fails on Node 20 with ERR_UNKNOWN_FILE_EXTENSION (TypeStrong/ts-node#1997), so npm passes the loader to',
    'the ts-node process: `--app "npx --node-options=\'--loader ts-node/esm\' ts-node main.ts"`, given to the CLI on the',
    'command line. cdk8s.yaml is otherwise ours, so its `validations:` plugin runs for the baseline too (the comparison is',
    'of the app command alone).',
    '',
    `Of \`npx cdk8s synth\`'s ${fixed(cli.median.wallSeconds, 1)} s, the validation plugin (\`verify/cdk8s-plugin.mjs\`) takes`,
    `${fixed(validation, 1)} s (against \`--no-validate\`) and the CLI itself (\`npx\`, loading cdk8s-cli, starting \`node run-ts.mjs main.ts\`), ${fixed(cliOverhead, 1)} s`,
    `more than \`npm run synth\`: time that both sides pay.`,
    ...firstRunLines(synth, baseline),
  ];
  if (cliSpeedup < TARGETS.cliSynthSpeedup) {
    lines.push(
      '',
      `**Missed (\`npx cdk8s synth\`):** ${fixed(cliSpeedup, 1)}x against ${TARGETS.cliSynthSpeedup}x. Our app is`,
      `${fixed(baseline.median.wallSeconds / ours.median.wallSeconds, 1)}x faster than the baseline's (\`npm run synth\` row),`,
      `but through the CLI both sides also pay the CLI's own start and the validation plugin: ${fixed(cliOverhead + validation, 1)} s`,
      `of the ${fixed(cli.median.wallSeconds, 1)} s that \`npx cdk8s synth\` takes. For ${TARGETS.cliSynthSpeedup}x the baseline`,
      `would have to take ${fixed(TARGETS.cliSynthSpeedup * cli.median.wallSeconds, 1)} s; it takes ${fixed(baseline.median.wallSeconds, 1)} s.`,
    );
  }
  if (baseline.median.wallSeconds / ours.median.wallSeconds < TARGETS.npmRunSynthSpeedup) {
    lines.push(
      '',
      `**Missed (\`npm run synth\`):** ${fixed(baseline.median.wallSeconds / ours.median.wallSeconds, 1)}x against`,
      `${TARGETS.npmRunSynthSpeedup}x by the wall clock (${fixed(baseline.median.cpuSeconds / ours.median.cpuSeconds, 1)}x by CPU time). \`npm run synth\``,
      `takes ${fixed(ours.median.wallSeconds, 1)} s, of which ${fixed(ours.median.wallSeconds - appAlone.median.wallSeconds, 1)} s is npm's own start (the`,
      '`node run-ts.mjs main.ts` row is the rest): the same program without npm is',
      `${fixed(baseline.median.wallSeconds / appAlone.median.wallSeconds, 1)}x faster than the baseline.`,
    );
  }
  return lines.join('\n');
}

/** What the empty-cache cases say, when they ran: the first run after a clone costs what the caches save. */
function firstRunLines(synth: SynthResult, baseline: SynthTiming): string[] {
  const [ours, cli] = ['npm run synth', 'npx cdk8s synth'].map((name) =>
    synth.timings.find((t) => t.name === `${name}${FIRST_RUN}`),
  );
  if (!ours || !cli) return [];
  const ratio = (t: SynthTiming) => baseline.median.wallSeconds / t.median.wallSeconds;
  const speedup = (t: SynthTiming, target: number) =>
    `${fixed(ratio(t), 1)}x${ratio(t) < target ? `, below the ${target}x target` : ''}`;
  return [
    '',
    `The rows with \`${FIRST_RUN.slice(2)}\` are a first run after a clone or \`npm ci\`, each given empty cache folders`,
    '(`RUN_TS_CACHE`, `VERIFY_SCHEMA_CACHE`): run-ts.mjs bundles with esbuild and the schema check compiles its',
    'validators, then keeps both under node_modules/.cache; a changed source is bundled afresh, so an edit costs only the',
    `bundling. A first \`npm run synth\` takes ${fixed(ours.median.wallSeconds, 1)} s (${speedup(ours, TARGETS.npmRunSynthSpeedup)} faster than the baseline)`,
    `and a first \`npx cdk8s synth\` ${fixed(cli.median.wallSeconds, 1)} s (${speedup(cli, TARGETS.cliSynthSpeedup)}). The summary's verdicts are of`,
    'the runs that find the caches, as every run after the first does.',
  ];
}

function timing(synth: SynthResult, name: string): SynthTiming {
  const found = synth.timings.find((t) => t.name === name);
  if (!found) throw new Error(`No synth timing named ${name}`);
  return found;
}

function cpuTotal(run: BillingRun): number {
  return run.cpu.invoiceApp + run.cpu.paymentProvider + run.cpu.postgres;
}

function cpuLine(run: BillingRun, cpus: number): string {
  const total = cpuTotal(run);
  return (
    `invoice-app ${fixed(run.cpu.invoiceApp, 1)} s, payment-provider ${fixed(run.cpu.paymentProvider, 1)} s, ` +
    `Postgres ${fixed(run.cpu.postgres, 1)} s of CPU in ${fixed(run.wallSeconds, 1)} s: ${fixed(total / run.wallSeconds, 2)} ` +
    `cores busy on average of ${cpus}, ${fixed((total / run.invoices) * 1000, 2)} ms of CPU per invoice`
  );
}

function throughputSection(throughput: ThroughputResult | undefined, cpus: number): string {
  if (!throughput) return '## Billing throughput\n\nNot run.';
  const { sequential, oneReplica, threeReplicas, coldOneReplica: cold } = throughput;
  const latencyBound = 128 / 0.03;
  const cpuPerInvoice = cpuTotal(oneReplica) / oneReplica.invoices;
  const lines = [
    '## Billing throughput',
    '',
    `${number(oneReplica.invoices)} PENDING invoices, the provider adding \`FAULT_LATENCY_MS=20\` per charge (20 ms plus a`,
    'random extra of up to 20 ms: 30 ms on average) and charging every one (`PAYMENT_SUCCESS_RATE=1`), so one run settles',
    'them all. `POST /rest/v1/invoices/pay` is timed from the request to the answer (to the last answer with three',
    'replicas, all asked at the same moment). Each platform first bills 2,000 warm-up invoices per replica, so that every',
    "process is past V8's compiling its hot paths, as a service that has run a while is; then 300 new invoices are charged",
    'by the sequential baseline, on the same database and provider, and then the 10,000 are added and billed. A third',
    'platform, cold, bills 10,000 invoices as its first work: started afresh with them as its seed, no warm-up at all.',
    '',
    '| Run | Invoices | Wall | Invoices/s | Against sequential | Work per replica |',
    '| --- | --- | --- | --- | --- | --- |',
    `| sequential baseline (charge, answer, write, next) | ${number(sequential.invoices)} (subset, 300 per platform) | ${fixed(sequential.wallSeconds, 1)} s | ${fixed(sequential.invoicesPerSecond, 1)} | 1x | - |`,
    ...(
      [
        ['invoice-app, 1 replica', oneReplica],
        ['invoice-app, 3 replicas', threeReplicas],
        ['invoice-app, 1 replica, cold platform', cold],
      ] as const
    ).map(
      ([name, run]) =>
        `| ${name} | ${number(run.invoices)} | ${fixed(run.wallSeconds, 1)} s | ${number(run.invoicesPerSecond)} | ${fixed(run.invoicesPerSecond / sequential.invoicesPerSecond, 1)}x | ${run.attemptedPerReplica.map(number).join(' / ')} |`,
    ),
    '',
    'The sequential baseline runs on a subset (300 invoices per platform, the same provider settings) and is compared by',
    'rate: at one charge at a time its rate does not depend on how many invoices wait. Its charges wait 30 ms on average;',
    `had every charge taken only the 20 ms floor, no one-at-a-time biller could exceed ${number(1000 / 20)}/s, and one replica's`,
    `rate is ${fixed(oneReplica.invoicesPerSecond / (1000 / 20), 1)}x that.`,
    '',
    `CPU during the runs: 1 replica: ${cpuLine(oneReplica, cpus)}; 3 replicas: ${cpuLine(threeReplicas, cpus)}; cold: ${cpuLine(cold, cpus)}.`,
    '',
    "A process's first work pays for what later work finds ready: database connections, sockets to the provider, V8",
    'compiling the hot paths. Both services open their pool of database connections, and invoice-app its sockets to the',
    'provider, while they start, before they report ready (`addWarmUp` in packages/service-kit); what is left is',
    "V8's compiling, which only work can bring about.",
  ];
  const coldSpeedup = cold.invoicesPerSecond / sequential.invoicesPerSecond;
  const warmSpeedup = oneReplica.invoicesPerSecond / sequential.invoicesPerSecond;
  if (coldSpeedup < TARGETS.coldBillingSpeedup) {
    const missed = `**Missed (cold):** ${fixed(coldSpeedup, 1)}x against ${TARGETS.coldBillingSpeedup}x; warm, one replica reaches ${fixed(warmSpeedup, 1)}x.`;
    // Within a few percent of the warm rate, being cold is not what held the run back.
    if (coldSpeedup >= warmSpeedup * 0.95) {
      lines.push(
        '',
        missed,
        'The cold run was about as fast as the warm one, so it misses for the same reason as the warm rate does: the',
        'CPU the three processes need per invoice on this machine (see the CPU line above).',
      );
    } else {
      const perInvoiceMs = (run: BillingRun, part: keyof BillingRun['cpu']) => (run.cpu[part] / run.invoices) * 1000;
      const extra = (part: keyof BillingRun['cpu']) =>
        fixed(perInvoiceMs(cold, part) - perInvoiceMs(oneReplica, part), 2);
      lines.push(
        '',
        missed,
        `The cold run took ${fixed(cold.wallSeconds - perInvoice(oneReplica) * cold.invoices, 1)} s longer and`,
        `${fixed((cpuTotal(cold) / cold.invoices - cpuTotal(oneReplica) / oneReplica.invoices) * 1000, 2)} ms more CPU per invoice than the warm one (invoice-app ${extra('invoiceApp')} ms, payment-provider`,
        `${extra('paymentProvider')} ms, Postgres ${extra('postgres')} ms). With the connections opened at start-up, what a`,
        "first run still pays is the services' code running before V8 has optimized it, and V8 compiling it, on the same two",
        "cores as the work: CPU profiles of cold runs, taken apart from the benchmark, put the extra in undici, Node's HTTP",
        'and net internals and Fastify, not in any one function of ours.',
      );
    }
  }
  if (oneReplica.invoicesPerSecond < TARGETS.billingRate) {
    lines.push(
      '',
      `**Missed (rate):** ${number(oneReplica.invoicesPerSecond)}/s against ${number(TARGETS.billingRate)}/s. Latency is not`,
      `the limit: 128 charges in flight (\`BILLING_CONCURRENCY\`) at 30 ms allow ${number(latencyBound)}/s. CPU is: every`,
      `invoice costs ${fixed(cpuPerInvoice * 1000, 2)} ms of CPU across invoice-app, payment-provider and Postgres, all on this`,
      `machine, so even ${cpus} idle cores would carry at most ${number(cpus / cpuPerInvoice)}/s. On a cluster the provider and the`,
      'databases have machines of their own; here they share two cores with the service and with each other.',
    );
  }
  const replicaRatio = threeReplicas.invoicesPerSecond / oneReplica.invoicesPerSecond;
  if (smallestShare(threeReplicas) < TARGETS.replicaFairShare) {
    lines.push(
      '',
      `**Missed (sharing):** one replica charged only ${percent(smallestShare(threeReplicas))} of an even share`,
      `(${threeReplicas.attemptedPerReplica.map(number).join(' / ')} invoices), so the rate above is not`,
      "of three replicas sharing the work; the replicas' logs say what kept that one from claiming its part.",
    );
  }
  if (replicaRatio < TARGETS.replicaRatio) {
    lines.push(
      '',
      `**Missed (replicas):** three replicas reached ${fixed(replicaRatio, 2)}x the rate of one. They shared the work`,
      `(${threeReplicas.attemptedPerReplica.map(number).join(' / ')} invoices, each charged once), but the CPU per invoice`,
      `rose from ${fixed((cpuTotal(oneReplica) / oneReplica.invoices) * 1000, 2)} ms to ${fixed((cpuTotal(threeReplicas) / threeReplicas.invoices) * 1000, 2)} ms`,
      `(invoice-app ${fixed(oneReplica.cpu.invoiceApp, 1)} s to ${fixed(threeReplicas.cpu.invoiceApp, 1)} s, Postgres ${fixed(oneReplica.cpu.postgres, 1)} s to ${fixed(threeReplicas.cpu.postgres, 1)} s):`,
      'three processes claim, connect and keep metrics where one did, on the same cores. A run that is CPU-bound gains from',
      'replicas only where they bring cores of their own, as pods on other nodes do.',
    );
  }
  return lines.join('\n');
}

function loadRunCells(run: LoadRun): string {
  return `${number(run.requestsPerSecond)} | ${run.p50Ms} ms | ${run.p99Ms} ms | ${run.failures} | ${fixed(run.serverCores, 2)}${
    run.databaseCores > 0 ? ` + ${fixed(run.databaseCores, 2)} Postgres` : ''
  }`;
}

function apiSection(api: ApiResult | undefined): string {
  if (!api) return '## API\n\nNot run.';
  const byId = api.routes[0]!;
  const lines = [
    '## API',
    '',
    '50 keep-alive connections (autocannon, in the benchmark process), 2 s of warm-up then 10 s measured per line, random',
    'ids and pages over 10,000 invoices; each route on the bare handler and right after on invoice-app, both servers',
    'running throughout. The bare handler is Fastify with nothing of ours (`bench/bare-fastify.mjs`: no kit,',
    "no validation, no logging, no database; the services' NODE_OPTIONS and allocator settings), answering the same paths with bodies of the same",
    'shape and size. Its invoice by id is serialized per request, as ours is; its two lists are strings built once at',
    'start, so the list lines compare our database read and serialization of 100 or 10,000 rows against sending a',
    'constant: a floor, no target.',
    '',
    '| Route | Server | Requests/s | p50 | p99 | Failures | Cores used | Share of bare |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...api.routes.flatMap((route) => [
      `| ${route.route} | bare Fastify | ${loadRunCells(route.bare)} | 100% |`,
      `| ${route.route} | invoice-app | ${loadRunCells(route.service)} | ${percent(route.service.requestsPerSecond / route.bare.requestsPerSecond)} |`,
    ]),
    '',
    "Failures are non-2xx answers and connection errors, timeouts (10 s, autocannon's default) included.",
  ];
  const share = byId.service.requestsPerSecond / byId.bare.requestsPerSecond;
  if (byId.service.failures > 0) {
    lines.push(
      '',
      `**Missed (by id, failures):** ${number(byId.service.failures)} requests got no 2xx answer. autocannon times only`,
      'the answers, so the rate and latency above leave these out.',
    );
  }
  if (share < TARGETS.apiShareOfBare || byId.service.p99Ms >= TARGETS.apiP99Ms) {
    const perRequest = (byId.service.serverCores + byId.service.databaseCores) / byId.service.requestsPerSecond;
    const littleMs = (50 / byId.service.requestsPerSecond) * 1000;
    // The bare handler's own tail, relative to its mean, is what the machine and the load generator add.
    const bareTail = byId.bare.p99Ms / ((50 / byId.bare.requestsPerSecond) * 1000);
    lines.push(
      '',
      `**Missed (by id):** ${percent(share)} of the bare handler and p99 ${byId.service.p99Ms} ms. Each request costs`,
      `${fixed(perRequest * 1000, 2)} ms of CPU in invoice-app and Postgres together, against`,
      `${fixed((byId.bare.serverCores / byId.bare.requestsPerSecond) * 1000, 2)} ms in the bare handler, and the load`,
      'generator, the service and Postgres share the same two cores. With 50 connections each waiting for its answer, the',
      `mean latency is 50 / throughput = ${fixed(littleMs, 1)} ms (Little's law). The bare handler, with no database at all,`,
      `answered with p99 ${byId.bare.p99Ms} ms in the same run, ${fixed(bareTail, 1)}x its own mean: with that tail, a p99 under`,
      `${TARGETS.apiP99Ms} ms at 50 connections needs more than ${number((50 * bareTail) / (TARGETS.apiP99Ms / 1000))} requests/s. The tail is the`,
      "scheduler's: three busy processes (four with other work on the machine) take turns on two cores.",
    );
  }
  return lines.join('\n');
}

function memoryCells(memory: ServiceMemory): string {
  const show = (m: { rssMiB: number; peakRssMiB: number }) => `${fixed(m.rssMiB, 0)} (peak ${fixed(m.peakRssMiB, 0)})`;
  return `${show(memory.idle)} | ${show(memory.afterBilling)} | ${show(memory.afterListing)} | ${fixed(memory.heapUsedMiB, 0)}`;
}

function memorySection(results: BenchResults): string {
  const { memory, api, manifests } = results;
  if (!memory) return '## Memory\n\nNot run.';
  const services = SERVICES.map(([name, key]) => [name, memory[key], manifests?.[0]?.[key]] as const);
  const lines = [
    '## Memory',
    '',
    `Resident set size (VmRSS, and VmHWM as the peak since start) of each service process, in MiB: after start, after`,
    `billing ${number(memory.invoices)} invoices (the scaling benchmark's largest run), and after listing all of them`,
    'through `GET /rest/v1/invoices` (streamed). The heap column is V8 heap in use after the listing, from `/metrics`.',
    "Both run with the NODE_OPTIONS (V8 heap flags) and glibc's allocator settings that the manifests give them.",
    api
      ? `Baseline: the bare Fastify process of the API benchmark, ${fixed(api.bareMemory.rssMiB, 0)} MiB after its load (peak ${fixed(api.bareMemory.peakRssMiB, 0)}).`
      : '',
    '',
    '| Service | Idle | After billing | After listing | V8 heap used | Peak | Suggested request / limit | dist/ now |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...services.map(([name, service, manifest]) => {
      const suggested = resourcesFromPeak(peakMiB(service));
      return `| ${name} | ${memoryCells(service)} | ${fixed(peakMiB(service), 0)} | ${suggested.requestMiB}Mi / ${suggested.limitMiB}Mi | ${
        manifest ? `${manifest.requestMiB}Mi / ${manifest.limitMiB}Mi` : '-'
      } |`;
    }),
    '',
    'Suggested sizes: the request reserves the peak plus a quarter, the limit allows twice the peak; in 16 MiB steps',
    '(`resourcesFromPeak` in `bench/report.ts`).',
  ];
  for (const { folder, name, manifest, peak } of misfits(memory, manifests ?? [])) {
    const suggested = resourcesFromPeak(peak);
    lines.push(
      '',
      `**Missed (${folder} ${name}):** ${manifest.requestMiB}Mi / ${manifest.limitMiB}Mi is not set from the peak`,
      `of ${fixed(peak, 0)} MiB; ${suggested.requestMiB}Mi / ${suggested.limitMiB}Mi would be (\`charts/billing-platform.ts\`).`,
    );
  }
  for (const [name, service] of services) {
    const peak = peakMiB(service);
    if (peak < TARGETS.memoryMiB) continue;
    lines.push(
      '',
      `**Missed (${name}):** peak ${fixed(peak, 0)} MiB against ${TARGETS.memoryMiB} MiB, while the V8 heap in use afterwards`,
      `is ${fixed(service.heapUsedMiB, 0)} MiB. Node alone is about 40 MiB resident (most of it its own binary,`,
      "mapped from disk), the loaded modules about as much again; the rest is young and old generation that V8's",
      "collector has not yet given back, and memory glibc's allocator keeps for reuse. The heap flags of NODE_OPTIONS",
      'and the allocator settings beside them (`charts/node-options.ts`) bound both.',
    );
  }
  return lines.filter((line, index, all) => !(line === '' && all[index - 1] === '')).join('\n');
}

function scalingSection(scaling: ScalingResult | undefined): string {
  if (!scaling) return '## Scaling\n\nNot run.';
  const marginal = marginalSeconds(scaling.runs);
  const postgresPerInvoice = (run: BillingRun) => run.cpu.postgres / run.invoices;
  const reused =
    scaling.reusedInvoices === undefined
      ? ''
      : `; the ${number(scaling.reusedInvoices)} run is the throughput benchmark's (the same conditions)`;
  const largestSize = number(scaling.runs.at(-1)!.invoices);
  const lines = [
    '## Scaling',
    '',
    `A fresh platform per size, one invoice-app, the same provider latency${reused}. The largest size is`,
    `\`npm run bench -- --invoices N\` (${number(DEFAULT_LARGEST_INVOICES)} unless chosen; ${largestSize} in this run): its invoices are`,
    'added in one `INSERT ... SELECT` over `generate_series`, and its run is started with `Prefer: respond-async` and timed',
    "from the request to its event stream's `end` event (see Followed run). Its time per invoice is held against the",
    `${number(SCALING_REFERENCE_INVOICES)} run's.`,
    '',
    '| Invoices | Wall | Invoices/s | Time per invoice | Time per extra invoice since the previous size | CPU (app / provider / Postgres) | Postgres CPU per invoice |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...scaling.runs.map(
      (run, index) =>
        `| ${number(run.invoices)} | ${fixed(run.wallSeconds, 1)} s | ${number(run.invoicesPerSecond)} | ${fixed(perInvoice(run) * 1000, 3)} ms | ${
          index === 0 ? '-' : `${fixed(marginal[index - 1]! * 1000, 3)} ms`
        } | ${fixed(run.cpu.invoiceApp, 1)} / ${fixed(run.cpu.paymentProvider, 1)} / ${fixed(run.cpu.postgres, 1)} s | ${fixed(
          postgresPerInvoice(run) * 1000,
          2,
        )} ms |`,
    ),
  ];
  const runs = largestAndReference(scaling);
  if (!runs) return lines.join('\n');
  const { largest, reference } = runs;
  const ratio = perInvoice(largest) / perInvoice(reference);
  const growth = (part: keyof BillingRun['cpu']) =>
    `${part === 'invoiceApp' ? 'invoice-app' : part === 'paymentProvider' ? 'payment-provider' : 'Postgres'} ${fixed(
      (largest.cpu[part] / largest.invoices / (reference.cpu[part] / reference.invoices)) * 100,
      0,
    )}%`;
  const cause = [
    'Each billing claim (`claimInvoices` in apps/invoice-app) walks the id index of pending invoices from where the run',
    'left off; what grows with the backlog is what a claim or an update finds in the way there (dead row versions that',
    'autovacuum has not yet removed) and the indexes every update maintains.',
  ];
  if (ratio > TARGETS.scalingPerInvoiceRatio) {
    lines.push(
      '',
      `**Missed (linear):** an invoice of the ${number(largest.invoices)} run took ${fixed(ratio, 2)}x as long as one of the`,
      `${number(reference.invoices)} run. CPU per invoice, against the ${number(reference.invoices)} run's: ${growth('invoiceApp')},`,
      `${growth('paymentProvider')}, ${growth('postgres')}.`,
      ...cause,
    );
  } else if (postgresPerInvoice(largest) / postgresPerInvoice(reference) > TARGETS.scalingPerInvoiceRatio) {
    lines.push(
      '',
      `The wall time grows linearly, but Postgres CPU per invoice grew to ${growth('postgres')} of the`,
      `${number(reference.invoices)} run's; the provider round trips still hide it on the wall clock.`,
      ...cause,
    );
  }
  return lines.join('\n');
}

function followedSection(scaling: ScalingResult | undefined): string {
  const found = followedRun(scaling);
  if (!found) return '## Followed run\n\nNot run.';
  const { run, followed } = found;
  const { end } = followed;
  const lines = [
    '## Followed run',
    '',
    `The ${number(run.invoices)}-invoice run of the scaling benchmark, as an operator follows it: \`POST /rest/v1/invoices/pay\``,
    "with `Prefer: respond-async` (202 and the run's `Location`), then `GET <Location>/events` read to its `end` event.",
    "Every event is timed as it arrives; after the end, invoice-app's peak resident memory since it started (VmHWM) is",
    "read, and the provider's ledger is compared with the end event and, invoice by invoice, with the invoices.",
    '',
    '| Progress events | Longest gap | Counts | End event | Ledger (successful charges in the run) | invoice-app peak RSS |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${number(followed.progressEvents)} | ${fixed(followed.longestGapSeconds, 2)} s | ${
      followed.monotonic ? 'only grow' : 'went back'
    } | ${end.status}: ${number(end.attempted)} attempted, ${number(end.paid)} paid, ${number(end.declined)} declined, ${number(
      end.failed,
    )} failed, ${number(end.errored)} errored | ${number(followed.ledgerPaid)} | ${fixed(followed.peakRssMiB, 0)} MiB |`,
    '',
    `The run writes its counts to its record every 500 ms and the stream reads the record every 500 ms, sending an event`,
    `when it changed: about ${fixed(run.wallSeconds / Math.max(followed.progressEvents, 1), 2)} s an event here. The target for the longest gap,`,
    `${TARGETS.progressGapSeconds} s, allows one late read on a busy machine; a longer gap is a bar that visibly stalls.`,
  ];
  if (followed.longestGapSeconds > TARGETS.progressGapSeconds) {
    lines.push(
      '',
      `**Missed (progress):** the longest wait between two events was ${fixed(followed.longestGapSeconds, 2)} s against`,
      `${TARGETS.progressGapSeconds} s. The stream reads the record every 500 ms; a longer gap means the run's progress write or the`,
      "stream's read waited that long for invoice-app's event loop or a pool connection, both shared with the run's claims",
      'and settlements.',
    );
  }
  if (!followed.monotonic) {
    lines.push('', '**Missed (progress):** a count in one event was lower than in the event before it.');
  }
  if (!endMatchesLedger(run, followed)) {
    lines.push(
      '',
      `**Missed (end):** the end event says ${end.status} with ${number(end.paid)} paid of ${number(end.attempted)} attempted;`,
      `the ${number(run.invoices)} invoices were all PAID, and the ledger gained ${number(followed.ledgerPaid)} successful charges.`,
    );
  }
  if (followed.peakRssMiB >= TARGETS.memoryMiB) {
    lines.push(
      '',
      `**Missed (memory):** invoice-app peaked at ${fixed(followed.peakRssMiB, 0)} MiB against ${TARGETS.memoryMiB} MiB while the run was followed;`,
      'see Memory for what the heap held.',
    );
  }
  return lines.join('\n');
}

function methodSection(): string {
  return `## How it runs

- \`npm run bench\` builds the services (\`npm run build\`) and runs them compiled with plain node, as their images do,
  on the images' Node major: the benchmark and everything it starts run on Node 24 from the npm registry (the
  release that package.json's \`bench\` script names with \`npx\`, as CI's Node 24 run does), whatever Node runs npm;
  the services through \`startPlatform({ compiled: true })\` of packages/devkit: an embedded Postgres (durable, as \`npm start\` has it),
  payment-provider and invoice-app processes on 127.0.0.1 only, configured by environment variables as the manifests do
  (\`LOG_LEVEL=info\`; the services' output is read and dropped).
- Billing runs use a fresh platform each; the API benchmark one more with 10,000 PENDING invoices. Invoices beyond a
  platform's seed are added in one set-based \`INSERT ... SELECT\`, followed by \`ANALYZE\` as after any bulk load.
- \`npm run bench -- --invoices N\` chooses the largest billing run (at least 10,000; ${number(DEFAULT_LARGEST_INVOICES)} by
  default), and \`--only throughput,scaling\` runs just the billing benchmarks; the report states the size that ran.
- After every billing run the invoices and the provider's ledger are compared invoice by invoice: every invoice PAID,
  by exactly one successful charge of its amount, and no successful charge for anything else. Both sides are read
  through cursors in invoice id order and compared as they come, so the check holds at a million invoices in the memory
  it needs at a thousand. A run that breaks that fails the benchmark instead of reporting a rate.
- Each billing run and each API load starts once the machine is quiet (under a quarter of a core busy for half a
  second, waiting 20 s at most), so that what the previous run left behind does not land on one side of a comparison.
- CPU seconds are read from /proc for each process (Postgres: the postmaster, its backends and its reaped children).
- Nothing here is part of \`npm test\`; \`test/bench/report.test.ts\` checks this report's table and verdicts on fixed
  numbers.`;
}

function number(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function fixed(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
