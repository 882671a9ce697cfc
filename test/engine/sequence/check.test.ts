import { describe, expect, it } from 'vitest';
import type { Step } from '../../../src/model/index.js';
import { checkSequence } from '../../../src/engine/sequence/index.js';
import { project, seq, src } from '../../steps/helpers.js';

const check = (steps: Step[], extra: Parameters<typeof project>[0] = []) => {
  const s = seq('main', steps, [{ name: 'id' }]);
  return checkSequence(project([s, ...extra], [{ name: 'api', kind: 'http', config: {}, transactions: [{ name: 'get', variables: [{ name: 'id', type: 'integer' }] }] }]), s);
};
const out = (id: string, value: unknown): Step => ({ id, kind: 'output', props: { value } });

describe('static checks', () => {
  it('accepts a sound sequence', () => {
    expect(check([{ id: 'a', kind: 'setVariable', props: { name: 'x', value: 1 } }, out('b', src('a')), out('c', src('variables', '$.id'))])).toEqual([]);
  });

  it('unknown step kinds, invalid props, duplicate ids, children on a non-container', () => {
    expect(check([{ id: 'a', kind: 'teleport' }])).toEqual([{ stepPath: 'a', message: 'unknown step kind "teleport"' }]);
    expect(check([{ id: 'a', kind: 'sleep', props: { ms: 'soon' } }])).toEqual([{ stepPath: 'a', message: expect.stringMatching(/^props\.ms: expected milliseconds/) }]);
    expect(check([{ id: 'a', kind: 'sleep', props: { ms: 1, extra: true } }])[0]).toMatchObject({ stepPath: 'a', message: expect.stringContaining('extra') });
    expect(check([{ id: 'a', kind: 'comment' }, { id: 'w', kind: 'while', props: { condition: false }, steps: [{ id: 'a', kind: 'comment' }] }])).toEqual([{ stepPath: 'w/a', message: expect.stringContaining('duplicate step id "a"') }]);
    expect(check([{ id: 'a', kind: 'comment', steps: [{ id: 'b', kind: 'comment' }] }])).toEqual([{ stepPath: 'a', message: 'a comment step holds no steps (it is not a container)' }]);
  });

  it('sources from a later sibling, an unknown id, a disabled step, an enclosing step, or itself', () => {
    expect(check([out('a', src('b')), { id: 'b', kind: 'comment' }])).toEqual([{ stepPath: 'a', message: 'props.value.source: "b" has not run before this step: "b" runs after this step' }]);
    expect(check([out('a', src('ghost'))])).toEqual([{ stepPath: 'a', message: 'props.value.source: no step "ghost" in this sequence (a source reads a step id, variables or session)' }]);
    expect(check([{ id: 'b', kind: 'comment', disabled: true }, out('a', src('b'))])).toEqual([{ stepPath: 'a', message: 'props.value.source: step "b" is disabled, so it never runs' }]);
    expect(check([{ id: 'o', kind: 'jsonObject', steps: [{ id: 'v', kind: 'jsonValue', props: { value: src('o') } }] }])).toEqual([
      { stepPath: 'o/v', message: 'props.value.source: "o" has not run before this step: "o" contains this step and has no output until it ends' },
    ]);
    expect(check([out('a', src('a'))])[0]!.message).toContain('a step cannot read its own output');
  });

  it('sources inside a sibling branch of an if chain or a parallel are refused; earlier containers are readable', () => {
    const chain: Step[] = [
      { id: 'i', kind: 'if', props: { condition: true }, steps: [{ id: 'inIf', kind: 'setVariable', props: { name: 'x', value: 1 } }] },
      { id: 'e', kind: 'else', steps: [out('useIf', src('inIf'))] },
      out('after', src('inIf')),
    ];
    expect(check(chain)).toEqual([{ stepPath: 'e/useIf', message: 'props.value.source: "inIf" has not run before this step: "inIf" is in another branch of the same if / elseIf / else chain' }]);
    const parallel: Step[] = [{ id: 'p', kind: 'parallel', steps: [{ id: 'x', kind: 'comment' }, out('y', src('x'))] }, out('z', src('x'))];
    expect(check(parallel)).toEqual([{ stepPath: 'p/y', message: 'props.value.source: "x" has not run before this step: "x" runs in parallel with this step' }]);
  });

  it('invalid JSONPath or XPath syntax, and malformed sources', () => {
    expect(check([out('a', src('variables', '$.x['))])).toEqual([{ stepPath: 'a', message: expect.stringMatching(/^props\.value\.source\.path: invalid JSONPath "\$\.x\["/) }]);
    expect(check([out('a', src('variables', '//a[@'))])[0]!.message).toMatch(/invalid XPath/);
    expect(check([out('a', { source: { from: 'variables', path: '$', extra: 1 } })])[0]!.message).toContain('unknown key extra');
    expect(check([out('a', { source: { path: '$' } })])[0]!.message).toBe('props.value.source: a source is {from: <step id | variables | session>, path: <JSONPath>}');
  });

  it('unknown transactions, sequences and call variables', () => {
    expect(check([{ id: 'c', kind: 'callTransaction', props: { transaction: 'api.nope' } }])).toEqual([{ stepPath: 'c', message: 'props.transaction: connector api has no transaction "nope" (transactions: get)' }]);
    expect(check([{ id: 'c', kind: 'callTransaction', props: { transaction: 'api.get', variables: { idd: 1 } } }])[0]!.message).toContain('api.get has no variable "idd" (it has: id)');
    expect(check([{ id: 'c', kind: 'callSequence', props: { sequence: 'other' } }])).toEqual([{ stepPath: 'c', message: 'props.sequence: project test has no sequence "other" (sequences: main)' }]);
    expect(check([{ id: 'c', kind: 'callSequence', props: { sequence: 'sub' } }], [seq('sub', [])])).toEqual([]);
  });

  it('placement: elseIf/else without a preceding if, catch/finally outside a try, break outside a loop', () => {
    expect(check([{ id: 'e', kind: 'else' }])).toEqual([{ stepPath: 'e', message: 'Else must come right after an If or an Else If step' }]);
    expect(check([{ id: 'c', kind: 'comment' }, { id: 'e', kind: 'elseIf', props: { condition: true } }])).toEqual([{ stepPath: 'e', message: 'Else If must come right after an If or an Else If step (it follows "c", a comment)' }]);
    expect(check([{ id: 'c', kind: 'catch' }])).toEqual([{ stepPath: 'c', message: 'a Catch goes inside a Try step, after its other steps' }]);
    expect(check([{ id: 't', kind: 'try', steps: [{ id: 'f', kind: 'finally' }, { id: 'x', kind: 'comment' }] }])).toEqual([{ stepPath: 't/f', message: 'a Finally is the last child of its Try' }]);
    expect(check([{ id: 't', kind: 'try', steps: [{ id: 'x', kind: 'comment' }] }])).toEqual([{ stepPath: 't', message: 'a Try needs a Catch or a Finally step as its last child' }]);
    expect(check([{ id: 'b', kind: 'break' }])).toEqual([{ stepPath: 'b', message: 'Break must be inside an Iterate or While step' }]);
    expect(check([{ id: 'i', kind: 'iterate', props: { times: 2 }, steps: [{ id: 'p', kind: 'parallel', steps: [{ id: 'c', kind: 'continue' }] }] }])[0]!.message).toContain('cannot leave a Parallel branch');
    expect(check([{ id: 'i', kind: 'iterate' }])).toEqual([{ stepPath: 'i', message: 'an Iterate needs `over` (an array) or `times`' }]);
  });

  it('reserved ids', () => {
    expect(check([{ id: 'variables', kind: 'comment' }])).toEqual([{ stepPath: 'variables', message: '"variables" is reserved for sources: choose another step id' }]);
  });
});
