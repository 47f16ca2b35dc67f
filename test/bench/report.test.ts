import { describe, expect, it } from 'vitest';
import type { ApiResult, LoadRun } from '../../bench/api.js';
import type { BillingRun } from '../../bench/billing.js';
import { progressOf, type FollowedRun, type RunEvent } from '../../bench/followed-run.js';
import type { ServiceMemory } from '../../bench/memory.js';
import {
  CHART_FILE,
  manifestFits,
  marginalSeconds,
  renderReport,
  resourcesFromPeak,
  summaryRows,
  type BenchResults,
} from '../../bench/report.js';
import { childrenCpuSeconds } from '../../bench/timed-command.js';

// The report writer on fixed numbers: the table, the verdicts against the targets and
// the chart. No benchmark runs here and nothing is timed.

const run = (invoices: number, wallSeconds: number, replicas = 1): BillingRun => ({
  invoices,
  replicas,
  wallSeconds,
  invoicesPerSecond: invoices / wallSeconds,
  attemptedPerReplica: replicas === 1 ? [invoices] : [3_400, 3_300, 3_300],
  cpu: { invoiceApp: wallSeconds * 0.4, paymentProvider: wallSeconds * 0.6, postgres: wallSeconds * 0.9 },
});

const followed = (invoices: number, overrides: Partial<FollowedRun> = {}): FollowedRun => ({
  progressEvents: 600,
  longestGapSeconds: 0.8,
  monotonic: true,
  end: { status: 'completed', attempted: invoices, paid: invoices, declined: 0, failed: 0, errored: 0 },
  ledgerPaid: invoices,
  peakRssMiB: 130,
  ...overrides,
});

/** The largest scaling run, followed through its event stream. */
const largest = (invoices: number, wallSeconds: number, overrides: Partial<FollowedRun> = {}): BillingRun => ({
  ...run(invoices, wallSeconds),
  followed: followed(invoices, overrides),
});

const load = (requestsPerSecond: number, p99Ms: number): LoadRun => ({
  requestsPerSecond,
  p50Ms: p99Ms / 3,
  p99Ms,
  failures: 0,
  serverCores: 0.9,
  databaseCores: 0.5,
});

const memory = (peak: number): ServiceMemory => ({
  idle: { rssMiB: 70, peakRssMiB: 70 },
  afterBilling: { rssMiB: peak - 10, peakRssMiB: peak },
  afterListing: { rssMiB: peak - 20, peakRssMiB: peak },
  heapUsedMiB: 30,
});

const synthTiming = (name: string, wallSeconds: number) => ({
  name,
  command: name,
  runs: [{ wallSeconds, cpuSeconds: wallSeconds / 2 }],
  median: { wallSeconds, cpuSeconds: wallSeconds / 2 },
});

const api: ApiResult = {
  routes: [
    { route: 'GET /rest/v1/invoices/:id', bare: load(20_000, 4), service: load(12_000, 8) },
    { route: 'GET /rest/v1/invoices?limit=100', bare: load(9_000, 9), service: load(3_000, 30) },
  ],
  bareMemory: { rssMiB: 60, peakRssMiB: 62 },
};

/** A run where every target is met. */
const good: BenchResults = {
  generatedAt: '2026-11-22 05:00 UTC',
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 8, node: 'v20.20.2', loadAtStart: 0.5, loadAtEnd: 1.5 },
  durationMinutes: 12.5,
  synth: {
    rounds: 1,
    timings: [
      synthTiming('npm run synth', 2),
      synthTiming('node run-ts.mjs main.ts', 1.5),
      synthTiming('npx cdk8s synth', 5),
      synthTiming('baseline', 20),
      synthTiming('npx cdk8s synth --no-validate', 4),
    ],
  },
  throughput: {
    sequential: run(600, 20),
    oneReplica: run(10_000, 5),
    threeReplicas: run(10_000, 4.5, 3),
    coldOneReplica: run(10_000, 3.5),
  },
  api,
  memory: { invoices: 1_002_000, invoiceApp: memory(120), paymentProvider: memory(100) },
  scaling: { runs: [run(1_000, 1), run(10_000, 5), run(100_000, 50), largest(1_000_000, 520)] },
  manifests: [
    {
      folder: 'dist/',
      invoiceApp: { requestMiB: 160, limitMiB: 240 },
      paymentProvider: { requestMiB: 128, limitMiB: 208 },
    },
    {
      folder: 'dist/prod/',
      invoiceApp: { requestMiB: 160, limitMiB: 240 },
      paymentProvider: { requestMiB: 128, limitMiB: 208 },
    },
  ],
};

describe('the benchmark report', () => {
  it('has one row per target of the issue, every one met on numbers that meet them', () => {
    const rows = summaryRows(good);
    expect(rows.map((row) => row.verdict)).toEqual(Array(rows.length).fill('met'));
    expect(rows.map((row) => row.figure)).toEqual([
      '`npm run synth` vs cdk8s default',
      '`npx cdk8s synth` vs cdk8s default',
      'Billing 10,000 invoices, 1 replica',
      'Billing 10,000 invoices, 1 replica, cold platform',
      'Billing 10,000 invoices, 3 replicas vs 1',
      '`GET /rest/v1/invoices/:id`, 50 connections',
      'Memory, invoice-app (peak RSS, 1,002,000 billed and listed)',
      'Memory, payment-provider (peak RSS, 1,002,000 billed and listed)',
      'Manifest memory requests/limits (invoice-app, payment-provider)',
      'Scaling to 1,000,000 invoices',
      'Memory, invoice-app while the 1,000,000-invoice run is followed (peak RSS)',
      'Progress events through the 1,000,000-invoice run',
    ]);
  });

  it('writes the ratios against the same-run baselines into the table', () => {
    const { markdown } = renderReport(good);
    expect(markdown).toContain(
      '| `npm run synth` vs cdk8s default | 2.0 s | 20.0 s | 10.0x faster | >= 8x faster | met |',
    );
    expect(markdown).toContain(
      '| Billing 10,000 invoices, 1 replica | 2,000/s | 30.0/s sequential | 66.7x | >= 1,500/s and >= 30x | met |',
    );
    expect(markdown).toContain('| 12,000 req/s, p99 8 ms | 20,000 req/s, p99 4 ms | 60% of bare |');
    expect(markdown).toContain(
      '| Memory, invoice-app (peak RSS, 1,002,000 billed and listed) | 120 MiB | 60 MiB bare Fastify | 2.0x bare |',
    );
    expect(markdown).toContain(
      '| Billing 10,000 invoices, 1 replica, cold platform | 2,857/s | 30.0/s sequential | 95.2x (warm 66.7x) | >= 90x | met |',
    );
    // 520 s for 1,000,000 against 5 s for 10,000: 0.52 ms against 0.5 ms an invoice.
    expect(markdown).toContain(
      "| Scaling to 1,000,000 invoices | 0.520 ms/invoice | 0.500 ms/invoice (10,000) | 1.04x | linear: time per invoice <= 1.25x the 10,000 run's | met |",
    );
    expect(markdown).toContain(
      '| Progress events through the 1,000,000-invoice run | 600 events, longest gap 0.8 s | - | counts only grow; end = ledger |',
    );
    expect(markdown).toContain('| 1,000,000 | 520.0 s | 1,923 | 0.520 ms |');
    expect(markdown).toContain('## Followed run');
    expect(markdown).toContain('(1,000,000 unless chosen; 1,000,000 in this run)');
    expect(markdown).not.toContain('**Missed');
  });

  it('marks each missed target and says why, with the measured numbers, keeping the target as it is', () => {
    const bad: BenchResults = {
      ...good,
      synth: {
        rounds: 1,
        timings: [
          synthTiming('npm run synth', 4),
          synthTiming('node run-ts.mjs main.ts', 3),
          synthTiming('npx cdk8s synth', 10),
          synthTiming('baseline', 20),
          synthTiming('npx cdk8s synth --no-validate', 8),
        ],
      },
      throughput: {
        sequential: run(600, 20),
        oneReplica: run(10_000, 20),
        threeReplicas: run(10_000, 25, 3),
        coldOneReplica: run(10_000, 30),
      },
      api: { ...api, routes: [{ ...api.routes[0]!, service: load(4_000, 25) }, api.routes[1]!] },
      memory: { invoices: 1_002_000, invoiceApp: memory(190), paymentProvider: memory(100) },
      scaling: {
        runs: [
          run(1_000, 1),
          run(10_000, 5),
          run(100_000, 50),
          largest(1_000_000, 700, { longestGapSeconds: 3.5, peakRssMiB: 180 }),
        ],
      },
    };
    const rows = summaryRows(bad);
    expect(rows.filter((row) => row.verdict === 'missed').map((row) => row.figure)).toEqual([
      '`npm run synth` vs cdk8s default',
      '`npx cdk8s synth` vs cdk8s default',
      'Billing 10,000 invoices, 1 replica',
      'Billing 10,000 invoices, 1 replica, cold platform',
      'Billing 10,000 invoices, 3 replicas vs 1',
      '`GET /rest/v1/invoices/:id`, 50 connections',
      'Memory, invoice-app (peak RSS, 1,002,000 billed and listed)',
      'Manifest memory requests/limits (invoice-app, payment-provider)',
      'Scaling to 1,000,000 invoices',
      'Memory, invoice-app while the 1,000,000-invoice run is followed (peak RSS)',
      'Progress events through the 1,000,000-invoice run',
    ]);
    const { markdown } = renderReport(bad);
    expect(markdown).toContain('| **missed** |');
    expect(markdown).toContain('>= 1,500/s and >= 30x');
    expect(markdown).toContain('**Missed (rate):** 500/s against 1,500/s');
    expect(markdown).toContain('**Missed (replicas):** three replicas reached 0.80x the rate of one');
    expect(markdown).toContain('**Missed (by id):** 20% of the bare handler and p99 25 ms');
    // The bare handler's p99 (4 ms) is 1.6x its mean at 20,000/s: a 10 ms p99 with that tail needs 8,000/s.
    expect(markdown).toContain('answered with p99 4 ms in the same run, 1.6x its own mean');
    expect(markdown).toContain('needs more than 8,000 requests/s');
    expect(markdown).toContain('**Missed (invoice-app):** peak 190 MiB against 150 MiB');
    expect(markdown).toContain('and the allocator settings beside them (`charts/node-options.ts`) bound both.');
    expect(markdown).toContain('**Missed (linear):** an invoice of the 1,000,000 run took 1.40x as long as one of the');
    // Warm 500/s, cold 333/s: the cold run took 10 s longer.
    expect(markdown).toContain('**Missed (cold):** 11.1x against 90x; warm, one replica reaches 16.7x.');
    expect(markdown).toContain('The cold run took 10.0 s longer');
    expect(markdown).toContain('**Missed (progress):** the longest wait between two events was 3.50 s against');
    expect(markdown).toContain('**Missed (memory):** invoice-app peaked at 180 MiB against 150 MiB');
    expect(markdown).toContain('**Missed (`npx cdk8s synth`):** 2.0x against 3x');
    expect(markdown).toContain('**Missed (dist/ invoice-app):** 160Mi / 240Mi is not set from the peak');
    expect(markdown).toContain('**Missed (dist/prod/ invoice-app):**');
  });

  it('misses the replica target when one replica barely shared the work, and by id when requests failed', () => {
    const lopsided: BillingRun = { ...run(10_000, 4, 3), attemptedPerReplica: [5_000, 4_500, 500] };
    const unfair: BenchResults = {
      ...good,
      throughput: { ...good.throughput!, threeReplicas: lopsided },
      api: { ...api, routes: [{ ...api.routes[0]!, service: { ...load(12_000, 8), failures: 3 } }, api.routes[1]!] },
    };
    const rows = summaryRows(unfair);
    expect(rows.filter((row) => row.verdict === 'missed').map((row) => row.figure)).toEqual([
      'Billing 10,000 invoices, 3 replicas vs 1',
      '`GET /rest/v1/invoices/:id`, 50 connections',
    ]);
    expect(rows.find((row) => row.figure.includes('3 replicas'))!.ratio).toBe('1.25x, smallest share 15%');
    const { markdown } = renderReport(unfair);
    expect(markdown).toContain('**Missed (sharing):** one replica charged only 15% of an even share');
    expect(markdown).toContain('**Missed (by id, failures):** 3 requests got no 2xx answer');
  });

  it('reports the first runs, with empty caches, against the same baseline when they ran', () => {
    expect(renderReport(good).markdown).not.toContain('empty caches');
    const withFirstRuns: BenchResults = {
      ...good,
      synth: {
        ...good.synth!,
        timings: [
          ...good.synth!.timings,
          synthTiming('npm run synth, empty caches', 2.5),
          synthTiming('npx cdk8s synth, empty caches', 8),
        ],
      },
    };
    const { markdown } = renderReport(withFirstRuns);
    expect(markdown).toContain(
      '| npm run synth, empty caches | `npm run synth, empty caches` | 2.5 s | 1.3 s | 8.0x |',
    );
    expect(markdown).toContain('A first `npm run synth` takes 2.5 s (8.0x faster than the baseline)');
    expect(markdown).toContain('a first `npx cdk8s synth` 8.0 s (2.5x, below the 3x target).');
    const [npmRow, cliRow] = summaryRows(withFirstRuns);
    expect(npmRow).toMatchObject({ measured: '2.0 s (first run 2.5 s)', ratio: '10.0x faster (first run 8.0x)' });
    expect(cliRow).toMatchObject({ ratio: '4.0x faster (first run 2.5x)', verdict: 'met' });
  });

  it('says which benchmarks did not run instead of leaving them out', () => {
    const rows = summaryRows({ ...good, synth: undefined, memory: undefined });
    expect(rows.filter((row) => row.verdict === 'not run')).toHaveLength(5);
    // A largest run that was not followed (or no 10,000 run to compare with) is not judged either.
    const unfollowed = summaryRows({ ...good, scaling: { runs: [run(1_000, 1), run(100_000, 50)] } });
    expect(unfollowed.filter((row) => row.verdict === 'not run').map((row) => row.figure)).toEqual([
      'Scaling to the largest run',
      'Memory, invoice-app while the largest run is followed',
      'Progress events through the largest run',
    ]);
    expect(renderReport({ ...good, synth: undefined }).markdown).toContain('## Synth\n\nNot run.');
  });

  it('references a chart that is well-formed SVG with a bar per target and the scaling points', () => {
    const { markdown, svg } = renderReport(good);
    expect(markdown).toContain(`](${CHART_FILE})`);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
    expect(svg.match(/<rect /g)).toHaveLength(1 + summaryRows(good).filter((row) => row.score !== undefined).length);
    expect(svg.match(/<circle /g)).toHaveLength(4);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });
});

describe('the figures behind the verdicts', () => {
  it('sizes requests and limits from a peak in 16 MiB steps, and checks dist/ against a peak', () => {
    expect(resourcesFromPeak(100)).toEqual({ requestMiB: 128, limitMiB: 208 });
    expect(resourcesFromPeak(197)).toEqual({ requestMiB: 256, limitMiB: 400 });
    expect(manifestFits({ requestMiB: 192, limitMiB: 256 }, 197)).toBe(false);
    expect(manifestFits({ requestMiB: 256, limitMiB: 400 }, 197)).toBe(true);
    // Oversized is not set from the figures either.
    expect(manifestFits({ requestMiB: 512, limitMiB: 400 }, 197)).toBe(false);
    expect(manifestFits({ requestMiB: 256, limitMiB: 1024 }, 197)).toBe(false);
    for (const peak of [64, 100, 130, 197, 400]) {
      expect(manifestFits(resourcesFromPeak(peak), peak), `peak ${peak}`).toBe(true);
    }
  });

  it('says a cold run that was as fast as a warm one misses for the reason the warm one does', () => {
    const slowMachine: BenchResults = {
      ...good,
      throughput: { ...good.throughput!, oneReplica: run(10_000, 10), coldOneReplica: run(10_000, 10.2) },
    };
    const { markdown } = renderReport(slowMachine);
    expect(markdown).toContain('**Missed (cold):** 32.7x against 90x; warm, one replica reaches 33.3x.');
    expect(markdown).toContain('The cold run was about as fast as the warm one');
    expect(markdown).not.toContain('The cold run took');
  });

  it('misses progress when counts went back or the end is not what the ledger has, whatever the gaps', () => {
    const wrongEnd: BenchResults = {
      ...good,
      scaling: { runs: [run(10_000, 5), largest(1_000_000, 520, { monotonic: false, ledgerPaid: 999_999 })] },
    };
    const row = summaryRows(wrongEnd).find((r) => r.figure.startsWith('Progress events'))!;
    expect(row).toMatchObject({ verdict: 'missed', ratio: '**counts went back**; end **differs from ledger**' });
    expect(row.score).toBeLessThan(1);
    const { markdown } = renderReport(wrongEnd);
    expect(markdown).toContain('**Missed (progress):** a count in one event was lower than in the event before it.');
    expect(markdown).toContain('the ledger gained 999,999 successful charges');
  });

  it('measures the events of a followed run: how many, the longest gap, whether counts only grew', () => {
    const counts = (attempted: number, paid: number) => ({
      status: 'running',
      attempted,
      paid,
      declined: 0,
      failed: 0,
      errored: 0,
    });
    const events: RunEvent[] = [
      { event: 'progress', at: 0.1, run: counts(0, 0) },
      { event: 'progress', at: 0.6, run: counts(256, 100) },
      { event: 'progress', at: 2.1, run: counts(512, 400) },
      { event: 'end', at: 2.5, run: { ...counts(600, 600), status: 'completed' } },
    ];
    expect(progressOf(events)).toEqual({ progressEvents: 3, longestGapSeconds: 1.5, monotonic: true });
    const wentBack = events.map((e, i) => (i === 2 ? { ...e, run: counts(512, 50) } : e));
    expect(progressOf(wentBack).monotonic).toBe(false);
  });

  it('takes the time per extra invoice between consecutive sizes', () => {
    expect(marginalSeconds([run(1_000, 2), run(10_000, 11), run(100_000, 101)])).toEqual([0.001, 0.001]);
  });

  it("reads the children's CPU time from the shell's times output", () => {
    expect(childrenCpuSeconds('0m0.004s 0m0.000s\n1m2.210s 0m0.160s\n')).toBeCloseTo(62.37, 5);
    expect(() => childrenCpuSeconds('nonsense')).toThrow(/times/);
  });
});
