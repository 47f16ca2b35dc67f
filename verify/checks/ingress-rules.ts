import { isIP } from 'node:net';
import { dns1123Subdomain, ianaSvcName, portNumber } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { IngressBackend, IngressSpec } from '../kubernetes.js';
import type { Manifest } from '../manifest.js';

const PATH_TYPES = new Set(['Exact', 'Prefix', 'ImplementationSpecific']);
// networking/v1 validation rejects these in Exact and Prefix paths.
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

function hostProblem(host: string): string | undefined {
  if (isIP(host)) return 'must be a DNS name, not an IP address';
  return dns1123Subdomain(host.startsWith('*.') ? host.slice(2) : host);
}

function backendProblems(manifest: Manifest, backend: IngressBackend | undefined, at: string): Finding[] {
  if (!backend) return [finding(manifest, at, 'backend is required')];
  const hasService = backend.service !== undefined;
  const hasResource = backend.resource !== undefined;
  if (hasService === hasResource) return [finding(manifest, at, 'a backend needs exactly one of service or resource')];
  if (!hasService) return [];
  const port = backend.service?.port;
  const hasName = port?.name !== undefined && port.name !== '';
  const hasNumber = port?.number !== undefined && port.number !== 0;
  if (hasName === hasNumber)
    return [finding(manifest, `${at}.service.port`, 'a service port needs exactly one of name or number')];
  const problem = hasName ? ianaSvcName(port!.name!) : portNumber(port!.number!);
  return problem ? [finding(manifest, `${at}.service.port`, `port ${port!.name ?? port!.number} ${problem}`)] : [];
}

export const ingressRules: Check = {
  name: 'ingress-rules',
  category: 'api-server',
  reason:
    'Ingress paths need a pathType and an absolute, clean path; backends one service port by name or number; hosts DNS names.',
  run(cluster) {
    return cluster.ofKind('Ingress').flatMap((manifest) => {
      const spec = (manifest.object.spec ?? {}) as IngressSpec;
      const found: Finding[] = [];
      if (!spec.defaultBackend && (spec.rules ?? []).length === 0) {
        found.push(finding(manifest, 'spec', 'either defaultBackend or rules must be specified'));
      }
      if (spec.defaultBackend) found.push(...backendProblems(manifest, spec.defaultBackend, 'spec.defaultBackend'));
      (spec.rules ?? []).forEach((rule, ruleIndex) => {
        const at = `spec.rules[${ruleIndex}]`;
        if (rule.host !== undefined) {
          const problem = hostProblem(rule.host);
          if (problem) found.push(finding(manifest, `${at}.host`, `"${rule.host}": ${problem}`));
        }
        (rule.http?.paths ?? []).forEach((path, pathIndex) => {
          const pathAt = `${at}.http.paths[${pathIndex}]`;
          if (path.pathType === undefined) found.push(finding(manifest, `${pathAt}.pathType`, 'pathType is required'));
          else if (!PATH_TYPES.has(path.pathType)) {
            found.push(
              finding(
                manifest,
                `${pathAt}.pathType`,
                `"${path.pathType}" is not Exact, Prefix or ImplementationSpecific`,
              ),
            );
          }
          const value = path.path ?? '';
          if (path.pathType === 'Exact' || path.pathType === 'Prefix') {
            if (!value.startsWith('/'))
              found.push(finding(manifest, `${pathAt}.path`, `"${value}" must be an absolute path`));
            const bad =
              INVALID_PATH_SEQUENCES.find((sequence) => value.includes(sequence)) ??
              INVALID_PATH_SUFFIXES.find((suffix) => value.endsWith(suffix));
            if (bad) found.push(finding(manifest, `${pathAt}.path`, `"${value}" must not contain "${bad}"`));
          }
          found.push(...backendProblems(manifest, path.backend, `${pathAt}.backend`));
        });
      });
      (spec.tls ?? []).forEach((tls, index) =>
        (tls.hosts ?? []).forEach((host) => {
          const problem = hostProblem(host);
          if (problem) found.push(finding(manifest, `spec.tls[${index}].hosts`, `"${host}": ${problem}`));
        }),
      );
      return found;
    });
  },
};
