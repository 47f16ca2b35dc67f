import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../verify/cluster.js';
import { loadManifests, manifestFolders } from '../../verify/manifest.js';
import type { Request, SubjectRef } from '../../verify/rbac.js';
import { Rbac } from '../../verify/rbac.js';
import { Reachability } from '../../verify/reachability.js';
import { formatReport } from '../../verify/report.js';
import { verify } from '../../verify/verify.js';

// The committed manifests, each environment (dist/ is dev, dist/prod/ is prod) as one cluster.
// This is `npm test`'s run of `npm run verify`: the same verify() over the same folders.
const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const ENVIRONMENTS = manifestFolders(DIST).map((folder) => ({
  name: folder === DIST ? 'dev' : folder.slice(DIST.length + 1),
  manifests: loadManifests([folder]),
}));

/** Job names carry a content hash (secret-bootstrap-336b8798): the flows name them without it. */
const withoutHash = (id: string) => id.replace(/-[0-9a-f]{8}$/, '-<hash>');

const DNS = 'kube-system/{k8s-app=kube-dns} 53/TCP,53/UDP';
const API_SERVER = '443/TCP,6443/TCP,8443/TCP';
const DATABASE_FLOWS: Record<string, string[]> = {
  dev: [
    'invoices/invoice-app -> invoices/invoice-app-db 5432/TCP',
    'invoices/invoice-app-db -> ' + DNS,
    'payments/payment-provider -> payments/payment-provider-db 5432/TCP',
    'payments/payment-provider-db -> ' + DNS,
  ],
  // Service -> pooler -> instances; the instances and poolers call the API server (10.0.0.0/28)
  // and the instances the backup store (10.30.0.0/16); the operator calls the instance managers.
  prod: ['invoices/invoice-app', 'payments/payment-provider'].flatMap((service) => {
    const db = `${service}-db`;
    return [
      `${service} -> ${db}-pooler 5432/TCP`,
      `${db}-pooler -> ${db} 5432/TCP`,
      `${db}-pooler -> ipBlock 10.0.0.0/28 443/TCP,6443/TCP`,
      `${db}-pooler -> ${DNS}`,
      `${db} -> ipBlock 10.0.0.0/28 443/TCP,6443/TCP`,
      `${db} -> ipBlock 10.30.0.0/16 443/TCP`,
      `${db} -> ${DNS}`,
      `cnpg-system/{app.kubernetes.io/name=cloudnative-pg} -> ${db} 8000/TCP`,
      `monitoring/{app.kubernetes.io/name=prometheus} -> ${db} 9187/TCP`,
      `monitoring/{app.kubernetes.io/name=prometheus} -> ${db}-pooler 9127/TCP`,
    ];
  }),
};
const EXTRA_FLOWS: Record<string, string[]> = {
  dev: ['ingress-nginx/{app.kubernetes.io/name=ingress-nginx} -> invoices/invoice-app 8000/TCP'],
  prod: [
    'envoy-gateway-system/{app.kubernetes.io/name=envoy} -> invoices/invoice-app 8000/TCP',
    'monitoring/{app.kubernetes.io/name=prometheus} -> invoices/invoice-app 8000/TCP',
    // The bootstrap's API server rule (any address on the API ports) also admits these ranges.
    ...['billing-system/secret-bootstrap', 'billing-system/secret-bootstrap-<hash>'].flatMap((job) => [
      `${job} -> ipBlock 10.0.0.0/28 ${API_SERVER}`,
      `${job} -> ipBlock 10.30.0.0/16 ${API_SERVER}`,
    ]),
  ],
};

/** Every flow the design intends: anything else the NetworkPolicies allow is a finding. */
function intendedFlows(environment: string): string[] {
  return [
    'invoices/billing-monthly -> invoices/invoice-app 8000/TCP',
    'invoices/billing-monthly -> ' + DNS,
    'invoices/billing-retry -> invoices/invoice-app 8000/TCP',
    'invoices/billing-retry -> ' + DNS,
    'invoices/invoice-app -> payments/payment-provider 9000/TCP',
    'invoices/invoice-app -> ' + DNS,
    'payments/payment-provider -> ' + DNS,
    ...['billing-system/secret-bootstrap', 'billing-system/secret-bootstrap-<hash>'].flatMap((job) => [
      `${job} -> ${DNS}`,
      `${job} -> internet ${API_SERVER}`,
      `${job} -> ipBlock 0.0.0.0/0 ${API_SERVER}`,
    ]),
    ...(DATABASE_FLOWS[environment] ?? []),
    ...(EXTRA_FLOWS[environment] ?? []),
  ].sort();
}

const TEAMS = {
  'team-invoices': { own: 'invoices', app: 'invoice-app', other: 'payments' },
  'team-payments': { own: 'payments', app: 'payment-provider', other: 'invoices' },
} as const;

const ANY_VERB = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const RESOURCES: Omit<Request, 'verb' | 'namespace'>[] = [
  { group: '', resource: 'secrets' },
  { group: '', resource: 'pods' },
  { group: '', resource: 'pods/exec' },
  { group: '', resource: 'configmaps' },
  { group: '', resource: 'services' },
  { group: 'apps', resource: 'deployments' },
  { group: 'networking.k8s.io', resource: 'networkpolicies' },
  { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
];

describe.each(ENVIRONMENTS)('dist ($name)', ({ name, manifests }) => {
  const cluster = new Cluster(manifests);

  it('passes every check (npm run verify)', () => {
    const report = verify(manifests);
    expect(report.violations, formatReport(report)).toEqual([]);
  });

  describe('reachability', () => {
    const reachability = new Reachability(cluster);

    it('lets only invoice-app reach payment-provider, on its one port', () => {
      const into = reachability.flows.filter((flow) => flow.to === 'payments/payment-provider');
      expect(into.map((flow) => `${flow.from} ${flow.ports.join(',')}`)).toEqual(['invoices/invoice-app 9000/TCP']);
    });

    it('allows only the intended flows', () => {
      const flows = reachability.flows.map((flow) => `${withoutHash(flow.from)} -> ${flow.to} ${flow.ports.join(',')}`);
      expect(flows.sort()).toEqual(intendedFlows(name));
    });
  });

  describe('RBAC', () => {
    const rbac = new Rbac(cluster);

    it.each(Object.entries(TEAMS))('lets %s roll out its own app', (team, { own, app }) => {
      const group: SubjectRef = { kind: 'Group', name: team };
      for (const verb of ['get', 'patch']) {
        expect(rbac.can(group, { verb, group: 'apps', resource: 'deployments', namespace: own, name: app }), verb).toBe(
          true,
        );
      }
      for (const resource of ['deployments', 'replicasets']) {
        expect(rbac.can(group, { verb: 'watch', group: 'apps', resource, namespace: own }), resource).toBe(true);
      }
      expect(rbac.can(group, { verb: 'list', group: '', resource: 'pods', namespace: own })).toBe(true);
    });

    it.each(Object.entries(TEAMS))(
      'gives %s nothing in the other team’s namespace, least of all its secrets',
      (team, { other }) => {
        const group: SubjectRef = { kind: 'Group', name: team };
        const allowed = RESOURCES.flatMap((resource) =>
          ANY_VERB.filter((verb) => rbac.can(group, { ...resource, verb, namespace: other })).map(
            (verb) => `${verb} ${resource.resource}`,
          ),
        );
        expect(allowed).toEqual([]);
        expect(rbac.grantsOf(group).map((grant) => grant.namespace)).not.toContain('*');
      },
    );

    it.each(Object.keys(TEAMS))('lets %s grant itself nothing more', (team) => {
      const group: SubjectRef = { kind: 'Group', name: team };
      const namespaces = [...cluster.namespaces(), 'kube-system', 'default'];
      const escalations = namespaces.flatMap((namespace) =>
        [
          { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
          { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'roles' },
          { verb: 'bind', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
          { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'roles' },
          { verb: 'impersonate', group: '', resource: 'serviceaccounts' },
          { verb: 'impersonate', group: '', resource: 'groups' },
          { verb: 'create', group: '', resource: 'serviceaccounts/token' },
          { verb: 'create', group: 'certificates.k8s.io', resource: 'certificatesigningrequests' },
        ]
          .filter((request) => rbac.can(group, { ...request, namespace }))
          .map((request) => `${request.verb} ${request.resource} in ${namespace}`),
      );
      expect(escalations).toEqual([]);
      // Running a pod as another ServiceAccount of its namespace is the indirect way up.
      const report = verify(manifests);
      const throughAccounts = report.violations.filter(
        (violation) => violation.check.startsWith('rbac-') && violation.message.startsWith(`Group ${team} `),
      );
      expect(throughAccounts).toEqual([]);
    });
  });
});
