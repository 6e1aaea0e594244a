/**
 * What people type into the search box, and the page that must come first, over the shipped
 * demo data (data/ and content/). Place names as written in everyday use: county short
 * forms (融水县, 融水), 自治县 variants, county or township run into the village's name,
 * codes in upper or lower case; stories by a phrase of their title. `first: null` means
 * nothing may be found (a nonsense query, a code that is no one's).
 *
 * group: 'names' = the 村、单位和县 group (name index), 'pages' = 案例和通报 (Pagefind),
 * checked only when the names group is empty, as the page shows it.
 */
export interface SearchCase {
  q: string;
  first: string | null;
  group: 'names' | 'pages';
  why: string;
}

const v = (code: string) => `/villages/${code}/`;
const c = (code: string) => `/counties/${code}/`;
const u = (code: string) => `/units/${code}/`;
const s = (slug: string) => `/stories/${slug}/`;

export const SEARCH_CORPUS: SearchCase[] = [
  // county: full name, short forms, 自治县 and 族 variants
  { q: '融水苗族自治县', first: c('450225'), group: 'names', why: 'full county name' },
  { q: '融水县', first: c('450225'), group: 'names', why: 'everyday short form with 县' },
  { q: '融水', first: c('450225'), group: 'names', why: 'bare short form' },
  { q: '融水自治县', first: c('450225'), group: 'names', why: '自治县 without the people' },
  { q: '融水苗族县', first: c('450225'), group: 'names', why: 'people without 自治' },
  { q: '三江县', first: c('450226'), group: 'names', why: '三江侗族自治县 short form' },
  { q: '三江侗族自治县', first: c('450226'), group: 'names', why: 'full name' },
  { q: '隆林县', first: c('451031'), group: 'names', why: '隆林各族自治县 short form' },
  { q: '隆林各族自治县', first: c('451031'), group: 'names', why: 'full name with 各族' },
  { q: '紫云县', first: c('520425'), group: 'names', why: '紫云苗族布依族自治县 short form' },
  { q: '威宁县', first: c('520526'), group: 'names', why: '威宁彝族回族苗族自治县 short form' },
  { q: '威宁自治县', first: c('520526'), group: 'names', why: 'three peoples left out' },
  { q: '东乡县', first: c('622926'), group: 'names', why: '东乡族自治县 short form' },
  { q: '宁蒗县', first: c('530724'), group: 'names', why: '宁蒗彝族自治县 short form' },
  { q: '澜沧县', first: c('530828'), group: 'names', why: '澜沧拉祜族自治县 short form' },
  { q: '兰坪县', first: c('533325'), group: 'names', why: '兰坪白族普米族自治县 short form' },
  { q: '沿河县', first: c('520627'), group: 'names', why: '沿河土家族自治县 short form' },
  { q: '纳雍县', first: c('520525'), group: 'names', why: 'plain county name' },
  { q: '纳雍', first: c('520525'), group: 'names', why: 'plain county name without 县' },
  { q: '礼县', first: c('621226'), group: 'names', why: 'two-character county name is kept whole' },
  { q: '岷县', first: c('621126'), group: 'names', why: 'two-character county name is kept whole' },
  { q: '临夏县', first: c('622921'), group: 'names', why: 'county name that is also a prefecture prefix' },
  { q: '泸水市', first: c('533301'), group: 'names', why: 'county-level city' },
  { q: '英吉沙', first: c('653123'), group: 'names', why: 'short form without 县' },
  // county code
  { q: '450225', first: c('450225'), group: 'names', why: '6-digit county code' },
  { q: '622926', first: c('622926'), group: 'names', why: '6-digit county code' },
  // villages: name, county + village, township + village, with and without a space
  { q: '羊庄村', first: v('450225001200'), group: 'names', why: 'unique village name' },
  { q: '融水苗族自治县 羊庄村', first: v('450225001200'), group: 'names', why: 'county and village, spaced' },
  { q: '融水苗族自治县羊庄村', first: v('450225001200'), group: 'names', why: 'county and village run together' },
  { q: '融水县羊庄村', first: v('450225001200'), group: 'names', why: 'short county form run into the village' },
  { q: '融水 羊庄', first: v('450225001200'), group: 'names', why: 'both short' },
  { q: '云口乡羊庄村', first: v('450225001200'), group: 'names', why: 'township and village run together' },
  { q: '云口乡 羊庄村', first: v('450225001200'), group: 'names', why: 'township and village, spaced' },
  { q: '柳州市融水县羊庄村', first: v('450225001200'), group: 'names', why: 'prefecture, county and village in one word' },
  { q: '新坎村', first: v('522632003213'), group: 'names', why: 'unique village name' },
  { q: '翠滩村', first: v('513431001201'), group: 'names', why: 'unique village name' },
  { q: '宁蒗县茶坪村', first: v('530724003207'), group: 'names', why: 'short county + village' },
  { q: '阳林村', first: v('653126001207'), group: 'names', why: 'unique village name' },
  { q: '乐业县 德渡村', first: v('451028001204'), group: 'names', why: 'county + village' },
  { q: '隆林县丰梁村', first: v('451031002211'), group: 'names', why: '各族自治县 short form + village' },
  { q: '礼县南河村', first: v('621226002209'), group: 'names', why: 'two-character county + village' },
  { q: '都安县竹桥村', first: v('451228002202'), group: 'names', why: '瑶族自治县 short form + village' },
  { q: '紫云县鹰沟村', first: v('520425001221'), group: 'names', why: 'village name shared by two villages, county decides' },
  { q: '叶城县新营村', first: v('653126001209'), group: 'names', why: 'village name shared by three villages, county decides' },
  { q: '阿克陶县 大园村', first: v('653022002202'), group: 'names', why: 'shared village name, county decides' },
  { q: '金阳县红坎村', first: v('513430001201'), group: 'names', why: 'shared village name, county decides' },
  { q: '宁蒗彝族自治县岩梁村', first: v('530724003200'), group: 'names', why: 'full county name + shared village name' },
  { q: '墨玉县长田镇大坡村', first: v('653222001206'), group: 'names', why: 'county, township and village in one word' },
  // village codes
  { q: '450225001200', first: v('450225001200'), group: 'names', why: '12-digit village code' },
  { q: '653222001206', first: v('653222001206'), group: 'names', why: '12-digit village code' },
  { q: '４５０２２５００１２００', first: v('450225001200'), group: 'names', why: 'full-width digits' },
  // units: name, part of a name, code in either case
  { q: '示例博业畜牧股份有限公司', first: u('91513400X64GL9J124'), group: 'names', why: 'full unit name' },
  { q: '博业畜牧', first: u('91513400X64GL9J124'), group: 'names', why: 'part of a unit name' },
  { q: '和兴乳业', first: u('913201009RAU52YP33'), group: 'names', why: 'part of a unit name' },
  { q: '91533300BYPJ5P5M49', first: u('91533300BYPJ5P5M49'), group: 'names', why: '统一社会信用代码' },
  { q: '91533300bypj5p5m49', first: u('91533300BYPJ5P5M49'), group: 'names', why: '统一社会信用代码 in lower case' },
  // stories, by a phrase people remember
  { q: '普通话夜校', first: s('2020-06-weining-yangmen-putonghua'), group: 'pages', why: 'a phrase from a story title' },
  { q: '中药材示范基地', first: s('2020-08-minxian-xitang-herbs'), group: 'pages', why: 'a phrase from a story title' },
  { q: '家政服务培训', first: s('2020-12-yingjisha-shuiwan-housekeeping'), group: 'pages', why: 'a phrase from a story title' },
  { q: '驾驶技能培训', first: s('2020-10-zhenyuan-songdong-driving'), group: 'pages', why: 'a phrase from a story title' },
  // nothing to find: nonsense and a code that is no one's
  { q: 'zzqqxx', first: null, group: 'names', why: 'nonsense finds nothing, no unrelated story' },
  { q: '999999999999', first: null, group: 'names', why: 'an unknown village code finds nothing, no unrelated story' },
  { q: '火星村', first: null, group: 'names', why: 'a village that does not exist' },
];
