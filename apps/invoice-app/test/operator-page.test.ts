import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium, type BrowserContext } from 'playwright-core';
import { createTestDatabase } from '@billing/devkit/vitest';
import type { ServiceApp } from '@billing/service-kit';
import {
  BILLING_TOKEN,
  ScriptedProvider,
  insertCustomers,
  insertInvoices,
  migrate,
  startApp,
  testConfig,
} from './helpers.js';

// The operator page in a real headless browser: Debian's chromium driven by playwright-core
// (never a downloaded browser), against a real invoice-app and Postgres.

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../../docs/operator-page.png', import.meta.url));
const missing = !existsSync(CHROMIUM);
// On a developer machine without the browser the test is skipped, saying how to get it; CI must run it.
const skip = missing && process.env.CI !== 'true';

let databaseUrl: string;
let db: pg.Pool;
let provider: ScriptedProvider;
let app: ServiceApp;
let base: string;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (skip) return;
  databaseUrl = await createTestDatabase('page');
  await migrate(databaseUrl);
  db = new pg.Pool({ connectionString: databaseUrl });
  // Slow enough that the run takes a few seconds and the bar is seen on its way.
  provider = await ScriptedProvider.start(async (charge) => {
    await sleep(15);
    return { result: charge.body.invoice_id % 10 !== 0 };
  });
  ({ app, base } = await startApp(testConfig(databaseUrl, provider.url, { BILLING_CONCURRENCY: '4' })));
  const [customerId] = await insertCustomers(db, ['USD']);
  await insertInvoices(
    db,
    Array.from({ length: 300 }, (_, n) => ({ customerId: customerId!, amount: `${20 + n}.00`, currency: 'USD' })),
  );
  profile = await mkdtemp(join(tmpdir(), 'operator-page-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 900 },
  });
});
afterAll(async () => {
  if (skip) return;
  await context?.close();
  await app?.close();
  await provider?.close();
  await db?.end();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe.skipIf(!skip)('the operator page', () => {
  it(`needs ${CHROMIUM}, which is missing: apt-get install chromium (CI installs it and never skips)`, () => {
    expect(existsSync(CHROMIUM)).toBe(false);
  });
});

describe.skipIf(skip)('the operator page', () => {
  it('shows the counts, starts a run with the token, follows its bar to the end, and looks up an invoice', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });

    await page.goto(`${base}/`);
    await expect.poll(() => page.textContent('#count-PENDING'), { timeout: 10_000 }).toBe('300');
    expect(await page.textContent('#count-PAID')).toBe('0');
    expect(await page.isDisabled('#start-run')).toBe(true);

    // A wrong token is refused, and said so.
    await page.fill('#token', 'not-the-token-at-all');
    await page.click('#use-token');
    await expect
      .poll(() => page.textContent('#run-message'))
      .toBe("The token was refused (401): enter the service's BILLING_API_TOKEN.");

    await page.fill('#token', BILLING_TOKEN);
    await page.click('#use-token');
    // Kept in the page's memory only: not in the field, the URL or storage.
    expect(await page.inputValue('#token')).toBe('');
    expect(page.url()).not.toContain(BILLING_TOKEN);
    expect(await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })')).toBe(
      '{}{}',
    );

    await page.click('#start-run');
    await page.waitForSelector('#live:not([hidden])');
    // The bar moves: seen part-way, then full.
    const seen = new Set<string>();
    for (let waited = 0; waited < 60_000; waited += 50) {
      const [value, max, status] = await Promise.all([
        page.getAttribute('#live-progress', 'value'),
        page.getAttribute('#live-progress', 'max'),
        page.textContent('#live-status'),
      ]);
      seen.add(`${value}/${max}`);
      if (status === 'completed') break;
      await sleep(50);
    }
    expect(await page.textContent('#live-status')).toBe('completed');
    expect(await page.getAttribute('#live-progress', 'value')).toBe('300');
    expect(await page.getAttribute('#live-progress', 'max')).toBe('300');
    expect([...seen].some((state) => state !== '300/300' && state !== '0/300' && state.endsWith('/300'))).toBe(true);
    expect(await page.textContent('#live-text')).toBe('300 of 300 settled: 270 paid, 30 declined, 0 failed, 0 errored');

    await expect.poll(() => page.textContent('#count-PAID'), { timeout: 10_000 }).toBe('270');
    expect(await page.textContent('#count-PENDING')).toBe('30');
    const firstRow = page.locator('#runs tr').first();
    await expect.poll(() => firstRow.locator('td').nth(1).textContent(), { timeout: 10_000 }).toBe('completed');
    expect(await firstRow.locator('td').nth(2).textContent()).toBe('page');

    await page.fill('#invoice-id', '7');
    await page.click('#lookup-form button');
    await expect.poll(() => page.textContent('#invoice'), { timeout: 10_000 }).toContain('"status": "PAID"');
    await page.fill('#invoice-id', '99999');
    await page.click('#lookup-form button');
    await expect.poll(() => page.textContent('#invoice'), { timeout: 10_000 }).toBe("Invoice '99999' was not found");

    if (process.env.UPDATE_DOCS === '1') await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // The refused token's 401 and the unknown invoice's 404 are the only errors the browser may log.
    expect(problems.filter((problem) => !/status of 40[14]/.test(problem))).toEqual([]);
  });
});
