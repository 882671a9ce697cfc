import type { CaseResult, TestReport } from './runner.js';

// XML 1.0 forbids most control characters, even escaped: they are dropped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escape(text: string): string {
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function failureText(r: CaseResult): string {
  return r.checks
    .filter((c) => !c.ok)
    .map((c) => {
      const lines = [`${c.check}: ${c.message ?? 'failed'}`];
      if (c.expected !== undefined) lines.push(`  expected: ${JSON.stringify(c.expected)}`);
      if (c.actual !== undefined) lines.push(`  actual:   ${JSON.stringify(c.actual)}`);
      return lines.join('\n');
    })
    .join('\n');
}

/** The report as JUnit XML (the dialect CI servers read: testsuites › testsuite per file › testcase). */
export function toJUnit(report: TestReport): string {
  const bySuite = new Map<string, CaseResult[]>();
  for (const r of report.cases) {
    const list = bySuite.get(r.file) ?? [];
    list.push(r);
    bySuite.set(r.file, list);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="trellis" tests="${report.cases.length}" failures="${report.failed}" errors="0" time="${seconds(report.ms)}">`];
  for (const [file, cases] of bySuite) {
    const first = cases[0]!;
    const failures = cases.filter((c) => !c.ok).length;
    const time = cases.reduce((t, c) => t + c.ms, 0);
    out.push(`  <testsuite name="${escape(first.suite)}" file="${escape(file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(time)}">`);
    for (const c of cases) {
      const open = `    <testcase classname="${escape(`${first.suite}.${c.target}`)}" name="${escape(c.name)}" time="${seconds(c.ms)}"`;
      if (c.ok) {
        out.push(`${open}/>`);
        continue;
      }
      const failed = c.checks.find((x) => !x.ok);
      const message = failed ? `${failed.check}: ${failed.message ?? 'failed'}` : 'failed';
      out.push(`${open}>`, `      <failure message="${escape(message)}" type="${escape(failed?.check ?? 'assertion')}">${escape(failureText(c))}</failure>`, '    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
