import bearerAuth from '@fastify/bearer-auth';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What a bearer-token check tells a client that lacks the token. */
export interface BearerTokenOptions {
  /** The token's name as the operator knows it (its environment variable), said in every 401. @default "the API token" */
  readonly tokenName?: string;
  /** The protection space of the `WWW-Authenticate` challenge. @default the service's name */
  readonly realm?: string;
}

/**
 * Requires `Authorization: Bearer <token>` on every route of the plugin scope it is registered
 * in; the scheme is case-insensitive (RFC 7235), so `bearer <token>` works too. Anything else is
 * 401 `{ "error": ... }` naming the token, with a `WWW-Authenticate` challenge as RFC 6750 has
 * it: `error="invalid_token"` when a bearer token was sent but is not the one, no error code
 * when none was sent. @fastify/bearer-auth compares in constant time, so response timing does
 * not leak the token.
 */
export async function requireBearerToken(
  scope: FastifyInstance,
  token: string,
  options: BearerTokenOptions = {},
): Promise<void> {
  const tokenName = options.tokenName ?? 'the API token';
  const realm = options.realm ?? scope.serviceName;
  // Without its own hook the plugin only decorates the scope with its check, which then reports
  // a failure to the callback below instead of answering with a body of its own.
  await scope.register(bearerAuth, {
    keys: new Set([token]),
    addHook: false,
    specCompliance: 'rfc6749',
    verifyErrorLogLevel: 'warn',
  });
  const verify = scope.verifyBearerAuth!;
  scope.addHook('onRequest', (request, reply, done) => {
    verify(request, reply, (err?: Error) => {
      if (err === undefined) return done();
      unauthorized(request, reply, tokenName, realm);
    });
  });
}

function unauthorized(request: FastifyRequest, reply: FastifyReply, tokenName: string, realm: string): void {
  const header = request.headers.authorization?.trim() ?? '';
  const wanted = `send "Authorization: Bearer <${tokenName}>"`;
  const sentBearer = /^bearer\s+\S/i.test(header);
  const error =
    header === ''
      ? `Missing Authorization header: ${wanted}`
      : sentBearer
        ? `The bearer token is not ${tokenName}: ${wanted}`
        : `The Authorization header is not a bearer token: ${wanted}`;
  const challenge = sentBearer
    ? `Bearer realm="${realm}", error="invalid_token", error_description="the token is not ${tokenName}"`
    : `Bearer realm="${realm}"`;
  void reply.code(401).header('www-authenticate', challenge).send({ error });
}
