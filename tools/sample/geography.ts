/**
 * Geography of the synthetic dataset: the 52 挂牌督战 counties with their real codes and
 * names (province → prefecture → county), and the home cities of assisting units.
 * Codes are 统计用区划代码: province 2 digits, prefecture 4, county 6.
 */

export interface SampleCounty {
  code: string;
  name: string;
}

export interface SamplePrefecture {
  code: string;
  name: string;
  counties: ReadonlyArray<SampleCounty>;
}

export interface SampleProvince {
  code: string;
  name: string;
  prefectures: ReadonlyArray<SamplePrefecture>;
}

/** The seven provinces and 52 listed counties (挂牌督战县), in the programme's order. */
export const LISTED_GEOGRAPHY: ReadonlyArray<SampleProvince> = [
  {
    code: '45',
    name: '广西壮族自治区',
    prefectures: [
      {
        code: '4510',
        name: '百色市',
        counties: [
          { code: '451031', name: '隆林各族自治县' },
          { code: '451028', name: '乐业县' },
          { code: '451026', name: '那坡县' },
        ],
      },
      {
        code: '4512',
        name: '河池市',
        counties: [
          { code: '451225', name: '罗城仫佬族自治县' },
          { code: '451229', name: '大化瑶族自治县' },
          { code: '451228', name: '都安瑶族自治县' },
        ],
      },
      {
        code: '4502',
        name: '柳州市',
        counties: [
          { code: '450225', name: '融水苗族自治县' },
          { code: '450226', name: '三江侗族自治县' },
        ],
      },
    ],
  },
  {
    code: '51',
    name: '四川省',
    prefectures: [
      {
        code: '5134',
        name: '凉山彝族自治州',
        counties: [
          { code: '513429', name: '布拖县' },
          { code: '513428', name: '普格县' },
          { code: '513431', name: '昭觉县' },
          { code: '513432', name: '喜德县' },
          { code: '513434', name: '越西县' },
          { code: '513430', name: '金阳县' },
          { code: '513436', name: '美姑县' },
        ],
      },
    ],
  },
  {
    code: '52',
    name: '贵州省',
    prefectures: [
      { code: '5204', name: '安顺市', counties: [{ code: '520425', name: '紫云苗族布依族自治县' }] },
      {
        code: '5205',
        name: '毕节市',
        counties: [
          { code: '520525', name: '纳雍县' },
          { code: '520526', name: '威宁彝族回族苗族自治县' },
          { code: '520527', name: '赫章县' },
        ],
      },
      { code: '5206', name: '铜仁市', counties: [{ code: '520627', name: '沿河土家族自治县' }] },
      {
        code: '5226',
        name: '黔东南苗族侗族自治州',
        counties: [
          { code: '522632', name: '榕江县' },
          { code: '522633', name: '从江县' },
        ],
      },
      {
        code: '5223',
        name: '黔西南布依族苗族自治州',
        counties: [
          { code: '522324', name: '晴隆县' },
          { code: '522326', name: '望谟县' },
        ],
      },
    ],
  },
  {
    code: '53',
    name: '云南省',
    prefectures: [
      { code: '5303', name: '曲靖市', counties: [{ code: '530326', name: '会泽县' }] },
      { code: '5306', name: '昭通市', counties: [{ code: '530627', name: '镇雄县' }] },
      { code: '5307', name: '丽江市', counties: [{ code: '530724', name: '宁蒗彝族自治县' }] },
      { code: '5308', name: '普洱市', counties: [{ code: '530828', name: '澜沧拉祜族自治县' }] },
      {
        code: '5333',
        name: '怒江傈僳族自治州',
        counties: [
          { code: '533323', name: '福贡县' },
          // a county-level city: still the 县 column value
          { code: '533301', name: '泸水市' },
          { code: '533325', name: '兰坪白族普米族自治县' },
        ],
      },
      { code: '5325', name: '红河哈尼族彝族自治州', counties: [{ code: '532523', name: '屏边苗族自治县' }] },
      { code: '5326', name: '文山壮族苗族自治州', counties: [{ code: '532627', name: '广南县' }] },
    ],
  },
  {
    code: '62',
    name: '甘肃省',
    prefectures: [
      {
        code: '6229',
        name: '临夏回族自治州',
        counties: [
          { code: '622921', name: '临夏县' },
          { code: '622926', name: '东乡族自治县' },
        ],
      },
      {
        code: '6211',
        name: '定西市',
        counties: [
          { code: '621126', name: '岷县' },
          { code: '621121', name: '通渭县' },
        ],
      },
      {
        code: '6212',
        name: '陇南市',
        counties: [
          { code: '621223', name: '宕昌县' },
          { code: '621226', name: '礼县' },
          { code: '621225', name: '西和县' },
        ],
      },
      { code: '6210', name: '庆阳市', counties: [{ code: '621027', name: '镇原县' }] },
    ],
  },
  {
    code: '64',
    name: '宁夏回族自治区',
    prefectures: [{ code: '6404', name: '固原市', counties: [{ code: '640422', name: '西吉县' }] }],
  },
  {
    code: '65',
    name: '新疆维吾尔自治区',
    prefectures: [
      {
        code: '6531',
        name: '喀什地区',
        counties: [
          { code: '653125', name: '莎车县' },
          { code: '653126', name: '叶城县' },
          { code: '653129', name: '伽师县' },
          { code: '653123', name: '英吉沙县' },
        ],
      },
      {
        code: '6532',
        name: '和田地区',
        counties: [
          { code: '653222', name: '墨玉县' },
          { code: '653223', name: '皮山县' },
          { code: '653224', name: '洛浦县' },
          { code: '653225', name: '策勒县' },
          { code: '653226', name: '于田县' },
        ],
      },
      { code: '6530', name: '克孜勒苏柯尔克孜自治州', counties: [{ code: '653022', name: '阿克陶县' }] },
    ],
  },
];

/** A county with its whole location, flattened. */
export interface CountyRef {
  code: string;
  name: string;
  prefectureCode: string;
  prefectureName: string;
  provinceCode: string;
  provinceName: string;
  /** true for the 52 real listed counties, false for the national-scale synthetic ones */
  listed: boolean;
}

function flattenCounties(geography: ReadonlyArray<SampleProvince>, listed: boolean): CountyRef[] {
  const out: CountyRef[] = [];
  for (const p of geography) {
    for (const f of p.prefectures) {
      for (const c of f.counties) {
        out.push({ code: c.code, name: c.name, prefectureCode: f.code, prefectureName: f.name, provinceCode: p.code, provinceName: p.name, listed });
      }
    }
  }
  return out;
}

/** The 52 listed counties in programme order. */
export const LISTED_COUNTIES: ReadonlyArray<CountyRef> = flattenCounties(LISTED_GEOGRAPHY, true);

/** National scale: synthetic counties live in one synthetic prefecture per province. */
const SYNTHETIC_PREFECTURE_NAME = '示例地区';

function syntheticPrefectureCode(provinceCode: string): string {
  return `${provinceCode}90`;
}

/**
 * A synthetic county: code = province code + '9' + its 3-digit number within the province
 * (`539001`); name = `示例县` + a number unique over all provinces (`示例县001` … `示例县846`),
 * so that a county name alone (in a table's title line) never names two counties.
 */
export function syntheticCounty(provinceCode: string, provinceName: string, n: number, nationalNumber: number): CountyRef {
  return {
    code: `${provinceCode}9${String(n).padStart(3, '0')}`,
    name: `示例县${String(nationalNumber).padStart(3, '0')}`,
    prefectureCode: syntheticPrefectureCode(provinceCode),
    prefectureName: SYNTHETIC_PREFECTURE_NAME,
    provinceCode,
    provinceName,
    listed: false,
  };
}

/** Where an assisting unit is registered: province, prefecture (所在市) and its 6-digit region code. */
export interface HomeCity {
  province: string;
  prefecture: string;
  /** 6-digit administrative code of the prefecture (prefecture code + '00') */
  regionCode: string;
}

/** Eastern home cities of many assisting units (东部省市的民营企业、社会组织). */
export const EASTERN_HOME_CITIES: ReadonlyArray<HomeCity> = [
  { province: '北京市', prefecture: '北京市', regionCode: '110100' },
  { province: '上海市', prefecture: '上海市', regionCode: '310100' },
  { province: '广东省', prefecture: '广州市', regionCode: '440100' },
  { province: '广东省', prefecture: '深圳市', regionCode: '440300' },
  { province: '浙江省', prefecture: '杭州市', regionCode: '330100' },
  { province: '江苏省', prefecture: '南京市', regionCode: '320100' },
  { province: '福建省', prefecture: '福州市', regionCode: '350100' },
];

/** The real prefectures of one listed province as home cities. */
export function provinceHomeCities(provinceCode: string): HomeCity[] {
  const p = LISTED_GEOGRAPHY.find((x) => x.code === provinceCode);
  if (!p) return [];
  return p.prefectures.map((f) => ({ province: p.name, prefecture: f.name, regionCode: `${f.code}00` }));
}
