"""One theme, one truth: a changed main colour in theme.toml shows in the deck, the PDF and the Word styles."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tests.conftest import run_cli

NEW = "1F6E43"  # a green no template or theme of the project uses


def _pdf_has_fill(pdf: Path, hex_: str) -> bool:
    from pypdf import PdfReader
    from reportlab.lib.colors import HexColor
    from reportlab.lib.rl_accel import fp_str

    c = HexColor("#" + hex_)
    op = fp_str(c.red, c.green, c.blue)
    streams = [page.get_contents() for page in PdfReader(pdf).pages]
    return any(op in s.get_data().decode("latin-1") for s in streams if s is not None)


def it_shows_a_changed_primary_colour_in_all_three_documents(project: Path):
    theme = project / "templates" / "theme.toml"
    text = theme.read_text(encoding="utf-8")
    old = re.search(r'(?m)^primary = "#([0-9A-Fa-f]{6})"', text).group(1)
    theme.write_text(text.replace(f'primary = "#{old}"', f'primary = "#{NEW}"', 1), encoding="utf-8")
    out = project / "out"
    res = run_cli("build", "--root", str(project), "--out", str(out), "--jobs", "1", "--quiet")
    assert res.code == 0, res.err
    with zipfile.ZipFile(out / "congress-review-deck.pptx") as z:  # charts keep palette.chart: not compared
        theme_part = z.read("ppt/theme/theme1.xml").decode("utf-8").upper()
        slides = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("ppt/slides/")).upper()
    assert NEW in theme_part and old.upper() not in theme_part  # 着色 1, which the layouts' reds refer to
    assert NEW in slides and old.upper() not in slides  # cards and rules the writer colours
    assert _pdf_has_fill(out / "fyp14-summary.pdf", NEW)
    from generators import products
    from generators.project import Project

    ctx = Project(project)
    briefings = products.get("briefings")
    jianbao = [briefings.output_name(briefings.stem(ctx.dataset, k)) for k, spec in ctx.dataset.briefings.items()
               if spec.preset == "简报"]  # 公文 is black by GB/T 9704, not the theme's
    assert jianbao
    for rel in jianbao:
        with zipfile.ZipFile(out / rel) as z:
            styles = z.read("word/styles.xml").decode("utf-8").upper()
        assert NEW in styles and old.upper() not in styles, rel
    # the check still names the templates' own (now overridden) colour, so a designer knows
    res = run_cli("check", "--root", str(project))
    assert res.code == 0 and "palette.primary" in res.out
