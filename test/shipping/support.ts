import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type dockerignoreModule from '@balena/dockerignore';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { Manifests } from '../../charts/index.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** The services that ship as images, with the workspace each image is built from. */
export const APPS = [
  { name: 'invoice-app', workspace: '@billing/invoice-app' },
  { name: 'payment-provider', workspace: '@billing/payment-provider' },
] as const;

/** One stage of a Dockerfile. */
export interface Stage {
  /** `AS <name>`, if given. */
  readonly name: string | undefined;
  /** The base image, with build arguments substituted. */
  readonly base: string;
  readonly instructions: Instruction[];
}

/** What a Dockerfile says, as far as the tests need it. */
export interface ImageSpec {
  readonly stages: Stage[];
  /** The last stage: what the image is. */
  readonly runtime: Stage;
  /** `USER` of the runtime stage, as written. */
  readonly user: string | undefined;
  /** `ENV` of the runtime stage. */
  readonly env: Record<string, string>;
  /** `WORKDIR` of the runtime stage. */
  readonly workdir: string | undefined;
  /** `CMD` in exec form, or undefined when it is in shell form or missing. */
  readonly cmd: string[] | undefined;
  /** `ENTRYPOINT` in exec form, or undefined when it is in shell form or missing. */
  readonly entrypoint: string[] | undefined;
  /** `EXPOSE` ports of the runtime stage. */
  readonly exposed: number[];
}

/** Parses `apps/<app>/Dockerfile` with the parser the Docker language server uses. */
export function readImageSpec(app: string): ImageSpec {
  const dockerfile = DockerfileParser.parse(readFileSync(join(repoRoot, 'apps', app, 'Dockerfile'), 'utf8'));
  const args = new Map<string, string>();
  const stages: { name: string | undefined; base: string; instructions: Instruction[] }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'ARG' && stages.length === 0) {
      const [name, value] = instruction.getArgumentsContent()?.split('=') ?? [];
      if (name !== undefined && value !== undefined) args.set(name, value);
    } else if (keyword === 'FROM') {
      const words = instruction.getArguments().map((arg) => arg.getValue());
      const base = (words[0] ?? '').replace(
        /\$\{(\w+)\}|\$(\w+)/g,
        (_m, a: string, b: string) => args.get(a ?? b) ?? '',
      );
      const asAt = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({ name: asAt >= 0 ? words[asAt + 1] : undefined, base, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  const runtime = stages.at(-1);
  if (runtime === undefined) throw new Error(`apps/${app}/Dockerfile has no FROM`);
  const last = (keyword: string) => runtime.instructions.filter((i) => i.getKeyword() === keyword).at(-1);
  const env: Record<string, string> = {};
  for (const instruction of runtime.instructions.filter((i) => i.getKeyword() === 'ENV')) {
    for (const [name, value] of envPairs(instruction.getArgumentsContent() ?? '')) env[name] = value;
  }
  return {
    stages,
    runtime,
    user: last('USER')?.getArgumentsContent() ?? undefined,
    env,
    workdir: last('WORKDIR')?.getArgumentsContent() ?? undefined,
    cmd: execForm(last('CMD')),
    entrypoint: execForm(last('ENTRYPOINT')),
    exposed: runtime.instructions
      .filter((i) => i.getKeyword() === 'EXPOSE')
      .flatMap((i) => i.getArguments().map((arg) => Number.parseInt(arg.getValue(), 10))),
  };
}

function envPairs(content: string): [string, string][] {
  return [...content.matchAll(/(\w+)=("[^"]*"|\S*)/g)].map((match) => [
    match[1] ?? '',
    (match[2] ?? '').replace(/^"|"$/g, ''),
  ]);
}

function execForm(instruction: Instruction | undefined): string[] | undefined {
  const content = instruction?.getArgumentsContent()?.trim();
  if (content === undefined || !content.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(content);
    return Array.isArray(parsed) && parsed.every((word) => typeof word === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A Kubernetes object as synthesized. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Every object of every YAML file in a folder, in file and document order. */
export function loadManifests(dir = join(repoRoot, 'dist')): K8sObject[] {
  return Manifests.load([dir]).objects as K8sObject[];
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { resource: string };
  };
}

interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

/** A container of a pod template. */
export interface Container {
  name: string;
  image: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: { containerPort: number; name?: string }[];
  securityContext?: { runAsUser?: number; runAsGroup?: number; readOnlyRootFilesystem?: boolean };
  volumeMounts?: { mountPath: string; name: string; readOnly?: boolean }[];
  command?: string[];
  args?: string[];
}

/** The pod spec of a Deployment. */
export interface PodSpec {
  containers: Container[];
  securityContext?: { runAsUser?: number; runAsGroup?: number; runAsNonRoot?: boolean };
}

/** The Deployment of a service (labelled `app.kubernetes.io/name: <app>`) and its service container. */
export function serviceWorkload(manifests: K8sObject[], app: string) {
  const deployment = manifests.find(
    (object) => object.kind === 'Deployment' && object.metadata.labels?.['app.kubernetes.io/name'] === app,
  );
  if (deployment === undefined) throw new Error(`dist/ has no Deployment labelled app.kubernetes.io/name=${app}`);
  const pod = (deployment as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
  const container = pod.containers.find((candidate) => new RegExp(`/${app}[:@]`).test(candidate.image));
  if (container === undefined)
    throw new Error(`Deployment ${deployment.metadata.name} has no container of the ${app} image`);
  return { deployment, pod, container, namespace: deployment.metadata.namespace ?? 'default' };
}

/** The recipes of the Secrets the in-cluster bootstrap generates (charts/secret-bootstrap.ts). */
interface SecretSpecFile {
  secrets: { name: string; namespaces: string[]; keys: Record<string, SecretRecipe> }[];
}
type SecretRecipe = { random: number } | { literal: string } | { template: string };

/**
 * Generated Secrets as the bootstrap job would make them, by namespace and name: random keys
 * get fresh random values, literals their value, templates their filled-in text.
 */
export function generateSecrets(manifests: K8sObject[]): Map<string, Record<string, string>> {
  const secrets = new Map<string, Record<string, string>>();
  for (const object of manifests) {
    if (object.kind === 'Secret') {
      const { data, stringData } = object as { data?: Record<string, string>; stringData?: Record<string, string> };
      const decoded = Object.fromEntries(
        Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
      );
      secrets.set(`${object.metadata.namespace}/${object.metadata.name}`, { ...decoded, ...stringData });
    }
    const specFile =
      object.kind === 'ConfigMap' ? (object as { data?: Record<string, string> }).data?.['secrets.json'] : undefined;
    if (specFile === undefined) continue;
    for (const secret of (JSON.parse(specFile) as SecretSpecFile).secrets) {
      const values: Record<string, string> = {};
      for (const [key, recipe] of Object.entries(secret.keys)) {
        if ('random' in recipe) values[key] = randomBytes(recipe.random).toString('hex');
        if ('literal' in recipe) values[key] = recipe.literal;
      }
      for (const [key, recipe] of Object.entries(secret.keys)) {
        if ('template' in recipe)
          values[key] = recipe.template.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? '');
      }
      for (const namespace of secret.namespaces) secrets.set(`${namespace}/${secret.name}`, values);
    }
  }
  return secrets;
}

/**
 * The environment Kubernetes would give a container: `envFrom` first, then `env` in order with
 * `$(VAR)` references expanded, ConfigMap keys read from the manifests and Secret keys from
 * `secrets` (generated ones included). A reference that cannot be resolved and is not optional
 * throws, as the kubelet would refuse to start the container.
 */
export function containerEnv(
  manifests: K8sObject[],
  namespace: string,
  container: Container,
  secrets: Map<string, Record<string, string>>,
): Record<string, string> {
  const configMaps = new Map(
    manifests
      .filter((object) => object.kind === 'ConfigMap')
      .map((object) => [
        `${object.metadata.namespace}/${object.metadata.name}`,
        (object as { data?: Record<string, string> }).data ?? {},
      ]),
  );
  const lookup = (kind: 'ConfigMap' | 'Secret', name: string, optional = false): Record<string, string> | undefined => {
    const found = (kind === 'ConfigMap' ? configMaps : secrets).get(`${namespace}/${name}`);
    if (found === undefined && !optional) {
      throw new Error(
        `container ${container.name} needs ${kind} ${namespace}/${name}, which dist/ neither holds nor generates`,
      );
    }
    return found;
  };

  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const data = source.configMapRef
      ? lookup('ConfigMap', source.configMapRef.name, source.configMapRef.optional)
      : source.secretRef
        ? lookup('Secret', source.secretRef.name, source.secretRef.optional)
        : undefined;
    for (const [key, value] of Object.entries(data ?? {})) env[`${source.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (from === undefined) {
      env[variable.name] = (variable.value ?? '').replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) =>
        name in env ? (env[name] ?? '') : whole,
      );
      continue;
    }
    const ref = from.configMapKeyRef ?? from.secretKeyRef;
    if (ref !== undefined) {
      const data = lookup(from.configMapKeyRef ? 'ConfigMap' : 'Secret', ref.name, ref.optional);
      const value = data?.[ref.key];
      if (value === undefined && !ref.optional) {
        throw new Error(
          `container ${container.name}: ${variable.name} refers to key ${ref.key} of ${ref.name}, which has no such key`,
        );
      }
      if (value !== undefined) env[variable.name] = value;
    } else if (from.fieldRef !== undefined) {
      env[variable.name] = downwardValue(from.fieldRef.fieldPath, namespace, container.name);
    }
  }
  return env;
}

/** What the downward API would give a test pod on this machine. */
function downwardValue(fieldPath: string, namespace: string, containerName: string): string {
  if (fieldPath === 'metadata.namespace') return namespace;
  if (fieldPath === 'metadata.name') return `${containerName}-shipping-test`;
  if (fieldPath.endsWith('IP') || fieldPath.endsWith('IPs')) return '127.0.0.1';
  return 'shipping-test';
}

/** Every file of the build context: what `docker build .` at the root sends, after .dockerignore. */
export async function buildContext(): Promise<string[]> {
  const require = createRequire(import.meta.url);
  // A CommonJS module whose typings claim an ES default export: load it as what it is.
  const ignore = require('@balena/dockerignore') as typeof dockerignoreModule.default;
  const rules = ignore().add(await readFile(join(repoRoot, '.dockerignore'), 'utf8'));
  const entries = await readdir(repoRoot, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)))
    .filter((path) => !/(^|\/)(node_modules|\.git)\//.test(path) && !rules.ignores(path));
}

/**
 * Runs the build stage of `apps/<app>/Dockerfile` without Docker: its WORKDIR, its COPY
 * instructions from the build context (so a file .dockerignore leaves out is missing here as in
 * a real build) and its RUN instructions, verbatim, in a folder that stands in for the stage's
 * root filesystem (absolute paths in commands are mapped into it). Returns the folder the
 * runtime stage copies from it (`COPY --from=<stage> <path>`). npm installs from its cache.
 *
 * Like Docker's layer cache, the state after each RUN is kept in `layers` (hard links), keyed by
 * every instruction and copied file before it, so the services' shared `npm ci` runs once.
 */
export async function replayBuildStage(app: string, into: string, layers: string): Promise<string> {
  const spec = readImageSpec(app);
  const [build] = spec.stages;
  if (build === undefined) throw new Error(`apps/${app}/Dockerfile has no build stage`);
  const inStage = (path: string) => join(into, path);
  const context = await buildContext();
  const history = createHash('sha256').update(build.base);
  let workdir = '/';
  await mkdir(into, { recursive: true });
  for (const instruction of build.instructions) {
    const keyword = instruction.getKeyword();
    history.update(instruction.getTextContent());
    if (keyword === 'WORKDIR') workdir = instruction.getArgumentsContent() ?? '/';
    if (keyword === 'COPY') {
      const words = instruction.getArguments().map((arg) => arg.getValue());
      const destination = words.at(-1) ?? '';
      const target = inStage(destination.startsWith('/') ? destination : join(workdir, destination));
      for (const source of words.slice(0, -1)) {
        const prefix = source.replace(/\/$/, '');
        const files = context.filter((file) => file === prefix || file.startsWith(`${prefix}/`));
        if (files.length === 0) throw new Error(`COPY ${source}: not in the build context (see .dockerignore)`);
        for (const file of files) {
          const to = file === prefix ? join(target, basename(file)) : join(target, relative(prefix, file));
          await mkdir(dirname(to), { recursive: true });
          await copyFile(join(repoRoot, file), to);
          history.update(file).update(await readFile(join(repoRoot, file)));
        }
      }
    }
    if (keyword === 'RUN') {
      const layer = join(layers, history.copy().digest('hex'));
      if (await exists(layer)) {
        await rm(into, { recursive: true, force: true });
        await run('cp', ['-al', layer, into]);
        continue;
      }
      const command = (instruction.getArgumentsContent() ?? '').replace(
        /(^|\s)(\/[\w./-]*)/g,
        (_m, space: string, path: string) => `${space}${inStage(path)}`,
      );
      await mkdir(inStage(workdir), { recursive: true });
      await run('sh', ['-c', command], {
        cwd: inStage(workdir),
        env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
        maxBuffer: 64 * 1024 * 1024,
      });
      await mkdir(layers, { recursive: true });
      await run('cp', ['-al', into, layer]);
    }
  }
  const copy = spec.runtime.instructions.find((i) => i.getKeyword() === 'COPY' && /--from=/.test(i.getTextContent()));
  const from = copy?.getArguments()[0]?.getValue();
  if (from === undefined) throw new Error(`apps/${app}/Dockerfile copies nothing from its build stage`);
  return inStage(from);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
