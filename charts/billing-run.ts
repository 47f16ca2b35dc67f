import type { Cron } from 'cdk8s';
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { SecretKeyRef } from './generated-secret.js';
import { IMAGE_PULL_POLICY, PINNED_IMAGES, type Image } from './image.js';
import { DEFAULT_PART_OF, selectorLabels, workloadLabels } from './labels.js';
import { NetworkPeer, WorkloadNetworkPolicy, type INetworkEndpoint } from './network-policy.js';
import {
  addRuntimeDefaultSeccomp,
  HELPER_USER_ID,
  restrictedContainerSecurity,
  restrictedPodSecurity,
} from './pod-security.js';
import type { Microservice } from './microservice.js';
import { containerResources } from './resources.js';

const RUN_AS = { user: HELPER_USER_ID };

/** Properties of a BillingRun. */
export interface BillingRunProps {
  /** The namespace it runs in (the invoice service's). */
  readonly namespace: string;
  /** The invoice service whose pay endpoint it calls. */
  readonly invoiceApp: Microservice;
  /** The Secret key with the bearer token the pay endpoint requires. */
  readonly token: SecretKeyRef;
  /** When it runs, in UTC. */
  readonly schedule: Cron;
  /** The CronJob's name. @default the construct id */
  readonly name?: string;
  /** How long one pay call may take; the endpoint answers only when the run is finished. @default 30 minutes */
  readonly timeout?: Duration;
  /** A pinned image with curl. @default PINNED_IMAGES.curl */
  readonly image?: Image;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A scheduled billing run: a CronJob that calls `POST /rest/v1/invoices/pay` with the
 * billing token and prints the run's summary. Runs never overlap (`Forbid`), and one that
 * starts late (the controller was down) still starts within six hours. Calling pay again is
 * safe, since each invoice is charged at most once, so curl retries transient failures.
 */
export class BillingRun extends Construct implements INetworkEndpoint {
  readonly name: string;
  readonly cronJob: kplus.CronJob;
  readonly networkPolicy: WorkloadNetworkPolicy;
  readonly peer: NetworkPeer;

  constructor(scope: Construct, id: string, props: BillingRunProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const labels = workloadLabels(this.name, 'billing-run', props.partOf ?? DEFAULT_PART_OF);
    const timeout = props.timeout ?? Duration.minutes(30);
    const token = kplus.Secret.fromSecretName(this, 'Token', props.token.secret);

    // First, so that pods never start before the rules that let them work.
    this.networkPolicy = new WorkloadNetworkPolicy(this, 'NetworkPolicy', {
      name: this.name,
      namespace: props.namespace,
      podLabels: selectorLabels(this.name),
    });
    this.peer = NetworkPeer.pods(props.namespace, selectorLabels(this.name));

    this.cronJob = new kplus.CronJob(this, 'CronJob', {
      metadata: { name: this.name, namespace: props.namespace, labels },
      podMetadata: { labels },
      schedule: props.schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.hours(6),
      successfulJobsRetained: 3,
      failedJobsRetained: 3,
      backoffLimit: 2,
      activeDeadline: Duration.minutes(timeout.toMinutes() + 15),
      // Its own account rather than the namespace's default, and no token: it never calls the API.
      serviceAccount: new kplus.ServiceAccount(this, 'ServiceAccount', {
        metadata: { name: this.name, namespace: props.namespace, labels },
        automountToken: false,
      }),
      automountServiceAccountToken: false,
      securityContext: restrictedPodSecurity(RUN_AS),
      containers: [
        {
          name: 'pay',
          image: (props.image ?? PINNED_IMAGES.curl).reference,
          imagePullPolicy: IMAGE_PULL_POLICY,
          command: ['curl'],
          args: [
            '--fail-with-body',
            '--silent',
            '--show-error',
            '--max-time',
            String(timeout.toSeconds()),
            '--retry',
            '5',
            '--retry-delay',
            '10',
            '--retry-connrefused',
            '--request',
            'POST',
            // Kubernetes expands $(VAR) from the container's environment; no shell is involved.
            '--header',
            'Authorization: Bearer $(BILLING_API_TOKEN)',
            `${props.invoiceApp.url}/rest/v1/invoices/pay`,
          ],
          envVariables: { BILLING_API_TOKEN: kplus.EnvValue.fromSecretValue({ secret: token, key: props.token.key }) },
          resources: containerResources(undefined, {
            cpuRequestMillis: 10,
            cpuLimitMillis: 100,
            memoryRequestMebibytes: 16,
            memoryLimitMebibytes: 64,
          }),
          securityContext: restrictedContainerSecurity(RUN_AS),
        },
      ],
    });
    addRuntimeDefaultSeccomp(this.cronJob);

    props.invoiceApp.allowFrom(this);
  }
}
