import { Construct } from 'constructs';
import {
  ScheduledBackup,
  ScheduledBackupSpecBackupOwnerReference,
  ScheduledBackupSpecMethod,
} from '../imports/cnpg-scheduledbackup-postgresql.cnpg.io.js';
import { objectLabels } from './labels.js';

/** Properties of a PostgresBackupSchedule. */
export interface PostgresBackupScheduleProps {
  /** The cluster to back up; its `spec.backup` names the object store. */
  readonly cluster: { readonly name: string; readonly namespace: string };
  /** The ScheduledBackup's name. @default `<cluster>-daily` */
  readonly name?: string;
  /** When, as CloudNativePG's six-field cron (seconds first), in UTC. @default '0 0 3 * * *' (03:00 daily) */
  readonly schedule?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A scheduled base backup of a CloudNativePG cluster into its object store. With the WAL that
 * the cluster archives continuously, it allows a point-in-time restore to any moment within
 * the retention. The first backup runs at once, so a new cluster is never without one; the
 * Backup objects belong to this schedule, so removing it cleans them up (the data in the
 * store stays, under its retention policy).
 */
export class PostgresBackupSchedule extends Construct {
  readonly scheduledBackup: ScheduledBackup;

  constructor(scope: Construct, id: string, props: PostgresBackupScheduleProps) {
    super(scope, id);
    const schedule = props.schedule ?? '0 0 3 * * *';
    if (schedule.trim().split(/\s+/).length !== 6) {
      throw new Error(
        `Backup schedule '${schedule}' is not a six-field cron. CloudNativePG counts seconds first: '0 0 3 * * *' is 03:00 daily.`,
      );
    }
    const name = props.name ?? `${props.cluster.name}-daily`;
    this.scheduledBackup = new ScheduledBackup(this, 'Resource', {
      metadata: {
        name,
        namespace: props.cluster.namespace,
        labels: objectLabels(name, props.partOf),
      },
      spec: {
        cluster: { name: props.cluster.name },
        schedule,
        immediate: true,
        method: ScheduledBackupSpecMethod.BARMAN_OBJECT_STORE,
        backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.SELF,
      },
    });
  }
}
