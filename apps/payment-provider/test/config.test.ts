import { describe, expect, it } from 'vitest';
import { ConfigError } from '@billing/service-kit';
import { loadConfig } from '../src/config.js';

const required = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/payments',
  PAYMENT_PROVIDER_TOKEN: 'a-token-of-16-chars',
};

describe('loadConfig', () => {
  it('applies the contract’s defaults', () => {
    expect(loadConfig(required)).toEqual({
      ...required,
      PORT: 9000,
      PAYMENT_SUCCESS_RATE: 0.5,
      FAULT_LATENCY_MS: 0,
      FAULT_ERROR_RATE: 0,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 25_000,
    });
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      ...required,
      PORT: '9100',
      PAYMENT_SUCCESS_RATE: '0.8',
      RANDOM_SEED: '4294967295',
      FAULT_LATENCY_MS: '250',
      FAULT_ERROR_RATE: '0.1',
    });
    expect(config).toMatchObject({
      PORT: 9100,
      PAYMENT_SUCCESS_RATE: 0.8,
      RANDOM_SEED: 4294967295,
      FAULT_LATENCY_MS: 250,
      FAULT_ERROR_RATE: 0.1,
    });
  });

  it.each([
    [{ PAYMENT_PROVIDER_TOKEN: undefined }, 'PAYMENT_PROVIDER_TOKEN is required but not set'],
    [
      { PAYMENT_PROVIDER_TOKEN: 'short' },
      'PAYMENT_PROVIDER_TOKEN must not have fewer than 16 characters (got a value)',
    ],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a valid URL (got a value)'],
    [{ PAYMENT_SUCCESS_RATE: '1.5' }, 'PAYMENT_SUCCESS_RATE must be <= 1 (got "1.5")'],
    [{ PAYMENT_SUCCESS_RATE: 'half' }, 'PAYMENT_SUCCESS_RATE must be number (got "half")'],
    [{ RANDOM_SEED: 'abc' }, 'RANDOM_SEED must be integer (got "abc")'],
    [{ RANDOM_SEED: '-1' }, 'RANDOM_SEED must be >= 0 (got "-1")'],
    [{ RANDOM_SEED: '4294967296' }, 'RANDOM_SEED must be <= 4294967295 (got "4294967296")'],
    [{ FAULT_ERROR_RATE: '-0.1' }, 'FAULT_ERROR_RATE must be >= 0 (got "-0.1")'],
    [{ FAULT_LATENCY_MS: '600001' }, 'FAULT_LATENCY_MS must be <= 600000 (got "600001")'],
    [{ PORT: '0' }, 'PORT must be >= 1 (got "0")'],
  ])('refuses %j', (change, message) => {
    const load = () => loadConfig({ ...required, ...change });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it('treats an empty RANDOM_SEED as unset (unseeded)', () => {
    expect(loadConfig({ ...required, RANDOM_SEED: '' }).RANDOM_SEED).toBeUndefined();
  });
});
