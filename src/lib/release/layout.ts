/**
 * The layout of a publishing target (a local or mounted folder, or a folder on a server):
 *
 *   releases/<UTC time>-<short commit>/   one whole site each, never changed once in place
 *   releases/.incoming-<name>/            a release being copied and checked (not a release yet)
 *   releases/.trash-<name>/               a release being deleted (not a release any more)
 *   current  -> releases/<name>           what the web server serves (its `root`)
 *   previous -> releases/<name>           the release live before it: the web server falls back
 *                                         to it for content-hashed files only, so a reader whose
 *                                         page came from it still gets its styles and scripts
 *                                         right after a switch (deploy/gpdzc-site.conf)
 *   older    -> releases/<name>           the release live before `previous`, the server's second
 *                                         fallback: while a switch moves `previous`, the release
 *                                         it pointed at stays reachable (two links cannot trade
 *                                         places in one rename; a rollback needs that)
 *   .publish.lock/                        one publish at a time (owner: host, process, start)
 *
 * Links are relative (`releases/<name>`), so the folder can be mounted anywhere. A link is
 * switched by making a new link beside it and renaming it over the old one: rename(2) is
 * atomic, so a reader (or a kill) sees the old link or the new one, never none.
 */

export const RELEASES_DIR = 'releases';
export const CURRENT_LINK = 'current';
export const PREVIOUS_LINK = 'previous';
export const OLDER_LINK = 'older';
/** The links a switch moves, each pointing at a release. */
export type ReleaseLink = typeof CURRENT_LINK | typeof PREVIOUS_LINK | typeof OLDER_LINK;
export const LOCK_DIR = '.publish.lock';
export const INCOMING_PREFIX = '.incoming-';
export const TRASH_PREFIX = '.trash-';

const NAME = /^(\d{8}T\d{6}Z)-([0-9a-z]{4,40})(?:-(\d+))?$/;

/** Whether `name` is a release's name (the folders of unfinished copies and deletions are not). */
export function isReleaseName(name: string): boolean {
  return NAME.test(name);
}

/** `20201206T020000Z-aeba51a`: the UTC time to the second, then the commit (7 characters). */
export function releaseName(at: Date, commit: string): string {
  const t = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  const c = commit.toLowerCase().replace(/[^0-9a-z]/g, '').slice(0, 7) || 'unknown';
  return `${t}-${c}`;
}

/**
 * A name that sorts after every release of the same second: `-2`, `-3` … after it when a release
 * of that second is there already, whatever its commit (two publishes within one second keep the
 * order they were made in, so a rollback goes to the one made first).
 */
export function uniqueName(name: string, taken: Iterable<string>): string {
  const time = NAME.exec(name)?.[1];
  let last = 0;
  for (const t of taken) {
    const m = NAME.exec(t);
    if (m && m[1] === time) last = Math.max(last, Number(m[3] ?? 1));
  }
  return last === 0 ? name : `${name}-${last + 1}`;
}

/** Releases oldest first (the name starts with its time; same time: by suffix number). */
export function sortReleases(names: Iterable<string>): string[] {
  const key = (n: string) => {
    const m = NAME.exec(n)!;
    return [m[1]!, Number(m[3] ?? 1), m[2]!] as const;
  };
  return [...names].filter(isReleaseName).sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
  });
}

/** `releases/<name>`: the path of a release (and the target of the links) relative to the target folder. */
export const releasePath = (name: string) => `${RELEASES_DIR}/${name}`;

/** The release a link's text names (`releases/<name>`), or null if it names anything else. */
export function releaseOfLink(link: string | null): string | null {
  if (!link) return null;
  const m = /^(?:\.\/)?releases\/([^/]+)\/?$/.exec(link);
  return m && isReleaseName(m[1]!) ? m[1]! : null;
}

/**
 * Which releases to delete, keeping the `keep` newest and always the ones the links point at
 * (the live one and the web server's two fallbacks), oldest first.
 */
export function releasesToPrune(releases: string[], keep: number, linked: (string | null)[]): string[] {
  const sorted = sortReleases(releases);
  const kept = new Set(sorted.slice(Math.max(0, sorted.length - keep)));
  for (const r of linked) if (r) kept.add(r);
  return sorted.filter((r) => !kept.has(r));
}

/** The release a rollback puts live: the newest one older than the live one. */
export function rollbackTarget(releases: string[], current: string | null): string | null {
  const sorted = sortReleases(releases);
  const i = current ? sorted.indexOf(current) : -1;
  if (i <= 0) return null;
  return sorted[i - 1]!;
}
