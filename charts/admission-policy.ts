import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeValidatingAdmissionPolicy, KubeValidatingAdmissionPolicyBinding } from '../imports/k8s-1.32/k8s.js';
import { DEFAULT_PART_OF, MANAGED_BY_LABEL, PART_OF_LABEL } from './labels.js';

/** An API operation a policy can judge. */
export type AdmissionOperation = 'CREATE' | 'UPDATE';

/** Resources of one API group that a policy judges, and on which operations. */
export interface AdmissionResources {
  /** The API group, '' for the core group. */
  readonly apiGroup: string;
  /** Plural resource names, e.g. `services`. */
  readonly resources: readonly string[];
  /** The operations judged. @default ['CREATE', 'UPDATE'] */
  readonly operations?: readonly AdmissionOperation[];
}

/** One condition an object must meet, in CEL, and what the refusal says. */
export interface AdmissionCheck {
  /** A CEL expression (the subset Kubernetes evaluates) that is true for an admissible object. */
  readonly expression: string;
  /** The refusal: what was refused, why, and the fix. */
  readonly message: string;
}

/** What a policy is, apart from where it applies. */
export interface AdmissionPolicyDefinition {
  /** The policy's name (cluster-wide); its binding has the same name. */
  readonly name: string;
  /** What it judges. */
  readonly resources: readonly AdmissionResources[];
  /** Named CEL expressions the checks read as `variables.<name>`, in order. @default none */
  readonly variables?: Readonly<Record<string, string>>;
  /** The conditions, each with its own refusal. */
  readonly checks: readonly AdmissionCheck[];
}

/** Properties of an AdmissionPolicy. */
export interface AdmissionPolicyProps extends AdmissionPolicyDefinition {
  /** The namespaces it applies in, asked for at synthesis so that namespaces added later count. */
  readonly namespaces: () => readonly string[];
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, Kubernetes 1.30 or newer) and
 * the binding that enforces it in the named namespaces: the API server refuses, whoever asks, a
 * request that fails a check. An error in an expression refuses too (failurePolicy Fail): a
 * guardrail that cannot be evaluated must not open.
 */
export class AdmissionPolicy extends Construct {
  /** The policy's name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: AdmissionPolicyProps) {
    super(scope, id);
    if (props.checks.length === 0) {
      throw new Error(`Admission policy ${props.name} has no checks. Give it at least one, or leave it out.`);
    }
    this.name = props.name;
    const metadata = {
      name: props.name,
      labels: { [PART_OF_LABEL]: props.partOf ?? DEFAULT_PART_OF, [MANAGED_BY_LABEL]: 'cdk8s' },
    };
    const policy = new KubeValidatingAdmissionPolicy(this, 'Policy', {
      metadata,
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: props.resources.map((rule) => ({
            apiGroups: [rule.apiGroup],
            apiVersions: ['*'],
            resources: [...rule.resources],
            operations: [...(rule.operations ?? ['CREATE', 'UPDATE'])],
          })),
        },
        // Omitted when empty: the API server drops an empty list, and a second apply must change nothing.
        variables: props.variables
          ? Object.entries(props.variables).map(([name, expression]) => ({ name, expression }))
          : undefined,
        validations: props.checks.map((check) => ({ ...check, reason: 'Forbidden' })),
      },
    });
    const binding = new KubeValidatingAdmissionPolicyBinding(this, 'Binding', {
      metadata,
      spec: {
        policyName: props.name,
        validationActions: ['Deny'],
        matchResources: {
          namespaceSelector: {
            matchExpressions: [
              {
                key: 'kubernetes.io/metadata.name',
                operator: 'In',
                values: Lazy.any({ produce: () => [...props.namespaces()].sort() }) as unknown as string[],
              },
            ],
          },
        },
      },
    });
    binding.addDependency(policy);
  }
}
