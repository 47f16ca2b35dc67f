// `npm run verify [-- paths...] [--matrices] [--list]`: checks the manifests, prints the report
// and exits 1 on any violation. Each folder (dist/, and each folder below it such as dist/prod/)
// is one environment, verified on its own as one cluster. --matrices prints the reachability and
// RBAC matrices as Markdown (what docs/verification-matrices.md shows); --list prints every check with its reason.
import { ALL_CHECKS } from './all-checks.js';
import { loadManifests, manifestFolders } from './manifest.js';
import { formatCheckList, formatMatrices, formatReport } from './report.js';
import { verify } from './verify.js';

const args = process.argv.slice(2);
const flags = new Set(args.filter((arg) => arg.startsWith('--')));
const unknown = [...flags].filter((flag) => !['--matrices', '--list'].includes(flag));
const paths = args.filter((arg) => !arg.startsWith('--'));

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

if (unknown.length > 0) fail(`Unknown option ${unknown.join(', ')}: use --matrices or --list.`);

if (flags.has('--list')) {
  print(formatCheckList({ checks: ALL_CHECKS }));
  process.exit(0);
}

let failed = false;
try {
  for (const folder of (paths.length > 0 ? paths : ['dist']).flatMap(manifestFolders)) {
    const report = verify(loadManifests([folder]));
    print(flags.has('--matrices') ? formatMatrices(folder, report) : `== ${folder} ==\n${formatReport(report)}\n`);
    failed ||= report.violations.length > 0;
  }
} catch (error) {
  fail((error as Error).message);
}
process.exit(failed ? 1 : 0);
