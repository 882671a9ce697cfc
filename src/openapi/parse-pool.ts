import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as YAML from 'yaml';
import { readFileSync } from 'node:fs';
import { parseCore, type ParseOutcome } from './parse.js';

export interface PoolOutcome extends ParseOutcome {
  /** characters read */
  bytes?: number;
  /** the file could not be read */
  readError?: { code?: string; message: string };
}

interface Job {
  text?: string;
  path?: string;
  done: (o: PoolOutcome) => void;
}

function inThread(job: { text?: string; path?: string }): PoolOutcome {
  let text = job.text;
  if (text === undefined) {
    try {
      text = readFileSync(job.path!, 'utf8');
    } catch (e) {
      return { readError: { code: (e as NodeJS.ErrnoException).code, message: (e as Error).message } };
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  }
  return { ...parseCore(text, YAML), bytes: text.length };
}

/**
 * Parses YAML files on worker threads, so a spec of thousands of files (DigitalOcean: 2,850) parses on
 * every core and the thread that drives the studio stays free. Falls back to parsing in-thread when
 * workers cannot start (a sandbox, a bundle without node_modules) or die.
 */
export class ParsePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private broken = false;

  /** Workers pay off with cores to spare: the calling thread reads files and follows references meanwhile. */
  static defaultSize(): number {
    return Math.min(4, availableParallelism() - 1);
  }

  constructor(size = Math.max(1, ParsePool.defaultSize())) {
    try {
      const yamlPath = createRequire(import.meta.url).resolve('yaml');
      // esbuild (tsx, bundlers) may wrap named functions in __name(); the worker has no such helper.
      const source = `
        const { parentPort, workerData } = require('node:worker_threads');
        const yaml = require(workerData.yaml);
        var __name = (f) => f;
        const parseCore = (${parseCore.toString()});
        const fs = require('node:fs');
        parentPort.on('message', (job) => {
          let out;
          try {
            let text = job.text;
            if (text === undefined) {
              try { text = fs.readFileSync(job.path, 'utf8'); } catch (e) { parentPort.postMessage({ readError: { code: e.code, message: String(e.message) } }); return; }
              if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
            }
            out = parseCore(text, yaml);
            out.bytes = text.length;
          } catch (e) { out = { error: { message: String((e && e.message) || e) } }; }
          try { parentPort.postMessage(out); } catch (e) { parentPort.postMessage({ error: { message: 'cannot pass the parsed value: ' + e.message } }); }
        });`;
      for (let i = 0; i < size; i++) {
        const w = new Worker(source, { eval: true, workerData: { yaml: yamlPath } });
        w.unref();
        w.on('message', (out: PoolOutcome) => this.finish(w, out));
        w.on('error', () => this.fail(w));
        w.on('exit', () => this.fail(w));
        this.workers.push(w);
        this.idle.push(w);
      }
    } catch {
      this.broken = true;
    }
  }

  parse(text: string): Promise<PoolOutcome> {
    if (this.broken) return Promise.resolve(inThread({ text }));
    return new Promise((done) => {
      this.queue.push({ text, done });
      this.pump();
    });
  }

  /** Reads and parses a local file on a worker (the text never crosses threads). */
  parseFile(path: string): Promise<PoolOutcome> {
    if (this.broken) return Promise.resolve(inThread({ path }));
    return new Promise((done) => {
      this.queue.push({ path, done });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(w, job);
      w.postMessage(job.path !== undefined ? { path: job.path } : { text: job.text });
    }
  }

  private finish(w: Worker, out: PoolOutcome): void {
    const job = this.running.get(w);
    this.running.delete(w);
    this.idle.push(w);
    job?.done(out);
    this.pump();
  }

  private fail(w: Worker): void {
    if (!this.workers.includes(w)) return;
    this.workers.splice(this.workers.indexOf(w), 1);
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    const job = this.running.get(w);
    this.running.delete(w);
    if (job) job.done(inThread(job));
    if (!this.workers.length) {
      this.broken = true;
      for (const q of this.queue.splice(0)) q.done(inThread(q));
    }
  }

  async close(): Promise<void> {
    const all = this.workers.splice(0);
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate().catch(() => undefined)));
  }
}
