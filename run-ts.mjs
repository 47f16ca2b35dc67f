// Runs a TypeScript entry point of this repository the way `tsx` does, in about half the time:
//
//   node run-ts.mjs main.ts --outdir build        same as `tsx main.ts --outdir build`
//
// esbuild bundles our own sources, afresh on every run so that what runs is always the current
// TypeScript, into one CommonJS file that Node requires. Packages stay outside the bundle and
// load with Node's own require(). What tsx costs on top: starting a loader thread, a hook on every
// module loaded (cdk8s and cdk8s-plus-27 are hundreds), and the export scan Node makes of every
// CommonJS package that an ES module imports.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

/**
 * Bundles `entry` (a path or file URL) and requires it: resolves to its exports, after its
 * top-level code ran.
 */
export async function requireTypeScript(entry) {
  const entryPath = entry instanceof URL ? fileURLToPath(entry) : resolve(entry);
  const { outputFiles } = await build({
    entryPoints: [entryPath],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'error',
    define: { 'import.meta.url': OWN_URL },
    plugins: [packagesByAbsolutePath, ownImportMetaUrl],
  });
  const folder = mkdtempSync(join(tmpdir(), 'run-ts-'));
  const remove = () => rmSync(folder, { recursive: true, force: true });
  // The entry may end the process itself (process.exit), before `finally` would run.
  process.once('exit', remove);
  try {
    const bundle = join(folder, `${basename(entryPath)}.cjs`);
    writeFileSync(bundle, outputFiles[0].contents);
    return createRequire(bundle)(bundle);
  } finally {
    remove();
    process.off('exit', remove);
  }
}

/**
 * Leaves packages out of the bundle, required by the absolute path Node resolves them to from the
 * importing file, since the bundle itself lives in a temporary folder.
 */
const packagesByAbsolutePath = {
  name: 'packages-by-absolute-path',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path, resolveDir }) => {
      if (isBuiltin(path)) return { path, external: true };
      return { path: createRequire(join(resolveDir, 'index.js')).resolve(path), external: true };
    });
  },
};

/**
 * `import.meta.url` of each of our files stays its own location (charts read files next to them),
 * not the bundle's: each file declares it, on its first line so that line numbers stay, and
 * `define` points `import.meta.url` at that declaration, which esbuild keeps apart per file.
 */
const OWN_URL = '__ownImportMetaUrl';
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, ({ path }) => ({
      contents: `var ${OWN_URL} = ${JSON.stringify(pathToFileURL(path).href)}; ${readFileSync(path, 'utf8')}`,
      loader: /\.[cm]?ts$/.test(path) ? 'ts' : 'js',
    }));
  },
};

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
