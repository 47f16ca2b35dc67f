#!/usr/bin/env node
// Prints facts about a folder of synthesized manifests, one per line, for the cluster scripts:
// they read what to build, wait for and check from the manifests themselves, so the scripts
// cannot drift from what `kubectl apply` deploys.
//
//   node deploy/manifests.mjs <folder> images     <app> <image>      our images (an apps/<app>/Dockerfile exists)
//   node deploy/manifests.mjs <folder> rollouts   <namespace> <kind>/<name>   Deployments and StatefulSets
//   node deploy/manifests.mjs <folder> jobs       <namespace> <name>          Jobs that must complete
//   node deploy/manifests.mjs <folder> secrets    <namespace> <name>          Secrets the bootstrap generates
//   node deploy/manifests.mjs <folder> service    <app> -> <namespace> <name> <port>   the Service of an app
//   node deploy/manifests.mjs <folder> image-of   <image name> -> <image>     first container image with that name
//   node deploy/manifests.mjs <folder> secret-of  <app> <VAR> -> <namespace> <secret> <key>   where an env var comes from
//
// Like `kubectl apply -f <folder>`, it reads the folder's YAML files but not its subfolders.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { parseAllDocuments } from 'yaml';

const [folder, fact, ...args] = process.argv.slice(2);
const facts = { images, rollouts, jobs, secrets, service, 'image-of': imageOf, 'secret-of': secretOf };
if (folder === undefined || !(fact in facts)) {
  fail(`usage: node deploy/manifests.mjs <folder> <${Object.keys(facts).join('|')}> [argument]`);
}
if (!existsSync(folder)) fail(`${folder} does not exist: run \`npm run synth\` first.`);

const objects = readdirSync(folder)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort()
  .flatMap((file) => parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((doc) => doc.toJS()))
  .filter((object) => object?.kind !== undefined);
if (objects.length === 0) fail(`${folder} holds no manifests: run \`npm run synth\` first.`);

const lines = facts[fact](...args);
process.stdout.write(lines.map((line) => `${line}\n`).join(''));

/** Every container of every pod template, with the namespace of its workload. */
function containers() {
  return objects.flatMap((object) => {
    const pod = object.spec?.template?.spec ?? object.spec?.jobTemplate?.spec?.template?.spec;
    if (pod === undefined) return [];
    return [...(pod.initContainers ?? []), ...(pod.containers ?? [])].map((container) => ({
      namespace: object.metadata.namespace,
      image: container.image,
    }));
  });
}

/** The name part of an image reference: `localhost:5001/invoice-app:0.1.0` -> `invoice-app`. */
function imageName(reference) {
  const path = reference.split('@')[0];
  const lastSlash = path.lastIndexOf('/');
  const tagColon = path.lastIndexOf(':');
  return path.slice(lastSlash + 1, tagColon > lastSlash ? tagColon : undefined);
}

function images() {
  const ours = new Map();
  for (const { image } of containers()) {
    const app = imageName(image);
    if (existsSync(join('apps', app, 'Dockerfile'))) ours.set(app, image);
  }
  return [...ours].map(([app, image]) => `${app} ${image}`);
}

function imageOf(name) {
  const found = containers().find(({ image }) => imageName(image) === name);
  if (found === undefined) fail(`no container in ${folder} runs an image named ${name}`);
  return [found.image];
}

function rollouts() {
  return objects
    .filter((object) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind))
    .map((object) => `${object.metadata.namespace} ${object.kind.toLowerCase()}/${object.metadata.name}`);
}

function jobs() {
  return objects.filter((object) => object.kind === 'Job').map((o) => `${o.metadata.namespace} ${o.metadata.name}`);
}

function secrets() {
  return objects
    .filter((object) => object.kind === 'ConfigMap' && object.data?.['secrets.json'] !== undefined)
    .flatMap((object) => JSON.parse(object.data['secrets.json']).secrets)
    .flatMap((secret) => secret.namespaces.map((namespace) => `${namespace} ${secret.name}`));
}

function service(app) {
  const found = objects.find(
    (object) => object.kind === 'Service' && object.metadata.labels?.['app.kubernetes.io/name'] === app,
  );
  if (found === undefined) fail(`no Service labelled app.kubernetes.io/name=${app} in ${folder}`);
  return [`${found.metadata.namespace} ${found.metadata.name} ${found.spec.ports[0].port}`];
}

function secretOf(app, variable) {
  const deployment = objects.find(
    (object) => object.kind === 'Deployment' && object.metadata.labels?.['app.kubernetes.io/name'] === app,
  );
  if (deployment === undefined) fail(`no Deployment labelled app.kubernetes.io/name=${app} in ${folder}`);
  const ref = deployment.spec.template.spec.containers
    .flatMap((container) => container.env ?? [])
    .find((env) => env.name === variable)?.valueFrom?.secretKeyRef;
  if (ref === undefined) fail(`${app} does not read ${variable} from a Secret in ${folder}`);
  return [`${deployment.metadata.namespace} ${ref.name} ${ref.key}`];
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
