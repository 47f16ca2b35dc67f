import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Cron, Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { KubeConfigMap, KubeRole } from '../imports/k8s.js';
import { GeneratedSecret } from './generated-secret.js';
import { HardenedPod } from './hardened-pod.js';
import { IMAGE_PULL_POLICY, PINNED_IMAGES, type Image } from './image.js';
import { DEFAULT_PART_OF, workloadLabels } from './labels.js';
import { NetworkPeer, NetworkPolicyPort } from './network-policy.js';
import { HELPER_USER_ID } from './pod-security.js';
import { containerResources } from './resources.js';
import { CREATED_AT_DEPLOY, secretsCreatedAtDeploy, waiver } from './verify-annotations.js';

const NAME = 'secret-bootstrap';
const SCRIPT = readFileSync(new URL('./bootstrap-secrets.mjs', import.meta.url), 'utf8');

/** Properties of a SecretBootstrap. */
export interface SecretBootstrapProps {
  /** The platform namespace the jobs run in; no team may deploy there. */
  readonly namespace: string;
  /** A Node image (the script needs nothing else). @default PINNED_IMAGES.node */
  readonly image?: Image;
  /** When the reconciling CronJob runs, to create secrets declared after the first apply. @default hourly at minute 17 */
  readonly schedule?: Cron;
  /** Where the API server is, for the egress rule. @default anywhere (0.0.0.0/0): its address differs per cluster */
  readonly apiServer?: NetworkPeer;
  /** The ports the API server answers on after the Service's DNAT (443; 6443 on kind; 8443 on minikube). @default [443, 6443, 8443] */
  readonly apiServerPorts?: number[];
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * Creates, from inside the cluster, every GeneratedSecret of the app that does not exist
 * yet, and never overwrites one, so that `kubectl apply -f dist` alone yields a working
 * system while `dist/` holds no secret value. A Job does it on first apply; a CronJob
 * repeats it hourly, so Secrets declared later (a new service) appear without anyone
 * re-running the Job. Pods that need a Secret wait for it in CreateContainerConfigError.
 *
 * The ServiceAccount may `get` exactly the named Secrets and `create` Secrets only in the
 * namespaces it serves (`create` cannot be limited by name in RBAC: the name is in the
 * request body). It lives in its own namespace, so no team can run a pod as it.
 */
export class SecretBootstrap extends Construct {
  /** The namespace the jobs run in. */
  readonly namespace: string;
  private readonly served = new Set<string>();
  private readonly pod: HardenedPod;
  private readonly job: kplus.Job;
  private readonly cronJob: kplus.CronJob;
  private readonly partOf: string;

  constructor(scope: Construct, id: string, props: SecretBootstrapProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.partOf = props.partOf ?? DEFAULT_PART_OF;
    const labels = workloadLabels(NAME, 'secret-bootstrap', this.partOf);
    const metadata = { name: NAME, namespace: this.namespace, labels };

    // Everything the pod template is made of, as plain data: its hash names the Job.
    const template = {
      image: (props.image ?? PINNED_IMAGES.node).reference,
      pullPolicy: IMAGE_PULL_POLICY,
      command: ['node', '/bootstrap/bootstrap-secrets.mjs', '/bootstrap/secrets.json'],
      runAs: { user: HELPER_USER_ID },
      tmpSizeMebibytes: 64,
      resources: { cpuRequestMillis: 50, cpuLimitMillis: 200, memoryRequestMebibytes: 64, memoryLimitMebibytes: 128 },
    };
    // The one pod of the platform that talks to the API server.
    this.pod = new HardenedPod(this, 'Pod', {
      name: NAME,
      namespace: this.namespace,
      labels,
      runAs: template.runAs,
      mountToken: true,
      tmpSizeMebibytes: template.tmpSizeMebibytes,
    });
    const apiPorts = (props.apiServerPorts ?? [443, 6443, 8443]).map((port) => NetworkPolicyPort.tcp(port));
    this.pod.networkPolicy.allowEgress(props.apiServer ?? NetworkPeer.cidr('0.0.0.0/0'), ...apiPorts);
    // What the Job runs: the script and the list of Secrets, known only once every one is declared.
    const spec = () => ({
      'bootstrap-secrets.mjs': SCRIPT,
      'secrets.json': `${JSON.stringify({ partOf: this.partOf, secrets: this.secrets().map((s) => s.toSpec()) }, null, 2)}\n`,
    });
    new KubeConfigMap(this, 'Spec', { metadata, data: Lazy.any({ produce: spec }) });

    const container = this.pod.container({
      name: 'bootstrap',
      image: template.image,
      command: template.command,
      resources: containerResources(undefined, template.resources),
      volumeMounts: [
        {
          path: '/bootstrap',
          readOnly: true,
          volume: kplus.Volume.fromConfigMap(this, 'Volume', kplus.ConfigMap.fromConfigMapName(this, 'SpecRef', NAME), {
            name: 'bootstrap',
          }),
        },
      ],
    });
    const mountsToken = waiver(
      'service-account-token-automount',
      'creates the platform Secrets through the Kubernetes API',
    );
    const pod = { ...this.pod.podProps, containers: [container] };

    // A Job's pod template is immutable, and a finished Job never runs again: a new template or a
    // new list of Secrets gets a new Job, which the next apply runs, never a failed apply.
    const jobName = () =>
      `${NAME}-${createHash('sha256')
        .update(JSON.stringify({ template, spec: spec() }))
        .digest('hex')
        .slice(0, 8)}`;
    this.job = new kplus.Job(this, 'Job', {
      ...pod,
      metadata: {
        ...metadata,
        // Lazy: the name is rendered at synthesis, when the list is complete.
        name: Lazy.any({ produce: jobName }) as unknown as string,
        annotations: {
          ...mountsToken,
          [CREATED_AT_DEPLOY]: Lazy.any({
            produce: () =>
              secretsCreatedAtDeploy(
                this.secrets().flatMap((secret) =>
                  secret.namespaces.map((namespace) => ({ namespace, name: secret.name })),
                ),
              ),
          }),
        },
      },
      backoffLimit: 10,
      activeDeadline: Duration.minutes(30),
    });
    this.cronJob = new kplus.CronJob(this, 'CronJob', {
      ...pod,
      metadata: { ...metadata, annotations: mountsToken },
      schedule: props.schedule ?? Cron.schedule({ minute: '17' }),
      timeZone: 'Etc/UTC',
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.minutes(30),
      successfulJobsRetained: 1,
      failedJobsRetained: 3,
      backoffLimit: 3,
      activeDeadline: Duration.minutes(10),
    });
    for (const workload of [this.job, this.cronJob]) this.pod.harden(workload);

    this.node.addValidation({ validate: () => this.validateSecrets() });
  }

  /**
   * Lets the bootstrap create Secrets in `namespace` and read the named ones there. Each
   * namespace that holds a GeneratedSecret must be served.
   */
  serve(namespace: string): void {
    if (this.served.has(namespace)) return;
    this.served.add(namespace);
    const labels = workloadLabels(NAME, 'secret-bootstrap', this.partOf);
    const metadata = { name: NAME, namespace, labels };
    const role = new KubeRole(this, `Role-${namespace}`, {
      metadata,
      rules: Lazy.any({
        produce: () => {
          const names = this.secrets()
            .filter((secret) => secret.namespaces.includes(namespace))
            .map((secret) => secret.name);
          return [
            ...(names.length > 0
              ? [{ apiGroups: [''], resources: ['secrets'], resourceNames: names, verbs: ['get'] }]
              : []),
            { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
          ];
        },
      }),
    });
    const binding = new kplus.RoleBinding(this, `Binding-${namespace}`, {
      metadata: {
        ...metadata,
        annotations: waiver(
          'rbac-secret-read',
          'gets only the Secrets it creates, by name, to copy a shared one into each namespace that needs it',
        ),
      },
      role: kplus.Role.fromRoleName(this, `RoleRef-${namespace}`, role.name),
    });
    binding.addSubjects(this.pod.serviceAccount);
    // Applied before the jobs, so that their first pod already has its rights.
    for (const workload of [this.job, this.cronJob]) workload.node.addDependency(role, binding);
  }

  /** Every GeneratedSecret in the app, in a stable order. */
  private secrets(): GeneratedSecret[] {
    return this.node.root.node
      .findAll()
      .filter(GeneratedSecret.isGeneratedSecret)
      .sort((a, b) => a.node.path.localeCompare(b.node.path));
  }

  private validateSecrets(): string[] {
    const errors: string[] = [];
    const seen = new Map<string, string>();
    for (const secret of this.secrets()) {
      for (const namespace of secret.namespaces) {
        if (!this.served.has(namespace)) {
          errors.push(
            `Secret '${secret.name}' is in namespace '${namespace}', which the secret bootstrap does not serve. Call serve('${namespace}') on it (BillingPlatform.addTeam does).`,
          );
        }
        const key = `${namespace}/${secret.name}`;
        const other = seen.get(key);
        if (other !== undefined) {
          errors.push(
            `Secret '${key}' is declared twice (${other} and ${secret.node.path}). Give one of them another name.`,
          );
        }
        seen.set(key, secret.node.path);
      }
    }
    return errors;
  }
}
