// @ts-check
/**
 * Astro's logger for this site (astro.config.mjs `logger.entrypoint`, Astro's public Logger
 * API; JavaScript because Astro loads it before any TypeScript). Astro logs two messages a
 * page; this logger turns them into counts instead of lines:
 *
 * - Inside `npm run build` (scripts/build.ts hands this step its manifest, src/build/handoff.ts) it
 *   writes events for the build's console to draw, one line each on stdout, marked with
 *   EVENT_MARK: the pages so far (at most every PROGRESS_MS), every message of Astro's own
 *   (the console shows warnings and errors, and the rest only with --verbose), and the totals
 *   by route when the pages are done, which build.ts records in its step log.
 * - Run alone (`astro build`, `astro dev`) it prints Astro's messages as Astro does, but the
 *   pages as one progress line every few seconds and a total, not a line each.
 *
 * A page is logged as `  ├─ /villages/1/index.html` when it starts and ` (+3ms)` when written;
 * a reused page as its path followed by ` (cached)` or ` (restored)`. With several pages in
 * flight a time is given to the route of the page started last (exact counts, close times).
 */
import { reportRecord } from './build-log.ts';
import { handoffFile, readHandoff } from './handoff.ts';

/** Marks an event line on stdout (an ASCII record separator: never in Astro's own text). */
export const EVENT_MARK = '\u001egpdzc ';
const PROGRESS_MS = 250;
const PLAIN_PROGRESS_MS = 5000;
const PAGE = /^\s*[├└]─ \/(\S*)/;
const REUSED = /\((?:cached|restored)\)/;
const TIME = /\(\+([\d.]+)(m?s)\)/;
const COLOURS = /\u001b\[[0-9;]*m/g;

/** Pages by the first segment of their path, as the step log records them. */
export class PageTally {
  rendered = 0;
  reused = 0;
  /** @type {Record<string, { rendered: number; reused: number; ms: number }>} */
  routes = {};
  /** @type {string | null} */
  #last = null;

  /**
   * One message of Astro's; true when it was about a page (counted, not to be printed).
   * @param {{ label: string | null; message: string }} m
   */
  take(m) {
    const text = m.message.replace(COLOURS, '');
    // an optimised image, logged like a page with ▶: part of the same progress
    if (m.label === null && text.includes('▶')) return true;
    const page = m.label === null ? PAGE.exec(text) : null;
    if (page) {
      const route = (page[1] ?? '').split('/')[0] || '/';
      this.rendered++;
      this.#route(route).rendered++;
      this.#last = route;
      if (REUSED.test(text)) this.#reuse(route);
      return true;
    }
    if (m.label !== 'SKIP_FORMAT') return false;
    if (REUSED.test(text)) {
      if (this.#last) this.#reuse(this.#last);
      return true;
    }
    const time = TIME.exec(text);
    if (time) {
      if (this.#last) this.#route(this.#last).ms = Math.round((this.#route(this.#last).ms + Number(time[1]) * (time[2] === 's' ? 1000 : 1)) * 10) / 10;
      return true;
    }
    // Astro's heading over the pages, and its blank separators
    return text.trim() === '' || text.includes('generating static routes');
  }

  get pages() {
    return this.rendered + this.reused;
  }

  /** @param {string} route */
  #reuse(route) {
    this.rendered--;
    this.reused++;
    this.#route(route).rendered--;
    this.#route(route).reused++;
  }

  /** @param {string} name */
  #route(name) {
    return (this.routes[name] ??= { rendered: 0, reused: 0, ms: 0 });
  }
}

/** @param {Record<string, unknown>} event */
function emit(event) {
  process.stdout.write(`${EVENT_MARK}${JSON.stringify(event)}\n`);
}

/**
 * @param {Record<string, unknown>} [config]
 * @returns {import('astro').AstroLoggerDestination}
 */
export default function siteLogger(config = {}) {
  const events = typeof config.events === 'boolean' ? config.events : handoffFile() !== null;
  // read here, not passed in the logger's config: Astro's incremental build keys pages on the
  // config, and listing them must not make every page render again
  const verbose = readHandoff()?.verbose === true;
  /** --verbose: the page started last, printed with what follows it (its time, or that it was reused) */
  let pending = '';
  const say = (/** @type {string} */ text) => {
    if (events) emit({ type: 'log', level: 'info', label: 'page', message: text });
    else process.stdout.write(`${text}\n`);
  };
  const tally = new PageTally();
  let lastProgress = 0;
  let done = false;
  const progress = (force = false) => {
    const now = Date.now();
    if (!force && now - lastProgress < (events ? PROGRESS_MS : PLAIN_PROGRESS_MS)) return;
    lastProgress = now;
    if (events) emit({ type: 'pages', pages: tally.pages, reused: tally.reused });
    else process.stdout.write(`[页面] 已生成 ${tally.pages.toLocaleString('zh-CN')} 个页面（沿用上次 ${tally.reused.toLocaleString('zh-CN')} 个）\n`);
  };
  const finish = () => {
    if (done || tally.pages === 0) return;
    done = true;
    progress(true);
    if (events) {
      emit({ type: 'pages-done', rendered: tally.rendered, reused: tally.reused, routes: tally.routes });
      reportRecord({ id: 'pages', name: '页面', seconds: 0, peakRssMB: null, counts: { pagesRendered: tally.rendered, pagesReused: tally.reused } });
    }
  };
  return {
    write(m) {
      if (tally.take(m)) {
        if (verbose) {
          const text = m.message.replace(COLOURS, '').trim();
          if (m.label === null) {
            if (pending) say(pending);
            pending = text;
          } else if (text !== '' && !text.includes('generating static routes')) {
            say(`${pending} ${text}`.trim());
            pending = '';
          }
        }
        progress();
        return;
      }
      if (pending) say(pending);
      pending = '';
      // Astro's count of pages follows the last page: the pages are done
      if (m.label === 'build' && / page\(s\) built in /.test(m.message)) finish();
      if (events) emit({ type: 'log', level: m.level, label: m.label, message: m.message.replace(COLOURS, '') });
      else {
        const line = `${m.label && m.label !== 'SKIP_FORMAT' ? `[${m.label}] ` : ''}${m.message}${m.newLine ? '\n' : ''}`;
        (m.level === 'error' || m.level === 'warn' ? process.stderr : process.stdout).write(line);
      }
    },
    flush() {
      finish();
    },
  };
}
