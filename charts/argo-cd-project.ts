import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AppProject } from '../imports/argocd-appproject-argoproj.io.js';
import { objectLabels } from './labels.js';
import { waiver } from './verify-annotations.js';

/** A kind, by API group (`''` for the core group) and name. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/**
 * The kinds a team deploys into its namespace (TEAM_DEPLOYER_RULES' workload kinds). Not
 * NetworkPolicy, Ingress, RBAC, quotas or Secrets: those are the platform's, and a team's
 * application syncing one would be refused by Argo CD before it reaches the API server.
 */
export const TEAM_KINDS: GroupKind[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: '', kind: 'PersistentVolumeClaim' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'batch', kind: 'Job' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
];

/** What verify cannot see from the manifests alone about Argo CD's own objects. */
export const ARGO_CD_WAIVERS = {
  ...waiver(
    'stable-api-version',
    'Argo CD serves Application and AppProject only as argoproj.io/v1alpha1, its one and stable version.',
  ),
  ...waiver('namespaces-created-first', "Argo CD's namespace is created when Argo CD is installed, before these."),
};

/** A cluster and a namespace an application may deploy to. */
export interface Destination {
  /** The cluster's API URL as registered in Argo CD. */
  readonly server: string;
  readonly namespace: string;
}

/** Properties of an ArgoCdProject. */
export interface ArgoCdProjectProps {
  /** The project's name. */
  readonly name: string;
  /** Git repositories its applications may sync from. */
  readonly sourceRepos: string[];
  /** Where its applications may deploy: a cluster's API URL and a namespace each (or a function, called at synthesis). */
  readonly destinations: Destination[] | (() => Destination[]);
  /** Cluster-scoped kinds its applications may create (or a function, called at synthesis). @default none */
  readonly clusterKinds?: GroupKind[] | (() => GroupKind[]);
  /** Namespaced kinds its applications may create. @default TEAM_KINDS */
  readonly namespacedKinds?: GroupKind[] | 'all';
  /** One line on whose project it is. @default none */
  readonly description?: string;
  /** The namespace Argo CD runs in. @default 'argocd' */
  readonly argoNamespace?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * An Argo CD AppProject: the fence around a group of applications. Its defaults are a team's:
 * only its listed destinations, no cluster-scoped kind at all, and only the workload kinds a
 * team deploys, so an application of the team cannot create a Namespace, a ClusterRole or a
 * NetworkPolicy even if its repository holds one.
 */
export class ArgoCdProject extends Construct {
  readonly name: string;
  readonly project: AppProject;

  constructor(scope: Construct, id: string, props: ArgoCdProjectProps) {
    super(scope, id);
    if (props.sourceRepos.length === 0) {
      throw new Error(`Project ${props.name} needs at least one source repository.`);
    }
    const destinations = () => {
      const list = typeof props.destinations === 'function' ? props.destinations() : props.destinations;
      if (list.length === 0) throw new Error(`Project ${props.name} needs at least one destination.`);
      if (list.some((destination) => destination.namespace === '*')) {
        throw new Error(
          `Project ${props.name} names the namespace '*'. List each namespace its applications deploy to.`,
        );
      }
      return list.map((destination) => ({ ...destination }));
    };
    const clusterKinds = () =>
      (typeof props.clusterKinds === 'function' ? props.clusterKinds() : (props.clusterKinds ?? [])).map((kind) => ({
        ...kind,
      }));
    // Checked now when given as lists, at synthesis when given as functions.
    if (typeof props.destinations !== 'function') destinations();
    this.name = props.name;
    const namespaced = props.namespacedKinds ?? TEAM_KINDS;
    this.project = new AppProject(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.argoNamespace ?? 'argocd',
        labels: objectLabels(props.name, props.partOf),
        annotations: ARGO_CD_WAIVERS,
      },
      spec: {
        description: props.description,
        sourceRepos: [...props.sourceRepos],
        destinations: Lazy.any({ produce: destinations }),
        // An empty whitelist admits no cluster-scoped kind; leaving it out would too, but says less.
        clusterResourceWhitelist: Lazy.any({ produce: clusterKinds }),
        namespaceResourceWhitelist:
          namespaced === 'all' ? [{ group: '*', kind: '*' }] : namespaced.map((kind) => ({ ...kind })),
      },
    });
  }
}
