/**
 * Prometheus text exposition (format 0.0.4), kept by hand: requests by route, method and status; a latency
 * histogram by route and method; errors by project, sequence (or transaction) and code; requests in flight.
 * Route labels are templates (`/projects/shop/sequences/productCard`, `GET /shop/users/{id}`), or `unmatched`,
 * so arbitrary URLs never grow the label set.
 */

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Histogram {
  labels: string;
  counts: number[];
  sum: number;
  count: number;
}

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',');
}

export class Metrics {
  private readonly requests = new Map<string, { labels: string; value: number }>();
  private readonly latency = new Map<string, Histogram>();
  private readonly errors = new Map<string, { labels: string; value: number }>();
  inFlight = 0;

  request(route: string, method: string, status: number, seconds: number): void {
    const key = `${route}\u0000${method}\u0000${status}`;
    let counter = this.requests.get(key);
    if (!counter) {
      counter = { labels: labels({ route, method, status: String(status) }), value: 0 };
      this.requests.set(key, counter);
    }
    counter.value++;
    const hkey = `${route}\u0000${method}`;
    let h = this.latency.get(hkey);
    if (!h) {
      h = { labels: labels({ route, method }), counts: new Array<number>(BUCKETS.length).fill(0), sum: 0, count: 0 };
      this.latency.set(hkey, h);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  error(project: string, target: string, code: string): void {
    const key = `${project}\u0000${target}\u0000${code}`;
    let counter = this.errors.get(key);
    if (!counter) {
      counter = { labels: labels({ project, sequence: target, code }), value: 0 };
      this.errors.set(key, counter);
    }
    counter.value++;
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP trellis_http_requests_total Requests answered, by route, method and status.', '# TYPE trellis_http_requests_total counter');
    for (const c of this.requests.values()) out.push(`trellis_http_requests_total{${c.labels}} ${c.value}`);
    out.push('# HELP trellis_http_request_duration_seconds Time to answer a request.', '# TYPE trellis_http_request_duration_seconds histogram');
    for (const h of this.latency.values()) {
      BUCKETS.forEach((b, i) => out.push(`trellis_http_request_duration_seconds_bucket{${h.labels},le="${b}"} ${h.counts[i]}`));
      out.push(`trellis_http_request_duration_seconds_bucket{${h.labels},le="+Inf"} ${h.count}`);
      out.push(`trellis_http_request_duration_seconds_sum{${h.labels}} ${h.sum}`);
      out.push(`trellis_http_request_duration_seconds_count{${h.labels}} ${h.count}`);
    }
    out.push('# HELP trellis_sequence_errors_total Failed executions, by project, sequence (or connector.transaction) and error code.', '# TYPE trellis_sequence_errors_total counter');
    for (const c of this.errors.values()) out.push(`trellis_sequence_errors_total{${c.labels}} ${c.value}`);
    out.push('# HELP trellis_http_requests_in_flight Requests being answered now.', '# TYPE trellis_http_requests_in_flight gauge', `trellis_http_requests_in_flight ${this.inFlight}`);
    out.push('# HELP process_resident_memory_bytes Resident memory size in bytes.', '# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes ${process.memoryUsage.rss()}`);
    return `${out.join('\n')}\n`;
  }
}
