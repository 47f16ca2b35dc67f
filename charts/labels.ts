/** The recommended Kubernetes labels our contract requires on every workload. */
export const NAME_LABEL = 'app.kubernetes.io/name';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** What every object of the platform is part of, unless a construct is told otherwise. */
export const DEFAULT_PART_OF = 'billing';

/**
 * The labels of a workload and of its pods. `app.kubernetes.io/name` alone selects the pods:
 * it is unique within a namespace, and selectors must never change after the first apply.
 */
export function workloadLabels(name: string, component: string, partOf: string = DEFAULT_PART_OF) {
  return {
    [NAME_LABEL]: name,
    [COMPONENT_LABEL]: component,
    [PART_OF_LABEL]: partOf,
    [MANAGED_BY_LABEL]: 'cdk8s',
  };
}

/** The labels of an object that is not a workload (a custom resource, a policy, a route). */
export function objectLabels(name: string, partOf: string = DEFAULT_PART_OF): Record<string, string> {
  return { [NAME_LABEL]: name, [PART_OF_LABEL]: partOf, [MANAGED_BY_LABEL]: 'cdk8s' };
}

/** The label selector of a workload's pods. */
export function selectorLabels(name: string): Record<string, string> {
  return { [NAME_LABEL]: name };
}
