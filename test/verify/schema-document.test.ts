import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

// verify/schema-registry.ts skips ajv's check of the schema document on every run; this is that check.
describe('schemas/k8s/v1.27.0/_definitions.json', () => {
  it('is a valid JSON Schema, as ajv compiles it', () => {
    const document: unknown = JSON.parse(
      readFileSync(new URL('../../schemas/k8s/v1.27.0/_definitions.json', import.meta.url), 'utf8'),
    );
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema(document as object), ajv.errorsText()).toBe(true);
  });
});
