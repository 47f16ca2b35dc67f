import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../charts/bootstrap-secrets.mjs', import.meta.url));
const TOKEN = 'service-account-token';

/**
 * A stand-in for the part of the Kubernetes API the script uses (no cluster runs here): GET
 * and POST of Secrets with the real status codes (404, 201, 409, 403) and Status bodies.
 */
class SecretsApi {
  readonly secrets = new Map<string, { metadata: Record<string, unknown>; data: Record<string, string> }>();
  readonly forbidden = new Set<string>();
  readonly requests: string[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        this.requests.push(`${req.method} ${req.url}`);
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
        };
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, { message: 'Unauthorized' });
        const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/.exec(req.url ?? '');
        if (!match) return reply(404, { message: 'not found' });
        const [, namespace, name] = match;
        if (this.forbidden.has(namespace ?? '')) {
          return reply(403, { message: `secrets is forbidden in the namespace "${namespace}"` });
        }
        if (req.method === 'GET' && name) {
          const secret = this.secrets.get(`${namespace}/${name}`);
          return secret
            ? reply(200, { kind: 'Secret', ...secret })
            : reply(404, { message: `secrets "${name}" not found` });
        }
        if (req.method === 'POST' && !name) {
          const secret = JSON.parse(body);
          const key = `${namespace}/${secret.metadata.name}`;
          if (this.secrets.has(key)) return reply(409, { message: `secrets "${secret.metadata.name}" already exists` });
          this.secrets.set(key, { metadata: secret.metadata, data: secret.data });
          return reply(201, secret);
        }
        return reply(405, { message: 'method not allowed' });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Stores a Secret as an operator would. */
  put(namespace: string, name: string, values: Record<string, string>): void {
    const data = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    this.secrets.set(`${namespace}/${name}`, { metadata: { name, namespace }, data });
  }

  /** The decoded values of a stored Secret. */
  values(namespace: string, name: string): Record<string, string> | undefined {
    const secret = this.secrets.get(`${namespace}/${name}`);
    if (!secret) return undefined;
    return Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
  }
}

const SPEC = {
  partOf: 'billing',
  secrets: [
    {
      name: 'db-credentials',
      namespaces: ['invoices'],
      keys: {
        POSTGRES_USER: { literal: 'invoices' },
        POSTGRES_PASSWORD: { random: 32 },
        DATABASE_URL: { template: 'postgres://{POSTGRES_USER}:{POSTGRES_PASSWORD}@db.invoices.svc:5432/invoices' },
      },
    },
    { name: 'provider-token', namespaces: ['payments', 'invoices'], keys: { PAYMENT_PROVIDER_TOKEN: { random: 32 } } },
  ],
};

describe('bootstrap-secrets.mjs', () => {
  const api = new SecretsApi();
  let url = '';
  let dir = '';

  beforeAll(async () => {
    url = await api.start();
    dir = mkdtempSync(join(tmpdir(), 'bootstrap-'));
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(SPEC));
  });
  afterAll(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    api.secrets.clear();
    api.forbidden.clear();
    api.requests.length = 0;
  });

  async function run(): Promise<{ code: number; output: string }> {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, join(dir, 'spec.json')], {
        env: { PATH: process.env.PATH, KUBERNETES_API_URL: url, SERVICE_ACCOUNT_DIR: dir },
        timeout: 20_000,
      });
      return { code: 0, output: stdout };
    } catch (err) {
      const failure = err as { code: number; stdout: string };
      return { code: failure.code, output: failure.stdout };
    }
  }

  it('creates every missing Secret: one shared token in both namespaces, a URL that matches the password', async () => {
    const { code, output } = await run();
    expect(code).toBe(0);
    const db = api.values('invoices', 'db-credentials');
    expect(db?.POSTGRES_USER).toBe('invoices');
    expect(db?.POSTGRES_PASSWORD).toMatch(/^[0-9a-f]{64}$/);
    expect(db?.DATABASE_URL).toBe(`postgres://invoices:${db?.POSTGRES_PASSWORD}@db.invoices.svc:5432/invoices`);
    const payments = api.values('payments', 'provider-token');
    expect(payments?.PAYMENT_PROVIDER_TOKEN).toMatch(/^[0-9a-f]{64}$/);
    expect(api.values('invoices', 'provider-token')).toEqual(payments);
    expect(api.secrets.get('payments/provider-token')?.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'secret-bootstrap',
      'app.kubernetes.io/part-of': 'billing',
    });
    expect(output).toContain('created invoices/db-credentials (generated)');
    expect(output).toContain('created invoices/provider-token (generated)');
    expect(output).not.toContain(db?.POSTGRES_PASSWORD);
    expect(output).not.toContain(payments?.PAYMENT_PROVIDER_TOKEN);
  });

  it('never overwrites: a second run changes nothing and posts nothing', async () => {
    await run();
    const before = new Map([...api.secrets.entries()].map(([k, v]) => [k, JSON.stringify(v.data)]));
    api.requests.length = 0;
    const { code, output } = await run();
    expect(code).toBe(0);
    expect(api.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
    expect(new Map([...api.secrets.entries()].map(([k, v]) => [k, JSON.stringify(v.data)]))).toEqual(before);
    expect(output).toContain('kept payments/provider-token (exists)');
  });

  it('keeps an operator-owned Secret and copies it into the namespaces that lack it', async () => {
    api.put('payments', 'provider-token', { PAYMENT_PROVIDER_TOKEN: 'set-by-the-operator-0123456789' });
    const { code, output } = await run();
    expect(code).toBe(0);
    expect(api.values('payments', 'provider-token')).toEqual({
      PAYMENT_PROVIDER_TOKEN: 'set-by-the-operator-0123456789',
    });
    expect(api.values('invoices', 'provider-token')).toEqual({
      PAYMENT_PROVIDER_TOKEN: 'set-by-the-operator-0123456789',
    });
    expect(output).toContain('created invoices/provider-token (copied from payments)');
  });

  it('fails, and changes nothing, when copies disagree or a copy lacks a key; other Secrets still get made', async () => {
    api.put('payments', 'provider-token', { PAYMENT_PROVIDER_TOKEN: 'a'.repeat(32) });
    api.put('invoices', 'provider-token', { PAYMENT_PROVIDER_TOKEN: 'b'.repeat(32) });
    let result = await run();
    expect(result.code).toBe(1);
    expect(result.output).toContain('FAILED provider-token: the copies in payments and invoices differ');
    expect(api.values('invoices', 'db-credentials')).toBeDefined();
    expect(api.values('invoices', 'provider-token')).toEqual({ PAYMENT_PROVIDER_TOKEN: 'b'.repeat(32) });

    api.secrets.clear();
    api.put('payments', 'provider-token', { OTHER: 'x' });
    result = await run();
    expect(result.code).toBe(1);
    expect(result.output).toContain('payments/provider-token lacks PAYMENT_PROVIDER_TOKEN');
    expect(api.values('invoices', 'provider-token')).toBeUndefined();
  });

  it('reports what the API server refused and exits non-zero, so the Job retries', async () => {
    api.forbidden.add('payments');
    const { code, output } = await run();
    expect(code).toBe(1);
    expect(output).toContain(
      'FAILED provider-token: reading payments/provider-token: the API server answered 403: secrets is forbidden in the namespace "payments"',
    );
    // It never writes one copy of a shared Secret it could not check everywhere.
    expect(api.values('invoices', 'provider-token')).toBeUndefined();
  });
});
