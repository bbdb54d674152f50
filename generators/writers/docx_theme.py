"""theme.toml's colours into a briefing's Word styles (the colour-bearing styles the theme check names)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generators.theme import Theme

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _styles_by_name(styles_element) -> dict[str, object]:
    out = {}
    for st in styles_element.iterfind(f"{W}style"):
        name = st.find(f"{W}name")
        if name is not None:
            out[name.get(f"{W}val")] = st
    return out


def _set_colour(st, prop: str, hex_: str) -> None:
    """Where the style states a colour of this kind, state theme.toml's (a colour the template leaves to
    inheritance or to Word stays so: the style it is based on carries the theme's)."""
    if prop == "字体颜色":
        for el in st.iterfind(f"{W}rPr/{W}color"):
            el.set(f"{W}val", hex_)
    elif prop == "底纹":
        for el in st.iterfind(f"{W}pPr/{W}shd"):
            el.set(f"{W}fill", hex_)
    elif prop == "边框颜色":
        for el in st.iterfind(f"{W}pPr/{W}pBdr/*"):
            el.set(f"{W}color", hex_)


def apply_theme_colours(styles_element, template: str, theme: "Theme") -> None:
    """Colour every bound style of `template` (e.g. templates/briefing-简报.docx) from theme.toml, so changing
    palette.primary in theme.toml changes the banner, headings and the 数字 highlight of every briefing."""
    from generators.theme_check import WORD_STYLES, theme_value

    bindings = WORD_STYLES.get(template)
    if not bindings:
        return  # 公文: black text by GB/T 9704, not the theme's
    styles = _styles_by_name(styles_element)
    for name, props in bindings.items():
        st = styles.get(name)
        if st is None:
            continue
        for prop, key in props.items():
            if key.startswith("palette."):
                _set_colour(st, prop, theme_value(theme, key).lstrip("#").upper())
