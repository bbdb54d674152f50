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
    page.click('#picker-list button[data-use="summary#industry.9"]')
    page.wait_for_timeout(800)  # the live check has run
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


def it_draws_the_form_from_the_schema_showing_only_the_chosen_presets_fields(server, page):  # noqa: F811 - the fixtures imported above
    import json

    base, _ = server

    def with_a_preset_field(route):
        schema = route.fetch().json()
        schema["properties"]["serial"] = {"title": "发文字号", "type": "string", "widget": "text", "presets": ["公文"]}
        route.fulfill(body=json.dumps(schema), content_type="application/json")

    page.route("**/api/schema/briefing", with_a_preset_field)
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    labels = page.locator("#basic label").all_inner_texts()
    assert [t.split()[0] for t in labels] == ["标题", "副标题", "会议", "日期", "编发单位", "样式",
                                             "数字年份（“当年”指哪一年）", "输出文件名"]
    assert page.locator('[data-wrap="serial"]').count() == 0  # a 公文 field, the form shows 简报
    page.select_option("#f-preset", "公文")
    page.wait_for_selector('[data-wrap="serial"] label >> text=发文字号')
    page.select_option("#f-preset", "简报")
    page.wait_for_selector('[data-wrap="serial"]', state="detached")
