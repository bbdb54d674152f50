"""The docx writer's rough pagination (writers/docx/flow.py) on what designers may leave in a template:
odd or missing values never stop a build; on/off properties resolve as Word resolves them."""

from __future__ import annotations

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from generators import model as M
from generators.writers.docx.flow import Flow, _on, text_follows
from tests.conftest import ROOT

TEMPLATE = ROOT / "templates" / "briefing-公文.docx"


def _body_style(document):
    return next(s for s in document.styles if s.name == "简报正文")


def it_survives_a_zero_line_a_zero_size_and_values_word_never_writes():
    d = docx.Document(str(TEMPLATE))
    st = _body_style(d).element
    ppr, rpr = st.find(qn("w:pPr")), st.find(qn("w:rPr"))
    ppr.find(qn("w:spacing")).set(qn("w:line"), "0")  # exact 0 pt
    ppr.find(qn("w:spacing")).set(qn("w:before"), "12pt")
    rpr.find(qn("w:sz")).set(qn("w:val"), "0")
    rpr.find(qn("w:spacing")).set(qn("w:val"), "-400")  # letter spacing below minus the size
    d.add_paragraph("全县上下" * 40, style="简报正文")
    flow = Flow(d)
    props = flow.props(d.paragraphs[-1]._p)
    assert props.line >= 1 and props.size >= 1 and props.size + props.letter >= 1 and props.before == 0
    page, used = flow.at()
    assert page >= 1 and 0 <= used <= flow.page_h


def it_resolves_keep_with_next_from_the_nearest_setting():
    near = parse_xml(f'<w:pPr {nsdecls("w")}><w:keepNext/></w:pPr>')
    far = parse_xml(f'<w:pPr {nsdecls("w")}><w:keepNext w:val="0"/></w:pPr>')
    off = parse_xml(f'<w:pPr {nsdecls("w")}><w:keepNext w:val="off"/></w:pPr>')
    assert _on([near, far], "w:keepNext") and not _on([far, near], "w:keepNext")
    assert not _on([off], "w:keepNext") and not _on([], "w:keepNext") and _on([], "w:snapToGrid", default=True)


def it_floats_a_figure_only_past_text_that_flows():
    p, h = M.Paragraph((M.Run("正文"),)), M.Heading("小标题", 4)
    table = M.Table(caption="表", header=("a",), rows=(("1",),))
    assert text_follows((p,)) and text_follows((h, p))
    assert not text_follows((table, p)) and not text_follows((h, table)) and not text_follows(())
