import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { timeCommand, type CommandTime } from './timed-command.js';

/**
 * The cdk8s default, `app: npx ts-node main.ts`. An ES module project needs ts-node's ESM
 * loader, and ts-node's own `--esm` fails on Node 20 with ERR_UNKNOWN_FILE_EXTENSION (ts-node
 * 10.9.2 and Node 20's off-thread loaders), so npm hands the loader to the ts-node process
 * (`--node-options`, which leaves npm itself alone). The same ts-node, type-check included and
 * reading the same tsconfig.json; that flag is the one change from the default.
 */
export const BASELINE_APP = "npx --node-options='--loader ts-node/esm' ts-node main.ts";

/** One way of synthesizing, as a command line. */
export interface SynthCase {
  readonly name: string;
  readonly command: readonly string[];
  /**
   * Whether every run starts with empty caches (run-ts.mjs's bundles, the schema check's
   * validators), as the first run after a clone or `npm ci` does.
   * @default false
   */
  readonly firstRun?: boolean;
}

/** The suffix of a case that runs with empty caches. */
export const FIRST_RUN = ', empty caches';

/**
 * What the benchmark compares: ours, the CLI with ours, the CLI with the cdk8s default (the
 * same cdk8s.yaml otherwise, so its validation plugin runs in both), two that tell where the
 * time goes (our program without npm, the CLI with ours without validation), and ours again as
 * a first run finds them, with nothing cached.
 */
export function synthCases(outdir: (name: string) => string): SynthCase[] {
  const cli = (name: string, ...args: string[]) => ({
    name,
    command: ['npx', 'cdk8s', 'synth', '--output', outdir(name), ...args],
  });
  return [
    { name: 'npm run synth', command: ['npm', 'run', 'synth', '--', '--outdir', outdir('npm run synth')] },
    {
      name: 'node run-ts.mjs main.ts',
      command: ['node', 'run-ts.mjs', 'main.ts', '--outdir', outdir('node run-ts.mjs main.ts')],
    },
    cli('npx cdk8s synth'),
    cli('baseline', '--app', BASELINE_APP),
    cli('npx cdk8s synth --no-validate', '--no-validate'),
    {
      name: `npm run synth${FIRST_RUN}`,
      command: ['npm', 'run', 'synth', '--', '--outdir', outdir(`npm run synth${FIRST_RUN}`)],
      firstRun: true,
    },
    { ...cli(`npx cdk8s synth${FIRST_RUN}`), firstRun: true },
  ];
}

/** Times of one case over the rounds, and their median. */
export interface SynthTiming {
  readonly name: string;
  readonly command: string;
  readonly runs: CommandTime[];
  readonly median: CommandTime;
}

export interface SynthResult {
  readonly rounds: number;
  readonly timings: SynthTiming[];
}

/**
 * Runs every case `rounds` times, interleaved (one of each per round, so that a busy spell on
 * the machine hits them alike), after one warm-up of `npm run synth` and of `npx cdk8s synth`
 * that fills the caches of run-ts.mjs and of the schema check (under node_modules/.cache) as
 * any second run would find them. Each writes to a folder of its own, and every output must
 * equal the first: the same charts, whichever way they were run.
 */
export async function benchmarkSynth(repoRoot: string, rounds = 3): Promise<SynthResult> {
  const root = await mkdtemp(join(tmpdir(), 'billing-bench-synth-'));
  try {
    const folders = new Map<string, string>();
    const outdir = (name: string) => {
      const folder = join(root, name.replace(/[^a-z0-9]+/gi, '-'));
      folders.set(name, folder);
      return folder;
    };
    const cases = synthCases(outdir);
    // One environment everywhere: `npx cdk8s synth` writes one (dev), so every way writes dev.
    const env = { CDK8S_CHECK_UPGRADE: 'false', PLATFORM_ENV: 'dev' };
    for (const warmUp of cases.filter((c) => ['npm run synth', 'npx cdk8s synth'].includes(c.name)))
      await timeCommand(warmUp.command, { cwd: repoRoot, env });

    // A first-run case gets empty cache folders of its own every time, and leaves the shared ones alone.
    let emptyCaches = 0;
    const envFor = (synthCase: SynthCase) => {
      if (!synthCase.firstRun) return env;
      const caches = join(root, 'caches', String(emptyCaches++));
      return { ...env, RUN_TS_CACHE: join(caches, 'run-ts'), VERIFY_SCHEMA_CACHE: join(caches, 'verify-schema') };
    };
    const runs = new Map<string, CommandTime[]>(cases.map((c) => [c.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const synthCase of cases) {
        runs.get(synthCase.name)!.push(await timeCommand(synthCase.command, { cwd: repoRoot, env: envFor(synthCase) }));
      }
    }

    const expected = await manifests(folders.get(cases[0]!.name)!);
    for (const synthCase of cases.slice(1)) {
      const actual = await manifests(folders.get(synthCase.name)!);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(`${synthCase.name} wrote other manifests than ${cases[0]!.name}: not the same charts`);
      }
    }
    return {
      rounds,
      timings: cases.map((synthCase) => {
        const times = runs.get(synthCase.name)!;
        return {
          name: synthCase.name,
          command: synthCase.command
            .map((arg) => (arg.includes(' ') ? `"${arg}"` : arg.replace(root, '$TMP')))
            .join(' '),
          runs: times,
          median: {
            wallSeconds: median(times.map((t) => t.wallSeconds)),
            cpuSeconds: median(times.map((t) => t.cpuSeconds)),
          },
        };
      }),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Every .yaml file below `folder`, by relative path. */
async function manifests(folder: string): Promise<Record<string, string>> {
  const files = (await readdir(folder, { recursive: true })).filter((file) => file.endsWith('.yaml')).sort();
  const contents: Record<string, string> = {};
  for (const file of files) contents[relative(folder, join(folder, file))] = await readFile(join(folder, file), 'utf8');
  if (files.length === 0) throw new Error(`No manifests in ${folder}`);
  return contents;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
