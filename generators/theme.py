"""The designer's theme (templates/theme.toml): palette, fonts per role, sizes; validated."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from generators.errors import InputError, Problem, TemplateError
from generators.load.textio import shown

ROLES = ("title", "heading", "body", "figure", "caption", "quote")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class FontRole(_M):
    print: str
    office: str


# ---- colours: the designer sets a few, the rest follow (documented rules) ----------------------------
#
# A designer sets `primary`, `accent`, `ink`, `muted` and `paper`. Every other colour of [palette] may be
# left out; it is then derived from those, so changing one colour gives a coherent look in the deck, the
# PDF and the briefings:
#
#   primary_dark  = primary darkened: each of R, G, B × 0.735              (#A61E22 → #7A1619)
#   tint          = accent at 10 % on paper (a pale wash of the accent)     (#C8962E → #FAF4EA)
#   rule          = accent at 45 % on paper                                  (#C8962E → #E6D0A1)
#   placeholder   = muted at 17 % on paper                                   (#6B6B6B → #E6E6E6)
#   chart         = [primary, accent, primary_dark, muted]
#
# `chart` entries may also name a palette colour instead of a #RRGGBB value: chart = ["primary", "accent",
# "#2F5D8A"] makes the first bar colour follow `primary`. A colour that is set is used as written.

#: The colours a designer must set; the others are derived from them when absent (DERIVED).
BASE_COLOURS = ("primary", "accent", "ink", "muted", "paper")
COLOUR_NAMES = ("primary", "primary_dark", "accent", "ink", "muted", "paper", "tint", "rule", "placeholder")
#: key → (rule in the designer's words, how it is made): the documented rules above.
DERIVED: dict[str, str] = {
    "primary_dark": "primary 加深（R、G、B 各乘 0.735）",
    "tint": "accent 以 10% 浓度铺在 paper 上",
    "rule": "accent 以 45% 浓度铺在 paper 上",
    "placeholder": "muted 以 17% 浓度铺在 paper 上",
    "chart": "[primary, accent, primary_dark, muted]",
}
DEFAULT_CHART = ("primary", "accent", "primary_dark", "muted")


def rgb(hex_: str) -> tuple[int, int, int]:
    return int(hex_[1:3], 16), int(hex_[3:5], 16), int(hex_[5:7], 16)


def hex_of(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in (r, g, b))


def shade(hex_: str, factor: float) -> str:
    """`hex_` darkened (factor < 1) towards black."""
    return hex_of(*(c * factor for c in rgb(hex_)))


def mix(top: str, ground: str, share: float) -> str:
    """`top` laid at `share` opacity over `ground`."""
    return hex_of(*(t * share + g * (1 - share) for t, g in zip(rgb(top), rgb(ground), strict=True)))


def luminance(hex_: str) -> float:
    """WCAG 2.x relative luminance."""
    def lin(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb(hex_))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 … 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _derive(raw: dict[str, Any]) -> dict[str, Any]:
    """The palette with every absent colour derived and chart names resolved (DERIVED). Values that are not
    #RRGGBB are left for the field validators to name."""
    out = dict(raw)
    ok = {k: v for k, v in raw.items() if isinstance(v, str) and _HEX.match(v)}
    rules = {"primary_dark": ("primary", lambda p: shade(p, 0.735)),
             "tint": ("accent", lambda a: mix(a, ok["paper"], 0.10)),
             "rule": ("accent", lambda a: mix(a, ok["paper"], 0.45)),
             "placeholder": ("muted", lambda m: mix(m, ok["paper"], 0.17))}
    for key, (source, make) in rules.items():
        if key not in out and source in ok and (key == "primary_dark" or "paper" in ok):
            out[key] = ok[key] = make(ok[source]).upper()
    chart = out.get("chart", list(DEFAULT_CHART))
    if isinstance(chart, list):
        out["chart"] = [ok.get(c, c) if isinstance(c, str) and c in COLOUR_NAMES else c for c in chart]
    return out


class Palette(_M):
    primary: str
    primary_dark: str
    accent: str
    ink: str
    muted: str
    paper: str
    tint: str
    rule: str
    placeholder: str
    redhead: str = "#FF0000"  # 红头: the 公文's 发文机关标志 and red line, the 简报's 报头 (GB/T 9704: red, not the theme's)
    chart: list[str] = Field(min_length=2)

    @model_validator(mode="before")
    @classmethod
    def _derived(cls, v: Any) -> Any:
        return _derive(v) if isinstance(v, dict) else v

    @field_validator("*")
    @classmethod
    def _hex(cls, v: Any) -> Any:
        for c in v if isinstance(v, list) else [v]:
            if not _HEX.match(c):
                raise ValueError(f"颜色应写成 #RRGGBB（如 #A61E22）或调色板中的颜色名（如 primary），实际为“{c}”")
        return v


#: Text on its background, where the documents show it: (text key, background key, large text?, where).
#: Large text (≥ 18 pt, or ≥ 14 pt bold) needs a contrast of 3:1, other text 4.5:1 (WCAG 2.x AA).
TEXT_PAIRS: tuple[tuple[str, str, bool, str], ...] = (
    ("ink", "paper", False, "正文"),
    ("ink", "tint", False, "数字卡片、引语、表头底纹上的文字"),
    ("muted", "paper", False, "资料来源、页脚、会议信息、署名"),
    ("muted", "tint", False, "引语出处"),
    ("muted", "placeholder", False, "图片占位框中的说明"),
    ("primary", "paper", False, "正文中突出的数字、增幅（幻灯片）、PDF 标题"),
    ("primary_dark", "paper", False, "简报“数字”、副标题、PDF 引语"),
    ("primary_dark", "tint", False, "简报表头文字、目标卡片"),
    ("paper", "primary", True, "专题材料的标题色带、PDF 书眉色带"),
    ("redhead", "paper", True, "红头：公文的发文机关标志、简报的报头名称"),
    ("accent", "paper", False, "PDF 章节编号、封面眉题，幻灯片荣誉序号"),
)


def contrast_failures(palette: Palette) -> list[tuple[str, str, float, float, str]]:
    """(text key, background key, ratio, needed ratio, where) of each pair below WCAG AA."""
    out = []
    for fg, bg, large, where in TEXT_PAIRS:
        ratio = contrast(getattr(palette, fg), getattr(palette, bg))
        need = 3.0 if large else 4.5
        if ratio < need:
            out.append((fg, bg, ratio, need, where))
    return out


class Fonts(_M):
    fallback: list[str] = []
    title: FontRole
    heading: FontRole
    body: FontRole
    figure: FontRole
    caption: FontRole
    quote: FontRole


class PdfTheme(_M):
    page: str = "A4"
    margin_top_mm: float = Field(ge=5, le=60)
    margin_bottom_mm: float = Field(ge=5, le=60)
    margin_inner_mm: float = Field(ge=5, le=60)
    margin_outer_mm: float = Field(ge=5, le=60)
    body_size: float = Field(ge=6, le=20)
    body_leading: float = Field(ge=8, le=40)
    title_size: float = Field(ge=12, le=72)
    h1_size: float = Field(ge=10, le=48)
    h2_size: float = Field(ge=8, le=36)
    h3_size: float = Field(ge=8, le=30)
    quote_size: float = Field(ge=6, le=30)
    caption_size: float = Field(ge=5, le=16)
    figure_size: float = Field(ge=10, le=60)
    header_size: float = Field(ge=5, le=14)


class DeckTheme(_M):
    min_body_size: float = Field(ge=10, le=40)
    body_size: float = Field(ge=10, le=40)
    card_number_size: float = Field(ge=16, le=96)
    footer_size: float = Field(ge=6, le=20)


class ChartTheme(_M):
    title_size: float = Field(ge=6, le=30)
    label_size: float = Field(ge=5, le=24)
    tick_size: float = Field(ge=5, le=24)
    source_size: float = Field(ge=5, le=16)
    width_mm: float = Field(ge=40, le=400)
    height_mm: float = Field(ge=30, le=300)
    dpi: int = Field(ge=150, le=600)
    grid: bool = True


#: The 简报 styles whose size [docx.sizes] may set, by the writer's role name (generators/theme_contract.py maps
#: each to its style name). A role not set keeps the template style's own size.
DOCX_SIZE_ROLES = ("title", "subtitle", "meeting", "body", "h1", "h2", "h3", "quote", "speaker", "point",
                   "caption", "picture", "source", "cell", "cell_number", "cell_header", "placeholder")


class DocxTheme(_M):
    charts: str = "native"  # Word briefings: editable charts (native), or 300-dpi pictures (picture)
    sizes: dict[str, float] = {}  # 简报 style sizes in pt by role (DOCX_SIZE_ROLES), written into the styles at build

    @field_validator("sizes")
    @classmethod
    def _sizes(cls, v: dict[str, float]) -> dict[str, float]:
        for role, pt in v.items():
            if role not in DOCX_SIZE_ROLES:
                raise ValueError(f"不认识的样式“{role}”，可写：{'、'.join(DOCX_SIZE_ROLES)}")
            if not 5 <= pt <= 72 or round(pt * 2) != pt * 2:
                raise ValueError(f"字号应在 5—72 磅之间、是 0.5 的整数倍，实际为 {pt:g}")
        return v

    @field_validator("charts")
    @classmethod
    def _mode(cls, v: str) -> str:
        if v not in ("native", "picture"):
            raise ValueError(f"应为 native（可编辑图表）或 picture（图片），实际为“{v}”")
        return v


class Labels(_M):
    """Fixed wording of the documents' frame (not county content), set by the designer: [labels] in theme.toml."""

    contents: str  # 目录
    intro: str  # 导语
    headline: str  # {year}年主要指标
    closing: str  # 结语
    appendix: str  # 附录
    appendix_table: str  # caption of the appendix table
    key_figures: str  # caption of a briefing's key-figures table

    @field_validator("headline")
    @classmethod
    def _year_only(cls, v: str) -> str:
        try:
            v.format(year=2024)
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"只能含占位符 {{year}}（年份），实际为“{v}”") from None
        return v


class Theme(_M):
    meta: dict[str, str] = {}
    labels: Labels
    palette: Palette
    fonts: Fonts
    pdf: PdfTheme
    deck: DeckTheme
    chart: ChartTheme
    docx: DocxTheme = DocxTheme()
    font_dir: Path = Path("assets/fonts")
    chart_style: Path | None = None  # templates/charts.mplstyle, when present
    chart_style_text: str = ""  # its content (part of the chart cache key)
    chart_rc: dict[str, str] = {}  # its settings, checked against the allow-list (generators/charts/style.py)

    def role(self, name: str) -> FontRole:
        return getattr(self.fonts, name)

    def font_path(self, file: str) -> Path:
        return self.font_dir / file

    def print_fonts(self) -> list[str]:
        """Every bundled font file the theme uses, primary faces first, then fallbacks."""
        out: list[str] = []
        for r in ROLES:
            f = self.role(r).print
            if f not in out:
                out.append(f)
        return out + [f for f in self.fonts.fallback if f not in out]


_TOML_ZH = [
    ("Expected '=' after a key", "键后面应有“=”（如 body_size = 10.5）"),
    ("Expected ']' at the end of a table declaration", "表名缺少右方括号“]”（如 [palette]）"),
    ("Expected ']]' at the end of an array declaration", "缺少“]]”"),
    ("Cannot overwrite a value", "同一项写了两次"),
    ("Cannot declare", "同一个表（[名称]）写了两次"),
    ("Duplicate inline table key", "同一项写了两次"),
    ("Cannot mutate immutable namespace", "同一个表的内容分在了两处"),
    ("Cannot redefine namespace", "同一个表的内容分在了两处"),
    ("Invalid value", "取值写法不对（文字要加英文双引号，如 \"#A61E22\"；数字不加引号）"),
    ("Unclosed array", "方括号列表 [...] 没有闭合"),
    ("Unclosed inline table", "花括号 {...} 没有闭合"),
    ("Unterminated string", "引号没有闭合"),
    ("Unescaped '\\' in a string", "文字中的反斜杠“\\”要写成两个，或改用单引号"),
    ("Invalid hex value", "转义写法不对"),
    ("Escaped character", "转义写法不对"),
    ("Invalid date or datetime", "日期写法不对"),
    ("Invalid initial character for a key part", "键的写法不对（键只能用英文字母、数字、下划线）"),
    ("Invalid statement", "这一行写法不对（应为“键 = 值”或“[表名]”）"),
    ("Found invalid character", "这里有不该出现的字符"),
    ("Illegal character '\\n'", "引号没有闭合（文字要在同一行内用英文双引号括起来）"),
    ("Illegal character", "含不允许的字符（控制字符或 Tab 以外的不可见字符）"),
    ("Expected", "写法不对（缺少应有的符号）"),
]


def toml_problem(where: str, exc: tomllib.TOMLDecodeError) -> Problem:
    """A TOML syntax error in Chinese, with line and column."""
    text = str(exc)
    m = re.search(r"line (\d+), column (\d+)", text)
    zh = next((z for en, z in _TOML_ZH if text.startswith(en)), "写法不对")
    return Problem(where, int(m.group(1)) if m else None, column=int(m.group(2)) if m else None,
                   message=f"TOML 格式错误：{zh}")


def _read_raw(path: Path) -> dict[str, Any]:
    where = shown(path)
    if path.is_symlink():
        raise TemplateError(Problem(where, message="主题文件不能是符号链接（快捷方式），请放入文件本身"))
    try:
        data = path.read_bytes()
        if len(data) > 256 * 1024:
            raise TemplateError(Problem(where, message="主题文件过大", expected="不超过 256 KB"))
        return tomllib.loads(data.decode("utf-8-sig"))
    except FileNotFoundError:
        raise TemplateError(Problem(where, message="找不到主题文件")) from None
    except IsADirectoryError:
        raise TemplateError(Problem(where, message="这是一个文件夹，不是主题文件")) from None
    except UnicodeDecodeError:
        raise TemplateError(Problem(where, message="主题文件不是 UTF-8 编码，请另存为 UTF-8")) from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(toml_problem(where, exc)) from None


def load_theme(root: Path, cache_dir: Path | None = None, digest: Callable[[Path], bytes] | None = None,
               verify: bool = True) -> Theme:
    """Read and validate templates/theme.toml; every font file must exist under assets/fonts.

    `cache_dir`: where the chart style's check may be remembered (by the file's digest), so a build does not
    import matplotlib only to check a style file that has not changed. `digest`: a file's sha256 (the project's
    digest cache): a font whose bytes are those assets/fonts/fonts.toml lists is the bundled font, intact.
    `verify=False`: the font files and Office templates are not checked (a build's early worker: the main
    process checks them, and nothing is published unless they pass)."""
    from generators.charts.style import load_chart_style
    from generators.load import schema_zh

    path = root / "templates" / "theme.toml"
    where = shown(path)
    raw = _read_raw(path)
    raw["font_dir"] = root / "assets" / "fonts"
    style = root / "templates" / "charts.mplstyle"
    if style.is_file() or style.is_symlink():
        rc = load_chart_style(style, cache_dir)
        raw["chart_style"], raw["chart_style_text"], raw["chart_rc"] = style, style.read_text(encoding="utf-8-sig"), rc
    try:
        theme = Theme.model_validate(raw)
    except ValidationError as exc:
        problems = [Problem(where, _toml_line(path, err["loc"]), field=".".join(str(x) for x in err["loc"]),
                            message=schema_zh.message(err, Theme), found=schema_zh.found_text(err))
                    for err in exc.errors()]
        raise TemplateError(problems) from None
    if verify:
        _check_fonts(root, theme, path, cache_dir, digest)
        _check_office_templates(root)
    return theme


def _check_office_templates(root: Path) -> None:
    """Every .pptx/.docx in templates/ is a whole, readable Office file (before any writer opens one)."""
    from generators.load.files import check_office_template

    problems = []
    for t in sorted((root / "templates").glob("*.[pd][po][tc]x")):
        try:
            check_office_template(t)
        except TemplateError as exc:
            problems.extend(exc.problems)
    if problems:
        raise TemplateError(problems)


def _check_fonts(root: Path, theme: Theme, path: Path, cache_dir: Path | None = None,
                 digest: Callable[[Path], bytes] | None = None) -> None:
    """Every font: a plain name under assets/fonts (no absolute path, no `..`, no symlink out), a whole font file."""
    from generators.fonts import family_name
    from generators.load.files import check_font_file, check_font_tables, inside

    where = shown(path)
    problems = []
    for f in theme.print_fonts():
        p = theme.font_path(f)
        line = _find_line(path, f)
        if Path(f).is_absolute() or ".." in Path(f).parts or "\\" in f or not inside(p, root):
            problems.append(Problem(where, line, field="fonts", found=f,
                                    message="字体只能写 assets/fonts/ 中的文件名（不能写绝对路径、“..”或指向项目外的链接）"))
        elif not p.is_file():
            problems.append(Problem(where, line, field="fonts", message=f"字体文件 assets/fonts/{f} 不存在"))
    if problems:
        raise TemplateError(problems)
    verified = _verified_fonts(cache_dir)
    bundled = _bundled_digests(theme.font_dir) if digest is not None else {}
    for f in theme.print_fonts():
        try:
            check_font_file(theme.font_path(f))
            key = _font_key(theme.font_path(f))
            if key not in verified and digest is not None and bundled.get(f) == digest(theme.font_path(f)).hex():
                verified.add(key)  # byte for byte the bundled font (its sha256 in fonts.toml): intact
            if key not in verified:  # this very file (size, time) passed before: not opened again
                check_font_tables(theme.font_path(f))
                family_name(theme.font_path(f))  # opens the font: a broken file is reported here, by name
                verified.add(key)
        except InputError as exc:  # the font file and the theme line that names it
            problems.extend(Problem(where, _find_line(path, f), field="fonts", message=f"{p.file}：{p.message}")
                            for p in exc.problems)
    if problems:
        raise TemplateError(problems)


_FONT_CHECKS = "font-checks.json"


def _bundled_digests(font_dir: Path) -> dict[str, str]:
    """File name → sha256 of the bundled fonts, from assets/fonts/fonts.toml (written by tools/fonts/build_fonts.py,
    whose fonts pass the table checks: tests/test_theme_fonts.py); {} when it is missing or unreadable."""
    try:
        raw = tomllib.loads((font_dir / "fonts.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    fonts = raw.get("font") if isinstance(raw, dict) else None
    return {str(f["file"]): str(f["sha256"]) for f in fonts or [] if isinstance(f, dict) and "file" in f and "sha256" in f}


def _font_key(p: Path) -> str:
    st = p.stat()
    return f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def _verified_fonts(cache_dir: Path | None) -> set[str]:
    """Fonts whose table checksums passed, by path, size and mtime (kept in build/cache; check reads them again)."""
    import json

    known: set[str] = set()
    if cache_dir is not None:
        try:
            known = set(json.loads((cache_dir / _FONT_CHECKS).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            known = set()
    return _Remembered(known, cache_dir)


class _Remembered(set):
    """A set that writes itself to the cache when something is added (a cache that cannot be written only costs time)."""

    def __init__(self, items: set[str], cache_dir: Path | None) -> None:
        super().__init__(items)
        self.cache_dir = cache_dir

    def add(self, item: str) -> None:
        super().add(item)
        if self.cache_dir is not None:
            import json

            from generators.fsutil import atomic_write

            try:
                atomic_write(self.cache_dir / _FONT_CHECKS, json.dumps(sorted(self)[-64:]))
            except OSError:
                pass


def _find_line(path: Path, needle: str) -> int | None:
    for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if needle in line:
            return n
    return None


def _toml_line(path: Path, loc: tuple[Any, ...]) -> int | None:
    """Best effort: the line of the last key of `loc` inside its [table]."""
    keys = [str(k) for k in loc if not isinstance(k, int)]
    if not keys:
        return None
    table, key = ".".join(keys[:-1]), keys[-1]
    current = ""
    for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        s = line.strip()
        if s.startswith("[") and s.endswith("]"):
            current = s.strip("[]").strip()
            if current == ".".join(keys):
                return n
        elif current == table and re.match(rf"^{re.escape(key)}\s*=", s):
            return n
    return None
