"""The 模板与设计 page shows every problem and note of `reportgen check`, grouped by template, in the CLI's own
sentences (issue 27 §3): in a real browser (Playwright, /usr/bin/chromium) and through the test client."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import run_cli
from tests.test_template_messages import DECK, JIANBAO, _drop_shape, _layout_part
from tests.test_theme_check import edit_part
from tests.test_web_browser import page, server  # noqa: F401 - pytest fixtures used by name below

pytestmark = __import__("tests.test_web_browser", fromlist=["pytestmark"]).pytestmark


def _break_templates(proj: Path) -> None:
    """A renamed Word style, a deleted placeholder, a pale primary colour (a contrast note)."""
    edit_part(proj / JIANBAO, "word/styles.xml",
              lambda xml: xml.replace('<w:name w:val="一级标题"/>', '<w:name w:val="标题 1"/>', 1))
    edit_part(proj / DECK, _layout_part(proj, "封面"), lambda xml: _drop_shape(xml, "署名"))
    theme = proj / "templates" / "theme.toml"
    theme.write_text(re.sub(r'(?m)^primary = "#A61E22"', 'primary = "#F2C94C"', theme.read_text(encoding="utf-8")),
                     encoding="utf-8")


def _cli_sentences(proj: Path) -> tuple[list[str], list[str]]:
    """(errors, notes) as `reportgen check` prints them."""
    res = run_cli("check", "--root", str(proj))
    errors = [line.removeprefix("  - ") for line in res.err.splitlines() if line.startswith("  - ")]
    # with template errors check stops before the notes: the notes are those of the theme alone
    from generators import build as B
    from generators.project import Project

    notes = B.theme_notes(Project.open(proj))
    return errors, [n.removeprefix("提示：") for n in notes]


def it_shows_every_problem_and_note_grouped_by_template_in_the_clis_words(server, page):  # noqa: F811 - fixtures
    base, proj = server
    page.goto(base + "/designer")
    assert "检查通过" in page.inner_text("#template-check") or "提示" in page.inner_text("#template-check")
    _break_templates(proj)
    page.goto(base + "/designer")
    page.wait_for_selector("#template-check .check-group")
    groups = {g.get_attribute("data-file"): g for g in page.locator("#template-check .check-group").all()}
    assert list(groups) == ["templates/deck.pptx", "templates/briefing-专题.docx", "templates/theme.toml"]
    assert "幻灯片模板" in groups["templates/deck.pptx"].inner_text()
    shown = {f: [li.inner_text() for li in g.locator("li").all()] for f, g in groups.items()}
    errors, notes = _cli_sentences(proj)
    assert errors and notes
    page_errors = [t.removeprefix("错误：") for ts in shown.values() for t in ts if t.startswith("错误：")]
    page_notes = [t.removeprefix("提示：") for ts in shown.values() for t in ts if t.startswith("提示：")]
    assert sorted(page_errors) == sorted(e.replace(str(proj) + "/", "") for e in errors)
    assert sorted(page_notes) == sorted(notes)
    deck = " ".join(shown["templates/deck.pptx"])
    assert "插入一个占位符并命名为“署名”" in deck and "视图 → 幻灯片母版" in deck
    assert "很可能是“一级标题”被改名为“标题 1”了" in " ".join(shown["templates/briefing-专题.docx"])
    assert "对比度不够" in " ".join(shown["templates/theme.toml"])
    banner = page.inner_text("#template-check .banner")
    assert "2 处错误" in banner and "提示" in banner
