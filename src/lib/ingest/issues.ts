/**
 * Every problem the ingest finds is an Issue: severity, file, row and column as a
 * spreadsheet shows them, a stable code and a Chinese message. Errors make the data
 * invalid (the build refuses it); warnings are reported and the data is accepted.
 */

import { CLIP, clip } from '../clip.ts';
export type Severity = 'error' | 'warning';

export const ISSUE_CODES = {
  // files
  FILE_MISSING: '缺少必需的文件',
  NOT_REGULAR_FILE: '不是普通文件，或经链接指向文件夹之外（未读取）',
  EMPTY_FILE: '文件为空',
  BINARY_FILE: '不是文本表格文件',
  ENCODING_UNKNOWN: '无法识别文件编码',
  CSV_MALFORMED: 'CSV 格式错误',
  NO_HEADER: '找不到表头',
  ROW_BEFORE_HEADER: '表头之前有数据行（未读取）',
  MISSING_COLUMN: '缺少必需的列',
  DUPLICATE_COLUMN: '列名重复',
  UNKNOWN_COLUMN: '未知的列（已忽略）',
  UNNAMED_COLUMN: '无列名的列中有内容（已忽略）',
  NO_COUNTY: '无法确定所在县',
  COUNTY_CONFLICT: '标题与文件路径中的县不一致',
  MONTH_UNKNOWN: '无法确定月份',
  PERIOD_MISMATCH: '表中写明的月份或填报日期与所属月份不符',
  // Excel workbooks
  OLD_EXCEL_FORMAT: '旧版 .xls 或加密的工作簿（请另存为 .xlsx）',
  WORKBOOK_CORRUPT: '工作簿已损坏',
  WORKBOOK_TOO_LARGE: '工作簿超过大小限制',
  TABLE_TOO_LARGE: '文本表格超过大小限制',
  SHEET_NOT_FOUND: '工作簿中没有附件3工作表',
  SHEET_AMBIGUOUS: '工作簿中有多个附件3工作表',
  SHEET_HIDDEN: '隐藏的工作表',
  ROW_HIDDEN: '隐藏的行（已照常读取）',
  FORMULA_NO_VALUE: '公式没有保存计算结果',
  EXCEL_LOCK_FILE: 'Excel 临时文件（已忽略）',
  BAD_MONTH_DIR: '月份目录名不正确',
  // values
  MISSING_VALUE: '必填项为空',
  BAD_NUMBER: '不是有效的数字',
  NEGATIVE_VALUE: '数值为负',
  NOT_INTEGER: '人数不是整数',
  TOO_MANY_DECIMALS: '金额小数位过多',
  PERCENT_NOT_ALLOWED: '此列不应带百分号',
  BAD_FLAG: '不是有效的 1/0 标志',
  BAD_DATE: '不是有效的日期',
  BAD_VILLAGE_CODE: '村代码格式错误',
  BAD_UNIT_CODE: '统一社会信用代码无效',
  BAD_UNIT_TYPE: '单位类型不正确',
  RATIO_UNREADABLE: '完成比例无法读取（比例由系统重新计算）',
  RATIO_MISMATCH: '完成比例与计算值不符（以计算值为准）',
  DONE_WITHOUT_PLAN: '无计划但填有完成值',
  FLAG_INCONSISTENT: '标志与数值矛盾',
  // matching
  MISSING_IDENTITY: '缺少帮扶村或结对帮扶单位',
  UNKNOWN_COUNTY: '县不在登记名录中',
  UNKNOWN_VILLAGE: '帮扶村不在登记名录中',
  AMBIGUOUS_VILLAGE: '帮扶村名称在县内不唯一（乡镇和结对都无法确定）',
  TOWNSHIP_MISMATCH: '乡镇与村名录不符',
  INVISIBLE_CHARACTER: '名称中含有看不见的字符（零宽字符或文字方向控制符）',
  UNKNOWN_UNIT: '结对帮扶单位不在登记名录中',
  AMBIGUOUS_UNIT: '结对帮扶单位名称不唯一',
  LOCATION_MISMATCH: '地区与村代码不符',
  UNREGISTERED_PAIRING: '结对关系未登记',
  // tables and months
  TOTAL_MISMATCH: '合计行与各行之和不符',
  TOTAL_RATIO_MISMATCH: '合计行完成比例与计算值不符',
  TOTAL_MISSING: '县表缺少合计行',
  DUPLICATE_PAIRING: '同一结对在同一月份重复填报',
  WEEKLY_VERSIONS_UNCLEAR: '同一县同一月份的几份周报分不出先后',
  CUMULATIVE_DECREASE: '累计值比上月减少（按更正处理）',
  // publishing
  PUBLISHED_FILE_CHANGED: '已发布的文件被改动，且没有更正记录',
  PUBLISHED_FILE_MISSING: '已发布的文件不见了',
  UNPUBLISHED_FILE: '文件未通过 data:import 登记，发布日期未知',
  REVISION_FILE_MISSING: '更正记录中的存档文件不见了',
  WEEKLY_ARCHIVE_INVALID: '被取代的周报版本的存档不见了或被改动过',
  MANIFEST_INVALID: 'data/manifest.json 格式错误',
  IMPORT_INTERRUPTED: '上次导入被中断，尚未完成',
  WILL_REVISE: '导入时将作为更正替换已发布的同名文件',
  // registry
  DUPLICATE_VILLAGE: '村代码重复',
  DUPLICATE_UNIT: '单位代码重复',
  DUPLICATE_REGISTRY_PAIRING: '结对关系重复登记',
  COUNTY_CODE_CONFLICT: '同一县的村代码前六位不一致',
  PAIRING_UNKNOWN_VILLAGE: '结对中的村代码未登记',
  PAIRING_UNKNOWN_UNIT: '结对中的单位代码未登记',
  PLAN_SPLIT_MISMATCH: '计划分项之和与总数不符',
} as const;

export type IssueCode = keyof typeof ISSUE_CODES;

export interface Issue {
  severity: Severity;
  /** path as given (relative to DATA_DIR when read from it) */
  file: string;
  /** the worksheet, when the file is an Excel workbook */
  sheet?: string;
  /** 1-based row as a spreadsheet numbers it; null for a whole-file problem */
  row: number | null;
  /** column letter as a spreadsheet shows it (A, B, …, AA); null when not about one column */
  column: string | null;
  code: IssueCode;
  /** Chinese, names the column header and the value where it helps */
  message: string;
}

/** 0-based column index → spreadsheet letter (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export { clip };

/** Every quoted “…” part of a message, clipped: the net under messages built elsewhere. */
function clipQuoted(message: string): string {
  if (message.length <= 2 * CLIP) return message;
  const quoted = message.replace(/“([^”]*)”/g, (_, inner: string) => `“${clip(inner)}”`);
  return quoted.length <= 4000 ? quoted : clip(quoted, 4000);
}

/** Collects issues for one file; keeps the file name out of every call site. */
export class IssueSink {
  readonly issues: Issue[] = [];
  readonly file: string;
  /** set once a workbook's sheet is chosen: later issues name it */
  sheet: string | null = null;
  errorCount = 0;
  constructor(file: string) {
    this.file = file;
  }
  add(severity: Severity, code: IssueCode, message: string, row: number | null = null, columnIndex: number | null = null): void {
    if (severity === 'error') this.errorCount++;
    this.issues.push({
      severity,
      file: this.file,
      ...(this.sheet !== null ? { sheet: this.sheet } : {}),
      row,
      column: columnIndex === null ? null : columnLetter(columnIndex),
      code,
      message: clipQuoted(message),
    });
  }
  error(code: IssueCode, message: string, row: number | null = null, columnIndex: number | null = null): void {
    this.add('error', code, message, row, columnIndex);
  }
  warn(code: IssueCode, message: string, row: number | null = null, columnIndex: number | null = null): void {
    this.add('warning', code, message, row, columnIndex);
  }
}

/** Stable order for reports: file, row, column, then code. */
export function sortIssues(issues: Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      a.file.localeCompare(b.file, 'en') ||
      (a.row ?? 0) - (b.row ?? 0) ||
      (a.column ?? '').length - (b.column ?? '').length ||
      (a.column ?? '').localeCompare(b.column ?? '', 'en') ||
      a.code.localeCompare(b.code, 'en'),
  );
}
