/**
 * The one bundler warning `astro build` drops (src/build/bundler-log.ts): Rolldown's note
 * on Astro's own "use astro:head-inject" directive. Everything else must still reach Vite's
 * handler as it came. The log below is the one Rolldown gave for a shipped story; the shipped
 * site's build (tests/site/shipped-site.test.ts) checks that a real build prints no warning.
 */
import { describe, expect, it, vi } from 'vitest';
import { isAstroDirectiveWarning, onBundlerLog } from '../../src/build/bundler-log.ts';

const astroDirective = {
  code: 'MODULE_LEVEL_DIRECTIVE',
  message: 'The semantics of the module level directive "use astro:head-inject" in "content/stories/2020-12-xiji-hegang-fukan.mdx?astroPropagatedAssets" may not be preserved when bundling.',
  id: 'content/stories/2020-12-xiji-hegang-fukan.mdx?astroPropagatedAssets',
};

describe('the bundler log during astro build', () => {
  it('drops Rolldown’s warning about Astro’s head-inject directive', () => {
    const handler = vi.fn();
    onBundlerLog('warn', astroDirective, handler);
    expect(handler).not.toHaveBeenCalled();
    expect(isAstroDirectiveWarning('warn', astroDirective)).toBe(true);
  });

  it('passes every other log on unchanged: another directive, another code, other levels', () => {
    const others: [Parameters<typeof onBundlerLog>[0], Parameters<typeof onBundlerLog>[1]][] = [
      ['warn', { ...astroDirective, message: astroDirective.message.replace('use astro:head-inject', 'use client') }],
      ['warn', { code: 'MODULE_LEVEL_DIRECTIVE', message: 'The semantics of the module level directive "use strict-ish" may not be preserved when bundling.' }],
      ['warn', { code: 'CIRCULAR_DEPENDENCY', message: 'Circular dependency: "use astro:head-inject" a.ts -> b.ts -> a.ts' }],
      ['warn', { code: 'EVAL', message: 'Use of eval in "src/x.ts" is strongly discouraged.' }],
      ['info', { ...astroDirective }],
      ['debug', { ...astroDirective }],
      ['warn', { message: 'a plugin’s warning without a code' }],
    ];
    for (const [level, log] of others) {
      const handler = vi.fn();
      onBundlerLog(level, log, handler);
      expect(handler, `${level} ${log.code}: ${log.message}`).toHaveBeenCalledExactlyOnceWith(level, log);
    }
  });
});
