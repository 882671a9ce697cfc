import { TrellisError } from '../../engine/errors.js';
import { COUCH_OPERATIONS, POST_POLICIES, type CouchOperation } from '../../connectors/couch/config.js';
import type { Transaction, Variable } from '../../model/index.js';

/**
 * A couch transaction from `--operation` (+ `--view design/view` for view, `--policy` for put and bulkPost). The
 * operation's own variables (docid, doc, key, ...) come from the kind, so only --var declarations are written.
 */
export function buildCouchTransaction(name: string, opts: { operation?: string; view?: string; policy?: string }, declared: Variable[]): Transaction {
  if (opts.operation === undefined) throw new TrellisError('INVALID_CONFIG', `a couch transaction needs --operation (${COUCH_OPERATIONS.join(', ')})`);
  if (!(COUCH_OPERATIONS as readonly string[]).includes(opts.operation)) throw new TrellisError('INVALID_CONFIG', `--operation "${opts.operation}": use one of ${COUCH_OPERATIONS.join(', ')}`);
  const operation = opts.operation as CouchOperation;
  if (operation === 'view') {
    if (opts.view === undefined) throw new TrellisError('INVALID_CONFIG', '--operation view needs --view <design>/<view> (the file fullsync/<database>/<design>/<view>.js)');
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(opts.view)) throw new TrellisError('INVALID_CONFIG', `--view "${opts.view}": write the view as <design>/<view>`);
  } else if (opts.view !== undefined) throw new TrellisError('INVALID_CONFIG', `--view is for --operation view, not ${operation}`);
  if (opts.policy !== undefined) {
    if (operation !== 'put' && operation !== 'bulkPost') throw new TrellisError('INVALID_CONFIG', `--policy is for --operation put or bulkPost, not ${operation}`);
    if (!(POST_POLICIES as readonly string[]).includes(opts.policy)) throw new TrellisError('INVALID_CONFIG', `--policy "${opts.policy}": use one of ${POST_POLICIES.join(', ')}`);
  }
  return {
    name,
    type: 'couch',
    operation,
    ...(opts.policy !== undefined && opts.policy !== 'none' ? { policy: opts.policy } : {}),
    ...(opts.view !== undefined ? { view: opts.view } : {}),
    variables: declared,
  };
}
