// Prometheus text exposition (format 0.0.4) by hand: counters with labels, cumulative histograms, gauges
// read at scrape time. Just what /metrics needs, no client library.

type Labels = Record<string, string>;

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escape(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export interface Metric {
  render(): string;
}

export interface Counter extends Metric {
  inc(labels?: Labels, by?: number): void;
}

export function counter(name: string, help: string): Counter {
  const values = new Map<string, { labels: Labels; value: number }>();
  return {
    inc(labels = {}, by = 1) {
      const key = labelText(labels);
      const found = values.get(key);
      if (found) found.value += by;
      else values.set(key, { labels, value: by });
    },
    render() {
      const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} counter`];
      for (const { labels, value } of values.values())
        lines.push(`${name}${labelText(labels)} ${number(value)}`);
      return lines.join('\n');
    },
  };
}

export interface Histogram extends Metric {
  observe(value: number): void;
}

export function histogram(name: string, help: string, buckets: readonly number[]): Histogram {
  const counts = buckets.map(() => 0);
  let count = 0;
  let sum = 0;
  return {
    observe(value) {
      count++;
      sum += value;
      for (let i = 0; i < buckets.length; i++) {
        if (value <= (buckets[i] ?? Infinity)) {
          counts[i] = (counts[i] ?? 0) + 1;
          break;
        }
      }
    },
    render() {
      const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
      let cumulative = 0;
      buckets.forEach((bound, i) => {
        cumulative += counts[i] ?? 0;
        lines.push(`${name}_bucket{le="${number(bound)}"} ${cumulative}`);
      });
      lines.push(
        `${name}_bucket{le="+Inf"} ${count}`,
        `${name}_sum ${number(sum)}`,
        `${name}_count ${count}`,
      );
      return lines.join('\n');
    },
  };
}

/** A gauge whose samples are read when scraped. */
export function gauge(name: string, help: string, read: () => { labels?: Labels; value: number }[]): Metric {
  return {
    render() {
      const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`];
      for (const { labels = {}, value } of read()) lines.push(`${name}${labelText(labels)} ${number(value)}`);
      return lines.join('\n');
    },
  };
}

export function exposition(metrics: readonly Metric[]): string {
  return `${metrics.map((metric) => metric.render()).join('\n')}\n`;
}
