import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { ArgoCdApplication } from './argo-cd-application.js';
import { ArgoCdProject, type GroupKind } from './argo-cd-project.js';

/** One environment Argo CD keeps in sync. */
export interface GitOpsEnvironment {
  /** The Application's name, e.g. `billing-prod`. */
  readonly name: string;
  /** Its folder in the repository, e.g. `dist/prod`. */
  readonly path: string;
  /** The branch it follows, e.g. `main` for dev and `production` for prod. */
  readonly targetRevision: string;
  /** Its cluster's API URL as registered in Argo CD. @default the cluster Argo CD runs in */
  readonly server?: string;
}

/** Properties of GitOps. */
export interface GitOpsProps {
  /** The Git repository that holds `dist/`. */
  readonly repoUrl: string;
  /** The environments, each an Application. */
  readonly environments: GitOpsEnvironment[];
  /** The teams, each with a project of its own fenced to its namespace. */
  readonly teams: { readonly name: string; readonly namespace: string }[];
  /** The objects the environments sync: the platform project admits exactly their namespaces and cluster-scoped kinds. */
  readonly scope: IConstruct;
  /** The namespace Argo CD runs in. @default 'argocd' */
  readonly argoNamespace?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * How changes reach the clusters (docs/production.md): a `billing-platform` AppProject whose
 * applications sync the environments' folders, admitting exactly the namespaces and
 * cluster-scoped kinds the manifests hold (computed at synthesis, so a new team or kind shows
 * up as a change to the project in review); one Application per environment; and one
 * AppProject per team for the team's own applications, fenced to its namespace.
 */
export class GitOps extends Construct {
  readonly platformProject: ArgoCdProject;
  readonly teamProjects: ArgoCdProject[];
  readonly applications: ArgoCdApplication[];

  constructor(scope: Construct, id: string, props: GitOpsProps) {
    super(scope, id);
    const argoNamespace = props.argoNamespace ?? 'argocd';
    const servers = [...new Set(props.environments.map((environment) => environment.server ?? IN_CLUSTER))];
    const synthesized = () =>
      props.scope.node.findAll().filter((construct): construct is ApiObject => construct instanceof ApiObject);
    this.platformProject = new ArgoCdProject(this, 'Platform', {
      name: 'billing-platform',
      description: 'The platform’s own environments: every namespace and cluster-scoped object in dist/.',
      sourceRepos: [props.repoUrl],
      destinations: () => {
        const namespaces = new Set(synthesized().flatMap((o) => (o.metadata.namespace ? [o.metadata.namespace] : [])));
        return servers.flatMap((server) => [...namespaces].sort().map((namespace) => ({ server, namespace })));
      },
      clusterKinds: () => {
        const kinds = new Map<string, GroupKind>();
        for (const object of synthesized().filter((o) => !o.metadata.namespace)) {
          const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
          kinds.set(`${group}/${object.kind}`, { group, kind: object.kind });
        }
        return [...kinds.values()].sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`));
      },
      namespacedKinds: 'all',
      argoNamespace,
      partOf: props.partOf,
    });
    this.teamProjects = props.teams.map(
      (team) =>
        new ArgoCdProject(this, `Team-${team.name}`, {
          name: team.name,
          description: `Team ${team.name}'s own applications: its namespace, its workload kinds.`,
          sourceRepos: [props.repoUrl],
          destinations: servers.map((server) => ({ server, namespace: team.namespace })),
          argoNamespace,
          partOf: props.partOf,
        }),
    );
    this.applications = props.environments.map(
      (environment) =>
        new ArgoCdApplication(this, environment.name, {
          name: environment.name,
          project: this.platformProject,
          repoUrl: props.repoUrl,
          targetRevision: environment.targetRevision,
          path: environment.path,
          server: environment.server,
          argoNamespace,
          partOf: props.partOf,
        }),
    );
  }
}
