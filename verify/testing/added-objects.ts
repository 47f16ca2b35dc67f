// Objects that the cases of several checks add to the fixture platform. The fixture has no custom
// resources (dev has none); test/verify/dist.test.ts verifies dist/prod/, which has them all.

/** A CloudNativePG Cluster in `invoices`; `extra` is appended to its spec. */
export const cluster = (name: string, extra = '') => `
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: ${name}, namespace: invoices }
spec:
  instances: 3
  storage: { size: 20Gi }${extra}
`;

/** A CloudNativePG Pooler in `invoices` in front of the Cluster `clusterName`. */
export const pooler = (clusterName: string, poolMode = 'session') => `
apiVersion: postgresql.cnpg.io/v1
kind: Pooler
metadata: { name: invoices-pooler, namespace: invoices }
spec:
  cluster: { name: ${clusterName} }
  instances: 2
  type: rw
  pgbouncer: { poolMode: ${poolMode} }
`;

/** A RoleBinding that gives team-invoices a Role in payments: a team bound outside its namespace. */
export const FOREIGN_BINDING = `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: invoices-help, namespace: payments }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: payments-deployer }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: team-invoices }]
`;
