import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifests, manifestFolders } from '../../verify/manifest.js';
import { formatMatrices } from '../../verify/report.js';
import { verify } from '../../verify/verify.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('docs/verification-matrices.md', () => {
  it('shows the reachability and RBAC matrices of dist/ as they are (paste `npm run verify -- --matrices` when this fails)', () => {
    const readme = readFileSync(`${ROOT}/docs/verification-matrices.md`, 'utf8');
    const shown =
      /<!-- prettier-ignore-start -->\n([\s\S]*?)<!-- prettier-ignore-end -->\n<!-- \/verify:matrices -->/.exec(
        readme,
      )?.[1];
    const generated = manifestFolders(`${ROOT}/dist`)
      .map((folder) => formatMatrices(relative(ROOT, folder), verify(loadManifests([folder]))))
      .join('\n');
    expect(shown?.trim()).toBe(generated.trim());
  });
});
