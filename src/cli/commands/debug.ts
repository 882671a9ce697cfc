import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { DebugController, type Breakpoint, type DebugCommand, type DebugSnapshot } from '../../engine/debug/index.js';
import { envFrom } from '../../engine/env.js';
import { TrellisError } from '../../engine/errors.js';
import { Logs } from '../../engine/logger.js';
import { ConnectionPool } from '../../engine/pool.js';
import { executeSequence } from '../../engine/sequence/index.js';
import { loadProject, readDotEnv } from '../../project/index.js';
import { collect, processIo } from '../io.js';
import { failWith } from './fail.js';
import { parseVarValues } from './run.js';

/** What a line of stdin may say at a pause. */
const WORDS: Record<string, DebugCommand> = {
  c: 'continue',
  continue: 'continue',
  n: 'stepOver',
  next: 'stepOver',
  over: 'stepOver',
  stepover: 'stepOver',
  s: 'stepInto',
  step: 'stepInto',
  into: 'stepInto',
  stepinto: 'stepInto',
  o: 'stepOut',
  out: 'stepOut',
  stepout: 'stepOut',
  q: 'stop',
  quit: 'stop',
  stop: 'stop',
};

/** `--break card` or `--break "line:index === 2"` (the condition is everything after the first colon). */
export function parseBreakpoint(spec: string, where = '--break'): { sequence?: string; breakpoint: Breakpoint } {
  const colon = spec.indexOf(':');
  const target = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const condition = colon < 0 ? undefined : spec.slice(colon + 1).trim();
  if (!target) throw new TrellisError('BAD_VARIABLE', `${where} "${spec}": expected <step>[:<condition>] or <sequence>/<step>[:<condition>]`);
  const slash = target.lastIndexOf('/');
  const step = slash < 0 ? target : target.slice(slash + 1);
  const sequence = slash < 0 ? undefined : target.slice(0, slash);
  return { sequence, breakpoint: condition ? { step, condition } : { step } };
}

/**
 * `trellis debug`: the debugger without the studio. Each pause prints the snapshot as one JSON line on
 * stdout ({"paused": …}) and waits for a line on stdin: c(ontinue), n(ext) = step over, s(tep) = step into,
 * o(ut) = step out, q(uit) = stop. At the end: {"output": …}. When stdin ends, the remaining pauses continue.
 */
export function registerDebug(program: Command): void {
  program
    .command('debug <dir> <sequence>')
    .description('execute a sequence under the debugger: pauses at --break steps (and with --stop-on-entry at the first), printing a JSON snapshot per pause and reading c/n/s/o/q from stdin')
    .option('--break <step[:condition]>', 'a breakpoint on a step id (<sequence>/<step> for a called sequence), with an optional JavaScript condition; repeatable', collect, [])
    .option('--stop-on-entry', 'pause before the first step', false)
    .option('--var <name=value>', 'a variable value (repeat a name for a multivalued variable)', collect, [])
    .option('--timeout <ms>', 'deadline for the execution in ms (time paused does not count)')
    .action(async (dir: string, sequence: string, opts: { break: string[]; stopOnEntry: boolean; var: string[]; timeout?: string }) => {
      const pool = new ConnectionPool();
      const controller = new AbortController();
      const lines = createInterface({ input: process.stdin, terminal: false });
      const queue: string[] = [];
      let ended = false;
      let waiter: (() => void) | undefined;
      lines.on('line', (line) => {
        queue.push(line);
        waiter?.();
      });
      lines.on('close', () => {
        ended = true;
        waiter?.();
      });
      const nextCommand = async (): Promise<DebugCommand> => {
        for (;;) {
          const line = queue.shift();
          if (line !== undefined) {
            const word = line.trim().toLowerCase().replace(/[^a-z]/g, '');
            if (!word) continue;
            const command = WORDS[word];
            if (command) return command;
            processIo.err(`trellis debug: "${line.trim()}" is not a command: c(ontinue), n(ext: step over), s(tep into), o(ut: step out), q(uit: stop)`);
            continue;
          }
          if (ended) return 'continue';
          await new Promise<void>((r) => (waiter = r));
          waiter = undefined;
        }
      };
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const folder = resolve(dir);
        const { project } = await loadProject(folder);
        const timeoutMs = opts.timeout === undefined ? undefined : Number(opts.timeout);
        if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new TrellisError('BAD_VARIABLE', `--timeout "${opts.timeout}" is not a positive number of milliseconds`);
        const debug = new DebugController(
          {
            paused: (snapshot: DebugSnapshot) => {
              processIo.out(JSON.stringify({ paused: snapshot }));
              void nextCommand().then((command) => debug.command(command));
            },
            resumed: () => {},
          },
          { signal: controller.signal, stopOnEntry: opts.stopOnEntry },
        );
        const bySequence = new Map<string, Breakpoint[]>();
        for (const spec of opts.break) {
          const { sequence: owner = sequence, breakpoint } = parseBreakpoint(spec);
          bySequence.set(owner, [...(bySequence.get(owner) ?? []), breakpoint]);
        }
        for (const [owner, list] of bySequence) debug.setBreakpoints(owner, list);
        const logs = new Logs({ project: project.log });
        const result = await executeSequence(project, sequence, parseVarValues(opts.var), {
          env: envFrom(process.env, await readDotEnv(folder)),
          pool,
          signal: controller.signal,
          timeoutMs,
          logger: logs.get('sequence'),
          debug,
        });
        processIo.out(JSON.stringify({ output: result.output }));
      } catch (e) {
        failWith(e);
      } finally {
        process.off('SIGINT', onSigint);
        lines.close();
        await pool.dispose();
      }
    });
}
