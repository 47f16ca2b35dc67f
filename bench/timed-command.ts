import { spawn } from 'node:child_process';

/** How long a command took. */
export interface CommandTime {
  /** Wall-clock seconds, as a person waiting for it sees them. */
  readonly wallSeconds: number;
  /** CPU seconds (user + system) of the command and every child it waited for. */
  readonly cpuSeconds: number;
}

/**
 * Runs a command to its end and times it. The CPU time comes from the shell's `times`
 * builtin (POSIX), which reports what the command and its reaped descendants used: on a
 * shared machine it moves far less than the wall clock does.
 */
export async function timeCommand(
  command: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<CommandTime> {
  // The command's stdout joins its stderr, so that stdout carries only the `times` report.
  const script = '"$@" 1>&2; status=$?; times; exit $status';
  const started = performance.now();
  const child = spawn('sh', ['-c', script, 'sh', ...command], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-16_384)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${command.join(' ')} exited with ${code}:\n${stderr}`);
  return { wallSeconds, cpuSeconds: childrenCpuSeconds(stdout) };
}

/** The second line of `times`: user and system time of the shell's children, e.g. "0m2.210s 0m0.160s". */
export function childrenCpuSeconds(timesOutput: string): number {
  const children = timesOutput.trim().split('\n')[1] ?? '';
  const durations = [...children.matchAll(/(\d+)m([\d.]+)s/g)];
  if (durations.length !== 2) throw new Error(`Unexpected output of the shell's times: ${JSON.stringify(timesOutput)}`);
  return durations.reduce((sum, [, minutes, seconds]) => sum + Number(minutes) * 60 + Number(seconds), 0);
}
