import { testCheck } from '../testing/broken-cases.js';
import type { Platform } from '../testing/platform.js';
import { FOREIGN_BINDING } from '../testing/added-objects.js';
import { teamBindings } from './team-bindings.js';

/** The fixture's namespaces, owned as Teams declare them. */
const owned = (p: Platform) =>
  p
    .set('Namespace invoices', 'metadata.annotations["verify.billing/owned-by"]', 'team-invoices')
    .set('Namespace payments', 'metadata.annotations["verify.billing/owned-by"]', 'team-payments');

testCheck(teamBindings, [
  {
    title: "a team bound in the other team's namespace",
    breakIt: (p) => owned(p).add(FOREIGN_BINDING),
    expect:
      /RoleBinding payments\/invoices-help subjects\[0\]: binds Group team-invoices, of team namespace invoices, in payments .*Fix: remove the binding/,
  },
  {
    title: 'a team ServiceAccount bound cluster-wide',
    breakIt: (p) =>
      owned(p).add(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: deployer-everywhere }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects: [{ kind: ServiceAccount, name: deployer, namespace: payments }]
`),
    expect: /ClusterRoleBinding deployer-everywhere .*binds ServiceAccount payments\/deployer, .* in every namespace/,
  },
]);
