import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { KubeLimitRange, KubeNetworkPolicy, KubeResourceQuota, Quantity } from '../imports/k8s.js';
import { DEFAULT_PART_OF, MANAGED_BY_LABEL, PART_OF_LABEL } from './labels.js';
import { ClusterDns } from './cluster-dns.js';
import {
  connectionsAnnotation,
  declaredConnections,
  type DeclaredConnection,
  type IDeclaresConnections,
} from './declared-connections.js';
import { connection, NetworkPeer } from './network-policy.js';
import { CONNECTIONS } from './verify-annotations.js';

/** How much a namespace may use in total. */
export interface NamespaceQuota {
  /** Sum of the CPU requests of all pods. @default '4' */
  readonly requestsCpu?: string;
  /** Sum of the memory requests of all pods. @default '4Gi' */
  readonly requestsMemory?: string;
  /** Sum of the CPU limits of all pods. @default '8' */
  readonly limitsCpu?: string;
  /** Sum of the memory limits of all pods. @default '8Gi' */
  readonly limitsMemory?: string;
  /** Number of pods, counting rollout surges and job pods. @default 30 */
  readonly pods?: number;
  /** Number of persistent volume claims. @default 4 */
  readonly persistentVolumeClaims?: number;
  /** Sum of the storage all claims request. @default '20Gi' */
  readonly requestsStorage?: string;
}

/** Requests and limits given to a container that names none. */
export interface ContainerDefaults {
  /** @default '50m' */
  readonly cpuRequest?: string;
  /** @default '64Mi' */
  readonly memoryRequest?: string;
  /** @default '500m' */
  readonly cpuLimit?: string;
  /** @default '256Mi' */
  readonly memoryLimit?: string;
  /** The most one container may ask for. @default '2' */
  readonly cpuMax?: string;
  /** @default '2Gi' */
  readonly memoryMax?: string;
}

/** Properties of a SecureNamespace. */
export interface SecureNamespaceProps {
  /** The namespace's name. */
  readonly name: string;
  /** Total resources the namespace may use. @default see NamespaceQuota */
  readonly quota?: NamespaceQuota;
  /** Per-container defaults and maximum. @default see ContainerDefaults */
  readonly containerDefaults?: ContainerDefaults;
  /** Where pods resolve names. @default ClusterDns.kubeDns() */
  readonly dns?: ClusterDns;
  /** The Kubernetes minor whose restricted profile is enforced; pinned so upgrades never reject running pods. @default 'v1.27' */
  readonly podSecurityVersion?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A namespace that is safe before anything is deployed into it: the restricted Pod Security
 * profile is enforced, a quota bounds its total use, a LimitRange gives containers without
 * requests sane ones, and every pod is isolated (ingress and egress denied) except for DNS.
 * Workloads then allow exactly the traffic they need.
 */
export class SecureNamespace extends Construct implements IDeclaresConnections {
  /** The namespace's name. */
  readonly name: string;
  private readonly dns: ClusterDns;

  constructor(scope: Construct, id: string, props: SecureNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    this.dns = props.dns ?? ClusterDns.kubeDns();
    const version = props.podSecurityVersion ?? 'v1.27';
    const labels = { [PART_OF_LABEL]: props.partOf ?? DEFAULT_PART_OF, [MANAGED_BY_LABEL]: 'cdk8s' };
    const namespace = new kplus.Namespace(this, 'Namespace', {
      metadata: {
        name: props.name,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': version,
          // Warn and audit against the newest rules, so tightening shows up before it is enforced.
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
        },
        annotations: {
          // Rendered at synthesis, when every connection of the app has been declared.
          [CONNECTIONS]: Lazy.any({
            produce: () => connectionsAnnotation(declaredConnections(this), props.name),
          }) as unknown as string,
        },
      },
    });
    const metadata = (name: string) => ({ name, namespace: props.name, labels });

    const quota = props.quota ?? {};
    const quantity = Quantity.fromString;
    new KubeResourceQuota(this, 'Quota', {
      metadata: metadata('quota'),
      spec: {
        hard: {
          'requests.cpu': quantity(quota.requestsCpu ?? '4'),
          'requests.memory': quantity(quota.requestsMemory ?? '4Gi'),
          'limits.cpu': quantity(quota.limitsCpu ?? '8'),
          'limits.memory': quantity(quota.limitsMemory ?? '8Gi'),
          pods: quantity(String(quota.pods ?? 30)),
          persistentvolumeclaims: quantity(String(quota.persistentVolumeClaims ?? 4)),
          'requests.storage': quantity(quota.requestsStorage ?? '20Gi'),
          // Exposure goes through the shared ingress controller, never a node port or cloud load balancer.
          'services.loadbalancers': quantity('0'),
          'services.nodeports': quantity('0'),
        },
      },
    }).addDependency(namespace);

    const defaults = props.containerDefaults ?? {};
    new KubeLimitRange(this, 'Limits', {
      metadata: metadata('container-defaults'),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: {
              cpu: quantity(defaults.cpuRequest ?? '50m'),
              memory: quantity(defaults.memoryRequest ?? '64Mi'),
            },
            default: { cpu: quantity(defaults.cpuLimit ?? '500m'), memory: quantity(defaults.memoryLimit ?? '256Mi') },
            max: { cpu: quantity(defaults.cpuMax ?? '2'), memory: quantity(defaults.memoryMax ?? '2Gi') },
          },
        ],
      },
    }).addDependency(namespace);

    new KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: metadata('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    }).addDependency(namespace);

    new KubeNetworkPolicy(this, 'AllowDns', {
      metadata: metadata('allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          { to: this.dns.peers.map((peer) => peer.toSpec()), ports: this.dns.ports.map((port) => port.toSpec()) },
        ],
      },
    }).addDependency(namespace);
  }

  /** Every pod of the namespace may ask the cluster DNS. */
  get connectionsDeclared(): Omit<DeclaredConnection, 'declaredBy'>[] {
    const pods = NetworkPeer.allPods(this.name);
    return this.dns.peers.flatMap((peer) => this.dns.ports.map((port) => connection(pods, peer, port)));
  }
}
