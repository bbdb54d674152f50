"""The briefing editor (issue 26): every passage quotable, indicators by category, charts from picked figures,
staff wording, drafts. Through the JSON API in process, on a copied project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_web_api import client, docx_text, make_project


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    return client(make_project(tmp_path_factory.mktemp("editor") / "proj"))


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def brief(*blocks, **over) -> dict:
    return {"title": "乡村振兴简报", "sections": [{"title": "乡村振兴", "blocks": list(blocks)}]} | over


# ---- find everything --------------------------------------------------------------------------------

def it_offers_every_passage_of_the_deck_and_the_summary_by_a_stable_reference(shared):
    blocks = shared.get("/api/catalogue").json()["blocks"]
    hits = [b for b in blocks if "乡村振兴示范区" in b["text"]]
    assert [b["id"] for b in hits] == ["deck#closing"] and hits[0]["where"] == "幻灯片文字 · 结语"
    ids = {b["id"] for b in blocks}
    assert "summary#intro_economy" in ids and "summary#intro.1" in ids  # by id where it has one, else by place
    assert "deck#economy.review.3" in ids
    review = next(b for b in blocks if b["id"] == "deck#economy.review.3")
    assert review["where"] == "幻灯片文字 · 经济硬实力 · 回顾第 3 项" and review["text"].startswith("乡村振兴衡南样板：")
    assert len(ids) == len(blocks)  # a passage with an id is offered once


def it_quotes_a_passage_by_its_place_and_names_the_ways_to_write_one(shared):
    res = shared.post("/api/briefings/render", json=brief({"use": "deck#closing"}, {"use": "summary#industry.2"}))
    assert res.status_code == 200, res.text
    text = docx_text(res.content)
    assert "乡村振兴示范区" in text and "规模以上工业总产值突破" in text
    bad = shared.post("/api/briefings/check", json=brief({"use": "summary#industry.99"})).json()["problems"]
    assert "没有 id 或位置为“industry.99”的段落" in bad[0]["message"] and "industry.2" in bad[0]["message"]


def it_finds_indicators_by_their_words_and_by_categories_kept_as_data(shared):
    cat = shared.get("/api/catalogue").json()
    assert {"id": "agriculture", "name": "农业与乡村振兴"} in cat["categories"]
    roads = next(i for i in cat["indicators"] if i["id"] == "rural_roads_built")
    assert roads["category_names"] == ["城乡建设", "农业与乡村振兴"] and "乡村振兴" in roads["search"]
    rural = [i["id"] for i in cat["indicators"] if "乡村振兴" in i["search"]]
    assert {"rural_roads_built", "hybrid_rice_double_yield", "rural_sanitary_toilet_rate"} <= set(rural)
    assert "gdp" not in rural


def it_lists_passages_and_indicators_by_category_on_the_command_line():
    out = run_cli("list", "blocks", "乡村振兴示范区")
    assert out.code == 0 and "deck#closing" in out.out and "幻灯片文字 · 结语" in out.out
    inds = run_cli("list", "indicators", "乡村振兴")
    assert inds.code == 0 and "rural_roads_built" in inds.out


def it_refuses_a_category_list_naming_an_unknown_indicator(proj):
    path = proj / "data" / "categories.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("rural_service_platforms_built]", "rural_nope]"),
                    encoding="utf-8")
    out = run_cli("check", "--root", str(proj))
    assert out.code == 2 and "data/categories.yaml" in out.err and "rural_nope" in out.err


# ---- charts from picked figures -------------------------------------------------------------------------

ROADS = {"kind": "bar", "title": "农村人居环境",
         "figures": ["rural_toilet_seats_renovated@2021-2025", "public_toilets_built@2021-2025"]}


def it_draws_a_chart_of_picked_figures_natively_in_word_beside_a_gallery_chart(shared, tmp_path):
    import io

    from tests.ooxml_schema import validate
    from tests.test_docx_charts import PLOT, natives

    line = {"kind": "line", "title": "两项指标", "figures": ["gdp@2020", "gdp@2024", "retail_sales@2020", "retail_sales@2024"]}
    parts = {"kind": "composition", "title": "三次产业结构",
             "figures": ["primary_industry_share@2020", "secondary_industry_share@2020", "tertiary_industry_share@2020"]}
    res = shared.post("/api/briefings/render", json=brief({"chart": ROADS}, {"chart": line}, {"chart": parts},
                                                          {"chart": "particulate_change"}))
    assert res.status_code == 200, res.text
    charts = natives(io.BytesIO(res.content))
    assert len(charts) == 4
    plots = [c.xml.find(".//{http://schemas.openxmlformats.org/drawingml/2006/chart}plotArea") for c in charts]
    kinds = [next(e.tag.split("}")[1] for e in p if e.tag.endswith("Chart")) for p in plots]
    assert kinds == [PLOT["bar"][0], PLOT["line"][0], PLOT["composition"][0], "barChart"]
    sheet = charts[0].sheet
    assert [sheet.cell(r, 1).value for r in (2, 3)] == ["农村厕所改造数", "新建公厕数"]
    assert [c.value for c in next(charts[1].sheet.iter_rows(min_row=1, max_row=1))][1:] == ["地区生产总值", "社会消费品零售总额"]
    (tmp_path / "b.docx").write_bytes(res.content)
    assert validate(tmp_path / "b.docx") == []


@pytest.mark.parametrize(("chart", "words"), [
    ({"kind": "bar", "title": "x", "figures": ["rural_roads_built@2021-2025", "bus_terminals_built@2021-2025"]},
     "所选数字的单位不同（农村公路建设里程：公里；城乡公交首末站数：个），不能画在同一坐标轴上"),
    ({"kind": "composition", "title": "x", "figures": ["primary_industry_share@2020", "secondary_industry_share@2020"]},
     "构成图的各部分加起来是 54.4%，不是 100%"),
    ({"kind": "composition", "title": "x", "figures": ["public_toilets_built@2021-2025", "rural_toilet_seats_renovated@2021-2025"]},
     "构成图的各部分应是占比（%）"),
    ({"kind": "line", "title": "x", "figures": ["rural_roads_built@2021-2025"]}, "折线图画的是历年的变化"),
])
def it_refuses_a_picked_chart_that_cannot_be_drawn_in_plain_chinese(shared, chart, words):
    out = shared.post("/api/briefings/check", json=brief({"p": "说明。"}, {"chart": chart})).json()
    hit = [p for p in out["problems"] if p["field"] == "sections[1].blocks[2].chart"]
    assert hit and words in hit[0]["message"], out["problems"]


def it_reads_a_picked_chart_written_inline_in_a_spec_file_and_locates_its_problems(tmp_path, scratch_root):
    good = tmp_path / "好.yaml"
    good.write_text("title: 乡村振兴\nsections:\n  - title: 农村\n    blocks:\n"
                    "      - chart: {kind: bar, title: 农村人居环境, figures: [rural_toilet_seats_renovated@2021-2025,"
                    " public_toilets_built@2021-2025]}\n      - chart: particulate_change\n", encoding="utf-8")
    out = run_cli("briefing", str(good), "--out", str(tmp_path / "好.docx"), "--root", str(scratch_root))
    assert out.code == 0, out.err
    bad = tmp_path / "坏.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("public_toilets_built", "bus_terminals_built")
                   .replace("kind: bar", "kind: pie", 0), encoding="utf-8")
    out = run_cli("briefing", str(bad), "--out", str(tmp_path / "坏.docx"), "--root", str(scratch_root))
    assert out.code == 2 and "第5行" in out.err and "sections[1].blocks[1].chart" in out.err and "单位不同" in out.err
    bad.write_text(good.read_text(encoding="utf-8").replace("kind: bar", "kind: pie"), encoding="utf-8")
    out = run_cli("briefing", str(bad), "--out", str(tmp_path / "坏.docx"), "--root", str(scratch_root))
    assert out.code == 2 and "sections[1].blocks[1].chart.kind" in out.err and "bar、column、line、composition" in out.err
    assert ".str" not in out.err and "InlineChart" not in out.err
    assert not (tmp_path / "坏.docx").exists()


# ---- staff wording -------------------------------------------------------------------------------------

def it_asks_for_an_empty_field_in_plain_chinese_and_names_others_by_their_label(shared):
    raw = {"title": "", "sections": [{"title": "", "blocks": []},
                                     {"title": "二", "blocks": [{"p": "{nope@2024}"}, {"chart": "nochart"},
                                                               {"chart": {"kind": "bar", "title": "", "figures": []}}]}]}
    got = {p["field"]: (p["kind"], p["message"]) for p in shared.post("/api/briefings/check", json=raw).json()["problems"]}
    assert got["title"] == ("missing", "请填写标题。")
    assert got["sections[1].title"] == ("missing", "请填写第 1 部分的标题。")
    assert got["sections[1].blocks"] == ("missing", "第 1 部分还没有内容：请至少添加一段文字、一张图表或一段文章原文。")
    assert got["sections[2].blocks[3].chart.title"] == ("missing", "请填写第 2 部分第 3 块（图表标题）。")
    assert got["sections[2].blocks[3].chart.figures"] == ("missing", "请为第 2 部分第 3 块的图表选数字。")
    assert got["sections[2].blocks[1].p"] == ("problem", "第 2 部分第 1 块（段落）：引用了不存在的指标“nope”。"
                                                         "数据中还没有这项指标，请联系维护数据的同事添加。")
    assert got["sections[2].blocks[2].chart"] == ("problem", "第 2 部分第 2 块（图表）：图库没有图表“nochart”。请从图库中选择。")
    assert not any("data/" in m or "实际为“”" in m or "简报表单" in m for _, m in got.values())


@pytest.mark.parametrize(("typed", "saved"), [
    ("经济运行 三月", "经济运行-三月"), ("简报.2025", "简报-2025"), ("  乡村振兴 ", "乡村振兴"), ("../evil", "evil"),
    ("a/b", "a-b"), ("CON", "简报-CON"), ("x" * 80, "x" * 60)])
def it_makes_a_save_name_safe_rather_than_refusing_it(proj, typed, saved):
    c = client(proj)
    res = c.post("/api/briefings/save", json={"name": typed, "spec": brief({"p": "文字。"}, file="乡村 振兴. ")})
    assert res.status_code == 200, res.text
    assert res.json() == {"saved": saved, "status": "草稿"}
    text = (proj / "data" / "briefings" / f"{saved}.yaml").read_text(encoding="utf-8")
    assert "\nfile: 乡村 振兴\n" in text and "\nstatus: 草稿\n" in text
    assert not (proj / "data" / "evil.yaml").exists()


def it_trims_a_trailing_space_of_a_file_name_in_a_spec_file(tmp_path, scratch_root):
    spec = tmp_path / "s.yaml"
    spec.write_text("title: 测试\nfile: '乡村振兴 '\nsections:\n  - title: 一\n    blocks:\n      - p: 文字。\n", encoding="utf-8")
    out = run_cli("briefing", str(spec), "--out", str(tmp_path / "s.docx"), "--root", str(scratch_root))
    assert out.code == 0, out.err


def it_keeps_folder_names_off_the_briefing_page(shared):
    html = shared.get("/briefing").text
    scripts = "".join(shared.get(f"/static/{n}").text for n in ("briefing.js", "pickers.js", "chartblock.js"))
    for folder in ("data/", "assets/", "templates/"):
        assert folder not in html and folder not in scripts, folder


# ---- drafts and ready-made briefings ----------------------------------------------------------------------

def it_builds_ready_made_briefings_and_leaves_drafts_to_the_page(proj):
    c = client(proj)
    draft = c.post("/api/briefings/save", json={"name": "一次性", "spec": brief({"p": "文字。"}, file="一次性")}).json()
    ready = c.post("/api/briefings/save", json={"name": "每月", "spec": brief({"p": "文字。"}, file="每月"),
                                                "status": "成品"}).json()
    assert (draft["status"], ready["status"]) == ("草稿", "成品")
    listed = {b["name"]: b["status"] for b in c.get("/api/briefings").json()}
    assert listed["一次性"] == "草稿" and listed["每月"] == "成品" and listed["economy"] == "成品"
    out = run_cli("build", "--root", str(proj), "--only", "briefings", "--quiet")
    assert out.code == 0, out.err
    built = sorted(p.name for p in (proj / "out" / "briefings").glob("*.docx"))
    assert "每月.docx" in built and "一次性.docx" not in built and "经济运行简报.docx" in built
    assert run_cli("check", "--root", str(proj)).code == 0  # a draft is still checked


def it_serves_the_briefing_schema_the_form_is_drawn_from(shared):
    schema = shared.get("/api/schema/briefing").json()
    props = schema["properties"]
    common = [k for k, p in props.items() if p.get("widget") and "presets" not in p]
    assert common == ["title", "subtitle", "meeting", "date", "issuer", "preset", "year", "file"]
    by_preset = {k: p["presets"] for k, p in props.items() if p.get("widget") and "presets" in p}
    assert by_preset["number"] == ["简报"] and by_preset["authority"] == ["公文"] and by_preset["copies"] == ["简报", "公文"]
    assert {props[k]["widget"] for k in ("number", "total_number", "copies")} == {"number"}
    assert props["supplement"]["widget"] == "check" and props["attachments"]["widget"] == "lines"
    assert props["urgency"]["choices"][0] == ["", "（无）"]  # the blank choice: the field is left out
    assert props["title"]["title"] == "标题" and props["issuer"]["title"] == "编发单位"  # 专题's; per 版式:
    assert props["issuer"]["labels"] == {"简报": "编印单位", "公文": "发文机关署名"}
    assert props["date"]["labels"] == {"简报": "印发日期", "公文": "成文日期"}
    assert [c[0] for c in props["preset"]["choices"]] == ["简报", "公文", "专题"] and "title" in schema["required"]


def it_serves_the_settings_defaults_of_each_preset_read_only(shared, proj):
    import yaml

    got = shared.get("/api/schema/briefing/defaults").json()
    settings = yaml.safe_load((proj / "data" / "settings.yaml").read_text(encoding="utf-8"))["briefing_defaults"]
    assert got == {"简报": settings["简报"], "公文": settings["公文"], "专题": {}}
    assert got["公文"]["authority"] and got["简报"]["bulletin"]
    assert shared.post("/api/schema/briefing/defaults", json={"简报": {}}).status_code in (403, 405)
    c = client(proj)  # the served defaults follow data/settings.yaml
    text = (proj / "data" / "settings.yaml").read_text(encoding="utf-8")
    (proj / "data" / "settings.yaml").write_text(text.replace("code: 衡南办发", "code: 测试办发"), encoding="utf-8")
    assert c.get("/api/schema/briefing/defaults").json()["公文"]["code"] == "测试办发"
