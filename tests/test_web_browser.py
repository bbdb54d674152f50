"""The 工作台 in a real browser (Playwright driving Debian's chromium): compose a briefing, upload a workbook.

Set REPORTGEN_WEB_SCREENSHOTS=docs/images to also write the README's screenshots (web-*.png).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.test_web_api import docx_text, make_project, png_bytes
from tests.test_web_jobs import fill, year_column

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (/usr/bin/chromium)")
SHOTS = os.environ.get("REPORTGEN_WEB_SCREENSHOTS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    """A real uvicorn server on a free port, against a copied project; yields (base url, project)."""
    import uvicorn

    from generators.web.app import create_app

    proj = make_project(tmp_path / "proj")
    port = free_port()
    app = create_app(proj)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(400):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}", proj
    srv.should_exit = True
    thread.join(30)
    # the warm-up thread (charts drawn with matplotlib's process-wide state) must not run on into the next test
    app.state.warming.join(120)
    assert not thread.is_alive() and not app.state.warming.is_alive()


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(locale="zh-CN", accept_downloads=True, viewport={"width": 1366, "height": 900})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
        browser.close()
        assert not errors, errors


def pick_indicator(page, search: str, ref: str) -> None:
    page.fill("#picker-search", search)
    page.click(f'#picker-list button[data-ref="{ref}"]')
    page.wait_for_selector("#picker", state="hidden")


def it_composes_a_briefing_by_clicking_and_typing_and_downloads_it(server, page, tmp_path):
    base, proj = server
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    page.fill("#f-title", "浏览器测试简报")
    page.fill("#f-meeting", "测试会议")
    page.click("#add-kf")
    pick_indicator(page, "生产总值", "gdp@2024")
    assert "461.71" in page.inner_text("#keyfigures")
    page.fill('[data-field="sections[1].title"]', "总体情况")
    area = '[data-field="sections[1].blocks[1].p"]'
    page.fill(area, "全县地区生产总值达")
    page.click('[data-wrap="sections[1].blocks[1]"] .insert-figure')
    pick_indicator(page, "生产总值", "gdp@2024")
    assert page.inner_text(area).replace("\u200b", "") == "全县地区生产总值达461.71亿元"  # the figure as it will print (a chip)
    assert page.get_attribute(f"{area} .chip.ref", "data-ref") == "gdp@2024"
    page.wait_for_selector('[data-wrap="sections[1].blocks[1]"] .msg.rendered')
    assert "461.71亿元" in page.inner_text('[data-wrap="sections[1].blocks[1]"] .msg.rendered')
    page.click('[data-wrap="sections[1]"] button[data-add="chart"]')
    page.click('#picker-list button[data-chart="gdp_levels"]')
    page.click('[data-wrap="sections[1]"] button[data-add="use"]')
    page.fill("#picker-search", "summary#intro_economy")
    page.click('#picker-list button[data-use="summary#intro_economy"]')
    page.click('[data-wrap="sections[1].blocks[3]"] button[aria-label="上移这个内容块"]')  # reorder: use before chart
    assert page.locator('[data-wrap="sections[1].blocks[2]"]').get_attribute("class").endswith("kind-use")
    page.click('[data-wrap="sections[1]"] button[data-add="photo"]')
    page.fill('[data-field="sections[1].blocks[4].photo"]', "测试现场")
    photo = tmp_path / "现场.png"
    photo.write_bytes(png_bytes((320, 200)))
    page.set_input_files('[data-field="sections[1].blocks[4].image"]', str(photo))
    page.wait_for_selector('[data-wrap="sections[1].blocks[4]"] .photo-pick img')
    assert (proj / "assets" / "images" / "现场.png").read_bytes() == photo.read_bytes()
    with page.expect_download() as dl:
        page.click("#render")
    path = tmp_path / "got.docx"
    dl.value.save_as(path)
    import docx

    assert len(docx.Document(str(path)).inline_shapes) == 2  # the chart and the uploaded photo
    text = docx_text(path.read_bytes())
    assert "测试现场" in text
    assert "浏览器测试简报" in text and "全县地区生产总值达461.71亿元" in text and "测试会议" in text
    assert text.index("交出了一份厚重的答卷") < text.index("图1")  # the passage was moved above the chart
    page.wait_for_selector("#status.ok")
    if SHOTS:  # before saving: the 打开 list shows only the shipped briefings
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(SHOTS) / "web-briefing.png"))
    page.fill("#f-name", "浏览器测试")
    page.click("#save")
    page.wait_for_selector("#status.ok >> text=已保存")
    saved = proj / "data" / "briefings" / "浏览器测试.yaml"
    assert "title: 浏览器测试简报" in saved.read_text(encoding="utf-8")
    page.wait_for_function("document.getElementById('open').value === '浏览器测试'")  # now listed as a shipped one
    if SHOTS:
        page.goto(base + "/briefing")
        page.wait_for_selector("body[data-ready]", state="attached")
        page.fill("#f-title", "经济运行情况")
        page.fill('[data-field="sections[1].title"]', "总体情况")
        page.fill(area, "全县地区生产总值达{gdp@2024}，社会消费品零售总额达到243.6亿元。")
        page.wait_for_selector('[data-wrap="sections[1].blocks[1]"] .msg.warning .fix')
        page.click('[data-wrap="sections[1]"] button[data-add="chart"]')
        page.click('#picker-list button[data-chart="gdp_levels"]')
        page.wait_for_function("[...document.querySelectorAll('.chart-pick img')].every(i => i.complete)")
        page.wait_for_selector('[data-wrap="sections[1].blocks[1]"] .msg.warning .fix')  # redrawn, checked again
        page.locator('[data-wrap="sections[1]"]').scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / "web-briefing-blocks.png"))


def it_shows_problems_and_hand_typed_numbers_at_the_field(server, page):
    base, _ = server
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    page.fill("#f-title", "测试")
    page.fill('[data-field="sections[1].title"]', "总体情况")
    area = '[data-field="sections[1].blocks[1].p"]'
    page.fill(area, "地区生产总值达461.71亿元，{nope@2024}。")
    block = '[data-wrap="sections[1].blocks[1]"]'
    page.wait_for_selector(f"{block} .msg.problem")
    assert "不存在的指标“nope”" in page.inner_text(f"{block} .msg.problem")
    assert "461.71" in page.inner_text(f"{block} .msg.warning")
    page.fill(area, "地区生产总值达461.71亿元。")
    page.wait_for_selector(f"{block} .msg.warning .fix")
    page.click(f"{block} .msg.warning .fix")
    assert page.inner_text(area) == "地区生产总值达461.71亿元。"  # the unit goes with the number
    assert page.get_attribute(f"{area} .chip.ref", "data-ref") == "gdp@2024"
    page.click("#render")
    page.wait_for_selector("#status.ok, #status.bad")


def it_keeps_a_hand_typed_number_warning_when_a_save_is_refused(server, page):
    base, proj = server
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    page.fill("#f-title", "测试")
    page.fill('[data-field="sections[1].title"]', "总体情况")
    block = '[data-wrap="sections[1].blocks[1]"]'
    page.fill('[data-field="sections[1].blocks[1].p"]', "社会消费品零售总额达到243.6亿元。")
    page.wait_for_selector(f"{block} .msg.warning .fix")
    assert "156.9亿元" in page.inner_text(f"{block} .msg.warning")  # the figure the sentence names, not only equal values
    page.click("#save")  # no save name: refused
    page.wait_for_selector('[data-wrap="name"] .msg.problem')
    assert "请填写保存名" in page.inner_text("#status")  # the label on the page, not the field's YAML name
    assert page.locator(f"{block} .msg.warning").count() == 1  # the warning stays
    assert not list((proj / "data" / "briefings").glob("*测试*"))


def _strip_widths(page) -> list[list[float]]:
    return page.evaluate("""() => [...document.querySelectorAll('.pages')].map(s =>
        [...s.querySelectorAll('img')].map(i => i.getBoundingClientRect().width))""")


# the summary's strip is drawn with more than three pages, each page-wide (lazy pictures off screen never load:
# the width comes from the size the page gave them)
_STRIP_SETTLED = """() => { const imgs = [...document.querySelectorAll('#product-summary .pages img')];
    return imgs.length > 3 && imgs.every(i => i.getBoundingClientRect().width > 80); }"""


def it_shows_every_page_of_a_thumbnail_strip_page_shaped_even_before_it_loads(server, page):
    from generators import build as B

    base, proj = server
    B.run_build(B.BuildOptions(root=proj, out=proj / "out", only=("summary",), quiet=True))
    page.goto(base + "/")  # the thumbnails are made by themselves, then the list is redrawn
    page.wait_for_function(_STRIP_SETTLED, timeout=120_000)
    loaded = _strip_widths(page)[0]
    assert len(loaded) > 3 and min(loaded) > 80
    page.route("**/thumbs/**/page-0[2468].png", lambda route: route.abort())  # some pages never arrive
    page.reload()
    page.wait_for_function(_STRIP_SETTLED, timeout=60_000)  # drawn again, not a guessed pause
    widths = _strip_widths(page)[0]
    assert len(widths) == len(loaded) and all(abs(w - loaded[0]) < 2 for w in widths), widths  # no slivers


def it_names_the_bad_cell_of_an_uploaded_workbook(server, page, tmp_path):
    base, proj = server
    page.goto(base + "/yearly")
    page.fill("#wb-year", "2025")
    with page.expect_download() as dl:
        page.click("#wb-form button[type=submit]")
    src = tmp_path / "wb.xlsx"
    dl.value.save_as(src)
    data = src.read_bytes()
    col = year_column(data)
    bad = tmp_path / "填报-2025.xlsx"
    bad.write_bytes(fill(data, {f"{col}4": "abc"}))  # FAKE values, one deliberately wrong cell
    page.set_input_files("#up-file", str(bad))
    assert page.inner_text("#up-name") == "填报-2025.xlsx"
    page.click("#up-check")
    page.wait_for_selector("#up-msg.bad")
    assert f"单元格 {col}4" in page.inner_text("#up-msg")
    assert page.is_hidden("#import-card")
    partial = tmp_path / "填报-2025-部分.xlsx"
    partial.write_bytes(fill(data, {f"{col}3": None, f"{col}5": None}))  # FAKE values; two needed cells left empty
    page.set_input_files("#up-file", str(partial))
    page.click("#up-check")
    page.wait_for_selector("#import-card:not([hidden])")
    assert "地区生产总值增速" in page.inner_text("#import-what")  # named before importing: the year lacks it
    # a bulletin with blanks can be built (the unpublished figures follow the policy), and the page says why
    assert "未公布" in page.inner_text("#edition-status .reason")
    assert page.inner_text("#do-import") == "导入并生成该年版本"
    assert page.locator(".diff-table").count() >= 1
    if SHOTS:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(SHOTS) / "web-yearly.png"), full_page=True)


def it_finishes_a_bulletin_with_a_conflicting_figure_on_the_page_alone(server, page, tmp_path):
    """hightech_enterprises@2025 is 72家 in the article; the FAKE bulletin says 73: decided on the page, then built,
    and both editions are downloadable from the 文档 page byte for byte."""
    from openpyxl import load_workbook

    from generators import build as B

    base, proj = server
    B.run_build(B.BuildOptions(root=proj, out=proj / "out", only=("briefings",), quiet=True))
    first = {p.name: p.read_bytes() for p in (proj / "out" / "briefings").glob("*.docx")}
    page.goto(base + "/yearly")
    page.fill("#wb-year", "2025")
    with page.expect_download() as dl:
        page.click("#wb-form button[type=submit]")
    src = tmp_path / "wb.xlsx"
    dl.value.save_as(src)
    data = fill(src.read_bytes())  # FAKE values
    ws = load_workbook(src)["填报"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "hightech_enterprises")
    book = tmp_path / "公报 2025（终稿）.xlsx"
    book.write_bytes(fill(src.read_bytes(), {f"{year_column(data)}{row}": "73"}))
    page.set_input_files("#up-file", str(book))
    page.click("#up-check")
    page.wait_for_selector("#up-msg.bad")
    text = page.inner_text("#up-msg")
    assert "72家" in text and "勾选“以公报为准”" in text and "--" not in text and "reportgen" not in text
    assert "公报 2025（终稿）.xlsx" in text  # the uploaded file keeps its name
    page.check("#up-bulletin")
    page.click("#up-check")
    page.wait_for_selector("#import-card:not([hidden])")
    assert "/tmp" not in page.inner_text("#diff-card") and "/tmp" not in page.inner_text("#import-what")
    page.click("#do-import")
    page.wait_for_selector("#import-msg a", timeout=300_000)  # imported, built: 到“文档”页下载
    csv = (proj / "data" / "figures" / "yearly-2025.csv").read_text(encoding="utf-8")
    assert "hightech_enterprises,2025,,73,家" in csv and "以公报为准" in csv

    page.goto(base + "/")
    page.wait_for_selector("#editions:not([hidden])")
    assert page.locator("#year option[value='2025']").count() == 1
    page.select_option("#year", "2024")
    assert "2024年：可以生成" in page.inner_text("#year-reason")
    page.select_option("#edition", "2024")
    link = page.locator("#edition-files a").first
    name = link.inner_text().removeprefix("下载 ").split("/")[-1]
    with page.expect_download() as dl:
        link.click()
    got = tmp_path / "got.docx"
    dl.value.save_as(got)
    assert got.read_bytes() == first[name]  # the 2024 briefing as its build published it
    assert (proj / "out" / "editions" / "2025").is_dir()


@pytest.mark.skipif(not SHOTS, reason="screenshots only when REPORTGEN_WEB_SCREENSHOTS is set")
def it_takes_the_readme_screenshots(server, page):
    base, _ = server
    all_loaded = """[...document.querySelectorAll('img')].filter(i => { const r = i.getBoundingClientRect();
        const strip = i.closest('.pages'), s = strip ? strip.getBoundingClientRect() : r;
        return r.top < innerHeight && r.left < Math.min(innerWidth, s.right); })
      .every(i => i.complete && i.naturalWidth > 0)"""  # the ones on screen (lazy ones further away wait)
    page.goto(base + "/")
    page.click("#build")
    page.wait_for_selector(".job.done", timeout=300_000)
    page.wait_for_selector("#product-briefings .pages img")
    page.wait_for_function(all_loaded)  # a screenshot of pages still loading would show empty boxes
    page.screenshot(path=str(Path(SHOTS) / "web-documents.png"))
    page.goto(base + "/designer")
    page.wait_for_selector("#product-deck .pages img")
    page.wait_for_function(all_loaded)
    page.screenshot(path=str(Path(SHOTS) / "web-designer.png"))
    page.goto(base + "/briefing?name=economy")
    page.wait_for_selector('[data-wrap="sections[1].blocks[1]"] img')
    page.click("#add-kf")
    page.fill("#picker-search", "生产总值")
    page.wait_for_timeout(300)
    page.screenshot(path=str(Path(SHOTS) / "web-picker.png"))


def it_reads_a_bulletin_lets_each_row_be_reviewed_and_imports_through_the_ordinary_check(server, page, tmp_path):
    """年度更新 · 先读统计公报: the table of values with their sentences, corrections, then step 2 and the import.
    The bulletin is tests/fixtures/bulletins/standard.pdf (FICTIONAL figures)."""
    from tests.conftest import ROOT, tree_digest

    base, proj = server
    before = tree_digest(proj / "data")
    page.goto(base + "/yearly")
    page.fill("#bl-year", "2025")
    page.set_input_files("#bl-file", str(ROOT / "tests" / "fixtures" / "bulletins" / "standard.pdf"))
    assert page.inner_text("#bl-name") == "standard.pdf"
    page.click("#bl-read")
    page.wait_for_selector("#bl-review:not([hidden])")
    assert "找到 23 个指标的数字" in page.inner_text("#bl-msg")
    gdp = page.locator('#bl-table tr[data-indicator="gdp"]')
    assert gdp.locator("mark").inner_text() == "512.34"  # the number highlighted inside its sentence
    assert gdp.locator(".bl-value").input_value() == "512.34"
    assert "地区生产总值（GDP）512.34亿元" in gdp.locator("td.quote").inner_text()
    # Correct three counts to the article's 2025 records (the check would name them as conflicts), blank one row.
    for ind, value in (("industrial_enterprises_above_scale", "152"), ("hightech_enterprises", "72"),
                       ("tech_smes", "205")):
        row = page.locator(f'#bl-table tr[data-indicator="{ind}"]')
        row.locator(".bl-value").fill(value)
        assert row.locator(".bl-action").input_value() == "correct"
    page.locator('#bl-table tr[data-indicator="air_good_rate"] .bl-action').select_option("blank")
    assert tree_digest(proj / "data") == before  # nothing written while reviewing
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "web-yearly-bulletin.png"), full_page=True)
    page.click("#bl-use")
    page.wait_for_selector("#import-card:not([hidden])")
    assert page.inner_text("#up-name") == "年度填报-2025-按公报.xlsx"
    assert "检查通过" in page.inner_text("#up-msg")
    assert tree_digest(proj / "data") == before
    page.click("#do-import")
    page.wait_for_selector("#import-msg.ok")
    csv = (proj / "data" / "figures" / "yearly-2025.csv").read_text(encoding="utf-8")
    assert "gdp,2025,,512.34,亿元" in csv and "tech_smes,2025,,205,家" in csv and "air_good_rate,2025" not in csv
    page.wait_for_function("document.querySelector('#import-msg').innerText.includes('已生成')"
                           " || document.querySelector('#job').innerText.includes('失败')", timeout=300_000)
    assert "已生成" in page.inner_text("#import-msg")
