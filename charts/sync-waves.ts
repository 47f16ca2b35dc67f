import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { SecretBootstrap } from './secret-bootstrap.js';

/** The annotation Argo CD orders a sync by: lower waves are applied, and healthy, first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Namespaces and what makes them safe (quota, default deny, RBAC): before anything runs in them. */
const GUARDRAIL_KINDS = new Set([
  'Namespace',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'ServiceAccount',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);
/** Custom resources whose operators create Secrets and Services the workloads need (`<cluster>-app`, TLS). */
const PROVIDER_KINDS = new Set(['Cluster', 'Pooler', 'Certificate', 'Gateway']);
/** What only makes sense once the workloads run: routes to them, their monitoring, backups of a ready cluster. */
const AFTER_WORKLOAD_KINDS = new Set([
  'HTTPRoute',
  'ServiceMonitor',
  'PodMonitor',
  'PrometheusRule',
  'ScheduledBackup',
]);

/**
 * The wave of each object:
 * -3 namespaces and their guardrails; -2 the SecretBootstrap that creates the platform's
 * Secrets; -1 the operators' custom resources that yield Secrets and Services (a Postgres
 * cluster's credentials, a TLS certificate); 0 the workloads; 1 routes, monitoring and backups.
 * Argo CD waits for each wave to be healthy before the next, so a service never starts
 * before its Secrets exist; `kubectl apply -f` ignores the annotation.
 */
export function syncWave(object: ApiObject): number {
  if (GUARDRAIL_KINDS.has(object.kind)) return -3;
  if (isInsideSecretBootstrap(object)) return -2;
  if (PROVIDER_KINDS.has(object.kind)) return -1;
  if (AFTER_WORKLOAD_KINDS.has(object.kind)) return 1;
  return 0;
}

/** Annotates every object below `scope` with its sync wave. */
export function applySyncWaves(scope: IConstruct): void {
  for (const construct of scope.node.findAll()) {
    if (construct instanceof ApiObject) {
      construct.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(syncWave(construct)));
    }
  }
}

function isInsideSecretBootstrap(object: ApiObject): boolean {
  return object.node.scopes.some((scope) => scope instanceof SecretBootstrap);
}
