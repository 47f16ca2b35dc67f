// The platform library: every construct a platform team reuses or extends, from one entry.
export { BillingPlatform, MEASURED_RESOURCES, type BillingPlatformProps } from './billing-platform.js';
export {
  AdmissionPolicy,
  type AdmissionCheck,
  type AdmissionOperation,
  type AdmissionPolicyDefinition,
  type AdmissionPolicyProps,
  type AdmissionResources,
} from './admission-policy.js';
export { BILLING_CLI, BillingRun, type BillingRunProps } from './billing-run.js';
export { ClusterDns, type NodeLocalDnsOptions } from './cluster-dns.js';
export { checkCidr, cidrContains, cidrWithin, parseCidr, type Cidr } from './cidr.js';
export {
  ExternalDatabase,
  urlSecrets,
  type ComposedUrl,
  type ExternalDatabaseProps,
  type IDatabase,
} from './database.js';
export {
  GeneratedSecret,
  SecretValue,
  type GeneratedSecretProps,
  type GeneratedSecretSpec,
  type SecretKeyRef,
  type SecretRecipe,
} from './generated-secret.js';
export { HardenedPod, type HardenedPodProps } from './hardened-pod.js';
export { Image, IMAGE_PULL_POLICY, ImageRegistry, PINNED_IMAGES } from './image.js';
export { DEFAULT_PART_OF, selectorLabels, workloadLabels } from './labels.js';
export { Microservice, type MicroserviceProps, type ReplicaRange } from './microservice.js';
export {
  connectionLine,
  declaredConnections,
  type DeclaredConnection,
  type IDeclaresConnections,
} from './declared-connections.js';
export {
  allowConnection,
  NetworkPeer,
  NetworkPolicyPort,
  WorkloadNetworkPolicy,
  type INetworkEndpoint,
  type NetworkRule,
  type WorkloadNetworkPolicyProps,
} from './network-policy.js';
export { MALLOC_SETTINGS, NODE_OPTIONS, nodeRuntimeEnv } from './node-options.js';
export {
  Platform,
  PLATFORM_NAMESPACE,
  type ConnectOptions,
  type PlatformProps,
  type PlatformScheduledCallProps,
  type ServiceProps,
  type ServiceSettings,
  type ServiceToken,
  type TeamOptions,
  type CloudNativePgSettings,
} from './platform.js';
export {
  addRuntimeDefaultSeccomp,
  HELPER_USER_ID,
  POSTGRES_USER_ID,
  SERVICE_USER_ID,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  type PodTemplateOwner,
  type RunAs,
} from './pod-security.js';
export { Postgres, type PostgresProps } from './postgres.js';
export { PublicApi, type PublicApiProps, type PublicRoute } from './public-api.js';
export { canonicalQuantity, parseQuantity } from './quantity.js';
export { containerResources, type ResourceSizes } from './resources.js';
export {
  CallClient,
  ScheduledCall,
  type CommandClientOptions,
  type IHttpTarget,
  type ScheduledCallProps,
} from './scheduled-call.js';
export { SecretBootstrap, type SecretBootstrapProps } from './secret-bootstrap.js';
export { looksLikeSecret } from './secret-names.js';
export {
  SecureNamespace,
  type ContainerDefaults,
  type NamespaceQuota,
  type SecureNamespaceProps,
} from './secure-namespace.js';
export { createPlatformApp, ServerNormalizer } from './server-normalizer.js';
export {
  buildEnvironment,
  checkEnvironment,
  ENVIRONMENTS,
  synthesize,
  VERSION,
  type BuildOptions,
  type Environment,
  type EnvironmentName,
  type PlatformExtension,
  type SynthOptions,
} from './synthesis.js';
export { Team, TEAM_DEPLOYER_RULES, type TeamProps } from './team.js';
export * from './testing.js';
export {
  DEPLOYER_SERVICE_ACCOUNT,
  TEAM_ADMISSION_POLICIES,
  TeamGuardrails,
  type TeamGuardrailsProps,
} from './team-guardrails.js';
export { ConstructAnnotator } from './construct-annotator.js';
export { CONSTRUCT, CREATED_AT_DEPLOY, OWNED_BY, secretsCreatedAtDeploy, waiver } from './verify-annotations.js';
export { ArgoCdApplication, type ArgoCdApplicationProps } from './argo-cd-application.js';
export {
  ArgoCdProject,
  TEAM_KINDS,
  type ArgoCdProjectProps,
  type Destination,
  type GroupKind,
} from './argo-cd-project.js';
export { GitOps, type GitOpsEnvironment, type GitOpsProps } from './gitops.js';
export { BillingAlerts, type AlertRule, type BillingAlertsProps } from './billing-alerts.js';
export {
  CloudNativePgDatabase,
  SERVICE_ROLE_SETTINGS,
  type CloudNativePgDatabaseProps,
} from './cloudnative-pg-database.js';
export {
  BILLING_DASHBOARD_PANELS,
  GrafanaDashboard,
  GRAFANA_DASHBOARD_LABEL,
  type DashboardPanel,
  type GrafanaDashboardProps,
} from './grafana-dashboard.js';
export { ObjectStore, type S3ObjectStoreProps } from './object-store.js';
export { MetricsPodMonitor, type MetricsPodMonitorProps } from './pod-monitor.js';
export { PostgresBackupSchedule, type PostgresBackupScheduleProps } from './postgres-backup-schedule.js';
export {
  CNPG_CLUSTER_LABEL,
  CNPG_POSTGRES_IMAGE,
  PostgresCluster,
  type PostgresClusterProps,
  type PostgresInstanceResources,
} from './postgres-cluster.js';
export { CNPG_POOLER_LABEL, PoolMode, PostgresPooler, type PostgresPoolerProps } from './postgres-pooler.js';
export { PublicGateway, type PublicGatewayProps } from './public-gateway.js';
export { PathMatch, ReadOnlyRoute, type ReadOnlyRouteProps } from './read-only-route.js';
export { MicroserviceMonitor, type MicroserviceMonitorProps } from './service-monitor.js';
export { applySyncWaves, SYNC_WAVE_ANNOTATION, syncWave } from './sync-waves.js';
export { CertificateIssuer, TlsCertificate, type TlsCertificateProps } from './tls-certificate.js';
