// `npm run bench`: every benchmark on this machine, then docs/benchmarks.md and its chart.
// Not part of `npm test`. The services must be built first (the npm script does that).
//
//   npm run bench                                    everything, report into docs/
//   npm run bench -- --only synth,api --out .tmp     some benchmarks, report elsewhere
//   npm run bench -- --invoices 200000               the largest billing run at another size (default 1,000,000)
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { parseAllDocuments } from 'yaml';
import { benchmarkApi } from './api.js';
import { benchmarkThroughput, WARM_UP_INVOICES_PER_REPLICA } from './billing.js';
import { MemoryProbe, type MemoryResult } from './memory.js';
import { CHART_FILE, REPORT_FILE, renderReport, type BenchResults, type ManifestResources } from './report.js';
import { benchmarkScaling, DEFAULT_LARGEST_INVOICES, scalingSizes } from './scaling.js';
import { benchmarkSynth } from './synth.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const BENCHMARKS = ['synth', 'throughput', 'scaling', 'api'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

const say = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, out: { type: 'string' }, invoices: { type: 'string' } },
  });
  const largestInvoices = values.invoices === undefined ? DEFAULT_LARGEST_INVOICES : Number(values.invoices);
  const sizes = scalingSizes(largestInvoices);
  const only = (values.only?.split(',') ?? [...BENCHMARKS]) as Benchmark[];
  const unknown = only.filter((name) => !BENCHMARKS.includes(name));
  if (unknown.length > 0)
    throw new Error(`Unknown benchmark ${unknown.join(', ')}. Choose from: ${BENCHMARKS.join(', ')}.`);
  const outDir = join(repoRoot, values.out ?? 'docs');
  const runs = (name: Benchmark) => only.includes(name);

  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  say(`machine: ${cpus().length} cpus, load ${loadAtStart.toFixed(1)}; running ${only.join(', ')}`);

  let synth: BenchResults['synth'];
  if (runs('synth')) {
    say('synth: npm run synth, npx cdk8s synth and the ts-node baseline, 3 rounds');
    synth = await benchmarkSynth(repoRoot);
  }
  let throughput: BenchResults['throughput'];
  if (runs('throughput')) {
    say('billing throughput: sequential baseline, then 10,000 invoices with 1 and with 3 replicas, and 1 cold');
    throughput = await benchmarkThroughput();
  }
  let scaling: BenchResults['scaling'];
  let memory: MemoryResult | undefined;
  if (runs('scaling')) {
    say(`scaling: ${sizes.map((size) => size.toLocaleString('en-US')).join(', ')} invoices, the largest followed`);
    let probe: MemoryProbe | undefined;
    scaling = await benchmarkScaling({
      largestInvoices,
      reuse: throughput?.oneReplica,
      largest: {
        beforeBilling: async (platform) => {
          probe = new MemoryProbe(platform);
          await probe.beforeBilling();
        },
        afterBilling: async () => {
          await probe!.afterBilling();
          // The listing includes the warm-up's invoices, billed before the measured ones.
          memory = await probe!.afterListing(largestInvoices + WARM_UP_INVOICES_PER_REPLICA);
        },
      },
    });
  }
  let api: BenchResults['api'];
  if (runs('api')) {
    say('API: by id, a page and the whole list under 50 connections, against a bare Fastify handler');
    api = await benchmarkApi();
  }

  const results: BenchResults = {
    generatedAt: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: totalmem() / 1024 ** 3,
      node: process.version,
      loadAtStart,
      loadAtEnd: loadavg()[0]!,
    },
    durationMinutes: (Date.now() - started) / 60_000,
    synth,
    throughput,
    api,
    memory,
    scaling,
    manifests: ['dist', 'dist/prod'].map((folder) => ({
      folder: `${folder}/`,
      invoiceApp: manifestMemory(folder, 'invoice-app'),
      paymentProvider: manifestMemory(folder, 'payment-provider'),
    })),
  };
  const { markdown, svg } = renderReport(results);
  await mkdir(outDir, { recursive: true });
  const reportPath = join(outDir, REPORT_FILE);
  // Formatted as `npm run lint` (prettier --check .) expects the committed file to be.
  const formatted = await format(markdown, { ...(await resolveConfig(reportPath)), filepath: reportPath });
  await writeFile(reportPath, formatted);
  await writeFile(join(outDir, CHART_FILE), svg);
  say(`wrote ${join(outDir, REPORT_FILE)} and ${CHART_FILE} in ${results.durationMinutes.toFixed(1)} minutes`);
}

/** The memory requests and limits of a Deployment's container in one environment's committed manifests. */
function manifestMemory(folder: string, name: string): ManifestResources {
  const dist = join(repoRoot, folder);
  for (const file of readdirSync(dist).filter((f) => f.endsWith('.k8s.yaml'))) {
    for (const document of parseAllDocuments(readFileSync(join(dist, file), 'utf8'))) {
      const object = document.toJS() as {
        kind?: string;
        metadata?: { name?: string };
        spec?: { template?: { spec?: { containers?: { resources?: { requests?: Quantity; limits?: Quantity } }[] } } };
      } | null;
      if (object?.kind !== 'Deployment' || object.metadata?.name !== name) continue;
      const resources = object.spec?.template?.spec?.containers?.[0]?.resources;
      return { requestMiB: mebibytes(resources?.requests?.memory), limitMiB: mebibytes(resources?.limits?.memory) };
    }
  }
  throw new Error(`No Deployment ${name} in ${dist}`);
}

type Quantity = { memory?: string };

function mebibytes(quantity: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(quantity ?? '');
  if (!match) throw new Error(`Memory quantity ${JSON.stringify(quantity)} is not in Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

await main();
