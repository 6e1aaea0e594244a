/**
 * Headless Chromium (Debian's package, driven by playwright-core) against a built site
 * served on loopback. No browser download: the machine's /usr/bin/chromium is used. The one
 * launch and server are in scripts/chromium.ts, shared with the story previews.
 */
export { launchChromium, serve } from '../../scripts/chromium.ts';
