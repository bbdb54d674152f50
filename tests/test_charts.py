"""Charts: every spec renders from real figures, deterministically, with our fonts; every document's text has glyphs."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from generators.documents.common import Context, chart
from generators.fonts import cmap
from tests.conftest import all_documents

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def charts(dataset):
    ctx = Context(dataset, dataset.year, ROOT / "assets" / "images")
    return [chart(ctx, cid) for cid in dataset.charts]


def it_has_at_least_eight_distinct_charts_each_shown_somewhere(dataset, env, charts):
    assert len(charts) >= 8
    used = set()
    for _product, _k, doc in all_documents():
        used |= {c.data.id for c in doc.charts()}
    assert used == set(dataset.charts), set(dataset.charts) - used


def it_plots_only_figures_from_the_data(dataset, charts):
    """Every plotted value is a recorded figure (converted to the chart's unit), never an invented number."""
    from generators import units

    for c in charts:
        possible = {round(float(units.convert(f.value, f.unit, c.data.unit)), 6)
                    for f in dataset.figures.values() if units.convertible(f.unit, c.data.unit)}
        for s in c.data.series:
            assert s.values and len(s.values) == len(c.data.categories)
            for v in s.values:
                assert round(v, 6) in possible, (c.data.id, v)


def it_renders_every_chart_as_vector_svg_with_real_text(env, charts):
    family = env.charts.families()["caption"]
    for c in charts:
        svg = env.charts.svg(c.data).decode()
        assert f"font-family: '{family}'" in svg
        assert "DejaVu" not in svg
        for label in c.data.categories:
            assert label.split("\n")[0][:4] in svg.replace("\n", ""), (c.data.id, label)


def it_renders_every_chart_as_png_at_print_resolution(env, charts):
    for c in charts:
        png = env.charts.png(c.data)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width = struct.unpack(">I", png[16:20])[0]
        dpi = width / (env.theme.chart.width_mm / 25.4)
        assert dpi >= 299, (c.data.id, dpi)


def it_renders_byte_identical_charts(env, charts):
    from generators.charts import ChartRenderer

    fresh = ChartRenderer(env.theme)  # no cache: really drawn again
    for c in charts[:4]:
        assert fresh.svg(c.data) == env.charts.svg(c.data)
        assert fresh.png(c.data) == env.charts.png(c.data)


def it_has_a_glyph_for_every_character_of_every_document(dataset, env):
    theme = env.theme
    fonts = [theme.font_path(theme.role(r).print) for r in ("title", "heading", "body", "figure", "caption")]
    for product, k, doc in all_documents():
        for text in doc.texts():
            for font in fonts:
                missing = {ch for ch in text if ord(ch) not in cmap(font) and not ch.isspace()}
                assert not missing, (product, k, font.name, missing, text[:30])


def it_refuses_a_chart_text_the_font_cannot_draw(env, charts):
    from dataclasses import replace

    from generators.charts import ChartRenderer
    from generators.errors import InputError

    bad = replace(charts[0].data, categories=("𠀀" + charts[0].data.categories[0], *charts[0].data.categories[1:]))
    with pytest.raises(InputError) as exc:
        ChartRenderer(env.theme).svg(bad)
    assert "U+20000" in str(exc.value)


def it_remembers_a_passing_style_check_and_never_a_failing_one(tmp_path, monkeypatch):
    """A build does not import matplotlib only to re-check an unchanged style file; a bad file is always reported."""
    from generators.charts import style as S
    from generators.errors import TemplateError
    from tests.conftest import ROOT

    path = tmp_path / "charts.mplstyle"
    path.write_bytes((ROOT / "templates" / "charts.mplstyle").read_bytes())
    first = S.load_chart_style(path, tmp_path / "cache")

    def no_matplotlib():
        raise AssertionError("checked again")

    monkeypatch.setattr(S, "_validators", no_matplotlib)
    assert S.load_chart_style(path, tmp_path / "cache") == first  # from the cache
    monkeypatch.undo()
    path.write_text(path.read_text(encoding="utf-8") + "\ntext.usetex: True\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(TemplateError) as err:
            S.load_chart_style(path, tmp_path / "cache")
        assert "text.usetex" in str(err.value)


def it_starts_no_font_program_and_lists_no_system_font(tmp_path):
    """matplotlib's first import would run `fc-list` (found on PATH) and list the machine's fonts: with the seeded
    list (charts/mplenv.py) no program starts, and only matplotlib's own fonts and ours are known."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "ran"
    (bin_dir / "fc-list").write_text(f"#!/bin/sh\necho ran >> '{marker}'\n", encoding="utf-8")
    (bin_dir / "fc-list").chmod(0o755)
    code = ("import sys; from pathlib import Path; from generators.charts import mplenv; "
            "mplenv.isolate(Path(sys.argv[1])); import matplotlib; matplotlib.use('Agg'); "
            "mplenv.add_fonts([Path(sys.argv[2])]); from matplotlib import font_manager as fm; "
            "print('\\n'.join(sorted({Path(f.fname).parent.name for f in fm.fontManager.ttflist})))")
    font = ROOT / "assets" / "fonts" / "NotoSansSC-Regular.ttf"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "cache"), str(font)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert not marker.exists(), "fc-list was run"
    assert set(res.stdout.split()) == {"ttf", "fonts"}  # mpl-data/fonts/ttf and assets/fonts, nothing else
    assert list((tmp_path / "cache" / "matplotlib").glob("fontlist-v*.json"))


def it_keeps_drawing_in_our_font_after_a_font_file_it_listed_is_gone(tmp_path: Path):
    """A long-lived process (the web server): a project folder whose fonts matplotlib listed is removed. matplotlib,
    finding the missing file, would rebuild its list from the machine's fonts and draw every later chart in DejaVu."""
    import os
    import shutil
    import subprocess
    import sys

    from tests.conftest import ROOT

    gone = tmp_path / "gone"
    gone.mkdir()
    shutil.copy(ROOT / "assets" / "fonts" / "NotoSansSC-Regular.ttf", gone / "NotoSansSC-Regular.ttf")
    code = ("import sys, warnings; from pathlib import Path; from generators.charts import mplenv; "
            "warnings.simplefilter('error'); mplenv.isolate(Path(sys.argv[1])); import matplotlib; matplotlib.use('Agg'); "
            "mplenv.add_fonts([Path(sys.argv[2])]); Path(sys.argv[2]).unlink(); "
            "mplenv.add_fonts([Path(sys.argv[3])]); from matplotlib import font_manager as fm; "
            "p = fm.findfont(fm.FontProperties(family='Noto Sans SC')); print(p)")
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "cache"), str(gone / "NotoSansSC-Regular.ttf"),
                          str(ROOT / "assets" / "fonts" / "NotoSansSC-Regular.ttf")],
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == str(ROOT / "assets" / "fonts" / "NotoSansSC-Regular.ttf")
