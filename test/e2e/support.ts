import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterFile } from '@billing/devkit/vitest';
import { freePort, startPlatform, type Platform, type PlatformOptions } from '@billing/devkit';

/** Invoice JSON as the contract shapes it. */
export interface Invoice {
  id: number;
  customerId: number;
  amount: { value: number; currency: string };
  status: 'PENDING' | 'PAID' | 'FAILED';
}

/** A ledger entry of the payment provider. */
export interface Charge {
  id: number;
  invoiceId: number | null;
  result: boolean;
  idempotencyKey: string | null;
}

/** The summary POST /rest/v1/invoices/pay answers. */
export interface PaySummary {
  attempted: number;
  paid: number;
  declined: number;
  failed: number;
  errored: number;
}

/**
 * Starts the platform exactly as `npm start` does, in a temporary data folder on free
 * ports, and stops it (and removes the folder) after the calling test file.
 */
export async function startTestPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'billing-e2e-'));
  const replicas = options.invoiceAppReplicas ?? 1;
  const ports = await distinctFreePorts(replicas + 1);
  const platform = await startPlatform({
    dataDir,
    paymentProviderPort: ports[0],
    // Replicas listen on consecutive ports; probing each would race, so take a random base
    // below Linux's ephemeral range (32768 up), where outgoing connections take their ports.
    invoiceAppPort: 20_000 + Math.floor(Math.random() * 12_000),
    logLevel: 'warn',
    ...options,
  });
  afterFile(async () => {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return platform;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** A small HTTP client for the platform's public API, through HTTP only. */
export function client(platform: Platform) {
  const billing = { authorization: `Bearer ${platform.billingApiToken}` };
  const provider = { authorization: `Bearer ${platform.paymentProviderToken}` };
  const getJson = async <T>(url: string, headers: Record<string, string> = {}): Promise<T> => {
    const response = await fetch(url, { headers });
    if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    invoices: (replica = 0) => getJson<Invoice[]>(`${platform.invoiceAppUrls[replica]}/rest/v1/invoices`),
    ledger: () => getJson<Charge[]>(`${platform.paymentProviderUrl}/rest/v1/charges`, provider),
    pay: async (replica = 0): Promise<PaySummary> => {
      const response = await fetch(`${platform.invoiceAppUrls[replica]}/rest/v1/invoices/pay`, {
        method: 'POST',
        headers: billing,
      });
      if (response.status !== 200)
        throw new Error(`pay on replica ${replica}: ${response.status} ${await response.text()}`);
      return (await response.json()) as PaySummary;
    },
  };
}

/**
 * The billing guarantee, checked against the provider's ledger: every PAID invoice has
 * exactly one successful charge, and no other invoice has any.
 */
export function chargedExactlyOnce(invoices: Invoice[], ledger: Charge[]): { problems: string[] } {
  const successes = new Map<number, number>();
  for (const charge of ledger.filter((entry) => entry.result)) {
    if (charge.invoiceId === null) continue;
    successes.set(charge.invoiceId, (successes.get(charge.invoiceId) ?? 0) + 1);
  }
  const problems: string[] = [];
  for (const invoice of invoices) {
    const count = successes.get(invoice.id) ?? 0;
    if (invoice.status === 'PAID' && count !== 1)
      problems.push(`invoice ${invoice.id} is PAID with ${count} successful charges`);
    if (invoice.status !== 'PAID' && count !== 0)
      problems.push(`invoice ${invoice.id} is ${invoice.status} with ${count} successful charges`);
  }
  return { problems };
}
