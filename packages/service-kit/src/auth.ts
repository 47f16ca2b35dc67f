import bearerAuth from '@fastify/bearer-auth';
import type { FastifyInstance } from 'fastify';

/**
 * Requires `Authorization: Bearer <token>` on every route of the plugin scope it is
 * registered in; anything else is 401 `{ "error": ... }`. @fastify/bearer-auth compares in
 * constant time, so response timing does not leak the token.
 */
export async function requireBearerToken(scope: FastifyInstance, token: string): Promise<void> {
  await scope.register(bearerAuth, { keys: new Set([token]), addHook: 'onRequest', verifyErrorLogLevel: 'warn' });
}
