import type { K8sObject } from './kubernetes.js';
import type { Manifest } from './manifest.js';
import { namespaceOf } from './manifest.js';
import { CREATED_AT_DEPLOY, IGNORE_CHECK_PREFIX } from '../charts/verify-annotations.js';

// The annotation keys live with the constructs that write them (charts/verify-annotations.ts).
export { CREATED_AT_DEPLOY, IGNORE_CHECK_PREFIX } from '../charts/verify-annotations.js';

/** One waiver: which check, for which object, and why. */
export interface Waiver {
  readonly check: string;
  readonly manifest: Manifest;
  readonly reason: string;
}

/** One object that is created at deploy time rather than shipped in the manifests. */
export interface DeployTimeObject {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The manifest whose annotation declares it. */
  readonly declaredBy: Manifest;
}

/** Every `ignore-check` annotation of an object. */
export function waiversOf(manifest: Manifest): Waiver[] {
  return Object.entries(annotationsOf(manifest.object))
    .filter(([key]) => key.startsWith(IGNORE_CHECK_PREFIX))
    .map(([key, reason]) => ({ check: key.slice(IGNORE_CHECK_PREFIX.length), manifest, reason: reason.trim() }));
}

/** Every object some manifest declares as created at deploy time. */
export function deployTimeObjects(manifests: readonly Manifest[]): DeployTimeObject[] {
  return manifests.flatMap((manifest) => {
    const value = annotationsOf(manifest.object)[CREATED_AT_DEPLOY];
    if (value === undefined) return [];
    return value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0)
      .flatMap((entry) => {
        const created = parseCreatedObject(entry, manifest);
        return created ? [created] : [];
      });
  });
}

/** `Kind/name` or `Kind/namespace/name`; undefined for anything else (the exemption check reports it). */
export function parseCreatedObject(entry: string, declaredBy: Manifest): DeployTimeObject | undefined {
  const parts = entry.split('/');
  if (parts.some((part) => part.length === 0)) return undefined;
  if (parts.length === 2) {
    return { kind: parts[0]!, namespace: namespaceOf(declaredBy.object), name: parts[1]!, declaredBy };
  }
  if (parts.length === 3) return { kind: parts[0]!, namespace: parts[1]!, name: parts[2]!, declaredBy };
  return undefined;
}

function annotationsOf(object: K8sObject): Record<string, string> {
  return object.metadata?.annotations ?? {};
}
