import { Duration, type Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { SecretKeyRef } from './generated-secret.js';
import { HardenedPod } from './hardened-pod.js';
import { PINNED_IMAGES, type Image } from './image.js';
import { DEFAULT_PART_OF, workloadLabels } from './labels.js';
import type { INetworkEndpoint, NetworkPeer, WorkloadNetworkPolicy } from './network-policy.js';
import { HELPER_USER_ID } from './pod-security.js';
import { containerResources, type ResourceSizes } from './resources.js';

/** A service that scheduled calls can target: where it answers, and how to let a client in. */
export interface IHttpTarget extends INetworkEndpoint {
  /** The namespace its pods run in. */
  readonly namespace: string;
  /** Its base URL inside the cluster, e.g. `http://invoice-app.invoices.svc:8000`. */
  readonly url: string;
  /** Opens the network path from the client's pods to it. */
  allowFrom(client: INetworkEndpoint): void;
}

/** What a CallClient's container needs to know about one call. */
interface CallSpec {
  readonly target: IHttpTarget;
  readonly method: string;
  readonly path: string;
  readonly timeout: Duration;
  readonly token?: kplus.EnvValue;
}

/** How the job makes the call: which image and command, as which user, with which resources. */
export class CallClient {
  /**
   * curl from a pinned image: one request that fails on an HTTP error, with bounded retries
   * (5, 10 s apart) of refused and timed-out connections, since a policy engine programs a
   * new pod's rules up to a few seconds after it starts. The call must be safe to repeat.
   */
  static curl(image: Image = PINNED_IMAGES.curl): CallClient {
    return new CallClient(image, HELPER_USER_ID, SMALL, (call) => ({
      command: ['curl'],
      args: [
        '--fail-with-body',
        '--silent',
        '--show-error',
        '--max-time',
        String(call.timeout.toSeconds()),
        '--retry',
        '5',
        '--retry-delay',
        '10',
        '--retry-connrefused',
        '--request',
        call.method,
        // Kubernetes expands $(VAR) from the container's environment; no shell is involved.
        ...(call.token ? ['--header', 'Authorization: Bearer $(API_TOKEN)'] : []),
        `${call.target.url}${call.path}`,
      ],
      envVariables: call.token ? { API_TOKEN: call.token } : undefined,
    }));
  }

  /**
   * A command of its own image that finds the target's base URL in `urlVariable` and the bearer
   * token in `tokenVariable`, e.g. a CLI shipped in the service's image.
   */
  static command(options: CommandClientOptions): CallClient {
    return new CallClient(options.image, options.user ?? HELPER_USER_ID, options.resources ?? SMALL, (call) => ({
      command: options.command,
      envVariables: {
        ...Object.fromEntries(
          Object.entries(options.env ?? {}).map(([name, value]) => [name, kplus.EnvValue.fromValue(value)]),
        ),
        [options.urlVariable]: kplus.EnvValue.fromValue(call.target.url),
        ...(call.token ? { [options.tokenVariable]: call.token } : {}),
      },
    }));
  }

  private constructor(
    /** The image the job runs. */
    readonly image: Image,
    /** The fixed non-root UID the image runs as. */
    readonly user: number,
    /** The container's CPU and memory. */
    readonly resources: Required<ResourceSizes>,
    private readonly render: (call: CallSpec) => Pick<kplus.ContainerProps, 'command' | 'args' | 'envVariables'>,
  ) {}

  /** The command, arguments and variables of the container that makes `call`. */
  containerFor(call: CallSpec): Pick<kplus.ContainerProps, 'command' | 'args' | 'envVariables'> {
    return this.render(call);
  }
}

const SMALL = { cpuRequestMillis: 10, cpuLimitMillis: 100, memoryRequestMebibytes: 16, memoryLimitMebibytes: 64 };

/** Options of CallClient.command. */
export interface CommandClientOptions {
  /** The image with the command, pinned. */
  readonly image: Image;
  /** The command and its arguments. */
  readonly command: string[];
  /** The variable the command reads the target's base URL from. */
  readonly urlVariable: string;
  /** The variable the command reads the bearer token from. */
  readonly tokenVariable: string;
  /** More variables, as literal values. @default none */
  readonly env?: Record<string, string>;
  /** The fixed non-root UID the image runs as. @default HELPER_USER_ID */
  readonly user?: number;
  /** CPU and memory. @default requests 10m and 16Mi, limits 100m and 64Mi */
  readonly resources?: Required<ResourceSizes>;
}

/** Properties of a ScheduledCall. */
export interface ScheduledCallProps {
  /** The service it calls. */
  readonly target: IHttpTarget;
  /** When it runs, in UTC. */
  readonly schedule: Cron;
  /** The path below the target's URL. @default '/' */
  readonly path?: string;
  /** The HTTP method. @default 'POST' */
  readonly method?: string;
  /** The Secret key with the bearer token the target requires. @default no Authorization header */
  readonly token?: SecretKeyRef;
  /** How the call is made. @default CallClient.curl() */
  readonly client?: CallClient;
  /** The CronJob's name. @default the construct id */
  readonly name?: string;
  /** How long one call may take. @default 30 minutes */
  readonly timeout?: Duration;
  /** The namespace the job runs in. @default the target's */
  readonly namespace?: string;
  /** Value of `app.kubernetes.io/component`. @default 'scheduled-call' */
  readonly component?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * An HTTP call on a schedule: a CronJob whose pod calls a service once and exits non-zero if
 * the call fails. Calls never overlap (`Forbid`), and one that starts late (the controller was
 * down) still starts within six hours. The job's pod reaches the target on its port and
 * nothing else; it never talks to the Kubernetes API.
 */
export class ScheduledCall extends Construct implements INetworkEndpoint {
  readonly name: string;
  readonly cronJob: kplus.CronJob;
  readonly networkPolicy: WorkloadNetworkPolicy;
  readonly peer: NetworkPeer;

  constructor(scope: Construct, id: string, props: ScheduledCallProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const namespace = props.namespace ?? props.target.namespace;
    const path = props.path ?? '/';
    if (!path.startsWith('/')) throw new Error(`Path '${path}' must start with '/'. Did you mean '/${path}'?`);
    const client = props.client ?? CallClient.curl();
    const labels = workloadLabels(this.name, props.component ?? 'scheduled-call', props.partOf ?? DEFAULT_PART_OF);
    const timeout = props.timeout ?? Duration.minutes(30);
    const pod = new HardenedPod(this, 'Pod', { name: this.name, namespace, labels, runAs: { user: client.user } });
    this.networkPolicy = pod.networkPolicy;
    this.peer = pod.peer;
    const token = props.token
      ? kplus.EnvValue.fromSecretValue({
          secret: kplus.Secret.fromSecretName(this, 'Token', props.token.secret),
          key: props.token.key,
        })
      : undefined;

    this.cronJob = new kplus.CronJob(this, 'CronJob', {
      ...pod.podProps,
      metadata: { name: this.name, namespace, labels },
      schedule: props.schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.hours(6),
      successfulJobsRetained: 3,
      failedJobsRetained: 3,
      backoffLimit: 2,
      activeDeadline: Duration.minutes(timeout.toMinutes() + 15),
      containers: [
        pod.container({
          name: 'call',
          image: client.image.reference,
          ...client.containerFor({ target: props.target, method: props.method ?? 'POST', path, timeout, token }),
          resources: containerResources(undefined, client.resources),
        }),
      ],
    });
    pod.harden(this.cronJob);
    props.target.allowFrom(this);
  }
}
