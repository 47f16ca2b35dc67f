import { describe, expect, it } from 'vitest';
import {
  Image,
  NetworkPeer,
  Postgres,
  POSTGRES_USER_ID,
  WorkloadNetworkPolicy,
  type PostgresProps,
} from '../../charts/index.js';
import { only, podSpec, restrictedViolations, synth, testChart } from '../../charts/index.js';

function build(props: Partial<PostgresProps> = {}) {
  const chart = testChart();
  const db = new Postgres(chart, 'ledger-db', { namespace: 'ledger', ...props });
  return { chart, db, manifests: synth(chart) };
}

describe('Postgres defaults', () => {
  const { db, manifests } = build();
  const statefulSet = only(manifests, 'StatefulSet', 'ledger-db');
  const pod = podSpec(statefulSet);
  const container = pod.containers[0];

  it('is one StatefulSet replica behind a headless Service of the same name', () => {
    expect(statefulSet.spec.replicas).toBe(1);
    expect(statefulSet.spec.serviceName).toBe('ledger-db');
    expect(statefulSet.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'ledger-db' } });
    const service = only(manifests, 'Service', 'ledger-db').spec;
    expect(service.clusterIP).toBe('None');
    expect(service.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 5432 }]);
    expect(service.selector['app.kubernetes.io/name']).toBe('ledger-db');
    expect(db.host).toBe('ledger-db.ledger.svc');
  });

  it('keeps its data on a 1Gi claim of its own from the default storage class', () => {
    const claim = only(manifests, 'PersistentVolumeClaim', 'ledger-db-data');
    expect(claim.metadata.namespace).toBe('ledger');
    expect(claim.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      volumeMode: 'Filesystem',
    });
    // No volumeClaimTemplates: the server fills defaults into them, and every apply would differ.
    expect(statefulSet.spec).not.toHaveProperty('volumeClaimTemplates');
    const volume = pod.volumes.find((v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim);
    expect(volume.persistentVolumeClaim).toEqual({ claimName: 'ledger-db-data' });
    expect(container.volumeMounts).toContainEqual({ name: volume.name, mountPath: '/var/lib/postgresql/data' });
    expect(container.env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
  });

  it("runs restricted as a high UID, not the image's 999, writable only where Postgres writes", () => {
    expect(restrictedViolations(pod)).toEqual([]);
    expect(pod.securityContext).toMatchObject({
      runAsUser: POSTGRES_USER_ID,
      runAsGroup: POSTGRES_USER_ID,
      fsGroup: POSTGRES_USER_ID,
      fsGroupChangePolicy: 'OnRootMismatch',
    });
    expect(POSTGRES_USER_ID).toBeGreaterThan(10000);
    expect(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual([
      '/var/lib/postgresql/data',
      '/var/run/postgresql',
      '/tmp',
    ]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.image).toBe('docker.io/library/postgres:17.6-bookworm');
  });

  it('reads its credentials from a generated Secret that also holds the matching DATABASE_URL', () => {
    for (const key of ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB']) {
      expect(container.env).toContainEqual({
        name: key,
        valueFrom: { secretKeyRef: { name: 'ledger-db-credentials', key } },
      });
    }
    expect(db.url).toEqual({ secret: 'ledger-db-credentials', key: 'DATABASE_URL' });
    expect(db.credentials.toSpec().keys).toEqual({
      POSTGRES_USER: { literal: 'ledger_db' },
      POSTGRES_DB: { literal: 'ledger_db' },
      POSTGRES_PASSWORD: { random: 32 },
      DATABASE_URL: {
        template: 'postgres://{POSTGRES_USER}:{POSTGRES_PASSWORD}@ledger-db.ledger.svc:5432/{POSTGRES_DB}',
      },
    });
    expect(JSON.stringify(manifests)).not.toMatch(/kind":"Secret/);
  });

  it('is ready only when serving TCP after initdb, and stops fast', () => {
    expect(container.startupProbe.exec.command.join(' ')).toContain('pg_isready -h 127.0.0.1 -p 5432');
    expect(container.readinessProbe.exec.command).toEqual(container.startupProbe.exec.command);
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 5432 });
    expect(container.lifecycle.preStop.exec.command.join(' ')).toContain('pg_ctl stop -D "$PGDATA" -m fast');
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
  });

  it('admits nobody until a client is allowed', () => {
    expect(only(manifests, 'NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ledger-db' } },
      policyTypes: ['Ingress', 'Egress'],
    });
  });
});

describe('Postgres props', () => {
  it('name, databaseName, image, storageGibibytes, storageClassName, resources and partOf', () => {
    const { db, manifests } = build({
      name: 'books',
      databaseName: 'ledger',
      image: Image.of('mirror.test/postgres:17.6-bookworm'),
      storageGibibytes: 10,
      storageClassName: 'fast-ssd',
      resources: { memoryLimitMebibytes: 1024 },
      partOf: 'finance',
    });
    const statefulSet = only(manifests, 'StatefulSet', 'books');
    expect(statefulSet.metadata.labels['app.kubernetes.io/part-of']).toBe('finance');
    expect(only(manifests, 'PersistentVolumeClaim', 'books-data').spec).toMatchObject({
      storageClassName: 'fast-ssd',
      resources: { requests: { storage: '10Gi' } },
    });
    const container = podSpec(statefulSet).containers[0];
    expect(container.image).toBe('mirror.test/postgres:17.6-bookworm');
    expect(container.resources.limits.memory).toBe('1Gi');
    expect(db.credentials.name).toBe('books-credentials');
    expect(db.credentials.toSpec().keys.POSTGRES_DB).toEqual({ literal: 'ledger' });
  });

  it('allowClient opens 5432 from the client, in both policies', () => {
    const chart = testChart();
    const db = new Postgres(chart, 'ledger-db', { namespace: 'ledger' });
    const client = {
      networkPolicy: new WorkloadNetworkPolicy(chart, 'app', {
        name: 'app',
        namespace: 'ledger',
        podLabels: { app: 'app' },
      }),
      peer: NetworkPeer.pods('ledger', { app: 'app' }),
    };
    db.allowClient(client);
    const manifests = synth(chart);
    expect(only(manifests, 'NetworkPolicy', 'ledger-db').spec.ingress).toEqual([
      {
        from: [client.peer.toSpec()],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
    ]);
    expect(only(manifests, 'NetworkPolicy', 'app').spec.egress[0].to).toEqual([db.peer.toSpec()]);
  });
});
