import type { Project, Variable } from '../model/index.js';

/**
 * Literal secrets a project must not carry into a bundle: a value where a secret belongs (auth password,
 * token, key; a credential header; a password inside a URL; a default of a secret variable) that is not
 * written as ${env:NAME}.
 */

const SECRET_KEY = /^(password|passwd|pass|secret|token|apikey|api_key|clientsecret|client_secret|privatekey|private_key|accesstoken|access_token|refreshtoken|refresh_token)$/i;
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|x-auth-token)$|token|secret/i;
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@:\s]*:([^@\s]*)@/i;
const ENV_ONLY = /^(\s*\$\{env:[A-Za-z_][A-Za-z0-9_]*\}\s*)+$/;
const HAS_ENV = /\$\{env:[A-Za-z_][A-Za-z0-9_]*\}/;

export interface SecretFinding {
  /** project-relative file */
  file: string;
  /** where in the file, e.g. config.auth.token */
  path: string;
  message: string;
}

function isLiteral(value: string): boolean {
  return value.trim() !== '' && !ENV_ONLY.test(value);
}

function walk(value: unknown, path: string[], visit: (key: string, parent: string | undefined, value: unknown, path: string[]) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, String(i)], visit));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      visit(k, path[path.length - 1], v, [...path, k]);
      walk(v, [...path, k], visit);
    }
}

function configFindings(file: string, root: string, value: unknown): SecretFinding[] {
  const out: SecretFinding[] = [];
  const add = (path: string[], what: string) =>
    out.push({ file, path: path.join('.'), message: `${file}: ${path.join('.')} holds ${what}; write it as \${env:NAME} and set NAME in the environment or .env` });
  walk(value, [root], (key, parent, v, path) => {
    if (typeof v !== 'string') return;
    if ((SECRET_KEY.test(key) || (key === 'value' && parent === 'auth')) && isLiteral(v)) add(path, 'a literal secret');
    else if (parent === 'headers' && CREDENTIAL_HEADER.test(key) && v.trim() !== '' && !HAS_ENV.test(v)) add(path, 'a literal credential header');
    const m = URL_PASSWORD.exec(v);
    if (m && isLiteral(m[1]!)) add(path, 'a URL with a literal password');
  });
  return out;
}

function variableFindings(file: string, where: string, variables: readonly Variable[]): SecretFinding[] {
  return variables
    .filter((v) => v.secret && typeof v.default === 'string' && isLiteral(v.default))
    .map((v) => ({ file, path: `${where}.${v.name}.default`, message: `${file}: ${where} "${v.name}" is secret but has a literal default; remove the default or write it as \${env:NAME}` }));
}

export function literalSecrets(project: Project): SecretFinding[] {
  const out: SecretFinding[] = [];
  for (const c of project.connectors) {
    const file = `connectors/${c.name}.yaml`;
    out.push(...configFindings(file, 'config', c.config));
    c.transactions.forEach((t) => {
      const { variables, ...rest } = t;
      out.push(...configFindings(file, `transactions.${t.name}`, rest));
      out.push(...variableFindings(file, `transaction ${t.name} variable`, variables));
    });
  }
  for (const s of project.sequences) out.push(...variableFindings(`sequences/${s.name}.yaml`, 'variable', s.variables));
  return out;
}
