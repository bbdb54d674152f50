"""The designer's theme (templates/theme.toml): palette, fonts per role, sizes; validated."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from generators.errors import Problem, TemplateError
from generators.load.textio import shown

ROLES = ("title", "heading", "body", "figure", "caption", "quote")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FontRole(_M):
    print: str
    office: str


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
    chart: list[str] = Field(min_length=2)

    @field_validator("*")
    @classmethod
    def _hex(cls, v: Any) -> Any:
        for c in v if isinstance(v, list) else [v]:
            if not _HEX.match(c):
                raise ValueError(f"颜色应写成 #RRGGBB（如 #A61E22），实际为“{c}”")
        return v


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


class DocxTheme(_M):
    charts: str = "native"  # Word briefings: editable charts (native), or 300-dpi pictures (picture)

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


def load_theme(root: Path) -> Theme:
    """Read and validate templates/theme.toml; every font file must exist under assets/fonts."""
    path = root / "templates" / "theme.toml"
    where = shown(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise TemplateError(Problem(where, message="找不到主题文件")) from None
    except UnicodeDecodeError:
        raise TemplateError(Problem(where, message="主题文件不是 UTF-8 编码，请另存为 UTF-8")) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise TemplateError(Problem(where, int(m.group(1)) if m else None,
                                    message=f"TOML 格式错误（{exc}）")) from None
    raw["font_dir"] = root / "assets" / "fonts"
    style = root / "templates" / "charts.mplstyle"
    if style.is_file():
        raw["chart_style"], raw["chart_style_text"] = style, style.read_text(encoding="utf-8")
    try:
        theme = Theme.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(x) for x in err["loc"])
            msg = {"missing": "缺少此项", "extra_forbidden": "不认识的项（拼写错误？）"}.get(
                err["type"], str(err["msg"]).removeprefix("Value error, "))
            found = err.get("input") if err["type"] not in ("missing",) and not isinstance(err.get("input"), dict) else None
            if found is not None and "实际为" in msg:
                found = None  # the validator's message already quotes it
            problems.append(Problem(where, _toml_line(path, err["loc"]), field=field, message=msg,
                                    found=None if found is None else str(found)))
        raise TemplateError(problems) from None
    missing = [f for f in theme.print_fonts() if not theme.font_path(f).is_file()]
    if missing:
        raise TemplateError([Problem(where, _find_line(path, f), field="fonts", message=f"字体文件 assets/fonts/{f} 不存在")
                             for f in missing])
    from generators.fonts import family_name

    for f in theme.print_fonts():
        family_name(theme.font_path(f))  # opens each font: a broken file is reported here, by name
    return theme


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
