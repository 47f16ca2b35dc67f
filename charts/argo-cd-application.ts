import { Construct } from 'constructs';
import { Application } from '../imports/argocd-application-argoproj.io.js';
import type { ArgoCdProject } from './argo-cd-project.js';
import { ARGO_CD_WAIVERS } from './argo-cd-project.js';
import { objectLabels } from './labels.js';

/** Properties of an ArgoCdApplication. */
export interface ArgoCdApplicationProps {
  /** The application's name. */
  readonly name: string;
  /** The project that fences it. */
  readonly project: ArgoCdProject;
  /** The Git repository with the synthesized manifests. */
  readonly repoUrl: string;
  /** The branch, tag or commit it follows. */
  readonly targetRevision: string;
  /** The folder of manifests, e.g. `dist` or `dist/prod` (its subfolders are not included). */
  readonly path: string;
  /** The cluster's API URL. @default the cluster Argo CD runs in */
  readonly server?: string;
  /** Whether Argo CD syncs on its own when the revision moves, and reverts changes made by hand. @default true */
  readonly automated?: boolean;
  /** The namespace Argo CD runs in. @default 'argocd' */
  readonly argoNamespace?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * An Argo CD Application that keeps one environment's folder of `dist/` applied: what is in Git
 * at the revision is what runs. Sync is automated with pruning (an object removed from Git is
 * removed from the cluster, last) and self-heal (a change made by hand is reverted), and failed
 * syncs are retried with backoff. Objects come in the order of their sync waves (SyncWaves).
 */
export class ArgoCdApplication extends Construct {
  readonly application: Application;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    if (props.path.startsWith('/') || props.path.split('/').includes('..')) {
      throw new Error(`Path '${props.path}' must be relative to the repository root, e.g. dist/prod.`);
    }
    const automated = props.automated ?? true;
    this.application = new Application(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.argoNamespace ?? 'argocd',
        labels: objectLabels(props.name, props.partOf),
        annotations: ARGO_CD_WAIVERS,
      },
      spec: {
        project: props.project.name,
        source: {
          repoUrl: props.repoUrl,
          targetRevision: props.targetRevision,
          path: props.path,
          directory: { recurse: false },
        },
        destination: { server: props.server ?? 'https://kubernetes.default.svc' },
        syncPolicy: {
          automated: automated ? { prune: true, selfHeal: true } : undefined,
          syncOptions: ['PruneLast=true', 'ApplyOutOfSyncOnly=true'],
          retry: { limit: 5, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
        },
      },
    });
  }
}
