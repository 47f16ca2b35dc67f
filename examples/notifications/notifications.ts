// A third team and service on the platform, built only from the library's public entry: the
// notifications team runs notification-service (its own Postgres, 2-4 replicas, port 7000),
// which invoice-app calls with its URL and token, and which is called once an hour.
import { Cron } from 'cdk8s';
import type { PlatformExtension } from '../../charts/index.js';

/** Where notification-service's database is in production: a managed Postgres, as for billing. */
const PROD_DATABASE = { secret: 'notification-service-db-credentials', cidr: '10.20.2.0/24' };

export const addNotifications: PlatformExtension = (platform, environment) => {
  platform.addTeam('notifications');
  platform.addService('notification-service', {
    team: 'notifications',
    port: 7000,
    database: true,
    externalDatabase: environment === 'prod' ? PROD_DATABASE : undefined,
    token: { variable: 'NOTIFICATIONS_API_TOKEN' },
    replicas: { min: 2, max: 4 },
    resources: { memoryRequestMebibytes: 128, memoryLimitMebibytes: 208 },
  });
  platform.connect('invoice-app', 'notification-service', {
    urlVariable: 'NOTIFICATION_SERVICE_URL',
    tokenVariable: 'NOTIFICATION_SERVICE_TOKEN',
  });
  platform.addScheduledCall('notifications-hourly', {
    target: 'notification-service',
    path: '/rest/v1/digests',
    schedule: Cron.hourly(),
  });
};
