/**
 * The text of a new route appended to mappings.yaml: GET /<sequence> bound to the sequence. When the file
 * has no routes list yet, the list is started (with the default base path left implicit).
 */
export function appendRoute(text: string, sequence: string): string {
  const route = [`  - method: GET`, `    path: /${kebab(sequence)}`, `    target: { sequence: ${sequence} }`, ''].join('\n');
  const body = text.trim() === '' ? '' : text.endsWith('\n') ? text : `${text}\n`;
  if (!/^routes:/m.test(body)) return `${body}routes:\n${route}`;
  // "routes: []" cannot take items below it
  return `${body.replace(/^routes:\s*\[\s*\]\s*$/m, 'routes:')}${route}`;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
