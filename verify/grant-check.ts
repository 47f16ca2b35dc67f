import type { Check, Finding } from './check.js';
import { finding } from './check.js';
import type { Grant } from './rbac.js';
import { Rbac, subjectId } from './rbac.js';

// A grant check looks at what every binding grants (the Role's rules, or a built-in ClusterRole's)
// and reports on the binding: that is where the power is handed out, and where a waiver belongs.

/** A check with one finding per binding and message, however many rules led to it. */
export function grantCheck(check: Omit<Check, 'run'>, problemOf: (grant: Grant) => string | undefined): Check {
  return {
    ...check,
    run(cluster) {
      const seen = new Set<string>();
      return new Rbac(cluster).grants.flatMap((grant): Finding[] => {
        const problem = problemOf(grant);
        if (!problem) return [];
        const message = `${subjectId(grant.subject)} via ${grant.role}: ${problem}`;
        const key = `${grant.binding.source} ${message}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [finding(grant.binding, 'roleRef', message)];
      });
    },
  };
}
