import { ALL_CHECKS } from './all-checks.js';
import type { Check, Violation } from './check.js';
import { UNWAIVABLE } from './check.js';
import { Cluster } from './cluster.js';
import type { DeployTimeObject, Waiver } from './exemptions.js';
import { CREATED_AT_DEPLOY, deployTimeObjects, parseCreatedObject, waiversOf } from './exemptions.js';
import type { Manifest } from './manifest.js';
import { refOf } from './manifest.js';

/** What a verification run found. */
export interface Report {
  readonly checks: readonly Check[];
  readonly manifests: readonly Manifest[];
  readonly violations: readonly Violation[];
  /** Findings waived by an annotation, with its reason. */
  readonly waived: readonly (Waiver & { readonly message: string })[];
  /** Objects declared as created at deploy time. */
  readonly deployTime: readonly DeployTimeObject[];
}

const EXEMPTIONS_CHECK = 'exemptions';

/**
 * Runs the checks over the manifests. A finding becomes a violation unless the object carries an
 * `ignore-check.verify.billing/<check>` annotation with a reason and the check is one we may waive;
 * annotations themselves are checked too (unknown check, no reason, waiving what a cluster would
 * reject, or waiving nothing), so the list of waivers stays true.
 */
export function verify(manifests: readonly Manifest[], checks: readonly Check[] = ALL_CHECKS): Report {
  const cluster = new Cluster(manifests);
  const violations: Violation[] = [];
  const waived: (Waiver & { message: string })[] = [];
  const usedWaivers = new Set<Waiver>();
  const waiversByManifest = new Map(manifests.map((manifest) => [manifest, waiversOf(manifest)]));

  for (const check of checks) {
    let findings;
    try {
      findings = check.run(cluster);
    } catch (error) {
      violations.push({
        check: check.name,
        category: check.category,
        object: '(all)',
        source: '',
        path: undefined,
        message: `the check failed to run: ${(error as Error).stack ?? String(error)}`,
      });
      continue;
    }
    for (const found of findings) {
      const waiver = waiversByManifest.get(found.manifest)?.find((candidate) => candidate.check === check.name);
      let message = found.message;
      if (waiver && waiver.reason && !UNWAIVABLE.has(check.category)) {
        usedWaivers.add(waiver);
        if (!found.unwaivable) {
          waived.push({ ...waiver, message: found.message });
          continue;
        }
        message = `${message}; the waiver cannot help, the cluster itself rejects this`;
      }
      violations.push({
        check: check.name,
        category: check.category,
        object: refOf(found.manifest.object),
        source: found.manifest.source,
        path: found.path,
        message,
      });
    }
  }

  const known = new Map(ALL_CHECKS.map((check) => [check.name, check]));
  const ran = new Set(checks.map((check) => check.name));
  for (const [manifest, waivers] of waiversByManifest) {
    const problem = (message: string) =>
      violations.push({
        check: EXEMPTIONS_CHECK,
        category: 'exemption',
        object: refOf(manifest.object),
        source: manifest.source,
        path: 'metadata.annotations',
        message,
      });
    for (const waiver of waivers) {
      const check = known.get(waiver.check);
      if (!check) problem(`waives "${waiver.check}", which is not a check`);
      else if (!waiver.reason) problem(`waiver of ${waiver.check} gives no reason`);
      else if (UNWAIVABLE.has(check.category))
        problem(`${waiver.check} is what a cluster rejects: it cannot be waived`);
      else if (ran.has(waiver.check) && !usedWaivers.has(waiver))
        problem(`waiver of ${waiver.check} is unused: remove it`);
    }
    for (const entry of (manifest.object.metadata?.annotations?.[CREATED_AT_DEPLOY] ?? '').split(',')) {
      if (entry.trim() && !parseCreatedObject(entry.trim(), manifest)) {
        problem(`${CREATED_AT_DEPLOY} entry "${entry.trim()}" is not Kind/name or Kind/namespace/name`);
      }
    }
  }

  return { checks, manifests, violations, waived, deployTime: deployTimeObjects(manifests) };
}
