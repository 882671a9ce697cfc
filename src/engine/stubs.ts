import type { TxResult } from '../connectors/connector-kind.js';

/**
 * Stub mode: where transactions get their answers when the backends are offline. Handed to an execution
 * through its options (ExecuteOptions.stubs), never set globally, so one studio can run a test case in stub
 * mode while another execution calls the real backend. src/project/stubs.ts reads them from `stubs/`.
 */
export interface StubSource {
  /** The recorded answer of `<connector>.<transaction>`; a missing stub throws an error naming the file expected. */
  answer(target: string): Promise<TxResult>;
}
