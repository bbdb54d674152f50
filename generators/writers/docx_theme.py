"""theme.toml into an opened briefing template (python-docx document): styles, bullets, theme part.

A step of its own, called once on the loaded template before the body is written (writers/docx.py `_render`):
the places and what is done to them are in writers/theme_apply.py, shared with the deck and with `check`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from generators.writers.theme_apply import apply_word

if TYPE_CHECKING:
    from generators.theme import Theme

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _related(part, kind: str):
    for rel in part.rels.values():
        if rel.reltype == _R + kind and not rel.is_external:
            return rel.target_part
    return None


def apply_theme(document, template: str, theme: "Theme") -> None:
    """Colours and Office font names of theme.toml into the opened template `document` (e.g. the one loaded
    from templates/briefing-简报.docx; `template` is that name as the contract spells it)."""
    main = document.part
    numbering = _related(main, "numbering")
    theme_part = _related(main, "theme")
    theme_root = None if theme_part is None else etree.fromstring(theme_part.blob)
    before = b"" if theme_root is None else etree.tostring(theme_root)
    apply_word(template, theme, document.styles.element,
               None if numbering is None else numbering.element, theme_root)
    if theme_root is not None and etree.tostring(theme_root) != before:
        theme_part._blob = etree.tostring(theme_root, xml_declaration=True, encoding="UTF-8", standalone=True)
