/**
 * What stands above the header: title lines, which may name the county (and the month:
 * period.ts), and the county a file is about — from its title or its path
 * (exports/月/省/市/县.csv) — for rows that carry no location of their own.
 */
import type { IssueSink } from '../issues.ts';
import type { County, RegistryIndex } from '../registry-index.ts';
import { skip, type FileSummary } from '../read-table.ts';
import { normalizeName } from '../cell-values.ts';

/**
 * The rows before the header (and its group row): short ones are title lines, blank ones are
 * skipped; a row with more than a few cells is not a title but data the header does not
 * describe, and is rejected. The titles' text, joined.
 */
export function readTitleLines(rows: string[][], titleIndex: number, headerIndex: number, summary: FileSummary, sink: IssueSink): string {
  const titleParts: string[] = [];
  for (let i = 0; i < titleIndex; i++) {
    const cells = rows[i]!.map((c) => c.trim()).filter(Boolean);
    if (cells.length === 0) skip(summary, 'blank');
    else if (cells.length <= 3) {
      skip(summary, 'title');
      titleParts.push(...cells);
    } else {
      summary.rows.rejected++;
      sink.error('ROW_BEFORE_HEADER', `表头（第 ${headerIndex + 1} 行）之前的这一行有 ${cells.length} 个单元格，不像标题，未读取：如是数据，请移到表头之后`, i + 1, null);
    }
  }
  return titleParts.join(' ');
}

/** The county a file is about, from its title line or its path (exports/月/省/市/县.csv). */
export function resolveFileCounty(file: string, titleText: string, registry: RegistryIndex, sink: IssueSink): County | null {
  const segments = file.replace(/\\/g, '/').split('/').map((s) => normalizeName(s.replace(/\.(csv|txt|tsv|xlsx|xls)$/i, '')));
  const fromPath = findCountyIn(segments, registry, (c) => segments.includes(normalizeName(c.name)));
  const title = normalizeName(titleText);
  const fromTitle = title ? findCountyIn(segments, registry, (c) => title.includes(normalizeName(c.name))) : null;
  if (fromPath && fromTitle && fromPath.code !== fromTitle.code) {
    sink.error('COUNTY_CONFLICT', `标题写的是${fromTitle.name}，文件路径写的是${fromPath.name}：请核对是哪个县的表`, 1, 0);
    return null;
  }
  return fromTitle ?? fromPath;
}

function findCountyIn(segments: string[], registry: RegistryIndex, test: (c: County) => boolean): County | null {
  let found: County[] = [];
  for (const c of registry.counties.values()) if (test(c)) found.push(c);
  if (found.length > 1) {
    // Prefer the longest name (东乡族自治县 over 乡…), then the one whose province/prefecture the path names.
    const longest = Math.max(...found.map((c) => c.name.length));
    found = found.filter((c) => c.name.length === longest);
    const byPath = found.filter((c) => segments.includes(normalizeName(c.province)) || segments.includes(normalizeName(c.prefecture)));
    if (byPath.length === 1) return byPath[0]!;
  }
  return found.length === 1 ? found[0]! : null;
}
