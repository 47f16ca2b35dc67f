import { NetworkPeer, NetworkPolicyPort, type INetworkEndpoint } from './network-policy.js';
import type { SecretKeyRef } from './generated-secret.js';

/**
 * A connection string put together in the pod: each part is read from a Secret key into a
 * variable set before DATABASE_URL, whose value refers to it as `$(NAME)`. Kubernetes expands
 * the references when it starts the container (no shell), so no credential reaches `dist/`.
 */
export interface ComposedUrl {
  /** The URL with `$(NAME)` references, e.g. `postgresql://$(DATABASE_USER):$(DATABASE_PASSWORD)@host:5432/app`. */
  readonly template: string;
  /** The Secret key of each referenced variable. */
  readonly parts: Record<string, SecretKeyRef>;
}

/** A database a service connects to: where its connection string is, and how to reach it. */
export interface IDatabase {
  /** The `postgres://` connection string the service reads as DATABASE_URL: a Secret key holding it, or put together from Secret keys. */
  readonly url: SecretKeyRef | ComposedUrl;
  /** Whether an operator or a secret store, not this app, creates the Secret with the URL. */
  readonly providedOutside: boolean;
  /** Opens the network path from a client's pods to the database. */
  allowClient(client: INetworkEndpoint): void;
}

/** Properties of an ExternalDatabase. */
export interface ExternalDatabaseProps {
  /** The Secret, created by an operator or an external secret store, that holds the connection string. */
  readonly secret: string;
  /** The key within the Secret. @default 'DATABASE_URL' */
  readonly key?: string;
  /** The address range the database is in, e.g. a managed database's private subnet. */
  readonly cidr: string;
  /** The database's port. @default 5432 */
  readonly port?: number;
}

/**
 * A database outside the cluster (a managed Postgres in production). The platform creates
 * no Secret for it: the service's pods wait in CreateContainerConfigError until the named
 * Secret exists, and its egress is allowed to the database's range and port only.
 */
export class ExternalDatabase implements IDatabase {
  readonly url: SecretKeyRef;
  readonly providedOutside = true;
  private readonly peer: NetworkPeer;
  private readonly port: NetworkPolicyPort;

  constructor(props: ExternalDatabaseProps) {
    this.url = { secret: props.secret, key: props.key ?? 'DATABASE_URL' };
    this.peer = NetworkPeer.cidr(props.cidr);
    this.port = NetworkPolicyPort.tcp(props.port ?? 5432);
  }

  allowClient(client: INetworkEndpoint): void {
    client.networkPolicy.allowEgress(this.peer, this.port);
  }
}

/** The Secrets a database URL is read from. */
export function urlSecrets(url: SecretKeyRef | ComposedUrl): string[] {
  return 'template' in url ? [...new Set(Object.values(url.parts).map((part) => part.secret))] : [url.secret];
}
