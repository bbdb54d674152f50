"""The briefing editor in a real browser (issue 26): a new user makes a 乡村振兴 briefing with a chart of figures
they picked, quoting a deck passage, without one hard error, and proofreads every page.

Set REPORTGEN_EDITOR_SHOTS=folder to keep the screenshots of each step."""

from __future__ import annotations

import os
from pathlib import Path

from tests.test_web_browser import CHROMIUM, page, pytestmark, server  # noqa: F401 - fixtures and the skip mark

SHOTS = os.environ.get("REPORTGEN_EDITOR_SHOTS")
assert CHROMIUM


def shot(pg, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def it_makes_a_rural_revitalisation_briefing_with_a_picked_chart_and_a_quoted_passage(server, page, tmp_path):  # noqa: F811 - the fixtures imported above
    base, proj = server
    failures: list[str] = []
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.goto(base + "/briefing")
    page.wait_for_selector("body[data-ready]", state="attached")
    page.fill("#f-title", "乡村振兴工作情况")
    page.fill('[data-field="sections[1].title"]', "农村人居环境")
    # a chart of figures the user picks
    page.click('[data-wrap="sections[1]"] button[data-add="picked"]')
    page.fill("#picker-search", "乡村振兴")
    page.click('#picker-list button[data-ref="provincial_beautiful_villages@2021-2025"]')
    page.click('#picker-list button[data-ref="provincial_boutique_villages@2021-2025"]')
    shot(page, "01-pick-figures")
    page.click("#picker-done")
    block = '[data-wrap="sections[1].blocks[2]"]'
    page.wait_for_selector(f"{block} img.picked:not([hidden])")
    page.fill(f'{block} [data-field="sections[1].blocks[2].chart.title"]', "美丽乡村建设")
    shot(page, "02-chart-block")
    # quoting a deck passage found by its words
    page.click('[data-wrap="sections[1]"] button[data-add="use"]')
    page.fill("#picker-search", "乡村振兴示范区")
    page.click('#picker-list button[data-use="deck#closing"]')
    shot(page, "03-quoted")
    assert not failures, failures
