import { describe, expect, it } from 'vitest';
import type { Check } from '../check.js';
import { Platform } from './platform.js';

/** The fixture's application and the paths into it that most cases edit. */
export const APP = 'Deployment invoices/invoice-app';
export const POD = 'spec.template.spec';
export const CONTAINER = `${POD}.containers[0]`;

/** A Pod Security finding in the fixture's `invoices`, which enforces restricted: `pattern`, marked unwaivable. */
export function enforced(pattern: RegExp): RegExp {
  return new RegExp(`${pattern.source}.*\\(namespace invoices enforces restricted\\)`);
}

/** The fixture's namespaces, owned by teams as Teams declare them. */
export const owned = (p: Platform) =>
  p
    .set('Namespace invoices', 'metadata.annotations["verify.billing/owned-by"]', 'team-invoices')
    .set('Namespace payments', 'metadata.annotations["verify.billing/owned-by"]', 'team-payments');

/** One way to break the fixture platform, and the violation the check must then report. */
export interface BrokenCase {
  readonly title: string;
  readonly breakIt: (platform: Platform) => void;
  /** What the violation's object and message must say. */
  readonly expect: RegExp;
}

/**
 * The tests of one check, in its `<check>.test.ts`: the fixture platform passes it, and each broken
 * case makes it report the expected violation. As eslint's RuleTester runs only the rule under
 * test, only this check runs (its findings do not depend on the others); `exemptions`, the
 * checks of the waivers themselves, runs every check, as what it reports depends on which ran.
 */
export function testCheck(check: Check | 'exemptions', cases: readonly BrokenCase[]): void {
  const name = check === 'exemptions' ? check : check.name;
  const violations = (platform: Platform) =>
    platform
      .verify(check === 'exemptions' ? undefined : [check])
      .violations.filter((violation) => violation.check === name);
  if (cases.length === 0) throw new Error(`${name} needs at least one broken case.`);
  describe(name, () => {
    it('passes on the fixture platform', () => {
      expect(violations(new Platform())).toEqual([]);
    });

    it.each(cases.map((brokenCase) => [brokenCase.title, brokenCase] as const))('fails: %s', (_title, brokenCase) => {
      const platform = new Platform();
      brokenCase.breakIt(platform);
      const found = violations(platform).map(
        (violation) => `${violation.object}${violation.path ? ` ${violation.path}` : ''}: ${violation.message}`,
      );
      expect(found.join('\n')).toMatch(brokenCase.expect);
    });
  });
}
