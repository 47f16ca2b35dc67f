import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import type { K8sObject } from './kubernetes.js';
import { isNamespaced } from './kubernetes.js';

/** One object of a manifest file, with where it came from so that a report can point at it. */
export interface Manifest {
  /** The object as the YAML document holds it. */
  readonly object: K8sObject;
  /** File and document index, e.g. `dist/platform.k8s.yaml#3`. */
  readonly source: string;
  /** Position in the order `kubectl apply -f` would send it (files by name, then documents). */
  readonly order: number;
}

/** `Kind namespace/name` (or `Kind name` for cluster-scoped kinds): how reports name an object. */
export function refOf(object: K8sObject): string {
  const name = object.metadata?.name ?? '<unnamed>';
  if (!isNamespaced(object.kind)) return `${object.kind} ${name}`;
  return `${object.kind} ${object.metadata?.namespace ?? 'default'}/${name}`;
}

/** The namespace a namespaced object lands in (`default` when the manifest leaves it out, as kubectl does). */
export function namespaceOf(object: K8sObject): string {
  return object.metadata?.namespace ?? 'default';
}

/**
 * Parses a multi-document YAML text with the YAML 1.2 core schema; empty documents (a trailing
 * `---`) are skipped. js-yaml, not yaml's document model: the cdk8s validation plugin parses every
 * manifest on every synth, and js-yaml does it in about a quarter of the time.
 */
export function parseManifests(text: string, file: string, firstOrder = 0): Manifest[] {
  let documents: unknown[];
  try {
    documents = loadAll(text, undefined, { schema: CORE_SCHEMA });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    throw new Error(`${file}:${error.mark.line + 1}: invalid YAML: ${error.reason}`);
  }
  const manifests: Manifest[] = [];
  documents.forEach((value, index) => {
    if (value === null || value === undefined) return;
    if (!isObjectWithKind(value)) {
      throw new Error(`${file}#${index}: not a Kubernetes object (it needs apiVersion and kind strings).`);
    }
    manifests.push({ object: value, source: `${file}#${index}`, order: firstOrder + manifests.length });
  });
  return manifests;
}

/**
 * Reads every `*.yaml`/`*.yml` in the given files and folders, in the order `kubectl apply -f`
 * reads a folder (file names sorted, subfolders not entered without `-R`), so that order-dependent
 * checks see what the cluster sees.
 */
export function loadManifests(paths: readonly string[], cwd = process.cwd()): Manifest[] {
  const files = paths.flatMap((path) => yamlFilesUnder(path));
  if (files.length === 0) throw new Error(`No YAML manifests found in ${paths.join(', ')}.`);
  const manifests: Manifest[] = [];
  for (const file of files) {
    manifests.push(...parseManifests(readFileSync(file, 'utf8'), relative(cwd, file) || file, manifests.length));
  }
  return manifests;
}

/**
 * The folders under a path that hold manifests, each one environment's worth to verify on its
 * own: `dist` (dev, what `kubectl apply -f dist` deploys) and `dist/prod`, for example.
 */
export function manifestFolders(path: string): string[] {
  if (!existsSync(path))
    throw new Error(`${path} does not exist: give a manifest file or a folder of them (default: dist).`);
  if (!statSync(path).isDirectory()) return [path];
  const own = yamlFilesUnder(path).length > 0 ? [path] : [];
  const nested = readdirSync(path)
    .sort()
    .map((entry) => join(path, entry))
    .filter((entry) => statSync(entry).isDirectory())
    .flatMap((folder) => manifestFolders(folder));
  return [...own, ...nested];
}

function yamlFilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .map((entry) => join(path, entry))
    .filter((file) => /\.ya?ml$/.test(file) && statSync(file).isFile());
}

function isObjectWithKind(value: unknown): value is K8sObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { apiVersion, kind } = value as Record<string, unknown>;
  return typeof apiVersion === 'string' && typeof kind === 'string';
}
