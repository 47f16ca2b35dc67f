import type { CelInput, CelValue } from '@bufbuild/cel';
import { isCelError, parse, run } from '@bufbuild/cel';
import type { Cluster } from './cluster.js';
import type { K8sObject, LabelSelector } from './kubernetes.js';
import { apiGroupOf, isNamespaced } from './kubernetes.js';
import { selects } from './label-selector.js';
import type { Manifest } from './manifest.js';
import { namespaceOf } from './manifest.js';

/** A request as a ValidatingAdmissionPolicy sees it. */
export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE';
  /** The object as sent (for UPDATE, the new one). */
  readonly object: K8sObject;
  /** The object before an UPDATE. */
  readonly oldObject?: K8sObject;
  /** Who asks. @default a member of system:authenticated only */
  readonly userInfo?: { readonly username: string; readonly groups: readonly string[] };
}

/** One refusal: by which policy and binding, and what it says. */
export interface AdmissionRefusal {
  readonly policy: string;
  readonly binding: string;
  readonly message: string;
}

interface ResourceRule {
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  operations?: string[];
}
interface MatchResources {
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  resourceRules?: ResourceRule[];
}
interface PolicySpec {
  failurePolicy?: string;
  matchConstraints?: MatchResources;
  matchConditions?: { name: string; expression: string }[];
  variables?: { name: string; expression: string }[];
  validations?: { expression: string; message?: string }[];
}
interface BindingSpec {
  policyName?: string;
  validationActions?: string[];
  matchResources?: MatchResources;
}

/** `Service` -> `services`, `Ingress` -> `ingresses`, `NetworkPolicy` -> `networkpolicies`. */
export function resourceOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === 'endpoints') return lower;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/**
 * Kubernetes objects as CEL sees them: JSON integers are CEL ints (the schema says integer), maps
 * and lists as CEL maps and lists. JSON numbers with a fraction stay doubles.
 */
export function toCel(value: unknown): CelInput {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([key, item]) => [key, toCel(item)]));
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value as CelInput;
}

/** Evaluates one expression; a CEL error (an unknown function, a missing field) is thrown with the expression. */
export function evaluate(expression: string, bindings: Record<string, CelInput>): CelValue {
  const result = run(expression, bindings);
  if (isCelError(result)) throw new Error(`${result.message} in: ${expression}`);
  return result;
}

/**
 * The ValidatingAdmissionPolicies and bindings of the manifests, evaluated the way the API server
 * does (k8s.io/apiserver's validating admission policy plugin) for the parts we use: a binding
 * with the Deny action applies its policy to requests that match both the policy's constraints
 * and the binding's (resource rules, operations, namespace and object selectors); all match
 * conditions must hold; variables are evaluated in order; every failing validation refuses; an
 * expression that errs refuses under failurePolicy Fail and is skipped under Ignore. The CEL is
 * evaluated by @bufbuild/cel with the standard library only, a subset of Kubernetes' CEL.
 */
export class AdmissionPolicies {
  readonly policies: readonly Manifest[];
  readonly bindings: readonly Manifest[];

  constructor(private readonly cluster: Cluster) {
    this.policies = cluster.ofKind('ValidatingAdmissionPolicy');
    this.bindings = cluster.ofKind('ValidatingAdmissionPolicyBinding');
  }

  /** Expressions that do not parse, by policy and field. */
  syntaxErrors(): { manifest: Manifest; path: string; message: string }[] {
    return this.policies.flatMap((manifest) => {
      const spec = (manifest.object.spec ?? {}) as PolicySpec;
      const fields = [
        ...(spec.matchConditions ?? []).map((c, i) => [`spec.matchConditions[${i}]`, c.expression] as const),
        ...(spec.variables ?? []).map((v, i) => [`spec.variables[${i}]`, v.expression] as const),
        ...(spec.validations ?? []).map((v, i) => [`spec.validations[${i}]`, v.expression] as const),
      ];
      return fields.flatMap(([path, expression]) => {
        try {
          parse(expression);
          return [];
        } catch (error) {
          return [{ manifest, path: `${path}.expression`, message: (error as Error).message }];
        }
      });
    });
  }

  /** What the policies say to a request: every refusal, none when it is admitted. */
  review(request: AdmissionRequest): AdmissionRefusal[] {
    const refusals: AdmissionRefusal[] = [];
    for (const binding of this.bindings) {
      const bindingSpec = (binding.object.spec ?? {}) as BindingSpec;
      if (!(bindingSpec.validationActions ?? []).includes('Deny')) continue;
      const policy = this.policies.find(({ object }) => object.metadata?.name === bindingSpec.policyName);
      if (!policy) continue;
      const spec = (policy.object.spec ?? {}) as PolicySpec;
      if (!this.matches(spec.matchConstraints, request, true)) continue;
      if (bindingSpec.matchResources && !this.matches(bindingSpec.matchResources, request, false)) continue;
      const name = { policy: policy.object.metadata?.name ?? '', binding: binding.object.metadata?.name ?? '' };
      try {
        refusals.push(...this.validate(spec, request).map((message) => ({ ...name, message })));
      } catch (error) {
        if ((spec.failurePolicy ?? 'Fail') === 'Fail') {
          refusals.push({ ...name, message: `policy could not be evaluated: ${(error as Error).message}` });
        }
      }
    }
    return refusals;
  }

  private validate(spec: PolicySpec, request: AdmissionRequest): string[] {
    const { object } = request;
    const namespace = isNamespaced(object.kind) ? namespaceOf(object) : '';
    const group = apiGroupOf(object.apiVersion);
    const version = object.apiVersion.split('/').at(-1)!;
    const bindings: Record<string, CelInput> = {
      object: toCel(object),
      oldObject: request.oldObject ? toCel(request.oldObject) : null,
      params: null,
      namespaceObject: namespace ? toCel(this.namespaceObject(namespace)) : null,
      request: toCel({
        operation: request.operation,
        kind: { group, version, kind: object.kind },
        resource: { group, version, resource: resourceOf(object.kind) },
        name: object.metadata?.name ?? '',
        namespace,
        userInfo: request.userInfo ?? { username: 'someone', groups: ['system:authenticated'] },
        dryRun: false,
      }),
    };
    for (const condition of spec.matchConditions ?? []) {
      if (evaluate(condition.expression, bindings) !== true) return [];
    }
    const variables = new Map<string, CelInput>();
    bindings.variables = variables;
    for (const variable of spec.variables ?? []) {
      variables.set(variable.name, evaluate(variable.expression, bindings) as CelInput);
    }
    return (spec.validations ?? [])
      .filter((validation) => evaluate(validation.expression, bindings) !== true)
      .map((validation) => validation.message ?? `failed expression: ${validation.expression}`);
  }

  private matches(match: MatchResources | undefined, request: AdmissionRequest, rulesRequired: boolean): boolean {
    const { object } = request;
    const rules = match?.resourceRules;
    if (rules !== undefined || rulesRequired) {
      const group = apiGroupOf(object.apiVersion);
      const version = object.apiVersion.split('/').at(-1)!;
      const anyOf = (values: string[] | undefined, wanted: string) =>
        (values ?? []).some((value) => value === '*' || value === wanted);
      const matched = (rules ?? []).some(
        (rule) =>
          anyOf(rule.apiGroups, group) &&
          anyOf(rule.apiVersions, version) &&
          anyOf(rule.resources, resourceOf(object.kind)) &&
          anyOf(rule.operations, request.operation),
      );
      if (!matched) return false;
    }
    if (match?.namespaceSelector && isNamespaced(object.kind)) {
      if (!selects(match.namespaceSelector, this.cluster.namespaceLabels(namespaceOf(object)))) return false;
    }
    if (match?.objectSelector && !selects(match.objectSelector, object.metadata?.labels ?? {})) return false;
    return true;
  }

  private namespaceObject(namespace: string): K8sObject {
    return (
      this.cluster.find('Namespace', namespace)?.object ?? {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      }
    );
  }
}
