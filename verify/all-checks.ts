import type { Check } from './check.js';
import { admissionPolicies } from './checks/admission-policies.js';
import { stableApiVersion } from './checks/api-versions.js';
import { configDataKeys } from './checks/config-data.js';
import { configReferencesExist } from './checks/config-references.js';
import { containerPortNames, containerPortsUnique } from './checks/container-ports.js';
import {
  containerResources,
  imagePullPolicyIfNotPresent,
  imageTagPinned,
  readOnlyRootFilesystem,
  runAsHighUid,
  sshPort,
} from './checks/container-hardening.js';
import { cronJobDeadline, cronSchedule } from './checks/cron-job.js';
import { blockedConnections } from './checks/blocked-connections.js';
import { declaredObjects } from './checks/declared-objects.js';
import { customResourceReferences } from './checks/custom-resource-references.js';
import { duplicateEnvVar, envVarSecret } from './checks/environment.js';
import { hpaOwnsReplicas, hpaTargetExists } from './checks/horizontal-pod-autoscaler.js';
import { roleBindingReferencesExist, serviceAccountsExist } from './checks/identity-references.js';
import { ingressRules } from './checks/ingress-rules.js';
import { labelSelectorSyntax, labelSyntax } from './checks/labels.js';
import { namespaceEnforcesRestricted, namespacesCreatedFirst } from './checks/namespaces.js';
import {
  networkPolicyPeersExist,
  networkPolicyTargetsPods,
  podsIsolatedByNetworkPolicy,
} from './checks/network-policy-coverage.js';
import { networkPolicyRules } from './checks/network-policy-rules.js';
import { objectNames } from './checks/object-names.js';
import { oneSidedRules } from './checks/one-sided-rules.js';
import {
  pdbAllowsDisruption,
  pdbFields,
  pdbUnhealthyPodEvictionPolicy,
  replicatedWorkloadHasPdb,
} from './checks/pod-disruption-budget.js';
import { podSecurityStandards } from './checks/pod-security-standards.js';
import {
  containerNames,
  envVarNames,
  probeFields,
  resourceQuantities,
  restartPolicy,
  volumes,
} from './checks/pod-spec.js';
import { probePortsExposed, probesDistinct, probesPresent } from './checks/probes.js';
import {
  rbacEscalationThroughServiceAccounts,
  rbacEscalationVerbs,
  rbacSecretRead,
  rbacWildcards,
  rbacWrites,
} from './checks/rbac-escalation.js';
import { rbacBindings, rbacRules } from './checks/rbac-rules.js';
import { schema } from './checks/schema.js';
import { secretLiteralData } from './checks/secret-literal-data.js';
import { deprecatedServiceAccountField, serviceAccountTokenAutomount } from './checks/service-account.js';
import { ingressBackendsExist, serviceTargetsPods } from './checks/service-references.js';
import { servicePorts, serviceType } from './checks/service-rules.js';
import { teamBindings } from './checks/team-bindings.js';
import { teamPermissions } from './checks/team-permissions.js';
import { undeclaredFlows } from './checks/undeclared-flows.js';
import { replicasSpreadAcrossNodes } from './checks/spread.js';
import { selectorMatchesTemplate } from './checks/workload-selector.js';

/** Every check `npm run verify` runs, in the order the report lists them. */
export const ALL_CHECKS: readonly Check[] = [
  // 1. The schema.
  schema,
  // 2. What the API server rejects beyond the schema.
  objectNames,
  labelSyntax,
  labelSelectorSyntax,
  containerNames,
  containerPortNames,
  containerPortsUnique,
  volumes,
  envVarNames,
  probeFields,
  restartPolicy,
  resourceQuantities,
  selectorMatchesTemplate,
  cronSchedule,
  ingressRules,
  servicePorts,
  networkPolicyRules,
  rbacRules,
  rbacBindings,
  pdbFields,
  configDataKeys,
  admissionPolicies,
  // 3. Pod Security Standards (restricted) and the kube-linter / kube-score defaults.
  ...podSecurityStandards,
  namespaceEnforcesRestricted,
  readOnlyRootFilesystem,
  runAsHighUid,
  imageTagPinned,
  imagePullPolicyIfNotPresent,
  containerResources,
  sshPort,
  probesPresent,
  probesDistinct,
  probePortsExposed,
  replicatedWorkloadHasPdb,
  pdbAllowsDisruption,
  pdbUnhealthyPodEvictionPolicy,
  replicasSpreadAcrossNodes,
  hpaOwnsReplicas,
  serviceAccountTokenAutomount,
  deprecatedServiceAccountField,
  duplicateEnvVar,
  envVarSecret,
  podsIsolatedByNetworkPolicy,
  serviceType,
  cronJobDeadline,
  stableApiVersion,
  // 4. Cross-references.
  namespacesCreatedFirst,
  serviceTargetsPods,
  ingressBackendsExist,
  configReferencesExist,
  serviceAccountsExist,
  roleBindingReferencesExist,
  networkPolicyTargetsPods,
  networkPolicyPeersExist,
  hpaTargetExists,
  ...customResourceReferences,
  // 6. RBAC escalation.
  rbacEscalationVerbs,
  rbacWildcards,
  rbacWrites,
  rbacSecretRead,
  rbacEscalationThroughServiceAccounts,
  // 7. Declared intent.
  declaredObjects,
  undeclaredFlows,
  blockedConnections,
  oneSidedRules,
  teamBindings,
  teamPermissions,
  secretLiteralData,
];
