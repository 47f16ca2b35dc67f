import type { BrokenCase } from './broken-case.js';

const APP = 'Deployment invoices/invoice-app';
const CONTAINER = 'spec.template.spec.containers[0]';
const POLICY = 'NetworkPolicy invoices/invoice-app';
const DEPLOYER = 'Role invoices/deployer';
const BINDING = 'RoleBinding invoices/team-invoices-deployer';

export const apiServerCases: BrokenCase[] = [
  {
    check: 'object-names',
    title: 'a name that is not a DNS-1123 subdomain',
    breakIt: (p) => p.set('ConfigMap invoices/invoice-app-config', 'metadata.name', 'Invoice_Config'),
    expect: /"Invoice_Config" is not a valid DNS-1123 subdomain/,
  },
  {
    check: 'object-names',
    title: 'a Service name that is not a DNS-1035 label (starts with a digit)',
    breakIt: (p) => p.set('Service payments/payment-provider', 'metadata.name', '1payments'),
    expect: /"1payments" is not a valid DNS-1035 label/,
  },
  {
    check: 'object-names',
    title: 'a CronJob name longer than 52 characters',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'metadata.name', 'monthly-billing-'.padEnd(53, 'x')),
    expect: /a CronJob name must be no more than 52 characters \(is 53\)/,
  },
  {
    check: 'object-names',
    title: 'an invalid namespace',
    breakIt: (p) => p.set('ConfigMap invoices/invoice-app-config', 'metadata.namespace', 'Invoices'),
    expect: /"Invoices" is not a valid namespace/,
  },
  {
    check: 'label-syntax',
    title: 'a label value longer than 63 characters',
    breakIt: (p) => p.set(APP, 'metadata.labels["app.kubernetes.io/part-of"]', 'b'.repeat(64)),
    expect: /label value "b{64}": must be no more than 63 characters/,
  },
  {
    check: 'label-syntax',
    title: 'a label key with two slashes in a pod template',
    breakIt: (p) => p.set(APP, 'spec.template.metadata.labels["a/b/c"]', 'x'),
    expect: /spec\.template\.metadata\.labels: label key "a\/b\/c"/,
  },
  {
    check: 'label-selector-syntax',
    title: 'an unknown operator',
    breakIt: (p) =>
      p.set(POLICY, 'spec.podSelector.matchExpressions', [{ key: 'tier', operator: 'Equals', values: ['web'] }]),
    expect: /operator "Equals" is not In, NotIn, Exists or DoesNotExist/,
  },
  {
    check: 'label-selector-syntax',
    title: 'In without values',
    breakIt: (p) => p.set(POLICY, 'spec.podSelector.matchExpressions', [{ key: 'tier', operator: 'In', values: [] }]),
    expect: /values must be non-empty when operator is In/,
  },
  {
    check: 'container-names',
    title: 'a container name that is not a DNS-1123 label',
    breakIt: (p) => p.set(APP, `${CONTAINER}.name`, 'Invoice_App'),
    expect: /"Invoice_App": a lowercase RFC 1123 label/,
  },
  {
    check: 'container-names',
    title: 'two containers with one name',
    breakIt: (p) => p.set(APP, 'spec.template.spec.initContainers', [{ name: 'invoice-app', image: 'busybox:1.36' }]),
    expect: /duplicate container name "invoice-app"/,
  },
  {
    check: 'container-port-names',
    title: 'a port name longer than 15 characters',
    breakIt: (p) => p.set(APP, `${CONTAINER}.ports[0].name`, 'invoice-app-http'),
    expect: /port name "invoice-app-http" must be no more than 15 characters/,
  },
  {
    check: 'container-port-names',
    title: 'a port name without a letter',
    breakIt: (p) => p.set(APP, `${CONTAINER}.ports[0].name`, '8000'),
    expect: /must contain at least one letter/,
  },
  {
    check: 'container-ports-unique',
    title: 'one containerPort declared twice',
    breakIt: (p) => p.set(APP, `${CONTAINER}.ports[1]`, { name: 'metrics', containerPort: 8000 }),
    expect: /duplicate container port 8000\/TCP/,
  },
  {
    check: 'volumes',
    title: 'a mount of an undeclared volume',
    breakIt: (p) => p.set(APP, `${CONTAINER}.volumeMounts[1]`, { name: 'cache', mountPath: '/cache' }),
    expect: /mounts volume "cache", which the pod does not declare/,
  },
  {
    check: 'volumes',
    title: 'a volume with two sources',
    breakIt: (p) => p.set(APP, 'spec.template.spec.volumes[0].configMap', { name: 'invoice-app-config' }),
    expect: /a volume needs exactly one source \(has emptyDir, configMap\)/,
  },
  {
    check: 'volumes',
    title: 'a StatefulSet mount of neither a volume nor a claim template',
    breakIt: (p) =>
      p.set('StatefulSet payments/payments-db', 'spec.template.spec.containers[0].volumeMounts[0].name', 'pgdata'),
    expect: /mounts volume "pgdata", which the pod does not declare/,
  },
  {
    check: 'env-var-names',
    title: 'an env var name starting with a digit',
    breakIt: (p) => p.set(APP, `${CONTAINER}.env[0].name`, '1PORT'),
    expect: /"1PORT": a valid environment variable name/,
  },
  {
    check: 'probe-fields',
    title: 'a probe with two handlers',
    breakIt: (p) => p.set(APP, `${CONTAINER}.readinessProbe.exec`, { command: ['true'] }),
    expect: /needs exactly one handler \(has exec, httpGet\)/,
  },
  {
    check: 'probe-fields',
    title: 'a liveness probe with successThreshold 2',
    breakIt: (p) => p.set(APP, `${CONTAINER}.livenessProbe.successThreshold`, 2),
    expect: /successThreshold must be 1 for a liveness probe/,
  },
  {
    check: 'restart-policy',
    title: 'a Deployment whose pods never restart',
    breakIt: (p) => p.set(APP, 'spec.template.spec.restartPolicy', 'Never'),
    expect: /"Never" is not allowed for a Deployment: use Always/,
  },
  {
    check: 'restart-policy',
    title: 'a Job whose pods always restart',
    breakIt: (p) => p.set('Job billing-system/secret-bootstrap', 'spec.template.spec.restartPolicy', 'Always'),
    expect: /"Always" is not allowed for a Job: use OnFailure or Never/,
  },
  {
    check: 'resource-quantities',
    title: 'an invalid quantity',
    breakIt: (p) => p.set(APP, `${CONTAINER}.resources.requests.memory`, '128MB'),
    expect: /"128MB" is not a valid quantity/,
  },
  {
    check: 'resource-quantities',
    title: 'a request above its limit',
    breakIt: (p) => p.set(APP, `${CONTAINER}.resources.requests.cpu`, '2'),
    expect: /request 2 is more than the limit 500m/,
  },
  {
    check: 'selector-matches-template',
    title: 'a selector that misses the template labels',
    breakIt: (p) => p.set(APP, 'spec.selector.matchLabels["app.kubernetes.io/name"]', 'invoices'),
    expect: /selector \(app\.kubernetes\.io\/name=invoices\) does not match the template labels/,
  },
  {
    check: 'selector-matches-template',
    title: 'an empty selector',
    breakIt: (p) => p.set('StatefulSet payments/payments-db', 'spec.selector', {}),
    expect: /selector is required and may not be empty/,
  },
  {
    check: 'cron-schedule',
    title: 'six fields (seconds)',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'spec.schedule', '0 0 0 1 * *'),
    expect: /needs 5 fields .* has 6/,
  },
  {
    check: 'cron-schedule',
    title: 'minute 61',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'spec.schedule', '61 0 1 * *'),
    expect: /"61 0 1 \* \*": .*61/,
  },
  {
    check: 'cron-schedule',
    title: 'a time zone in the schedule',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'spec.schedule', 'CRON_TZ=UTC 0 0 1 * *'),
    expect: /cannot use TZ or CRON_TZ in schedule/,
  },
  {
    check: 'cron-schedule',
    title: 'a Quartz-only extension',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'spec.schedule', '0 0 L * *'),
    expect: /L, W and # are not supported/,
  },
  {
    check: 'cron-schedule',
    title: 'an unknown time zone',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'spec.timeZone', 'Mars/Olympus_Mons'),
    expect: /unknown time zone "Mars\/Olympus_Mons"/,
  },
  {
    check: 'ingress-rules',
    title: 'a path without pathType',
    breakIt: (p) => p.remove('Ingress invoices/invoice-app', 'spec.rules[0].http.paths[0].pathType'),
    expect: /pathType is required/,
  },
  {
    check: 'ingress-rules',
    title: 'a relative Prefix path',
    breakIt: (p) => p.set('Ingress invoices/invoice-app', 'spec.rules[0].http.paths[0].path', 'rest'),
    expect: /"rest" must be an absolute path/,
  },
  {
    check: 'ingress-rules',
    title: 'a backend port with both name and number',
    breakIt: (p) =>
      p.set('Ingress invoices/invoice-app', 'spec.rules[0].http.paths[0].backend.service.port.number', 8000),
    expect: /a service port needs exactly one of name or number/,
  },
  {
    check: 'ingress-rules',
    title: 'an IP address as host',
    breakIt: (p) => p.set('Ingress invoices/invoice-app', 'spec.rules[0].host', '10.0.0.1'),
    expect: /"10\.0\.0\.1": must be a DNS name, not an IP address/,
  },
  {
    check: 'service-ports',
    title: 'two unnamed ports',
    breakIt: (p) =>
      p.set('Service invoices/invoice-app', 'spec.ports', [
        { port: 8000, targetPort: 8000 },
        { port: 9090, targetPort: 9090 },
      ]),
    expect: /a name is required when a Service has more than one port/,
  },
  {
    check: 'service-ports',
    title: 'a named targetPort longer than 15 characters',
    breakIt: (p) => p.set('Service invoices/invoice-app', 'spec.ports[0].targetPort', 'invoice-app-http'),
    expect: /targetPort: invoice-app-http must be no more than 15 characters/,
  },
  {
    check: 'network-policy-rules',
    title: 'endPort on a named port',
    breakIt: (p) => p.set(POLICY, 'spec.ingress[0].ports[0].endPort', 8080),
    expect: /endPort needs a numeric port/,
  },
  {
    check: 'network-policy-rules',
    title: 'an ipBlock together with a podSelector',
    breakIt: (p) => p.set(POLICY, 'spec.ingress[0].from[1].ipBlock', { cidr: '10.0.0.0/8' }),
    expect: /ipBlock may not be combined with podSelector or namespaceSelector/,
  },
  {
    check: 'network-policy-rules',
    title: 'a CIDR without its mask',
    breakIt: (p) =>
      p.set('NetworkPolicy billing-system/secret-bootstrap', 'spec.egress[1].to[0].ipBlock.cidr', '10.96.0.1'),
    expect: /CIDR mask is missing\. Did you mean 10\.96\.0\.1\/32\?/,
  },
  {
    check: 'rbac-rules',
    title: 'a resource rule without apiGroups',
    breakIt: (p) => p.remove(DEPLOYER, 'rules[2].apiGroups'),
    expect: /resource rules must supply at least one api group/,
  },
  {
    check: 'rbac-rules',
    title: 'nonResourceURLs in a namespaced Role',
    breakIt: (p) => p.set(DEPLOYER, 'rules[3]', { nonResourceURLs: ['/metrics'], verbs: ['get'] }),
    expect: /namespaced rules cannot apply to non-resource URLs/,
  },
  {
    check: 'rbac-rules',
    title: 'a rule without verbs',
    breakIt: (p) => p.set(DEPLOYER, 'rules[0].verbs', []),
    expect: /verbs must contain at least one value/,
  },
  {
    check: 'rbac-bindings',
    title: 'a roleRef in the core group',
    breakIt: (p) => p.set(BINDING, 'roleRef.apiGroup', ''),
    expect: /roleRef\.apiGroup: must be rbac\.authorization\.k8s\.io/,
  },
  {
    check: 'rbac-bindings',
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
    check: 'rbac-bindings',
    title: 'a Group subject without its apiGroup',
    breakIt: (p) => p.remove(BINDING, 'subjects[0].apiGroup'),
    expect: /Group "team-invoices": apiGroup must be "rbac\.authorization\.k8s\.io"/,
  },
  {
    check: 'pdb-fields',
    title: 'both minAvailable and maxUnavailable',
    breakIt: (p) => p.set('PodDisruptionBudget invoices/invoice-app', 'spec.minAvailable', 1),
    expect: /minAvailable and maxUnavailable cannot be both set/,
  },
  {
    check: 'pdb-fields',
    title: 'a percentage above 100',
    breakIt: (p) => p.set('PodDisruptionBudget invoices/invoice-app', 'spec.maxUnavailable', '150%'),
    expect: /150% must be a non-negative integer or a percentage up to 100%/,
  },
  {
    check: 'config-data-keys',
    title: 'a key with a space',
    breakIt: (p) => p.set('ConfigMap invoices/invoice-app-config', 'data["bad key"]', 'x'),
    expect: /"bad key": a valid config key/,
  },
];
