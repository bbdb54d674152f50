"""The designer guide tells the truth (issue 27 §5): its layout, placeholder, style and theme-binding sections are
generated from the template contract by tools/designer_guide.py, and this test fails when they drift."""

from __future__ import annotations

from tests.conftest import ROOT


def it_lists_exactly_what_the_program_uses():
    from tools import designer_guide

    text = (ROOT / "docs" / "designer-guide.md").read_text(encoding="utf-8")
    assert designer_guide.stale_sections(text) == [], "运行 python tools/designer_guide.py 更新 docs/designer-guide.md"
    assert designer_guide.render(text) == text
    from generators.writers.pptx.template import CONTRACT

    for layout, placeholders in CONTRACT.items():  # every layout and placeholder of the contract is in the guide
        row = next(line for line in text.splitlines() if line.startswith(f"| {layout} | "))
        assert all(p in row for p in placeholders if p not in ("页脚", "页码")), layout
    assert f"共 {len(CONTRACT)} 个版式" in text


def it_notices_a_contract_the_guide_does_not_show(monkeypatch):
    from generators.writers.pptx import template
    from tools import designer_guide

    text = (ROOT / "docs" / "designer-guide.md").read_text(encoding="utf-8")
    monkeypatch.setitem(template.CONTRACT, "两栏图表", ("栏目", "标题", "左图", "右图", "页脚", "页码"))
    assert designer_guide.stale_sections(text) == ["deck-layouts"]
    assert "| 两栏图表 | 栏目、标题、左图、右图 |" in designer_guide.render(text)


def it_keeps_the_briefing_template_contract_true():
    """docs/briefing-templates.md's style table is made from contract(preset): every style of each 版式 in it,
    marked for the 版式 that need it (issue 28)."""
    from generators.writers.docx import PRESETS, contract
    from tools import designer_guide

    text = designer_guide.BRIEFING_DOC.read_text(encoding="utf-8")
    assert designer_guide.stale_sections(text, designer_guide.BRIEFING_SECTIONS) == [], "运行 python tools/designer_guide.py"
    rows = {line.split(" | ")[0].removeprefix("| "): line.split(" | ")[2:2 + len(PRESETS)]
            for line in text.splitlines() if line.startswith("| ") and (" | ✓ |" in line or " | — |" in line)}
    for i, preset in enumerate(PRESETS):
        names = {name for name, _k, _p in contract(preset).values()}
        assert names == {n for n, marks in rows.items() if marks[i] == "✓"}, preset


def it_notices_a_frame_style_the_briefing_doc_does_not_show(monkeypatch):
    from generators.writers.docx import frame
    from tools import designer_guide

    text = designer_guide.BRIEFING_DOC.read_text(encoding="utf-8")
    monkeypatch.setitem(frame.FRAME_STYLES["公文"], "seal", ("印章位置", frame.WD_STYLE_TYPE.PARAGRAPH, "盖章处"))
    assert designer_guide.stale_sections(text, designer_guide.BRIEFING_SECTIONS) == ["briefing-styles"]
    assert "| 印章位置 | 段落 | — | ✓ | — | 盖章处 |" in designer_guide.render(text, designer_guide.BRIEFING_SECTIONS)
