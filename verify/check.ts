import type { Cluster } from './cluster.js';
import type { Manifest } from './manifest.js';

/**
 * What a check is about, which decides whether an object may be exempted from it: a cluster
 * rejects a schema or API-server violation whatever we annotate, while a policy is ours to waive.
 */
export type CheckCategory =
  'schema' | 'api-server' | 'pod-security' | 'best-practice' | 'reference' | 'rbac' | 'intent' | 'exemption';

/**
 * Categories no annotation can waive: rejections by the API server, and departures from the
 * intent declared in code (an annotation in dist/ must not widen who may reach or do what).
 */
export const UNWAIVABLE: ReadonlySet<CheckCategory> = new Set(['schema', 'api-server', 'intent', 'exemption']);

/** One problem a check found in one object. */
export interface Finding {
  readonly manifest: Manifest;
  /** Where in the object, as a JSON path (`spec.template.spec.containers[0].image`). */
  readonly path?: string;
  readonly message: string;
  /** Set when the cluster itself would reject this (e.g. a namespace that enforces the Pod Security Standard). */
  readonly unwaivable?: boolean;
}

/** A named rule with a one-line reason, run over every manifest at once. */
export interface Check {
  /** Kebab-case name, used in reports and in exemption annotations. */
  readonly name: string;
  readonly category: CheckCategory;
  /** Why it matters, in one line. */
  readonly reason: string;
  /** The same rule in other tools (`kube-linter:latest-tag`, `kube-score:container-image-tag`, `pss:...`). */
  readonly equivalents?: readonly string[];
  run(cluster: Cluster): Finding[];
}

/** A finding in a report, with the check that made it. */
export interface Violation {
  readonly check: string;
  readonly category: CheckCategory;
  readonly object: string;
  readonly source: string;
  readonly path: string | undefined;
  readonly message: string;
}

/** Builds a finding; spelled once so that checks read as a list of conditions. */
export function finding(manifest: Manifest, path: string | undefined, message: string): Finding {
  return { manifest, path, message };
}
