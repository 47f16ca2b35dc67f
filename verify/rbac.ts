import { BUILT_IN_CLUSTER_ROLES } from './built-in-cluster-roles.js';
import type { Cluster } from './cluster.js';
import type { PolicyRule, RoleRef, Subject } from './kubernetes.js';
import type { Manifest } from './manifest.js';
import { namespaceOf } from './manifest.js';

/** Who a binding names: a Group, a User or a ServiceAccount (with its namespace). */
export interface SubjectRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** One rule granted to one subject through one binding, in one namespace (`*` for cluster-wide). */
export interface Grant {
  readonly subject: SubjectRef;
  readonly namespace: string;
  readonly rule: PolicyRule;
  readonly binding: Manifest;
  /** `Role invoices/deployer`, `ClusterRole edit`. */
  readonly role: string;
}

/** What a request asks for, as the RBAC authorizer sees it. */
export interface Request {
  readonly verb: string;
  /** API group, "" for the core group. */
  readonly group: string;
  /** Resource, with subresource if any (`pods/exec`). */
  readonly resource: string;
  readonly namespace: string;
  /** A specific object's name, for rules limited by resourceNames. */
  readonly name?: string;
}

export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const READ_VERBS = ['get', 'list', 'watch'];

export function subjectId(subject: SubjectRef): string {
  return subject.kind === 'ServiceAccount'
    ? `ServiceAccount ${subject.namespace}/${subject.name}`
    : `${subject.kind} ${subject.name}`;
}

const matches = (values: readonly string[] | undefined, wanted: string) =>
  (values ?? []).some((value) => value === '*' || value === wanted);

/** Whether a rule admits a request: verb, API group, resource (a wildcard, exact, or wildcard-slash-subresource) and name. */
export function ruleAllows(rule: PolicyRule, request: Omit<Request, 'namespace'>): boolean {
  if (!matches(rule.verbs, request.verb) || !matches(rule.apiGroups, request.group)) return false;
  const subresource = request.resource.includes('/')
    ? request.resource.slice(request.resource.indexOf('/'))
    : undefined;
  const resourceMatches = (rule.resources ?? []).some(
    (resource) =>
      resource === '*' ||
      resource === request.resource ||
      (subresource !== undefined && resource === `*${subresource}`),
  );
  if (!resourceMatches) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (request.name !== undefined && names.includes(request.name));
}

/**
 * The RBAC of the manifests: every grant from every (Cluster)RoleBinding, with the rules of the
 * Role or ClusterRole it binds (built-in ClusterRoles included), and the authorizer's answer to
 * "can this subject do that", counting the groups a subject is in implicitly.
 */
export class Rbac {
  readonly grants: readonly Grant[];

  constructor(private readonly cluster: Cluster) {
    this.grants = [...cluster.ofKind('RoleBinding'), ...cluster.ofKind('ClusterRoleBinding')].flatMap((binding) => {
      const clusterWide = binding.object.kind === 'ClusterRoleBinding';
      const namespace = clusterWide ? '*' : namespaceOf(binding.object);
      const roleRef = (binding.object.roleRef ?? {}) as RoleRef;
      const rules = this.rulesOf(roleRef, namespace);
      const role = roleRef.kind === 'Role' ? `Role ${namespace}/${roleRef.name}` : `ClusterRole ${roleRef.name}`;
      return ((binding.object.subjects ?? []) as Subject[]).flatMap((subject) => {
        const ref: SubjectRef =
          subject.kind === 'ServiceAccount'
            ? { kind: subject.kind, name: subject.name, namespace: subject.namespace ?? namespaceOf(binding.object) }
            : { kind: subject.kind, name: subject.name };
        return rules.map((rule) => ({ subject: ref, namespace, rule, binding, role }));
      });
    });
  }

  /** Every subject some binding names, sorted: groups first, then users, then service accounts. */
  subjects(): SubjectRef[] {
    const order = ['Group', 'User', 'ServiceAccount'];
    const unique = new Map(this.grants.map((grant) => [subjectId(grant.subject), grant.subject]));
    return [...unique.values()].sort(
      (a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || subjectId(a).localeCompare(subjectId(b)),
    );
  }

  /** Every grant that applies to a subject, directly or through the groups it belongs to. */
  grantsOf(subject: SubjectRef): Grant[] {
    const groups = new Set(['system:authenticated']);
    if (subject.kind === 'Group') groups.add(subject.name);
    if (subject.kind === 'ServiceAccount') {
      groups.add('system:serviceaccounts');
      groups.add(`system:serviceaccounts:${subject.namespace}`);
    }
    return this.grants.filter(
      ({ subject: granted }) =>
        (granted.kind === 'Group' && groups.has(granted.name)) || subjectId(granted) === subjectId(subject),
    );
  }

  /** Whether the subject may make the request. */
  can(subject: SubjectRef, request: Request): boolean {
    return this.grantsOf(subject).some(
      (grant) => (grant.namespace === '*' || grant.namespace === request.namespace) && ruleAllows(grant.rule, request),
    );
  }

  /**
   * The matrix: for each subject and namespace, each resource with the verbs allowed on it, as
   * Markdown. Rules limited to some resourceNames show the names.
   */
  toMarkdown(): string {
    const lines = ['| subject | namespace | resources | verbs |', '| --- | --- | --- | --- |'];
    for (const subject of this.subjects()) {
      const byScope = new Map<string, Map<string, Set<string>>>();
      for (const grant of this.grantsOf(subject)) {
        const resources = byScope.get(grant.namespace) ?? new Map<string, Set<string>>();
        byScope.set(grant.namespace, resources);
        const names = grant.rule.resourceNames?.length ? ` (${grant.rule.resourceNames.join(', ')})` : '';
        const targets = grant.rule.nonResourceURLs?.length
          ? grant.rule.nonResourceURLs.map((url) => `url ${url}`)
          : (grant.rule.apiGroups ?? []).flatMap((group) =>
              (grant.rule.resources ?? []).map((resource) => `${group ? `${group}/` : ''}${resource}${names}`),
            );
        for (const target of targets) {
          const verbs = resources.get(target) ?? new Set<string>();
          (grant.rule.verbs ?? []).forEach((verb) => verbs.add(verb));
          resources.set(target, verbs);
        }
      }
      for (const [namespace, resources] of [...byScope].sort(([a], [b]) => a.localeCompare(b))) {
        const byVerbs = new Map<string, string[]>();
        for (const [target, verbs] of resources) {
          const key = [...verbs].sort().join(', ');
          byVerbs.set(key, [...(byVerbs.get(key) ?? []), target]);
        }
        for (const [verbs, targets] of byVerbs) {
          lines.push(
            `| ${subjectId(subject)} | ${namespace === '*' ? '(all)' : namespace} | ${targets.sort().join(', ')} | ${verbs} |`,
          );
        }
      }
    }
    return lines.join('\n');
  }

  private rulesOf(roleRef: RoleRef, bindingNamespace: string): PolicyRule[] {
    if (roleRef.kind === 'Role') {
      return (this.cluster.find('Role', roleRef.name ?? '', bindingNamespace)?.object.rules ?? []) as PolicyRule[];
    }
    const defined = this.cluster.find('ClusterRole', roleRef.name ?? '');
    if (defined) return (defined.object.rules ?? []) as PolicyRule[];
    return BUILT_IN_CLUSTER_ROLES[roleRef.name ?? ''] ?? [];
  }
}
