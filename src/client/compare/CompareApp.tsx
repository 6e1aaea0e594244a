/**
 * /compare/: the site's one client-side app, a React component (@astrojs/react renders it on
 * the server, mount.ts hydrates it). Pick up to five villages, units, counties or provinces
 * by typing (the name index the search page uses, a few KB per query; provinces from the list
 * the page passes in), pick a measure, and see it by month as a chart and as a table: the
 * completion ratio by default (entities of any size on one axis), plan and done in their units
 * as small multiples on request, partial months as hollow points with their note. The
 * selection lives in the URL; the table downloads as CSV, the chart as SVG and PNG. Data:
 * each entity's series.json, same origin.
 *
 * The picker, the table and the URL work before the chart's writer arrives: it is a chunk of
 * its own (src/lib/render/compare-svg.ts, plain SVG markup, no chart library), fetched after
 * the first render. The chart's box has its size before anything is drawn in it (one plot, or
 * one small plot per entity), so nothing below it moves when the data or the writer arrive.
 *
 * Until it has run in the browser it renders only a status line: the page around it
 * explains the tool and links the tables for readers without JavaScript.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { compareChart, compareTable, KIND_NAMES, MAX_COMPARED, parseSelection, refFromHref, refKey, selectionSearch, viewOf, type CompareView, type EntityRef, type Selection } from '../../lib/model/compare.ts';
import { entityFileUrl, entityUrl } from '../../lib/routes.ts';
import type { EntitySeries } from '../../lib/model/entity-series.ts';
import { MEASURE_PAIRS } from '../../lib/model/measure-pairs.ts';
import { indexReader, NAME_INDEX_DIR, readRecord, searchNames, type IndexReader } from '../../lib/search/name-index.ts';
import type { MeasureId } from '../../lib/metric-catalogue.ts';
import { formatMonth } from '../../lib/render/format.ts';
import { colourOf, dashOf, symbolOf, symbolPath, PLAN_DASH } from '../../lib/render/compare-style.ts';
import type { PanelGeometry } from '../../lib/render/compare-svg.ts';

export interface Props {
  provinces: Array<{ code: string; name: string }>;
  /** the site's name, for the chart image's source line */
  site: string;
}

/** Heights of a plot in px: the CSS gives the boxes the same (explore.css), so they are reserved before drawing. */
const PANEL_HEIGHT: Record<CompareView, number> = { ratio: 320, amount: 220 };

interface Option {
  ref: EntityRef;
  title: string;
  line: string;
}

type Loaded = EntitySeries | { error: string };
const OPTIONS_SHOWN = 8;

let reader: IndexReader | null = null;
const nameIndex = () =>
  (reader ??= indexReader((file) =>
    fetch(`/${NAME_INDEX_DIR}/${file}`).then((r) => {
      if (!r.ok) throw new Error(`${file}: ${r.status}`);
      return r.text();
    }),
  ));

const seriesCache = new Map<string, Promise<Loaded>>();
function loadSeries(ref: EntityRef): Promise<Loaded> {
  const key = refKey(ref);
  let p = seriesCache.get(key);
  if (!p) {
    p = fetch(entityFileUrl(ref.kind, ref.code, 'series')).then(
      (r): Promise<Loaded> | Loaded => (r.ok ? (r.json() as Promise<EntitySeries>) : { error: r.status === 404 ? `找不到${KIND_NAMES[ref.kind]} ${ref.code}` : `读取失败（${r.status}）` }),
      () => ({ error: '网络错误，读取失败' }),
    );
    seriesCache.set(key, p);
  }
  return p;
}

async function findOptions(query: string, provinces: Props['provinces']): Promise<Option[]> {
  const q = query.trim();
  if (!q) return [];
  const out: Option[] = provinces.filter((p) => p.name.includes(q) || p.code === q).map((p) => ({ ref: { kind: 'provinces', code: p.code }, title: p.name, line: '省（区）' }));
  const found = await searchNames(q, {}, nameIndex());
  const ids = [...found.exact, ...found.byName, ...found.byPlace].slice(0, OPTIONS_SHOWN);
  // All record files at once: one after another, each is a round trip on a phone's link.
  for (const [href, title, line] of await Promise.all(ids.map((id) => readRecord(found.meta, id, nameIndex())))) {
    const ref = refFromHref(href);
    if (ref) out.push({ ref, title, line });
  }
  return out.slice(0, OPTIONS_SHOWN);
}

type Writer = typeof import('../../lib/render/compare-svg.ts');
let writerModule: Promise<Writer> | null = null;
const loadWriter = () => (writerModule ??= import('../../lib/render/compare-svg.ts'));

function download(name: string, body: string | Blob, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(typeof body === 'string' ? new Blob([body], { type }) : body);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A legend's sample: the entity's line (its dash) and symbol, so it is told apart without colour. */
function Swatch({ entity, dash }: { entity: number; dash?: string }) {
  const d = dash ?? dashOf(entity);
  return (
    <svg className="swatch" width="28" height="12" viewBox="0 0 28 12" aria-hidden="true" focusable="false">
      <path d="M0 6h28" fill="none" stroke={colourOf(entity)} strokeWidth="2" strokeDasharray={d || undefined} />
      <path d={symbolPath(symbolOf(entity), 14, 6, 4)} fill={colourOf(entity)} />
    </svg>
  );
}

interface Tip {
  panel: number;
  month: number;
  x: number;
  y: number;
}

export default function CompareApp({ provinces, site }: Props) {
  const uid = useId();
  const [mounted, setMounted] = useState(false);
  const [selection, setSelection] = useState<Selection>({ entities: [], measure: 'industry', view: 'ratio' });
  const [loaded, setLoaded] = useState<Map<string, Loaded>>(new Map());
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [active, setActive] = useState(-1);
  const [searching, setSearching] = useState(false);
  const [status, setStatus] = useState('');
  // Entities the reader has hidden from the chart with the legend (by refKey); the table keeps them.
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [writer, setWriter] = useState<Writer | 'failed' | null>(null);
  const [width, setWidth] = useState(0);
  const [tip, setTip] = useState<Tip | null>(null);
  const chartBox = useRef<HTMLDivElement>(null);
  const geometry = useRef<PanelGeometry[]>([]);
  const input = useRef<HTMLInputElement>(null);

  // Read the selection from the URL once the app runs in the browser; then fetch the chart's writer.
  useEffect(() => {
    setSelection(parseSelection(window.location.search));
    setMounted(true);
    loadWriter().then(setWriter, () => setWriter('failed'));
  }, []);

  // Keep the URL in step with the selection (a shareable link).
  useEffect(() => {
    if (!mounted) return;
    const search = selectionSearch(selection);
    if (search !== window.location.search) history.replaceState(null, '', `${window.location.pathname}${search}`);
  }, [mounted, selection]);

  // Fetch the series of each selected entity (once each).
  useEffect(() => {
    let live = true;
    for (const ref of selection.entities) {
      const key = refKey(ref);
      if (loaded.has(key)) continue;
      void loadSeries(ref).then((s) => {
        if (live) setLoaded((prev) => (prev.has(key) ? prev : new Map(prev).set(key, s)));
      });
    }
    return () => {
      live = false;
    };
  }, [selection.entities, loaded]);

  // Options for what is typed, a moment after typing stops.
  useEffect(() => {
    if (!mounted) return;
    let live = true;
    if (!query.trim()) {
      setOptions([]);
      setActive(-1);
      return;
    }
    setSearching(true);
    const timer = setTimeout(() => {
      findOptions(query, provinces).then(
        (list) => {
          if (!live) return;
          setOptions(list);
          setActive(list.length ? 0 : -1);
          setSearching(false);
          setStatus(list.length ? `找到 ${list.length} 项，用上下方向键选择，回车添加` : '没有找到匹配的村、单位、县或省');
        },
        () => {
          if (!live) return;
          setSearching(false);
          setStatus('搜索索引读取失败');
        },
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [mounted, query, provinces]);

  // The width the plots are drawn at: the first plot box's (all are equal), followed as it changes.
  const measureWidth = useRef(() => {});
  useEffect(() => {
    const box = chartBox.current;
    if (!box) return;
    measureWidth.current = () => setWidth(Math.floor((box.querySelector('.compare-panel') ?? box).clientWidth));
    measureWidth.current();
    const observer = new ResizeObserver(() => measureWidth.current());
    observer.observe(box);
    return () => observer.disconnect();
  }, [mounted]);

  const ready = selection.entities.map((r) => loaded.get(refKey(r))).filter((s): s is EntitySeries => !!s && !('error' in s));
  const errors = selection.entities.map((r) => loaded.get(refKey(r))).filter((s): s is { error: string } => !!s && 'error' in s);
  const allLoaded = selection.entities.every((r) => loaded.has(refKey(r)));
  const readyKeys = ready.map((s) => refKey(s));
  const table = useMemo(() => compareTable(ready, selection.measure), [readyKeys.join(), selection.measure]);
  const chart = useMemo(() => compareChart(ready, selection.measure, selection.view), [table, selection.view]);
  const view = viewOf(selection);
  const hiddenIdx = useMemo(() => new Set(readyKeys.flatMap((k, i) => (hidden.has(k) ? [i] : []))), [hidden, readyKeys.join()]);
  // The boxes: one for the ratio plot; one per chosen entity for the small multiples (as many as chosen, before their data arrive).
  const boxes = view === 'ratio' ? 1 : Math.max(1, selection.entities.filter((r) => !hidden.has(refKey(r)) && !(loaded.get(refKey(r)) && 'error' in loaded.get(refKey(r))!)).length);
  const panels = chart.panels.filter((p) => p.entity === null || !hiddenIdx.has(p.entity));
  const drawn = useMemo(() => {
    if (!writer || writer === 'failed' || width <= 0 || ready.length === 0) return null;
    return panels.map((p) => writer.panelSvg(chart, p, width, PANEL_HEIGHT[view], hiddenIdx));
  }, [writer, width, chart, hiddenIdx, view]);
  geometry.current = drawn?.map((d) => d.geometry) ?? [];
  // The small multiples' column width follows their count and the view.
  useEffect(() => measureWidth.current(), [view, boxes]);
  const partialNotes = panels.flatMap((p) => p.lines.filter((l) => !hiddenIdx.has(l.entity)).flatMap((l) => l.points.flatMap((pt, i) => (pt.value !== null && pt.partial ? [`${l.name} · ${l.label} · ${formatMonth(chart.months[i]!)}：${pt.text}（${pt.partial}，未计入）`] : []))));

  const add = useCallback(
    (o: Option) => {
      setSelection((s) => {
        if (s.entities.some((e) => refKey(e) === refKey(o.ref))) {
          setStatus(`${o.title} 已在对比中`);
          return s;
        }
        if (s.entities.length >= MAX_COMPARED) {
          setStatus(`最多对比 ${MAX_COMPARED} 项，请先移除一项`);
          return s;
        }
        setStatus(`已添加 ${o.title}`);
        return { ...s, entities: [...s.entities, o.ref] };
      });
      setQuery('');
      setOptions([]);
      setActive(-1);
      input.current?.focus();
    },
    [],
  );

  const remove = (ref: EntityRef, name: string) => {
    setSelection((s) => ({ ...s, entities: s.entities.filter((e) => refKey(e) !== refKey(ref)) }));
    setHidden((h) => (h.has(refKey(ref)) ? new Set([...h].filter((k) => k !== refKey(ref))) : h));
    setStatus(`已移除 ${name}`);
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && options.length) {
      e.preventDefault();
      setActive((a) => (a + 1) % options.length);
    } else if (e.key === 'ArrowUp' && options.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? options.length - 1 : a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const o = options[active];
      if (o) add(o);
    } else if (e.key === 'Escape') {
      setOptions([]);
      setActive(-1);
    }
  };

  // The tooltip: the month nearest the pointer in the plot under it, each shown line's value and note.
  const onPointer = (e: PointerEvent<HTMLDivElement>) => {
    const el = (e.target as Element).closest<HTMLElement>('.compare-panel');
    const k = Number(el?.dataset.panel ?? -1);
    const g = geometry.current[k];
    if (!el || !g || !chart.months.length) return setTip(null);
    const r = el.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    if (x < g.plot.left - 12 || x > g.plot.right + 12 || y < g.plot.top - 12 || y > g.plot.bottom + 4) return setTip(null);
    let month = 0;
    g.xs.forEach((mx, i) => Math.abs(mx - x) < Math.abs(g.xs[month]! - x) && (month = i));
    const box = chartBox.current!.getBoundingClientRect();
    setTip({ panel: k, month, x: e.clientX - box.left, y: e.clientY - box.top });
  };
  const tipBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = tipBox.current;
    const box = chartBox.current;
    if (!el || !box || !tip) return;
    // Kept inside the chart's box; placed through the CSSOM (the CSP refuses style attributes).
    const gap = 12;
    const left = tip.x + gap + el.offsetWidth <= box.clientWidth ? tip.x + gap : Math.max(0, tip.x - gap - el.offsetWidth);
    const top = Math.min(Math.max(0, tip.y - el.offsetHeight / 2), Math.max(0, box.clientHeight - el.offsetHeight));
    el.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }, [tip]);

  const link = mounted ? `${window.location.pathname}${selectionSearch(selection)}` : '';
  const image = async (): Promise<{ svg: string; name: string } | null> => {
    const w = writer && writer !== 'failed' ? writer : await loadWriter().catch(() => null);
    if (!w) return null;
    return { svg: w.compareSvgDocument(chart, { site, link: window.location.origin + link }, hiddenIdx), name: `对比-${chart.pair.name}-${view === 'ratio' ? '完成比例' : '计划与完成'}` };
  };
  const downloadSvg = async () => {
    const i = await image();
    if (i) download(`${i.name}.svg`, i.svg, 'image/svg+xml;charset=utf-8');
  };
  // PNG: the same SVG drawn onto a canvas at twice its size (a data: URL, the page's own; nothing from elsewhere).
  const downloadPng = async () => {
    const i = await image();
    if (!i) return;
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(i.svg)}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth * 2;
    canvas.height = img.naturalHeight * 2;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0);
    canvas.toBlob((blob) => {
      if (blob) download(`${i.name}.png`, blob);
      else setStatus('PNG 生成失败，请改用 SVG');
    }, 'image/png');
  };

  if (!mounted) return <p className="meta" role="status">对比工具正在加载……</p>;

  const full = selection.entities.length >= MAX_COMPARED;
  const listId = `${uid}-options`;
  const optionId = (i: number) => `${uid}-option-${i}`;
  const nameOf = (r: EntityRef) => {
    const s = loaded.get(refKey(r));
    return s && !('error' in s) ? s.name : `${KIND_NAMES[r.kind]} ${r.code}`;
  };
  const tipPanel = tip ? panels[tip.panel] : undefined;
  const chartState = ready.length === 0 ? (selection.entities.length ? 'loading' : 'empty') : writer === 'failed' ? 'failed' : drawn ? 'drawn' : 'loading';
  const boxText =
    selection.entities.length === 0 ? '还没有选择对象。在上面的输入框中输入名称，例如一个村名或县名。' : chartState === 'failed' ? '图表未能载入；数据见下表。' : chartState === 'loading' ? '图表正在载入……' : '';

  return (
    <div className="compare-app" data-state={allLoaded ? 'ready' : 'loading'}>
      <fieldset>
        <legend>对比对象（最多 {MAX_COMPARED} 项）</legend>
        <label htmlFor={`${uid}-q`}>输入村、单位、县或省的名称或代码</label>
        <div className="compare-picker">
          <input
            ref={input}
            id={`${uid}-q`}
            type="search"
            role="combobox"
            autoComplete="off"
            aria-autocomplete="list"
            aria-expanded={options.length > 0}
            aria-controls={listId}
            aria-activedescendant={active >= 0 && options[active] ? optionId(active) : undefined}
            aria-describedby={`${uid}-hint`}
            value={query}
            disabled={full}
            onChange={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={onKeyDown}
          />
          <ul id={listId} role="listbox" aria-label="匹配结果" className="compare-options" hidden={options.length === 0}>
            {options.map((o, i) => (
              <li key={refKey(o.ref)} id={optionId(i)} role="option" aria-selected={i === active} onMouseDown={(e) => e.preventDefault()} onClick={() => add(o)}>
                {KIND_NAMES[o.ref.kind]}：{o.title}
                <span className="hint">{o.line}</span>
              </li>
            ))}
          </ul>
        </div>
        <p id={`${uid}-hint`} className="meta">
          {full ? `已选满 ${MAX_COMPARED} 项；移除一项后可再添加。` : '输入至少两个字，用上下方向键选择，回车添加。'}
        </p>
        {selection.entities.length > 0 && (
          <ul className="compare-chosen" aria-label="已选对象">
            {selection.entities.map((r) => (
              <li key={refKey(r)} data-key={refKey(r)}>
                <a href={entityUrl(r.kind, r.code)}>{KIND_NAMES[r.kind]}：{nameOf(r)}</a>
                <button type="button" onClick={() => remove(r, nameOf(r))} aria-label={`移除 ${nameOf(r)}`}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <p className="compare-actions">
        <span>
          <label htmlFor={`${uid}-measure`}>举措</label>{' '}
          <select id={`${uid}-measure`} value={selection.measure} onChange={(e) => {
            // read now: React clears the event's currentTarget before the updater runs
            const measure = e.currentTarget.value as MeasureId;
            setSelection((s) => ({ ...s, measure }));
          }}>
            {MEASURE_PAIRS.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor={`${uid}-view`}>图表</label>{' '}
          <select id={`${uid}-view`} value={view} disabled={!chart.pair.ratio} onChange={(e) => {
            const view = e.currentTarget.value as CompareView;
            setSelection((s) => ({ ...s, view }));
          }}>
            <option value="ratio">完成比例（%）</option>
            <option value="amount">计划与完成（数量，分图）</option>
          </select>
        </span>
      </p>
      <p role="status" className="meta compare-status" aria-live="polite">
        {searching ? '正在查找……' : status}
      </p>
      <h2>{chart.title}</h2>
      <p className="meta compare-units">
        {chart.units}
        {!chart.pair.ratio && '。派驻力量的计划与完成不是同一种数（个结对与人），没有完成比例。'}
      </p>
      <div
        ref={chartBox}
        className="compare-chart"
        data-view={view}
        data-chart={chartState}
        role="img"
        aria-label={`${chart.title}，${ready.map((s) => s.name).join('、') || '未选对象'}；数据见下表`}
        onPointerMove={onPointer}
        onPointerLeave={() => setTip(null)}
      >
        {Array.from({ length: boxes }, (_, k) => (
          <div key={k} className="compare-panel" data-panel={k} dangerouslySetInnerHTML={drawn?.[k] ? { __html: drawn[k].svg } : undefined}>
            {drawn?.[k] ? undefined : k === 0 && boxText ? <p className="compare-wait">{boxText}</p> : undefined}
          </div>
        ))}
        {tip && tipPanel && (
          <div ref={tipBox} className="compare-tip">
            <div>{formatMonth(chart.months[tip.month]!)}</div>
            {tipPanel.lines
              .filter((l) => !hiddenIdx.has(l.entity))
              .map((l) => {
                const p = l.points[tip.month]!;
                return (
                  <div key={`${l.entity}-${l.role}`} data-partial={p.partial ? '' : undefined}>
                    <Swatch entity={l.entity} dash={view === 'ratio' ? undefined : l.role === 'plan' ? PLAN_DASH : ''} />
                    {l.name} · {l.label}：{p.text}
                    {p.partial && `（${p.partial}，未计入）`}
                  </div>
                );
              })}
          </div>
        )}
      </div>
      {ready.length > 0 && (
        <>
          <ul className="compare-legend" aria-label="图例：按下可在图中隐藏或显示">
            {ready.map((s, i) => (
              <li key={readyKeys[i]}>
                <button type="button" aria-pressed={!hidden.has(readyKeys[i]!)} onClick={() => setHidden((h) => { const next = new Set(h); if (!next.delete(readyKeys[i]!)) next.add(readyKeys[i]!); return next; })}>
                  <Swatch entity={i} dash={view === 'ratio' ? undefined : ''} />
                  {chart.names[i]}
                </button>
              </li>
            ))}
          </ul>
          {view === 'amount' && <p className="meta">每幅图：虚线、方点为{chart.pair.planLabel}，实线、圆点为{chart.pair.doneLabel}。</p>}
          {partialNotes.length > 0 && (
            <details className="compare-partials">
              <summary>
                <svg className="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false"><circle cx="6" cy="6" r="4" fill="#ffffff" stroke="#333333" strokeWidth="2" /></svg>
                空心点为部分合计：有结对未填报或未上报，未计入该月数字（{partialNotes.length} 处，展开看说明）
              </summary>
              <ul>
                {partialNotes.map((t) => (
                  <li key={t}>{t}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      <p className="compare-actions">
        <button type="button" className="primary" disabled={ready.length === 0} onClick={() => void import('../../lib/model/compare-csv.ts').then(({ compareCsv }) => download(`对比-${chart.pair.name}.csv`, compareCsv(table)))}>
          下载表格（CSV）
        </button>
        <button type="button" disabled={ready.length === 0 || writer === 'failed'} onClick={() => void downloadSvg()}>
          下载图表（SVG）
        </button>
        <button type="button" disabled={ready.length === 0 || writer === 'failed'} onClick={() => void downloadPng()}>
          下载图表（PNG）
        </button>
        <a href={link}>本次对比的链接</a>
      </p>
      {errors.length > 0 && (
        <ul className="note">
          {errors.map((e) => (
            <li key={e.error}>{e.error}</li>
          ))}
        </ul>
      )}
      {ready.length > 0 && (
        <>
          <div className="wide-table">
          <p className="scroll-cue" aria-hidden="true">表格较宽：左右滑动查看全部列 →</p>
          <section className="table-scroll" tabIndex={0} aria-labelledby={`${uid}-caption`}>
            <table className="compare-table">
              <caption id={`${uid}-caption`}>{table.caption}</caption>
              <thead>
                <tr>
                  {table.head.map((h, i) => (
                    <th key={h} scope="col" className={i === 0 ? 'sticky-col' : i >= 4 ? 'num' : undefined}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row, i) => (
                  <tr key={`${table.entity[i]}-${row[3]}`}>
                    {row.map((cell, j) =>
                      j === 0 ? (
                        <th key={j} scope="row" className="sticky-col">
                          {cell}
                        </th>
                      ) : (
                        <td key={j} className={j >= 4 ? 'num' : undefined}>
                          {cell}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          </div>
          <p className="note">完成比例只计同时填报了计划和完成数的结对；计划为 0 的记为“无计划”。注明“部分”的数字，是有结对未填报该项时的部分合计。</p>
        </>
      )}
    </div>
  );
}
