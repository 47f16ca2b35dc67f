import type { PolicyRule } from './kubernetes.js';

// The user-facing ClusterRoles every cluster has (Kubernetes 1.27 bootstrap policy), condensed to
// the rules that matter for what a binding to them grants. A RoleBinding to `edit` is the usual way
// to give a team its namespace, so the RBAC matrix and the escalation checks must see what it means.

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const VIEW: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'pods/log', 'pods/status', 'replicationcontrollers',
      'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'bindings', 'events', 'limitranges',
      'namespaces', 'namespaces/status', 'resourcequotas', 'resourcequotas/status',
    ],
    verbs: READ,
  },
  {
    apiGroups: ['apps'],
    resources: [
      'controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
      'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status',
    ],
    verbs: READ,
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingresses/status', 'networkpolicies'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
]; // prettier-ignore

const EDIT: PolicyRule[] = [
  ...VIEW,
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], verbs: READ },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  {
    apiGroups: [''],
    resources: [
      'pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'configmaps', 'events', 'persistentvolumeclaims',
      'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy',
    ],
    verbs: WRITE,
  },
  { apiGroups: [''], resources: ['pods/eviction', 'serviceaccounts/token'], verbs: ['create'] },
  {
    apiGroups: ['apps'],
    resources: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'],
    verbs: WRITE,
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
]; // prettier-ignore

const ADMIN: PolicyRule[] = [
  ...EDIT,
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
];

const CLUSTER_ADMIN: PolicyRule[] = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
  { nonResourceURLs: ['*'], verbs: ['*'] },
];

export const BUILT_IN_CLUSTER_ROLES: Readonly<Record<string, PolicyRule[]>> = {
  view: VIEW,
  edit: EDIT,
  admin: ADMIN,
  'cluster-admin': CLUSTER_ADMIN,
};

/** Whether a ClusterRole exists on every cluster (the user-facing ones and the `system:` ones). */
export function isBuiltInClusterRole(name: string): boolean {
  return name in BUILT_IN_CLUSTER_ROLES || name.startsWith('system:');
}
