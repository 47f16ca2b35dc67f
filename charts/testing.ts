// The testing kit: what a platform team's tests (and ours) need to check what the library
// synthesizes, without a cluster. Synth to objects, find them by kind and name, and ask the
// questions `npm run verify` answers: Pod Security, reachability, RBAC, every check.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing, type App } from 'cdk8s';
import type { Check, Violation } from '../verify/check.js';
import { POD_SECURITY_STANDARDS } from '../verify/all-checks.js';
import { Cluster } from '../verify/cluster.js';
import { loadManifests, parseManifests, type Manifest as SourcedManifest } from '../verify/manifest.js';
import { Reachability } from '../verify/reachability.js';
import type { PolicyRule } from '../verify/kubernetes.js';
import { Rbac, ruleAllows, type Request, type SubjectRef } from '../verify/rbac.js';
import { verify, type Report } from '../verify/verify.js';
import { createPlatformApp } from './server-normalizer.js';
import { buildEnvironment, synthesize, type BuildOptions, type EnvironmentName } from './synthesis.js';

export type { Check, Report, Request, SubjectRef, Violation };

/** A Kubernetes object as synthesized: loosely typed, as tests read it like YAML. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = Record<string, any>;

/** The kinds whose objects carry a pod template. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job', 'CronJob'];

/**
 * Synthesized manifests with the queries a test asks of them. Built from an App (every chart,
 * in `kubectl apply` order), a Chart, or files (`Manifests.load(['dist'])`).
 */
export class Manifests {
  /** Synthesizes an App or one Chart to objects. */
  static of(scope: App | Chart): Manifests {
    if (scope instanceof Chart) {
      return new Manifests(Testing.synth(scope).map((object, order) => ({ object, source: `#${order}`, order })));
    }
    return new Manifests(parseManifests(scope.synthYaml(), 'app'));
  }

  /** Reads manifest files or folders, as `kubectl apply -f` would. */
  static load(paths: readonly string[]): Manifests {
    return new Manifests(loadManifests(paths));
  }

  private cachedReachability?: Reachability;
  private cachedRbac?: Rbac;

  constructor(
    /** The objects, with where each came from. */
    readonly manifests: readonly SourcedManifest[],
  ) {}

  /** The objects, in order. */
  get objects(): Manifest[] {
    return this.manifests.map(({ object }) => object as Manifest);
  }

  /** The one object of a kind (and name, and namespace): fails loudly when there is none or several. */
  find(kind: string, name?: string, namespace?: string): Manifest {
    return only(
      this.objects.filter((object) => namespace === undefined || object.metadata?.namespace === namespace),
      kind,
      name,
    );
  }

  /** Every object of a kind. */
  all(kind: string): Manifest[] {
    return all(this.objects, kind);
  }

  /** Every Pod Security problem of every workload (baseline and restricted levels), as `object: message`. */
  podSecurityViolations(): string[] {
    return verify(this.manifests, POD_SECURITY_STANDARDS).violations.map(
      (violation) => `${violation.object}: ${violation.message}`,
    );
  }

  /** Who can reach whom, as a NetworkPolicy-enforcing CNI would allow it. */
  get reachability(): Reachability {
    this.cachedReachability ??= new Reachability(new Cluster(this.manifests));
    return this.cachedReachability;
  }

  /**
   * Whether `from` can open a connection to `to` on `port` (TCP). Endpoints are named as in
   * the reachability matrix: `invoices/invoice-app`, `internet`, `(pod in another namespace)`,
   * `<namespace>/(any other pod)`.
   */
  canReach(from: string, to: string, port: number): boolean {
    const ports = this.reachability.flows.find((flow) => flow.from === from && flow.to === to)?.ports ?? [];
    return ports.includes('any') || ports.includes(`${port}/TCP`);
  }

  /** Every endpoint that can reach `to` on some port. */
  sourcesOf(to: string): string[] {
    return this.reachability.sourcesOf(to);
  }

  /** The RBAC of the manifests, built-in ClusterRoles and bindings included. */
  get rbac(): Rbac {
    this.cachedRbac ??= new Rbac(new Cluster(this.manifests));
    return this.cachedRbac;
  }

  /**
   * Whether a subject may do `verb` on `resource` (`deployments.apps`, `secrets`, `pods/exec`)
   * in `namespace`, through any binding. A subject is `group:team-x`, `user:alice` or
   * `serviceaccount:<namespace>:<name>`.
   */
  can(subject: string, verb: string, resource: string, namespace: string, name?: string): boolean {
    const [plural = '', ...group] = resource.split('.');
    return this.rbac.can(parseSubject(subject), { verb, resource: plural, group: group.join('.'), namespace, name });
  }

  /** Runs `npm run verify`'s checks (or the given ones) over the manifests. */
  verify(checks?: readonly Check[]): Report {
    return verify(this.manifests, checks);
  }
}

function parseSubject(subject: string): SubjectRef {
  const [kind = '', first = '', second] = subject.split(':');
  const kinds: Record<string, string> = { group: 'Group', user: 'User', serviceaccount: 'ServiceAccount' };
  const resolved = kinds[kind.toLowerCase()];
  if (!resolved || first === '' || (resolved === 'ServiceAccount' && second === undefined)) {
    throw new Error(
      `Subject '${subject}' is not group:<name>, user:<name> or serviceaccount:<namespace>:<name>, e.g. group:team-invoices.`,
    );
  }
  return resolved === 'ServiceAccount'
    ? { kind: resolved, namespace: first, name: second! }
    : { kind: resolved, name: first };
}

/** One environment of the platform, extended, synthesized to objects (nothing written). */
export function synthEnvironment(name: EnvironmentName, options: Omit<BuildOptions, 'outdir'> = {}): Manifests {
  return Manifests.of(buildEnvironment(name, options).app);
}

/** A chart in an app that normalizes like the real one (see ServerNormalizer). */
export function testChart(namespace?: string): Chart {
  return new Chart(createPlatformApp({ outdir: Testing.app().outdir }), 'test', { namespace });
}

/** Synthesizes one chart. */
export function synth(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

/** The one object of a kind (and name): fails loudly when there is none or several. */
export function only(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}`);
  }
  return found[0] as Manifest;
}

/** Every object of a kind. */
export function all(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

/** The pod spec of a workload (Deployment, StatefulSet, Job, CronJob). */
export function podSpec(workload: Manifest): Manifest {
  return workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
}

/** The pod template metadata of a workload. */
export function podMetadata(workload: Manifest): Manifest {
  return workload.kind === 'CronJob'
    ? workload.spec.jobTemplate.spec.template.metadata
    : workload.spec.template.metadata;
}

/**
 * The Pod Security problems of a pod spec, by the controls of the baseline and restricted
 * profiles that `npm run verify` evaluates: empty when the restricted profile admits it.
 */
export function restrictedViolations(spec: Manifest): string[] {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: 'test' }, spec };
  return verify([{ object: pod, source: 'pod', order: 0 }], POD_SECURITY_STANDARDS).violations.map(
    (violation) => `${violation.path ?? ''}: ${violation.message}`,
  );
}

/** Whether a Role's rules let a subject do `verb` on `group/resource` (RBAC is additive: any rule that matches). */
export function roleAllows(role: Manifest, verb: string, group: string, resource: string, name?: string): boolean {
  return (role.rules as PolicyRule[]).some((rule) => ruleAllows(rule, { verb, group, resource, name }));
}

/** Synthesizes every environment through `synthesize` into a temporary folder: relative path -> YAML text. */
export function synthesizeAll(options: Omit<BuildOptions, 'outdir'> = {}): Map<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'billing-synth-'));
  try {
    synthesize({ ...options, outdir });
    return readTree(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every file below a folder, by path relative to it. */
export function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (folder: string) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) visit(path);
      else files.set(path, readFileSync(join(root, path), 'utf8'));
    }
  };
  visit('');
  return files;
}

/** The objects of one environment's files: `.` for dev (dist/ itself), `prod` for dist/prod. */
export function environmentObjects(files: Map<string, string>, folder: string): Manifest[] {
  return [...files.entries()]
    .filter(([path]) => (folder === '.' ? !path.includes('/') : path.startsWith(`${folder}/`)))
    .flatMap(([path, text]) => parseManifests(text, path).map(({ object }) => object as Manifest));
}
