/**
 * /compare/: the site's one client-side app, a React island (@astrojs/react, as the product's
 * design names it). Pick up to five villages,
 * units, counties or provinces by typing (the name index the search page uses, a few KB
 * per query; provinces from the list the page passes in), pick a measure, and see plan
 * against done by month as a chart and as a table; the selection lives in the URL and the
 * table downloads as CSV. Data: each entity's series.json, same origin.
 *
 * Until it has run in the browser it renders only a status line: the page around it
 * explains the tool and links the tables for readers without JavaScript.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { chartLines, compareTable, KIND_NAMES, MAX_COMPARED, parseSelection, refFromHref, refKey, selectionSearch, type EntityRef, type Selection } from '../../lib/model/compare.ts';
import { entityFileUrl, entityUrl } from '../../lib/routes.ts';
import type { EntitySeries } from '../../lib/model/entity-series.ts';
import { MEASURE_PAIRS } from '../../lib/model/measure-pairs.ts';
import { indexReader, NAME_INDEX_DIR, readRecord, searchNames, type IndexReader } from '../../lib/search/name-index.ts';
import type { MeasureId } from '../../lib/metric-catalogue.ts';
import type { ChartHandle } from './chart.ts';
import { colourOf } from './colours.ts';

interface Props {
  provinces: Array<{ code: string; name: string }>;
}

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

let chartModule: Promise<typeof import('./chart.ts')['mountChart']> | null = null;
const loadChart = () => (chartModule ??= import('./chart.ts').then((m) => m.mountChart));

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function CompareApp({ provinces }: Props) {
  const uid = useId();
  const [mounted, setMounted] = useState(false);
  const [selection, setSelection] = useState<Selection>({ entities: [], measure: 'industry' });
  const [loaded, setLoaded] = useState<Map<string, Loaded>>(new Map());
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [active, setActive] = useState(-1);
  const [searching, setSearching] = useState(false);
  const [status, setStatus] = useState('');
  // Entities the reader has hidden from the chart with the legend (by refKey); the table keeps them.
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const chartBox = useRef<HTMLDivElement>(null);
  const chart = useRef<ChartHandle | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // Read the selection from the URL once the app runs in the browser.
  useEffect(() => {
    setSelection(parseSelection(window.location.search));
    setMounted(true);
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

  const ready = selection.entities.map((r) => loaded.get(refKey(r))).filter((s): s is EntitySeries => !!s && !('error' in s));
  const errors = selection.entities.map((r) => loaded.get(refKey(r))).filter((s): s is { error: string } => !!s && 'error' in s);
  const allLoaded = selection.entities.every((r) => loaded.has(refKey(r)));
  const table = useMemo(() => compareTable(ready, selection.measure), [ready.map((s) => `${s.kind}${s.code}`).join(), selection.measure]);
  const lines = useMemo(() => chartLines(ready, selection.measure), [table]);
  const readyKeys = ready.map((s) => refKey(s));
  const shown = useMemo(() => lines.lines.filter((l) => !hidden.has(readyKeys[l.entity]!)), [lines, hidden, readyKeys.join()]);
  const legend = lines.lines.filter((l) => l.role === 'plan').map((l) => ({ key: readyKeys[l.entity]!, name: l.name, colour: colourOf(l.entity) }));

  // The chart: ECharts is fetched when there is first something to draw (a reader who only
  // looks at the page never loads it), mounted once, drawn again on every change.
  useEffect(() => {
    const box = chartBox.current;
    if (!box || ready.length === 0) return;
    let live = true;
    void loadChart().then((mountChart) => {
      if (!live || chartBox.current !== box) return;
      chart.current ??= mountChart(box);
      chart.current.draw(lines.months, shown, lines.pair.id === 'stationing' ? '个 / 人' : lines.unit, { plan: lines.pair.planLabel, done: lines.pair.doneLabel, planUnit: lines.pair.unit, doneUnit: lines.pair.doneUnit ?? lines.pair.unit });
    });
    return () => {
      live = false;
    };
  }, [lines, shown, ready.length]);
  useEffect(() => () => chart.current?.dispose(), []);
  useEffect(() => {
    if (ready.length === 0 && chart.current) {
      chart.current.dispose();
      chart.current = null;
    }
  }, [ready.length]);

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

  if (!mounted) return <p className="meta" role="status">对比工具正在加载……</p>;

  const full = selection.entities.length >= MAX_COMPARED;
  const listId = `${uid}-options`;
  const optionId = (i: number) => `${uid}-option-${i}`;
  const nameOf = (r: EntityRef) => {
    const s = loaded.get(refKey(r));
    return s && !('error' in s) ? s.name : `${KIND_NAMES[r.kind]} ${r.code}`;
  };
  const link = `${window.location.pathname}${selectionSearch(selection)}`;

  return (
    <div className="compare-app" data-state={allLoaded ? 'ready' : 'loading'}>
      <fieldset>
        <legend>对比对象（最多 {MAX_COMPARED} 项）</legend>
        <label htmlFor={`${uid}-q`}>输入村、单位、县或省的名称或代码</label>
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
        <p id={`${uid}-hint`} className="meta">
          {full ? `已选满 ${MAX_COMPARED} 项；移除一项后可再添加。` : '输入至少两个字，用上下方向键选择，回车添加。'}
        </p>
        <ul id={listId} role="listbox" aria-label="匹配结果" className="compare-options" hidden={options.length === 0}>
          {options.map((o, i) => (
            <li key={refKey(o.ref)} id={optionId(i)} role="option" aria-selected={i === active} onMouseDown={(e) => e.preventDefault()} onClick={() => add(o)}>
              {KIND_NAMES[o.ref.kind]}：{o.title}
              <span className="hint">{o.line}</span>
            </li>
          ))}
        </ul>
        {selection.entities.length > 0 && (
          <ul className="compare-chosen" aria-label="已选对象">
            {selection.entities.map((r) => (
              <li key={refKey(r)} data-key={refKey(r)}>
                <a href={entityUrl(r.kind, r.code)}>{KIND_NAMES[r.kind]}：{nameOf(r)}</a>{' '}
                <button type="button" onClick={() => remove(r, nameOf(r))} aria-label={`移除 ${nameOf(r)}`}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <p className="compare-actions">
        <label htmlFor={`${uid}-measure`}>举措</label>{' '}
          <select id={`${uid}-measure`} value={selection.measure} onChange={(e) => setSelection((s) => ({ ...s, measure: e.currentTarget.value as MeasureId }))}>
            {MEASURE_PAIRS.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        <button type="button" className="primary" disabled={ready.length === 0} onClick={() => void import('../../lib/model/compare-csv.ts').then(({ compareCsv }) => download(`对比-${lines.pair.name}.csv`, compareCsv(table)))}>
          下载表格（CSV）
        </button>
        <a href={link}>本次对比的链接</a>
      </p>
      <p role="status" className="meta" aria-live="polite">
        {searching ? '正在查找……' : status}
      </p>
      {errors.length > 0 && (
        <ul className="note">
          {errors.map((e) => (
            <li key={e.error}>{e.error}</li>
          ))}
        </ul>
      )}
      {ready.length === 0 ? (
        <p>还没有选择对象。在上面的输入框中输入名称，例如一个村名或县名。</p>
      ) : (
        <>
          <h2>{lines.pair.name}：计划与累计完成</h2>
          <p className="meta">
            虚线为计划，实线为累计完成；{lines.pair.id === 'stationing' ? '派驻村的结对（个）与已驻村人数（人）' : `单位：${lines.unit}`}。没有上报的月份不画点。图中数据见下表。
          </p>
          <ul className="compare-legend" aria-label="图例：按下可在图中隐藏或显示">
            {legend.map((e) => (
              <li key={e.key}>
                <button type="button" aria-pressed={!hidden.has(e.key)} onClick={() => setHidden((h) => { const next = new Set(h); if (!next.delete(e.key)) next.add(e.key); return next; })}>
                  <span className="swatch plan" style={{ borderTopColor: e.colour }} aria-hidden="true" />
                  <span className="swatch done" style={{ borderTopColor: e.colour }} aria-hidden="true" />
                  {e.name}
                </button>
              </li>
            ))}
          </ul>
          <div ref={chartBox} className="compare-chart" role="img" aria-label={`${lines.pair.name}计划与累计完成折线图，数据见下表`} />
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
