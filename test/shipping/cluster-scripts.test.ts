import { execFile, execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests, repoRoot } from './support.js';

// No cluster and no Docker engine run here. The scripts are linted with shellcheck, and
// deploy.sh and kind-up.sh are dry-run against stand-ins for docker, kind, minikube and kubectl
// that only record how they were called and answer what a healthy cluster answers: that checks
// which images deploy.sh builds and pushes, what it applies and waits for, in which order, that
// kind-up.sh creates only what is missing, and their errors.

const run = promisify(execFile);
const version = (JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const SCRIPTS = ['deploy/deploy.sh', 'deploy/test.sh', 'deploy/kind-up.sh', 'deploy/kind-down.sh'];
const root = await mkdtemp(join(tmpdir(), 'billing-scripts-'));
const hasShellcheck = (() => {
  try {
    execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// The few real tools the scripts run besides the stand-ins, linked into a folder of their own: a
// PATH with /usr/bin on it would find whatever this machine has installed (a real docker, say),
// and "docker is not installed" would never come.
const REAL_TOOLS = [
  'bash',
  'sh',
  'node',
  'npm',
  'sed',
  'sleep',
  'basename',
  'dirname',
  'cat',
  'seq',
  'base64',
  'grep',
  'mkdir',
];
const realTools = join(root, 'real-tools');
await mkdir(realTools);
for (const tool of REAL_TOOLS) {
  const found = tool === 'node' ? process.execPath : which(tool);
  if (found !== undefined) await symlink(found, join(realTools, tool));
}

function which(tool: string): string | undefined {
  try {
    return execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

describe.each(SCRIPTS)('%s', (script) => {
  it('is an executable bash script with set -euo pipefail', async () => {
    const text = await readFile(join(repoRoot, script), 'utf8');
    expect(text.split('\n')[0]).toBe('#!/usr/bin/env bash');
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect((await stat(join(repoRoot, script))).mode & 0o111).not.toBe(0);
    await run('bash', ['-n', script], { cwd: repoRoot });
  });

  it.skipIf(!hasShellcheck)('passes shellcheck (apt-get install shellcheck if this is skipped)', async () => {
    const result = await run('shellcheck', ['--severity=style', '--external-sources', script], { cwd: repoRoot }).then(
      () => '',
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(result).toBe('');
  });

  it('explains itself with --help', async () => {
    const { stdout } = await run('bash', [script, '--help'], { cwd: repoRoot });
    expect(stdout).toMatch(/Settings \(environment\):/);
    expect(stdout).not.toMatch(/^#/m);
  });
});

interface StandInOptions {
  /** What `kubectl config current-context` prints; null: no context. @default kind-billing */
  readonly context?: string | null;
  /** Whether `kubectl get secret` finds the Secret. @default true */
  readonly secretsExist?: boolean;
  /** Tools left out, as if not installed. */
  readonly omit?: string[];
  /** Whether kind-up.sh's registry and cluster exist already. @default false */
  readonly kindUp?: boolean;
  /** A context whose API server does not answer. @default false */
  readonly unreachable?: boolean;
  /** Whether test.sh's probe namespace exists before it runs. @default false */
  readonly probeNamespaceExists?: boolean;
  /** Whether test.sh's outside probe pod reaches payment-provider (a CNI that ignores NetworkPolicy). @default false */
  readonly probeReaches?: boolean;
}

/** Stand-ins that log `<tool> <args>` to calls.log and answer like a healthy cluster. */
async function standIns(name: string, options: StandInOptions = {}) {
  const dir = join(root, name);
  await run('mkdir', ['-p', dir]);
  const log = join(dir, 'calls.log');
  await writeFile(log, '');
  const record = `printf '%s %s\\n' "$(basename "$0")" "$*" >> '${log}'`;
  const script = (...cases: string[]) =>
    ['#!/usr/bin/env bash', record, 'case "$*" in', ...cases.map((c) => `  ${c} ;;`), 'esac'].join('\n');
  const up = options.kindUp === true;
  const tools: Record<string, string> = {
    kubectl: script(
      `"config current-context") ${options.context === null ? 'exit 1' : `echo '${options.context ?? 'kind-billing'}'`}`,
      options.unreachable
        ? `*" get "*) echo 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?' >&2; exit 1`
        : `*" get secret "*" -o jsonpath="*) printf '%s' ${Buffer.from('token-0123456789abcdef').toString('base64')}`,
      `*" get secret "*) ${options.secretsExist === false ? `echo 'Error from server (NotFound): secrets "x" not found' >&2; exit 1` : 'exit 0'}`,
      `"get namespace billing-probe") exit ${options.probeNamespaceExists ? 0 : 1}`,
      `*"--namespace billing-probe run network-probe-"*) printf 'control:200\nprovider-exit:${options.probeReaches ? 0 : 28}\n'`,
      `*" run network-probe-"*) printf 'provider-exit:28\n'`,
    ),
    // Answers test.sh's requests as a freshly paid platform would: nothing pending, one invoice PAID, charged once.
    curl: script(
      `*"%{http_code}"*) echo 401`,
      `*"/rest/health"*) exit 0`,
      `*"status=PAID"*) echo '[{"id":1}]'`,
      `*"status="*) echo '[]'`,
      `*"/invoices/pay"*) echo '{}'`,
      `*"/rest/v1/charges"*) echo '[{"invoiceId":1,"result":true}]'`,
    ),
    docker: script(
      `"inspect --format {{.State.Running}} kind-registry") ${up ? 'echo true' : 'exit 1'}`,
      `"inspect --format {{json .NetworkSettings.Networks.kind}} kind-registry") echo ${up ? '{}' : 'null'}`,
    ),
    kind: script(
      `"get clusters") ${up ? 'echo billing' : 'true'}`,
      `"get nodes --name billing") echo billing-control-plane`,
    ),
    minikube: script(),
  };
  for (const [tool, text] of Object.entries(tools)) {
    if (options.omit?.includes(tool)) continue;
    await writeFile(join(dir, tool), `${text}\n`);
    await chmod(join(dir, tool), 0o755);
  }
  // Only the stand-ins and the real tools above: no docker, kind or kubectl of this machine's.
  const path = [dir, realTools].join(':');
  return { log, path, calls: async () => (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '') };
}

async function deploy(path: string, env: Record<string, string> = {}, step?: string) {
  return script('deploy/deploy.sh', path, env, step);
}

async function script(file: string, path: string, env: Record<string, string> = {}, step?: string) {
  return run('bash', [file, ...(step ? [step] : [])], {
    cwd: repoRoot,
    env: { PATH: path, HOME: process.env.HOME, TIMEOUT: '2s', ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout,
      stderr: err.stderr,
    }),
  );
}

describe('deploy/deploy.sh, dry-run against stand-ins', () => {
  const manifests = loadManifests();
  const images = manifests
    .flatMap((object) => {
      const pod = (object as { spec?: { template?: { spec?: { containers?: { image: string }[] } } } }).spec?.template
        ?.spec;
      return (pod?.containers ?? []).map((container) => container.image);
    })
    .filter((image) => /\/(invoice-app|payment-provider):/.test(image));
  const rollouts = manifests
    .filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet')
    .map((object) => `${object.metadata.namespace} ${object.kind.toLowerCase()}/${object.metadata.name}`);

  it('builds each image as the manifests name it, pushes it to the kind registry, applies dist/ and waits for every rollout', async () => {
    expect(new Set(images).size).toBe(2);
    const tools = await standIns('kind', { context: 'kind-billing' });
    const result = await deploy(tools.path);
    expect(result.code, result.stderr).toBe(0);
    const calls = await tools.calls();

    const index = (line: string) => {
      const at = calls.indexOf(line);
      expect(at, `expected the call: ${line}\nin:\n${calls.join('\n')}`).toBeGreaterThanOrEqual(0);
      return at;
    };
    for (const image of new Set(images)) {
      const app = /\/([^/:]+):/.exec(image)?.[1];
      const build = calls.findIndex(
        (call) => call.startsWith('docker build ') && call.endsWith(`--file apps/${app}/Dockerfile --tag ${image} .`),
      );
      const load = index(`docker push ${image}`);
      expect(build, `expected a docker build of ${image} in:\n${calls.join('\n')}`).toBeGreaterThanOrEqual(0);
      expect(build).toBeLessThan(load);
      expect(load).toBeLessThan(index('kubectl apply -f dist'));
    }
    const apply = index('kubectl apply -f dist');
    for (const rollout of rollouts) {
      const [namespace, workload] = rollout.split(' ');
      expect(index(`kubectl --namespace ${namespace} rollout status ${workload} --timeout=2s`)).toBeGreaterThan(apply);
    }
    expect(calls.filter((call) => / get secret /.test(call)).length).toBeGreaterThan(0);
    // Nothing is deleted or replaced, so a second run does the very same.
    expect(calls.join('\n')).not.toMatch(/\b(delete|replace|create secret)\b/);
    await writeFile(tools.log, '');
    expect((await deploy(tools.path)).code).toBe(0);
    expect(await tools.calls()).toEqual(calls);
  });

  it('on minikube, deploys images named for its registry addon and pushes them through a port-forward', async () => {
    const minikube = await standIns('minikube', { context: 'minikube' });
    const result = await deploy(minikube.path);
    expect(result.code, result.stderr).toBe(0);
    const calls = await minikube.calls();
    expect(calls).toContain('kubectl --namespace kube-system port-forward service/registry 5000:80');
    for (const app of ['invoice-app', 'payment-provider']) {
      expect(calls).toContain(`docker push localhost:5000/${app}:${version}`);
    }
    expect(calls).toContain('kubectl apply -f .tmp/deploy/dist');
  });

  it('with LOAD=node, copies the images into the nodes instead of pushing them anywhere', async () => {
    const onKind = await standIns('kind-node', { context: 'kind-billing' });
    const loaded = await deploy(onKind.path, { LOAD: 'node' }, 'load');
    expect(loaded.code, loaded.stderr).toBe(0);
    const calls = await onKind.calls();
    for (const image of new Set(images)) expect(calls).toContain(`kind load docker-image ${image} --name billing`);
    expect(calls.filter((call) => call.startsWith('docker push'))).toEqual([]);

    const onMinikube = await standIns('minikube-node', { context: 'minikube' });
    expect((await deploy(onMinikube.path, { LOAD: 'node' }, 'load')).code).toBe(0);
    const minikubeCalls = await onMinikube.calls();
    for (const app of ['invoice-app', 'payment-provider']) {
      expect(minikubeCalls.some((call) => call.startsWith('minikube image load ') && call.includes(`/${app}:`))).toBe(
        true,
      );
    }

    const remote = await standIns('remote-node', { context: 'prod-eu-1' });
    const refused = await deploy(remote.path, { LOAD: 'node' }, 'load');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/kind or minikube nodes only/);
  });

  it('pushes to the registry the manifests name on any other context', async () => {
    const remote = await standIns('remote', { context: 'prod-eu-1' });
    expect((await deploy(remote.path, {}, 'load')).code).toBe(0);
    for (const image of new Set(images)) expect(await remote.calls()).toContain(`docker push ${image}`);
  });

  it('fails with a clear message when a generated Secret never appears, showing the bootstrap logs', async () => {
    const tools = await standIns('no-secrets', { secretsExist: false });
    const result = await deploy(tools.path, {}, 'wait');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/still missing after 2s: .*billing-api-token/);
    expect(result.stderr).toMatch(/secret-bootstrap Job did not create every Secret/);
    expect((await tools.calls()).some((call) => /logs job\/secret-bootstrap/.test(call))).toBe(true);
  });

  it('stops at once when there is no cluster to load into or wait for, instead of carrying on', async () => {
    const noContext = await standIns('no-context-load', { context: null });
    const load = await deploy(noContext.path, {}, 'load');
    expect(load.code).not.toBe(0);
    expect(load.stderr).toMatch(/kubectl has no current context/);
    expect((await noContext.calls()).filter((call) => call.startsWith('docker'))).toEqual([]);

    const wait = await deploy(noContext.path, { TIMEOUT: '300s' }, 'wait');
    expect(wait.code).not.toBe(0);
    expect(wait.stderr).toMatch(/kubectl has no current context/);
    expect(wait.stderr).not.toMatch(/secret-bootstrap/);

    const unreachable = await standIns('unreachable', { unreachable: true });
    const started = Date.now();
    const blocked = await deploy(unreachable.path, { TIMEOUT: '300s' }, 'wait');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(
      /cannot read Secrets from the cluster of context 'kind-billing': The connection to the server 127\.0\.0\.1:6443 was refused/,
    );
    expect(blocked.stderr).not.toMatch(/secret-bootstrap/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('says what is missing: a tool, a cluster, a step', async () => {
    const noDocker = await standIns('no-docker', { omit: ['docker'] });
    expect((await deploy(noDocker.path, {}, 'images')).stderr).toMatch(/docker is not installed/);
    const noContext = await standIns('no-context', { context: null });
    expect((await deploy(noContext.path, {}, 'apply')).stderr).toMatch(/kubectl has no current context/);
    const result = await deploy(noContext.path, {}, 'launch');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown step 'launch'/);
  });
});

describe('deploy/test.sh, dry-run against stand-ins', () => {
  it('deletes the probe namespace it created, also when a check fails, and keeps one that existed', async () => {
    const passing = await standIns('test-passes');
    const passed = await script('deploy/test.sh', passing.path);
    expect(passed.code, passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(/All checks passed/);
    const calls = await passing.calls();
    expect(calls).toContain('kubectl create namespace billing-probe');
    expect(calls.at(-1)).toBe('kubectl delete namespace billing-probe --wait=false');

    const failing = await standIns('test-fails', { probeReaches: true });
    const failed = await script('deploy/test.sh', failing.path);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/FAILED: a pod in namespace billing-probe reached payment-provider/);
    expect(await failing.calls()).toContain('kubectl delete namespace billing-probe --wait=false');

    const existing = await standIns('test-existing-namespace', { probeNamespaceExists: true });
    expect((await script('deploy/test.sh', existing.path)).code).toBe(0);
    expect((await existing.calls()).filter((call) => /namespace billing-probe$|delete namespace/.test(call))).toEqual([
      'kubectl get namespace billing-probe',
    ]);
  });
});

describe('deploy/kind-down.sh', () => {
  it('is what make kind-down runs', async () => {
    const makefile = await readFile(join(repoRoot, 'Makefile'), 'utf8');
    expect(makefile).toMatch(/^kind-down:.*\n\tKIND_CLUSTER='\$\(KIND_CLUSTER\)' deploy\/kind-down\.sh$/m);
  });

  it('says that kind is missing, in one line, and otherwise deletes the cluster and the registry', async () => {
    const noKind = await standIns('no-kind', { omit: ['kind'] });
    const missing = await script('deploy/kind-down.sh', noKind.path);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^kind-down\.sh: kind is not installed\. Install kind: /);

    const up = await standIns('kind-down', { kindUp: true });
    const down = await script('deploy/kind-down.sh', up.path);
    expect(down.code, down.stderr).toBe(0);
    const calls = await up.calls();
    expect(calls).toContain('kind delete cluster --name billing');
    expect(calls).toContain('docker rm --force kind-registry');
  });
});

describe('deploy/kind-up.sh, dry-run against stand-ins', () => {
  it('creates the registry, the cluster and the node registry config, then only checks them', async () => {
    const fresh = await standIns('kind-fresh');
    const first = await run('bash', ['deploy/kind-up.sh'], {
      cwd: repoRoot,
      env: { PATH: fresh.path, HOME: process.env.HOME },
    });
    expect(first.stdout).toMatch(/Ready: kubectl context kind-billing/);
    const created = (await fresh.calls()).join('\n');
    expect(created).toMatch(
      /^docker run --detach --restart=always --publish 127\.0\.0\.1:5001:5000 .*--name kind-registry docker\.io\/library\/registry:2\.8\.3$/m,
    );
    expect(created).toMatch(/^kind create cluster --name billing --config=-$/m);
    expect(created).toMatch(
      /^docker exec billing-control-plane mkdir -p \/etc\/containerd\/certs\.d\/localhost:5001$/m,
    );
    expect(created).toMatch(/^docker network connect kind kind-registry$/m);
    expect(created).toMatch(/^kubectl config use-context kind-billing$/m);

    const existing = await standIns('kind-existing', { kindUp: true });
    await run('bash', ['deploy/kind-up.sh'], { cwd: repoRoot, env: { PATH: existing.path, HOME: process.env.HOME } });
    const checked = (await existing.calls()).join('\n');
    expect(checked).not.toMatch(/docker run|docker start|kind create|network connect/);
    expect(checked).toMatch(/^docker exec billing-control-plane mkdir -p /m);
  });
});
