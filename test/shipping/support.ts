import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { parseAllDocuments } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

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
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => doc.toJS() as unknown))
    .filter((object): object is K8sObject => typeof object === 'object' && object !== null && 'kind' in object);
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
