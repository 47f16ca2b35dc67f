import type { Check } from './check.js';
import { admissionPolicies } from './checks/admission-policies.js';
import { argoProjectExists } from './checks/argo-project-exists.js';
import { blockedConnections } from './checks/blocked-connections.js';
import { certificateIssuerExists } from './checks/certificate-issuer-exists.js';
import { configDataKeys } from './checks/config-data-keys.js';
import { configReferencesExist } from './checks/config-references-exist.js';
import { containerNames } from './checks/container-names.js';
import { containerPortNames } from './checks/container-port-names.js';
import { containerPortsUnique } from './checks/container-ports-unique.js';
import { containerResources } from './checks/container-resources.js';
import { cronSchedule } from './checks/cron-schedule.js';
import { cronjobDeadline } from './checks/cronjob-deadline.js';
import { declaredObjects } from './checks/declared-objects.js';
import { deprecatedServiceAccountField } from './checks/deprecated-service-account-field.js';
import { duplicateEnvVar } from './checks/duplicate-env-var.js';
import { envVarNames } from './checks/env-var-names.js';
import { envVarSecret } from './checks/env-var-secret.js';
import { gatewayReferencesExist } from './checks/gateway-references-exist.js';
import { hpaOwnsReplicas } from './checks/hpa-owns-replicas.js';
import { hpaTargetExists } from './checks/hpa-target-exists.js';
import { imagePullPolicy } from './checks/image-pull-policy.js';
import { imageTag } from './checks/image-tag.js';
import { ingressBackendsExist } from './checks/ingress-backends-exist.js';
import { ingressRules } from './checks/ingress-rules.js';
import { labelSelectorSyntax } from './checks/label-selector-syntax.js';
import { labelSyntax } from './checks/label-syntax.js';
import { monitorTargetsExist } from './checks/monitor-targets-exist.js';
import { namespaceEnforcesRestricted } from './checks/namespace-enforces-restricted.js';
import { namespacesCreatedFirst } from './checks/namespaces-created-first.js';
import { networkPolicyPeersExist } from './checks/network-policy-peers-exist.js';
import { networkPolicyRules } from './checks/network-policy-rules.js';
import { networkPolicyTargetsPods } from './checks/network-policy-targets-pods.js';
import { objectNames } from './checks/object-names.js';
import { oneSidedRules } from './checks/one-sided-rules.js';
import { pdbAllowsDisruption } from './checks/pdb-allows-disruption.js';
import { pdbFields } from './checks/pdb-fields.js';
import { pdbUnhealthyPodEvictionPolicy } from './checks/pdb-unhealthy-pod-eviction-policy.js';
import { podsIsolatedByNetworkPolicy } from './checks/pods-isolated-by-network-policy.js';
import { postgresReferencesExist } from './checks/postgres-references-exist.js';
import { probeFields } from './checks/probe-fields.js';
import { probePortsExposed } from './checks/probe-ports-exposed.js';
import { probesDistinct } from './checks/probes-distinct.js';
import { probesPresent } from './checks/probes-present.js';
import { pssApparmor } from './checks/pss-apparmor.js';
import { pssCapabilitiesBaseline } from './checks/pss-capabilities-baseline.js';
import { pssCapabilitiesRestricted } from './checks/pss-capabilities-restricted.js';
import { pssHostNamespaces } from './checks/pss-host-namespaces.js';
import { pssHostPath } from './checks/pss-host-path.js';
import { pssHostPorts } from './checks/pss-host-ports.js';
import { pssHostProcess } from './checks/pss-host-process.js';
import { pssPrivilegeEscalation } from './checks/pss-privilege-escalation.js';
import { pssPrivileged } from './checks/pss-privileged.js';
import { pssProcMount } from './checks/pss-proc-mount.js';
import { pssRunAsNonRoot } from './checks/pss-run-as-non-root.js';
import { pssRunAsNonRootUser } from './checks/pss-run-as-non-root-user.js';
import { pssSeccompBaseline } from './checks/pss-seccomp-baseline.js';
import { pssSeccompRestricted } from './checks/pss-seccomp-restricted.js';
import { pssSelinux } from './checks/pss-selinux.js';
import { pssSysctls } from './checks/pss-sysctls.js';
import { pssVolumeTypes } from './checks/pss-volume-types.js';
import { rbacBindings } from './checks/rbac-bindings.js';
import { rbacEscalationThroughServiceAccounts } from './checks/rbac-escalation-through-service-accounts.js';
import { rbacEscalationVerbs } from './checks/rbac-escalation-verbs.js';
import { rbacRules } from './checks/rbac-rules.js';
import { rbacSecretRead } from './checks/rbac-secret-read.js';
import { rbacWildcards } from './checks/rbac-wildcards.js';
import { rbacWrites } from './checks/rbac-writes.js';
import { readOnlyRootFilesystem } from './checks/read-only-root-filesystem.js';
import { replicasSpreadAcrossNodes } from './checks/replicas-spread-across-nodes.js';
import { replicatedWorkloadHasPdb } from './checks/replicated-workload-has-pdb.js';
import { resourceQuantities } from './checks/resource-quantities.js';
import { restartPolicy } from './checks/restart-policy.js';
import { roleBindingReferencesExist } from './checks/role-binding-references-exist.js';
import { runAsHighUid } from './checks/run-as-high-uid.js';
import { schema } from './checks/schema.js';
import { secretLiteralData } from './checks/secret-literal-data.js';
import { selectorMatchesTemplate } from './checks/selector-matches-template.js';
import { serviceAccountTokenAutomount } from './checks/service-account-token-automount.js';
import { serviceAccountsExist } from './checks/service-accounts-exist.js';
import { servicePorts } from './checks/service-ports.js';
import { serviceTargetsPods } from './checks/service-targets-pods.js';
import { serviceType } from './checks/service-type.js';
import { sshPort } from './checks/ssh-port.js';
import { stableApiVersion } from './checks/stable-api-version.js';
import { teamBindings } from './checks/team-bindings.js';
import { teamPermissions } from './checks/team-permissions.js';
import { undeclaredFlows } from './checks/undeclared-flows.js';
import { volumes } from './checks/volumes.js';

/**
 * Every check `npm run verify` runs, in the order the report lists them: one a file in
 * verify/checks, named as the check, with its failing cases beside it (`<name>.test.ts`).
 */
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
  pssHostProcess,
  pssHostNamespaces,
  pssPrivileged,
  pssCapabilitiesBaseline,
  pssHostPath,
  pssHostPorts,
  pssApparmor,
  pssSelinux,
  pssProcMount,
  pssSeccompBaseline,
  pssSysctls,
  pssVolumeTypes,
  pssPrivilegeEscalation,
  pssRunAsNonRoot,
  pssRunAsNonRootUser,
  pssSeccompRestricted,
  pssCapabilitiesRestricted,
  namespaceEnforcesRestricted,
  readOnlyRootFilesystem,
  runAsHighUid,
  imageTag,
  imagePullPolicy,
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
  cronjobDeadline,
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
  postgresReferencesExist,
  certificateIssuerExists,
  gatewayReferencesExist,
  monitorTargetsExist,
  argoProjectExists,
  // 5. RBAC escalation.
  rbacEscalationVerbs,
  rbacWildcards,
  rbacWrites,
  rbacSecretRead,
  rbacEscalationThroughServiceAccounts,
  // 6. Declared intent.
  declaredObjects,
  undeclaredFlows,
  blockedConnections,
  oneSidedRules,
  teamBindings,
  teamPermissions,
  secretLiteralData,
];

/** The Pod Security Standards' controls, for tests that ask only what Pod Security admission would say. */
export const POD_SECURITY_STANDARDS: readonly Check[] = ALL_CHECKS.filter((check) => check.category === 'pod-security');
