import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { createPlatformApp } from '../../charts/index.js';
import { synthesize } from '../../main.js';

/** A Kubernetes object as synthesized: loosely typed, as tests read it like YAML. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = Record<string, any>;

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

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job', 'CronJob'];

/**
 * Whether a pod spec meets the restricted Pod Security profile (the checks that apply to
 * what we generate): non-root, seccomp RuntimeDefault, no privilege escalation, every
 * capability dropped, and only the volume types the profile allows.
 */
export function restrictedViolations(spec: Manifest): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push('host namespaces');
  if (pod.seccompProfile?.type !== 'RuntimeDefault') problems.push('pod seccomp is not RuntimeDefault');
  const allowedVolumes = ['configMap', 'emptyDir', 'secret', 'persistentVolumeClaim', 'projected', 'downwardAPI'];
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (!allowedVolumes.includes(type ?? '')) problems.push(`volume type ${type}`);
  }
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const ctx = container.securityContext ?? {};
    const nonRoot = ctx.runAsNonRoot ?? pod.runAsNonRoot;
    const user = ctx.runAsUser ?? pod.runAsUser;
    if (nonRoot !== true) problems.push(`${container.name}: runAsNonRoot is not true`);
    if (user === undefined || user === 0) problems.push(`${container.name}: no fixed non-root runAsUser`);
    if (ctx.allowPrivilegeEscalation !== false) problems.push(`${container.name}: privilege escalation allowed`);
    if (ctx.privileged) problems.push(`${container.name}: privileged`);
    if (!(ctx.capabilities?.drop ?? []).includes('ALL'))
      problems.push(`${container.name}: capabilities not all dropped`);
    if ((ctx.capabilities?.add ?? []).some((cap: string) => cap !== 'NET_BIND_SERVICE')) {
      problems.push(`${container.name}: adds capabilities`);
    }
    if (ctx.readOnlyRootFilesystem !== true) problems.push(`${container.name}: writable root filesystem`);
    for (const port of container.ports ?? []) if (port.hostPort) problems.push(`${container.name}: hostPort`);
  }
  return problems;
}

/** Synthesizes every environment through main.ts into a temporary folder: relative path -> YAML text. */
export function synthesizeAll(): Map<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'billing-synth-'));
  try {
    synthesize({ outdir });
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
    .flatMap(([, text]) => parseAllDocuments(text).map((doc) => doc.toJS() as Manifest));
}
