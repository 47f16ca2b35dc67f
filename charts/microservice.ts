import { createHash } from 'node:crypto';
import { Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IntOrString, KubePodDisruptionBudget } from '../imports/k8s.js';
import { urlSecrets, type ComposedUrl, type IDatabase } from './database.js';
import type { SecretKeyRef } from './generated-secret.js';
import { HardenedPod } from './hardened-pod.js';
import type { Image } from './image.js';
import { DEFAULT_PART_OF, NAME_LABEL, selectorLabels, workloadLabels } from './labels.js';
import {
  allowConnection,
  NetworkPolicyPort,
  type NetworkPeer,
  type INetworkEndpoint,
  type WorkloadNetworkPolicy,
} from './network-policy.js';
import { SERVICE_USER_ID } from './pod-security.js';
import { containerResources, type ResourceSizes } from './resources.js';
import { looksLikeSecret } from './secret-names.js';
import { CREATED_AT_DEPLOY, secretsCreatedAtDeploy } from './verify-annotations.js';

/** Variables the construct sets itself, from its own props. */
const MANAGED_ENV = ['PORT', 'LOG_LEVEL', 'SHUTDOWN_TIMEOUT_MS', 'DATABASE_URL'];

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
  /** Its image. */
  readonly image: Image;
  readonly networkPolicy: WorkloadNetworkPolicy;
  readonly peer: NetworkPeer;
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;
  private readonly config: kplus.ConfigMap;
  private readonly settings: Record<string, string> = {};
  private readonly secretEnv = new Map<string, SecretKeyRef>();

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.port = props.port;
    this.image = props.image;
    this.url = `http://${this.name}.${this.namespace}.svc:${this.port}`;
    const labels = workloadLabels(this.name, props.component ?? 'api', props.partOf ?? DEFAULT_PART_OF);
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const replicas = checkReplicas(props.replicas ?? { min: 2, max: 4 });
    const shutdownTimeout = props.shutdownTimeout ?? Duration.seconds(25);
    const drainDelay = props.drainDelay ?? Duration.seconds(5);

    const pod = new HardenedPod(this, 'Pod', {
      name: this.name,
      namespace: this.namespace,
      labels,
      runAs: { user: props.runAsUser ?? SERVICE_USER_ID },
      tmpSizeMebibytes: props.tmpSizeMebibytes,
    });
    this.networkPolicy = pod.networkPolicy;
    this.peer = pod.peer;

    this.config = new kplus.ConfigMap(this, 'Config', { metadata: { ...metadata, name: `${this.name}-config` } });
    for (const [variable, value] of Object.entries(props.env ?? {})) this.addEnv(variable, value);
    this.setConfig('PORT', String(this.port));
    this.setConfig('LOG_LEVEL', props.logLevel ?? 'info');
    this.setConfig('SHUTDOWN_TIMEOUT_MS', String(shutdownTimeout.toMilliseconds()));

    const http = (path: string, period: number, failureThreshold: number) =>
      kplus.Probe.fromHttpGet(path, {
        port: this.port,
        periodSeconds: Duration.seconds(period),
        timeoutSeconds: Duration.seconds(3),
        failureThreshold,
      });
    const startupPeriod = 2;

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      ...pod.podProps,
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
        annotations: { 'checksum/config': Lazy.any({ produce: () => hash(this.settings) }) },
      },
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      // preStop drain, then the kit's graceful shutdown, then a margin before SIGKILL.
      terminationGracePeriod: Duration.seconds(drainDelay.toSeconds() + shutdownTimeout.toSeconds() + 5),
      containers: [
        pod.container({
          name: this.name,
          image: props.image.reference,
          ports: [{ number: this.port, name: 'http' }],
          envFrom: [kplus.Env.fromConfigMap(this.config)],
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
        }),
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selectorLabels(this.name) }));
    pod.harden(this.deployment);
    // Preferred, not required: a one-node dev cluster must still schedule every replica.
    this.deployment.scheduling.spread({ weight: 100, topology: kplus.Topology.HOSTNAME });
    this.deployment.scheduling.spread({ weight: 50, topology: kplus.Topology.ZONE });
    for (const [variable, ref] of Object.entries(props.secretEnv ?? {})) this.addSecretEnv(variable, ref);
    if (props.database) this.setDatabaseUrl(props.database.url);

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

  /**
   * Adds a plain setting: it goes into the ConfigMap (and the checksum that rolls the pods).
   * Names that look like secrets, and the ones the construct sets itself, are refused.
   */
  addEnv(variable: string, value: string): void {
    if (MANAGED_ENV.includes(variable)) {
      throw new Error(
        `env.${variable} is set by the Microservice itself. Use its own prop (port, logLevel, shutdownTimeout, database).`,
      );
    }
    if (looksLikeSecret(variable)) {
      throw new Error(
        `env.${variable} looks like a secret, and env ends up in dist/. Pass it through secretEnv (addSecretEnv) instead.`,
      );
    }
    this.setConfig(variable, value);
  }

  /** Adds a setting read from a Secret's key (a `secretKeyRef`: the value never reaches dist/). */
  addSecretEnv(variable: string, ref: SecretKeyRef): void {
    if (MANAGED_ENV.includes(variable)) {
      throw new Error(`secretEnv.${variable} is set by the Microservice itself. Use its own prop (database).`);
    }
    this.setSecretEnv(variable, ref);
  }

  /** The variables it reads, plain and from Secrets, by name: what a test or a check looks at. */
  get environment(): { readonly plain: Record<string, string>; readonly secret: Record<string, SecretKeyRef> } {
    return { plain: { ...this.settings }, secret: Object.fromEntries(this.secretEnv) };
  }

  /** Lets a workload with a policy of its own call this service on its port (both policies get a rule). */
  allowFrom(client: INetworkEndpoint): void {
    allowConnection(client, this, NetworkPolicyPort.tcp(this.port));
  }

  /** Lets pods this platform does not manage, e.g. the ingress controller, call this service on its port. */
  allowFromPeer(peer: NetworkPeer): void {
    this.networkPolicy.allowIngress(peer, NetworkPolicyPort.tcp(this.port));
  }

  private setConfig(variable: string, value: string): void {
    this.checkUnset(variable);
    this.settings[variable] = value;
    this.config.addData(variable, value);
  }

  private setSecretEnv(variable: string, ref: SecretKeyRef): void {
    this.checkUnset(variable);
    this.secretEnv.set(variable, ref);
    const secret = kplus.Secret.fromSecretName(this, `Secret-${variable}`, ref.secret);
    this.deployment.containers[0]!.env.addVariable(variable, kplus.EnvValue.fromSecretValue({ secret, key: ref.key }));
  }

  private setDatabaseUrl(url: SecretKeyRef | ComposedUrl): void {
    if (!('template' in url)) return this.setSecretEnv('DATABASE_URL', url);
    for (const [variable, ref] of Object.entries(url.parts)) this.setSecretEnv(variable, ref);
    // After its parts: Kubernetes expands $(NAME) only from variables defined earlier.
    this.checkUnset('DATABASE_URL');
    this.deployment.containers[0]!.env.addVariable('DATABASE_URL', kplus.EnvValue.fromValue(url.template));
  }

  private checkUnset(variable: string): void {
    if (variable in this.settings || this.secretEnv.has(variable)) {
      throw new Error(`${this.name}: ${variable} is already set. Set each variable once, in env or in secretEnv.`);
    }
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

function hash(data: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);
}
