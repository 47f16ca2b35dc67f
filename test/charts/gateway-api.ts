import type { Manifest } from '../../charts/index.js';

/**
 * Which Service an HTTPRoute sends a request to, by the Gateway API's matching rules as a
 * gateway applies them to the normalized path (percent-decoded, dot segments resolved, slashes
 * merged, no query): a match needs its method, when it has one, and its path (Exact: equal;
 * PathPrefix: equal or followed by '/', element by element; RegularExpression: a full RE2 match,
 * as Envoy Gateway, Cilium and Istio do). Nothing matched is a 404 at the gateway.
 */
export function routedByHttpRoutes(routes: Manifest[], method: string, requestPath: string): string | undefined {
  const path = normalize(requestPath);
  for (const route of routes) {
    for (const rule of route.spec.rules ?? []) {
      const matched = (rule.matches ?? [{}]).some((match: Manifest) => {
        if (match.method !== undefined && match.method !== method) return false;
        const { type = 'PathPrefix', value = '/' } = match.path ?? {};
        if (type === 'Exact') return path === value;
        if (type === 'RegularExpression') return new RegExp(`^(?:${value})$`).test(path);
        const prefix = value.replace(/\/$/, '');
        return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
      });
      if (matched) return rule.backendRefs?.[0]?.name as string | undefined;
    }
  }
  return undefined;
}

function normalize(requestPath: string): string {
  const path = decodeURIComponent(requestPath.split('?')[0]!).replace(/\/+/g, '/');
  return new URL(path, 'http://host').pathname;
}
