/**
 * The search page's script. Results come in two groups:
 * - 村、单位和县, from the name index (src/lib/search/name-index.ts): records named exactly as the
 *   query (or with its code), other name matches, then matches by place. A few small files.
 * - 案例和通报, from Pagefind (/pagefind/pagefind.js), over the text of stories and bulletins.
 *   Pagefind costs 80 KB of code and WebAssembly plus its index chunks, so it is loaded only
 *   when this group is on screen (or the filters ask for stories or bulletins only).
 * Everything from an index is inserted as text; Pagefind's excerpt is split on its <mark>.
 * Each group carries data-state (loading, waiting, done, failed) for tests and styles.
 */
import { indexReader, looksLikeCode, NAME_INDEX_DIR, nameIndexAnswers, queryTerms, readRecord, searchNames } from '../lib/search/name-index.ts';
import { pageMatches, sentenceExcerpt, shortQueryNote, understandPlaces } from '../lib/search/place-query.ts';

interface Pagefind {
  options(o: object): Promise<void>;
  search(q: string, o: object): Promise<{ results: Array<{ data(): Promise<PagefindData> }> } | null>;
}

interface PagefindData {
  url: string;
  excerpt: string;
  content?: string;
  meta?: { title?: string };
}

/** Pagefind's results whose data are read to keep only real matches (each is one small fragment file). */
const PAGE_CHECK_LIMIT = 40;

/** A result ready to draw; `excerpt` is Pagefind's HTML with <mark>, `line` our text to mark the query in. */
type Shown = { href: string; title: string } & ({ excerpt: string } | { line: string });
type Pending = () => Promise<Shown>;

const PAGE_SIZE = 10;
const PAGE_TYPES = ['案例', '通报'];

const form = document.querySelector<HTMLFormElement>('.search-form');
if (form) setUp(form);

function setUp(form: HTMLFormElement) {
  const input = form.querySelector<HTMLInputElement>('input[name="q"]')!;
  const selects = [...form.querySelectorAll('select')];
  const status = document.getElementById('search-status')!;
  const group = (name: string) => {
    const section = document.querySelector<HTMLElement>(`.search-group[data-group="${name}"]`)!;
    return { section, list: section.querySelector('ol')!, more: section.querySelector<HTMLButtonElement>('.search-more')!, note: section.querySelector<HTMLElement>('.search-group-note'), results: [] as Pending[], shown: 0 };
  };
  const names = group('names');
  const pages = group('pages');
  type Group = typeof names;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let terms: string[] = [];

  // --- the name index: each file fetched once per page view ---
  const read = indexReader((file) =>
    fetch(`/${NAME_INDEX_DIR}/${file}`).then((r) => {
      if (!r.ok) throw new Error(`${file}: ${r.status}`);
      return r.text();
    }),
  );

  // --- Pagefind, loaded on first need ---
  let pagefindLoading: Promise<Pagefind> | null = null;
  const pagefind = () => {
    // A variable, so the bundler leaves this import to the browser.
    const url = '/pagefind/pagefind.js';
    pagefindLoading ??= (import(/* @vite-ignore */ url) as Promise<Pagefind>).then((pf) => pf.options({ excerptLength: 40 }).then(() => pf));
    return pagefindLoading;
  };

  // --- drawing ---
  function appendMarked(parent: Element, text: string) {
    // Mark every occurrence of a query term (longest first), as text nodes.
    const sorted = [...terms].sort((a, b) => b.length - a.length);
    const upper = text.toUpperCase();
    let from = 0;
    while (from < text.length) {
      let at = -1;
      let length = 0;
      for (const t of sorted) {
        const i = upper.indexOf(t, from);
        if (i >= 0 && (at < 0 || i < at)) {
          at = i;
          length = t.length;
        }
      }
      if (at < 0 || upper.length !== text.length) {
        parent.append(text.slice(from));
        break;
      }
      if (at > from) parent.append(text.slice(from, at));
      const mark = document.createElement('mark');
      mark.textContent = text.slice(at, at + length);
      parent.append(mark);
      from = at + length;
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

  /** Draw the group's next page of results. */
  async function showMore(g: Group, mine: number) {
    const slice = g.results.slice(g.shown, g.shown + PAGE_SIZE);
    g.shown += slice.length;
    const items = await Promise.all(slice.map((r) => r()));
    if (mine !== seq) return;
    // the button comes after the results it follows: shown before them, it would jump down (CLS)
    g.more.hidden = g.shown >= g.results.length;
    for (const d of items) {
      const li = document.createElement('li');
      li.className = 'search-result';
      const link = document.createElement('a');
      link.className = 'search-result-link';
      link.href = d.href;
      link.textContent = d.title;
      const excerpt = document.createElement('p');
      excerpt.className = 'search-result-excerpt';
      if ('excerpt' in d) appendExcerpt(excerpt, d.excerpt);
      else appendMarked(excerpt, d.line);
      li.append(link, excerpt);
      g.list.append(li);
    }
  }

  function reset(g: Group, state: string) {
    g.results = [];
    g.shown = 0;
    g.list.replaceChildren();
    g.more.hidden = true;
    g.section.hidden = true;
    g.section.dataset.state = state;
    if (g.note) g.note.textContent = '';
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

  let q = '';
  function say() {
    const part = (g: Group, label: string, unit: string) =>
      ({ done: `${label} ${g.results.length} ${unit}`, loading: `${label}正在搜索`, failed: `${label}暂时无法搜索` })[g.section.dataset.state as 'done' | 'loading' | 'failed'] ?? '';
    const parts = [part(names, '村、单位和县', '个'), part(pages, '案例和通报', '篇')].filter(Boolean);
    const done = [names, pages].every((g) => g.section.dataset.state !== 'loading');
    const none = names.results.length === 0 && pages.results.length === 0 && pages.section.dataset.state !== 'waiting';
    const short = shortQueryNote(queryTerms(q));
    status.textContent = !q ? '' : short && names.results.length === 0 ? `${short}${done ? (none ? '' : `（${parts.join('；')}）`) : ''}` : done && none ? `没有找到与“${q}”相关的内容` : parts.join('；');
  }

  // Pagefind's group starts when it scrolls into view (or at once, when it is on screen).
  let startPages: (() => void) | null = null;
  const watcher = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && startPages) {
      const start = startPages;
      startPages = null;
      start();
    }
  }, { rootMargin: '200px' });
  watcher.observe(pages.section);

  async function run() {
    q = input.value.trim();
    const mine = ++seq;
    remember(q);
    startPages = null;
    const typed = queryTerms(q);
    terms = [...new Set([...typed, ...understandPlaces(typed, looksLikeCode).terms])];
    const filters = chosenFilters();
    const type = filters['类型'] ?? '';
    const wantNames = q !== '' && nameIndexAnswers(filters);
    const wantPages = q !== '' && (!type || PAGE_TYPES.includes(type));
    reset(names, wantNames ? 'loading' : 'off');
    reset(pages, wantPages ? 'waiting' : 'off');
    say();
    if (!q) return;

    if (wantNames) {
      try {
        const found = await searchNames(q, filters, read);
        if (mine !== seq) return;
        names.results = [...found.exact, ...found.byName, ...found.byPlace].map((id) => async () => {
          const [href, title, line] = await readRecord(found.meta, id, read);
          return { href, title, line };
        });
        names.section.dataset.state = 'done';
        names.section.hidden = names.results.length === 0;
        await showMore(names, mine);
      } catch {
        if (mine !== seq) return;
        names.section.dataset.state = 'failed';
      }
      say();
    }
    if (!wantPages || mine !== seq) return;
    // Shown (with its heading) before it is searched, so it can scroll into view.
    pages.section.hidden = false;
    pages.note!.textContent = '滚动到这里时搜索案例和通报。';
    startPages = async () => {
      pages.section.dataset.state = 'loading';
      pages.note!.textContent = '正在搜索案例和通报……';
      say();
      try {
        const pf = await pagefind();
        const found = await pf.search(q, { filters });
        if (mine !== seq) return;
        // Only pages whose text really has every term (Pagefind also returns partial and
        // single-character matches); the excerpt is a whole sentence around the first term.
        const typed = queryTerms(q);
        const checked = await Promise.all((found?.results ?? []).slice(0, PAGE_CHECK_LIMIT).map((r) => r.data()));
        if (mine !== seq) return;
        pages.results = checked
          .filter((d) => pageMatches(`${d.meta?.title ?? ''}\n${d.content ?? ''}`, typed))
          .map((d) => async () => ({ href: d.url, title: d.meta?.title || d.url, line: sentenceExcerpt(d.content ?? '', typed, 90, d.meta?.title ?? '') }));
        pages.section.dataset.state = 'done';
        pages.note!.textContent = pages.results.length ? '' : '案例和通报中没有找到。';
        await showMore(pages, mine);
      } catch {
        if (mine !== seq) return;
        pages.section.dataset.state = 'failed';
        pages.note!.textContent = '案例和通报暂时无法搜索，请稍后再试，或从上方导航浏览。';
      }
      say();
    };
    // Re-observe: fires at once when the group is already on screen.
    watcher.unobserve(pages.section);
    watcher.observe(pages.section);
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
  names.more.addEventListener('click', () => void showMore(names, seq));
  pages.more.addEventListener('click', () => void showMore(pages, seq));

  // ?q= from the header's search box, or a shared address.
  const params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  for (const s of selects) s.value = params.get(s.name) || '';
  if (input.value) void run();
  else void read.json('meta.json').catch(() => undefined);
}
