import { App, type AppProps, type IResolver, type ResolutionContext } from 'cdk8s';
import { ConstructAnnotator } from './construct-annotator.js';
import { canonicalQuantity } from './quantity.js';

/**
 * Makes each manifest look the way the API server stores it, so that a second
 * `kubectl apply` reports `unchanged` instead of re-sending a field forever.
 *
 * cdk8s-plus emits zero values of fields the server omits (`hostNetwork: false`,
 * `minReadySeconds: 0`, `externalIPs: []`, `readOnly: false` on a claim, `apiGroup: ""` on
 * ServiceAccount subjects), and
 * the server rewrites quantities to canonical form (`1000m` becomes `1`, `1024Mi` becomes
 * `1Gi`). Both make kubectl's three-way merge see a difference on every apply. This
 * resolver runs on every value of every object, so the rule lives here once.
 */
export class ServerNormalizer implements IResolver {
  resolve(context: ResolutionContext): void {
    const key = context.key.at(-1);
    const parent = context.key.at(-2);
    const value: unknown = context.value;
    if (isDroppedByServer(key, parent, context.key, value)) {
      context.replaceValue(undefined);
      return;
    }
    if (typeof value === 'string' && isQuantity(context.key)) {
      const canonical = canonicalQuantity(value);
      if (canonical !== value) context.replaceValue(canonical);
    }
  }
}

function isDroppedByServer(key: string | undefined, parent: string | undefined, path: string[], value: unknown) {
  if (key === 'hostNetwork' && value === false) return true;
  // False is the default of every `readOnly` (volume sources and mounts); most omit it.
  if (key === 'readOnly' && value === false) return true;
  if (key === 'minReadySeconds' && value === 0) return true;
  if (key === 'externalIPs' && Array.isArray(value) && value.length === 0) return true;
  // A subject's index is the parent: subjects/<n>/apiGroup.
  return key === 'apiGroup' && value === '' && path.at(-3) === 'subjects' && /^\d+$/.test(parent ?? '');
}

/**
 * Whether a path leads to a quantity: a value in a map of resource name to quantity, or a
 * `sizeLimit`, either as a plain string or as the `value` of a Quantity object.
 */
function isQuantity(path: string[]): boolean {
  const at = path.at(-1) === 'value' ? path.slice(0, -1) : path;
  return at.at(-1) === 'sizeLimit' || QUANTITY_PARENTS.has(at.at(-2) ?? '');
}

/** Keys whose values are maps of resource name to quantity. */
const QUANTITY_PARENTS = new Set(['limits', 'requests', 'hard', 'default', 'defaultRequest', 'max', 'min']);

/**
 * A cdk8s App whose manifests pass through the ServerNormalizer and name their construct (see
 * ConstructAnnotator). Tests and main.ts both use it.
 */
export function createPlatformApp(props: AppProps = {}): App {
  return new App({
    ...props,
    resolvers: [new ServerNormalizer(), new ConstructAnnotator(), ...(props.resolvers ?? [])],
  });
}
