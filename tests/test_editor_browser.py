"""The briefing editor in a real browser (issue 26): a new user makes a 乡村振兴 briefing with a chart of figures
they picked, quoting a deck passage, without one hard error, and proofreads every page.

Set REPORTGEN_EDITOR_SHOTS=folder to keep the screenshots of each step."""

from __future__ import annotations

import os
from pathlib import Path

from tests.test_web_browser import CHROMIUM, page, pytestmark, server  # noqa: F401 - fixtures and the skip mark

SHOTS = os.environ.get("REPORTGEN_EDITOR_SHOTS")
assert CHROMIUM


def shot(pg, name: str, full: bool = True) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full)


def no_hard_error(pg) -> None:
    """Nothing on the page says something went wrong: no problem at a field, no red banner."""
    assert pg.locator(".msg.problem").count() == 0, pg.locator(".msg.problem").all_inner_texts()
    assert pg.locator("#status.bad").count() == 0, pg.inner_text("#status")


def it_makes_a_rural_revitalisation_briefing_with_a_picked_chart_and_a_quoted_passage(server, page, tmp_path):  # noqa: F811 - the fixtures imported above
    import docx

    from generators import products as R
    from generators.load import load_dataset
    from tests.test_web_api import docx_text

    base, proj = server
    failures: list[str] = []
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    page.click("#f-title")
    page.click('[data-field="sections[1].title"]')  # leaving the empty title: now it is asked for, plainly
    page.wait_for_selector('[data-wrap="title"] .msg.problem')
    assert page.inner_text('[data-wrap="title"] .msg.problem') == "请填写标题。"
    page.fill("#f-title", "乡村振兴工作情况")
    page.fill("#f-meeting", "县委农村工作会议")
    page.fill('[data-field="sections[1].title"]', "美丽乡村建设")
    page.wait_for_selector('[data-wrap="title"] .msg.problem', state="detached")
    # a paragraph with a figure inserted: the box shows it as it will print
    area = '[data-field="sections[1].blocks[1].p"]'
    page.fill(area, "“十四五”期间，全县完成农村公路建设")
    page.click('[data-wrap="sections[1].blocks[1]"] .insert-figure')
    page.fill("#picker-search", "乡村振兴")
    page.click('#picker-list button[data-ref="rural_roads_built@2021-2025"]')
    page.keyboard.type("，乡村面貌持续改善。")
    assert page.inner_text(f"{area} .chip.ref") == "61.32公里"
    assert "{" not in page.inner_text(area)
    page.wait_for_selector('[data-wrap="sections[1].blocks[1]"] .msg.rendered')
    assert "完成农村公路建设61.32公里，乡村面貌持续改善。" in page.inner_text('[data-wrap="sections[1].blocks[1]"] .msg.rendered')
    shot(page, "01-paragraph")
    # a chart of figures the user picks
    page.click('[data-wrap="sections[1]"] button[data-add="picked"]')
    page.fill("#picker-search", "乡村振兴")
    page.click('#picker-list button[data-ref="provincial_beautiful_villages@2021-2025"]')
    page.click('#picker-list button[data-ref="provincial_boutique_villages@2021-2025"]')
    shot(page, "02-pick-figures")
    page.click("#picker-done")
    block = '[data-wrap="sections[1].blocks[2]"]'
    page.wait_for_selector(f"{block} img.picked:not([hidden])")
    page.fill(f'{block} [data-field="sections[1].blocks[2].chart.title"]', "美丽乡村创建")
    shot(page, "03-chart-block")
    # quoting a deck passage found by its words
    page.click('[data-wrap="sections[1]"] button[data-add="use"]')
    page.fill("#picker-search", "乡村振兴示范区")
    assert page.locator("#picker-list button.passage").count() >= 1
    page.click('#picker-list button[data-use="deck#closing"]')
    page.click("#add-section")
    page.fill('[data-field="sections[2].title"]', "乡村产业")
    page.click('[data-wrap="sections[2]"] button[data-add="use"]')
    page.fill("#picker-search", "乡村振兴")
    page.click('#picker-list button[data-use="deck#economy.review.3"]')
    page.click('[data-wrap="sections[2]"] button[data-add="use"]')
    page.fill("#picker-search", "农产品精深加工")
    with page.expect_response(lambda r: r.url.endswith("/api/briefings/check")  # the check of the whole spec
                              and "industry.9" in (r.request.post_data or ""), timeout=60_000):
        page.click('#picker-list button[data-use="summary#industry.9"]')
    page.wait_for_timeout(100)  # its answer drawn
    no_hard_error(page)
    shot(page, "04-quoted")
    # proofreading every page at reading size
    page.click("#preview")
    page.wait_for_selector("#proof[open] #proof-page", timeout=120_000)
    count = page.locator(".proof-thumb").count()
    assert count >= 2
    for n in range(1, count + 1):
        page.wait_for_function("document.getElementById('proof-page').complete"
                               " && document.getElementById('proof-page').naturalWidth > 0")
        assert page.inner_text("#proof-where") == f"第 {n} 页，共 {count} 页"
        assert page.evaluate("document.getElementById('proof-page').getBoundingClientRect().width") >= 850
        shot(page, f"05-proof-page-{n}", full=False)
        if n < count:
            page.click("#proof-next")
    assert page.is_disabled("#proof-next") and not page.is_disabled("#proof-prev")
    page.keyboard.press("ArrowLeft")
    assert page.inner_text("#proof-where") == f"第 {count - 1} 页，共 {count} 页"
    page.click('#proof button[aria-label="关闭预览"]')
    # the Word file
    with page.expect_download() as dl:
        page.click("#render")
    path = tmp_path / "乡村振兴.docx"
    dl.value.save_as(path)
    text = docx_text(path.read_bytes())
    assert "完成农村公路建设61.32公里，乡村面貌持续改善。" in text and "乡村振兴示范区" in text and "美丽乡村创建" in text
    assert "奋力打造乡村振兴的衡南样板" in text and "农产品精深加工产业集群" in text
    assert len(docx.Document(str(path)).inline_shapes) == 1  # the chart, drawn natively
    # saved as a draft: listed on the page, not made by a build
    page.fill("#f-name", "乡村振兴 工作.3月")
    page.click("#save")
    page.wait_for_selector("#status.ok >> text=已保存为草稿")
    assert "“乡村振兴-工作-3月”" in page.inner_text("#status")
    assert page.input_value("#f-name") == "乡村振兴-工作-3月"
    assert "草稿" in page.inner_text('#open option[value="乡村振兴-工作-3月"]')
    ds = load_dataset(proj / "data")
    assert ds.briefings["乡村振兴-工作-3月"].status == "草稿"
    assert "乡村振兴-工作-3月" not in R.get("briefings").items(ds)
    no_hard_error(page)
    assert not failures, failures


GONGWEN = ["发文机关标志", "机关代字", "发文字号", "份号（6 位数字）", "密级和保密期限", "紧急程度", "行文方向", "签发人",
           "红线中的五角星",
           "主送机关", "附件名称", "抄送", "印发机关", "印发日期"]
JIANBAO = ["简报名称（报头）", "期号", "总期号", "增刊", "密级或“内部资料”", "编者按", "报（报送上级）", "送", "发"]
COMMON = ["标题", "副标题", "会议", "印发日期", "编印单位", "版式"]  # 简报: issuer/date as the 报头 names them
COMMON_GONGWEN = ["标题", "副标题", "会议", "成文日期", "发文机关署名", "版式"]
TAIL = ["数字年份（“当年”指哪一年）", "输出文件名"]


def labels(pg) -> list[str]:
    return [t.replace("必填", "").strip() for t in pg.locator("#basic label").all_inner_texts()]


def it_draws_the_form_from_the_schema_showing_only_the_chosen_presets_fields(server, page):  # noqa: F811 - the fixtures imported above
    base, _ = server
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    assert labels(page) == COMMON + JIANBAO + ["印数（份）"] + TAIL
    shot(page, "jianbao")
    assert page.get_attribute("#f-bulletin", "placeholder") == "默认：衡南工作简报"  # data/settings.yaml, as it prints
    assert page.get_attribute("#f-issuer", "placeholder") == "默认：中共衡南县委办公室"
    assert page.get_attribute("#f-number", "type") == "number" and page.get_attribute("#f-supplement", "type") == "checkbox"
    page.select_option("#f-preset", "公文")
    page.wait_for_selector('[data-wrap="authority"] label >> text=发文机关标志')
    assert labels(page) == COMMON_GONGWEN + GONGWEN + ["印数（份）"] + TAIL
    assert page.get_attribute("#f-date", "placeholder").startswith(("默认：", "年月日写全"))
    for gone in ("number", "report_to", "send_to", "distribute_to", "bulletin"):
        assert page.locator(f'[data-wrap="{gone}"]').count() == 0
    assert page.get_attribute("#f-authority", "placeholder") == "默认：中共衡南县委办公室文件"
    page.select_option("#f-preset", "专题")
    page.wait_for_selector('[data-wrap="authority"]', state="detached")
    assert labels(page) == ["标题", "副标题", "会议", "日期", "编发单位", "版式"] + TAIL
    page.select_option("#f-preset", "简报")
    page.wait_for_selector('[data-wrap="number"] label >> text=期号')
    assert page.locator('[data-wrap="authority"]').count() == 0 and page.locator('[data-wrap="cc"]').count() == 0


def it_saves_a_gongwen_with_the_typed_fields_and_not_the_defaults(server, page):  # noqa: F811 - the fixtures imported above
    import yaml

    base, proj = server
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    page.fill("#f-title", "关于做好统计工作的通知")
    page.fill('[data-field="sections[1].title"]', "工作要求")
    page.fill('[data-field="sections[1].blocks[1].p"]', "请各单位按时报送。")
    page.fill("#f-bulletin", "不该保存的报头")  # a 简报 field, then 公文 is chosen: left out of the file
    page.fill("#f-number", "7")
    page.select_option("#f-preset", "公文")
    page.wait_for_selector("#f-authority")
    page.fill("#f-doc_number", "衡南办发〔2025〕3号")
    page.fill("#f-addressee", "各乡镇党委，县直各单位")
    page.fill("#f-cc", "县人大办，县政府办")
    page.fill("#f-copies", "120")
    page.select_option("#f-urgency", "加急")
    page.fill("#f-attachments", "统计报表\n\n  填报说明  ")
    page.fill("#f-printed_by", "中共衡南县委办公室")  # typed as the default: still left to the default
    page.fill("#f-name", "公文测试")
    page.click("#save")
    page.wait_for_selector("#status.ok >> text=已保存")
    page.wait_for_selector(".msg.problem", state="detached")  # the check of the filled form has come back
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "gongwen")
    saved = yaml.safe_load((proj / "data" / "briefings" / "公文测试.yaml").read_text(encoding="utf-8"))
    assert saved["preset"] == "公文"
    assert saved["doc_number"] == "衡南办发〔2025〕3号" and saved["addressee"] == "各乡镇党委，县直各单位"
    assert saved["cc"] == "县人大办，县政府办" and saved["copies"] == 120 and saved["urgency"] == "加急"
    assert saved["attachments"] == ["统计报表", "填报说明"]
    for left in ("authority", "code", "issuer", "printed_by", "direction", "bulletin", "number", "supplement"):
        assert left not in saved, left


def it_saves_a_jianbao_number_and_tick_box_and_leaves_an_emptied_number_out(server, page):  # noqa: F811 - the fixtures imported above
    import yaml

    base, proj = server
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    page.fill("#f-title", "工作简报测试")
    page.fill('[data-field="sections[1].title"]', "工作动态")
    page.fill('[data-field="sections[1].blocks[1].p"]', "各项工作有序推进。")
    page.fill("#f-number", "7")
    page.fill("#f-total_number", "88")
    page.fill("#f-total_number", "")  # emptied: left out, as if never typed
    page.check("#f-supplement")
    page.fill("#f-report_to", "市委办公室")  # the default typed again: still the default's
    page.fill("#f-send_to", "县委领导")
    page.fill("#f-name", "简报测试")
    page.click("#save")
    page.wait_for_selector("#status.ok >> text=已保存")
    saved = yaml.safe_load((proj / "data" / "briefings" / "简报测试.yaml").read_text(encoding="utf-8"))
    assert "preset" not in saved and saved["number"] == 7  # 简报, the default 版式, is not written and saved["supplement"] is True
    assert saved["send_to"] == "县委领导"
    for left in ("total_number", "report_to", "bulletin", "issuer", "copies", "authority"):
        assert left not in saved, left


def it_proposes_the_next_number_and_names_a_number_already_used(server, page):  # noqa: F811 - the fixtures imported above
    """An empty 期号 shows the number the register gives it; 增刊 is numbered apart; a number another briefing
    holds is named under the field (data/numbers.yaml: the sample briefings hold 衡南工作简报 2025 第1—4期)."""
    import re

    base, _ = server
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    page.wait_for_function("document.querySelector('#f-number').placeholder.startsWith('留空则编为')")
    assert re.fullmatch(r"留空则编为第\d+期", page.get_attribute("#f-number", "placeholder"))
    page.fill("#f-date", "2025年3月5日")
    page.wait_for_function("document.querySelector('#f-number').placeholder === '留空则编为第5期'")
    page.check("#f-supplement")
    page.wait_for_function("document.querySelector('#f-number').placeholder === '留空则编为增刊第1期'")
    page.uncheck("#f-supplement")
    page.fill("#f-number", "2")
    note = page.wait_for_selector('[data-wrap="number"] .number-note.bad')
    assert "已被使用" in note.inner_text() and "economy" in note.inner_text()
    page.select_option("#f-preset", "公文")
    page.wait_for_function("document.querySelector('#f-doc_number').placeholder.startsWith('留空则编为衡南办发〔2025〕')")


def it_refreshes_the_proposed_number_with_the_name_the_bulletin_and_the_year(server, page):  # noqa: F811 - the fixtures imported above
    """The 期号 hint follows 简报名称 (another series starts at 1), the save name (a saved briefing keeps its
    number), the year; a cleared number drops the note under the field and shows the proposal again."""
    base, _ = server
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    want = "document.querySelector('#f-number').placeholder === '{}'"
    page.fill("#f-date", "2025年3月5日")
    page.wait_for_function(want.format("留空则编为第5期"))
    page.fill("#f-bulletin", "会议简报")
    page.wait_for_function(want.format("留空则编为第1期"))
    page.fill("#f-bulletin", "")
    page.wait_for_function(want.format("留空则编为第5期"))
    page.fill("#f-name", "economy")
    page.wait_for_function(want.format("留空则沿用已登记的第2期"))  # data/numbers.yaml: economy is 第2期
    page.fill("#f-name", "")
    page.fill("#f-date", "{Y+1}年3月")  # the year of the edition after the one chosen
    years = page.eval_on_selector_all("#f-year option", "os => os.map((o) => o.value).filter(Boolean)")
    earlier = min(years, key=int)
    assert int(earlier) + 1 != 2025, years  # the register's 第1—4期 are 2025's
    page.select_option("#f-year", earlier)
    page.wait_for_function(want.format("留空则编为第1期"))
    page.select_option("#f-year", "")
    page.fill("#f-date", "2025年3月5日")
    page.fill("#f-number", "3")
    page.wait_for_selector('[data-wrap="number"] .number-note.bad')
    page.fill("#f-number", "")
    page.wait_for_selector('[data-wrap="number"] .number-note.bad', state="detached")
    page.wait_for_function(want.format("留空则编为第5期"))
    assert page.inner_text('[data-wrap="number"] .number-note') == ""
