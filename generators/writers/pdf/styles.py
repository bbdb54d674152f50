"""Paragraph styles of the summary PDF, all derived from the theme's sizes, fonts and palette."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from generators.writers import WriterEnv


@dataclass
class Styles:
    body: ParagraphStyle
    lead: ParagraphStyle
    h1: ParagraphStyle
    h1_number: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    quote: ParagraphStyle
    speaker: ParagraphStyle
    caption: ParagraphStyle
    source: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_num: ParagraphStyle
    fig_number: ParagraphStyle
    fig_label: ParagraphStyle
    fig_note: ParagraphStyle
    toc1: ParagraphStyle
    toc2: ParagraphStyle
    cover_title: ParagraphStyle
    cover_kicker: ParagraphStyle
    cover_sub: ParagraphStyle
    cover_byline: ParagraphStyle
    placeholder: ParagraphStyle


def make_styles(env: WriterEnv, names: dict[str, str]) -> Styles:
    """Every style of the summary from the theme (fonts by role, registered under `names`)."""
    t = env.theme
    f = {r: names[t.role(r).print] for r in ("title", "heading", "body", "figure", "caption", "quote")}
    return Styles(**_text_styles(env, f), **_display_styles(env, f))


def _text_styles(env: WriterEnv, f: dict[str, str]) -> dict[str, ParagraphStyle]:
    """Running text: body, headings, quotes, captions."""
    p, pal = env.theme.pdf, env.theme.palette
    ink, muted, primary = colors.HexColor(pal.ink), colors.HexColor(pal.muted), colors.HexColor(pal.primary)
    base = dict(wordWrap="CJK", textColor=ink)
    body = ParagraphStyle("body", fontName=f["body"], fontSize=p.body_size, leading=p.body_leading,
                          alignment=TA_JUSTIFY, firstLineIndent=2 * p.body_size, spaceAfter=p.body_leading * 0.35,
                          **base)
    cap = p.caption_size
    return dict(
        body=body,
        lead=ParagraphStyle("lead", parent=body, fontSize=p.body_size * 1.08, leading=p.body_leading * 1.08),
        h1=ParagraphStyle("h1", fontName=f["title"], fontSize=p.h1_size, leading=p.h1_size * 1.35,
                          textColor=primary, spaceBefore=p.h1_size * 0.6, spaceAfter=p.h1_size * 0.9, keepWithNext=1,
                          wordWrap="CJK"),
        h1_number=ParagraphStyle("h1n", fontName=f["figure"], fontSize=p.h1_size * 0.62, leading=p.h1_size,
                                 textColor=colors.HexColor(pal.accent), keepWithNext=1, wordWrap="CJK"),
        h2=ParagraphStyle("h2", fontName=f["heading"], fontSize=p.h2_size, leading=p.h2_size * 1.45,
                          textColor=primary, spaceBefore=p.h2_size * 0.9, spaceAfter=p.h2_size * 0.5, keepWithNext=1,
                          wordWrap="CJK"),
        h3=ParagraphStyle("h3", fontName=f["heading"], fontSize=p.h3_size, leading=p.h3_size * 1.5, textColor=ink,
                          spaceBefore=p.h3_size * 0.6, spaceAfter=p.h3_size * 0.3, keepWithNext=1, wordWrap="CJK"),
        quote=ParagraphStyle("quote", fontName=f["quote"], fontSize=p.quote_size, leading=p.quote_size * 1.65,
                             alignment=TA_JUSTIFY, textColor=colors.HexColor(pal.primary_dark), wordWrap="CJK"),
        speaker=ParagraphStyle("speaker", fontName=f["caption"], fontSize=cap, leading=cap * 1.5,
                               alignment=TA_RIGHT, textColor=muted, wordWrap="CJK"),
        caption=ParagraphStyle("caption", fontName=f["heading"], fontSize=cap + 1, leading=(cap + 1) * 1.4,
                               textColor=ink, spaceBefore=4, spaceAfter=3, keepWithNext=1, wordWrap="CJK"),
        source=ParagraphStyle("source", fontName=f["caption"], fontSize=cap - 0.5, leading=(cap - 0.5) * 1.4,
                              textColor=muted, spaceAfter=10, wordWrap="CJK"),
    )


def _display_styles(env: WriterEnv, f: dict[str, str]) -> dict[str, ParagraphStyle]:
    """Tables, key-figure cards, contents, cover, photo placeholder."""
    p, pal = env.theme.pdf, env.theme.palette
    ink, muted, primary = colors.HexColor(pal.ink), colors.HexColor(pal.muted), colors.HexColor(pal.primary)
    cap = p.caption_size
    return dict(
        cell=ParagraphStyle("cell", fontName=f["body"], fontSize=cap, leading=cap * 1.35, wordWrap="CJK", textColor=ink),
        cell_head=ParagraphStyle("cellh", fontName=f["heading"], fontSize=cap, leading=cap * 1.35, wordWrap="CJK",
                                 textColor=ink),
        cell_num=ParagraphStyle("celln", fontName=f["body"], fontSize=cap, leading=cap * 1.35, alignment=TA_RIGHT,
                                wordWrap="CJK", textColor=ink),
        fig_number=ParagraphStyle("fign", fontName=f["figure"], fontSize=p.figure_size, leading=p.figure_size * 1.15,
                                  textColor=primary, wordWrap="CJK"),
        fig_label=ParagraphStyle("figl", fontName=f["heading"], fontSize=cap, leading=cap * 1.4,
                                 textColor=ink, wordWrap="CJK"),
        fig_note=ParagraphStyle("figx", fontName=f["caption"], fontSize=cap - 0.5, leading=(cap - 0.5) * 1.35,
                                textColor=muted, wordWrap="CJK"),
        toc1=ParagraphStyle("toc1", fontName=f["heading"], fontSize=p.body_size + 1, leading=(p.body_size + 1) * 2.1,
                            textColor=ink, wordWrap="CJK"),
        toc2=ParagraphStyle("toc2", fontName=f["body"], fontSize=p.body_size, leading=p.body_size * 1.9,
                            leftIndent=2 * p.body_size, textColor=muted, wordWrap="CJK"),
        cover_title=ParagraphStyle("ct", fontName=f["title"], fontSize=p.title_size * 1.25,
                                   leading=p.title_size * 1.6, textColor=primary, alignment=TA_LEFT, wordWrap="CJK"),
        cover_kicker=ParagraphStyle("ck", fontName=f["heading"], fontSize=p.h3_size, leading=p.h3_size * 1.6,
                                    textColor=colors.HexColor(pal.accent), wordWrap="CJK"),
        cover_sub=ParagraphStyle("cs", fontName=f["heading"], fontSize=p.h1_size, leading=p.h1_size * 1.45,
                                 textColor=ink, wordWrap="CJK"),
        cover_byline=ParagraphStyle("cb", fontName=f["body"], fontSize=p.body_size + 1, leading=(p.body_size + 1) * 1.6,
                                    textColor=muted, wordWrap="CJK"),
        placeholder=ParagraphStyle("ph", fontName=f["heading"], fontSize=p.body_size, leading=p.body_size * 1.5,
                                   alignment=TA_CENTER, textColor=muted, wordWrap="CJK"),
    )
