import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { IDatabase } from './database.js';
import { GeneratedSecret, SecretValue, type SecretKeyRef } from './generated-secret.js';
import { HardenedPod } from './hardened-pod.js';
import { PINNED_IMAGES, type Image } from './image.js';
import { DEFAULT_PART_OF, NAME_LABEL, selectorLabels, workloadLabels } from './labels.js';
import {
  allowConnection,
  NetworkPolicyPort,
  type INetworkEndpoint,
  type NetworkPeer,
  type WorkloadNetworkPolicy,
} from './network-policy.js';
import { POSTGRES_USER_ID } from './pod-security.js';
import { containerResources, type ResourceSizes } from './resources.js';

const PORT = 5432;
const DATA_DIR = '/var/lib/postgresql/data';

/** Properties of a Postgres. */
export interface PostgresProps {
  /** The namespace it runs in. */
  readonly namespace: string;
  /** Name of the StatefulSet, its headless Service (the host in the URL) and its Secret's prefix. @default the construct id */
  readonly name?: string;
  /** The database and user to create. @default the name with '-' as '_' */
  readonly databaseName?: string;
  /** A pinned Postgres image of the Debian flavour (which ships nss_wrapper). @default PINNED_IMAGES.postgres */
  readonly image?: Image;
  /** Size of the data volume, in GiB. @default 1 */
  readonly storageGibibytes?: number;
  /** Storage class of the data volume. @default the cluster's default class */
  readonly storageClassName?: string;
  /** CPU and memory. @default requests 100m and 256Mi, limits 1 CPU and 512Mi */
  readonly resources?: ResourceSizes;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A single-instance Postgres for development: a StatefulSet with a data claim, a headless
 * Service, probes, the restricted security profile (UID 10002, read-only root, writable
 * volume via fsGroup) and credentials from a GeneratedSecret that also holds the client's
 * DATABASE_URL, so password and URL can never disagree. Production swaps it for an
 * ExternalDatabase behind the same IDatabase interface.
 */
export class Postgres extends Construct implements IDatabase, INetworkEndpoint {
  /** The StatefulSet's name, which is also the Service's. */
  readonly name: string;
  readonly namespace: string;
  /** The host clients connect to. */
  readonly host: string;
  readonly url: SecretKeyRef;
  readonly providedOutside = false;
  readonly networkPolicy: WorkloadNetworkPolicy;
  readonly peer: NetworkPeer;
  /** The Secret with POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB and DATABASE_URL. */
  readonly credentials: GeneratedSecret;
  readonly statefulSet: kplus.StatefulSet;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.host = `${this.name}.${this.namespace}.svc`;
    const database = props.databaseName ?? this.name.replace(/-/g, '_');
    const labels = workloadLabels(this.name, 'database', props.partOf ?? DEFAULT_PART_OF);
    const metadata = { name: this.name, namespace: this.namespace, labels };

    const pod = new HardenedPod(this, 'Pod', {
      name: this.name,
      namespace: this.namespace,
      labels,
      runAs: { user: POSTGRES_USER_ID },
    });
    this.networkPolicy = pod.networkPolicy;
    this.peer = pod.peer;

    this.credentials = new GeneratedSecret(this, 'Credentials', {
      name: `${this.name}-credentials`,
      namespaces: [this.namespace],
      keys: {
        POSTGRES_USER: SecretValue.literal(database),
        POSTGRES_DB: SecretValue.literal(database),
        POSTGRES_PASSWORD: SecretValue.random(32),
        DATABASE_URL: SecretValue.template(
          `postgres://{POSTGRES_USER}:{POSTGRES_PASSWORD}@${this.host}:${PORT}/{POSTGRES_DB}`,
        ),
      },
    });
    this.url = this.credentials.ref('DATABASE_URL');

    const service = new kplus.Service(this, 'Service', {
      metadata,
      clusterIP: 'None',
      ports: [{ name: 'postgres', port: PORT, targetPort: PORT }],
    });
    service.selectLabel(NAME_LABEL, this.name);

    const secret = kplus.Secret.fromSecretName(this, 'CredentialsRef', this.credentials.name);
    const fromSecret = (key: string) => kplus.EnvValue.fromSecretValue({ secret, key });
    const isReady = kplus.Probe.fromCommand(
      ['/bin/sh', '-c', `pg_isready -h 127.0.0.1 -p ${PORT} -U "$POSTGRES_USER" -d "$POSTGRES_DB"`],
      { periodSeconds: Duration.seconds(5), timeoutSeconds: Duration.seconds(3), failureThreshold: 3 },
    );

    // A claim of its own rather than volumeClaimTemplates: the server fills defaults into the
    // templates, which kubectl then sees as a change on every apply. One instance, one claim;
    // the claim outlives the StatefulSet.
    const data = new kplus.PersistentVolumeClaim(this, 'Data', {
      metadata: { ...metadata, name: `${this.name}-data` },
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      storage: Size.gibibytes(props.storageGibibytes ?? 1),
      storageClassName: props.storageClassName,
    });
    this.statefulSet = new kplus.StatefulSet(this, 'StatefulSet', {
      ...pod.podProps,
      metadata,
      select: false,
      service,
      // A single instance: it is a development database.
      replicas: 1,
      terminationGracePeriod: Duration.seconds(60),
      containers: [
        pod.container({
          name: 'postgres',
          image: (props.image ?? PINNED_IMAGES.postgres).reference,
          ports: [{ number: PORT, name: 'postgres' }],
          envVariables: {
            POSTGRES_USER: fromSecret('POSTGRES_USER'),
            POSTGRES_PASSWORD: fromSecret('POSTGRES_PASSWORD'),
            POSTGRES_DB: fromSecret('POSTGRES_DB'),
            // A subdirectory: the volume's root may hold lost+found, which initdb refuses.
            PGDATA: kplus.EnvValue.fromValue(`${DATA_DIR}/pgdata`),
          },
          // First start runs initdb on a unix socket only, so TCP readiness means "initialised and serving".
          startup: kplus.Probe.fromCommand(
            ['/bin/sh', '-c', `pg_isready -h 127.0.0.1 -p ${PORT} -U "$POSTGRES_USER" -d "$POSTGRES_DB"`],
            { periodSeconds: Duration.seconds(5), timeoutSeconds: Duration.seconds(3), failureThreshold: 60 },
          ),
          readiness: isReady,
          liveness: kplus.Probe.fromTcpSocket({
            port: PORT,
            periodSeconds: Duration.seconds(10),
            timeoutSeconds: Duration.seconds(3),
            failureThreshold: 6,
          }),
          // Kubernetes sends SIGTERM, which Postgres treats as "wait for every client to leave";
          // a fast shutdown ends sessions and checkpoints cleanly within the grace period.
          lifecycle: {
            preStop: kplus.Handler.fromCommand(['/bin/sh', '-c', 'pg_ctl stop -D "$PGDATA" -m fast -w -t 50']),
          },
          resources: containerResources(props.resources, {
            cpuRequestMillis: 100,
            cpuLimitMillis: 1000,
            memoryRequestMebibytes: 256,
            memoryLimitMebibytes: 512,
          }),
          volumeMounts: [
            { path: DATA_DIR, volume: kplus.Volume.fromPersistentVolumeClaim(this, 'DataVolume', data) },
            { path: '/var/run/postgresql', volume: kplus.Volume.fromEmptyDir(this, 'run', 'run') },
          ],
        }),
      ],
    });
    this.statefulSet.select(kplus.LabelSelector.of({ labels: selectorLabels(this.name) }));
    pod.harden(this.statefulSet);
  }

  allowClient(client: INetworkEndpoint): void {
    allowConnection(client, this, NetworkPolicyPort.tcp(PORT));
  }
}
