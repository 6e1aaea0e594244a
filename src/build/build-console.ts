/**
 * What `npm run build` prints: one line per step with its time and figures, warnings and errors
 * marked so they stand out, and while astro build renders, the pages as a progress bar (done /
 * total, rate, time left) on a terminal. With CI=true or output to a file, plain step lines only.
 * `--verbose` lists every page and every message of Astro's.
 *
 * Every step's stdout comes through here a line at a time (StdoutLines joins what the pipe
 * splits), and only whole lines are written, so no two lines are ever run together. Astro's
 * messages arrive as events from its logger (src/build/astro-logger.mjs).
 */
import { EVENT_MARK } from './astro-logger.mjs';

export interface ConsoleOptions {
  /** draw the progress bar (a terminal, not CI) */
  tty: boolean;
  verbose: boolean;
  /** pages the last build had: the bar's total (null: unknown, the bar shows a count) */
  expectedPages: number | null;
  now?: () => number;
}

type AstroEvent =
  | { type: 'pages'; pages: number; reused: number }
  | { type: 'pages-done'; rendered: number; reused: number; routes: Record<string, { rendered: number; reused: number; ms: number }> }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error' | 'silent'; label: string | null; message: string };

const BAR_WIDTH = 24;
const nf = new Intl.NumberFormat('zh-CN');

export class BuildConsole {
  readonly #write: (text: string) => void;
  readonly #options: ConsoleOptions;
  readonly #now: () => number;
  #bar = '';
  #pagesStarted: number | null = null;
  /** what astro build's logger reported when its pages were done */
  pagesDone: Extract<AstroEvent, { type: 'pages-done' }> | null = null;
  warnings = 0;
  errors = 0;

  constructor(write: (text: string) => void, options: ConsoleOptions) {
    this.#write = write;
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** One whole line of a step's stdout. */
  line(line: string): void {
    if (line.startsWith(EVENT_MARK)) {
      this.#event(JSON.parse(line.slice(EVENT_MARK.length)) as AstroEvent);
      return;
    }
    this.print(line);
  }

  /** A line of the build's own, or passed through from a step. */
  print(line: string): void {
    this.#clearBar();
    this.#write(`${line}\n`);
    this.#drawBar();
  }

  warn(text: string): void {
    this.warnings++;
    this.print(`⚠ 警告 ${text}`);
  }

  error(text: string): void {
    this.errors++;
    this.print(`✗ 错误 ${text}`);
  }

  /** The bar goes before the build's last lines. */
  end(): void {
    this.#clearBar();
    this.#bar = '';
  }

  #event(e: AstroEvent): void {
    if (e.type === 'log') {
      const text = `${e.label && e.label !== 'SKIP_FORMAT' ? `[${e.label}] ` : ''}${e.message.trim()}`;
      if (e.level === 'error') this.error(text);
      else if (e.level === 'warn') this.warn(text);
      else if (this.#options.verbose && text !== '') this.print(`  ${text}`);
      return;
    }
    if (e.type === 'pages-done') {
      this.pagesDone = e;
      this.#clearBar();
      this.#bar = '';
      return;
    }
    this.#pagesStarted ??= this.#now();
    if (!this.#options.tty) return;
    this.#clearBar();
    this.#bar = this.#barText(e.pages, e.reused);
    this.#drawBar();
  }

  #barText(pages: number, reused: number): string {
    const seconds = (this.#now() - this.#pagesStarted!) / 1000;
    const rate = seconds > 0.5 ? pages / seconds : null;
    const total = this.#options.expectedPages !== null && this.#options.expectedPages >= pages ? this.#options.expectedPages : null;
    const rateText = rate ? ` · 每秒 ${nf.format(Math.round(rate))} 个` : '';
    const reusedText = reused > 0 ? `（沿用 ${nf.format(reused)}）` : '';
    if (total === null) return `[页面] 已生成 ${nf.format(pages)} 个${reusedText}${rateText}`;
    const filled = Math.round((pages / Math.max(total, 1)) * BAR_WIDTH);
    const left = rate ? ` · 约剩 ${Math.max(0, Math.round((total - pages) / rate))} 秒` : '';
    return `[页面] ${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${nf.format(pages)} / 约 ${nf.format(total)}${reusedText}${rateText}${left}`;
  }

  #clearBar(): void {
    if (this.#options.tty && this.#bar !== '') this.#write('\r\u001b[2K');
  }

  #drawBar(): void {
    if (this.#options.tty && this.#bar !== '') this.#write(this.#bar);
  }
}
