import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../imports/prometheusrule-monitoring.coreos.com.js';
import { objectLabels } from './labels.js';

/** One alerting rule, with what a person paged by it does first. */
export interface AlertRule {
  /** The alert's name, also the heading of its runbook section. */
  readonly alert: string;
  /** The PromQL expression; every series it returns is a firing alert. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires. */
  readonly for: string;
  /** 'critical' pages someone; 'warning' waits for working hours. */
  readonly severity: 'critical' | 'warning';
  /** One line: what is wrong. */
  readonly summary: string;
  /** One line: what to do first. */
  readonly runbook: string;
}

/** Properties of BillingAlerts. */
export interface BillingAlertsProps {
  /** The namespace of the PrometheusRule (one the Prometheus Operator watches). */
  readonly namespace: string;
  /** The namespaces whose pods and CronJobs are watched. */
  readonly watchedNamespaces: string[];
  /** Where the runbook sections live; each alert links `<runbookBase>#<alert name in lowercase>`. */
  readonly runbookBase: string;
  /** The PrometheusRule's name. @default 'billing-alerts' */
  readonly name?: string;
  /** Share of invoices a run settles as `errored` (charge outcome unknown) above which to alert. @default 0.05 */
  readonly erroredShare?: number;
  /** Share of HTTP answers that are 5xx above which to alert. @default 0.02 */
  readonly serverErrorShare?: number;
  /** The payment provider's 99th-percentile answer time, in seconds, above which to alert. @default 2.5 */
  readonly providerLatencySeconds?: number;
  /** Container restarts within 30 minutes from which to alert. @default 3 */
  readonly restarts?: number;
  /** How long after its scheduled start a CronJob must have succeeded, in seconds. @default 3600 */
  readonly cronJobGraceSeconds?: number;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * The alerts an operator of the billing platform needs, as a Prometheus Operator
 * PrometheusRule. They read invoice-app's billing metrics (`billing_runs_total{result}`,
 * `billing_invoices_total{outcome}`, `billing_charge_request_duration_seconds`), the service
 * kit's `http_requests_total{service,status_code}` and kube-state-metrics' pod and CronJob
 * series. Every alert links a runbook section; `test/charts/billing-alerts.test.ts` runs each
 * through `promtool test rules`.
 */
export class BillingAlerts extends Construct {
  readonly rules: AlertRule[];
  readonly prometheusRule: PrometheusRule;

  constructor(scope: Construct, id: string, props: BillingAlertsProps) {
    super(scope, id);
    if (props.watchedNamespaces.length === 0) {
      throw new Error("BillingAlerts needs the namespaces to watch, e.g. watchedNamespaces: ['invoices', 'payments'].");
    }
    const ns = `namespace=~"${props.watchedNamespaces.join('|')}"`;
    const grace = props.cronJobGraceSeconds ?? 3600;
    const runs = 'billing_runs_total{result=~"failed|interrupted"}';
    this.rules = [
      {
        alert: 'BillingRunFailed',
        // A counter series is born at 1 by its first increment, which increase() cannot see.
        expr: `increase(${runs}[30m]) > 0 or (${runs} > 0 unless ${runs} offset 30m)`,
        for: '0m',
        severity: 'critical',
        summary: 'A billing run failed or was interrupted before it finished.',
        runbook:
          'Look up the run (GET /rest/v1/billing-runs) and the invoice-app logs; start a new run with POST /rest/v1/invoices/pay: no invoice is charged twice.',
      },
      {
        alert: 'BillingChargesErrored',
        expr: `sum by (namespace) (rate(billing_invoices_total{outcome="errored"}[10m])) / sum by (namespace) (rate(billing_invoices_total[10m])) > ${props.erroredShare ?? 0.05}`,
        for: '5m',
        severity: 'critical',
        summary: 'Many charges end with an unknown outcome (the provider did not answer in time).',
        runbook:
          'Check the payment provider (PaymentProviderSlow, its error rate); errored invoices stay PENDING and the next run asks about them with the same key.',
      },
      {
        alert: 'HighServerErrorRate',
        expr: `sum by (namespace, service) (rate(http_requests_total{status_code=~"5.."}[5m])) / sum by (namespace, service) (rate(http_requests_total[5m])) > ${props.serverErrorShare ?? 0.02}`,
        for: '5m',
        severity: 'critical',
        summary: 'A service answers more than its share of requests with a 5xx.',
        runbook:
          'A 503 means its database is unreachable: check the Postgres cluster and pooler; otherwise read the service logs for the failing route.',
      },
      {
        alert: 'PaymentProviderSlow',
        expr: `histogram_quantile(0.99, sum by (namespace, le) (rate(billing_charge_request_duration_seconds_bucket[5m]))) > ${props.providerLatencySeconds ?? 2.5}`,
        for: '10m',
        severity: 'warning',
        summary: 'The payment provider takes long to answer charge requests.',
        runbook:
          'Check the provider and the network path to it; near PAYMENT_PROVIDER_TIMEOUT_MS charges end as errored and are retried by the next run.',
      },
      {
        alert: 'PodRestarting',
        expr: `increase(kube_pod_container_status_restarts_total{${ns}}[30m]) >= ${props.restarts ?? 3}`,
        for: '0m',
        severity: 'warning',
        summary: 'A container keeps restarting.',
        runbook:
          'kubectl describe pod and kubectl logs --previous: an OOM kill means its memory limit is too small, a failing liveness probe a stuck process.',
      },
      {
        alert: 'CronJobNotSucceeded',
        expr: [
          `(time() - kube_cronjob_status_last_schedule_time{${ns}} > ${grace})`,
          `and on (namespace, cronjob) (`,
          `  kube_cronjob_status_last_schedule_time{${ns}} > on (namespace, cronjob) kube_cronjob_status_last_successful_time`,
          `  or on (namespace, cronjob) (kube_cronjob_status_last_schedule_time{${ns}} unless on (namespace, cronjob) kube_cronjob_status_last_successful_time)`,
          `)`,
          `or on (namespace, cronjob) (time() - kube_cronjob_next_schedule_time{${ns}} > ${grace})`,
        ].join('\n'),
        for: '0m',
        severity: 'critical',
        summary: 'A CronJob has not succeeded since its last scheduled start, or did not start on schedule.',
        runbook:
          "kubectl get jobs -n <namespace> and the failed pod's logs; a billing run may be started again by hand (kubectl create job --from=cronjob/<name>).",
      },
    ];
    const name = props.name ?? 'billing-alerts';
    this.prometheusRule = new PrometheusRule(this, 'Resource', {
      metadata: {
        name,
        namespace: props.namespace,
        labels: objectLabels(name, props.partOf),
      },
      spec: {
        groups: [
          {
            name: 'billing',
            rules: this.rules.map((rule) => ({
              alert: rule.alert,
              expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
              for: rule.for,
              labels: { severity: rule.severity },
              annotations: {
                summary: rule.summary,
                runbook: rule.runbook,
                runbook_url: `${props.runbookBase}#${rule.alert.toLowerCase()}`,
              },
            })),
          },
        ],
      },
    });
  }
}
