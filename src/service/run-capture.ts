import type { ConnectorHandle, ExecContext, TxResult, Vars } from '../connectors/index.js';
import type { Env } from '../engine/env.js';
import type { Logger } from '../engine/logger.js';
import { ConnectionPool } from '../engine/pool.js';
import type { TraceEvent } from '../engine/trace.js';
import type { Connector, Json, Sequence, Step, Transaction } from '../model/index.js';
import { stepKind } from '../steps/index.js';

interface CallRecord {
  at: number;
  target: string;
  result: TxResult;
  claimed: boolean;
}

/** Every step of a sequence by its trace path ('card/title'); steps of called sequences are not in it. */
function stepPaths(steps: readonly Step[], prefix = '', into = new Map<string, Step>()): Map<string, Step> {
  for (const s of steps) {
    const path = `${prefix}${s.id}`;
    into.set(path, s);
    if (s.steps) stepPaths(s.steps, `${path}/`, into);
  }
  return into;
}

/**
 * Watches one sequence execution from the outside: step outputs from its trace, and the result of each
 * backend call through a pool that records what the shared pool's handles answer. It gives the source
 * picker its samples (outputs by step id, a call's meta under '<id>.meta') and "Update schema" the data
 * of the transactions the sequence called.
 */
export class RunCapture {
  readonly outputs: Record<string, Json> = {};
  readonly calls: CallRecord[] = [];
  private readonly paths: Map<string, Step>;
  private readonly started = new Map<string, number>();
  private clock = 0;

  constructor(sequence: Sequence | undefined) {
    this.paths = stepPaths(sequence?.steps ?? []);
  }

  /** True once a step of the sequence itself has finished. */
  get ranSteps(): boolean {
    return Object.keys(this.outputs).length > 0 || this.calls.length > 0;
  }

  trace(e: TraceEvent): void {
    const step = this.paths.get(e.step);
    if (!step) return;
    if (e.phase === 'start') {
      this.started.set(e.step, ++this.clock);
      return;
    }
    if (e.phase === 'end' && e.output !== undefined) this.outputs[step.id] = e.output;
    // A step that calls a backend (its kind has a meta schema) takes the latest call answered since it started.
    if (stepKind(step.kind)?.metaSchema) {
      const since = this.started.get(e.step) ?? 0;
      for (let i = this.calls.length - 1; i >= 0; i--) {
        const call = this.calls[i]!;
        if (call.at < since) break;
        if (call.claimed) continue;
        call.claimed = true;
        this.outputs[`${step.id}.meta`] = JSON.parse(JSON.stringify(call.result.meta)) as Json;
        break;
      }
    }
  }

  record(target: string, result: TxResult): void {
    this.calls.push({ at: ++this.clock, target, result, claimed: false });
  }

  /** A pool for this run: connections come from (and stay in) the shared pool; answers are recorded. */
  pool(shared: ConnectionPool): ConnectionPool {
    return new RecordingPool(shared, (target, result) => this.record(target, result));
  }
}

class RecordingPool extends ConnectionPool {
  constructor(
    private readonly shared: ConnectionPool,
    private readonly onResult: (target: string, result: TxResult) => void,
  ) {
    super();
  }

  override async get(projectDir: string, connector: Connector, env: Env, logger: Logger): Promise<ConnectorHandle> {
    const handle = await this.shared.get(projectDir, connector, env, logger);
    return {
      execute: async (tx: Transaction, vars: Vars, ctx: ExecContext) => {
        const result = await handle.execute(tx, vars, ctx);
        this.onResult(`${connector.name}.${tx.name}`, result);
        return result;
      },
      // The shared pool owns the connection: a run never closes it.
      close: async () => undefined,
    };
  }

  override async dispose(): Promise<void> {}
}
