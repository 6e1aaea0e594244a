/**
 * What the public sees, checked after a switch (`publish --check-url URL`): the home page, a
 * village, a unit, a county's month, the search index's entry files, SHA256SUMS, its signature
 * and public key, the 404 page and a random sample of other files are fetched over HTTP and
 * compared byte for byte (SHA-256) with the release that should be live; the signature is
 * verified with ssh-keygen against the key the release was published with. Requests ask caches
 * to revalidate (`Cache-Control: no-cache`), so a proxy in front must show what is live.
 */
import { CHECKSUM_FILE } from '../publish/checksums.ts';
import { ALLOWED_SIGNERS_FILE, SIGNATURE_FILE, verifySums } from './signing.ts';
import { parseSums, sha256 } from './sums.ts';

export interface LiveCheckInput {
  /** the site's address, e.g. https://gpdzc.example.cn/ */
  base: string;
  /** the release that should be live, and its files published beside SHA256SUMS */
  release: string;
  sums: Buffer;
  signature: Buffer | null;
  signers: Buffer | null;
  /** the signature's identity (-I) */
  identity: string;
  /** how many other files to sample */
  sample: number;
  random?: () => number;
  fetch?: typeof fetch;
}

export interface LiveItem {
  what: string;
  url: string;
  status: 'ok' | 'fail' | 'note';
  detail: string;
}

/** A site file's address: `villages/1/index.html` → `/villages/1/`, other files as they are, each segment encoded. */
export function urlPath(file: string): string {
  const p = file === 'index.html' ? '' : file.endsWith('/index.html') ? file.slice(0, -'index.html'.length) : file;
  return `/${p.split('/').map(encodeURIComponent).join('/')}`;
}

const first = (files: string[], re: RegExp) => files.find((f) => re.test(f)) ?? null;

/** The named pages and files of the check, from the release's file list. */
export function namedFiles(files: string[]): Array<{ what: string; file: string }> {
  const named: Array<{ what: string; file: string | null }> = [
    { what: '首页', file: 'index.html' },
    { what: '村页面', file: first(files, /^villages\/[0-9]{12}\/index\.html$/) },
    { what: '帮扶单位页面', file: first(files, /^units\/[0-9A-Z]{18}\/index\.html$/) },
    { what: '县的月度统计表', file: first(files, /^counties\/[0-9]{6}\/\d{4}-\d{2}\/index\.html$/) },
    { what: '名称索引入口', file: 'search-index/meta.json' },
    { what: '全文搜索入口', file: 'pagefind/pagefind-entry.json' },
    { what: CHECKSUM_FILE, file: CHECKSUM_FILE },
  ];
  return named.filter((n): n is { what: string; file: string } => n.file !== null && (n.file === CHECKSUM_FILE || files.includes(n.file)));
}

async function get(f: typeof fetch, url: string): Promise<{ status: number; body: Buffer } | { error: string }> {
  try {
    const r = await f(url, { headers: { 'Cache-Control': 'no-cache', Pragma: 'no-cache' }, redirect: 'follow', signal: AbortSignal.timeout(20_000) });
    return { status: r.status, body: Buffer.from(await r.arrayBuffer()) };
  } catch (e) {
    return { error: (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message };
  }
}

const short = (h: string) => h.slice(0, 12);

export async function checkLive(input: LiveCheckInput): Promise<{ ok: boolean; items: LiveItem[] }> {
  const f = input.fetch ?? fetch;
  const random = input.random ?? Math.random;
  const base = input.base.replace(/\/+$/, '');
  const list = parseSums(input.sums.toString('utf8'));
  const files = [...list.keys()];
  const items: LiveItem[] = [];
  const expectOf = (file: string) => (file === CHECKSUM_FILE ? sha256(input.sums) : list.get(file)!);

  const compare = async (what: string, path: string, expected: string, status = 200): Promise<LiveItem> => {
    const url = `${base}${path}`;
    const r = await get(f, url);
    if ('error' in r) return { what, url, status: 'fail', detail: `无法访问：${r.error}` };
    if (r.status !== status) return { what, url, status: 'fail', detail: `HTTP ${r.status}（应为 ${status}）` };
    const h = sha256(r.body);
    return h === expected ? { what, url, status: 'ok', detail: '与本版一致' } : { what, url, status: 'fail', detail: `线上的内容与本版不同（线上 SHA-256 ${short(h)}…，本版 ${short(expected)}…）` };
  };

  const named = namedFiles(files);
  for (const n of named) items.push(await compare(n.what, urlPath(n.file), expectOf(n.file)));

  // the signature and public key beside SHA256SUMS, and the signature verified against the key it was published with
  if (input.signature && input.signers) {
    items.push(await compare('签名', urlPath(SIGNATURE_FILE), sha256(input.signature)));
    items.push(await compare('公钥', urlPath(ALLOWED_SIGNERS_FILE), sha256(input.signers)));
    const [sums, sig] = await Promise.all([get(f, `${base}${urlPath(CHECKSUM_FILE)}`), get(f, `${base}${urlPath(SIGNATURE_FILE)}`)]);
    if ('body' in sums && 'body' in sig && sums.status === 200 && sig.status === 200) {
      const v = verifySums(input.signers.toString('utf8'), input.identity, sums.body, sig.body);
      items.push({ what: '签名核验', url: `${base}${urlPath(SIGNATURE_FILE)}`, status: v.ok ? 'ok' : 'fail', detail: v.ok ? `ssh-keygen -Y verify 通过：${v.message}` : `签名核验失败：${v.message}` });
    } else items.push({ what: '签名核验', url: `${base}${urlPath(SIGNATURE_FILE)}`, status: 'fail', detail: '取不到 SHA256SUMS 或它的签名' });
  } else items.push({ what: '签名', url: `${base}${urlPath(SIGNATURE_FILE)}`, status: 'note', detail: '本版没有签名（发布时没有设置 PUBLISH_SIGNING_KEY）' });

  // the 404 page: an address that is not there answers 404 with the site's own page
  if (list.has('404.html')) {
    const missing = `/__gpdzc-check-${Math.floor(random() * 1e9).toString(36)}/`;
    const item = await compare('404 页面', missing, list.get('404.html')!, 404);
    items.push(item);
  }

  // a random sample of the other files (404.html is served only as the answer to a missing address)
  const taken = new Set([...named.map((n) => n.file), '404.html']);
  const rest = files.filter((x) => !taken.has(x));
  const sample: string[] = [];
  for (let i = 0; i < Math.min(input.sample, rest.length); i++) {
    const j = i + Math.floor(random() * (rest.length - i));
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
    sample.push(rest[i]!);
  }
  const sampled: LiveItem[] = new Array(sample.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < sample.length) {
        const i = next++;
        sampled[i] = await compare('抽查', urlPath(sample[i]!), list.get(sample[i]!)!);
      }
    }),
  );
  items.push(...sampled);
  return { ok: items.every((i) => i.status !== 'fail'), items };
}

/** The check in Chinese: every named item, the sample's count (and each file that failed). */
export function describeLive(base: string, release: string, r: { ok: boolean; items: LiveItem[] }): string[] {
  const out = [`线上核对 ${base}（应为 ${release}）：`];
  const mark = (i: LiveItem) => (i.status === 'ok' ? '✓' : i.status === 'fail' ? '✗' : '!');
  const path = (i: LiveItem) => decodeURI(i.url.slice(base.replace(/\/+$/, '').length) || '/');
  for (const i of r.items.filter((x) => x.what !== '抽查')) out.push(`  ${mark(i)} ${i.what} ${path(i)}：${i.detail}`);
  const sample = r.items.filter((x) => x.what === '抽查');
  if (sample.length) {
    const bad = sample.filter((x) => x.status === 'fail');
    out.push(`  ${bad.length ? '✗' : '✓'} 随机抽查其他文件 ${sample.length} 个：${sample.length - bad.length} 个与本版一致${bad.length ? `，${bad.length} 个不一致` : ''}`);
    for (const i of bad) out.push(`      ✗ ${path(i)}：${i.detail}`);
  }
  const fails = r.items.filter((x) => x.status === 'fail').length;
  out.push(r.ok ? `线上与 ${release} 一致（核对 ${r.items.filter((x) => x.status !== 'note').length} 个地址）。` : `线上有 ${fails} 处与 ${release} 不一致。`);
  return out;
}
