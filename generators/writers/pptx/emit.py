"""Emitting planned slides into a copy of the template with python-pptx (raw XML goes through xml.py)."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE

from generators import model as M
from generators.writers.pptx import xml
from generators.writers.pptx.charts import add_chart, color
from generators.writers.pptx.photo import fitted_jpeg
from generators.writers.pptx.slides import DEFAULT_INSETS, Box, BoxPlan, SlidePlan, TextPlan
from generators.writers.pptx.template import Layouts, box_of

if TYPE_CHECKING:
    from generators.theme import Theme

FURNITURE = ("页脚", "页码")  # on every slide; python-pptx does not copy these placeholders
_ANCHOR = {"t": MSO_ANCHOR.TOP, "ctr": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}


class Emitter:
    """Fills a copy of the template with the planned slides."""

    def __init__(self, prs, layouts: Layouts, theme: "Theme"):
        self.prs = prs
        self.layouts = layouts  # name -> (layout, {placeholder name: layout placeholder})
        self.theme = theme

    def slide(self, sp: SlidePlan) -> None:
        layout, phs = self.layouts[sp.layout]
        slide = self.prs.slides.add_slide(layout)
        by_idx = {ph.placeholder_format.idx: ph for ph in slide.placeholders}
        used: set[int] = set()

        def target(name: str):
            idx = phs[name].placeholder_format.idx
            used.add(idx)
            return by_idx.get(idx)

        for name, text in sp.texts:
            if name in FURNITURE:
                xml.add_furniture(slide, phs[name], name, text, self.theme)
                continue
            ph = target(name)
            if ph is None:  # a placeholder type python-pptx does not copy to slides: a plain box in its place
                self.box(slide, BoxPlan(name, Box(*box_of(phs[name])), text, insets=DEFAULT_INSETS))
                continue
            ph.name = name
            xml.fill_frame(ph.text_frame, text, self.theme)
        if sp.chart:
            name, cp = sp.chart
            add_chart(slide, target(name), phs[name], cp, self.theme)
        if sp.picture:
            self.picture(slide, target(sp.picture[0]), phs[sp.picture[0]], *sp.picture)
        for idx, ph in by_idx.items():  # regions (卡片区, 目标区 …) and anything left empty
            if idx not in used:
                xml.remove_shape(ph)
        for bp in sp.shapes:
            self.box(slide, bp)
        if sp.notes is not None:
            xml.fill_notes(slide, sp.notes, self.theme)

    def picture(self, slide, ph, layout_ph, name: str, photo: M.Photo) -> None:
        """The photo cropped to its frame around its focus point and compressed (photo.py)."""
        x, y, w, h = box_of(layout_ph)
        assert photo.image is not None, "a photo without its image is planned as a labelled placeholder"
        data = io.BytesIO(fitted_jpeg(photo.image, w, h, photo.focus))
        if ph is not None and hasattr(ph, "insert_picture"):
            pic = ph.insert_picture(data)
        else:
            pic = slide.shapes.add_picture(data, x, y, w, h)
        pic.name = name
        xml.set_description(pic, photo.caption)

    def box(self, slide, bp: BoxPlan) -> None:
        tb = slide.shapes.add_textbox(bp.box.x, bp.box.y, bp.box.w, bp.box.h)
        tb.name = bp.name
        if bp.fill:
            tb.fill.solid()
            tb.fill.fore_color.rgb = color(self.theme, bp.fill)
        tf = tb.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE  # python-pptx text boxes grow to their text by default
        tf.margin_left, tf.margin_top, tf.margin_right, tf.margin_bottom = bp.insets
        tf.vertical_anchor = _ANCHOR[bp.anchor]
        xml.fill_frame(tf, bp.text or TextPlan((), None), self.theme)


def set_core(prs, doc: M.Document) -> None:
    """Document properties from the document's meta; fixed dates (31 December of the edition year)."""
    cp = prs.core_properties
    cp.title = doc.title
    cp.subject = doc.meta.get("subject", "")
    cp.author = doc.meta.get("author", "")
    cp.keywords = doc.meta.get("keywords", "")
    cp.comments = doc.meta.get("source", "")
    cp.category = ""
    cp.last_modified_by = ""
    cp.revision = 1
    year = int(doc.meta.get("year") or 2000)
    cp.created = cp.modified = dt.datetime(year, 12, 31)
