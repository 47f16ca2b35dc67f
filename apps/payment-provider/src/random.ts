import { randomBytes } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A source of numbers uniform in [0, 1). */
export interface RandomSource {
  next(): number;
}

/** The provider's two independent sources of chance. */
export interface RandomStreams {
  /** Decides whether a charge succeeds: one draw per recorded charge. */
  readonly outcomes: RandomSource;
  /** Decides injected latency and errors, apart from the outcomes. */
  readonly faults: RandomSource;
}

/**
 * Seeded, both streams are reproducible: the same seed and the same requests give the same
 * answers. They are separate (the fault stream is the outcome stream jumped 2^64 steps ahead)
 * so that turning fault injection on does not shift which charges succeed. Unseeded, every
 * draw comes from the operating system's CSPRNG.
 */
export function randomStreams(seed?: number): RandomStreams {
  if (seed === undefined) return { outcomes: cryptoRandom(), faults: cryptoRandom() };
  const outcomes = xoroshiro128plus(seed);
  const faults = outcomes.clone();
  faults.jump();
  return { outcomes: { next: () => uniformFloat64(outcomes) }, faults: { next: () => uniformFloat64(faults) } };
}

// Bytes of the CSPRNG fetched at once: a call per draw made every charge pay for a call into it.
const DRAWS_PER_FETCH = 1_024;

/** Draws of 48 random bits (far finer than any rate a person configures) from the CSPRNG. */
function cryptoRandom(): RandomSource {
  let bytes = Buffer.alloc(0);
  let offset = 0;
  return {
    next() {
      if (offset === bytes.length) {
        bytes = randomBytes(6 * DRAWS_PER_FETCH);
        offset = 0;
      }
      const value = bytes.readUIntBE(offset, 6);
      offset += 6;
      return value / 2 ** 48;
    },
  };
}
