/**
 * The build's machine-readable step log. scripts/build.ts runs each step as a process of its
 * own and writes one JSON file when the build ends (BUILD_STEPS_FILE, default
 * `<outDir>/../tmp/build-steps.json`, never inside the site): every step's name, seconds,
 * peak memory and counts. A step process reports its parts (the read model, the downloads,
 * the name index…) by appending one JSON line each, with its process id, to the events file
 * beside the build's handoff manifest (handoff.ts, stepEventsFile), which the build reads back
 * for that process when it has exited. scripts/bench.ts reads the log instead of the Chinese
 * lines meant for people.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { handoffFile, stepEventsFile } from './handoff.ts';

export interface StepRecord {
  /** stable English id, e.g. `astro-build`, `downloads` */
  id: string;
  /** what the build's Chinese log calls it */
  name: string;
  seconds: number;
  /** peak resident memory in MB: of the step's whole process tree for a process step, of its own process (so far) for a part */
  peakRssMB: number | null;
  counts: Record<string, number>;
  /** the parts a process step reported (see reportStep) */
  parts?: StepRecord[];
  /** what a part hands back to the build for the handoff (the data step: the snapshot it wrote or found, the /downloads/ list as JSON) */
  detail?: Record<string, string>;
  /**
   * astro build, by the first segment of the page's path (`villages`, `counties`, `index.html`…):
   * pages rendered and reused, and the sum of the rendered pages' times as Astro logs them
   * (with several pages in flight these overlap, so they add up to more than the step's time)
   */
  routes?: Record<string, { rendered: number; reused: number; ms: number }>;
}

/**
 * A child's stdout as text, line by line. The pipe hands over bytes in pieces that can end
 * inside a character (Astro's `├─` is three bytes in UTF-8): decoded piece by piece, such a
 * line lost its mark and its page went uncounted (12 of 229,234 pages nationally once Astro's
 * lines came in 64 KB writes). A StringDecoder keeps a split character for the next piece.
 */
export class StdoutLines {
  readonly #decoder = new StringDecoder('utf8');
  #pending = '';
  readonly #onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  /** One piece as read; returns its text (a split character is held back for the next piece). */
  push(chunk: Buffer): string {
    const text = this.#decoder.write(chunk);
    const lines = (this.#pending + text).split('\n');
    this.#pending = lines.pop()!;
    for (const line of lines) this.#onLine(line);
    return text;
  }

  /** The stream ended: what is left, as a last line if there is any; returns the text held back. */
  end(): string {
    const text = this.#decoder.end();
    const rest = this.#pending + text;
    this.#pending = '';
    if (rest !== '') this.#onLine(rest);
    return text;
  }
}

export interface BuildLog {
  version: 1;
  ok: boolean;
  startedAt: string;
  seconds: number;
  /** peak resident memory of the build's whole process tree, MB (sampled every 100 ms) */
  peakRssMB: number;
  /** when that peak was (seconds after the build started) and what each step's process tree held then, MB */
  peakAt?: { seconds: number; stepsMB: Record<string, number> };
  outDir: string;
  steps: StepRecord[];
}

/** Called inside a step process: one part done (its start from performance.now()). */
export function reportStep(id: string, name: string, started: number, counts: Record<string, number> = {}, detail?: Record<string, string>): void {
  reportRecord({ id, name, seconds: round((performance.now() - started) / 1000), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), counts, ...(detail ? { detail } : {}) });
}

/** Called inside a step process: a part as it is to be recorded (nothing outside scripts/build.ts). */
export function reportRecord(record: StepRecord): void {
  const file = eventsFile();
  if (!file) return;
  // one line per append (O_APPEND: the lines of two steps running side by side never mix)
  appendFileSync(file, `${JSON.stringify({ pid: process.pid, record })}\n`);
}

/** This process's events file, when scripts/build.ts started it as a step. */
function eventsFile(): string | null {
  const handoff = handoffFile();
  return handoff ? stepEventsFile(handoff) : null;
}

/**
 * Called inside a step process: when it exits, report its V8 heap as a part (`heap`): how many
 * full (mark-compact) collections ran and how long all collections took, and the heap still in
 * use just after a full collection at its largest — about the live data, which the resident
 * peak (that grows towards the heap cap with garbage) does not tell. At national scale this
 * says how low a process's heap cap can go.
 */
export function watchHeap(): void {
  if (!eventsFile()) return;
  const started = performance.now();
  const heap = { fullGcs: 0, gcMs: 0, liveAfterFullGcMB: 0, heapLimitMB: Math.round(getHeapStatistics().heap_size_limit / 1048576) };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      heap.gcMs += entry.duration;
      if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        heap.fullGcs++;
        // (read when the entry is delivered, a moment after the collection: an upper bound)
        heap.liveAfterFullGcMB = Math.max(heap.liveAfterFullGcMB, Math.round(getHeapStatistics().used_heap_size / 1048576));
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    observer.disconnect();
    reportStep('heap', 'V8 堆：完整 GC 次数、GC 用时、完整 GC 后仍在用的最大值', started, { ...heap, gcMs: Math.round(heap.gcMs) });
  });
}

/** The parts the step process `pid` reported to the events file. */
export function readParts(file: string, pid: number): StepRecord[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { pid: number; record: StepRecord });
  return lines.filter((l) => l.pid === pid).map((l) => l.record);
}

export const round = (x: number) => Math.round(x * 100) / 100;

/** Resident memory of a process and all its descendants, from /proc (0 where /proc is absent). */
export function treeRss(pid: number): { total: number; byChild: Map<number, number> } {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return { total: 0, byChild: new Map() };
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const p = Number(entry);
      rss.set(p, Number(fields[21]) * 4096);
      const ppid = Number(fields[1]);
      const list = children.get(ppid) ?? [];
      list.push(p);
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const subtree = (root: number) => {
    let total = 0;
    const stack = [root];
    while (stack.length) {
      const p = stack.pop()!;
      total += rss.get(p) ?? 0;
      stack.push(...(children.get(p) ?? []));
    }
    return total;
  };
  return { total: subtree(pid), byChild: new Map((children.get(pid) ?? []).map((c) => [c, subtree(c)])) };
}

/** The default place of the log: beside the site, never in it. */
export function defaultBuildLogFile(outDir: string): string {
  return process.env.BUILD_STEPS_FILE ? path.resolve(process.env.BUILD_STEPS_FILE) : path.join(path.dirname(path.resolve(outDir)), 'tmp', 'build-steps.json');
}
