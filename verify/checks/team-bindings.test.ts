import { owned, testCheck } from '../testing/broken-cases.js';
import { FOREIGN_BINDING } from '../testing/added-objects.js';
import { teamBindings } from './team-bindings.js';

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
