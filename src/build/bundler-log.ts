/**
 * What the bundler may say during `astro build`. Rolldown (Vite 8's bundler) warns, once for
 * every MDX story and bulletin, that the module-level directive "use astro:head-inject" "may not
 * be preserved when bundling". Astro writes that directive into the module itself and reads it
 * before bundling, so the warning says nothing about the content or the code here (Astro's own
 * issue: withastro/astro#18087). On the shipped demo that is a yellow block of ten lines per
 * MDX file in every build, enough to bury a warning that matters; only that warning is dropped, every other
 * log reaches Vite's own handler unchanged.
 */
import type { Rolldown } from 'vite';

const ASTRO_HEAD_INJECT_DIRECTIVE = '"use astro:head-inject"';

/** Is this Rolldown's warning about Astro's own head-inject directive, and nothing else? */
export function isAstroDirectiveWarning(level: Rolldown.LogLevel, log: Rolldown.RolldownLog): boolean {
  return level === 'warn' && log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes(ASTRO_HEAD_INJECT_DIRECTIVE);
}

/** Vite's `build.rolldownOptions.onLog`: every log but that warning to Vite's handler. */
export function onBundlerLog(level: Rolldown.LogLevel, log: Rolldown.RolldownLog, handler: Rolldown.LogOrStringHandler): void {
  if (!isAstroDirectiveWarning(level, log)) handler(level, log);
}
