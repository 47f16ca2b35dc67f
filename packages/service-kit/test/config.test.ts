import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@billing/devkit';
import { ConfigError } from '../src/index.js';
import { loadWidgetConfig } from './fixtures/widget-service.js';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', WIDGET_TOKEN: 'a-long-enough-secret' };

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadWidgetConfig({ ...valid, PORT: '8123' });
    expect(config).toMatchObject({ PORT: 8123, SLOW_MS: 1000, LOG_LEVEL: 'info', DATABASE_URL: valid.DATABASE_URL });
  });

  it('treats an empty string as unset', () => {
    expect(loadWidgetConfig({ ...valid, PORT: '' }).PORT).toBe(8000);
  });

  it('names a missing variable', () => {
    expect(() => loadWidgetConfig({ WIDGET_TOKEN: valid.WIDGET_TOKEN })).toThrow(
      new ConfigError('Invalid configuration: DATABASE_URL is required but not set'),
    );
  });

  it('names a malformed variable and shows the value when it is not a secret', () => {
    expect(() => loadWidgetConfig({ ...valid, PORT: 'eighty' })).toThrow(/PORT must be integer \(got "eighty"\)/);
    expect(() => loadWidgetConfig({ ...valid, PORT: '70000' })).toThrow(/PORT must be <= 65535/);
    expect(() => loadWidgetConfig({ ...valid, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('accepts a number only when it is written as one, never truncating or guessing', () => {
    for (const written of ['8000.5', '1e3', '0x1F40', ' 8000', '8000abc']) {
      expect(() => loadWidgetConfig({ ...valid, PORT: written }), written).toThrow(
        `PORT must be integer (got "${written}")`,
      );
    }
    expect(loadWidgetConfig({ ...valid, PORT: '8080' }).PORT).toBe(8080);
  });

  it('never echoes a secret', () => {
    const attempt = () => loadWidgetConfig({ ...valid, DATABASE_URL: 'mysql://root:hunter2@db' });
    expect(attempt).toThrow(/DATABASE_URL must be a valid URL \(got a value\)/);
    expect(attempt).not.toThrow(/hunter2/);
  });

  it('reports every bad variable at once', () => {
    expect(() => loadWidgetConfig({ PORT: 'x', WIDGET_TOKEN: 'short' })).toThrow(
      /DATABASE_URL is required but not set; PORT must be integer \(got "x"\); WIDGET_TOKEN must not have fewer than 16 characters \(got a value\)/,
    );
  });
});

describe('an entry point with bad configuration', () => {
  it('prints one line naming the variable and exits 1, with no stack trace', async () => {
    const entry = fileURLToPath(new URL('./fixtures/widget-service.ts', import.meta.url));
    const service = ManagedProcess.start(entry, { WIDGET_TOKEN: valid.WIDGET_TOKEN, PORT: '99999' });
    const exit = await service.exited;
    expect(exit.code).toBe(1);
    const lines = service.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      'Invalid configuration: DATABASE_URL is required but not set; PORT must be <= 65535 (got "99999")',
    );
    expect(service.stdout).toBe('');
  });
});
