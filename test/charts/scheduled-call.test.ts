import { Cron, Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  CallClient,
  HELPER_USER_ID,
  Image,
  Microservice,
  only,
  podSpec,
  restrictedViolations,
  ScheduledCall,
  synth,
  testChart,
  type ScheduledCallProps,
} from '../../charts/index.js';

function build(props: Partial<ScheduledCallProps> = {}) {
  const chart = testChart();
  const target = new Microservice(chart, 'notification-service', {
    namespace: 'notifications',
    image: Image.of('r.test/notification-service:1.0.0'),
    port: 7000,
  });
  new ScheduledCall(chart, 'digest', {
    target,
    schedule: Cron.hourly(),
    path: '/rest/v1/digests',
    token: { secret: 'notification-service-token', key: 'NOTIFICATIONS_TOKEN' },
    ...props,
  });
  return synth(chart);
}

describe('ScheduledCall', () => {
  it('calls the target with curl, retrying refused and timed-out connections a bounded number of times', () => {
    const manifests = build();
    const cronJob = only(manifests, 'CronJob', 'digest');
    expect(cronJob.metadata.namespace).toBe('notifications');
    expect(cronJob.spec).toMatchObject({ schedule: '0 * * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    const pod = podSpec(cronJob);
    const container = pod.containers[0];
    expect(container.image).toBe('docker.io/curlimages/curl:8.11.1');
    expect(container.command).toEqual(['curl']);
    expect(container.args).toEqual([
      '--fail-with-body',
      '--silent',
      '--show-error',
      '--max-time',
      '1800',
      '--retry',
      '5',
      '--retry-delay',
      '10',
      '--retry-connrefused',
      '--request',
      'POST',
      '--header',
      'Authorization: Bearer $(API_TOKEN)',
      'http://notification-service.notifications.svc:7000/rest/v1/digests',
    ]);
    expect(container.env).toEqual([
      {
        name: 'API_TOKEN',
        valueFrom: { secretKeyRef: { name: 'notification-service-token', key: 'NOTIFICATIONS_TOKEN' } },
      },
    ]);
    expect(restrictedViolations(pod)).toEqual([]);
    expect(pod.securityContext.runAsUser).toBe(HELPER_USER_ID);
  });

  it('opens exactly the path to the target', () => {
    const manifests = build();
    expect(only(manifests, 'NetworkPolicy', 'digest').spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'notifications' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'notification-service' } },
          },
        ],
        ports: [{ port: 7000, protocol: 'TCP' }],
      },
    ]);
    expect(only(manifests, 'NetworkPolicy', 'notification-service').spec.ingress[0].from[0].podSelector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'digest' },
    });
  });

  it('sends no Authorization header without a token, takes a method and timeout, and runs a command client', () => {
    const plain = podSpec(
      only(build({ token: undefined, method: 'GET', timeout: Duration.minutes(2) }), 'CronJob', 'digest'),
    ).containers[0];
    expect(plain.args).not.toContain('--header');
    expect(plain.args.slice(plain.args.indexOf('--request'), plain.args.indexOf('--request') + 2)).toEqual([
      '--request',
      'GET',
    ]);
    expect(plain.args[plain.args.indexOf('--max-time') + 1]).toBe('120');
    expect(plain.env).toBeUndefined();

    const client = CallClient.command({
      image: Image.of('r.test/notify-cli:1.0.0'),
      command: ['notify', 'digest'],
      urlVariable: 'NOTIFY_URL',
      tokenVariable: 'NOTIFY_TOKEN',
    });
    const custom = podSpec(only(build({ client }), 'CronJob', 'digest')).containers[0];
    expect(custom.command).toEqual(['notify', 'digest']);
    expect(custom.env.map((variable: { name: string }) => variable.name)).toEqual(['NOTIFY_URL', 'NOTIFY_TOKEN']);
  });

  it('refuses a path without a leading slash, with the fix', () => {
    expect(() => build({ path: 'rest/v1/digests' })).toThrow("Did you mean '/rest/v1/digests'?");
  });
});
