import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from './all-checks.js';
import { Platform } from './testing/platform.js';

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

describe('the registry of checks', () => {
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
