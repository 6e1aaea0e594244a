/**
 * Astro logs two lines for every page it renders, each a write of its own to stdout: nationally
 * 460,000 writes to the pipe scripts/build.ts reads, 12.6 s of astro build's main thread (CPU
 * profile, 2026-11-30). Inside that step, text written to stdout is gathered and written in
 * pieces of up to 64 KB: at the latest 100 ms later, before anything is written to stderr (an
 * error is never printed ahead of the lines before it), and when the process exits. Anything
 * else (bytes, a write with a callback) flushes what was gathered and goes through as made.
 */
interface Stream {
  write: (...args: never[]) => boolean;
}

export interface GatherOptions {
  /** streams whose writes must come after what was gathered (stderr) */
  flushBefore?: Stream[];
  maxChars?: number;
  maxDelayMs?: number;
  /** where to hear of the process's exit (a test passes its own) */
  onExit?: (flush: () => void) => void;
}

const installed = new WeakSet<object>();

export function gatherWrites(out: Stream, { flushBefore = [], maxChars = 65_536, maxDelayMs = 100, onExit = (flush) => process.on('exit', flush) }: GatherOptions = {}): void {
  if (installed.has(out)) return;
  installed.add(out);
  const write = out.write.bind(out) as (...args: unknown[]) => boolean;
  let pending = '';
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  out.write = ((...args: unknown[]) => {
    const [chunk, encoding, callback] = args;
    if (typeof chunk !== 'string' || typeof encoding === 'function' || callback !== undefined || (encoding !== undefined && encoding !== 'utf8' && encoding !== 'utf-8')) {
      flush();
      return write(...args);
    }
    pending += chunk;
    if (pending.length >= maxChars) flush();
    else if (!timer) {
      timer = setTimeout(flush, maxDelayMs);
      timer.unref?.();
    }
    return true;
  }) as Stream['write'];
  for (const other of flushBefore) {
    const otherWrite = other.write.bind(other) as (...args: unknown[]) => boolean;
    other.write = ((...args: unknown[]) => {
      flush();
      return otherWrite(...args);
    }) as Stream['write'];
  }
  onExit(flush);
}
