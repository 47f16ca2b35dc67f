import { testCheck } from '../testing/broken-cases.js';
import { rbacBindings } from './rbac-bindings.js';

const BINDING = 'RoleBinding invoices/team-invoices-deployer';

testCheck(rbacBindings, [
  {
    title: 'a roleRef in the core group',
    breakIt: (p) => p.set(BINDING, 'roleRef.apiGroup', ''),
    expect: /roleRef\.apiGroup: must be rbac\.authorization\.k8s\.io/,
  },
  {
    title: 'a ClusterRoleBinding to a Role',
    breakIt: (p) =>
      p.add(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: everyone-deploys }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer }
subjects: [{ kind: Group, name: team-invoices, apiGroup: rbac.authorization.k8s.io }]
`),
    expect: /"Role" must be ClusterRole/,
  },
  {
    title: 'a Group subject without its apiGroup',
    breakIt: (p) => p.remove(BINDING, 'subjects[0].apiGroup'),
    expect: /Group "team-invoices": apiGroup must be "rbac\.authorization\.k8s\.io"/,
  },
]);
