import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@billing/devkit/vitest';
import type { ServiceApp } from '@billing/service-kit';
import { auth, body, startProvider, storedCharges } from './provider.js';

// Two replicas (separate processes' worth of state: pools, random sources) on one ledger,
// behind real listeners: only the database can keep racing requests from charging twice.
let replicas: ServiceApp[];
let urls: string[];

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('race');
  replicas = [await startProvider({}, databaseUrl), await startProvider({}, databaseUrl)];
  urls = await Promise.all(replicas.map((app) => app.listen({ port: 0, host: '127.0.0.1' })));
});

async function post(index: number, payload: object, idempotencyKey?: string) {
  const headers = {
    ...auth,
    'content-type': 'application/json',
    ...(idempotencyKey && { 'idempotency-key': idempotencyKey }),
  };
  const response = await fetch(`${urls[index % urls.length]}/rest/v1/charge`, {
    method: 'POST',
    headers,
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as { result?: boolean; error?: string } };
}

const CONCURRENT = 40;

describe('racing requests', () => {
  it('with one key and one body: exactly one ledger row, and every caller gets its answer', async () => {
    // At rate 0.5, a provider that answered each racer with its own draw would disagree with
    // itself in all but 2^-39 of cases, per key.
    for (const key of ['race-a', 'race-b', 'race-c', 'race-d', 'race-e']) {
      const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_unused, index) => post(index, body, key)));
      const rows = await storedCharges(replicas[0]!, 'idempotency_key = $1', [key]);
      expect(rows, key).toHaveLength(1);
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(new Set(answers.map((answer) => answer.body.result))).toEqual(new Set([rows[0]!.result]));
    }
  });

  it('with one key and two bodies: one charge, its body answered, the other refused with 409', async () => {
    const other = { ...body, value: 999.99 };
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, (_unused, index) => post(index, index % 4 < 2 ? body : other, 'race-mixed')),
    );
    const rows = await storedCharges(replicas[0]!, 'idempotency_key = $1', ['race-mixed']);
    expect(rows).toHaveLength(1);
    const winner = rows[0]!.amount === '184.04' ? 0 : 1;
    answers.forEach((answer, index) => {
      const sentWinner = (index % 4 < 2 ? 0 : 1) === winner;
      if (sentWinner) expect(answer).toEqual({ status: 200, body: { result: rows[0]!.result } });
      else expect(answer.status).toBe(409);
    });
  });

  it('without a key: every request is a charge of its own', async () => {
    const before = (await storedCharges(replicas[0]!)).length;
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_unused, index) => post(index, body)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(await storedCharges(replicas[0]!)).toHaveLength(before + CONCURRENT);
  });
});
