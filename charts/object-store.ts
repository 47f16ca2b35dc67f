import {
  ClusterSpecBackupBarmanObjectStoreDataCompression as DataCompression,
  ClusterSpecBackupBarmanObjectStoreDataEncryption as DataEncryption,
  ClusterSpecBackupBarmanObjectStoreWalCompression as WalCompression,
  ClusterSpecBackupBarmanObjectStoreWalEncryption as WalEncryption,
  type ClusterSpecBackupBarmanObjectStore,
} from '../imports/cnpg-cluster-postgresql.cnpg.io.js';
import type { SecretKeyRef } from './generated-secret.js';
import type { NetworkPeer } from './network-policy.js';

/** Properties of an S3-compatible bucket that backups go to. */
export interface S3ObjectStoreProps {
  /** Where in the bucket, e.g. `s3://billing-backups/invoices`. */
  readonly destinationPath: string;
  /** The store's addresses, which the database pods may reach on 443 and nothing else outside the cluster. */
  readonly endpoint: NetworkPeer;
  /** The endpoint URL of a store that is not AWS S3 itself (MinIO, Ceph, ...). @default AWS S3 */
  readonly endpointUrl?: string;
  /** The access key; without keys the pods use their IAM role (IRSA / workload identity). @default the pods' IAM role */
  readonly accessKeyId?: SecretKeyRef;
  /** The secret key, in the same kind of Secret as the access key. @default the pods' IAM role */
  readonly secretAccessKey?: SecretKeyRef;
  /** How long backups and WAL are kept, as CloudNativePG writes it (`30d`, `8w`, `6m`). @default '30d' */
  readonly retention?: string;
}

/**
 * Where a CloudNativePG cluster keeps its base backups and archived WAL: an object store, so
 * that a point-in-time restore needs nothing of the cluster that failed. Data and WAL are
 * compressed and encrypted at rest by the bucket (AES256), whatever its own default.
 */
export class ObjectStore {
  /** An S3 or S3-compatible bucket. */
  static s3(props: S3ObjectStoreProps): ObjectStore {
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(props.destinationPath)) {
      throw new Error(
        `Backup destination '${props.destinationPath}' is not an S3 path. Write it as s3://<bucket>/<folder>, e.g. s3://billing-backups/invoices.`,
      );
    }
    if ((props.accessKeyId === undefined) !== (props.secretAccessKey === undefined)) {
      throw new Error('Give both accessKeyId and secretAccessKey, or neither to use the pods’ IAM role.');
    }
    const retention = props.retention ?? '30d';
    if (!/^[1-9][0-9]*[dwm]$/.test(retention)) {
      throw new Error(`Retention '${retention}' is not valid. Use a number and d, w or m, e.g. 30d.`);
    }
    const credentials =
      props.accessKeyId && props.secretAccessKey
        ? { accessKeyId: keyRef(props.accessKeyId), secretAccessKey: keyRef(props.secretAccessKey) }
        : { inheritFromIamRole: true };
    return new ObjectStore(
      {
        destinationPath: props.destinationPath,
        endpointUrl: props.endpointUrl,
        s3Credentials: credentials,
        wal: { compression: WalCompression.GZIP, encryption: WalEncryption.AES256 },
        data: { compression: DataCompression.GZIP, encryption: DataEncryption.AES256 },
      },
      retention,
      props.endpoint,
      [...new Set([props.accessKeyId, props.secretAccessKey].flatMap((ref) => (ref ? [ref.secret] : [])))],
    );
  }

  private constructor(
    /** The `spec.backup.barmanObjectStore` of a Cluster. */
    readonly barmanObjectStore: ClusterSpecBackupBarmanObjectStore,
    /** The `spec.backup.retentionPolicy` of a Cluster. */
    readonly retentionPolicy: string,
    /** The store's addresses, for the database pods' egress rule. */
    readonly endpoint: NetworkPeer,
    /** Secrets the credentials are read from, which an operator or a person creates. */
    readonly secrets: string[],
  ) {}
}

function keyRef(ref: SecretKeyRef) {
  return { name: ref.secret, key: ref.key };
}
