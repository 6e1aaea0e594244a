/** 进度安排 of the 实施指引 (2020): four phases, two months each. */
export interface Phase {
  id: 'mobilise' | 'implement' | 'publicise' | 'review';
  name: string;
  months: [number, number];
  summary: string;
}

export const PHASES: ReadonlyArray<Phase> = [
  { id: 'mobilise', name: '动员部署', months: [5, 6], summary: '帮扶单位组建专项工作组，赴村见面调研，签署结对帮扶协议，确认帮扶项目。' },
  { id: 'implement', name: '组织实施', months: [7, 8], summary: '按协议落实帮扶项目并取得实质进展，参加重点省区专题调度会。' },
  { id: 'publicise', name: '典型宣传', months: [9, 10], summary: '总结宣传帮扶成效，发布典型案例。' },
  { id: 'review', name: '总结表彰', months: [11, 12], summary: '召开项目总结会，梳理工作成效，表扬推广优秀案例。' },
];

/** The phase a month (`YYYY-MM`) falls in, if any. */
export function phaseOf(month: string): Phase | null {
  const m = Number(month.slice(5, 7));
  return PHASES.find((p) => m >= p.months[0] && m <= p.months[1]) ?? null;
}
