import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// What autocannon's worker thread requires: a CommonJS function of a request.
const randomPath = createRequire(import.meta.url)('../../bench/random-path.cjs') as (request: {
  path: string;
  method: string;
}) => { path: string; method: string };

describe('the API benchmark random path', () => {
  it('turns each {lo..hi} into an integer of that range, and keeps the rest of the request', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const request = randomPath({ method: 'GET', path: '/rest/v1/invoices?limit=100&after={0..3}&x={7..7}' });
      expect(request.method).toBe('GET');
      const match = /^\/rest\/v1\/invoices\?limit=100&after=(\d)&x=7$/.exec(request.path);
      expect(match, request.path).not.toBeNull();
      seen.add(match![1]!);
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3']);
  });

  it('leaves a path without a range as it is', () => {
    expect(randomPath({ method: 'GET', path: '/rest/v1/invoices' }).path).toBe('/rest/v1/invoices');
  });
});
