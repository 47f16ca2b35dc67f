import type { Platform } from '@billing/devkit';
import { processMemory, type ProcessMemory } from './platform.js';

/** Memory of one service at the moments the issue names, and its V8 heap then. */
export interface ServiceMemory {
  /** Right after start, before any work. */
  readonly idle: ProcessMemory;
  readonly afterBilling: ProcessMemory;
  readonly afterListing: ProcessMemory;
  /** V8 heap in use after the listing (prom-client's nodejs_heap_size_used_bytes), MiB: the live data, without garbage not yet collected. */
  readonly heapUsedMiB: number;
}

export interface MemoryResult {
  /** Invoices billed, then listed. */
  readonly invoices: number;
  readonly invoiceApp: ServiceMemory;
  readonly paymentProvider: ServiceMemory;
}

/** The memory probe of one platform: sampled before the billing run, after it, and after listing every invoice. */
export class MemoryProbe {
  private idle?: { invoiceApp: ProcessMemory; paymentProvider: ProcessMemory };
  private billed?: { invoiceApp: ProcessMemory; paymentProvider: ProcessMemory };

  constructor(private readonly platform: Platform) {}

  async beforeBilling(): Promise<void> {
    this.idle = await this.sample();
  }

  async afterBilling(): Promise<void> {
    this.billed = await this.sample();
  }

  /**
   * Lists every invoice through GET /rest/v1/invoices (the contract's unpaged, streamed
   * answer), reads it to the end, checks the count, and samples again.
   */
  async afterListing(invoices: number): Promise<MemoryResult> {
    if (!this.idle || !this.billed) throw new Error('Sample before and after billing first');
    const response = await fetch(`${this.platform.invoiceAppUrls[0]}/rest/v1/invoices`);
    const listed = (await response.json()) as unknown[];
    if (response.status !== 200 || listed.length !== invoices) {
      throw new Error(`Listing answered ${response.status} with ${listed.length} invoices, not ${invoices}`);
    }
    const listedMemory = await this.sample();
    return {
      invoices,
      invoiceApp: {
        idle: this.idle.invoiceApp,
        afterBilling: this.billed.invoiceApp,
        afterListing: listedMemory.invoiceApp,
        heapUsedMiB: await heapUsedMiB(this.platform.invoiceAppUrls[0]!),
      },
      paymentProvider: {
        idle: this.idle.paymentProvider,
        afterBilling: this.billed.paymentProvider,
        afterListing: listedMemory.paymentProvider,
        heapUsedMiB: await heapUsedMiB(this.platform.paymentProviderUrl),
      },
    };
  }

  private async sample() {
    return {
      invoiceApp: await processMemory(this.platform.invoiceApps[0]!.child.pid!),
      paymentProvider: await processMemory(this.platform.paymentProvider.child.pid!),
    };
  }
}

async function heapUsedMiB(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const match = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(text);
  if (!match) throw new Error(`${baseUrl}/metrics has no nodejs_heap_size_used_bytes`);
  return Number(match[1]) / 1024 / 1024;
}
