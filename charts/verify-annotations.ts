// Annotations that `npm run verify` (verify/exemptions.ts) reads: facts about an object that
// the manifests alone cannot show, each visible in the verify report.

/**
 * `verify.billing/created-at-deploy: Secret/db-credentials, Secret/payments/provider-token` on an
 * object says that these objects are not in the manifests but exist by the time they are needed:
 * the bootstrap Job that creates them carries it, or (for what an operator or a secret store
 * provides) the workload that uses them. References to them are then not dangling, and the report
 * lists each one with the object that declared it. `Kind/name` is in the annotated object's namespace.
 */
export const CREATED_AT_DEPLOY = 'verify.billing/created-at-deploy';

/**
 * `ignore-check.verify.billing/<check>: <reason>` on an object waives that check for it, as
 * kube-linter's `ignore-check.kube-linter.io/<check>` does. The reason is required and every
 * waiver is listed in the report, so an auditor sees each one and why.
 */
export const IGNORE_CHECK_PREFIX = 'ignore-check.verify.billing/';

/** Waives one verify check for the annotated object; the reason is shown in the report. */
export function waiver(check: string, reason: string): Record<string, string> {
  return { [`${IGNORE_CHECK_PREFIX}${check}`]: reason };
}

/** The created-at-deploy value for Secrets. */
export function secretsCreatedAtDeploy(secrets: { namespace: string; name: string }[]): string {
  return secrets.map((secret) => `Secret/${secret.namespace}/${secret.name}`).join(', ');
}

/** The construct path of the object (written by ConstructAnnotator): verify findings name it. */
export const CONSTRUCT = 'verify.billing/construct';

/** A digest of the object as its construct synthesized it (written by ConstructAnnotator). */
export const DIGEST = 'verify.billing/declared';

/** On a Namespace: the group that owns it, the only one that may be bound there (written by Team). */
export const OWNED_BY = 'verify.billing/owned-by';

/**
 * On a Namespace: the connections declared with an end in it, one per line
 * (`invoices/invoice-app -> payments/payment-provider 9000/TCP by <construct>`), or `none`.
 * `npm run verify` compares them with the reachability the NetworkPolicies give (written by SecureNamespace).
 */
export const CONNECTIONS = 'verify.billing/connections';
