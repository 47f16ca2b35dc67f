import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS } from '../../main.js';
import { synthesizeAll } from './helpers.js';

// One file snapshot per environment (raw YAML; `.snap` keeps Prettier away from generated text):
// a review shows every change to what gets deployed.
describe('environment snapshots', () => {
  const files = synthesizeAll();
  for (const [name, environment] of Object.entries(ENVIRONMENTS)) {
    it(name, async () => {
      const inFolder = [...files.entries()].filter(([path]) =>
        environment.folder === '.' ? !path.includes('/') : path.startsWith(`${environment.folder}/`),
      );
      expect(inFolder.length).toBeGreaterThan(0);
      const text = inFolder.map(([path, content]) => `# ---- ${path}\n${content}`).join('');
      await expect(text).toMatchFileSnapshot(`__snapshots__/${name}.manifests.snap`);
    });
  }
});
