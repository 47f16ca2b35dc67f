import { CronExpressionParser } from 'cron-parser';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';

// What the CronJob controller's parser (robfig/cron's standard parser) accepts besides five fields.
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

const EVERY = /^@every\s+(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** Why the API server (1.27) would reject this schedule, or undefined when it is valid. */
function scheduleProblem(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (/\b(CRON_)?TZ=/.test(trimmed)) return 'cannot use TZ or CRON_TZ in schedule, use the timeZone field instead';
  if (trimmed.startsWith('@')) {
    return DESCRIPTORS.has(trimmed) || EVERY.test(trimmed) ? undefined : `unknown descriptor "${trimmed}"`;
  }
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return `needs 5 fields (minute hour day-of-month month day-of-week), has ${fields.length}`;
  // cron-parser knows Quartz extensions that the Kubernetes parser does not.
  if (
    /[LW#]/.test(
      fields
        .slice(2)
        .join(' ')
        .replace(/[A-Z]{3}/g, ''),
    )
  ) {
    return 'L, W and # are not supported by the Kubernetes cron parser';
  }
  try {
    CronExpressionParser.parse(trimmed);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function timeZoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return undefined;
  } catch {
    return `unknown time zone "${timeZone}" (use an IANA name such as Europe/Copenhagen)`;
  }
}

export const cronSchedule: Check = {
  name: 'cron-schedule',
  category: 'api-server',
  reason: 'A CronJob schedule must be a valid 5-field cron expression or descriptor, and its timeZone an IANA name.',
  run(cluster) {
    return cluster.ofKind('CronJob').flatMap((manifest) => {
      const spec = (manifest.object.spec ?? {}) as { schedule?: unknown; timeZone?: unknown };
      const found: Finding[] = [];
      if (typeof spec.schedule === 'string') {
        const problem = scheduleProblem(spec.schedule);
        if (problem) found.push(finding(manifest, 'spec.schedule', `"${spec.schedule}": ${problem}`));
      }
      if (typeof spec.timeZone === 'string') {
        const problem = timeZoneProblem(spec.timeZone);
        if (problem) found.push(finding(manifest, 'spec.timeZone', problem));
      }
      return found;
    });
  },
};
