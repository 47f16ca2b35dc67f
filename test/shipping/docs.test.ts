import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// The README is one page that gets a newcomer running; depth lives in docs/. A clone stands
// alone, so every link a reader follows must land inside it.
const pages = [
  'README.md',
  ...readdirSync(join(repoRoot, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => join('docs', file)),
];

function relativeLinks(page: string): string[] {
  const text = readFileSync(join(repoRoot, page), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'));
}

describe('the documentation', () => {
  it('keeps the README to one page', () => {
    const lines = readFileSync(join(repoRoot, 'README.md'), 'utf8').split('\n').length;
    expect(lines).toBeLessThanOrEqual(200);
  });

  it.each(pages)('%s links only to files in the repository', (page) => {
    for (const target of relativeLinks(page)) {
      const file = join(repoRoot, dirname(page), target.split('#')[0]!);
      expect(target, `${page} links to ${target}`).not.toMatch(/(^|\/)\.\.\/shared\b/);
      expect(existsSync(file), `${page} links to ${target}, which does not exist`).toBe(true);
    }
  });
});
