import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { objectLabels } from './labels.js';

/** The label the Grafana helm chart's dashboard sidecar looks for (its `sidecar.dashboards.label`). */
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';

/** One time-series panel: a title and its PromQL queries, each with a legend. */
export interface DashboardPanel {
  readonly title: string;
  /** Unit as Grafana names it, e.g. 'reqps', 's', 'percentunit', 'short'. */
  readonly unit: string;
  readonly queries: { readonly expr: string; readonly legend: string }[];
}

/** Properties of a GrafanaDashboard. */
export interface GrafanaDashboardProps {
  /** The namespace of the ConfigMap (one the sidecar watches). */
  readonly namespace: string;
  /** The dashboard's title. */
  readonly title: string;
  /** A stable id, so that links to the dashboard survive a redeploy. */
  readonly uid: string;
  /** The panels, laid out two per row. */
  readonly panels: DashboardPanel[];
  /** The ConfigMap's name. @default the construct id */
  readonly name?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A Grafana dashboard as code: JSON in a ConfigMap labelled `grafana_dashboard: "1"`, which the
 * Grafana sidecar loads on its own. Queries go through a `datasource` variable, so the same
 * dashboard works against whichever Prometheus the Grafana has.
 */
export class GrafanaDashboard extends Construct {
  readonly configMap: kplus.ConfigMap;
  /** The dashboard model, as Grafana reads it. */
  readonly dashboard: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(props.uid)) {
      throw new Error(`Dashboard uid '${props.uid}' is not valid. Use up to 40 letters, digits, '-' and '_'.`);
    }
    const name = props.name ?? id;
    const datasource = { type: 'prometheus', uid: '${datasource}' };
    this.dashboard = {
      uid: props.uid,
      title: props.title,
      schemaVersion: 39,
      editable: false,
      time: { from: 'now-6h', to: 'now' },
      refresh: '1m',
      templating: {
        list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }],
      },
      panels: props.panels.map((panel, index) => ({
        id: index + 1,
        type: 'timeseries',
        title: panel.title,
        datasource,
        gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        targets: panel.queries.map((query, q) => ({
          refId: String.fromCharCode(65 + q),
          datasource,
          expr: query.expr,
          legendFormat: query.legend,
        })),
      })),
    };
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: {
        name,
        namespace: props.namespace,
        labels: { ...objectLabels(name, props.partOf), [GRAFANA_DASHBOARD_LABEL]: '1' },
      },
      data: { [`${props.uid}.json`]: JSON.stringify(this.dashboard, null, 2) },
    });
  }
}

/** The billing platform's dashboard: both services' HTTP traffic and the billing engine. */
export const BILLING_DASHBOARD_PANELS: DashboardPanel[] = [
  {
    title: 'Requests per second by service',
    unit: 'reqps',
    queries: [{ expr: 'sum by (service) (rate(http_requests_total[5m]))', legend: '{{service}}' }],
  },
  {
    title: 'Share of 5xx answers',
    unit: 'percentunit',
    queries: [
      {
        expr: 'sum by (service) (rate(http_requests_total{status_code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))',
        legend: '{{service}}',
      },
    ],
  },
  {
    title: 'Request latency, 99th percentile',
    unit: 's',
    queries: [
      {
        expr: 'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))',
        legend: '{{service}}',
      },
    ],
  },
  {
    title: 'Billing runs by result',
    unit: 'short',
    queries: [{ expr: 'sum by (result) (increase(billing_runs_total[1h]))', legend: '{{result}}' }],
  },
  {
    title: 'Invoices settled by outcome',
    unit: 'short',
    queries: [{ expr: 'sum by (outcome) (rate(billing_invoices_total[5m]))', legend: '{{outcome}}' }],
  },
  {
    title: 'Payment provider answer time',
    unit: 's',
    queries: [
      {
        expr: 'histogram_quantile(0.5, sum by (le) (rate(billing_charge_request_duration_seconds_bucket[5m])))',
        legend: 'p50',
      },
      {
        expr: 'histogram_quantile(0.99, sum by (le) (rate(billing_charge_request_duration_seconds_bucket[5m])))',
        legend: 'p99',
      },
    ],
  },
  {
    title: 'Charges in flight',
    unit: 'short',
    queries: [{ expr: 'sum(billing_charges_in_flight)', legend: 'in flight' }],
  },
  {
    title: 'Container restarts (30 min)',
    unit: 'short',
    queries: [
      {
        expr: 'sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{namespace=~"invoices|payments"}[30m]))',
        legend: '{{namespace}}/{{pod}}',
      },
    ],
  },
];
