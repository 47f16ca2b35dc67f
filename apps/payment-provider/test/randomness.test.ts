import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@billing/devkit/vitest';
import type { ServiceApp } from '@billing/service-kit';
import { randomStreams, type RandomSource } from '../src/random.js';
import { body, charge, fiveSigma, inBatches, startProvider, storedCharges } from './provider.js';

const draw = (source: RandomSource, count: number) => Array.from({ length: count }, () => source.next());

describe('random streams', () => {
  it('repeat exactly for one seed, and differ between seeds and between outcomes and faults', () => {
    const first = randomStreams(42);
    const second = randomStreams(42);
    const outcomes = draw(first.outcomes, 100);
    expect(draw(second.outcomes, 100)).toEqual(outcomes);
    expect(draw(first.faults, 100)).toEqual(draw(second.faults, 100));
    expect(draw(randomStreams(43).outcomes, 100)).not.toEqual(outcomes);
    expect(draw(randomStreams(42).faults, 100)).not.toEqual(outcomes);
  });

  it.each([
    ['seeded', randomStreams(7).outcomes],
    ['crypto', randomStreams().outcomes],
  ])('are uniform in [0, 1) (%s)', (_name, source) => {
    const n = 100_000;
    const values = draw(source, n);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    // The mean of n uniform draws has standard deviation sqrt(1 / (12 n)).
    const mean = values.reduce((sum, value) => sum + value, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / (12 * n)));
    const lowest10th = values.filter((value) => value < 0.1).length;
    expect(Math.abs(lowest10th - n * 0.1)).toBeLessThan(fiveSigma(n, 0.1));
  });

  it('without a seed, two providers do not share a sequence', () => {
    expect(draw(randomStreams().outcomes, 64)).not.toEqual(draw(randomStreams().outcomes, 64));
  });
});

describe('charge outcomes', () => {
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await createTestDatabase('randomness');
  });

  // A sequence of requests: keyed ones get their own key per provider, so providers sharing a database never collide.
  const requests = Array.from({ length: 48 }, (_unused, index) => ({
    payload: { ...body, customer_id: index + 1, value: 10 + index },
    key: index % 3 === 0 ? undefined : `charge-${index}`,
  }));

  async function outcomesOf(app: ServiceApp, prefix: string, retry = false) {
    const results: boolean[] = [];
    for (const { payload, key } of requests) {
      const response = await charge(app, payload, key && `${prefix}-${key}`);
      expect(response.statusCode).toBe(200);
      results.push(response.json().result);
      // A retry answers from the ledger and must not move the sequence on.
      if (retry && key)
        expect((await charge(app, payload, `${prefix}-${key}`)).json().result).toBe(response.json().result);
    }
    return results;
  }

  it('are the same for the same seed and the same requests, and differ for another seed', async () => {
    const reference = await outcomesOf(await startProvider({ RANDOM_SEED: '42' }, databaseUrl), 'a');
    expect(reference).toContain(true);
    expect(reference).toContain(false);
    expect(await outcomesOf(await startProvider({ RANDOM_SEED: '42' }, databaseUrl), 'b')).toEqual(reference);
    expect(await outcomesOf(await startProvider({ RANDOM_SEED: '42' }, databaseUrl), 'c', true)).toEqual(reference);
    // Two seeds agree on 48 fair coin flips once in 2^48.
    expect(await outcomesOf(await startProvider({ RANDOM_SEED: '43' }, databaseUrl), 'd')).not.toEqual(reference);
  });

  it('match the success rate over a few thousand charges', async () => {
    const rate = 0.3;
    const n = 2_000;
    const app = await startProvider({ PAYMENT_SUCCESS_RATE: String(rate) });
    const results = await inBatches(n, 50, async (index) => {
      const response = await charge(app, { ...body, customer_id: index + 1 });
      return response.json().result as boolean;
    });
    const charged = results.filter(Boolean).length;
    expect(Math.abs(charged - n * rate)).toBeLessThan(fiveSigma(n, rate));
    // The ledger agrees with the answers, charge by charge.
    const rows = await storedCharges(app);
    expect(rows).toHaveLength(n);
    const recorded = new Map(rows.map((row) => [Number(row.customer_id), row.result]));
    expect(results.every((result, index) => recorded.get(index + 1) === result)).toBe(true);
  });
});
