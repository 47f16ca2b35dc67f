import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IMAGE_PULL_POLICY } from './image.js';
import { selectorLabels } from './labels.js';
import { NetworkPeer, WorkloadNetworkPolicy, type INetworkEndpoint } from './network-policy.js';
import {
  addRuntimeDefaultSeccomp,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  type PodTemplateOwner,
  type RunAs,
} from './pod-security.js';

/** Properties of a HardenedPod. */
export interface HardenedPodProps {
  /** The workload's name: of its network policy and ServiceAccount, and its pods' `app.kubernetes.io/name`. */
  readonly name: string;
  /** The namespace the pods run in. */
  readonly namespace: string;
  /** The labels of the pods (and of the ServiceAccount). */
  readonly labels: Record<string, string>;
  /** The fixed non-root ids the pods run as. */
  readonly runAs: RunAs;
  /** Whether the pods get a ServiceAccount token (only for a pod that calls the Kubernetes API). @default false */
  readonly mountToken?: boolean;
  /** Size of the writable /tmp every container gets (the root filesystem is read-only), in MiB. @default 64 */
  readonly tmpSizeMebibytes?: number;
}

/**
 * What every pod template of the platform is made of, written once: a network policy that
 * isolates the pods (created first, so that no pod starts before the rules that let it work),
 * a ServiceAccount of its own without a token, the restricted Pod Security profile (fixed
 * non-root ids, read-only root, no capabilities, RuntimeDefault seccomp), a writable /tmp and
 * pinned images pulled as IMAGE_PULL_POLICY says. A workload spreads `podProps` into its props,
 * passes each container through `container()` and then calls `harden()` on itself.
 */
export class HardenedPod extends Construct implements INetworkEndpoint {
  readonly name: string;
  readonly namespace: string;
  readonly networkPolicy: WorkloadNetworkPolicy;
  readonly peer: NetworkPeer;
  readonly serviceAccount: kplus.ServiceAccount;
  /** The pod-level props: ServiceAccount, token mount, security context and pod labels. */
  readonly podProps: {
    readonly serviceAccount: kplus.ServiceAccount;
    readonly automountServiceAccountToken: boolean;
    readonly securityContext: kplus.PodSecurityContextProps;
    readonly podMetadata: { readonly labels: Record<string, string> };
  };
  private readonly runAs: RunAs;
  private readonly tmp: kplus.Volume;

  constructor(scope: Construct, id: string, props: HardenedPodProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.runAs = props.runAs;
    this.networkPolicy = new WorkloadNetworkPolicy(this, 'NetworkPolicy', {
      name: props.name,
      namespace: props.namespace,
      podLabels: selectorLabels(props.name),
    });
    this.peer = NetworkPeer.pods(props.namespace, selectorLabels(props.name));
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      automountToken: false,
    });
    this.podProps = {
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: props.mountToken ?? false,
      securityContext: restrictedPodSecurity(props.runAs),
      podMetadata: { labels: props.labels },
    };
    this.tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp', {
      sizeLimit: Size.mebibytes(props.tmpSizeMebibytes ?? 64),
    });
  }

  /** The container with the restricted security context, the pull policy and /tmp added. */
  container(props: kplus.ContainerProps): kplus.ContainerProps {
    return {
      ...props,
      imagePullPolicy: IMAGE_PULL_POLICY,
      securityContext: restrictedContainerSecurity(this.runAs),
      volumeMounts: [...(props.volumeMounts ?? []), { path: '/tmp', volume: this.tmp }],
    };
  }

  /** Adds what cdk8s-plus cannot express (the seccomp profile) to the workload's pod template. */
  harden(workload: PodTemplateOwner): void {
    addRuntimeDefaultSeccomp(workload);
  }
}
