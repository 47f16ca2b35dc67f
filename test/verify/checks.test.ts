import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../verify/all-checks.js';
import { admissionPolicyCases } from './cases/admission-policies.js';
import { apiServerCases } from './cases/api-server.js';
import { bestPracticeCases } from './cases/best-practice.js';
import type { BrokenCase } from './cases/broken-case.js';
import { customResourceCases } from './cases/custom-resources.js';
import { exemptionCases } from './cases/exemptions.js';
import { intentCases } from './cases/intent.js';
import { podSecurityCases } from './cases/pod-security.js';
import { rbacCases } from './cases/rbac.js';
import { referenceCases } from './cases/references.js';
import { schemaCases } from './cases/schema.js';
import { Platform } from '../../verify/testing/platform.js';

const CASES: BrokenCase[] = [
  ...schemaCases,
  ...apiServerCases,
  ...podSecurityCases,
  ...bestPracticeCases,
  ...referenceCases,
  ...rbacCases,
  ...exemptionCases,
  ...admissionPolicyCases,
  ...intentCases,
  ...customResourceCases,
];

describe('the fixture platform', () => {
  it('passes every check, with its waivers and deploy-time Secrets listed', () => {
    const report = new Platform().verify();
    expect(report.violations).toEqual([]);
    expect(report.waived.map((waiver) => waiver.check).sort()).toEqual([
      'run-as-high-uid',
      'run-as-high-uid',
      'service-account-token-automount',
    ]);
    expect(report.deployTime).toHaveLength(4);
  });
});

describe('every check fails on a broken manifest', () => {
  it('has at least one broken case for each check', () => {
    const covered = new Set(CASES.map((brokenCase) => brokenCase.check));
    const uncovered = [...ALL_CHECKS.map((check) => check.name), 'exemptions'].filter((name) => !covered.has(name));
    expect(uncovered).toEqual([]);
  });

  it.each(CASES.map((brokenCase) => [`${brokenCase.check}: ${brokenCase.title}`, brokenCase] as const))(
    '%s',
    (_title, brokenCase) => {
      const platform = new Platform();
      brokenCase.breakIt(platform);
      const found = platform
        .violations(brokenCase.check)
        .map((violation) => `${violation.object}${violation.path ? ` ${violation.path}` : ''}: ${violation.message}`);
      expect(found.join('\n')).toMatch(brokenCase.expect);
    },
  );
});

describe('check metadata', () => {
  it('gives every check a unique kebab-case name and a one-line reason', () => {
    const names = ALL_CHECKS.map((check) => check.name);
    expect(new Set(names).size).toBe(names.length);
    for (const check of ALL_CHECKS) {
      expect(check.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(check.reason).toMatch(/^\S.*\S$/);
      expect(check.reason).not.toContain('\n');
    }
  });
});
