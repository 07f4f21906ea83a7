import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** One child process of the cluster: its output goes to a log file; it can be stopped, killed and started again. */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private tail = '';

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly o: {
      logFile: string;
      env?: NodeJS.ProcessEnv;
      cwd?: string;
      uid?: number;
      gid?: number;
    },
  ) {}

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and waits until `ready` succeeds or `readyLine` appears in its output. */
  async start(ready: { check?: () => Promise<unknown>; line?: string; timeoutMs?: number }): Promise<void> {
    const log = createWriteStream(this.o.logFile, { flags: 'a', mode: 0o600 });
    const options: SpawnOptions = {
      env: this.o.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C at the terminal reaches only the launcher, which stops things in order.
      detached: true,
      ...(this.o.cwd ? { cwd: this.o.cwd } : {}),
      ...(this.o.uid !== undefined ? { uid: this.o.uid, gid: this.o.gid } : {}),
    };
    const child = spawn(this.command, this.args, options);
    this.child = child;
    this.tail = '';
    const onData = (d: Buffer) => {
      log.write(d);
      this.tail = (this.tail + d.toString()).slice(-2000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    this.exited = new Promise((res) => child.once('exit', () => log.end(() => res())));
    const timeoutMs = ready.timeoutMs ?? 90_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited during start-up:\n${this.tail}`);
      if (ready.line && this.tail.includes(ready.line)) return;
      if (ready.check) {
        try {
          await ready.check();
          return;
        } catch (err) {
          if (Date.now() > deadline) throw err;
        }
      }
      if (Date.now() > deadline)
        throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.tail}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Asks the process to stop (SIGTERM unless told otherwise) and waits for it. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.running) this.child!.kill(signal);
    await this.exited;
  }

  /** A crash: SIGKILL, no chance to clean up. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  output(): string {
    return this.tail;
  }
}
