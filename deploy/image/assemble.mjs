#!/usr/bin/env node
// Lays out what a service's container image holds: its compiled output and exactly its
// production dependency closure, nothing else. The Dockerfiles run this in their build stage
// and test/shipping runs the same script, so the start-up test starts what the image ships.
//
//   node deploy/image/assemble.mjs <workspace name> <output folder>
//
// Run it at the repository root after `npm ci` and `npm run build`. The closure comes from
// `npm ls --omit=dev --all -w <workspace>`: a workspace's devDependencies (packages/devkit and
// its embedded Postgres, tsx, vitest, ...) never reach it, and neither do the root's.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import process from 'node:process';

/** What a workspace package ships when its package.json has no "files" list. */
const DEFAULT_SHIPPED = ['build', 'migrations'];

const [workspace, outArg] = process.argv.slice(2);
if (!workspace || !outArg) {
  process.stderr.write(
    'usage: node deploy/image/assemble.mjs <workspace name, e.g. @billing/invoice-app> <output folder>\n',
  );
  process.exit(2);
}

const root = process.cwd();
const out = resolve(outArg);
if (!existsSync(join(root, 'package-lock.json'))) {
  process.stderr.write(`${root} has no package-lock.json: run this at the repository root.\n`);
  process.exit(2);
}

const listing = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable', '--workspace', workspace], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const locations = listing
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => relative(root, line))
  .filter((location) => location !== '');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const workspaces = [];
for (const location of locations) {
  const source = join(root, location);
  if (lstatSync(source).isSymbolicLink()) {
    // A workspace package: npm links it into node_modules; keep the link, ship its build.
    const target = readlinkSync(source);
    mkdirSync(dirname(join(out, location)), { recursive: true });
    symlinkSync(target, join(out, location));
    workspaces.push(relative(root, resolve(dirname(source), target)));
  } else {
    // A registry package. Its own node_modules (version conflicts) are listed separately.
    const nested = join(source, 'node_modules');
    cpSync(source, join(out, location), {
      recursive: true,
      filter: (path) => path !== nested && !path.startsWith(nested + sep),
    });
  }
}

for (const location of workspaces) {
  const manifest = JSON.parse(readFileSync(join(root, location, 'package.json'), 'utf8'));
  const shipped = manifest.files ?? DEFAULT_SHIPPED;
  cpSync(join(root, location, 'package.json'), join(out, location, 'package.json'));
  for (const entry of shipped) {
    if (existsSync(join(root, location, entry))) {
      cpSync(join(root, location, entry), join(out, location, entry), { recursive: true });
    }
  }
  if (!existsSync(join(out, location, 'build'))) {
    process.stderr.write(`${location} has no build/ folder: run \`npm run build\` first.\n`);
    process.exit(1);
  }
}

process.stdout.write(
  `${workspace}: ${locations.length - workspaces.length} production packages and ${workspaces.join(', ')} in ${out}\n`,
);
