import { Cluster } from './cluster.js';
import { refOf } from './manifest.js';
import { Rbac } from './rbac.js';
import { Reachability } from './reachability.js';
import type { Report } from './verify.js';

/** The report `npm run verify` prints: violations grouped by check, then waivers and deploy-time objects. */
export function formatReport(report: Report): string {
  const lines: string[] = [];
  const failing = new Set(report.violations.map((violation) => violation.check));
  lines.push(`Verified ${report.manifests.length} objects with ${report.checks.length} checks.`);
  for (const check of report.checks) {
    if (!failing.has(check.name)) continue;
    lines.push('', `✗ ${check.name} (${check.category}): ${check.reason}`);
    for (const violation of report.violations.filter((candidate) => candidate.check === check.name)) {
      lines.push(
        `    ${violation.object}${violation.path ? ` ${violation.path}` : ''}: ${violation.message}  [${violation.source}]`,
      );
    }
  }
  const other = report.violations.filter((violation) => !report.checks.some((check) => check.name === violation.check));
  if (other.length > 0) {
    lines.push(
      '',
      '✗ exemptions: waivers and verify.billing/created-at-deploy annotations must be well-formed and used',
    );
    for (const violation of other) lines.push(`    ${violation.object}: ${violation.message}  [${violation.source}]`);
  }
  if (report.waived.length > 0) {
    lines.push('', 'Waived (ignore-check.verify.billing/<check> annotations):');
    for (const waiver of report.waived) {
      lines.push(
        `    ${waiver.check} for ${refOf(waiver.manifest.object)}: ${waiver.reason} (finding: ${waiver.message})`,
      );
    }
  }
  if (report.deployTime.length > 0) {
    lines.push('', 'Created at deploy time (verify.billing/created-at-deploy annotations):');
    for (const created of report.deployTime) {
      lines.push(`    ${created.kind} ${created.namespace}/${created.name}, by ${refOf(created.declaredBy.object)}`);
    }
  }
  lines.push(
    '',
    report.violations.length === 0
      ? `OK: ${report.checks.length - failing.size}/${report.checks.length} checks pass, ${report.waived.length} findings waived.`
      : `FAILED: ${report.violations.length} violations of ${failing.size} checks.`,
  );
  return lines.join('\n');
}

/** The reachability and RBAC matrices of one folder of manifests, as the Markdown docs/verification-matrices.md shows. */
export function formatMatrices(folder: string, report: Report): string {
  const cluster = new Cluster(report.manifests);
  return [
    `### ${folder}/`,
    '',
    '#### Reachability (from the NetworkPolicies)',
    '',
    'Rows are sources, columns destinations; a cell lists the ports a connection may open, `-` none.',
    '',
    new Reachability(cluster).toMarkdown(),
    '',
    '#### RBAC (from the Roles, ClusterRoles and their bindings)',
    '',
    new Rbac(cluster).toMarkdown(),
    '',
  ].join('\n');
}

/** Every check with its category and reason, for `--list`. */
export function formatCheckList(report: Pick<Report, 'checks'>): string {
  return report.checks
    .map(
      (check) =>
        `${check.name} (${check.category}): ${check.reason}${check.equivalents?.length ? ` [${check.equivalents.join(', ')}]` : ''}`,
    )
    .join('\n');
}
