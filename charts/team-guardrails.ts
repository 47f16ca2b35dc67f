import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AdmissionPolicy, type AdmissionPolicyDefinition } from './admission-policy.js';

/** The ServiceAccount a Team's CI deploys as (see Team); no workload may run as it. */
export const DEPLOYER_SERVICE_ACCOUNT = 'deployer';

// The pod spec of whatever is admitted: a Pod, a CronJob's job template, or a workload's template.
const POD_SPEC =
  "request.kind.kind == 'Pod' ? object.spec : request.kind.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec";

const unset = (field: string) => `(!has(${field}) || ${field} == '')`;
const notTrue = (field: string) => `!(has(${field}) && ${field})`;

/**
 * What the API server refuses in a team's namespace, whoever asks: what RBAC cannot express
 * (a team must create Services and workloads, but not every kind of them) and what would let a
 * holder of a team's credentials reach past its namespace. RBAC keeps the rest out of reach
 * (network policies, Ingresses and routes, quotas, RBAC, the namespace, endpoints), and the
 * restricted Pod Security profile the container-level escapes.
 *
 * The expressions use standard CEL only (has, size, all, in, startsWith, the ternary operator),
 * which every Kubernetes version with ValidatingAdmissionPolicy evaluates.
 */
export const TEAM_ADMISSION_POLICIES: readonly AdmissionPolicyDefinition[] = [
  {
    name: 'team-services',
    resources: [{ apiGroup: '', resources: ['services'] }],
    checks: [
      {
        expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0',
        message:
          "Services in team namespaces may not set spec.externalIPs: the nodes would hand this Service the traffic for those addresses, other tenants' and outside ones included (CVE-2020-8554). Remove externalIPs; the public entry is the platform's PublicApi.",
      },
      {
        expression: "!has(object.spec.type) || !(object.spec.type in ['LoadBalancer', 'NodePort'])",
        message:
          "Services in team namespaces may not be of type LoadBalancer or NodePort: they open an entry point from outside that bypasses the platform's Ingress and network policies. Use type ClusterIP; ask the platform team for a public route (PublicApi).",
      },
      {
        expression: "!has(object.spec.type) || object.spec.type != 'ExternalName'",
        message:
          "Services in team namespaces may not be of type ExternalName: the name would point the cluster's DNS, and proxies that follow it such as the ingress controller, at any host, another namespace's service included. Use type ClusterIP with a selector; ask the platform team for an egress rule to an outside host.",
      },
    ],
  },
  {
    name: 'team-workloads',
    resources: [
      { apiGroup: '', resources: ['pods'], operations: ['CREATE'] },
      { apiGroup: 'apps', resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
      { apiGroup: 'batch', resources: ['jobs', 'cronjobs'] },
    ],
    variables: { podSpec: POD_SPEC },
    checks: [
      {
        expression: unset('variables.podSpec.nodeName'),
        message:
          "Pods in team namespaces may not name their node (spec.nodeName): that bypasses the scheduler and the taints that keep them off the control plane and other tenants' nodes. Remove nodeName; the scheduler places the pod.",
      },
      {
        expression:
          "!has(variables.podSpec.tolerations) || variables.podSpec.tolerations.all(t, has(t.key) && t.key.startsWith('node.kubernetes.io/'))",
        message:
          'Pods in team namespaces may tolerate only the node.kubernetes.io/ condition taints: any other toleration, or one without a key (every taint), lets them onto nodes kept for the control plane or other tenants. Remove the toleration; ask the platform team for a node pool.',
      },
      {
        expression:
          "!has(variables.podSpec.priorityClassName) || !variables.podSpec.priorityClassName.startsWith('system-')",
        message:
          "Pods in team namespaces may not use the system-cluster-critical or system-node-critical priority: they would preempt the cluster's own pods. Remove priorityClassName, or use a class the platform team provides.",
      },
      {
        expression: `(!has(variables.podSpec.serviceAccountName) || variables.podSpec.serviceAccountName != '${DEPLOYER_SERVICE_ACCOUNT}') && (!has(variables.podSpec.serviceAccount) || variables.podSpec.serviceAccount != '${DEPLOYER_SERVICE_ACCOUNT}')`,
        message: `Pods in team namespaces may not run as the ${DEPLOYER_SERVICE_ACCOUNT} ServiceAccount: its rights are for CI, and whoever took over the pod would hold them. Use the workload's own ServiceAccount.`,
      },
      {
        expression: [
          notTrue('variables.podSpec.hostNetwork'),
          notTrue('variables.podSpec.hostPID'),
          notTrue('variables.podSpec.hostIPC'),
          '(!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.hostPath)))',
          'variables.podSpec.containers.all(c, !has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0))',
        ].join(' && '),
        message:
          "Pods in team namespaces may not use the node's network, process or IPC namespace, a hostPath volume or a hostPort: each reaches past the namespace to the node and every tenant on it. Remove them (the restricted Pod Security profile refuses them too; this holds even if the namespace's label were changed).",
      },
    ],
  },
  {
    name: 'team-volumes',
    resources: [{ apiGroup: '', resources: ['persistentvolumeclaims'], operations: ['CREATE'] }],
    checks: [
      {
        expression: unset('object.spec.volumeName'),
        message:
          "Claims in team namespaces may not name a PersistentVolume (spec.volumeName): they could bind a volume that holds another tenant's data. Leave volumeName out; the storage class provisions a new volume.",
      },
      {
        expression:
          '!has(object.spec.dataSourceRef) || !has(object.spec.dataSourceRef.namespace) || object.spec.dataSourceRef.namespace == request.namespace',
        message:
          "Claims in team namespaces may not be filled from another namespace (spec.dataSourceRef.namespace): that copies another tenant's volume. Use a source in the claim's own namespace.",
      },
    ],
  },
];

/** Properties of TeamGuardrails. */
export interface TeamGuardrailsProps {
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * The admission policies of TEAM_ADMISSION_POLICIES, bound to every namespace a Team protects.
 * One per app (the policies are cluster-wide): `TeamGuardrails.of(scope)` finds or makes it.
 */
export class TeamGuardrails extends Construct {
  /** The app's guardrails, made in `scope`'s chart the first time. */
  static of(scope: Construct, props: TeamGuardrailsProps = {}): TeamGuardrails {
    const existing = scope.node.root.node.findAll().find((c): c is TeamGuardrails => c instanceof TeamGuardrails);
    return existing ?? new TeamGuardrails(Chart.of(scope), 'TeamGuardrails', props);
  }

  private readonly namespaces = new Set<string>();

  constructor(scope: Construct, id: string, props: TeamGuardrailsProps = {}) {
    super(scope, id);
    for (const definition of TEAM_ADMISSION_POLICIES) {
      new AdmissionPolicy(this, definition.name, {
        ...definition,
        namespaces: () => [...this.namespaces],
        partOf: props.partOf,
      });
    }
  }

  /** Applies the policies in `namespace` too. */
  protect(namespace: string): void {
    this.namespaces.add(namespace);
  }
}
