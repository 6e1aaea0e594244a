/**
 * A row's unit: by its 单位代码 (whose registered name must agree with the row's), else by
 * name — the village's own units first, then the county's, then the whole registry; a name
 * several units share asks for the code, and no match suggests the nearest registered name.
 */
import type { IssueSink } from '../issues.ts';
import { suggestion, type County, type RegistryIndex } from '../registry-index.ts';
import type { Unit, Village } from '../records.ts';
import { cellAt } from '../read-table.ts';
import { normalizeCell, normalizeName } from '../cell-values.ts';
import type { Columns } from './header.ts';

export function resolveUnit(row: string[], rowNumber: number, col: Columns, village: Village | null, fileCounty: County | null, registry: RegistryIndex, sink: IssueSink): Unit | null {
  const codeCell = normalizeCell(cellAt(row, col.unitCode)).toUpperCase();
  const name = cellAt(row, col.unitName).trim();
  if (codeCell !== '') return unitByCode(codeCell, name, rowNumber, col, registry, sink);
  if (name === '') {
    sink.error('MISSING_IDENTITY', '缺少结对帮扶单位：请填写单位名称或单位代码', rowNumber, col.unitName ?? null);
    return null;
  }
  return unitByName(name, rowNumber, col, village, fileCounty, registry, sink);
}

function unitByCode(codeCell: string, name: string, rowNumber: number, col: Columns, registry: RegistryIndex, sink: IssueSink): Unit | null {
  const u = registry.units.get(codeCell);
  if (!u) {
    sink.error('UNKNOWN_UNIT', `单位代码 ${codeCell} 不在单位名录（registry/units.csv）中${name ? `（此行单位名称为“${name}”）` : ''}`, rowNumber, col.unitCode ?? null);
    return null;
  }
  if (name !== '' && normalizeName(name) !== normalizeName(u.name)) {
    sink.error('LOCATION_MISMATCH', `此行单位名称是“${name}”，但单位代码 ${codeCell} 登记的是“${u.name}”`, rowNumber, col.unitName ?? null);
    return null;
  }
  return u;
}

function unitByName(name: string, rowNumber: number, col: Columns, village: Village | null, fileCounty: County | null, registry: RegistryIndex, sink: IssueSink): Unit | null {
  const key = normalizeName(name);
  // Within the county first (its units include the village's own), then the whole registry.
  const county = village ? (registry.counties.get(village.countyCode) ?? null) : fileCounty;
  const localMatch = county?.unitsByName.get(key) ?? [];
  if (localMatch.length === 1) return localMatch[0]!;
  const global = registry.unitsByName.get(key) ?? [];
  if (global.length === 1) return global[0]!;
  if (global.length > 1) {
    sink.error('AMBIGUOUS_UNIT', `单位名称“${name}”在单位名录中有 ${global.length} 个（${global.map((u) => u.code).join('、')}）：请填写单位代码`, rowNumber, col.unitName ?? null);
    return null;
  }
  const local = [...(village ? (registry.unitsByVillage.get(village.code) ?? []) : []), ...(county ? county.units.values() : [])];
  const pool = local.length > 0 ? local.map((u) => u.name) : [...registry.units.values()].map((u) => u.name);
  sink.error('UNKNOWN_UNIT', `结对帮扶单位“${name}”不在单位名录中${suggestion(name, pool, '单位代码')}`, rowNumber, col.unitName ?? null);
  return null;
}
