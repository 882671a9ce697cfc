import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadProject, saveConnector } from '../../project/index.js';
import { connectorKind, type ConnectorKind } from '../../connectors/index.js';
import { TrellisError } from '../../engine/errors.js';
import { VARIABLE_TYPES, nameSchema, type Transaction, type Variable, type VariableType } from '../../model/index.js';
import { collect, processIo } from '../io.js';
import { failWith } from './fail.js';
import { buildCouchTransaction } from './add-couch-transaction.js';

/** Parses `name[:type][=default]`. */
export function parseVarSpec(spec: string): Variable {
  const m = /^([^:=]+)(?::([^=]+))?(?:=(.*))?$/s.exec(spec);
  if (!m) throw new TrellisError('BAD_VARIABLE', `--var "${spec}": expected name[:type][=default]`);
  const name = m[1]!.trim();
  if (!nameSchema.safeParse(name).success) throw new TrellisError('BAD_VARIABLE', `--var "${spec}": "${name}" is not a valid variable name (letters, digits, _ . -; starting with a letter or _)`);
  const type = (m[2]?.trim() ?? 'string') as VariableType;
  if (!VARIABLE_TYPES.includes(type)) throw new TrellisError('BAD_VARIABLE', `--var "${spec}": unknown type "${type}" (use ${VARIABLE_TYPES.join(', ')})`);
  const variable: Variable = { name, type };
  if (m[3] !== undefined) {
    const raw = m[3];
    if (type === 'integer' || type === 'number') {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) throw new TrellisError('BAD_VARIABLE', `--var "${spec}": default "${raw}" is not ${type === 'integer' ? 'an integer' : 'a number'}`);
      variable.default = n;
    } else if (type === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new TrellisError('BAD_VARIABLE', `--var "${spec}": default "${raw}" is not true or false`);
      variable.default = raw === 'true';
    } else if (type === 'json') {
      try {
        variable.default = JSON.parse(raw);
      } catch (e) {
        throw new TrellisError('BAD_VARIABLE', `--var "${spec}": default is not JSON (${(e as Error).message})`);
      }
    } else variable.default = raw;
  }
  return variable;
}

export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
}

/** Builds the transaction: path parameters become required path variables unless --var declared them. */
export function buildTransaction(name: string, opts: { type: string; method: string; path: string; var: string[] }): Transaction {
  const declared = opts.var.map(parseVarSpec);
  const seen = new Set<string>();
  for (const v of declared) {
    if (seen.has(v.name)) throw new TrellisError('BAD_VARIABLE', `--var ${v.name} is given twice`);
    seen.add(v.name);
  }
  const variables: Variable[] = [];
  for (const p of pathParameters(opts.path)) {
    const own = declared.find((v) => v.name === p);
    variables.push({ ...(own ?? { name: p, type: 'string' }), required: true, in: 'path' });
  }
  for (const v of declared) if (!variables.some((x) => x.name === v.name)) variables.push(v);
  return { name, type: opts.type, method: opts.method.toUpperCase(), path: opts.path, variables };
}

/**
 * Builds a SQL transaction: each `{name}` placeholder of the statement (as the kind finds them, skipping strings
 * and comments) becomes a required string variable, as the studio does while you type, unless --var declares it
 * (its type and default are kept).
 */
export function buildSqlTransaction(name: string, opts: { sql: string; result?: string; var: string[] }, kind: ConnectorKind | undefined): Transaction {
  if (!/\S/.test(opts.sql)) throw new TrellisError('INVALID_CONFIG', '--sql is empty');
  const result = opts.result ?? 'rows';
  const declared = opts.var.map(parseVarSpec);
  const seen = new Set<string>();
  for (const v of declared) {
    if (seen.has(v.name)) throw new TrellisError('BAD_VARIABLE', `--var ${v.name} is given twice`);
    seen.add(v.name);
  }
  const placeholders = (kind?.impliedVariables?.({ name, type: 'sql', sql: opts.sql, variables: [] }) ?? []).map((v) => v.name);
  const variables: Variable[] = [];
  for (const p of placeholders) {
    const own = declared.find((v) => v.name === p);
    variables.push(own ? (own.default === undefined ? { ...own, required: true } : own) : { name: p, type: 'string', required: true });
  }
  for (const v of declared) if (!variables.some((x) => x.name === v.name)) variables.push(v);
  return { name, type: 'sql', sql: opts.sql, ...(result !== 'rows' ? { result } : {}), variables };
}

export function registerAddTransaction(add: Command): void {
  add
    .command('transaction <dir> <connector> <name>')
    .description('add a transaction to a connector; {id} in an HTTP path or a SQL statement becomes a variable by itself')
    .option('--type <type>', 'json | xml | text | binary', 'json')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--path <path>', 'path template relative to the connector base path, e.g. /users/{id}', '/')
    .option('--var <spec>', 'a variable: name[:type][=default] (repeatable)', collect, [])
    .option('--sql <statement>', 'SQL connectors: the statement; {name} placeholders become variables by themselves')
    .option('--result <shape>', 'SQL connectors: rows | row | scalar | count', 'rows')
    .option('--operation <operation>', 'couch connectors: get | put | delete | bulkPost | allDocs | view | find | changes')
    .option('--view <design/view>', 'couch connectors, --operation view: the view file fullsync/<database>/<design>/<view>.js')
    .option('--policy <policy>', 'couch connectors, put and bulkPost: none | create | override | merge')
    .action(async function (this: Command, dir: string, connectorName: string, name: string, opts: { type: string; method: string; path: string; var: string[]; sql?: string; result: string; operation?: string; view?: string; policy?: string }) {
      const given = (option: string) => this.getOptionValueSource(option) === 'cli';
      try {
        const folder = resolve(dir);
        const { project, problems } = await loadProject(folder);
        const connector = project.connectors.find((c) => c.name === connectorName);
        if (!connector) {
          const broken = problems.find((p) => p.file === `connectors/${connectorName}.yaml` && p.severity === 'error');
          if (broken) throw new TrellisError('INVALID_PROJECT', `connectors/${connectorName}.yaml:${broken.line}:${broken.col}: ${broken.message} (fix it before adding transactions)`);
          throw new TrellisError('NOT_FOUND', `project ${project.name} has no connector "${connectorName}"${project.connectors.length ? ` (connectors: ${project.connectors.map((c) => c.name).join(', ')})` : ''}`);
        }
        if (!nameSchema.safeParse(name).success) throw new TrellisError('BAD_VARIABLE', `"${name}" is not a valid transaction name (letters, digits, _ . -; starting with a letter or _)`);
        if (connector.transactions.some((t) => t.name === name)) throw new TrellisError('INVALID_PROJECT', `connector ${connectorName} already has a transaction "${name}"`);
        let tx: Transaction;
        if (connector.kind !== 'couch')
          for (const option of ['operation', 'view', 'policy'] as const) if (opts[option] !== undefined) throw new TrellisError('INVALID_CONFIG', `--${option} is for couch connectors; connector ${connectorName} is of kind ${connector.kind}`);
        if (connector.kind === 'couch') {
          for (const option of ['method', 'path', 'result']) if (given(option)) throw new TrellisError('INVALID_CONFIG', `--${option} is not for couch transactions; a couch transaction takes --operation (and --view, --policy)`);
          if (opts.sql !== undefined) throw new TrellisError('INVALID_CONFIG', '--sql is for SQL connectors; a couch transaction takes --operation (and --view, --policy)');
          if (given('type') && opts.type !== 'couch') throw new TrellisError('INVALID_CONFIG', `--type ${opts.type}: a couch transaction is of type couch`);
          const declared = opts.var.map(parseVarSpec);
          const names = new Set<string>();
          for (const v of declared) {
            if (names.has(v.name)) throw new TrellisError('BAD_VARIABLE', `--var ${v.name} is given twice`);
            names.add(v.name);
          }
          tx = buildCouchTransaction(name, opts, declared);
        } else if (connector.kind === 'sql') {
          if (opts.sql === undefined) throw new TrellisError('INVALID_CONFIG', `connector ${connectorName} is a SQL connector: give the statement with --sql "SELECT ... WHERE id = {id}"`);
          for (const option of ['method', 'path']) if (given(option)) throw new TrellisError('INVALID_CONFIG', `--${option} is for HTTP transactions; a SQL transaction takes --sql and --result`);
          if (given('type') && opts.type !== 'sql') throw new TrellisError('INVALID_CONFIG', `--type ${opts.type}: a sql transaction is of type sql`);
          tx = buildSqlTransaction(name, { ...opts, sql: opts.sql }, connectorKind('sql'));
        } else {
          if (opts.sql !== undefined || given('result')) throw new TrellisError('INVALID_CONFIG', `--sql and --result are for SQL connectors; connector ${connectorName} is of kind ${connector.kind}`);
          tx = buildTransaction(name, opts);
        }
        const kind = connectorKind(connector.kind);
        const parsed = kind?.transaction.safeParse(tx);
        if (parsed && !parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new TrellisError('INVALID_CONFIG', `transaction ${connectorName}.${name}: ${issue.path.join('.')}: ${issue.message}`);
        }
        if (kind && !kind.transactionTypes.includes(tx.type ?? '')) throw new TrellisError('INVALID_CONFIG', `--type ${tx.type}: a ${kind.kind} transaction is one of ${kind.transactionTypes.join(', ')}`);
        await saveConnector(folder, { ...connector, transactions: [...connector.transactions, tx] });
        const vars = tx.variables.map((v) => `${v.name}:${v.type}`).join(', ');
        const what =
          connector.kind === 'sql'
            ? `sql, result ${String(tx.result ?? 'rows')}`
            : connector.kind === 'couch'
              ? `couch ${String(tx.operation)}${tx.view ? ` ${String(tx.view)}` : ''}${tx.policy ? `, policy ${String(tx.policy)}` : ''}`
              : `${String(tx.method)} ${String(tx.path)}`;
        processIo.out(`added transaction ${connectorName}.${name} (${what}${vars ? `; variables ${vars}` : ''})`);
      } catch (e) {
        failWith(e);
      }
    });
}
