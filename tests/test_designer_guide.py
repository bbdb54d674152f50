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
