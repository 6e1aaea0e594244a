/**
 * A registry and one flat export of n rows, generated: for the size tests (one export of
 * 150,000 rows in tests/unit/large-export.test.ts) and for measuring 1,000,000 rows by hand
 * (`node tests/unit/large-data.ts 1000000 DIR`, then `DATA_DIR=DIR npm run data:check`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeUscc } from '../../src/lib/ingest/uscc.ts';
import { FLAT_HEADER } from './helpers.ts';

const METRICS = ['120.5', '60', '49.79', '30', '10', '33.33', '1', '0', '50', '10', '20', '10', '2', '20', '40', '10', '25', '1', '2'];
const villageCode = (i: number) => `5333${String(i).padStart(8, '0')}`;
const unitCode = (i: number) => makeUscc(`9153330${String(i).padStart(10, '0')}`);

export interface LargeData {
  villages: string;
  units: string;
  pairings: string;
  export: string;
}

/** n villages in one county (福贡县), n units, n pairings, and an export with one row for each. */
export function largeData(n: number, bad: (i: number) => Record<number, string> | null = () => null): LargeData {
  const villages = ['村代码,省,市,县,乡镇,村'];
  const units = ['单位代码,单位名称,单位类型,所在省,所在市'];
  const pairings = ['村代码,单位代码,协议签署日期,承诺投入资金（万元）,计划投入资金（万元）,计划投入物资（万元）,资金物资用途规划,有无产业项目,产业扶贫计划,计划销售收入（万元）,帮扶单位自购（万元）,链接市场销售（万元）,计划就业人数,帮扶单位用工,外出就业,创业就业,公益岗位,计划培训人数,培训计划,是否派驻村,计划驻村人数,驻村人员,驻村时间'];
  const rows = [FLAT_HEADER];
  for (let i = 0; i < n; i++) {
    const v = villageCode(i);
    const u = unitCode(i);
    villages.push(`${v},云南省,怒江傈僳族自治州,福贡县,上帕镇,村${i}`);
    units.push(`${u},示例单位${i}有限公司,民营企业,云南省,昆明市`);
    pairings.push(`${v},${u},2020-05-10,100,120.5,30,,1,,50,20,30,10,4,3,1,2,40,,1,2,,`);
    const cells = ['云南省', '怒江傈僳族自治州', '福贡县', '上帕镇', `村${i}`, v, `示例单位${i}有限公司`, u, ...METRICS];
    const over = bad(i);
    if (over) for (const [k, val] of Object.entries(over)) cells[Number(k)] = val;
    rows.push(cells.join(','));
  }
  const text = (lines: string[]) => lines.join('\r\n') + '\r\n';
  return { villages: text(villages), units: text(units), pairings: text(pairings), export: text(rows) };
}

/** Write it as a DATA_DIR: registry/ and exports/2020-07/云南省.csv. */
function writeLargeData(dir: string, data: LargeData): void {
  mkdirSync(path.join(dir, 'registry'), { recursive: true });
  mkdirSync(path.join(dir, 'exports', '2020-07'), { recursive: true });
  writeFileSync(path.join(dir, 'registry', 'villages.csv'), data.villages);
  writeFileSync(path.join(dir, 'registry', 'units.csv'), data.units);
  writeFileSync(path.join(dir, 'registry', 'pairings.csv'), data.pairings);
  writeFileSync(path.join(dir, 'exports', '2020-07', '云南省.csv'), data.export);
}

if (import.meta.main) {
  const [n, dir] = process.argv.slice(2);
  if (!n || !dir) throw new Error('usage: node tests/unit/large-data.ts ROWS DIR');
  writeLargeData(dir, largeData(Number(n)));
}
