/** Where the CLI writes; tests swap these to capture output without spawning a process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Commander collector for repeatable options (`--var a=1 --var b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Records the exit code without ending the process, so servers and streams close cleanly. */
export function setExit(code: number): void {
  if (code > (process.exitCode as number | undefined ?? 0)) process.exitCode = code;
}

/** Resolves with the first SIGINT or SIGTERM, so long-running commands (studio, serve) close cleanly. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
