"""主要指标一览 (the fact sheet): one registry entry, built by the CLI as a one-page A4 PDF and a .docx, listed on the
page; every row is a figure of data/ as published, with its unit, period and source."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators import products
from generators.load import specs as S
from tests.conftest import ROOT, make_doc, run_cli
from tests.ooxml_schema import validate

A4 = (595.3, 841.9)  # points


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("factsheet-out")
    res = run_cli("build", "--root", str(ROOT), "--out", str(out), "--only", "factsheet", "--quiet", "--force")
    assert res.code == 0, res.err
    return out


def _expected(dataset) -> list[tuple[str, str, str, str]]:
    """(number, unit, period label, source name) of every figure the text file lists, looked up in data/."""
    from generators.documents.common import source_name
    from generators.load import refs as R
    from generators.load.format import period_label

    spec = dataset.text("factsheet", S.FactsheetSpec)
    out = []
    for g in spec.groups:
        for item in g.figures:
            ref = R.parse_plain_ref(item.ref)
            period = str(dataset.year) if ref.period == "Y" else ref.period
            f = dataset.figures[(ref.indicator, period, ref.scope or "")]
            out.append((f.text, f.unit, period_label(f.period), source_name(dataset, f.source)))
    return out


def it_is_one_registry_entry_with_two_formats_and_its_own_text_file():
    p = products.get("factsheet")
    assert [f.suffix for f in p.formats] == [".pdf", ".docx"] and p.web
    assert products.text_files()["factsheet"].path == "texts/factsheet.yaml"
    assert "factsheet" in products.offered()


def it_builds_a_one_page_a4_pdf_with_every_figure_as_published(built: Path, dataset):
    from pypdf import PdfReader

    pdf = PdfReader(built / "key-figures.pdf")
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == A4
    text = pdf.pages[0].extract_text().replace(" ", "")
    for number, unit, period, source in _expected(dataset):
        assert number in text and unit in text and period in text and source in text, (number, unit, period)
    assert "增长6.3%" in text  # the GDP growth as words, next to its figure


def it_builds_a_schema_valid_docx_with_the_same_rows(built: Path, dataset):
    import docx

    path = built / "key-figures.docx"
    assert validate(path) == []
    d = docx.Document(str(path))
    rows = [[c.text for c in r.cells] for t in d.tables for r in t.rows[1:]]
    assert [(r[1], r[2], r[3]) for r in rows] == [(n, u, p) for n, u, p, _s in _expected(dataset)]
    sources = [p.text for p in d.paragraphs if p.text.startswith("资料来源：")]
    assert len(sources) == len(d.tables) and all(any(s in t for t in sources) for *_x, s in _expected(dataset))


def it_drops_the_row_of_an_unpublished_edition_year_figure(project: Path):
    """A figure of `@Y` missing in the edition year is left out (the `figures` policy), not printed as a gap."""
    from generators.project import Project

    csv = project / "data" / "figures" / "fyp14.csv"
    lines = [ln for ln in csv.read_text(encoding="utf-8").splitlines(keepends=True) if not ln.startswith("new_urban_jobs,2024,")]
    csv.write_text("".join(lines), encoding="utf-8")
    settings = project / "data" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("figures: earlier", "figures: drop"), encoding="utf-8")
    doc = make_doc("factsheet", project=Project(project, 2024))
    labels = [r[0] for s in doc.sections for b in s.blocks if hasattr(b, "rows") for r in b.rows]
    assert "新增城镇就业" not in labels and "地区生产总值" in labels


def it_is_listed_on_the_documents_page(built: Path, tmp_path: Path):
    import shutil

    from tests.test_web_api import client, make_project

    proj = make_project(tmp_path / "p")
    shutil.copytree(built, proj / "out", dirs_exist_ok=True)
    docs = client(proj).get("/api/documents").json()
    entry = next(p for p in docs["products"] if p["product"] == "factsheet")
    assert entry["label"] == products.get("factsheet").label and entry["built"]
    assert sorted(f["path"] for f in entry["files"]) == ["key-figures.docx", "key-figures.pdf"]
