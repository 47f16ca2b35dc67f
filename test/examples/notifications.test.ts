import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addNotifications } from '../../examples/notifications/notifications.js';
import { buildEnvironment, Manifests, podSpec, synthEnvironment, type EnvironmentName } from '../../charts/index.js';

const SOURCE = readFileSync(new URL('../../examples/notifications/notifications.ts', import.meta.url), 'utf8');
const SERVICE = 'notifications/notification-service';

describe('the notifications example', () => {
  it('is a page of code that uses only the public entry and no escape hatch', () => {
    expect(SOURCE.split('\n').length).toBeLessThanOrEqual(80);
    const imports = [...SOURCE.matchAll(/from '([^']+)'/g)].map(([, from]) => from);
    expect(imports.every((from) => from === 'cdk8s' || from === '../../charts/index.js')).toBe(true);
    expect(SOURCE).not.toMatch(/\.containers\[|\.deployment\b|addJsonPatch|ApiObject/);
  });

  describe.each(['dev', 'prod'] as EnvironmentName[])('%s', (environment) => {
    const manifests = synthEnvironment(environment, { extend: addNotifications });

    it('passes every check of npm run verify, Pod Security included', () => {
      expect(manifests.verify().violations).toEqual([]);
      expect(manifests.podSecurityViolations()).toEqual([]);
    });

    it('runs notification-service on port 7000 with 2 to 4 replicas in its team namespace', () => {
      const deployment = manifests.find('Deployment', 'notification-service', 'notifications');
      expect(podSpec(deployment).containers[0].ports).toEqual([{ containerPort: 7000, name: 'http' }]);
      const autoscaler = manifests.find('HorizontalPodAutoscaler', 'notification-service', 'notifications');
      expect(autoscaler.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
      expect(manifests.can('group:team-notifications', 'create', 'deployments.apps', 'notifications')).toBe(true);
      expect(manifests.can('group:team-notifications', 'create', 'deployments.apps', 'invoices')).toBe(false);
      expect(manifests.can('group:team-invoices', 'update', 'deployments.apps', 'notifications')).toBe(false);
    });

    it('is reached by invoice-app and its hourly call only, and reaches its own database only', () => {
      expect(manifests.canReach('invoices/invoice-app', SERVICE, 7000)).toBe(true);
      expect(manifests.canReach('notifications/notifications-hourly', SERVICE, 7000)).toBe(true);
      expect(manifests.sourcesOf(SERVICE).sort()).toEqual([
        'invoices/invoice-app',
        'notifications/notifications-hourly',
      ]);
      expect(manifests.canReach('payments/payment-provider', SERVICE, 7000)).toBe(false);
      const database = environment === 'dev' ? 'notifications/notification-service-db' : 'ipBlock 10.20.2.0/24';
      expect(manifests.canReach(SERVICE, database, 5432)).toBe(true);
      expect(manifests.canReach(SERVICE, 'invoices/invoice-app-db', 5432)).toBe(false);
      expect(manifests.canReach(SERVICE, 'internet', 443)).toBe(false);
    });

    it('gives invoice-app the URL and the token, through its ConfigMap and a Secret', () => {
      const config = manifests.find('ConfigMap', 'invoice-app-config', 'invoices');
      expect(config.data.NOTIFICATION_SERVICE_URL).toBe('http://notification-service.notifications.svc:7000');
      const env = podSpec(manifests.find('Deployment', 'invoice-app', 'invoices')).containers[0].env;
      expect(env).toContainEqual({
        name: 'NOTIFICATION_SERVICE_TOKEN',
        valueFrom: { secretKeyRef: { name: 'notification-service-token', key: 'NOTIFICATIONS_API_TOKEN' } },
      });
      const secrets = JSON.parse(manifests.find('ConfigMap', 'secret-bootstrap').data['secrets.json']).secrets;
      expect(secrets).toContainEqual(
        expect.objectContaining({ name: 'notification-service-token', namespaces: ['notifications', 'invoices'] }),
      );
    });

    it('calls notification-service once an hour with its token', () => {
      const cronJob = manifests.find('CronJob', 'notifications-hourly', 'notifications');
      expect(cronJob.spec.schedule).toBe('0 * * * *');
      const container = podSpec(cronJob).containers[0];
      expect(container.args.at(-1)).toBe('http://notification-service.notifications.svc:7000/rest/v1/digests');
      expect(container.env[0].valueFrom.secretKeyRef).toEqual({
        name: 'notification-service-token',
        key: 'NOTIFICATIONS_API_TOKEN',
      });
    });
  });

  it('declares its connections and ownership, to compare with what the manifests allow', () => {
    const { platform } = buildEnvironment('dev', { extend: addNotifications });
    expect(platform.connections).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'invoices/invoice-app', to: SERVICE, port: 7000, protocol: 'TCP' }),
        expect.objectContaining({
          from: 'notifications/notifications-hourly',
          to: SERVICE,
          port: 7000,
          protocol: 'TCP',
        }),
        expect.objectContaining({
          from: SERVICE,
          to: 'notifications/notification-service-db',
          port: 5432,
          protocol: 'TCP',
        }),
      ]),
    );
    expect(platform.teams.map((team) => [team.name, team.namespace, team.group])).toContainEqual([
      'notifications',
      'notifications',
      'team-notifications',
    ]);
    // Every declared workload-to-workload connection is one the manifests allow.
    const manifests = Manifests.of(buildEnvironment('dev', { extend: addNotifications }).app);
    const workloads = new Set(manifests.reachability.endpoints.filter((e) => e.workload).map((e) => e.id));
    for (const connection of platform.connections.filter((c) => workloads.has(c.from) && workloads.has(c.to))) {
      expect(manifests.canReach(connection.from, connection.to, connection.port), JSON.stringify(connection)).toBe(
        true,
      );
    }
  });
});
