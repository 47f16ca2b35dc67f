import { describe, expect, it } from 'vitest';
import {
  CloudNativePgDatabase,
  CREATED_AT_DEPLOY,
  Image,
  Microservice,
  NetworkPeer,
  ObjectStore,
  PoolMode,
  PostgresBackupSchedule,
  PostgresCluster,
  PostgresPooler,
  type CloudNativePgDatabaseProps,
} from '../../charts/index.js';
import { all, only, podSpec, synth, testChart, type Manifest } from '../../charts/index.js';

const apiServer = NetworkPeer.cidr('10.0.0.1/32');
const store = () =>
  ObjectStore.s3({
    destinationPath: 's3://billing-backups/ledger',
    endpoint: NetworkPeer.cidr('52.95.0.0/16'),
    accessKeyId: { secret: 'backup-credentials', key: 'ACCESS_KEY_ID' },
    secretAccessKey: { secret: 'backup-credentials', key: 'SECRET_ACCESS_KEY' },
  });

function build(props: Partial<CloudNativePgDatabaseProps> = {}) {
  const chart = testChart();
  const db = new CloudNativePgDatabase(chart, 'ledger-db', { namespace: 'ledger', apiServer, ...props });
  const service = new Microservice(chart, 'ledger-app', {
    namespace: 'ledger',
    image: Image.of('registry.test/ledger-app:1.2.3'),
    port: 8300,
    database: db,
  });
  return { db, service, manifests: synth(chart) };
}

const policy = (manifests: Manifest[], name: string) => only(manifests, 'NetworkPolicy', name).spec;
const peer = (labels: Record<string, string>, namespace = 'ledger') => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
  podSelector: { matchLabels: labels },
});
const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));

describe('PostgresCluster', () => {
  const { manifests } = build({ backup: store(), storageSize: '50Gi', storageClass: 'fast-ssd' });
  const cluster = only(manifests, 'Cluster', 'ledger-db');

  it('runs three instances, one per zone and one per node, from a pinned image, without superuser access', () => {
    expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(cluster.metadata.namespace).toBe('ledger');
    expect(cluster.spec.instances).toBe(3);
    expect(cluster.spec.imageName).toMatch(/^ghcr\.io\/cloudnative-pg\/postgresql:17\.\d+/);
    expect(cluster.spec.enableSuperuserAccess).toBe(false);
    expect(cluster.spec.affinity).toEqual({
      enablePodAntiAffinity: true,
      podAntiAffinityType: 'required',
      topologyKey: 'kubernetes.io/hostname',
    });
    expect(cluster.spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { 'cnpg.io/cluster': 'ledger-db' } },
      },
    ]);
  });

  it('has the storage, resources and connection limit it is given, memory limited at its request', () => {
    expect(cluster.spec.storage).toEqual({ size: '50Gi', storageClass: 'fast-ssd' });
    expect(cluster.spec.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2', memory: '1Gi' },
    });
    expect(cluster.spec.postgresql.parameters.max_connections).toBe('200');
  });

  it('creates the app database and sets the service kit’s timeouts on its role, which PgBouncer cannot pass on', () => {
    expect(cluster.spec.bootstrap.initdb).toMatchObject({ database: 'app', owner: 'app', dataChecksums: true });
    expect(cluster.spec.bootstrap.initdb.postInitApplicationSQL).toEqual([
      `ALTER ROLE "app" SET statement_timeout = '15s'`,
      `ALTER ROLE "app" SET idle_in_transaction_session_timeout = '60s'`,
    ]);
  });

  it('archives WAL and base backups to the object store, compressed and encrypted, kept 30 days', () => {
    expect(cluster.spec.backup).toEqual({
      retentionPolicy: '30d',
      barmanObjectStore: {
        destinationPath: 's3://billing-backups/ledger',
        s3Credentials: {
          accessKeyId: { name: 'backup-credentials', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'backup-credentials', key: 'SECRET_ACCESS_KEY' },
        },
        wal: { compression: 'gzip', encryption: 'AES256' },
        data: { compression: 'gzip', encryption: 'AES256' },
      },
    });
  });

  it('declares the object store’s credentials as created at deploy time', () => {
    expect(cluster.metadata.annotations[CREATED_AT_DEPLOY]).toBe('Secret/ledger/backup-credentials');
  });

  it('takes a base backup every day, the first at once', () => {
    const backup = only(manifests, 'ScheduledBackup', 'ledger-db-daily');
    expect(backup.spec).toEqual({
      cluster: { name: 'ledger-db' },
      schedule: '0 0 3 * * *',
      immediate: true,
      method: 'barmanObjectStore',
      backupOwnerReference: 'self',
    });
  });

  it('isolates its pods: the operator calls the instance managers, instances replicate among themselves', () => {
    const spec = policy(manifests, 'ledger-db');
    expect(spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'ledger-db' } });
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.ingress).toContainEqual({
      from: [peer({ 'app.kubernetes.io/name': 'cloudnative-pg' }, 'cnpg-system')],
      ports: tcp(8000),
    });
    expect(spec.ingress).toContainEqual({ from: [peer({ 'cnpg.io/cluster': 'ledger-db' })], ports: tcp(5432, 8000) });
    expect(spec.egress).toContainEqual({ to: [peer({ 'cnpg.io/cluster': 'ledger-db' })], ports: tcp(5432, 8000) });
    expect(spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: tcp(443, 6443) });
    expect(spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '52.95.0.0/16' } }], ports: tcp(443) });
  });

  it('admits Postgres clients only from its pooler, not from the service', () => {
    const ingress = policy(manifests, 'ledger-db').ingress;
    expect(ingress).toContainEqual({ from: [peer({ 'cnpg.io/poolerName': 'ledger-db-pooler' })], ports: tcp(5432) });
    expect(JSON.stringify(ingress)).not.toContain('ledger-app');
  });

  it('has no backup, no schedule and no egress to a store without an object store', () => {
    const bare = build().manifests;
    expect(only(bare, 'Cluster').spec.backup).toBeUndefined();
    expect(all(bare, 'ScheduledBackup')).toEqual([]);
    expect(policy(bare, 'ledger-db').egress).toHaveLength(2);
  });

  it('refuses settings that would break it, saying how to fix them', () => {
    const chart = testChart();
    expect(() => new PostgresCluster(chart, 'a', { namespace: 'x', apiServer, instances: 0 })).toThrow(/Use 3/);
    expect(
      () =>
        new PostgresCluster(chart, 'b', { namespace: 'x', apiServer, roleSettings: { statement_timeout: "1'; DROP" } }),
    ).toThrow(/not a plain setting/);
    expect(
      () => new PostgresBackupSchedule(chart, 'c', { cluster: { name: 'a', namespace: 'x' }, schedule: '0 3 * * *' }),
    ).toThrow(/six-field cron/);
    expect(() => ObjectStore.s3({ destinationPath: 'billing-backups', endpoint: apiServer })).toThrow(/s3:\/\//);
    expect(() =>
      ObjectStore.s3({
        destinationPath: 's3://bucket/x',
        endpoint: apiServer,
        accessKeyId: { secret: 's', key: 'k' },
      }),
    ).toThrow(/both accessKeyId and secretAccessKey/);
    expect(() =>
      ObjectStore.s3({ destinationPath: 's3://bucket/x', endpoint: apiServer, retention: '30 days' }),
    ).toThrow(/e\.g\. 30d/);
  });

  it('uses the pods’ IAM role when no keys are given', () => {
    expect(
      ObjectStore.s3({ destinationPath: 's3://bucket/x', endpoint: apiServer }).barmanObjectStore.s3Credentials,
    ).toEqual({
      inheritFromIamRole: true,
    });
  });
});

describe('PostgresPooler', () => {
  const { db, manifests } = build({
    scraper: NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }),
  });
  const pooler = only(manifests, 'Pooler', 'ledger-db-pooler');

  it('pools connections to the primary in session mode, ignoring the startup parameters PgBouncer cannot pass', () => {
    expect(pooler.spec).toMatchObject({ cluster: { name: 'ledger-db' }, instances: 2, type: 'rw' });
    expect(pooler.spec.pgbouncer.poolMode).toBe('session');
    expect(pooler.spec.pgbouncer.parameters).toEqual({
      default_pool_size: '90',
      max_client_conn: '1000',
      ignore_startup_parameters: 'extra_float_digits,options,statement_timeout,idle_in_transaction_session_timeout',
      max_prepared_statements: '200',
    });
  });

  it('keeps its pool within the cluster’s connection limit', () => {
    const cluster = only(manifests, 'Cluster');
    const servers = pooler.spec.instances * Number(pooler.spec.pgbouncer.parameters.default_pool_size);
    expect(servers).toBeLessThan(Number(cluster.spec.postgresql.parameters.max_connections));
  });

  it('is what the service connects to: DATABASE_URL names the pooler, with the operator’s credentials', () => {
    const container = podSpec(only(manifests, 'Deployment')).containers[0];
    const names = container.env.map((env: { name: string }) => env.name);
    expect(container.env).toContainEqual({
      name: 'DATABASE_USER',
      valueFrom: { secretKeyRef: { name: 'ledger-db-app', key: 'username' } },
    });
    expect(container.env).toContainEqual({
      name: 'DATABASE_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'ledger-db-app', key: 'password' } },
    });
    expect(container.env).toContainEqual({
      name: 'DATABASE_URL',
      value: 'postgresql://$(DATABASE_USER):$(DATABASE_PASSWORD)@ledger-db-pooler.ledger.svc:5432/app',
    });
    // Kubernetes expands $(NAME) only from variables listed before.
    expect(names.indexOf('DATABASE_URL')).toBeGreaterThan(names.indexOf('DATABASE_USER'));
    expect(names.indexOf('DATABASE_URL')).toBeGreaterThan(names.indexOf('DATABASE_PASSWORD'));
    expect(db.url.template).toContain('ledger-db-pooler.ledger.svc');
  });

  it('declares the operator’s Secret as created at deploy time on the Deployment', () => {
    expect(only(manifests, 'Deployment').metadata.annotations[CREATED_AT_DEPLOY]).toBe('Secret/ledger/ledger-db-app');
  });

  it('opens service -> pooler -> instances, each on 5432, and the scraper to both exporters', () => {
    const service = policy(manifests, 'ledger-app');
    expect(service.egress).toContainEqual({
      to: [peer({ 'cnpg.io/poolerName': 'ledger-db-pooler' })],
      ports: tcp(5432),
    });
    const pool = policy(manifests, 'ledger-db-pooler');
    expect(pool.podSelector).toEqual({ matchLabels: { 'cnpg.io/poolerName': 'ledger-db-pooler' } });
    expect(pool.ingress).toContainEqual({ from: [peer({ 'app.kubernetes.io/name': 'ledger-app' })], ports: tcp(5432) });
    expect(pool.egress).toContainEqual({ to: [peer({ 'cnpg.io/cluster': 'ledger-db' })], ports: tcp(5432) });
    const prometheus = peer({ 'app.kubernetes.io/name': 'prometheus' }, 'monitoring');
    expect(pool.ingress).toContainEqual({ from: [prometheus], ports: tcp(9127) });
    expect(policy(manifests, 'ledger-db').ingress).toContainEqual({ from: [prometheus], ports: tcp(9187) });
  });

  it('has a PodMonitor for the instances and one for the pooler', () => {
    expect(only(manifests, 'PodMonitor', 'ledger-db').spec.selector).toEqual({
      matchLabels: { 'cnpg.io/cluster': 'ledger-db', 'cnpg.io/podRole': 'instance' },
    });
    expect(only(manifests, 'PodMonitor', 'ledger-db-pooler').spec.podMetricsEndpoints).toEqual([
      { port: 'metrics', path: '/metrics', interval: '30s' },
    ]);
  });

  it('may pool per transaction when asked, and refuses a pool larger than its client limit', () => {
    const chart = testChart();
    const cluster = new PostgresCluster(chart, 'c', { namespace: 'x', apiServer });
    const transaction = new PostgresPooler(chart, 'p', { cluster, apiServer, poolMode: PoolMode.TRANSACTION });
    expect(transaction.pooler.toJson().spec.pgbouncer.poolMode).toBe('transaction');
    expect(
      () => new PostgresPooler(chart, 'q', { cluster, apiServer, poolSize: 50, maxClientConnections: 10 }),
    ).toThrow(/poolSize <= maxClientConnections/);
  });
});
