import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as AjvModule from 'ajv';
import type { Ajv, Format, ValidateFunction } from 'ajv';

// The upstream Kubernetes 1.27.0 OpenAPI definitions, as cdk8s serves them for `cdk8s import
// k8s@1.27.0` (the same file imports/k8s.ts was generated from, by `npm run import`), kept in the
// repository so that verification needs nothing outside it. Only reformatted by prettier; the JSON is unchanged.
//
// Why not kubernetes-models' per-kind validate(): its 5.x schemas are a newer Kubernetes (they know
// fields 1.27 does not, such as `restartPolicyRules`), it needs Node 22, and it accepts unknown
// fields, which is exactly the mistake that `kubectl apply` (strict field validation) rejects.
// So: the same upstream schema, with ajv, closed with `additionalProperties: false` below.
const SCHEMA_FILE = new URL('../schemas/k8s/v1.27.0/_definitions.json', import.meta.url);

const requireHere = createRequire(import.meta.url);

/**
 * Compiling a validator costs about 20 ms a kind, more than the rest of the check: each is kept as
 * ajv standalone code, in a folder named by the hash of all that decides what it does (the schema
 * document, this file, the ajv version), so that no change to any of them can reuse a validator.
 * $VERIFY_SCHEMA_CACHE moves it, as $RUN_TS_CACHE moves run-ts.mjs's (the synth benchmark's
 * first-run cases start both empty).
 */
export const CACHE =
  process.env.VERIFY_SCHEMA_CACHE ?? fileURLToPath(new URL('../node_modules/.cache/verify-schema/', import.meta.url));

type JsonSchema = Record<string, unknown>;

/** The formats the Kubernetes schema uses that ajv does not know. */
export const FORMATS: Record<string, Format> = {
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 },
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
  double: { type: 'number', validate: () => true },
  byte: /^[A-Za-z0-9+/]*={0,2}$/,
  'date-time': { type: 'string', validate: (s: string) => !Number.isNaN(Date.parse(s)) },
};

/**
 * Closes every object schema that lists its properties, the way kubeconform's `-strict` does:
 * a field the API does not know is then an error instead of silently dropped. Objects without a
 * property list (RawExtension, FieldsV1, label maps) stay open, as they are in the API, and so do
 * those a CRD marks `x-kubernetes-preserve-unknown-fields`.
 */
export function closeObjects(schema: unknown): void {
  if (typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema)) {
    schema.forEach(closeObjects);
    return;
  }
  const node = schema as JsonSchema;
  const properties = node.properties as Record<string, unknown> | undefined;
  if (properties) {
    Object.values(properties).forEach(closeObjects);
    if (node.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
      node.additionalProperties = false;
    }
  }
  for (const key of ['items', 'additionalProperties', 'oneOf', 'anyOf', 'allOf', 'not'] as const) {
    if (typeof node[key] === 'object') closeObjects(node[key]);
  }
}

type SchemaDocument = { definitions: Record<string, JsonSchema> };
type Validators = Record<string, ValidateFunction>;
/** The kept module: fills `exports` with a validator by `apiVersion kind`. */
type KeptValidators = (formats: Record<string, Format>, require: NodeRequire, exports: Validators) => void;
const VALIDATORS = 'validators.cjs';

/** Definition name by `apiVersion kind`, for each kind Kubernetes 1.27 serves. */
function servedKinds(document: SchemaDocument): Record<string, string> {
  const served: Record<string, string> = {};
  for (const [name, definition] of Object.entries(document.definitions)) {
    const kinds = definition['x-kubernetes-group-version-kind'] as
      { group: string; version: string; kind: string }[] | undefined;
    // DeleteOptions, WatchEvent and Status are listed under every group: they are not objects one applies.
    if (kinds?.length === 1) {
      const [{ group, version, kind }] = kinds as [{ group: string; version: string; kind: string }];
      served[`${group ? `${group}/` : ''}${version} ${kind}`] = name;
    }
  }
  return served;
}

/** Written whole, then renamed: a check running at the same time never reads half a file. */
export function writeWhole(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.${process.pid}`, text);
  renameSync(`${file}.${process.pid}`, file);
}

/**
 * Validators for each apiVersion + kind that Kubernetes 1.27 serves, loaded from the cache or
 * compiled on first use. The 1 MB document itself is parsed only when something is not cached.
 */
/**
 * An ajv whose validators can be kept as code. validateSchema: the schemas are checked against
 * the JSON Schema meta-schema by a test, not on every run. optimize: ajv's pass over the
 * generated code costs more than it saves once. source and formats: the generated code is
 * kept, and finds the formats in `formats`. Loaded only when called: a run that finds every
 * validator kept does not load ajv's compiler.
 */
export function keepingAjv(): Ajv {
  const { _, Ajv } = requireHere('ajv') as typeof AjvModule;
  return new Ajv({
    allErrors: true,
    strict: false,
    validateSchema: false,
    code: { optimize: false, source: true, formats: _`formats` },
    formats: FORMATS,
  });
}

export class SchemaRegistry {
  private readonly text: Buffer;
  private readonly folder: string;
  private readonly definitionByKind: Map<string, string>;
  private validators?: Validators;

  /** `cacheFolder`: where compiled validators are kept (tests use their own). */
  constructor(schemaFile: URL = SCHEMA_FILE, cacheFolder = CACHE) {
    this.text = readFileSync(schemaFile);
    const digest = createHash('sha256')
      .update(this.text)
      .update(readFileSync(new URL(import.meta.url)))
      .update(requireHere('ajv/package.json').version as string);
    this.folder = join(cacheFolder, digest.digest('hex'));
    const kindsFile = join(this.folder, 'kinds.json');
    let kinds: Record<string, string>;
    try {
      kinds = JSON.parse(readFileSync(kindsFile, 'utf8')) as Record<string, string>;
    } catch {
      kinds = servedKinds(JSON.parse(this.text.toString('utf8')) as SchemaDocument);
      writeWhole(kindsFile, JSON.stringify(kinds));
    }
    this.definitionByKind = new Map(Object.entries(kinds));
  }

  validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
    this.prepare([{ apiVersion, kind }]);
    return this.validators?.[`${apiVersion} ${kind}`];
  }

  /** Loads or compiles, all at once, the validators of these objects' kinds. */
  prepare(objects: readonly { apiVersion: string; kind: string }[]): void {
    const keys = new Set(objects.map(({ apiVersion, kind }) => `${apiVersion} ${kind}`));
    this.validators ??= this.load() ?? {};
    const missing = [...keys].filter((key) => this.definitionByKind.has(key) && !this.validators![key]);
    if (missing.length > 0) this.validators = this.compile([...Object.keys(this.validators), ...missing]);
  }

  /** The served versions of a kind, for the hint when an apiVersion is wrong. */
  versionsOf(kind: string): string[] {
    return [...this.definitionByKind.keys()].filter((key) => key.endsWith(` ${kind}`)).map((key) => key.split(' ')[0]!);
  }

  private load(): Validators | undefined {
    try {
      const validators: Validators = {};
      (requireHere(join(this.folder, VALIDATORS)) as KeptValidators)(FORMATS, requireHere, validators);
      return validators;
    } catch {
      return undefined;
    }
  }

  /**
   * Compiles validators for `keys` and keeps them as one module: Deployment, StatefulSet, Job and
   * CronJob then share the code of the pod template, a quarter of the size of one file each.
   */
  private compile(keys: string[]): Validators {
    const { default: standaloneCode } = requireHere('ajv/dist/standalone') as {
      default: (ajv: Ajv, refs: Record<string, string>) => string;
    };
    const document = JSON.parse(this.text.toString('utf8')) as SchemaDocument;
    Object.values(document.definitions).forEach(closeObjects);
    const ajv = keepingAjv();
    ajv.addSchema(document, 'k8s');
    // Schema ids are URIs: `apps/v1 Deployment` would be a path that `k8s#...` resolves against.
    const ids = Object.fromEntries(keys.map((key) => [key, key.replace(/[^A-Za-z0-9]+/g, '_')]));
    const validators: Validators = {};
    for (const key of keys) {
      ajv.addSchema({ $ref: `k8s#/definitions/${this.definitionByKind.get(key)}` }, ids[key]);
      validators[key] = ajv.getSchema(ids[key]!)!;
    }
    const code = standaloneCode(ajv, ids);
    writeWhole(join(this.folder, VALIDATORS), `module.exports = function (formats, require, exports) {\n${code}\n};\n`);
    return validators;
  }
}
