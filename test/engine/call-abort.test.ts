import { describe, expect, it } from 'vitest';
import { CallAbort } from '../../src/engine/call-abort.js';

describe('CallAbort', () => {
  it('aborts with the caller’s reason when the caller cancels, and is not a timeout', () => {
    const caller = new AbortController();
    const call = new CallAbort(60_000, caller.signal);
    expect(call.signal.aborted).toBe(false);
    caller.abort(new Error('client went away'));
    expect(call.signal.aborted).toBe(true);
    expect((call.signal.reason as Error).message).toBe('client went away');
    expect(call.timedOut).toBe(false);
    call.done();
  });

  it('starts aborted under an already aborted caller', () => {
    const caller = new AbortController();
    caller.abort('gone');
    const call = new CallAbort(60_000, caller.signal);
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe('gone');
    call.done();
  });

  it('aborts at its deadline and says so', async () => {
    const call = new CallAbort(20, undefined);
    await new Promise((done) => call.signal.addEventListener('abort', done, { once: true }));
    expect(call.timedOut).toBe(true);
    call.done();
  });

  it('leaves nothing behind once done: a later cancel or deadline does not reach it', async () => {
    const caller = new AbortController();
    const call = new CallAbort(20, caller.signal);
    call.done();
    caller.abort();
    await new Promise((done) => setTimeout(done, 60));
    expect(call.signal.aborted).toBe(false);
    expect(call.timedOut).toBe(false);
  });
});
