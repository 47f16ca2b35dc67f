import Type from 'typebox';
import { RUN_TRIGGERS } from '../billing/billing-runs.js';

// The answers' shapes, for the OpenAPI document. The invoice and customer routes write their
// JSON by hand (see representation.ts), so these schemas describe them without re-serialising.

const count = (description: string) => Type.Integer({ minimum: 0, description });

export const Invoice = Type.Object(
  {
    id: Type.Integer(),
    customerId: Type.Integer(),
    amount: Type.Object({ value: Type.Number(), currency: Type.String({ pattern: '^[A-Z]{3}$' }) }),
    status: Type.Enum(['PENDING', 'PAID', 'FAILED']),
    attempts: count('Charge requests sent for it, retries included'),
    lastError: Type.Union([Type.String(), Type.Null()], { description: 'Why the last attempt did not pay it' }),
  },
  { description: 'An invoice (Antaeus JSON plus attempts and lastError)' },
);

export const Customer = Type.Object({ id: Type.Integer(), currency: Type.Enum(['EUR', 'USD', 'DKK', 'SEK', 'GBP']) });

export const InvoiceCounts = Type.Object(
  { PENDING: count('Not yet paid'), PAID: count('Paid'), FAILED: count('Needs a person') },
  { description: 'Invoices by status' },
);

const counts = {
  attempted: count('Invoices the run took'),
  paid: count('Charged'),
  declined: count('Declined by the provider; PENDING, tried again by the next run'),
  failed: count('Marked FAILED: unknown customer, currency mismatch, refused by the provider'),
  errored: count('No definite answer; PENDING, asked again with the same key by the next run'),
  resumed: count('Of the attempted, charges an earlier run left unanswered'),
  chargeRequests: count('Charge requests sent, retries included'),
};

export const BillingRun = Type.Object(
  {
    runId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'URL-safe' }),
    status: Type.Enum(['running', 'completed', 'interrupted', 'failed'], {
      description: 'interrupted: stopped by shutdown, or its process died and its claims expired',
    }),
    trigger: Type.Enum([...RUN_TRIGGERS]),
    replica: Type.String({ description: 'host/pid of the process that runs it' }),
    startedAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'null while running' }),
    total: count('Invoices billable (PENDING) when it started'),
    ...counts,
    error: Type.Union([Type.String(), Type.Null()], { description: 'Why a failed run stopped' }),
  },
  { description: 'A billing run, updated while it runs' },
);

export const PaySummary = Type.Object(
  {
    runId: Type.String(),
    status: Type.Enum(['completed', 'interrupted', 'failed']),
    total: count('Invoices billable when it started'),
    ...counts,
    complete: Type.Boolean({ description: 'False when shutdown stopped the run early' }),
    durationMs: Type.Integer({ minimum: 0 }),
  },
  { description: "The finished run's summary" },
);
