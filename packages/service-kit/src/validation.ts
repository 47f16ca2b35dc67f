import type { FastifySchemaCompiler, FastifySchemaValidationError, FastifyServerOptions } from 'fastify';
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

/** A validation error as TypeBox reports it. */
interface SchemaError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** What a client calls each part of a request. */
const PART_NAMES: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'field',
  headers: 'header',
};

/** Marks an error whose message is a whole sentence, not to be prefixed with where it was found. */
const WHOLE = Symbol('whole message');

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
    if (check.Check(converted)) return { value: converted };
    const errors = [...check.Errors(converted)] as SchemaError[];
    return { error: plainErrors(errors, schema, httpPart ?? 'body', converted) as FastifySchemaValidationError[] };
  };
};

/**
 * Rewrites the validator's words where a client would not understand them: an unknown parameter
 * (TypeBox says `schema is false` and `must not have additional properties`) is named with the
 * ones that are known, and a value outside an enumeration gets the allowed values.
 */
function plainErrors(errors: SchemaError[], schema: TSchema, httpPart: string, value: unknown): SchemaError[] {
  const part = PART_NAMES[httpPart] ?? httpPart;
  const known = Object.keys((schema as FlatSchema).properties ?? {});
  return errors
    .filter((error) => !(error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')))
    .map((error) => {
      if (error.keyword === 'additionalProperties' && error.instancePath === '') {
        const unknown = (error.params.additionalProperties as string[]).map((name) => `'${name}'`).join(', ');
        const takes = known.length === 0 ? `it takes no ${part}s` : `it takes ${known.join(', ')}`;
        return { ...error, message: `Unknown ${part} ${unknown}: ${takes}`, [WHOLE]: true };
      }
      if (error.keyword === 'enum') {
        const allowed = (error.params.allowedValues as unknown[]).map(String).join(', ');
        const got = JSON.stringify(valueAt(value, error.instancePath));
        return { ...error, message: `must be one of ${allowed} (got ${got})` };
      }
      return error;
    });
}

function valueAt(value: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (at, key) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined),
      value,
    );
}

/**
 * Fastify's schemaErrorFormatter: one message for all of a request's validation errors, each
 * as `<part><path> <problem>` (`querystring/limit must be integer`), or as the whole sentence
 * plainErrors wrote.
 */
export const formatValidationErrors: NonNullable<FastifyServerOptions['schemaErrorFormatter']> = (errors, dataVar) => {
  const messages = errors.map((error) =>
    (error as { [WHOLE]?: boolean })[WHOLE] === true
      ? error.message
      : `${dataVar}${error.instancePath} ${error.message}`,
  );
  return new Error([...new Set(messages)].join(', '));
};
