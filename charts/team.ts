import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { KubeRole, type PolicyRule } from '../imports/k8s.js';
import type { ClusterDns } from './cluster-dns.js';
import { DEFAULT_PART_OF, MANAGED_BY_LABEL, PART_OF_LABEL } from './labels.js';
import { SecureNamespace, type ContainerDefaults, type NamespaceQuota } from './secure-namespace.js';
import { TeamGuardrails } from './team-guardrails.js';
import { OWNED_BY } from './verify-annotations.js';

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const READ_VERBS = ['get', 'list', 'watch'];

/**
 * What a team may do in its own namespace: everything `kubectl apply -f` of its workloads
 * needs, and reading what they run. Deliberately absent:
 * - Secrets, in any verb: the deployment needs none (pods get them from the kubelet), and
 *   the platform or an external store owns them.
 * - RBAC objects, `escalate`, `bind`, `impersonate`, `serviceaccounts/token`: no way to gain
 *   rights the team was not given.
 * - The Namespace itself, ResourceQuota and LimitRange (read only): the Pod Security label
 *   and the quota stay the platform's.
 * - NetworkPolicies and Ingresses (read only), and Gateway API routes (none): who may talk to
 *   whom, and what is public, is the platform's to write; a team that could would admit every
 *   pod of the cluster, drop its default deny or claim a public path.
 * - `pods/exec`, `pods/attach`, `pods/portforward`: these read a running pod's environment,
 *   secrets included.
 * Whoever can create a Deployment can mount any Secret of the namespace into a pod, so the
 * namespace, not the verb list, is the boundary of a team's secrets.
 */
export const TEAM_DEPLOYER_RULES: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['configmaps', 'services', 'serviceaccounts', 'persistentvolumeclaims'],
    verbs: ALL_VERBS,
  },
  { apiGroups: [''], resources: ['pods'], verbs: [...READ_VERBS, 'delete'] },
  {
    apiGroups: [''],
    resources: ['pods/log', 'events', 'endpoints', 'resourcequotas', 'limitranges'],
    verbs: READ_VERBS,
  },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ALL_VERBS },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['apps'], resources: ['replicasets', 'controllerrevisions'], verbs: READ_VERBS },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ALL_VERBS },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ALL_VERBS },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL_VERBS },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: READ_VERBS },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ_VERBS },
];

/** Properties of a Team. */
export interface TeamProps {
  /** The team's name, which is also its namespace's name. */
  readonly name: string;
  /** The identity-provider group whose members deploy. @default `team-<name>` */
  readonly group?: string;
  /** Total resources the team's namespace may use. @default see NamespaceQuota */
  readonly quota?: NamespaceQuota;
  /** Per-container defaults and maximum. @default see ContainerDefaults */
  readonly containerDefaults?: ContainerDefaults;
  /** Where its pods resolve names. @default ClusterDns.kubeDns() */
  readonly dns?: ClusterDns;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A team: its own SecureNamespace, a Role that lets it deploy its workloads there and
 * nothing that escalates, bound to the group `team-<name>` and to a `deployer`
 * ServiceAccount for CI (whose token is issued on request with `kubectl create token`,
 * never mounted into a pod), and the TeamGuardrails' admission policies in its namespace.
 */
export class Team extends Construct {
  /** The team's name. */
  readonly name: string;
  /** The team's namespace. */
  readonly namespace: string;
  /** The group bound to the deployer role. */
  readonly group: string;
  /** The secured namespace. */
  readonly secureNamespace: SecureNamespace;

  constructor(scope: Construct, id: string, props: TeamProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.name;
    this.group = props.group ?? `team-${props.name}`;
    const partOf = props.partOf ?? DEFAULT_PART_OF;
    this.secureNamespace = new SecureNamespace(this, 'Namespace', {
      name: props.name,
      quota: props.quota,
      containerDefaults: props.containerDefaults,
      dns: props.dns,
      partOf,
    });

    const metadata = (name: string) => ({
      name,
      namespace: this.namespace,
      labels: { [PART_OF_LABEL]: partOf, [MANAGED_BY_LABEL]: 'cdk8s' },
    });
    const role = new KubeRole(this, 'DeployerRole', {
      metadata: metadata('team-deployer'),
      rules: TEAM_DEPLOYER_RULES,
    });
    const deployer = new kplus.ServiceAccount(this, 'Deployer', {
      metadata: metadata('deployer'),
      automountToken: false,
    });
    const binding = new kplus.RoleBinding(this, 'DeployerBinding', {
      metadata: metadata('team-deployer'),
      role: kplus.Role.fromRoleName(this, 'DeployerRoleRef', role.name),
    });
    binding.addSubjects(kplus.Group.fromName(this, 'Group', this.group), deployer);
    for (const object of [role, deployer, binding]) object.node.addDependency(this.secureNamespace);
    TeamGuardrails.of(this, { partOf }).protect(this.namespace);
    // The declared ownership, which `npm run verify` holds every binding in the namespace to.
    (this.secureNamespace.node.findChild('Namespace') as kplus.Namespace).metadata.addAnnotation(OWNED_BY, this.group);
  }
}
