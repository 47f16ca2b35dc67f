// Annotations that `npm run verify` (verify/exemptions.ts) reads: facts about an object that
// the manifests alone cannot show, each visible in the verify report.

/** Lists objects that are not in dist/ but exist when needed (`Kind/namespace/name`, comma-separated). */
export const CREATED_AT_DEPLOY = 'verify.billing/created-at-deploy';

/** Waives one verify check for the annotated object; the reason is shown in the report. */
export function waiver(check: string, reason: string): Record<string, string> {
  return { [`ignore-check.verify.billing/${check}`]: reason };
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
