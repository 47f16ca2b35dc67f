// Runs inside the cluster (the SecretBootstrap Job and CronJob) on a plain Node image.
//
// For every Secret in the spec file: when a copy is missing from one of its namespaces, it is
// created, with the values of an existing copy if there is one (so a token shared by two
// namespaces stays the same in both) and with freshly generated values otherwise. An
// existing Secret is never changed, so an operator or an external secret store can own any
// of them. Values are never printed.
//
// Usage: node bootstrap-secrets.mjs <spec.json>
// It talks to the API server with the pod's ServiceAccount token; KUBERNETES_API_URL and
// SERVICE_ACCOUNT_DIR override where it looks (the tests point them at a local server).
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import process from 'node:process';

const serviceAccountDir = process.env.SERVICE_ACCOUNT_DIR ?? '/var/run/secrets/kubernetes.io/serviceaccount';
const apiUrl = process.env.KUBERNETES_API_URL ?? inClusterApiUrl();
const token = readFileSync(`${serviceAccountDir}/token`, 'utf8').trim();
const ca = apiUrl.startsWith('https:') ? readFileSync(`${serviceAccountDir}/ca.crt`) : undefined;
const REQUEST_TIMEOUT_MS = 10_000;

const spec = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8'));
let failures = 0;
for (const secret of spec.secrets) {
  try {
    await ensure(secret);
  } catch (err) {
    failures += 1;
    say(`FAILED ${secret.name}: ${err.message}`);
  }
}
process.exitCode = failures === 0 ? 0 : 1;

async function ensure(secret) {
  const copies = [];
  for (const namespace of secret.namespaces) {
    copies.push({ namespace, data: await readSecret(namespace, secret.name) });
  }
  const existing = copies.filter((copy) => copy.data !== null);
  const missing = copies.filter((copy) => copy.data === null);
  for (const copy of existing.slice(1)) {
    if (!sameData(copy.data, existing[0].data)) {
      throw new Error(
        `the copies in ${existing[0].namespace} and ${copy.namespace} differ; delete the wrong one and run again to copy the other`,
      );
    }
  }
  for (const copy of existing) say(`kept ${copy.namespace}/${secret.name} (exists)`);
  if (missing.length === 0) return;

  const values = existing.length > 0 ? valuesOf(existing[0], secret) : generate(secret.keys);
  for (const copy of missing) {
    await createSecret(copy.namespace, secret.name, values);
    const source = existing.length > 0 ? `copied from ${existing[0].namespace}` : 'generated';
    say(`created ${copy.namespace}/${secret.name} (${source})`);
  }
}

function valuesOf(copy, secret) {
  const absent = Object.keys(secret.keys).filter((key) => !(key in copy.data));
  if (absent.length > 0) {
    throw new Error(
      `${copy.namespace}/${secret.name} lacks ${absent.join(', ')}; add the keys or delete it to regenerate`,
    );
  }
  return copy.data;
}

function generate(recipes) {
  const values = {};
  for (const [key, recipe] of Object.entries(recipes)) {
    if ('random' in recipe) values[key] = randomBytes(recipe.random).toString('hex');
    if ('literal' in recipe) values[key] = recipe.literal;
  }
  for (const [key, recipe] of Object.entries(recipes)) {
    if ('template' in recipe) values[key] = recipe.template.replace(/\{(\w+)\}/g, (_match, name) => values[name]);
  }
  return values;
}

function sameData(a, b) {
  const keys = Object.keys(a).sort();
  return JSON.stringify(keys) === JSON.stringify(Object.keys(b).sort()) && keys.every((key) => a[key] === b[key]);
}

async function readSecret(namespace, name) {
  const response = await call('GET', `/api/v1/namespaces/${namespace}/secrets/${name}`);
  if (response.status === 404) return null;
  if (response.status !== 200) throw apiError(`reading ${namespace}/${name}`, response);
  const data = response.body.data ?? {};
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]));
}

async function createSecret(namespace, name, values) {
  const body = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'secret-bootstrap', 'app.kubernetes.io/part-of': spec.partOf },
    },
    data: Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
  };
  const response = await call('POST', `/api/v1/namespaces/${namespace}/secrets`, body);
  if (response.status === 409) {
    throw new Error(`${namespace}/${name} appeared while this run was creating it; the next run reconciles it`);
  }
  if (response.status !== 201) throw apiError(`creating ${namespace}/${name}`, response);
}

function apiError(action, response) {
  const reason = response.body?.message ?? JSON.stringify(response.body);
  return new Error(`${action}: the API server answered ${response.status}: ${reason}`);
}

function call(method, path, body) {
  const client = apiUrl.startsWith('https:') ? https : http;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = client.request(
      `${apiUrl}${path}`,
      {
        method,
        ca,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed;
          try {
            parsed = text === '' ? {} : JSON.parse(text);
          } catch {
            parsed = { message: text.slice(0, 200) };
          }
          resolve({ status: response.statusCode, body: parsed });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${apiUrl} within ${REQUEST_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(payload);
  });
}

function inClusterApiUrl() {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  if (host === undefined) throw new Error('KUBERNETES_SERVICE_HOST is not set: this runs inside a pod');
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function say(line) {
  process.stdout.write(`${line}\n`);
}
