import type { Manifest } from '../../charts/index.js';

/**
 * Which request paths ingress-nginx routes, for the Ingresses of one host, as its template
 * (`buildLocation`) writes nginx locations: once any Ingress of the host has `use-regex`, every
 * path becomes `~* "^<path>"`; otherwise Exact is `= <path>`, Prefix matches whole path elements
 * and ImplementationSpecific is a plain nginx prefix. nginx matches the normalized URI:
 * percent-decoded, dot segments resolved, slashes merged, without the query string.
 */
export function routedBy(ingresses: Manifest[], requestPath: string): string | undefined {
  const regex = ingresses.some(
    (ingress) => ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/use-regex'] === 'true',
  );
  const uri = normalize(requestPath);
  for (const ingress of ingresses) {
    for (const rule of ingress.spec.rules ?? []) {
      for (const { path, pathType, backend } of rule.http?.paths ?? []) {
        if (matches(uri, path, pathType, regex)) return backend.service.name as string;
      }
    }
  }
  return undefined;
}

function matches(uri: string, path: string, pathType: string, regex: boolean): boolean {
  if (regex) return new RegExp(`^${path}`, 'i').test(uri);
  if (pathType === 'Exact') return uri === path;
  if (pathType === 'Prefix') return uri === path || uri.startsWith(path.endsWith('/') ? path : `${path}/`);
  return uri.startsWith(path);
}

function normalize(requestPath: string): string {
  const path = decodeURIComponent(requestPath.split('?')[0]!).replace(/\/+/g, '/');
  return new URL(path, 'http://host').pathname;
}
