import type { IConstruct } from 'constructs';

/**
 * One connection the constructs declared: `from` may open connections to `to` on `port`.
 * Ends are named as NetworkPeer.id names them: `invoices/invoice-app` (pods labelled with that
 * `app.kubernetes.io/name`), `ns/{key=value, ...}` (pods with these labels), `ns/(any pod)`,
 * `ipBlock 10.20.0.0/24`.
 */
export interface DeclaredConnection {
  /** The client. */
  readonly from: string;
  /** The server. */
  readonly to: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** Paths of the constructs whose network rules declare it (both sides' policies for a connect). */
  readonly declaredBy: readonly string[];
}

/** A construct whose network rules declare connections: a workload's policy, a namespace's DNS allowance. */
export interface IDeclaresConnections extends IConstruct {
  /** Its connections, without `declaredBy` (it is the declarer). */
  readonly connectionsDeclared: readonly Omit<DeclaredConnection, 'declaredBy'>[];
}

function declaresConnections(construct: IConstruct): construct is IDeclaresConnections {
  return 'connectionsDeclared' in construct;
}

/**
 * Every connection declared in the app of `scope` (connect, allowFrom, databases, scheduled
 * calls, the ingress controller, DNS), each once with all its declarers, sorted: the intent that
 * the effective reachability of the manifests is compared with.
 */
export function declaredConnections(scope: IConstruct): DeclaredConnection[] {
  const found = new Map<string, { connection: Omit<DeclaredConnection, 'declaredBy'>; by: Set<string> }>();
  for (const construct of scope.node.root.node.findAll()) {
    if (!declaresConnections(construct)) continue;
    for (const connection of construct.connectionsDeclared) {
      const key = connectionLine(connection);
      const entry = found.get(key) ?? { connection, by: new Set<string>() };
      entry.by.add(construct.node.path);
      found.set(key, entry);
    }
  }
  return [...found.values()]
    .map(({ connection, by }) => ({ ...connection, declaredBy: [...by].sort() }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.port - b.port);
}

/** `invoices/invoice-app -> payments/payment-provider 9000/TCP`: how the manifests and findings spell a connection. */
export function connectionLine(connection: Omit<DeclaredConnection, 'declaredBy'>): string {
  return `${connection.from} -> ${connection.to} ${connection.port}/${connection.protocol}`;
}

/**
 * The value of the `verify.billing/connections` annotation a namespace carries: one line per
 * declared connection with an end in it, with its declarers, so that `npm run verify` reads the
 * intent from the manifests alone.
 */
export function connectionsAnnotation(connections: readonly DeclaredConnection[], namespace: string): string {
  const lines = connections
    .filter((connection) => [connection.from, connection.to].some((end) => end.startsWith(`${namespace}/`)))
    .map((connection) => `${connectionLine(connection)} by ${connection.declaredBy.join(', ')}`);
  return lines.length > 0 ? lines.join('\n') : 'none';
}

const LINE = /^(.+?) -> (.+) (\d+)\/(TCP|UDP) by (.+)$/;

/** Reads an annotation written by connectionsAnnotation back; a line it cannot read is an error naming it. */
export function parseConnectionsAnnotation(value: string): DeclaredConnection[] {
  if (value.trim() === 'none') return [];
  return value
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = LINE.exec(line.trim());
      if (!match) {
        throw new Error(
          `Cannot read the declared connection "${line}". Expected "<from> -> <to> <port>/<TCP|UDP> by <construct>": regenerate it with npm run synth.`,
        );
      }
      const [, from, to, port, protocol, by] = match;
      return {
        from: from!,
        to: to!,
        port: Number(port),
        protocol: protocol as 'TCP' | 'UDP',
        declaredBy: by!.split(', '),
      };
    });
}
