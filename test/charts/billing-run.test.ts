import { Cron, Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  BillingRun,
  Image,
  IMAGE_PULL_POLICY,
  Microservice,
  SERVICE_USER_ID,
  type BillingRunProps,
} from '../../charts/index.js';
import { only, podMetadata, podSpec, restrictedViolations, synth, testChart } from '../../charts/index.js';

function build(props: Partial<BillingRunProps> = {}) {
  const chart = testChart();
  const invoiceApp = new Microservice(chart, 'invoice-app', {
    namespace: 'invoices',
    image: Image.of('r.test/invoice-app:1.0.0'),
    port: 8000,
  });
  new BillingRun(chart, 'billing-monthly', {
    namespace: 'invoices',
    invoiceApp,
    token: { secret: 'billing-api-token', key: 'BILLING_API_TOKEN' },
    schedule: Cron.schedule({ minute: '0', hour: '6', day: '1' }),
    ...props,
  });
  return synth(chart);
}

describe('BillingRun', () => {
  it('runs the billing CLI with the service URL and the token from the Secret, never overlapping', () => {
    const manifests = build();
    const cronJob = only(manifests, 'CronJob', 'billing-monthly');
    expect(cronJob.spec).toMatchObject({
      schedule: '0 6 1 * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 6 * 3600,
    });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 45 * 60 });
    const pod = podSpec(cronJob);
    const container = pod.containers[0];
    // invoice-app's billing CLI, from the same image and tag as the service, follows the run to its end.
    expect(container.image).toBe('r.test/invoice-app:1.0.0');
    expect(container.command).toEqual(['node', 'apps/invoice-app/build/cli/billing.js', 'pay', '--follow']);
    expect(container.args).toBeUndefined();
    expect(container.env).toEqual([
      { name: 'BILLING_TRIGGER', value: 'schedule' },
      { name: 'BILLING_API_URL', value: 'http://invoice-app.invoices.svc:8000' },
      {
        name: 'BILLING_API_TOKEN',
        valueFrom: { secretKeyRef: { name: 'billing-api-token', key: 'BILLING_API_TOKEN' } },
      },
    ]);
    expect(restrictedViolations(pod)).toEqual([]);
    expect(pod.securityContext.runAsUser).toBe(SERVICE_USER_ID);
    expect(container.imagePullPolicy).toBe(IMAGE_PULL_POLICY);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('billing-monthly');
    expect(only(manifests, 'ServiceAccount', 'billing-monthly').automountServiceAccountToken).toBe(false);
    expect(podMetadata(cronJob).labels).toMatchObject({
      'app.kubernetes.io/name': 'billing-monthly',
      'app.kubernetes.io/part-of': 'billing',
      'app.kubernetes.io/managed-by': 'cdk8s',
    });
  });

  it('may reach invoice-app on its port and nothing else; invoice-app admits it', () => {
    const manifests = build();
    const own = only(manifests, 'NetworkPolicy', 'billing-monthly').spec;
    expect(own.ingress).toBeUndefined();
    expect(own.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'invoices' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'invoice-app' } },
          },
        ],
        ports: [{ port: 8000, protocol: 'TCP' }],
      },
    ]);
    const app = only(manifests, 'NetworkPolicy', 'invoice-app').spec;
    expect(app.ingress[0].from[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'billing-monthly' });
  });

  it('takes a name, timeout, image and part-of', () => {
    const manifests = build({
      name: 'billing-retry',
      timeout: Duration.minutes(10),
      image: Image.of('mirror.test/invoice-app:1.0.1'),
      partOf: 'finance',
    });
    const cronJob = only(manifests, 'CronJob', 'billing-retry');
    const container = podSpec(cronJob).containers[0];
    expect(cronJob.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(25 * 60);
    expect(container.image).toBe('mirror.test/invoice-app:1.0.1');
    expect(cronJob.metadata.labels['app.kubernetes.io/part-of']).toBe('finance');
  });
});
