import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '@billing/devkit/vitest';
import type { ServiceApp } from '@billing/service-kit';
import { seedDatabase } from '../src/seed.js';
import { startApp, testConfig } from './helpers.js';

// Listing 100,000+ invoices: streamed in keyset batches, so the response starts before the
// last row is read and memory holds one batch. (How fast, and how little memory, is for
// the benchmark; this checks the answer is complete, ordered and really streamed.)

const CUSTOMERS = 10_000;
const PER_CUSTOMER = 11;
let app: ServiceApp;
let base: string;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('streaming');
  ({ app, base } = await startApp(testConfig(databaseUrl, 'http://127.0.0.1:9')));
  await seedDatabase(app.db, { customers: CUSTOMERS, invoicesPerCustomer: PER_CUSTOMER });
});
afterAll(() => app.close());

describe('listing every invoice', () => {
  it('streams 110,000 invoices as one JSON array, in id order, chunked', async () => {
    const response = await fetch(`${base}/rest/v1/invoices`);
    expect(response.status).toBe(200);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-length')).toBeNull();

    let chunks = 0;
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      chunks += 1;
      text += decoder.decode(chunk, { stream: true });
    }
    expect(chunks).toBeGreaterThan(10);
    const invoices = JSON.parse(text) as { id: number; status: string }[];
    expect(invoices).toHaveLength(CUSTOMERS * PER_CUSTOMER);
    expect(invoices.every((invoice, n) => invoice.id === n + 1)).toBe(true);
  });

  it('ends the response when the client goes away mid-stream', async () => {
    const connections = () => new Promise<number>((resolve) => app.server.getConnections((_err, n) => resolve(n)));
    const before = await connections();
    await new Promise<void>((resolve, reject) => {
      const request = get(`${base}/rest/v1/invoices`, { agent: false }, (response) => {
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', reject);
    });
    for (let waited = 0; (await connections()) > before && waited < 5_000; waited += 50) await sleep(50);
    expect(await connections()).toBe(before);
    // The server is fine and answers the next client in full.
    const again = (await (await fetch(`${base}/rest/v1/invoices?status=PENDING&limit=5`)).json()) as unknown[];
    expect(again).toHaveLength(5);
  });
});
