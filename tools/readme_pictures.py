"""`make pictures`: the README's pictures (docs/images/*.png), made from a preview run.

    python tools/readme_pictures.py [--root .] [--dest docs/images]

- deck.png      four slides (cover, key figures, a chart, closing), 2 × 2
- summary.png   four A4 pages of the PDF (cover, headline figures, a chapter with a chart, appendix)
- briefing.png  the first page of a 简报-look and of a 公文-look briefing, side by side

Pages are chosen by what they are (slide layout, page text, briefing preset), not by number, so the
pictures follow the content. Each picture is 1400 px wide, palette PNG, at most 250 KB; the same inputs
give the same bytes (LibreOffice, poppler and Pillow are deterministic here; no dates are drawn).
Needs LibreOffice and poppler, like `reportgen preview`. The preview goes to build/readme-preview/,
never to preview/ or out/.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WIDTH = 1400
BUDGET = 250 * 1024
DPI = 110  # rendered larger than shown, then reduced: sharper text than 80 dpi scaled up
MARGIN, GUTTER = 28, 24
BACKGROUND = "#E9E6E1"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this checkout)")
    ap.add_argument("--dest", type=Path, default=None, help="where the pictures go (default ROOT/docs/images)")
    args = ap.parse_args()
    root = args.root.resolve()
    dest = (args.dest or root / "docs" / "images").resolve()

    from generators.cli_preview import report_error
    from generators.preview import PreviewOptions, run_preview

    try:
        made = run_preview(PreviewOptions(root=root, out=root / "build" / "readme-preview", dpi=DPI, quiet=True))
    except Exception as exc:  # noqa: BLE001 - the same Chinese messages as reportgen
        report_error(exc)
        return 2 if getattr(exc, "exit_code", 1) == 2 else 1
    deck = next(d for d in made if d.product == "deck")
    summary = next(d for d in made if d.product == "summary")
    dest.mkdir(parents=True, exist_ok=True)

    written = [
        save(grid([deck.pages[i] for i in deck_picks(deck.source)], cols=2), dest / "deck.png"),
        save(grid([summary.pages[i] for i in summary_picks(root, summary.source)], cols=4), dest / "summary.png"),
        save(grid(briefing_picks(root, {d.source.stem: d.pages[0] for d in made if d.product == "briefings"}),
                  cols=2), dest / "briefing.png"),
    ]
    for path in written:
        print(f"{path.relative_to(root) if path.is_relative_to(root) else path}  {path.stat().st_size // 1024} KB")
    return 0


# ---- which pages ------------------------------------------------------------------------------

def deck_picks(pptx: Path) -> list[int]:
    """Cover, the first key-figure slide, the first doughnut chart (else the first chart), the closing slide."""
    from pptx import Presentation
    from pptx.enum.chart import XL_CHART_TYPE

    slides = list(Presentation(str(pptx)).slides)
    layout = [s.slide_layout.name for s in slides]

    def first(name: str, default: int = 0) -> int:
        return layout.index(name) if name in layout else default

    charts = [i for i, s in enumerate(slides) if any(sh.has_chart for sh in s.shapes)]
    doughnut = [i for i in charts if any(sh.has_chart and sh.chart.chart_type == XL_CHART_TYPE.DOUGHNUT
                                         for sh in slides[i].shapes)]
    return [first("封面"), first("数字力量", 1), (doughnut or charts or [2])[0], first("结束", len(slides) - 1)]


def summary_picks(root: Path, pdf: Path) -> list[int]:
    """Cover, the headline figures, the first chapter that opens with a chart on its page, the appendix table.

    Pages are found by text the document model says they hold (page text without spaces).
    """
    from generators import model as M
    from generators import products
    from generators.project import Project

    project = Project(root)
    ds = project.dataset
    doc = products.get("summary").make(project, None)
    texts = ["".join(t.split()) for t in page_texts(pdf)]

    def page_with(*needles: str, after: int = 0) -> int | None:
        keys = ["".join(n.split()) for n in needles]
        return next((i for i, t in enumerate(texts) if i >= after and all(k in t for k in keys)), None)

    blocks = [b for s in doc.sections for b in s.blocks]
    cards = next(b for b in blocks if isinstance(b, M.KeyFigures))
    headline = page_with(project.labels.headline.format(year=ds.year), cards.items[0].value.number) or 1
    def opens_with_chart(s: M.Section) -> int | None:
        """The page a chapter starts on, if its first chart is on that page too."""
        charts = [b for b in s.blocks if isinstance(b, M.Chart)]
        opener = page_with(s.title)
        if opener is not None and charts and page_with(f"图{charts[0].number}", after=opener) == opener:
            return opener
        return None

    openers = [opens_with_chart(s) for s in doc.sections if s.kind == "chapter"]
    chapter = next((i for i in openers if i is not None), min(4, len(texts) - 1))
    appendix = page_with(project.labels.appendix_table) or len(texts) - 1
    return [0, headline, chapter, appendix]


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def briefing_picks(root: Path, pages: dict[str, Path]) -> list[Path]:
    """First page of the fullest 简报-look briefing and of the fullest 公文-look one (`pages`: name → page 1)."""
    from PIL import Image

    from generators import products
    from generators.project import Project

    project = Project(root)
    ds = project.dataset
    preset = {products.get("briefings").make(project, k).name: ds.briefings[k].preset for k in sorted(ds.briefings)}

    def ink(path: Path) -> int:
        with Image.open(path) as im:
            return sum(im.convert("L").point(lambda v: 255 if v < 200 else 0).histogram()[255:])

    picks = []
    for look in ("简报", "公文"):
        names = sorted(n for n in pages if preset.get(n) == look)
        if names:
            picks.append(pages[max(names, key=lambda n: (ink(pages[n]), n))])
    return picks


# ---- pictures ----------------------------------------------------------------------------------

def grid(pages: list[Path], cols: int):
    """Pages side by side on a warm grey ground, `cols` a row, scaled to WIDTH with a soft edge line."""
    from PIL import Image, ImageDraw

    cols = min(cols, len(pages))
    cell_w = (WIDTH - 2 * MARGIN - (cols - 1) * GUTTER) // cols
    thumbs = []
    for p in pages:
        with Image.open(p) as im:
            im = im.convert("RGB")
            thumbs.append(im.resize((cell_w, round(im.height * cell_w / im.width)), Image.LANCZOS))
    rows = -(-len(thumbs) // cols)
    cell_h = max(t.height for t in thumbs)
    height = 2 * MARGIN + rows * cell_h + (rows - 1) * GUTTER
    sheet = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for i, t in enumerate(thumbs):
        x = MARGIN + (i % cols) * (cell_w + GUTTER)
        y = MARGIN + (i // cols) * (cell_h + GUTTER)
        draw.rectangle((x + 3, y + 3, x + t.width + 3, y + t.height + 3), fill="#CFCAC2")  # shadow
        sheet.paste(t, (x, y))
        draw.rectangle((x - 1, y - 1, x + t.width, y + t.height), outline="#B9B3AA")
    return sheet


def save(image, path: Path) -> Path:
    """Palette PNG within the budget: fewer colours until it fits (text stays sharp at 64 colours)."""
    image = image.point(lambda v: 255 if v >= 250 else v)  # near-white (chart backgrounds) to the paper's white
    for colours in (256, 192, 128, 96, 64):
        quant = image.quantize(colors=colours, method=0, dither=0)  # median cut, no dither: deterministic
        quant.save(path, optimize=True)
        if path.stat().st_size <= BUDGET:
            return path
    raise SystemExit(f"{path} 超过 {BUDGET // 1024} KB：请减少页数或宽度")


if __name__ == "__main__":
    sys.exit(main())
