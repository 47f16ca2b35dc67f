import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../verify/all-checks.js';
import type { Check } from '../../verify/check.js';
import { formatCheckList, formatReport } from '../../verify/report.js';
import { Platform } from '../../verify/testing/platform.js';

const APP = 'Deployment invoices/invoice-app';
const WAIVE_NON_ROOT = 'metadata.annotations["ignore-check.verify.billing/pss-run-as-non-root"]';

describe('verify', () => {
  it('waives a Pod Security control with a reason where the namespace does not enforce it', () => {
    const platform = new Platform()
      .set('Namespace invoices', 'metadata.labels["pod-security.kubernetes.io/enforce"]', 'baseline')
      .set(
        'Namespace invoices',
        'metadata.annotations["ignore-check.verify.billing/namespace-enforces-restricted"]',
        'dev Postgres needs baseline',
      )
      .set(APP, WAIVE_NON_ROOT, 'the image sets its own non-root USER')
      .remove(APP, 'spec.template.spec.securityContext.runAsNonRoot');
    const report = platform.verify();
    expect(report.violations).toEqual([]);
    expect(report.waived.map((waiver) => `${waiver.check}: ${waiver.reason}`)).toContain(
      'pss-run-as-non-root: the image sets its own non-root USER',
    );
  });

  it('refuses that waiver where the namespace enforces restricted: the cluster would reject the pod', () => {
    const platform = new Platform()
      .set(APP, WAIVE_NON_ROOT, 'the image sets its own non-root USER')
      .remove(APP, 'spec.template.spec.securityContext.runAsNonRoot');
    const [violation, ...rest] = platform.violations();
    expect(rest).toEqual([]);
    expect(violation?.check).toBe('pss-run-as-non-root');
    expect(violation?.message).toContain('the waiver cannot help, the cluster itself rejects this');
  });

  it('reports a check that throws as a violation instead of crashing the run', () => {
    const broken: Check = {
      name: 'broken',
      category: 'best-practice',
      reason: 'Throws.',
      run: () => {
        throw new Error('boom');
      },
    };
    const report = new Platform().verify([broken]);
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0]?.message).toContain('the check failed to run: Error: boom');
  });

  it('prints a report that names each failing check, its reason and each object', () => {
    const platform = new Platform().set(APP, 'spec.template.spec.containers[0].image', 'invoice-app:latest');
    const text = formatReport(platform.verify());
    expect(text).toContain('✗ image-tag (best-practice): An untagged or `latest` image');
    expect(text).toContain(
      'Deployment invoices/invoice-app spec.template.spec.containers[0].image: "invoice-app:latest" must name an explicit tag',
    );
    expect(text).toContain('Waived (ignore-check.verify.billing/<check> annotations):');
    expect(text).toContain('Secret payments/payments-db-credentials, by Job billing-system/secret-bootstrap');
    expect(text.split('\n').at(-1)).toBe('FAILED: 1 violations of 1 checks.');
  });

  it('lists every check with its reason and what other tools call it', () => {
    const list = formatCheckList({ checks: ALL_CHECKS }).split('\n');
    expect(list).toHaveLength(ALL_CHECKS.length);
    expect(list).toContain(
      'image-tag (best-practice): An untagged or `latest` image changes under a running Deployment: every pod may run different code. [kube-linter:latest-tag, kube-score:container-image-tag]',
    );
  });
});
