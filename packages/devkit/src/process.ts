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

/** How a managed process runs. */
export interface ManagedProcessOptions {
  /** Command-line arguments after the entry point. @default none */
  readonly args?: readonly string[];
  /** Receives the output as it comes; then only its last 64 KiB is kept. @default keep everything */
  readonly onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Own process group, so a terminal's Ctrl-C reaches only the parent, which stops it in order. @default false */
  readonly detached?: boolean;
  /** Node flags before the entry point; none runs compiled JavaScript as an image does. @default TS_NODE_FLAGS */
  readonly nodeFlags?: readonly string[];
}

const KEPT_WHEN_FORWARDED = 64 * 1024;

/**
 * A child process running one of our TypeScript entry points, as a real separate process
 * (so it can be signalled, killed and raced). Its output is kept for assertions and for
 * the error message when it dies early.
 */
export class ManagedProcess {
  /** Processes started here and not yet exited, so a test harness can make sure none outlives its test file. */
  static readonly running = new Set<ManagedProcess>();

  /** Starts `node <entry>` (with the workspace sources, unless told otherwise) and exactly the given environment (plus PATH and HOME). */
  static start(
    entry: string,
    env: Record<string, string | undefined>,
    options: ManagedProcessOptions = {},
  ): ManagedProcess {
    const nodeFlags = options.nodeFlags ?? TS_NODE_FLAGS;
    const child = spawn(process.execPath, [...nodeFlags, entry, ...(options.args ?? [])], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      // The IPC channel is how a service tells which port it holds (see waitForHttp).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: options.detached ?? false,
    });
    return new ManagedProcess(child, options.onOutput);
  }

  /** What the process wrote to stdout (its tail only, when output is forwarded). */
  stdout = '';
  /** What the process wrote to stderr (its tail only, when output is forwarded). */
  stderr = '';
  /** Settles when the process has exited. */
  readonly exited: Promise<Exit>;
  /** The TCP ports the process said it listens on (the service kit says so over IPC once it does). */
  readonly ports = new Set<number>();

  private constructor(
    readonly child: ChildProcess,
    onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void,
  ) {
    const keep = (kept: string, chunk: string) => {
      const all = kept + chunk;
      return onOutput && all.length > KEPT_WHEN_FORWARDED ? all.slice(-KEPT_WHEN_FORWARDED) : all;
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      this.stdout = keep(this.stdout, chunk.toString());
      onOutput?.(chunk.toString(), 'stdout');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = keep(this.stderr, chunk.toString());
      onOutput?.(chunk.toString(), 'stderr');
    });
    child.on('message', (message: { listening?: unknown }) => {
      if (typeof message?.listening === 'number') this.ports.add(message.listening);
    });
    ManagedProcess.running.add(this);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        ManagedProcess.running.delete(this);
        resolve({ code, signal });
      }),
    );
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

  /**
   * Polls `url` until it answers 200; fails early with the process output if it dies, or when
   * `signal` aborts. With `ownPort`, an answer counts only once this process has said it holds
   * the URL's port: another process on that port (one started with the same port by mistake)
   * cannot answer for it.
   */
  async waitForHttp(url: string, timeoutMs = 30_000, signal?: AbortSignal, ownPort = false): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const port = Number(new URL(url).port);
    while (Date.now() < deadline) {
      signal?.throwIfAborted();
      if (!this.running) throw new Error(`process exited before ${url} answered:\n${this.stderr}${this.stdout}`);
      const ok = await (ownPort && !this.ports.has(port) ? Promise.resolve(undefined) : fetch(url)).then(
        (response) => response?.status === 200,
        () => false,
      );
      if (ok) return;
      await sleep(100);
    }
    throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${this.stderr}${this.stdout}`);
  }
}
