import type { Manifest } from './helpers.js';

/** Whether a Role's rules let a subject do `verb` on `group/resource` (RBAC is additive: any rule that matches). */
export function allows(role: Manifest, verb: string, group: string, resource: string, name?: string): boolean {
  return (role.rules as Manifest[]).some(
    (rule) =>
      (rule.apiGroups ?? []).some((g: string) => g === group || g === '*') &&
      (rule.resources ?? []).some((r: string) => r === resource || r === '*') &&
      (rule.verbs ?? []).some((v: string) => v === verb || v === '*') &&
      (rule.resourceNames === undefined || (name !== undefined && rule.resourceNames.includes(name))),
  );
}
