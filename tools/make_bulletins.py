"""Test bulletins in three styles, each as .txt, .docx, .pdf (with a text layer) and .html, plus the truth.

    .venv/bin/python tools/make_bulletins.py        # writes tests/fixtures/bulletins/

EVERY FIGURE HERE IS FICTIONAL (invented for software tests; the bulletins say so) and never reaches data/.
The styles are written as county statistics bureaus write bulletins, each with traps the reader must not fall
into: 人均地区生产总值, 城镇/农村居民 beside 全体居民, 限额以上 beside the total, “新增…18家” and “比上年末增加18家”
beside the count, “由上年的…调整为…”, “分别增长…和…”, “年均增长”, PM2.5, 优良天数 in days, a sentence about
the previous year, a table, full-width digits, 万元 and 人 instead of the catalogue's 亿元 and 万人, two decimals
that end in 0, thousands separators, and (in the PDF) lines broken inside words and numbers.
`expected.json` holds, per style, each yearly indicator's cell text as printed (null: the bulletin does not
publish it), which tests/test_bulletin_reader.py and `make bench` compare the reader with.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "bulletins"
TITLE = "衡南县2025年国民经济和社会发展统计公报"
NOTE = "（本公报所有数字均为虚构，仅供软件测试使用，不代表衡南县实际情况。）"

# Style 1: the full bulletin of a county statistics bureau, one section after the other.
STANDARD = [
    TITLE, "衡南县统计局", "2026年3月28日", NOTE,
    "一、综合",
    "初步核算，全年全县实现地区生产总值（GDP）512.34亿元，按可比价格计算，比上年增长6.8%。其中，第一产业增加值86.21亿元，"
    "增长3.9%；第二产业增加值155.02亿元，增长7.4%；第三产业增加值271.11亿元，增长7.2%。三次产业结构由上年的17.6:30.4:52.0"
    "调整为16.8:30.3:52.9。按常住人口计算，人均地区生产总值58765元，增长7.1%。",
    "“十四五”时期，全县地区生产总值年均增长6.1%，五年累计新增城镇就业16.8万人。",
    "二、工业和建筑业",
    "全年全县规模以上工业增加值比上年增长9.3%。年末全县规模以上工业企业达到198家，比上年末增加18家。其中，高新技术企业76家。",
    "全年新增高新技术企业21家，年末全县高新技术企业总数达到163家。全年入库科技型中小企业247家。",
    "三、招商引资",
    "全年签约重大产业项目38个，总投资245.6亿元。“湘商回归”实际到位资金41.27亿元。衡南高新区实现合同引资96亿元，增长10.3%。",
    "四、国内贸易",
    "全年社会消费品零售总额171.35亿元，比上年增长7.6%。其中，限额以上单位消费品零售额60.2亿元，增长8.1%。",
    "五、旅游",
    "全年接待游客457.83万人次、实现旅游总收入43.06亿元，分别增长6.81%和9.48%。",
    "六、财政",
    "全年完成一般公共预算收入15.37亿元，比上年增长5.2%，其中税收收入10.11亿元。地方一般公共预算收入9.86亿元。",
    "全年规模以上服务业企业实现营业收入38.42亿元，同比增长11.27%。",
    "七、人民生活和社会保障",
    "全年全体居民人均可支配收入39876元，比上年增长6.1%。按常住地分，城镇居民人均可支配收入47210元，增长5.3%；"
    "农村居民人均可支配收入29873元，增长6.9%。全年城镇新增就业3.41万人。",
    "八、生态环境",
    "全年县城空气质量优良天数比例为91.2%，比上年提高1.3个百分点；优良天数333天。PM2.5平均浓度为31微克/立方米。",
]
STANDARD_TRUTH = {
    "gdp": "512.34", "gdp_growth": "6.8", "primary_industry_share": "16.8", "secondary_industry_share": "30.3",
    "tertiary_industry_share": "52.9", "industrial_value_added_above_scale_growth": "9.3",
    "industrial_enterprises_above_scale": "198", "hightech_enterprises": "163", "tech_smes": "247",
    "major_projects_investment": "245.6", "xiangshang_funds_in_place": "41.27", "hightech_zone_contract_investment": "96",
    "retail_sales": "171.35", "retail_sales_growth": "7.6", "tourist_visits": "457.83", "tourist_visits_growth": "6.81",
    "tourism_revenue": "43.06", "tourism_revenue_growth": "9.48", "budget_revenue": "15.37",
    "services_revenue_above_scale_growth": "11.27", "disposable_income": "39876", "new_urban_jobs": "3.41",
    "air_good_rate": "91.2",
}

# Style 2: a short bulletin in other wordings and units, spaced as text copied from a PDF, some figures missing.
TERSE = [
    TITLE, NOTE,
    "全县生产总值 498.76 亿元，同比增长 5.9%。第一产业增加值占地区生产总值的比重为17.1%，第二产业增加值占地区生产总值的比重为"
    "29.8%，第三产业增加值占地区生产总值的比重为53.1%。",
    "规上工业增加值同比增长１２．６%。规模以上工业企业总数为176家，比上年末减少3家。全县高新技术企业由上年末的141家增加到150家。",
    "社会消费品零售额１６６．２１亿元，增长 4.2 %。",
    "接待游客人数441.06万人次，增长2.89%；旅游总收入41.20亿元，下降3.25%。",
    "一般公共预算收入152,300万元，增长4.0%。",
    "居民人均可支配收入39,118元，名义增长5.6%。城镇居民人均可支配收入46,020元；农村居民人均可支配收入28,930元。",
    "新增城镇就业6200人。空气质量优良率90.0%。",
    "衡南高新区全年合同引资89亿元。",
]
TERSE_TRUTH = {
    "gdp": "498.76", "gdp_growth": "5.9", "primary_industry_share": "17.1", "secondary_industry_share": "29.8",
    "tertiary_industry_share": "53.1", "industrial_value_added_above_scale_growth": "１２．６",
    "industrial_enterprises_above_scale": "176", "hightech_enterprises": "150", "tech_smes": None,
    "major_projects_investment": None, "xiangshang_funds_in_place": None, "hightech_zone_contract_investment": "89",
    "retail_sales": "１６６．２１", "retail_sales_growth": "4.2", "tourist_visits": "441.06",
    "tourist_visits_growth": "2.89", "tourism_revenue": "41.20", "tourism_revenue_growth": "-3.25",
    "budget_revenue": "152,300", "services_revenue_above_scale_growth": None, "disposable_income": "39,118",
    "new_urban_jobs": "6200", "air_good_rate": "90.0",
}
UNITS = {"terse": {"budget_revenue": "万元", "new_urban_jobs": "人", "disposable_income": "元"},
         "blind": {"industrial_enterprises_above_scale": "家"},
         "blind2": {"new_urban_jobs": "人", "tourist_visits": "万人次"},
         "table": {"new_urban_jobs": "人"}}

# Style 3: traps first — a previous-year sentence, thresholds, a table, structure with ∶, income from … to.
TRAPS = [
    f"首页 > 统计信息 > 统计公报 > {TITLE}", TITLE, NOTE,
    "2024年全县地区生产总值为461.71亿元。",
    "（一）综合经济",
    "全县地区生产总值首次突破500亿元，达到505.50亿元，比上年增长6.2%。三次产业结构由上年的17.9∶30.1∶52.0调整为17.0∶29.5∶53.5。"
    "人均地区生产总值58,212元。",
    "（二）工业",
    "规模以上工业增加值增长8.75%，高于全市平均水平0.4个百分点。规模以上工业企业比上年末增加12家，达到187家，"
    "其中高新技术企业98家。全县高新技术企业达到158家。",
    "新入库科技型中小企业35家，入库科技型中小企业总数达到238家。",
    "（三）消费和旅游",
    "全年实现社会消费品零售总额168.04亿元，同比增长6.3%，其中限上社会消费品零售额61.7亿元。",
    "全年接待国内外游客462.5万人次，同比增长7.89%。乡村旅游收入6.2亿元。全年实现旅游总收入44.18亿元，同比增长12.33%。",
    "（四）开放招商",
    "全年签约重大产业项目41个，签约总投资约250亿元。“湘商回归”项目实际到位资金39.64亿元，增长2.03%。",
    "（五）财政和居民收入",
    "全年一般公共预算收入15.02亿元，增长3.1%。",
    "全体居民人均可支配收入由上年的37,800元提高到40,215元，增长6.4%。",
    "城镇新增就业3.38万人，城镇登记失业率控制在4.5%以内。",
    "（六）环境",
    "县城空气质量优良天数330天，优良率为90.4%；PM2.5年平均浓度32微克/立方米。",
]
TRAPS_TABLE = [["主要农产品", "单位", "产量", "比上年增长(%)"], ["粮食", "万吨", "45.6", "1.2"],
               ["生猪出栏", "万头", "98.3", "-2.4"]]
TRAPS_TRUTH = {
    "gdp": "505.50", "gdp_growth": "6.2", "primary_industry_share": "17.0", "secondary_industry_share": "29.5",
    "tertiary_industry_share": "53.5", "industrial_value_added_above_scale_growth": "8.75",
    "industrial_enterprises_above_scale": "187", "hightech_enterprises": "158", "tech_smes": "238",
    "major_projects_investment": None, "xiangshang_funds_in_place": "39.64", "hightech_zone_contract_investment": None,
    "retail_sales": "168.04", "retail_sales_growth": "6.3", "tourist_visits": "462.5", "tourist_visits_growth": "7.89",
    "tourism_revenue": "44.18", "tourism_revenue_growth": "12.33", "budget_revenue": "15.02",
    "services_revenue_above_scale_growth": None, "disposable_income": "40,215", "new_urban_jobs": "3.38",
    "air_good_rate": "90.4",
}
# Style 4: the main figures in a table (as many bulletins open), the rest in prose, year before the county.
TABLE_TITLE = "2025年衡南县国民经济和社会发展统计公报"
TABLE = [
    TABLE_TITLE, "衡南县统计局　国家统计局衡南调查队", NOTE,
    "2025年全县主要经济指标如下表。",
    "全年规模工业增加值同比增长10.4%。年末全县规模工业企业205家。全年新增高新技术企业19家，总数达到171家。"
    "评价入库科技型中小企业252家。",
    "全年签约引进重大产业项目42个，合同总投资238.9亿元。“湘商回归”到位资金40.05亿元。",
    "全年接待国内外游客470.12万人次，增长9.67%；旅游综合收入45.31亿元，增长13.40%。",
    "三次产业结构比为16.9∶30.0∶53.1。全年规上服务业营业收入增长9.86%。",
    "全年城镇新增就业7150人。县城区环境空气质量优良天数比例92.6%。",
]
TABLE_TABLE = [["指标", "单位", "2025年", "比上年增长(%)"], ["地区生产总值", "亿元", "509.87", "6.5"],
               ["社会消费品零售总额", "亿元", "169.42", "-0.8"], ["一般公共预算收入", "亿元", "15.11", "3.0"],
               ["全体居民人均可支配收入", "元", "40,102", "6.2"], ["城镇居民人均可支配收入", "元", "47,560", "5.4"],
               ["衡南高新区合同引资", "亿元", "101", "8.6"]]
TABLE_TRUTH = {
    "gdp": "509.87", "gdp_growth": "6.5", "primary_industry_share": "16.9", "secondary_industry_share": "30.0",
    "tertiary_industry_share": "53.1", "industrial_value_added_above_scale_growth": "10.4",
    "industrial_enterprises_above_scale": "205", "hightech_enterprises": "171", "tech_smes": "252",
    "major_projects_investment": "238.9", "xiangshang_funds_in_place": "40.05", "hightech_zone_contract_investment": "101",
    "retail_sales": "169.42", "retail_sales_growth": "-0.8", "tourist_visits": "470.12", "tourist_visits_growth": "9.67",
    "tourism_revenue": "45.31", "tourism_revenue_growth": "13.40", "budget_revenue": "15.11",
    "services_revenue_above_scale_growth": "9.86", "disposable_income": "40,102", "new_urban_jobs": "7150",
    "air_good_rate": "92.6",
}
# Style 5: a Word file exported to PDF — spaces around every number, the year opening sentences, 分别 after
# a list that opens with another value, 城乡居民 (the all-resident figure in many county bulletins), digits
# grouped by spaces, figures restated in a summary.
SPACED = [
    TITLE, "衡南县统计局", NOTE,
    "2025 年，全县经济运行稳中有进。全年全县实现地区生产总值 507.66 亿元，按不变价格计算，比上年增长 6.4 %。"
    "全县一般公共预算收入 15.48 亿元，增长 4.4 %。",
    "一、综合",
    "初步核算，全县地区生产总值（GDP）507.66 亿元。三次产业结构调整为 17.3 : 29.9 : 52.8。",
    "二、工业",
    "2025 年全县规模以上工业增加值同比增长 11.2 %，规模以上工业企业 201 家，其中新增 14 家。",
    "全县拥有国家高新技术企业 166 家。科技型中小企业入库 241 家。",
    "三、消费、旅游",
    "全县社会消费品零售总额 170.08 亿元，同比增长 5.5 %。",
    "全县共有 A 级旅游景区 12 个，全年接待游客 466.20 万人次，实现旅游总收入 44.90 亿元，分别增长 8.75 % 和 14.16 %。",
    "四、开放",
    "全年新引进“湘商回归”项目 18 个，实际到位资金 42.36 亿元。衡南高新区全年引进项目 25 个，合同引资 99 亿元。",
    "五、民生",
    "城乡居民人均可支配收入 39 520 元，其中城镇居民人均可支配收入 46 870 元。全年城镇新增就业 3.52 万人。",
    "县城区环境空气质量优良率 93.0 %，PM2.5 年均浓度 30 微克/立方米。",
]
SPACED_TRUTH = {
    "gdp": "507.66", "gdp_growth": "6.4", "primary_industry_share": "17.3", "secondary_industry_share": "29.9",
    "tertiary_industry_share": "52.8", "industrial_value_added_above_scale_growth": "11.2",
    "industrial_enterprises_above_scale": "201", "hightech_enterprises": "166", "tech_smes": "241",
    "major_projects_investment": None, "xiangshang_funds_in_place": "42.36", "hightech_zone_contract_investment": "99",
    "retail_sales": "170.08", "retail_sales_growth": "5.5", "tourist_visits": "466.20", "tourist_visits_growth": "8.75",
    "tourism_revenue": "44.90", "tourism_revenue_growth": "14.16", "budget_revenue": "15.48",
    "services_revenue_above_scale_growth": None, "disposable_income": "39520", "new_urban_jobs": "3.52",
    "air_good_rate": "93.0",
}
# Style 6: written before the reader was tuned on it ("blind"): the first reading found 17 of 23, none wrong;
# the six misses (数量达到, 户, 分别为 shares, 签约金额) were then taught to the aliases and patterns.
BLIND = [
    TITLE,
    "衡南县统计局",
    "（2026年4月2日）", NOTE,
    "2025年，面对复杂严峻的外部环境，全县上下坚持稳中求进工作总基调，经济运行总体平稳。",
    "一、综合",
    "经初步核算，全年全县地区生产总值为503.18亿元，按不变价计算，同比增长6.1%。其中，第一产业增加值85.60亿元，增长3.5%；第二产业增加值150.11亿元，增长7.0%；第三产业增加值267.47亿元，增长6.5%。第一、二、三产业增加值占地区生产总值的比重分别为17.0%、29.8%和53.2%。",
    "二、农业",
    "全年粮食播种面积102.3万亩，粮食总产量45.2万吨，增长1.1%。",
    "三、工业",
    "全县规模工业增加值增长12.30%。截至年末，全县规模以上工业企业户数达212户。",
    "全县高新技术企业数量达到168家，较上年增加15家。全县科技型中小企业评价入库263家。",
    "四、招商引资",
    "全年签约重大产业项目47个，签约金额241.5亿元。湘商回归到位资金43.21亿元。衡南高新区签约项目26个，实现合同引资102亿元。",
    "五、国内贸易",
    "全年实现社会消费品零售总额172.66亿元，同比增长6.9%。分城乡看，城镇消费品零售额120.4亿元，乡村消费品零售额52.26亿元。",
    "六、文化旅游",
    "全年接待游客总人数480.25万人次，同比增长12.04%；实现旅游综合收入46.72亿元，同比增长18.33%。",
    "七、财政",
    "全年一般公共预算收入完成15.66亿元，同口径增长5.5%。",
    "八、居民收入和就业",
    "全年全县居民人均可支配收入40,568元，同比增长5.9%。其中，城镇居民人均可支配收入47,902元，增长5.1%；农村居民人均可支配收入30,115元，增长6.6%。全年新增城镇就业3.47万人，城镇调查失业率5.2%。",
    "九、环境",
    "全年县城空气质量优良天数比率为92.3%。规模以上服务业企业营业收入比上年增长10.58%。",
]
BLIND_TRUTH = {
    "gdp": "503.18", "gdp_growth": "6.1", "primary_industry_share": "17.0", "secondary_industry_share": "29.8",
    "tertiary_industry_share": "53.2", "industrial_value_added_above_scale_growth": "12.30",
    "industrial_enterprises_above_scale": "212", "hightech_enterprises": "168", "tech_smes": "263",
    "major_projects_investment": "241.5", "xiangshang_funds_in_place": "43.21", "hightech_zone_contract_investment": "102",
    "retail_sales": "172.66", "retail_sales_growth": "6.9", "tourist_visits": "480.25", "tourist_visits_growth": "12.04",
    "tourism_revenue": "46.72", "tourism_revenue_growth": "18.33", "budget_revenue": "15.66",
    "services_revenue_above_scale_growth": "10.58", "disposable_income": "40,568", "new_urban_jobs": "3.47",
    "air_good_rate": "92.3",
}
# Style 7: a second blind one (first reading 18 of 23, none wrong; the 32 高新技术企业 “认定” this year conflicted
# with the 174 in total and stayed blank). Taught after: 可比增长, “认定” as a change, “485.6万” after a wording
# of 人次, 合同总金额, and 新签约 as this year's flow for an amount.
BLIND2 = [
    TITLE,
    NOTE,
    "2025年是“十四五”规划收官之年。全县经济持续回升向好。",
    "一、综 合",
    "根据市统计局统一核算，2025年全县实现地区生产总值（GDP）515.92亿元，可比增长6.7%，增速高于全市平均水平0.5个百分点。分产业看，第一产业增加值87.3亿元，增长3.6%；第二产业增加值158.1亿元，增长8.0%；第三产业增加值270.52亿元，增长6.9%。三次产业结构由2024年的17.5:30.2:52.3优化为16.9:30.6:52.5。",
    "二、工 业",
    "全县规上工业增加值增速为10.9%。全县规模以上工业企业净增16家，总数达到209家。其中，产值过亿元企业62家。",
    "全年认定高新技术企业32家，有效期内高新技术企业总数达到174家。",
    "三、开放型经济",
    "全年新签约重大产业项目39个，合同总金额236.8亿元。",
    "全年“湘商回归”新引进项目21个，到位资金44.08亿元，增长13.5%。",
    "衡南高新区实现合同引资105亿元，同比增长3.9%。",
    "四、消费",
    "全年全县社会消费品零售总额完成174.29亿元，增长7.2%，其中网上零售额12.3亿元。",
    "五、旅游",
    "全年旅游接待人次485.6万，增长10.5%；旅游总收入47.35亿元，增长14.6%。",
    "六、财政金融",
    "全年一般公共预算收入15.91亿元，增长3.5%，其中税收占比68.2%。",
    "七、人民生活",
    "全体居民人均可支配收入达到41,023元，名义增长6.0%。城镇新增就业35,600人。",
    "八、生态环境",
    "城区环境空气质量优良天数比例达到93.4%，较上年提升1.1个百分点。全年规上服务业企业实现营业收入42.1亿元，增长9.92%。入库科技型中小企业270家。",
]
BLIND2_TRUTH = {
    "gdp": "515.92", "gdp_growth": "6.7", "primary_industry_share": "16.9", "secondary_industry_share": "30.6",
    "tertiary_industry_share": "52.5", "industrial_value_added_above_scale_growth": "10.9",
    "industrial_enterprises_above_scale": "209", "hightech_enterprises": "174", "tech_smes": "270",
    "major_projects_investment": "236.8", "xiangshang_funds_in_place": "44.08", "hightech_zone_contract_investment": "105",
    "retail_sales": "174.29", "retail_sales_growth": "7.2", "tourist_visits": "485.6", "tourist_visits_growth": "10.5",
    "tourism_revenue": "47.35", "tourism_revenue_growth": "14.6", "budget_revenue": "15.91",
    "services_revenue_above_scale_growth": "9.92", "disposable_income": "41,023", "new_urban_jobs": "35,600",
    "air_good_rate": "93.4",
}
# Style 8: a third blind one (first reading 21 of 23, none wrong). Taught after: a bracket between 增长 and its
# number (“增长（按可比价计算）9.7%”), 合同引资额.
BLIND3 = [
    TITLE,
    NOTE,
    "衡南县统计局 国家统计局衡南调查队",
    "2025年，全县坚持以高质量发展为主题，全力稳增长、促改革、调结构、惠民生。",
    "（一）综合",
    "全年全县GDP达到498.02亿元，比上年增长5.8%，总量居全市第四位。其中，第一产业增加值84.02亿元；第二产业增加值151.66亿元；第三产业增加值262.34亿元。第一产业占比16.9%，第二产业占比30.5%，第三产业占比52.6%。",
    "（二）工业和建筑业",
    "规模以上工业增加值比上年增长（按可比价计算）9.7%。全县纳入统计的规模以上工业企业共有196家，比上年增加9家。全县国家高新技术企业达到159家。新增科技型中小企业43家，累计入库科技型中小企业达248家。",
    "（三）招商引资",
    "全年共签约重大产业项目44个，项目总投资达229.3亿元。湘商回归项目实际到位资金37.92亿元。衡南高新区全年合同引资额91亿元。",
    "（四）消费品市场",
    "社会消费品零售总额164.53亿元，比上年增长5.1%。",
    "（五）旅游业",
    "全县接待国内外游客445.36万人次，旅游总收入42.87亿元，分别比上年增长3.9%和8.2%。",
    "（六）财政",
    "一般公共预算收入14.98亿元，比上年下降1.7%。",
    "（七）居民收入、就业",
    "全县居民人均可支配收入达38,991元，增长5.2%；城镇居民人均可支配收入46,231元；农村居民人均可支配收入29,102元。城镇新增就业3.29万人。",
    "（八）环境保护",
    "全年环境空气质量优良天数比例89.6%。",
    "（九）服务业",
    "规模以上服务业企业营业收入同比增长7.45%。",
]
BLIND3_TRUTH = {
    "gdp": "498.02", "gdp_growth": "5.8", "primary_industry_share": "16.9", "secondary_industry_share": "30.5",
    "tertiary_industry_share": "52.6", "industrial_value_added_above_scale_growth": "9.7",
    "industrial_enterprises_above_scale": "196", "hightech_enterprises": "159", "tech_smes": "248",
    "major_projects_investment": "229.3", "xiangshang_funds_in_place": "37.92", "hightech_zone_contract_investment": "91",
    "retail_sales": "164.53", "retail_sales_growth": "5.1", "tourist_visits": "445.36", "tourist_visits_growth": "3.9",
    "tourism_revenue": "42.87", "tourism_revenue_growth": "8.2", "budget_revenue": "14.98",
    "services_revenue_above_scale_growth": "7.45", "disposable_income": "38,991", "new_urban_jobs": "3.29",
    "air_good_rate": "89.6",
}
# Style 9: a fourth blind one, read as .txt, .pdf and .docx before it joined the fixtures: 23 of 23, none wrong
# (两年平均增长, 高新技术产业增加值, 当年新认定, 限额以上 and 其中税收收入 beside the figures).
BLIND4 = [
    TITLE,
    NOTE,
    "一、综合",
    "经市统计局统一核算，2025年衡南县地区生产总值完成510.06亿元，比上年增长6.0%，两年平均增长6.2%。三次产业结构由上年的17.4∶30.0∶52.6调整为16.8∶30.4∶52.8。全县人均地区生产总值达57,345元。",
    "二、工业",
    "全县规模以上工业增加值增长11.8%，其中高新技术产业增加值增长15.2%。年末规模以上工业企业207家，较上年末净增11家。全县高新技术企业总数170家，当年新认定28家。",
    "三、科技创新",
    "全县评价入库国家科技型中小企业258家，同比增长8.4%。",
    "四、招商引资",
    "全年签约重大产业项目40个，总投资额233.15亿元，其中投资过10亿元项目6个。“湘商回归”项目实际到位资金41.9亿元。衡南高新区完成合同引资98亿元。",
    "五、消费",
    "全县实现社会消费品零售总额169.88亿元，增长6.1%。限额以上单位消费品零售额63.5亿元，增长7.3%。",
    "六、旅游",
    "全年全县共接待游客464.78万人次，同比增长8.41%，实现旅游总收入44.29亿元，同比增长12.57%。",
    "七、财政",
    "全年一般公共预算收入15.24亿元，同比增长4.1%；其中，税收收入10.6亿元。",
    "八、人民生活",
    "全县全体居民人均可支配收入39,784元，比上年增长5.7%。城镇新增就业3.44万人，完成年度任务的114.7%。",
    "九、生态",
    "县城区空气质量优良率为92.1%，同比上升1.6个百分点。",
    "十、服务业",
    "规模以上服务业企业实现营业收入39.71亿元，同比增长10.12%。",
]
BLIND4_TRUTH = {
    "gdp": "510.06", "gdp_growth": "6.0", "primary_industry_share": "16.8", "secondary_industry_share": "30.4",
    "tertiary_industry_share": "52.8", "industrial_value_added_above_scale_growth": "11.8",
    "industrial_enterprises_above_scale": "207", "hightech_enterprises": "170", "tech_smes": "258",
    "major_projects_investment": "233.15", "xiangshang_funds_in_place": "41.9", "hightech_zone_contract_investment": "98",
    "retail_sales": "169.88", "retail_sales_growth": "6.1", "tourist_visits": "464.78", "tourist_visits_growth": "8.41",
    "tourism_revenue": "44.29", "tourism_revenue_growth": "12.57", "budget_revenue": "15.24",
    "services_revenue_above_scale_growth": "10.12", "disposable_income": "39,784", "new_urban_jobs": "3.44",
    "air_good_rate": "92.1",
}
STYLES = {"standard": (STANDARD, None, STANDARD_TRUTH), "terse": (TERSE, None, TERSE_TRUTH),
          "traps": (TRAPS, TRAPS_TABLE, TRAPS_TRUTH), "table": (TABLE, TABLE_TABLE, TABLE_TRUTH),
          "spaced": (SPACED, None, SPACED_TRUTH), "blind": (BLIND, None, BLIND_TRUTH),
          "blind2": (BLIND2, None, BLIND2_TRUTH), "blind3": (BLIND3, None, BLIND3_TRUTH),
          "blind4": (BLIND4, None, BLIND4_TRUTH)}


def write_txt(path: Path, paras: list[str], table: list[list[str]] | None) -> None:
    lines = list(paras)
    if table:
        lines[4:4] = ["\t".join(r) for r in table] + [""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_html(path: Path, paras: list[str], table: list[list[str]] | None) -> None:
    body = [f"<h1>{escape(paras[0])}</h1>"] + [f"<p>{escape(p).replace('，', '，<span></span>', 1)}</p>"
                                              for p in paras[1:]]
    if table:
        rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in table)
        body.insert(4, f"<table>{rows}</table>")
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>统计公报</title>"
            "<script>var x = '地区生产总值999亿元';</script><style>p{margin:0}</style></head><body>"
            "<div class=\"nav\">首页&nbsp;&gt;&nbsp;统计公报</div>" + "\n".join(body)
            + "<div class=\"foot\">版权所有 &copy; 衡南县统计局（测试页面）</div></body></html>")
    path.write_text(page, encoding="utf-8")


def write_docx(path: Path, paras: list[str], table: list[list[str]] | None) -> None:
    import docx

    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = dt.datetime(2026, 3, 28)
    for i, p in enumerate(paras):
        if i == 0:
            d.add_heading(p, level=1)
        elif i == 4 and table:
            t = d.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, text in enumerate(row):
                    t.cell(r, c).text = text
            d.add_paragraph(p)
        else:
            para = d.add_paragraph()
            half = len(p) // 2  # two runs: a figure may be split across runs, as Word does
            para.add_run(p[:half])
            para.add_run(p[half:])
    d.save(str(path))


def write_pdf(path: Path, paras: list[str], table: list[list[str]] | None) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    pdfmetrics.registerFont(TTFont("WenKai", str(ROOT / "assets" / "fonts" / "LXGWWenKai-Regular.ttf")))
    style = ParagraphStyle("body", fontName="WenKai", fontSize=11, leading=17, wordWrap="CJK", firstLineIndent=22)
    story: list = []
    for i, p in enumerate(paras):
        if i == 4 and table:
            story.append(Table(table, style=[("FONT", (0, 0), (-1, -1), "WenKai", 10)]))
        story.append(Paragraph(escape(p), style))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=90, rightMargin=90, invariant=1,
                            title="统计公报（测试）", author="tools/make_bulletins.py")
    doc.build(story)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    truth = {}
    for name, (paras, table, expected) in STYLES.items():
        write_txt(OUT / f"{name}.txt", paras, table)
        write_html(OUT / f"{name}.html", paras, table)
        write_docx(OUT / f"{name}.docx", paras, table)
        write_pdf(OUT / f"{name}.pdf", paras, table)
        truth[name] = {"values": expected, "units": UNITS.get(name, {})}
    (OUT / "expected.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(STYLES) * 4} bulletins and expected.json to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
