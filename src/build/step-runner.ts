/**
 * How scripts/build.ts runs its steps: each a child process with its own heap cap, its output
 * drawn by the build's console (build-console.ts), its time, peak memory and reported parts
 * written to the step log (build-log.ts), and the whole process tree's memory sampled every
 * 100 ms. Every step is given the build's handoff manifest by one variable (handoff.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultBuildLogFile, readParts, round, StdoutLines, treeRss, type BuildLog, type StepRecord } from './build-log.ts';
import { BuildConsole } from './build-console.ts';
import { HANDOFF_ENV, stepEventsFile, writeHandoff, type BuildHandoff } from './handoff.ts';

export interface StepRun {
  status: number;
  stdout: string;
  record: StepRecord;
}

export const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} 秒`;

export class StepRunner {
  readonly log: BuildLog;
  readonly out: BuildConsole;
  /** the manifest's file: named to every step, written once (writeHandoff) before the steps that read it */
  readonly handoffFile: string;
  readonly #root: string;
  readonly #logFile: string;
  readonly #started = performance.now();
  readonly #sampler: NodeJS.Timeout;
  readonly #stepPeaks = new Map<number, number>();
  readonly #stepOfPid = new Map<number, string>();
  /** step processes still running: a failed step stops the others */
  readonly #running = new Set<ChildProcess>();
  readonly #scratch = new Set<string>();

  constructor(root: string, outDir: string, options: { verbose: boolean }) {
    this.#root = root;
    this.#logFile = defaultBuildLogFile(outDir);
    mkdirSync(path.dirname(this.#logFile), { recursive: true });
    this.handoffFile = `${this.#logFile}.${process.pid}.handoff.json`;
    writeFileSync(stepEventsFile(this.handoffFile), '');
    this.log = { version: 1, ok: false, startedAt: new Date().toISOString(), seconds: 0, peakRssMB: 0, outDir, steps: [] };
    this.out = new BuildConsole((text) => process.stdout.write(text), { tty: Boolean(process.stdout.isTTY) && !process.env.CI, verbose: options.verbose, expectedPages: lastPageCount(this.#logFile) });
    // the build's whole process tree: its peak, when it was and which steps made it, and each step process's own
    this.#sampler = setInterval(() => {
      const { total, byChild } = treeRss(process.pid);
      const totalMB = Math.round(total / 1024 / 1024);
      if (totalMB > this.log.peakRssMB) {
        this.log.peakRssMB = totalMB;
        this.log.peakAt = { seconds: round((performance.now() - this.#started) / 1000), stepsMB: Object.fromEntries([...byChild].map(([pid, bytes]) => [this.#stepOfPid.get(pid) ?? `pid ${pid}`, Math.round(bytes / 1024 / 1024)])) };
      }
      for (const [pid, bytes] of byChild) this.#stepPeaks.set(pid, Math.max(this.#stepPeaks.get(pid) ?? 0, bytes));
    }, 100);
  }

  /** The manifest for the steps after the first, written once. */
  handOff(handoff: BuildHandoff): void {
    writeHandoff(this.handoffFile, handoff);
  }

  /**
   * Run one step as a child process (`node …args`): `env` on top of the build's own environment,
   * and the handoff's variable. `passStdout`: its output goes straight to the console, else it is
   * kept and returned.
   */
  async run(id: string, name: string, args: string[], opts: { env?: NodeJS.ProcessEnv; passStdout: boolean }): Promise<StepRun> {
    const t = performance.now();
    const child = spawn(process.execPath, args, { cwd: this.#root, stdio: ['inherit', 'pipe', 'inherit'], env: { ...(opts.env ?? process.env), [HANDOFF_ENV]: this.handoffFile } });
    this.#running.add(child);
    this.#stepOfPid.set(child.pid!, id);
    let stdout = '';
    // whole lines to the console (a line split by the pipe is joined first)
    const lines = new StdoutLines(opts.passStdout ? (line) => this.out.line(line) : () => {});
    child.stdout.on('data', (chunk: Buffer) => {
      const text = lines.push(chunk);
      if (!opts.passStdout) stdout += text;
    });
    const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    const rest = lines.end();
    if (!opts.passStdout) stdout += rest;
    this.#running.delete(child);
    const parts = readParts(stepEventsFile(this.handoffFile), child.pid!);
    const peak = this.#stepPeaks.get(child.pid!);
    const record: StepRecord = { id, name, seconds: round((performance.now() - t) / 1000), peakRssMB: peak ? Math.round(peak / 1024 / 1024) : null, counts: sumCounts(parts), ...(parts.length ? { parts } : {}) };
    this.log.steps.push(record);
    return { status, stdout, record };
  }

  /** A step done by the build process itself. */
  record(record: StepRecord): void {
    this.log.steps.push(record);
  }

  /** The build failed: the other steps are stopped, the log written, the process ends with `code`. */
  fail(code: number): never {
    for (const child of this.#running) child.kill();
    this.out.end();
    this.finish(false);
    process.exit(code);
  }

  /** The step log, written once at the end (the handoff and the steps' files removed). */
  finish(ok: boolean): void {
    clearInterval(this.#sampler);
    rmSync(this.handoffFile, { force: true });
    rmSync(stepEventsFile(this.handoffFile), { force: true });
    for (const file of this.#scratch) rmSync(file, { force: true });
    this.log.ok = ok;
    this.log.seconds = round((performance.now() - this.#started) / 1000);
    const tmp = `${this.#logFile}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.log, null, 2)}\n`);
    renameSync(tmp, this.#logFile);
  }

  /** Files beside the step log for this build only (removed by finish). */
  scratchFile(name: string): string {
    const file = `${this.#logFile}.${process.pid}.${name}`;
    this.#scratch.add(file);
    return file;
  }
}

/** How many pages the last build had (the progress bar's total), from its step log. */
function lastPageCount(file: string): number | null {
  try {
    const last = JSON.parse(readFileSync(file, 'utf8')) as BuildLog;
    const counts = last.steps.find((x) => x.id === 'astro-build')?.counts;
    return counts ? (counts.pagesRendered ?? 0) + (counts.pagesReused ?? 0) : null;
  } catch {
    return null;
  }
}

/** A process step's counts: its parts' counts added up by name. */
function sumCounts(parts: StepRecord[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.counts)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The environment without the import.meta.env names a test runner may have set (see the astro build step). */
export function withoutViteEnv(from: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...from };
  for (const name of ['DEV', 'PROD', 'MODE', 'SSR', 'BASE_URL']) delete out[name];
  return out;
}
