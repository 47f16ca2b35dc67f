import { describe, expect, it } from 'vitest';
import { Cluster } from '../../verify/cluster.js';
import { Rbac } from '../../verify/rbac.js';
import { Platform } from '../../verify/testing/platform.js';

const TEAM = { kind: 'Group', name: 'team-invoices' };
const rbac = (platform: Platform) => new Rbac(new Cluster(platform.manifests()));

describe('Rbac', () => {
  it('answers as the RBAC authorizer: verbs, groups, resources, namespaces, resourceNames', () => {
    const model = rbac(new Platform());
    expect(
      model.can(TEAM, {
        verb: 'patch',
        group: 'apps',
        resource: 'deployments',
        namespace: 'invoices',
        name: 'invoice-app',
      }),
    ).toBe(true);
    expect(
      model.can(TEAM, { verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'invoices', name: 'other' }),
    ).toBe(false);
    expect(
      model.can(TEAM, {
        verb: 'patch',
        group: '',
        resource: 'deployments',
        namespace: 'invoices',
        name: 'invoice-app',
      }),
    ).toBe(false);
    expect(model.can(TEAM, { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'payments' })).toBe(false);
    expect(model.can(TEAM, { verb: 'get', group: '', resource: 'pods/log', namespace: 'invoices' })).toBe(true);
    expect(model.can(TEAM, { verb: 'create', group: '', resource: 'pods/exec', namespace: 'invoices' })).toBe(false);
  });

  it('counts grants to the groups a subject is in implicitly', () => {
    const platform = new Platform().add(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: all-service-accounts-view, namespace: payments }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects: [{ kind: Group, name: 'system:serviceaccounts', apiGroup: rbac.authorization.k8s.io }]
`);
    const account = { kind: 'ServiceAccount', name: 'invoice-app', namespace: 'invoices' };
    expect(rbac(platform).can(account, { verb: 'list', group: '', resource: 'pods', namespace: 'payments' })).toBe(
      true,
    );
    expect(rbac(platform).can(TEAM, { verb: 'list', group: '', resource: 'pods', namespace: 'payments' })).toBe(false);
  });

  it('knows what the built-in ClusterRoles grant, cluster-wide through a ClusterRoleBinding', () => {
    const platform = new Platform().add(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: invoices-admin }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin }
subjects: [{ kind: Group, name: team-invoices, apiGroup: rbac.authorization.k8s.io }]
`);
    const model = rbac(platform);
    expect(model.can(TEAM, { verb: 'get', group: '', resource: 'secrets', namespace: 'payments' })).toBe(true);
    expect(
      model.can(TEAM, {
        verb: 'create',
        group: 'rbac.authorization.k8s.io',
        resource: 'rolebindings',
        namespace: 'payments',
      }),
    ).toBe(true);
  });

  it('prints each subject, namespace and resource with its verbs', () => {
    const table = rbac(new Platform()).toMarkdown();
    expect(table).toContain('| Group team-invoices | invoices | apps/deployments (invoice-app) | patch, update |');
    expect(table).toContain('| ServiceAccount billing-system/secret-bootstrap | payments | secrets | create |');
    expect(table).not.toMatch(/team-invoices \| payments/);
  });
});
