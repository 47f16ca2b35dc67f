import type { LabelSelector, Labels } from './kubernetes.js';

/**
 * Whether a label selector selects an object with these labels, with the API server's semantics:
 * requirements are ANDed, an empty selector `{}` selects everything.
 */
export function selects(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const present = Object.prototype.hasOwnProperty.call(have, key);
    switch (operator) {
      case 'In':
        return present && values.includes(have[key] as string);
      case 'NotIn':
        return !present || !values.includes(have[key] as string);
      case 'Exists':
        return present;
      case 'DoesNotExist':
        return !present;
      default:
        return false;
    }
  });
}

/** Whether a selector has no requirement at all (and so selects every object). */
export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return (
    selector !== undefined &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}

/** `a=b, c in (d,e)`: how reports and matrices print a selector. */
export function describeSelector(selector: LabelSelector | undefined): string {
  if (!selector || isEmptySelector(selector)) return '(all)';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
    else parts.push(`${key} ${operator.toLowerCase()} (${values.join(',')})`);
  }
  return parts.join(', ');
}
