import { createHash } from 'node:crypto';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IntOrString, KubePodDisruptionBudget } from '../imports/k8s.js';
import { urlSecrets, type IDatabase } from './database.js';
import type { SecretKeyRef } from './generated-secret.js';
import { IMAGE_PULL_POLICY, type Image } from './image.js';
import { DEFAULT_PART_OF, NAME_LABEL, selectorLabels, workloadLabels } from './labels.js';
import {
  allowConnection,
  NetworkPeer,
  NetworkPolicyPort,
  WorkloadNetworkPolicy,
  type INetworkEndpoint,
} from './network-policy.js';
import {
  addRuntimeDefaultSeccomp,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  SERVICE_USER_ID,
} from './pod-security.js';
import { containerResources, type ResourceSizes } from './resources.js';
import { CREATED_AT_DEPLOY, secretsCreatedAtDeploy } from './verify-annotations.js';

/** Variables the construct sets itself, from its own props. */
const MANAGED_ENV = ['PORT', 'LOG_LEVEL', 'SHUTDOWN_TIMEOUT_MS', 'DATABASE_URL'];
const SECRET_LIKE = /TOKEN|PASSWORD|SECRET|DATABASE_URL|CREDENTIAL|PRIVATE_KEY/;

/** How many replicas the autoscaler keeps. */
export interface ReplicaRange {
  /** Fewest replicas, also the count before any metric arrives. */
  readonly min: number;
  /** Most replicas. */
  readonly max: number;
}

/** Properties of a Microservice. */
export interface MicroserviceProps {
  /** The namespace it runs in (a Team's). */
  readonly namespace: string;
  /** Its image, pinned (see ImageRegistry). */
  readonly image: Image;
  /** The port it listens on; also its Service's port and the value of PORT. */
  readonly port: number;
  /** Name of the Deployment, Service, ServiceAccount and `app.kubernetes.io/name`. @default the construct id */
  readonly name?: string;
  /** Plain settings, put in a ConfigMap and read as environment variables under exactly these names. @default none */
  readonly env?: Record<string, string>;
  /** Settings read from Secrets, by variable name. @default none */
  readonly secretEnv?: Record<string, SecretKeyRef>;
  /** Its database: sets DATABASE_URL from the database's Secret and opens the path to it. @default no database */
  readonly database?: IDatabase;
  /** Replicas the HorizontalPodAutoscaler keeps. @default { min: 2, max: 4 } */
  readonly replicas?: ReplicaRange;
  /** Average CPU use, as a share of the request, that the autoscaler aims for. @default 70 */
  readonly targetCpuUtilization?: number;
  /** CPU and memory, ideally from measurement. @default requests 100m and 192Mi, limits 500m and 256Mi */
  readonly resources?: ResourceSizes;
  /** The fixed non-root UID the image runs as. @default SERVICE_USER_ID (10001) */
  readonly runAsUser?: number;
  /** Value of LOG_LEVEL. @default 'info' */
  readonly logLevel?: string;
  /** Longest a graceful shutdown may take (SHUTDOWN_TIMEOUT_MS). @default 25 seconds */
  readonly shutdownTimeout?: Duration;
  /** How long a stopping pod keeps serving so that endpoints drain before SIGTERM (a preStop `sleep`). @default 5 seconds */
  readonly drainDelay?: Duration;
  /** How long the process may take to answer /rest/health after starting. @default 60 seconds */
  readonly startupTimeout?: Duration;
  /** Size of the writable /tmp, in MiB (the root filesystem is read-only). @default 64 */
  readonly tmpSizeMebibytes?: number;
  /** Value of `app.kubernetes.io/component`. @default 'api' */
  readonly component?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A service built on the service kit, run the way production needs it: a Deployment that
 * rolls out with zero unavailable and drains endpoints before SIGTERM; startup, liveness
 * and readiness probes on /rest/health and /rest/ready; the restricted security profile with
 * a fixed UID, a read-only root and a writable /tmp; a ServiceAccount without a token; its
 * pods spread over nodes and zones; a PodDisruptionBudget; a HorizontalPodAutoscaler; a
 * ConfigMap for settings; and a network policy that denies everything it is not told to
 * allow.
 */
export class Microservice extends Construct implements INetworkEndpoint {
  readonly name: string;
  readonly namespace: string;
  readonly port: number;
  /** The URL other pods call it on. */
  readonly url: string;
  readonly networkPolicy: WorkloadNetworkPolicy;
  readonly peer: NetworkPeer;
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.port = props.port;
    this.url = `http://${this.name}.${this.namespace}.svc:${this.port}`;
    const labels = workloadLabels(this.name, props.component ?? 'api', props.partOf ?? DEFAULT_PART_OF);
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const replicas = checkReplicas(props.replicas ?? { min: 2, max: 4 });
    const shutdownTimeout = props.shutdownTimeout ?? Duration.seconds(25);
    const drainDelay = props.drainDelay ?? Duration.seconds(5);

    // First, so that pods never start before the rules that let them work.
    this.networkPolicy = new WorkloadNetworkPolicy(this, 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      podLabels: selectorLabels(this.name),
    });
    this.peer = NetworkPeer.pods(this.namespace, selectorLabels(this.name));

    const settings = {
      ...checkEnv(props.env ?? {}),
      PORT: String(this.port),
      LOG_LEVEL: props.logLevel ?? 'info',
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeout.toMilliseconds()),
    };
    const config = new kplus.ConfigMap(this, 'Config', {
      metadata: { ...metadata, name: `${this.name}-config` },
      data: settings,
    });
    const secretEnv: Record<string, kplus.EnvValue> = {};
    const url = props.database?.url;
    const databaseEnv = url === undefined ? {} : 'template' in url ? url.parts : { DATABASE_URL: url };
    for (const [variable, ref] of Object.entries({ ...props.secretEnv, ...databaseEnv })) {
      const secret = kplus.Secret.fromSecretName(this, `Secret-${variable}`, ref.secret);
      secretEnv[variable] = kplus.EnvValue.fromSecretValue({ secret, key: ref.key });
    }
    // After its parts: Kubernetes expands $(NAME) only from variables defined earlier.
    if (url !== undefined && 'template' in url) secretEnv.DATABASE_URL = kplus.EnvValue.fromValue(url.template);

    const http = (path: string, period: number, failureThreshold: number) =>
      kplus.Probe.fromHttpGet(path, {
        port: this.port,
        periodSeconds: Duration.seconds(period),
        timeoutSeconds: Duration.seconds(3),
        failureThreshold,
      });
    const runAs = { user: props.runAsUser ?? SERVICE_USER_ID };
    const startupPeriod = 2;

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: {
        ...metadata,
        annotations:
          props.database?.providedOutside === true
            ? {
                [CREATED_AT_DEPLOY]: secretsCreatedAtDeploy(
                  urlSecrets(props.database.url).map((name) => ({ namespace: this.namespace, name })),
                ),
              }
            : undefined,
      },
      select: false,
      podMetadata: {
        labels,
        // A changed ConfigMap rolls the pods; environment variables are read only at start.
        annotations: { 'checksum/config': hash(settings) },
      },
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      serviceAccount: new kplus.ServiceAccount(this, 'ServiceAccount', { metadata, automountToken: false }),
      automountServiceAccountToken: false,
      securityContext: restrictedPodSecurity(runAs),
      // preStop drain, then the kit's graceful shutdown, then a margin before SIGKILL.
      terminationGracePeriod: Duration.seconds(drainDelay.toSeconds() + shutdownTimeout.toSeconds() + 5),
      containers: [
        {
          name: this.name,
          image: props.image.reference,
          imagePullPolicy: IMAGE_PULL_POLICY,
          ports: [{ number: this.port, name: 'http' }],
          envFrom: [kplus.Env.fromConfigMap(config)],
          envVariables: secretEnv,
          startup: http(
            '/rest/health',
            startupPeriod,
            Math.ceil((props.startupTimeout ?? Duration.seconds(60)).toSeconds() / startupPeriod),
          ),
          liveness: http('/rest/health', 10, 3),
          // Not ready until the database answers and migrations are applied; 503 again while shutting down.
          readiness: http('/rest/ready', 5, 2),
          lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', String(drainDelay.toSeconds())]) },
          resources: containerResources(props.resources, {
            cpuRequestMillis: 100,
            cpuLimitMillis: 500,
            memoryRequestMebibytes: 192,
            memoryLimitMebibytes: 256,
          }),
          securityContext: restrictedContainerSecurity(runAs),
          volumeMounts: [
            {
              path: '/tmp',
              volume: kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp', {
                sizeLimit: Size.mebibytes(props.tmpSizeMebibytes ?? 64),
              }),
            },
          ],
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selectorLabels(this.name) }));
    addRuntimeDefaultSeccomp(this.deployment);
    // Preferred, not required: a one-node dev cluster must still schedule every replica.
    this.deployment.scheduling.spread({ weight: 100, topology: kplus.Topology.HOSTNAME });
    this.deployment.scheduling.spread({ weight: 50, topology: kplus.Topology.ZONE });

    this.service = new kplus.Service(this, 'Service', {
      metadata,
      ports: [{ name: 'http', port: this.port, targetPort: this.port }],
    });
    this.service.selectLabel(NAME_LABEL, this.name);

    new KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata,
      spec: {
        maxUnavailable: IntOrString.fromNumber(1),
        selector: { matchLabels: selectorLabels(this.name) },
        // A crash-looping pod must not block a node drain.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });

    new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
      metadata,
      target: this.deployment,
      minReplicas: replicas.min,
      maxReplicas: replicas.max,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(props.targetCpuUtilization ?? 70))],
    });

    props.database?.allowClient(this);
  }

  /** Lets a workload with a policy of its own call this service on its port (both policies get a rule). */
  allowFrom(client: INetworkEndpoint): void {
    allowConnection(client, this, NetworkPolicyPort.tcp(this.port));
  }

  /** Lets pods this platform does not manage, e.g. the ingress controller, call this service on its port. */
  allowFromPeer(peer: NetworkPeer): void {
    this.networkPolicy.allowIngress(peer, NetworkPolicyPort.tcp(this.port));
  }
}

function checkReplicas(replicas: ReplicaRange): ReplicaRange {
  if (!Number.isInteger(replicas.min) || replicas.min < 1 || replicas.max < replicas.min) {
    throw new Error(
      `Replicas { min: ${replicas.min}, max: ${replicas.max} } are not valid. Use whole numbers with 1 <= min <= max.`,
    );
  }
  return replicas;
}

function checkEnv(env: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(env)) {
    if (MANAGED_ENV.includes(name)) {
      throw new Error(
        `env.${name} is set by the Microservice itself. Use its own prop (port, logLevel, shutdownTimeout, database).`,
      );
    }
    if (SECRET_LIKE.test(name)) {
      throw new Error(`env.${name} looks like a secret, and env ends up in dist/. Pass it through secretEnv instead.`);
    }
  }
  return env;
}

function hash(data: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);
}
