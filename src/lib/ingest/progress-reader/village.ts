/**
 * A row's village: by its 村代码 (which must agree with the row's 县, 村 and 乡镇), else by
 * name within the row's county (or the file's). A name several villages of the county share
 * is decided by the row's 乡镇, then by its unit's registered pairing (decideAmbiguous), else
 * it is an error listing each candidate; no match suggests the nearest registered name.
 */
import { columnLetter, type IssueSink } from '../issues.ts';
import { INVISIBLE_CHARS, invisibleCharsIn, townshipKey } from '../names.ts';
import { suggestion, type County, type RegistryIndex } from '../registry-index.ts';
import { pairingId, type Unit, type Village } from '../records.ts';
import { cellAt, type FileSummary } from '../read-table.ts';
import { normalizeCell, normalizeName } from '../cell-values.ts';
import type { Columns } from './header.ts';

const NAME_FIELDS = ['province', 'prefecture', 'county', 'township', 'villageName', 'unitName'] as const;
const INVISIBLE_GLOBAL = new RegExp(INVISIBLE_CHARS.source, 'gu');

/** Zero-width and direction-control characters in a name are errors: invisible, they make two names differ. */
export function checkInvisible(row: string[], rowNumber: number, col: Columns, sink: IssueSink): void {
  for (const field of NAME_FIELDS) {
    const cell = cellAt(row, col[field]);
    if (!INVISIBLE_CHARS.test(cell)) continue;
    sink.error('INVISIBLE_CHARACTER', `“${cell.replace(INVISIBLE_GLOBAL, '').trim()}”中含有看不见的字符 ${invisibleCharsIn(cell).join('、')}：它们会让名称与登记名称不一致，或把文字倒过来显示。请删除这个单元格的内容后重新输入`, rowNumber, col[field] ?? null);
  }
}

/** A village name that several villages of the county share (in different 乡镇). */
export interface AmbiguousVillage {
  name: string;
  county: County;
  candidates: Village[];
}

export function resolveVillage(row: string[], rowNumber: number, col: Columns, fileCounty: County | null, registry: RegistryIndex, sink: IssueSink): Village | AmbiguousVillage | null {
  const codeCell = normalizeCell(cellAt(row, col.villageCode));
  if (codeCell !== '') return villageByCode(codeCell, row, rowNumber, col, registry, sink);
  const name = cellAt(row, col.villageName).trim();
  if (name === '') {
    sink.error('MISSING_IDENTITY', '缺少帮扶村：请填写村名或村代码', rowNumber, col.villageName ?? null);
    return null;
  }
  const county = rowCounty(row, rowNumber, col, fileCounty, registry, sink);
  return county ? villageByName(name, county, row, rowNumber, col, sink) : null;
}

/** The village of a 村代码, checked against the row's own 县, 村 and 乡镇. */
function villageByCode(codeCell: string, row: string[], rowNumber: number, col: Columns, registry: RegistryIndex, sink: IssueSink): Village | null {
  const name = cellAt(row, col.villageName).trim();
  const countyName = normalizeName(cellAt(row, col.county));
  if (!/^\d{12}$/.test(codeCell)) {
    sink.error('BAD_VILLAGE_CODE', `村代码“${codeCell}”应为 12 位数字（统计用区划代码）`, rowNumber, col.villageCode ?? null);
    return null;
  }
  const v = registry.villages.get(codeCell);
  if (!v) {
    sink.error('UNKNOWN_VILLAGE', `村代码 ${codeCell} 不在村名录（registry/villages.csv）中${name ? `（此行村名为“${name}”）` : ''}`, rowNumber, col.villageCode ?? null);
    return null;
  }
  if (countyName !== '' && countyName !== normalizeName(v.county)) {
    sink.error('LOCATION_MISMATCH', `此行写的县是“${cellAt(row, col.county).trim()}”，但村代码 ${codeCell} 是${v.county}的${v.name}`, rowNumber, col.county ?? null);
    return null;
  }
  if (name !== '' && normalizeName(name) !== normalizeName(v.name)) {
    sink.error('LOCATION_MISMATCH', `此行村名是“${name}”，但村代码 ${codeCell} 登记的是“${v.name}”`, rowNumber, col.villageName ?? null);
    return null;
  }
  const townshipCell = cellAt(row, col.township).trim();
  if (townshipCell !== '' && townshipKey(townshipCell) !== townshipKey(v.township)) {
    sink.error('TOWNSHIP_MISMATCH', `此行乡镇是“${townshipCell}”，但村代码 ${codeCell}（${v.name}）登记在${v.township}：请核对乡镇或村代码`, rowNumber, col.township ?? null);
    return null;
  }
  return v;
}

/** The row's county: its 县 cell (with its 省 where two counties share a name), else the file's. */
function rowCounty(row: string[], rowNumber: number, col: Columns, fileCounty: County | null, registry: RegistryIndex, sink: IssueSink): County | null {
  const countyName = normalizeName(cellAt(row, col.county));
  const provinceName = normalizeName(cellAt(row, col.province));
  let county: County | null = fileCounty;
  if (countyName !== '') {
    let candidates = registry.countiesByName.get(countyName) ?? [];
    if (candidates.length > 1 && provinceName) candidates = candidates.filter((c) => normalizeName(c.province) === provinceName);
    if (candidates.length !== 1) {
      const all = [...registry.counties.values()].map((c) => c.name);
      sink.error('UNKNOWN_COUNTY', `县“${cellAt(row, col.county).trim()}”不在村名录中${suggestion(countyName, all)}`, rowNumber, col.county ?? null);
      return null;
    }
    county = candidates[0]!;
  }
  if (!county) {
    sink.error('NO_COUNTY', '无法确定此行的县：请填写“县”列或村代码', rowNumber, col.villageName ?? null);
    return null;
  }
  return county;
}

/** A village by name within the county; the row's 乡镇 decides between villages of the same name, and must agree with the registry. */
function villageByName(name: string, county: County, row: string[], rowNumber: number, col: Columns, sink: IssueSink): Village | AmbiguousVillage | null {
  const named = county.villagesByName.get(normalizeName(name)) ?? [];
  const townshipCell = cellAt(row, col.township).trim();
  const township = townshipCell === '' ? '' : townshipKey(townshipCell);
  const matches = township ? named.filter((v) => townshipKey(v.township) === township) : named;
  if (named.length > 0 && matches.length === 0) {
    sink.error('TOWNSHIP_MISMATCH', `此行乡镇是“${townshipCell}”，但${county.name}的“${name}”登记在${named.map((v) => `${v.township}（村代码 ${v.code}）`).join('、')}：请核对乡镇或村名`, rowNumber, col.township ?? null);
    return null;
  }
  if (matches.length === 0) {
    sink.error('UNKNOWN_VILLAGE', `帮扶村“${name}”不在${county.name}的村名录中${suggestion(name, county.villages.map((v) => v.name), '村代码')}`, rowNumber, col.villageName ?? null);
    return null;
  }
  if (matches.length > 1) return { name, county, candidates: matches };
  return matches[0]!;
}

/**
 * A village name repeated in the county: the row's unit decides when it is registered with
 * exactly one of the candidates; otherwise the error lists them and says what to add.
 */
export function decideAmbiguous(a: AmbiguousVillage, unit: Unit | null, rowNumber: number, col: Columns, layout: FileSummary['layout'], registry: RegistryIndex, sink: IssueSink): Village | null {
  const paired = unit ? a.candidates.filter((v) => registry.pairings.has(pairingId(v.code, unit.code))) : [];
  if (paired.length === 1) return paired[0]!;
  const list = a.candidates.map((v) => `${v.township}的${v.name}（村代码 ${v.code}）`).join('；');
  const why = !unit ? '' : paired.length === 0 ? `结对帮扶单位“${unit.name}”与其中任何一个都没有登记结对，无法据此判断。` : `结对帮扶单位“${unit.name}”与其中 ${paired.length} 个都登记了结对，无法据此判断。`;
  sink.error('AMBIGUOUS_VILLAGE', `${a.county.name}有 ${a.candidates.length} 个村叫“${a.name}”：${list}。${why}${whatToAdd(col, layout)}`, rowNumber, col.villageName ?? null);
  return null;
}

/** What a file must add so that a repeated village name is decided: by the columns it has. */
function whatToAdd(col: Columns, layout: FileSummary['layout']): string {
  if (col.township !== undefined) return `请在此行的“乡镇”列（${columnLetter(col.township)} 列）填写所在乡镇${col.villageCode !== undefined ? '，或在“村代码”列填写村代码' : '，或加一列“村代码”填写 12 位村代码'}`;
  if (col.villageCode !== undefined) return '请在此行的“村代码”列填写村代码，或加一列“乡镇”填写所在乡镇';
  if (layout === 'county-table') return '附件3 县表只有村名：请在“帮扶村”列后加一列“乡镇”并填写所在乡镇，或加一列“村代码”填写 12 位村代码';
  return '请加一列“乡镇”填写所在乡镇，或加一列“村代码”填写 12 位村代码';
}
