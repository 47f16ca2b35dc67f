// Kubernetes resource quantities (`500m`, `1Gi`, `2`, `1e3`): their value, to compare requests with
// limits (`npm run verify`), and the canonical form the API server stores (the constructs write it).

const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** The value of a quantity, or undefined when the API server would reject it. */
export function parseQuantity(quantity: string | number): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const [, digits, suffix, exponent] = match;
  const value = Number(digits);
  if (exponent !== undefined) return value * 10 ** Number(exponent);
  return value * SUFFIXES[suffix ?? '']!;
}

const BINARY_SUFFIXES = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi'];

/**
 * The canonical form of the quantities we write: whole milli-cores become cores, and a
 * binary size takes the largest suffix that keeps it whole. Anything else is left as it is.
 */
export function canonicalQuantity(quantity: string): string {
  const millis = /^(\d+)m$/.exec(quantity);
  if (millis) {
    const value = Number(millis[1]);
    return value % 1000 === 0 ? String(value / 1000) : quantity;
  }
  const binary = /^(\d+)(Ki|Mi|Gi|Ti|Pi)$/.exec(quantity);
  if (binary) {
    let value = Number(binary[1]);
    let index = BINARY_SUFFIXES.indexOf(binary[2] ?? '');
    while (value !== 0 && value % 1024 === 0 && index < BINARY_SUFFIXES.length - 1) {
      value /= 1024;
      index += 1;
    }
    return `${value}${BINARY_SUFFIXES[index]}`;
  }
  return quantity;
}
