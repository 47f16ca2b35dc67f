import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv, Format, ValidateFunction } from 'ajv';
import { CORE_SCHEMA, load } from 'js-yaml';
import { CACHE, closeObjects, FORMATS, keepingAjv, writeWhole } from './schema-registry.js';

// The custom resources' schemas: the `openAPIV3Schema` of each served version of each CRD vendored
// in schemas/crds/ (the same files imports/ is generated from), checked as the API server checks a
// custom resource with strict field validation: unknown fields are errors except under
// `x-kubernetes-preserve-unknown-fields`. Its CEL rules (`x-kubernetes-validations`) are not run.
const CRD_FOLDER = fileURLToPath(new URL('../schemas/crds/', import.meta.url));

const requireHere = createRequire(import.meta.url);

type JsonSchema = Record<string, unknown>;
interface CrdVersion {
  readonly file: string;
  readonly version: string;
}
type KeptValidator = (formats: Record<string, Format>, require: NodeRequire) => ValidateFunction;

/** Go's RE2 takes a leading `(?i)`; JavaScript takes a flag, which a schema cannot carry: spell each letter both ways. */
export function javascriptPattern(pattern: string): string {
  const match = /^(\^?)\(\?i\)(.*)$/s.exec(pattern);
  if (!match) return pattern;
  let out = match[1] ?? '';
  let inClass = false;
  const rest = match[2] ?? '';
  for (let i = 0; i < rest.length; i += 1) {
    const char = rest[i]!;
    if (char === '\\') {
      out += char + (rest[i + 1] ?? '');
      i += 1;
    } else if (char === '[' || char === ']') {
      inClass = char === '[';
      out += char;
    } else if (/[A-Za-z]/.test(char)) {
      out += inClass ? `${char.toLowerCase()}${char.toUpperCase()}` : `[${char.toLowerCase()}${char.toUpperCase()}]`;
    } else {
      out += char;
    }
  }
  return out;
}

function rewritePatterns(schema: unknown, formats: Set<string>): void {
  if (typeof schema !== 'object' || schema === null) return;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' && typeof value === 'string') (schema as JsonSchema).pattern = javascriptPattern(value);
    else if (key === 'format' && typeof value === 'string') formats.add(value);
    else rewritePatterns(value, formats);
  }
}

/**
 * Validators for every `group/version Kind` the vendored CRDs serve. Each is compiled on first use
 * (the largest take seconds) and kept as ajv standalone code in the verify cache, named by the hash
 * of its CRD file, this file and the ajv version, as SchemaRegistry keeps the built-in kinds'.
 */
export class CrdSchemaRegistry {
  private readonly byKind = new Map<string, CrdVersion>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly texts = new Map<string, string>();
  private readonly salt: string;

  constructor(
    folder = CRD_FOLDER,
    private readonly cacheFolder = CACHE,
  ) {
    this.salt = `${readFileSync(new URL(import.meta.url), 'utf8')}${requireHere('ajv/package.json').version as string}`;
    for (const project of readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
      for (const name of readdirSync(join(folder, project.name)).filter((file) => /\.ya?ml$/.test(file))) {
        const file = join(folder, project.name, name);
        const text = readFileSync(file, 'utf8');
        this.texts.set(file, text);
        // The header is enough to index a CRD: group, kind and the served versions.
        const group = /^ {2}group: (\S+)$/m.exec(text)?.[1];
        const kind = /^ {4}kind: (\S+)$/m.exec(text)?.[1];
        // A version's name is the only `name:` at its item's level (printer columns are deeper).
        const versions = [...text.matchAll(/^ {2}- name: (v\S+)$|^ {4}name: (v\S+)$/gm)].map((m) => (m[1] ?? m[2])!);
        if (!group || !kind) throw new Error(`${file} is not a CustomResourceDefinition (no group or kind).`);
        for (const version of versions) this.byKind.set(`${group}/${version} ${kind}`, { file, version });
      }
    }
  }

  /** Whether a vendored CRD serves this apiVersion and kind. */
  serves(apiVersion: string, kind: string): boolean {
    return this.byKind.has(`${apiVersion} ${kind}`);
  }

  /** The served versions of a kind, for the hint when an apiVersion is wrong. */
  versionsOf(kind: string): string[] {
    return [...this.byKind.keys()].filter((key) => key.endsWith(` ${kind}`)).map((key) => key.split(' ')[0]!);
  }

  validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = `${apiVersion} ${kind}`;
    const source = this.byKind.get(key);
    if (!source) return undefined;
    const known = this.validators.get(key);
    if (known) return known;
    const text = this.texts.get(source.file)!;
    const digest = createHash('sha256').update(text).update(this.salt).update(source.version).digest('hex');
    const kept = join(this.cacheFolder, 'crd', `${digest}.cjs`);
    let validate: ValidateFunction;
    try {
      validate = (requireHere(kept) as KeptValidator)(FORMATS, requireHere);
    } catch {
      validate = this.compile(text, source.version, kept);
    }
    this.validators.set(key, validate);
    return validate;
  }

  private compile(text: string, version: string, kept: string): ValidateFunction {
    const { default: standaloneCode } = requireHere('ajv/dist/standalone') as {
      default: (ajv: Ajv, validate: ValidateFunction) => string;
    };
    const crd = load(text, { schema: CORE_SCHEMA }) as {
      spec: { versions: { name: string; schema?: { openAPIV3Schema?: JsonSchema } }[] };
    };
    const schema = crd.spec.versions.find((v) => v.name === version)?.schema?.openAPIV3Schema ?? {};
    const formats = new Set<string>();
    rewritePatterns(schema, formats);
    closeObjects(schema);
    const ajv = keepingAjv();
    // Formats the built-in schema does not use (e.g. `duration`) are not checked, as kubectl does not.
    for (const format of formats) if (!(format in FORMATS)) ajv.addFormat(format, true);
    const validate = ajv.compile(schema);
    const code = standaloneCode(ajv, validate);
    writeWhole(
      kept,
      `module.exports = function (formats, require) {\nconst module = { exports: {} };\n${code}\nreturn module.exports;\n};\n`,
    );
    return validate;
  }
}
