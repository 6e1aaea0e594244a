/**
 * The search page's script. Two indexes answer a query together:
 * - the name index (src/lib/name-index.ts) for villages, units and counties — by name,
 *   place or code;
 * - Pagefind (/pagefind/pagefind.js) for the text of stories and bulletins.
 * Results: records named exactly as the query (or with its code), other records whose name
 * matches, then Pagefind's pages, then records that match by place only. The name index answers first (a few small files, no WebAssembly);
 * Pagefind's results are put in their place when they arrive.
 * Everything from an index is inserted as text; Pagefind's excerpt is split on its <mark>.
 */
import { NAME_INDEX_DIR, queryTerms, readRecord, searchNames, type NameIndexMeta, type NameMatches } from '../lib/name-index.ts';

interface Pagefind {
  options(o: object): Promise<void>;
  search(q: string, o: object): Promise<{ results: Array<{ data(): Promise<{ url: string; excerpt: string; meta?: { title?: string } }> }> } | null>;
}

/** A result ready to draw: from the name index (marks computed here) or from Pagefind (excerpt with <mark>). */
interface Shown {
  href: string;
  title: string;
  line: string;
  /** Pagefind's excerpt is HTML with <mark>; ours is text to mark the query in */
  pagefind: boolean;
}
type Pending = () => Promise<Shown>;

const form = document.querySelector<HTMLFormElement>('.search-form');
if (form) setUp(form);

function setUp(form: HTMLFormElement) {
  const input = form.querySelector<HTMLInputElement>('input[name="q"]')!;
  const selects = [...form.querySelectorAll('select')];
  const status = document.getElementById('search-status')!;
  const list = document.getElementById('search-results')!;
  const more = document.getElementById('search-more')!;
  const PAGE_SIZE = 10;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let results: Pending[] = [];
  let shown = 0;

  // --- Pagefind, for the content pages ---
  let pagefindLoading: Promise<Pagefind> | null = null;
  const pagefind = () => {
    // A variable, so the bundler leaves this import to the browser.
    const url = '/pagefind/pagefind.js';
    pagefindLoading ??= (import(/* @vite-ignore */ url) as Promise<Pagefind>).then((pf) => pf.options({ excerptLength: 40 }).then(() => pf));
    return pagefindLoading;
  };

  // --- the name index: each file fetched once per page view ---
  const files = new Map<string, Promise<string>>();
  const read = (file: string): Promise<string> => {
    let p = files.get(file);
    if (!p) {
      p = fetch(`/${NAME_INDEX_DIR}/${file}`).then((r) => {
        if (!r.ok) throw new Error(`${file}: ${r.status}`);
        return r.text();
      });
      files.set(file, p);
    }
    return p;
  };
  const recordOf = (m: NameIndexMeta, id: number): Pending => async () => {
    const [href, title, line] = await readRecord(m, id, read);
    return { href, title, line, pagefind: false };
  };

  // --- drawing ---
  function appendMarked(parent: Element, text: string, terms: string[]) {
    // Mark every occurrence of a query term (longest first), as text nodes.
    const sorted = [...terms].sort((a, b) => b.length - a.length);
    let rest = text;
    while (rest) {
      let at = -1;
      let hit = '';
      for (const t of sorted) {
        const i = rest.toUpperCase().indexOf(t);
        if (i >= 0 && (at < 0 || i < at)) {
          at = i;
          hit = rest.slice(i, i + t.length);
        }
      }
      if (at < 0) {
        parent.append(rest);
        break;
      }
      if (at > 0) parent.append(rest.slice(0, at));
      const mark = document.createElement('mark');
      mark.textContent = hit;
      parent.append(mark);
      rest = rest.slice(at + hit.length);
    }
  }

  const decoder = document.createElement('textarea');
  function appendExcerpt(parent: Element, excerpt: string) {
    let marked = false;
    for (const piece of excerpt.split(/(<mark>|<\/mark>)/)) {
      if (piece === '<mark>') marked = true;
      else if (piece === '</mark>') marked = false;
      else {
        decoder.innerHTML = piece; // a <textarea> only decodes entities; nothing runs or loads
        if (marked) {
          const m = document.createElement('mark');
          m.textContent = decoder.value;
          parent.append(m);
        } else parent.append(decoder.value);
      }
    }
  }

  function draw(items: Shown[], terms: string[]) {
    for (const d of items) {
      const li = document.createElement('li');
      li.className = 'search-result';
      const link = document.createElement('a');
      link.className = 'search-result-link';
      link.href = d.href;
      link.textContent = d.title;
      const excerpt = document.createElement('p');
      excerpt.className = 'search-result-excerpt';
      if (d.pagefind) appendExcerpt(excerpt, d.line);
      else appendMarked(excerpt, d.line, terms);
      li.append(link, excerpt);
      list.append(li);
    }
  }

  /** Show results [from, upTo) of the current list. */
  async function drawRange(mine: number, from: number, upTo: number, terms: string[]) {
    const items = await Promise.all(results.slice(from, upTo).map((r) => r()));
    if (mine !== seq) return;
    draw(items, terms);
  }

  function chosenFilters(): Record<string, string> {
    const f: Record<string, string> = {};
    for (const s of selects) if (s.value) f[s.name] = s.value;
    return f;
  }

  // Keep the address shareable: ?q=…&类型=…
  function remember(q: string) {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    for (const s of selects) if (s.value) params.set(s.name, s.value);
    const query = params.toString();
    history.replaceState(null, '', query ? `?${query}` : location.pathname);
  }

  async function run() {
    const q = input.value.trim();
    const mine = ++seq;
    remember(q);
    list.replaceChildren();
    more.hidden = true;
    results = [];
    shown = 0;
    if (!q) {
      status.textContent = '';
      return;
    }
    status.textContent = '正在搜索……';
    const filters = chosenFilters();
    const terms = queryTerms(q);
    let names: NameMatches | null = null;
    let pages: Pending[] | null = null;
    let failed = 0;
    // Redraw with what has arrived, keeping as many results on screen as before. Nothing is
    // drawn before the name index answers, so its best matches never move down.
    const update = async () => {
      if (mine !== seq || names === null) return;
      const records = (ids: number[]) => ids.map((id) => recordOf(names!.meta, id));
      results = [...records(names.exact), ...records(names.byName), ...(pages ?? []), ...records(names.byPlace)];
      const upTo = Math.min(results.length, Math.max(shown, PAGE_SIZE));
      const items = await Promise.all(results.slice(0, upTo).map((r) => r()));
      if (mine !== seq) return;
      list.replaceChildren();
      draw(items, terms);
      shown = upTo;
      more.hidden = shown >= results.length;
      const done = names !== null && pages !== null;
      if (failed === 2) status.textContent = '搜索暂时不可用，请稍后再试，或从上方导航浏览。';
      else if (results.length) status.textContent = `找到 ${results.length} 条结果${done ? '' : '，仍在搜索……'}`;
      else if (done || failed) status.textContent = `没有找到与“${q}”相关的内容`;
    };
    const fromNames = searchNames(q, filters, read).then(
      (r) => {
        names = r;
      },
      () => {
        names = { exact: [], byName: [], byPlace: [], meta: null as unknown as NameIndexMeta };
        failed++;
      },
    );
    const fromPagefind = pagefind()
      .then((pf) => pf.search(q, { filters }))
      .then(
        (found) => {
          pages = (found?.results ?? []).map((r) => async () => {
            const d = await r.data();
            return { href: d.url, title: d.meta?.title || d.url, line: d.excerpt || '', pagefind: true };
          });
        },
        () => {
          pages = [];
          failed++;
        },
      );
    let chain = Promise.resolve();
    for (const p of [fromNames, fromPagefind]) p.then(() => (chain = chain.then(update)));
    await Promise.allSettled([fromNames, fromPagefind]);
    await chain;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  for (const s of selects) s.addEventListener('change', () => void run());
  more.addEventListener('click', () => {
    const from = shown;
    shown = Math.min(results.length, shown + PAGE_SIZE);
    more.hidden = shown >= results.length;
    void drawRange(seq, from, shown, queryTerms(input.value));
  });

  // ?q= from the header's search box, or a shared address.
  const params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  for (const s of selects) s.value = params.get(s.name) || '';
  if (input.value) void run();
  // Start loading while the reader types.
  void read('meta.json').catch(() => undefined);
  void pagefind().catch(() => undefined);
}
