import type { BrokenCase } from './broken-case.js';

const SECRET = `
apiVersion: v1
kind: Secret
metadata: { name: db-password, namespace: payments }
stringData: { password: hunter2 }
`;

const FOREIGN_BINDING = `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: invoices-help, namespace: payments }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: payments-deployer }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: team-invoices }]
`;

/** The fixture's namespaces, owned as Teams declare them. */
const owned = (p: Parameters<BrokenCase['breakIt']>[0]) =>
  p
    .set('Namespace invoices', 'metadata.annotations["verify.billing/owned-by"]', 'team-invoices')
    .set('Namespace payments', 'metadata.annotations["verify.billing/owned-by"]', 'team-payments');

export const intentCases: BrokenCase[] = [
  {
    check: 'secret-literal-data',
    title: 'a Secret with a literal value',
    breakIt: (p) => p.add(SECRET),
    expect:
      /Secret payments\/db-password stringData: holds literal values \(password\) in stringData, made by no construct .*Fix: .*GeneratedSecret/,
  },
  {
    check: 'team-bindings',
    title: "a team bound in the other team's namespace",
    breakIt: (p) => owned(p).add(FOREIGN_BINDING),
    expect:
      /RoleBinding payments\/invoices-help subjects\[0\]: binds Group team-invoices, of team namespace invoices, in payments .*Fix: remove the binding/,
  },
  {
    check: 'team-bindings',
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
  {
    check: 'declared-objects',
    title: 'a RoleBinding written by hand among library-made objects',
    breakIt: (p) =>
      p
        .set('NetworkPolicy payments/default-deny', 'metadata.annotations["verify.billing/construct"]', 'teams/x')
        .add(FOREIGN_BINDING),
    expect:
      /RoleBinding payments\/invoices-help metadata\.annotations: is a grant nobody declared: made by no construct .*Fix: declare it through the library/,
  },
  {
    check: 'declared-objects',
    title: 'a network policy changed after synthesis',
    breakIt: (p) =>
      p
        .set(
          'NetworkPolicy payments/default-deny',
          'metadata.annotations["verify.billing/construct"]',
          'teams/payments/DefaultDeny',
        )
        .set(
          'NetworkPolicy payments/default-deny',
          'metadata.annotations["verify.billing/declared"]',
          '0000000000000000',
        ),
    expect:
      /NetworkPolicy payments\/default-deny: differs from what construct teams\/payments\/DefaultDeny declared \(changed after synthesis: a network rule nobody declared\)\. Fix: change that construct/,
  },
  {
    check: 'one-sided-rules',
    title: 'a caller whose server dropped its policy (the namespace default deny refuses)',
    breakIt: (p) => p.drop('NetworkPolicy payments/payment-provider'),
    expect:
      /NetworkPolicy invoices\/invoice-app: lets invoices\/invoice-app connect to payments\/payment-provider on 9000\/TCP .*but payments\/payment-provider's policies refuse it: a one-sided rule\. Fix: declare the connection with connect\/allowFrom/,
  },
  {
    check: 'undeclared-flows',
    title: 'a flow the policies allow but no connection declares',
    breakIt: (p) =>
      p.set(
        'Namespace payments',
        'metadata.annotations["verify.billing/connections"]',
        'invoices/invoice-app -> payments/payment-provider 9000/TCP by teams/payments/connect',
      ),
    expect:
      /NetworkPolicy payments\/payments-db: admits connections nobody declared: payments\/payment-provider -> payments\/payments-db 5432\/TCP \(made by no construct.*\)\. Fix: narrow it to the declared connections/,
  },
  {
    check: 'undeclared-flows',
    title: 'a declaration that cannot be read',
    breakIt: (p) =>
      p.set('Namespace payments', 'metadata.annotations["verify.billing/connections"]', 'invoice-app to provider'),
    expect:
      /Namespace payments metadata\.annotations\["verify\.billing\/connections"\]: Cannot read the declared connection "invoice-app to provider"/,
  },
  {
    check: 'blocked-connections',
    title: 'a declared connection that the policies refuse',
    breakIt: (p) =>
      p.set(
        'Namespace payments',
        'metadata.annotations["verify.billing/connections"]',
        'invoices/invoice-app -> payments/payments-db 5432/TCP by teams/payments/connect',
      ),
    expect:
      /StatefulSet payments\/payments-db: refuses connections declared in code: invoices\/invoice-app -> payments\/payments-db 5432\/TCP \(declared by teams\/payments\/connect\)\. .*a one-sided rule.*Fix: /,
  },
  {
    check: 'team-permissions',
    title: 'a team allowed to write its own NetworkPolicies',
    breakIt: (p) =>
      owned(p).add(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: own-policies, namespace: invoices }
rules: [{ apiGroups: [networking.k8s.io], resources: [networkpolicies], verbs: [create, delete] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: own-policies, namespace: invoices }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: own-policies }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: team-invoices }]
`),
    expect:
      /RoleBinding invoices\/own-policies: lets Group team-invoices, of team namespace invoices, create networking\.k8s\.io\/networkpolicies, delete networking\.k8s\.io\/networkpolicies \(through Role invoices\/own-policies; made by no construct.*Fix: remove the grant/,
  },
];
