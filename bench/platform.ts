import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPlatform, type Platform, type PlatformOptions } from '@billing/devkit';

/** Provider latency of every billing benchmark: each charge waits 20 ms plus up to 20 ms more. */
export const FAULT_LATENCY_MS = 20;

/** Invoices per seeded customer; the customer count sets the total. */
export const INVOICES_PER_CUSTOMER = 10;

/**
 * The platform as the benchmarks run it: the compiled services (`npm run build`, as the images
 * run them) on an embedded Postgres in a temporary folder, on free ports, every charge
 * succeeding after the benchmark latency. `LOG_LEVEL` is the manifests' `info`; the services'
 * output is dropped here rather than printed.
 */
export async function withPlatform<T>(
  options: PlatformOptions & { readonly invoices: number },
  work: (platform: Platform) => Promise<T>,
): Promise<T> {
  if (options.invoices % INVOICES_PER_CUSTOMER !== 0) {
    throw new Error(`Invoices (${options.invoices}) must be a multiple of ${INVOICES_PER_CUSTOMER}.`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'billing-bench-'));
  const platform = await startPlatform({
    dataDir,
    compiled: true,
    paymentProviderPort: await freePort(),
    // Replicas listen on consecutive ports from here: a random base clear of other users and below
    // the ephemeral range (32768 and up), where outgoing connections could hold the port.
    invoiceAppPort: 20_000 + Math.floor(Math.random() * 12_000),
    logLevel: 'info',
    paymentSuccessRate: 1,
    faultLatencyMs: FAULT_LATENCY_MS,
    seedCustomers: options.invoices / INVOICES_PER_CUSTOMER,
    seedInvoicesPerCustomer: INVOICES_PER_CUSTOMER,
    ...options,
  });
  try {
    return await work(platform);
  } finally {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** POST /rest/v1/invoices/pay on one replica; the run's summary. */
export async function pay(platform: Platform, replica = 0): Promise<PaySummary> {
  const response = await fetch(`${platform.invoiceAppUrls[replica]}/rest/v1/invoices/pay`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.billingApiToken}` },
  });
  if (response.status !== 200)
    throw new Error(`pay on replica ${replica}: ${response.status} ${await response.text()}`);
  return (await response.json()) as PaySummary;
}

/** The fields of the pay summary the benchmarks read. */
export interface PaySummary {
  readonly attempted: number;
  readonly paid: number;
  readonly declined: number;
  readonly failed: number;
  readonly errored: number;
  readonly durationMs: number;
}

/** Memory of one process, from /proc. */
export interface ProcessMemory {
  /** Resident set now (VmRSS), MiB. */
  readonly rssMiB: number;
  /** Highest resident set since the process started (VmHWM), MiB. */
  readonly peakRssMiB: number;
}

/** Resident memory of a process, now and at its peak. */
export async function processMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]);
  };
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds a process has used (user + system), optionally with its reaped children
 * (Postgres backends that exited count towards the postmaster that way).
 */
export async function cpuSeconds(pid: number, withReapedChildren = false): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may contain spaces: count fields after it.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // Fields 14-17 of proc(5): utime, stime, cutime, cstime; here shifted by the two before ')'.
  const [utime, stime, cutime, cstime] = fields.slice(11, 15) as [number, number, number, number];
  return (utime + stime + (withReapedChildren ? cutime + cstime : 0)) / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds of the whole Postgres server: the postmaster, its reaped children and its live backends. */
export async function postgresCpuSeconds(platform: Platform): Promise<number> {
  const pidFile = await readFile(join(platform.postgres.dataDir, 'postmaster.pid'), 'utf8');
  const postmaster = Number(pidFile.split('\n')[0]);
  let total = await cpuSeconds(postmaster, true);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === postmaster) total += await cpuSeconds(Number(entry)).catch(() => 0);
  }
  return total;
}

/** CPU seconds per part of the platform, to say where the time of a run went. */
export interface PlatformCpu {
  readonly invoiceApp: number;
  readonly paymentProvider: number;
  readonly postgres: number;
}

/** Samples every part's CPU time; `since` turns a later sample into the difference. */
export async function platformCpu(platform: Platform): Promise<PlatformCpu> {
  const apps = await Promise.all(platform.invoiceApps.map((app) => cpuSeconds(app.child.pid!)));
  return {
    invoiceApp: apps.reduce((sum, seconds) => sum + seconds, 0),
    paymentProvider: await cpuSeconds(platform.paymentProvider.child.pid!),
    postgres: await postgresCpuSeconds(platform),
  };
}

/** The CPU used between two samples. */
export function cpuSince(before: PlatformCpu, after: PlatformCpu): PlatformCpu {
  return {
    invoiceApp: after.invoiceApp - before.invoiceApp,
    paymentProvider: after.paymentProvider - before.paymentProvider,
    postgres: after.postgres - before.postgres,
  };
}

/** Busy cores (of all of them) below which the machine counts as quiet. */
const QUIET_BUSY_CORES = 0.25;

/**
 * Waits until the machine is quiet: less than QUIET_BUSY_CORES busy over half a second, by
 * /proc/stat. What a previous run leaves behind (a Postgres shutting down, its data folder being
 * removed, the kernel writing back what it wrote) would otherwise land in whatever is measured
 * next, on one side of a comparison only. Gives up after `timeoutMs` and lets the run go on.
 */
export async function untilQuiet(timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const sample = async () => {
    const cpu = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: idle and iowait are the not-busy ones.
    return { busy: cpu.slice(0, 8).reduce((sum, ticks) => sum + ticks, 0) - cpu[3]! - cpu[4]!, at: performance.now() };
  };
  while (performance.now() < deadline) {
    const before = await sample();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await sample();
    const busyCores = (after.busy - before.busy) / CLOCK_TICKS_PER_SECOND / ((after.at - before.at) / 1000);
    if (busyCores < QUIET_BUSY_CORES) return;
  }
}
