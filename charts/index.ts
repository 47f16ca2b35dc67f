// The platform library: every construct a platform team reuses or extends, from one entry.
export {
  BillingPlatform,
  PLATFORM_NAMESPACE,
  type BillingPlatformProps,
  type ServiceSettings,
} from './billing-platform.js';
export {
  AdmissionPolicy,
  type AdmissionCheck,
  type AdmissionOperation,
  type AdmissionPolicyDefinition,
  type AdmissionPolicyProps,
  type AdmissionResources,
} from './admission-policy.js';
export { BillingRun, type BillingRunProps } from './billing-run.js';
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
export { Image, IMAGE_PULL_POLICY, ImageRegistry, PINNED_IMAGES } from './image.js';
export { DEFAULT_PART_OF, selectorLabels, workloadLabels } from './labels.js';
export { Microservice, type MicroserviceProps, type ReplicaRange } from './microservice.js';
export {
  allowConnection,
  checkCidr,
  NetworkPeer,
  NetworkPolicyPort,
  WorkloadNetworkPolicy,
  type INetworkEndpoint,
  type WorkloadNetworkPolicyProps,
} from './network-policy.js';
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
export { containerResources, type ResourceSizes } from './resources.js';
export { SecretBootstrap, type SecretBootstrapProps } from './secret-bootstrap.js';
export {
  SecureNamespace,
  type ContainerDefaults,
  type NamespaceQuota,
  type SecureNamespaceProps,
} from './secure-namespace.js';
export { canonicalQuantity, createPlatformApp, ServerNormalizer } from './server-normalizer.js';
export { Team, TEAM_DEPLOYER_RULES, type TeamProps } from './team.js';
export {
  DEPLOYER_SERVICE_ACCOUNT,
  TEAM_ADMISSION_POLICIES,
  TeamGuardrails,
  type TeamGuardrailsProps,
} from './team-guardrails.js';
export { ConstructAnnotator } from './construct-annotator.js';
export { CONSTRUCT, CREATED_AT_DEPLOY, OWNED_BY, secretsCreatedAtDeploy, waiver } from './verify-annotations.js';
export { ArgoCdApplication, type ArgoCdApplicationProps } from './argo-cd-application.js';
export { ArgoCdProject, TEAM_KINDS, type ArgoCdProjectProps, type GroupKind } from './argo-cd-project.js';
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
