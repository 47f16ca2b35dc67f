import Type from 'typebox';

/** Largest id: ids are 32-bit integers, as in Antaeus. */
export const MAX_ID = 2_147_483_647;

/**
 * Path and query values arrive as strings and are parsed here rather than by the schema,
 * because TypeBox's conversion truncates ("1.5" would become invoice 1) and takes hex and
 * exponents ("0x10", "1e3"). Only plain decimal digits are an integer here.
 */
export function parseInteger(name: string, raw: string, min: number, max: number): number {
  const value = /^-?[0-9]{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw Object.assign(new Error(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`), {
      statusCode: 400,
    });
  }
  return value;
}

/** Path parameters of a route addressed by id. */
export const IdParams = Type.Object({ id: Type.String() });
