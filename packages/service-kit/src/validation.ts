import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

// A string from a URL or the environment counts as a number only when it is written as one:
// TypeBox's own conversion would turn "1.5" into 1, "1e3" into 1000 and "" into 0.
const INTEGER = /^-?(0|[1-9]\d*)$/;
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

interface FlatSchema {
  type?: unknown;
  properties?: Record<string, { type?: unknown }>;
}

/**
 * Converts the string values of a flat object (path parameters, a query string, headers,
 * the environment) to the integers, numbers and booleans its schema asks for, leaving
 * anything not written exactly so as a string, so that validation rejects it.
 */
export function convertStrings(schema: TSchema, value: unknown): unknown {
  const properties = (schema as FlatSchema).properties;
  if (properties === undefined || typeof value !== 'object' || value === null) return value;
  const converted: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [name, raw] of Object.entries(converted)) {
    const type = properties[name]?.type;
    if (typeof raw !== 'string') continue;
    if (type === 'integer' && INTEGER.test(raw) && Number.isSafeInteger(Number(raw))) converted[name] = Number(raw);
    if (type === 'number' && DECIMAL.test(raw)) converted[name] = Number(raw);
    if (type === 'boolean' && (raw === 'true' || raw === 'false')) converted[name] = raw === 'true';
  }
  return converted;
}

/**
 * Fastify's validator for TypeBox schemas: bodies are checked as sent (JSON "5" is not an
 * integer), path, query and headers are converted strictly first.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (value) => {
    const converted = httpPart === 'body' ? value : convertStrings(schema, value);
    return check.Check(converted) ? { value: converted } : { error: [...check.Errors(converted)] };
  };
};
