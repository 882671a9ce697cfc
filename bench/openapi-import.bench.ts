// OpenAPI import: for the three largest corpus specs, swagger-parser's own validate + dereference (the
// baseline; dereference alone where validate rejects the spec) against Trellis's whole import (read,
// parse, map, write a temporary project). Each measurement runs in its own child process so peak RSS is
// per spec and per mode; the ratio is import / parser, measured in the same run. Target: ratio <= 1.5 and
// peak RSS under 300 MB for the largest spec.
//
//   node bin/run-ts.mjs bench/openapi-import.bench.ts [--runs N]
//   node bin/run-ts.mjs bench/openapi-import.bench.ts --one <spec> --mode parser|import   (one measurement, prints JSON)
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const corpus = resolve(repo, '../shared/corpus/openapi');
const SPECS: Record<string, string> = {
  digitalocean: 'digitalocean-v3.0/DigitalOcean-public.v2.yaml',
  box: 'box-v3.0.json',
  'docker-engine': 'docker-engine-v2.yaml',
};

interface Measure {
  ms: number;
  /** CPU time of the process, all threads (steadier than wall time on a busy machine) */
  cpuMs: number;
  rssMb: number;
  what: string;
  operations?: number;
  /** import only: ms spent reading+parsing, mapping, merging, writing schema files, writing the connector and record */
  phases?: Record<string, number>;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function one(spec: string, mode: string): Promise<Measure> {
  const file = join(corpus, SPECS[spec] ?? spec);
  if (mode === 'parser') {
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
    const options = { dereference: { circular: 'ignore' as const } };
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let what = 'validate+dereference';
    try {
      await new SwaggerParser().validate(file, options);
    } catch (e) {
      // validate rejects the spec: time dereference alone, from a fresh start
      what = `dereference only (validate fails: ${String((e as Error).message).split('\n')[0]!.slice(0, 60)})`;
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      await new SwaggerParser().dereference(file, options);
      return { ms: performance.now() - t1, cpuMs: cpuMs(c1), rssMb: process.resourceUsage().maxRSS / 1024, what };
    }
    return { ms: performance.now() - t0, cpuMs: cpuMs(c0), rssMb: process.resourceUsage().maxRSS / 1024, what };
  }
  const { createProject } = await import('../src/project/index.js');
  const { importOpenApi } = await import('../src/openapi/import.js');
  const dir = await mkdtemp(join(tmpdir(), 'trellis-bench-openapi-'));
  try {
    await createProject(dir, { name: 'bench' });
    const marks: Array<[string, number]> = [];
    const mark = (name: string): void => {
      if (!marks.some(([n]) => n === name)) marks.push([name, performance.now()]);
    };
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const summary = await importOpenApi(dir, file, {
      onProgress: (p) => {
        if (p.phase === 'map') mark('read+parse');
        else if (p.phase === 'merge') mark('map');
        else if (p.phase === 'write' && p.done === 0) mark('merge');
        else if (p.phase === 'write' && p.total !== undefined && p.done === p.total - 2) mark('schema files');
      },
    });
    const end = performance.now();
    mark('connector+record');
    const phases: Record<string, number> = {};
    let prev = t0;
    for (const [name, at] of marks) {
      phases[name] = Math.round((name === 'connector+record' ? end : at) - prev);
      prev = at;
    }
    return { ms: end - t0, cpuMs: cpuMs(c0), rssMb: process.resourceUsage().maxRSS / 1024, what: 'read+parse+map+write', operations: summary.imported, phases };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function child(spec: string, mode: string): Measure {
  const r = spawnSync(process.execPath, [join(repo, 'bin/run-ts.mjs'), join(repo, 'bench/openapi-import.bench.ts'), '--one', spec, '--mode', mode], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Measure;
  } catch {
    throw new Error(`${spec} ${mode}: ${r.stderr || r.stdout || `exit ${r.status}`}`);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const oneSpec = arg('--one');
if (oneSpec) {
  console.log(JSON.stringify(await one(oneSpec, arg('--mode') ?? 'import')));
} else {
  const runs = Number(arg('--runs') ?? 3);
  console.log(`OpenAPI import vs swagger-parser 13 (median of ${runs} runs, each in its own process; peak RSS = max over runs)`);
  console.log(`${'spec'.padEnd(14)} ${'parser ms'.padStart(10)} ${'import ms'.padStart(10)} ${'ratio'.padStart(6)} ${'cpu ratio'.padStart(9)} ${'parser MB'.padStart(10)} ${'import MB'.padStart(10)}  ops  baseline`);
  const details: string[] = [];
  for (const spec of Object.keys(SPECS)) {
    const parser: Measure[] = [];
    const imp: Measure[] = [];
    // Alternate the modes so load on the machine hits both alike.
    for (let i = 0; i < runs; i++) {
      parser.push(child(spec, 'parser'));
      imp.push(child(spec, 'import'));
    }
    const p = median(parser.map((m) => m.ms));
    const t = median(imp.map((m) => m.ms));
    const ratio = t / p;
    const cpuRatio = median(imp.map((m) => m.cpuMs)) / median(parser.map((m) => m.cpuMs));
    const prss = Math.max(...parser.map((m) => m.rssMb));
    const irss = Math.max(...imp.map((m) => m.rssMb));
    console.log(
      `${spec.padEnd(14)} ${p.toFixed(0).padStart(10)} ${t.toFixed(0).padStart(10)} ${ratio.toFixed(2).padStart(6)} ${cpuRatio.toFixed(2).padStart(9)} ${prss.toFixed(0).padStart(10)} ${irss.toFixed(0).padStart(10)} ${String(imp[0]!.operations ?? '').padStart(4)}  ${parser[0]!.what}`,
    );
    const mid = [...imp].sort((a, b) => a.ms - b.ms)[Math.floor(imp.length / 2)]!;
    details.push(`  ${spec}: ${Object.entries(mid.phases ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')} (ms)`);
  }
  console.log('import phases (median run):');
  for (const d of details) console.log(d);
  console.log('targets: ratio <= 1.50; import peak RSS < 300 MB for the largest spec (digitalocean)');
}
