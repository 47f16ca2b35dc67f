import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

// tsx runs the TypeScript sources; "source" makes workspace packages resolve to theirs too.
const tsxLoader = createRequire(import.meta.url).resolve('tsx');

/** Node flags that run a TypeScript entry point straight from the workspace sources. */
export const TS_NODE_FLAGS = ['--conditions=source', '--import', tsxLoader] as const;

/**
 * A child process running one of our TypeScript entry points, as a real separate process
 * (so it can be signalled, killed and raced). Its output is kept for assertions and for
 * the error message when it dies early.
 */
export class ManagedProcess {
  /** Starts `node <entry>` with the workspace sources and the given environment. */
  static start(entry: string, env: Record<string, string | undefined>, args: string[] = []): ManagedProcess {
    const child = spawn(process.execPath, [...TS_NODE_FLAGS, entry, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ManagedProcess(child);
  }

  /** Everything the process wrote to stdout. */
  stdout = '';
  /** Everything the process wrote to stderr. */
  stderr = '';
  /** Settles when the process has exited. */
  readonly exited: Promise<Exit>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** True until the process exits. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal and waits for the exit; SIGKILL follows if it takes longer than `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<Exit> {
    if (!this.running) return this.exited;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Polls `url` until it answers 200; fails early with the process output if it dies. */
  async waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`process exited before ${url} answered:\n${this.stderr}${this.stdout}`);
      const ok = await fetch(url).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) return;
      await sleep(100);
    }
    throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${this.stderr}${this.stdout}`);
  }
}
