import type { Cron, Duration } from 'cdk8s';
import type { Construct } from 'constructs';
import type { SecretKeyRef } from './generated-secret.js';
import type { Image } from './image.js';
import type { Microservice } from './microservice.js';
import { SERVICE_USER_ID } from './pod-security.js';
import { CallClient, ScheduledCall } from './scheduled-call.js';

/** The billing CLI in the invoice-app image (WORKDIR /app): starts a run and follows it to its end. */
export const BILLING_CLI = ['node', 'apps/invoice-app/build/cli/billing.js', 'pay', '--follow'];

/** Properties of a BillingRun. */
export interface BillingRunProps {
  /** The namespace it runs in (the invoice service's). */
  readonly namespace: string;
  /** The invoice service whose billing runs it starts. */
  readonly invoiceApp: Microservice;
  /** The Secret key with the bearer token the billing API requires. */
  readonly token: SecretKeyRef;
  /** When it runs, in UTC. */
  readonly schedule: Cron;
  /** The CronJob's name. @default the construct id */
  readonly name?: string;
  /** How long one run may take. @default 30 minutes */
  readonly timeout?: Duration;
  /** The image with the billing CLI. @default the invoice-app's image, so that CLI and service are one build */
  readonly image?: Image;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A scheduled billing run: the ScheduledCall preset that runs invoice-app's billing CLI
 * (`pay --follow`) from the invoice-app image against the service's URL (BILLING_API_URL) with
 * the billing token (BILLING_API_TOKEN), recording its runs as `schedule`. The CLI starts a run and follows it to its end, so
 * the Job succeeds only when the run does. Starting another run is safe: each invoice is
 * charged at most once.
 */
export class BillingRun extends ScheduledCall {
  constructor(scope: Construct, id: string, props: BillingRunProps) {
    super(scope, id, {
      target: props.invoiceApp,
      schedule: props.schedule,
      token: props.token,
      namespace: props.namespace,
      name: props.name,
      timeout: props.timeout,
      component: 'billing-run',
      partOf: props.partOf,
      client: CallClient.command({
        image: props.image ?? props.invoiceApp.image,
        command: BILLING_CLI,
        urlVariable: 'BILLING_API_URL',
        tokenVariable: 'BILLING_API_TOKEN',
        // Recorded with the run, so an operator tells scheduled runs from started ones.
        env: { BILLING_TRIGGER: 'schedule' },
        user: SERVICE_USER_ID,
        resources: { cpuRequestMillis: 50, cpuLimitMillis: 200, memoryRequestMebibytes: 64, memoryLimitMebibytes: 128 },
      }),
    });
  }
}
