// Every alert of BillingAlerts through `promtool test rules` (Debian's prometheus package): each
// fires on series that should fire it and stays silent on series that should not. The rules are
// the PrometheusRule as synthesized, not a copy. CI (CI=true) never skips; a machine without
// promtool skips with a message that says how to install it.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BillingAlerts } from '../../charts/index.js';
import { only, synth, testChart, type Manifest } from '../../charts/index.js';

const run = promisify(execFile);
const hasPromtool = (() => {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const inCi = process.env.CI === 'true';
if (!hasPromtool && !inCi) {
  process.stderr.write('billing-alerts: promtool not found, alert rule tests skipped (apt-get install prometheus)\n');
}

const chart = testChart();
new BillingAlerts(chart, 'alerts', {
  namespace: 'billing-system',
  watchedNamespaces: ['invoices', 'payments'],
  runbookBase: 'https://git.example.com/billing/blob/main/docs/production.md',
});
const groups = only(synth(chart), 'PrometheusRule').spec.groups as Manifest[];
const rules = new Map<string, Manifest>(groups[0]!.rules.map((rule: Manifest) => [rule.alert, rule]));

type Series = Record<string, string>;
/** One promtool test group: series, and at one time whether the alert fires and for which labels. */
interface Case {
  readonly name: string;
  readonly series: { labels: Series; metric: string; values: string }[];
  readonly at: string;
  /** The labels of each firing alert (severity and alertname are added); empty for "silent". */
  readonly fires: Series[];
}

const s = (metric: string, labels: Series, values: string) => ({ metric, labels, values });
const inv = { namespace: 'invoices' };
const http = { ...inv, service: 'invoice-app', method: 'GET', route: '/rest/v1/invoices' };
const cron = { ...inv, cronjob: 'billing-monthly' };
const buckets = (le: Record<string, string>) =>
  Object.entries(le).map(([bound, values]) =>
    s('billing_charge_request_duration_seconds_bucket', { ...inv, outcome: 'charged', le: bound }, values),
  );
const FAR_FUTURE = '9999999999+0x150';

const CASES: Record<string, Case[]> = {
  BillingRunFailed: [
    {
      name: 'a failed run whose counter series is born at 1',
      series: [s('billing_runs_total', { ...inv, pod: 'a', result: 'failed' }, '_x5 1+0x30')],
      at: '10m',
      fires: [{ ...inv, pod: 'a', result: 'failed' }],
    },
    {
      name: 'an interrupted run counted on a running process',
      series: [s('billing_runs_total', { ...inv, pod: 'a', result: 'interrupted' }, '0+0x40 1+0x10')],
      at: '45m',
      fires: [{ ...inv, pod: 'a', result: 'interrupted' }],
    },
    {
      name: 'completed runs, and a failure long past',
      series: [
        s('billing_runs_total', { ...inv, pod: 'a', result: 'complete' }, '0+1x150'),
        s('billing_runs_total', { ...inv, pod: 'a', result: 'failed' }, '2+0x150'),
      ],
      at: '120m',
      fires: [],
    },
  ],
  BillingChargesErrored: [
    {
      name: 'a tenth of the invoices errored',
      series: [
        s('billing_invoices_total', { ...inv, outcome: 'errored' }, '0+10x30'),
        s('billing_invoices_total', { ...inv, outcome: 'paid' }, '0+90x30'),
      ],
      at: '20m',
      fires: [inv],
    },
    {
      name: 'one in a hundred errored',
      series: [
        s('billing_invoices_total', { ...inv, outcome: 'errored' }, '0+1x30'),
        s('billing_invoices_total', { ...inv, outcome: 'paid' }, '0+99x30'),
      ],
      at: '20m',
      fires: [],
    },
  ],
  HighServerErrorRate: [
    {
      name: 'five in a hundred answers are 5xx',
      series: [
        s('http_requests_total', { ...http, status_code: '503' }, '0+5x30'),
        s('http_requests_total', { ...http, status_code: '200' }, '0+95x30'),
      ],
      at: '20m',
      fires: [{ ...inv, service: 'invoice-app' }],
    },
    {
      name: 'one in two hundred, and 4xx do not count',
      series: [
        s('http_requests_total', { ...http, status_code: '500' }, '0+1x30'),
        s('http_requests_total', { ...http, status_code: '400' }, '0+50x30'),
        s('http_requests_total', { ...http, status_code: '200' }, '0+149x30'),
      ],
      at: '20m',
      fires: [],
    },
  ],
  PaymentProviderSlow: [
    {
      name: 'every answer takes between 2.5 and 5 seconds',
      series: buckets({ '1': '0+0x40', '2.5': '0+0x40', '5': '0+10x40', '+Inf': '0+10x40' }),
      at: '30m',
      fires: [inv],
    },
    {
      name: 'every answer within 100 ms',
      series: buckets({ '0.1': '0+10x40', '1': '0+10x40', '2.5': '0+10x40', '5': '0+10x40', '+Inf': '0+10x40' }),
      at: '30m',
      fires: [],
    },
  ],
  PodRestarting: [
    {
      name: 'a container restarted three times in half an hour',
      series: [
        s('kube_pod_container_status_restarts_total', { ...inv, pod: 'p', container: 'invoice-app' }, '0 0 1 2 3 3'),
      ],
      at: '5m',
      fires: [{ ...inv, pod: 'p', container: 'invoice-app' }],
    },
    {
      name: 'one restart, and a restarting pod in a namespace not watched',
      series: [
        s('kube_pod_container_status_restarts_total', { ...inv, pod: 'p', container: 'invoice-app' }, '0 0 1 1 1 1'),
        s(
          'kube_pod_container_status_restarts_total',
          { namespace: 'kube-system', pod: 'q', container: 'x' },
          '0 5 10 15 20 25',
        ),
      ],
      at: '5m',
      fires: [],
    },
  ],
  CronJobNotSucceeded: [
    {
      name: 'the last scheduled run failed',
      series: [
        s('kube_cronjob_status_last_schedule_time', cron, '600+0x150'),
        s('kube_cronjob_status_last_successful_time', cron, '300+0x150'),
        s('kube_cronjob_next_schedule_time', cron, FAR_FUTURE),
      ],
      at: '120m',
      fires: [cron],
    },
    {
      name: 'the CronJob never succeeded at all',
      series: [
        s('kube_cronjob_status_last_schedule_time', cron, '600+0x150'),
        s('kube_cronjob_next_schedule_time', cron, FAR_FUTURE),
      ],
      at: '120m',
      fires: [cron],
    },
    {
      name: 'the CronJob did not start on schedule',
      series: [
        s('kube_cronjob_status_last_schedule_time', cron, '0+0x150'),
        s('kube_cronjob_status_last_successful_time', cron, '0+0x150'),
        s('kube_cronjob_next_schedule_time', cron, '600+0x150'),
      ],
      at: '120m',
      fires: [cron],
    },
    {
      name: 'the last run succeeded, and a run started minutes ago is still running',
      series: [
        s('kube_cronjob_status_last_schedule_time', cron, '600+0x150'),
        s('kube_cronjob_status_last_successful_time', cron, '900+0x150'),
        s('kube_cronjob_next_schedule_time', cron, FAR_FUTURE),
        s('kube_cronjob_status_last_schedule_time', { ...inv, cronjob: 'billing-retry' }, '7000+0x150'),
        s('kube_cronjob_next_schedule_time', { ...inv, cronjob: 'billing-retry' }, FAR_FUTURE),
      ],
      at: '120m',
      fires: [],
    },
  ],
};

const selector = (metric: string, labels: Series) =>
  `${metric}{${Object.entries(labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(',')}}`;

/** A promtool test file for one alert's cases; `invert` expects the opposite, so promtool must fail. */
function testFile(alert: string, cases: Case[], invert = false): object {
  const rule = rules.get(alert)!;
  return {
    rule_files: ['rules.json'],
    evaluation_interval: '1m',
    tests: cases.map((testCase) => {
      const fires = invert ? (testCase.fires.length > 0 ? [] : [{}]) : testCase.fires;
      return {
        interval: '1m',
        input_series: testCase.series.map(({ metric, labels, values }) => ({
          series: selector(metric, labels),
          values,
        })),
        alert_rule_test: [
          {
            eval_time: testCase.at,
            alertname: alert,
            exp_alerts: fires.map((labels) => ({
              exp_labels: { ...labels, severity: rule.labels.severity },
              exp_annotations: rule.annotations,
            })),
          },
        ],
      };
    }),
  };
}

const folder = await mkdtemp(join(tmpdir(), 'billing-alerts-'));
await writeFile(join(folder, 'rules.json'), JSON.stringify({ groups }));
afterAll(() => rm(folder, { recursive: true, force: true }));

async function promtool(alert: string, file: object): Promise<{ ok: boolean; output: string }> {
  const path = join(folder, `${alert}.test.json`);
  await writeFile(path, JSON.stringify(file, null, 2));
  try {
    const { stdout, stderr } = await run('promtool', ['test', 'rules', path], { cwd: folder });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

describe.skipIf(!hasPromtool && !inCi)('billing alert rules under promtool', () => {
  it('is run in CI, where promtool must be installed', () => {
    expect(hasPromtool, 'CI must have promtool (.ci/run installs the prometheus package)').toBe(true);
  });

  it('tests every alert, each with a case that fires and one that stays silent', () => {
    expect([...rules.keys()].sort()).toEqual(Object.keys(CASES).sort());
    for (const [alert, cases] of Object.entries(CASES)) {
      expect(
        cases.some((c) => c.fires.length > 0),
        `${alert} fires somewhere`,
      ).toBe(true);
      expect(
        cases.some((c) => c.fires.length === 0),
        `${alert} stays silent somewhere`,
      ).toBe(true);
    }
  });

  it.each(Object.keys(CASES))('%s fires when it should and stays silent otherwise', async (alert) => {
    const result = await promtool(alert, testFile(alert, CASES[alert]!));
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it.each(Object.keys(CASES))(
    '%s under inverted expectations fails: each case really fires or really stays silent',
    async (alert) => {
      const result = await promtool(`${alert}-inverted`, testFile(alert, CASES[alert]!, true));
      expect(result.ok, result.output).toBe(false);
      // promtool lists each failing test group as `alertname: <name>, time: <t>`: every case must be one.
      expect(result.output.split(`alertname: ${alert}, time:`).length - 1, result.output).toBe(CASES[alert]!.length);
    },
  );
});
