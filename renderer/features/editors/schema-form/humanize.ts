/** Words written in capitals in labels. */
const ACRONYMS: Record<string, string> = {
  api: 'API',
  ca: 'CA',
  cpu: 'CPU',
  css: 'CSS',
  db: 'DB',
  dns: 'DNS',
  html: 'HTML',
  http: 'HTTP',
  https: 'HTTPS',
  id: 'ID',
  ip: 'IP',
  js: 'JS',
  json: 'JSON',
  jwt: 'JWT',
  oauth: 'OAuth',
  pem: 'PEM',
  soap: 'SOAP',
  sql: 'SQL',
  ssl: 'SSL',
  tcp: 'TCP',
  tls: 'TLS',
  ttl: 'TTL',
  uri: 'URI',
  url: 'URL',
  uuid: 'UUID',
  wsdl: 'WSDL',
  xml: 'XML',
};

/** Unit suffixes shown in parentheses: `timeoutMs` → "Timeout (ms)". */
const UNITS: Record<string, string> = { ms: 'ms', sec: 's', secs: 's', seconds: 's', kb: 'KB', mb: 'MB' };

/** Splits a property key into lower-case words: camelCase, PascalCase, snake_case, kebab-case, dotted. */
export function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * A label from a property key: 'basePath' → 'Base path', 'timeoutMs' → 'Timeout (ms)',
 * 'caFile' → 'CA file', 'https' → 'HTTPS', 'maxResponseBytes' → 'Max response bytes'.
 */
export function humanize(key: string): string {
  const words = splitWords(key);
  if (words.length === 0) return key;
  let unit: string | undefined;
  const last = words[words.length - 1]!;
  if (words.length > 1 && UNITS[last]) {
    unit = UNITS[last];
    words.pop();
  }
  const text = words
    .map((w, i) => {
      const acronym = ACRONYMS[w];
      if (acronym) return acronym;
      return i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w;
    })
    .join(' ');
  return unit ? `${text} (${unit})` : text;
}
