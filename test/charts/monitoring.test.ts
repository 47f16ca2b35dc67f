import { describe, expect, it } from 'vitest';
import {
  BILLING_DASHBOARD_PANELS,
  BillingAlerts,
  GrafanaDashboard,
  Image,
  Microservice,
  MicroserviceMonitor,
  NetworkPeer,
} from '../../charts/index.js';
import { only, synth, testChart } from '../../charts/index.js';

const prometheus = NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' });

describe('MicroserviceMonitor', () => {
  const chart = testChart();
  const service = new Microservice(chart, 'ledger-app', {
    namespace: 'ledger',
    image: Image.of('registry.test/ledger-app:1.0.0'),
    port: 8300,
  });
  new MicroserviceMonitor(chart, 'monitor', { service, scraper: prometheus });
  const manifests = synth(chart);

  it('scrapes /metrics on the service’s http port, selecting its Service by name', () => {
    const monitor = only(manifests, 'ServiceMonitor', 'ledger-app');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.namespace).toBe('ledger');
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'ledger-app' } },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
    });
    const port = only(manifests, 'Service', 'ledger-app').spec.ports[0];
    expect(port.name).toBe('http');
  });

  it('lets the scraper in on the service port', () => {
    expect(only(manifests, 'NetworkPolicy', 'ledger-app').spec.ingress).toContainEqual({
      from: [prometheus.toSpec()],
      ports: [{ port: 8300, protocol: 'TCP' }],
    });
  });
});

describe('GrafanaDashboard', () => {
  const chart = testChart();
  new GrafanaDashboard(chart, 'billing-dashboard', {
    namespace: 'billing-system',
    title: 'Billing',
    uid: 'billing',
    panels: BILLING_DASHBOARD_PANELS,
  });
  const configMap = only(synth(chart), 'ConfigMap', 'billing-dashboard');
  const dashboard = JSON.parse(configMap.data['billing.json']);

  it('is a ConfigMap the Grafana sidecar loads', () => {
    expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
    expect(Object.keys(configMap.data)).toEqual(['billing.json']);
  });

  it('charts the service and billing metrics through a datasource variable, panels laid out without overlap', () => {
    expect(dashboard.uid).toBe('billing');
    expect(dashboard.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    const exprs = dashboard.panels.flatMap((panel: { targets: { expr: string }[] }) =>
      panel.targets.map((t) => t.expr),
    );
    for (const metric of [
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'billing_runs_total',
      'billing_invoices_total',
      'billing_charge_request_duration_seconds_bucket',
    ]) {
      expect(
        exprs.some((expr: string) => expr.includes(metric)),
        metric,
      ).toBe(true);
    }
    const cells = dashboard.panels.map((p: { gridPos: { x: number; y: number } }) => `${p.gridPos.x},${p.gridPos.y}`);
    expect(new Set(cells).size).toBe(cells.length);
  });

  it('refuses a uid Grafana would not keep', () => {
    expect(
      () => new GrafanaDashboard(testChart(), 'd', { namespace: 'x', title: 't', uid: 'has spaces', panels: [] }),
    ).toThrow(/uid/);
  });
});

describe('BillingAlerts', () => {
  const chart = testChart();
  new BillingAlerts(chart, 'alerts', {
    namespace: 'billing-system',
    watchedNamespaces: ['invoices', 'payments'],
    runbookBase: 'https://git.example.com/billing/blob/main/docs/production.md',
  });
  const rule = only(synth(chart), 'PrometheusRule', 'billing-alerts');
  const alerts = rule.spec.groups[0].rules;

  it('has every alert the operator needs, each with a severity, a summary and a runbook', () => {
    expect(alerts.map((a: { alert: string }) => a.alert)).toEqual([
      'BillingRunFailed',
      'BillingChargesErrored',
      'HighServerErrorRate',
      'PaymentProviderSlow',
      'PodRestarting',
      'CronJobNotSucceeded',
    ]);
    for (const alert of alerts) {
      expect(['critical', 'warning']).toContain(alert.labels.severity);
      expect(alert.annotations.summary.length).toBeGreaterThan(10);
      expect(alert.annotations.runbook.length).toBeGreaterThan(10);
      expect(alert.annotations.runbook_url).toBe(
        `https://git.example.com/billing/blob/main/docs/production.md#${alert.alert.toLowerCase()}`,
      );
    }
  });

  it('watches only the namespaces it is given', () => {
    const restarts = alerts.find((a: { alert: string }) => a.alert === 'PodRestarting');
    expect(restarts.expr).toContain('namespace=~"invoices|payments"');
    expect(
      () => new BillingAlerts(testChart(), 'a', { namespace: 'x', watchedNamespaces: [], runbookBase: 'x' }),
    ).toThrow(/namespaces to watch/);
  });
});
