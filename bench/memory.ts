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
    const listed = await countInvoices(response);
    if (response.status !== 200 || listed !== invoices) {
      throw new Error(`Listing answered ${response.status} with ${listed} invoices, not ${invoices}`);
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

/**
 * The invoices of a listing, counted as its body streams in (one `"customerId":` each), so that
 * a million of them need no more memory here than they should in the service.
 */
async function countInvoices(response: Response): Promise<number> {
  const marker = '"customerId":';
  const decoder = new TextDecoder();
  let count = 0;
  // A marker split across two chunks is found in the end of one joined to the next.
  let carried = '';
  for await (const chunk of response.body ?? []) {
    const text = carried + decoder.decode(chunk, { stream: true });
    for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + marker.length)) count += 1;
    carried = text.slice(-(marker.length - 1));
  }
  return count;
}

async function heapUsedMiB(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const match = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(text);
  if (!match) throw new Error(`${baseUrl}/metrics has no nodejs_heap_size_used_bytes`);
  return Number(match[1]) / 1024 / 1024;
}
