// Runs a TypeScript entry point of this repository the way `tsx` does, in about half the time:
//
//   node run-ts.mjs main.ts --outdir build        same as `tsx main.ts --outdir build`
//
// esbuild bundles our own sources into one CommonJS file that Node requires. Packages stay outside
// the bundle and load with Node's own require(). What tsx costs on top: starting a loader thread, a
// hook on every module loaded (cdk8s and cdk8s-plus-27 are hundreds), and the export scan Node
// makes of every CommonJS package that an ES module imports.
//
// The bundle is kept in node_modules/.cache/run-ts/ (or $RUN_TS_CACHE) with what it was built from: the content hash
// of every source file, where each package resolved to, and this file and esbuild's version. A run
// whose sources, packages and tools all still match requires it without starting esbuild; any
// difference bundles afresh, so what runs is always the current TypeScript.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { basename, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const CACHE = process.env.RUN_TS_CACHE ?? fileURLToPath(new URL('./node_modules/.cache/run-ts/', import.meta.url));
const require = createRequire(import.meta.url);
const TOOLS = `esbuild ${require('esbuild/package.json').version} ${hash(readFileSync(new URL(import.meta.url)))}`;

/**
 * Bundles `entry` (a path or file URL), or finds its current bundle in the cache, and requires it:
 * resolves to its exports, after its top-level code ran.
 */
export async function requireTypeScript(entry) {
  const entryPath = entry instanceof URL ? fileURLToPath(entry) : resolve(entry);
  const bundle = join(CACHE, `${basename(entryPath)}-${hash(entryPath).slice(0, 16)}.cjs`);
  if (!isCurrent(bundle)) await bundleTo(entryPath, bundle);
  return createRequire(bundle)(bundle);
}

/** The bundle's first line records what it was built from: is all of it still the same? */
function isCurrent(bundle) {
  let record;
  try {
    const text = readFileSync(bundle, 'utf8');
    record = JSON.parse(text.slice('// '.length, text.indexOf('\n')));
  } catch {
    return false;
  }
  return (
    record.tools === TOOLS &&
    Object.entries(record.sources).every(([path, digest]) => digestOf(path) === digest) &&
    record.packages.every(([from, request, path]) => resolvePackage(from, request) === path)
  );
}

async function bundleTo(entryPath, bundle) {
  // Loaded only here: a run that finds its bundle current does not start esbuild at all.
  const { build } = await import('esbuild');
  const sources = {};
  const packages = [];
  const { outputFiles, metafile } = await build({
    entryPoints: [entryPath],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'error',
    define: { 'import.meta.url': OWN_URL },
    plugins: [packagesByAbsolutePath(packages), ownImportMetaUrl(sources)],
  });
  for (const input of Object.keys(metafile.inputs)) sources[resolve(input)] ??= digestOf(input);
  const record = JSON.stringify({
    tools: TOOLS,
    sources,
    packages: [...new Map(packages.map((p) => [p.join(' '), p])).values()],
  });
  mkdirSync(CACHE, { recursive: true });
  // Written whole, then renamed: a run at the same time never requires half a bundle.
  const partial = `${bundle}.${process.pid}`;
  writeFileSync(partial, `// ${record}\n${outputFiles[0].text}`);
  renameSync(partial, bundle);
}

function digestOf(path) {
  try {
    return hash(readFileSync(path));
  } catch {
    return undefined;
  }
}

function hash(data) {
  return createHash('sha256').update(data).digest('hex');
}

function resolvePackage(from, request) {
  try {
    return createRequire(join(from, 'index.js')).resolve(request);
  } catch {
    return undefined;
  }
}

/**
 * Leaves packages out of the bundle, required by the absolute path Node resolves them to from the
 * importing file, since the bundle itself lives elsewhere; each resolution goes into `packages`.
 */
function packagesByAbsolutePath(packages) {
  return {
    name: 'packages-by-absolute-path',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path, resolveDir }) => {
        if (isBuiltin(path)) return { path, external: true };
        const resolved = createRequire(join(resolveDir, 'index.js')).resolve(path);
        packages.push([resolveDir, path, resolved]);
        return { path: resolved, external: true };
      });
    },
  };
}

/**
 * `import.meta.url` of each of our files stays its own location (charts read files next to them),
 * not the bundle's: each file declares it, on its first line so that line numbers stay, and
 * `define` points `import.meta.url` at that declaration, which esbuild keeps apart per file.
 */
const OWN_URL = '__ownImportMetaUrl';
function ownImportMetaUrl(sources) {
  return {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, ({ path }) => {
        const text = readFileSync(path);
        // The hash of what was bundled, even if the file changes while esbuild runs.
        sources[path] = hash(text);
        return {
          contents: `var ${OWN_URL} = ${JSON.stringify(pathToFileURL(path).href)}; ${text}`,
          loader: /\.[cm]?ts$/.test(path) ? 'ts' : 'js',
        };
      });
    },
  };
}

// As a command: the entry sees the command line that `tsx <entry> args...` would give it.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write('Usage: node run-ts.mjs <entry.ts> [arguments...]\n');
    process.exit(2);
  }
  process.argv = [process.argv[0], resolve(entry), ...args];
  // Not a top-level await: the cdk8s CLI require()s this module (through verify/cdk8s-plugin.mjs).
  requireTypeScript(entry).catch((error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
