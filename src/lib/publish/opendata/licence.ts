/** The licence and citation every open-data file carries. */

// Licence

export const LICENCE = {
  name: 'CC-BY-4.0',
  path: 'https://creativecommons.org/licenses/by/4.0/',
  title: '知识共享署名 4.0 国际许可协议',
} as const;

export const CITATION = '社会扶贫网宣传公示专区';

/** The licence statement used in every file, on the data page and in datapackage.json. */
export function licenceStatement(synthetic: boolean): string {
  const base = `本数据按${LICENCE.title}（CC BY 4.0，${LICENCE.path}）发布，可自由复制、分发和改编，使用时须注明来源：${CITATION}（社会力量助力挂牌督战村项目）。`;
  return synthetic ? `${base}示例数据，全部虚构：乡镇、村、结对帮扶单位和全部数字均由程序生成，不反映任何真实的帮扶情况。` : base;
}

// ---------------------------------------------------------------------------------------
