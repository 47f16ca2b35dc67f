import type { ErrorObject } from 'ajv';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { CrdSchemaRegistry } from '../crd-schemas.js';
import { SchemaRegistry } from '../schema-registry.js';

// Kinds 1.27 does not serve at the apiVersion we write (ValidatingAdmissionPolicy and its binding
// went v1 in 1.30) are checked against the Kubernetes 1.32 definitions, the same file
// `npm run import:k8s-1.32` generated their types from, so that no object goes unchecked.
const LATER_SCHEMA_FILE = new URL('../../schemas/k8s/v1.32.0/_definitions.json', import.meta.url);
const LATER_VERSION = '1.32';

let registry: SchemaRegistry | undefined;
let laterRegistry: SchemaRegistry | undefined;

/** `/spec/containers/0/name` -> `spec.containers[0].name`. */
function toPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

/** One ajv error in the words `kubectl apply` uses. */
function describe(error: ErrorObject): { path: string; message: string } {
  const path = toPath(error.instancePath);
  const at = (field: string) => (path ? `${path}.${field}` : field);
  switch (error.keyword) {
    case 'additionalProperties':
      return { path, message: `unknown field "${at(String(error.params.additionalProperty))}"` };
    case 'required':
      return { path, message: `missing required field "${at(String(error.params.missingProperty))}"` };
    case 'type':
      return { path, message: `${path || 'object'}: wrong type, must be ${String(error.params.type)}` };
    case 'oneOf':
      return { path, message: `${path}: wrong type, must be a string or a number` };
    case 'enum':
      return { path, message: `${path}: must be one of ${(error.params.allowedValues as unknown[]).join(', ')}` };
    default:
      return { path, message: `${path}: ${error.message ?? error.keyword}` };
  }
}

let crds: CrdSchemaRegistry | undefined;

/** Which built-in versions serve a kind: 1.27's, or else the later schema's. */
function servedBy(kind: string): string {
  const early = registry?.versionsOf(kind) ?? [];
  if (early.length > 0) return `1.27 serves ${kind} as ${early.join(', ')}`;
  return `${LATER_VERSION} serves ${kind} as ${(laterRegistry?.versionsOf(kind) ?? []).join(', ')}`;
}

export const schema: Check = {
  name: 'schema',
  category: 'schema',
  reason: `Every object must match the Kubernetes 1.27 OpenAPI schema (${LATER_VERSION} for kinds 1.27 lacks), or its CRD in schemas/crds: no unknown fields, right types, required fields set.`,
  equivalents: ['kubeconform -strict', 'kubectl apply --validate=strict'],
  run(cluster) {
    registry ??= new SchemaRegistry();
    const objects = cluster.manifests.map((manifest) => manifest.object);
    registry.prepare(objects);
    const later = objects.filter(({ apiVersion, kind }) => !registry!.validatorFor(apiVersion, kind));
    if (later.length > 0) {
      laterRegistry ??= new SchemaRegistry(LATER_SCHEMA_FILE);
      laterRegistry.prepare(later);
    }
    const found: Finding[] = [];
    for (const manifest of cluster.manifests) {
      const { apiVersion, kind } = manifest.object;
      let validate = registry.validatorFor(apiVersion, kind) ?? laterRegistry?.validatorFor(apiVersion, kind);
      const builtIn = [...registry.versionsOf(kind), ...(laterRegistry?.versionsOf(kind) ?? [])];
      if (!validate && builtIn.length === 0) {
        crds ??= new CrdSchemaRegistry();
        validate = crds.validatorFor(apiVersion, kind);
        if (!validate) {
          const served = crds.versionsOf(kind);
          const hint = served.length > 0 ? ` (its CRD serves ${served.join(', ')})` : ' (nor a CRD in schemas/crds)';
          found.push(
            finding(
              manifest,
              'apiVersion',
              `${apiVersion} ${kind} is not a kind Kubernetes 1.27 or ${LATER_VERSION} serves${hint}`,
            ),
          );
          continue;
        }
      }
      if (!validate) {
        found.push(
          finding(
            manifest,
            'apiVersion',
            `${apiVersion} ${kind} is not a kind Kubernetes 1.27 or ${LATER_VERSION} serves (${servedBy(kind)})`,
          ),
        );
        continue;
      }
      if (validate(manifest.object)) continue;
      // An IntOrString mismatch also fails each branch of its oneOf (anyOf in a CRD): report it once.
      const errors = (validate.errors ?? []).filter(
        (error) => !error.schemaPath.includes('/oneOf/') && !error.schemaPath.includes('/anyOf/'),
      );
      for (const error of errors) {
        const { path, message } = describe(error);
        found.push(finding(manifest, path || undefined, message));
      }
    }
    return found;
  },
};
