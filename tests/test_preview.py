"""The designer's loop: `check` enforces the template contracts, `preview` renders every page, `watch` rebuilds
only what changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_cli

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装")

FYP = "data/figures/fyp14.csv"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- template contracts through `reportgen check` ------------------------------------------


def it_names_a_renamed_deck_layout(project: Path):
    from pptx import Presentation

    path = project / "templates" / "deck.pptx"
    prs = Presentation(str(path))
    layout = next(x for x in prs.slide_layouts if x.name == "数字力量")
    layout._element.cSld.set("name", "数字")
    prs.save(str(path))
    res = run_cli("check", "--root", str(project))
    assert res.code == 2, res.err
    assert "deck.pptx" in res.err and "“数字力量”" in res.err and "重命名版式" in res.err
    assert "Traceback" not in res.err


def it_rejects_a_truncated_deck_template(project: Path):
    path = project / "templates" / "deck.pptx"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    res = run_cli("check", "--root", str(project))
    assert res.code == 2, res.err
    assert "deck.pptx" in res.err and "无法打开" in res.err and "Traceback" not in res.err


def it_rejects_a_word_template_with_broken_xml(project: Path):
    path = project / "templates" / "briefing-简报.docx"
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:
        for info, data in items:
            dst.writestr(info, b"<w:styles" if info.filename == "word/styles.xml" else data)
    res = run_cli("check", "--root", str(project))
    assert res.code == 2, res.err
    assert "briefing-简报.docx" in res.err and "无法打开" in res.err and "内部错误" not in res.err


# ---- preview ---------------------------------------------------------------------------------


def it_refuses_an_unknown_product(project: Path, tmp_path: Path):
    res = run_cli("preview", "--root", str(project), "--only", "poster", "--out", str(tmp_path / "pv"))
    assert res.code == 2 and "poster" in res.err


def it_says_how_to_install_missing_programs(project: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to find
    monkeypatch.delenv("REPORTGEN_SOFFICE", raising=False)
    res = run_cli("preview", "--root", str(project), "--only", "deck", "--out", str(tmp_path / "pv"))
    assert res.code == 1, res.err
    assert "找不到 LibreOffice" in res.err and "apt-get install" in res.err and "brew" in res.err
    assert "Traceback" not in res.err and not (tmp_path / "pv").exists()
    # The PDF needs no external program at all: PDFium (a wheel) draws its pages, so poppler is not needed.
    res = run_cli("preview", "--root", str(project), "--only", "summary", "--out", str(tmp_path / "pv"), "--quiet")
    assert res.code == 0, res.err
    assert sorted(p.name for p in (tmp_path / "pv" / "summary").glob("page-*.png"))[0] == "page-01.png"


def it_renders_every_page_of_the_summary_and_a_contact_sheet(project: Path, tmp_path: Path):
    from PIL import Image

    pv = tmp_path / "pv"
    res = run_cli("preview", "--root", str(project), "--only", "summary", "--out", str(pv), "--quiet")
    assert res.code == 0, res.err
    assert not any((project / "out").iterdir()), "preview must not write into out/"
    pdf = project / "build" / "preview" / "docs" / "fyp14-summary.pdf"
    pages = sorted((pv / "summary").glob("page-*.png"))
    assert len(pages) == _pdf_pages(pdf) > 1
    assert [p.name for p in pages[:2]] == ["page-01.png", "page-02.png"]
    with Image.open(pages[0]) as im:
        assert abs(im.width - round(210 / 25.4 * 80)) <= 2 and abs(im.height - round(297 / 25.4 * 80)) <= 2
    sheet = pv / "summary" / "contact-sheet.png"
    with Image.open(sheet) as im:
        assert im.width > 800 and im.height > 300
    assert not (pv / "deck").exists() and not (pv / "briefings").exists()

    # Unchanged: nothing is rendered again.
    mtime = pages[0].stat().st_mtime_ns
    again = run_cli("preview", "--root", str(project), "--only", "summary", "--out", str(pv))
    assert again.code == 0 and "未变化" in again.out
    assert pages[0].stat().st_mtime_ns == mtime


@needs_soffice
def it_renders_every_slide_of_the_deck(project: Path, tmp_path: Path):
    from PIL import Image
    from pptx import Presentation

    pv = tmp_path / "pv"
    res = run_cli("preview", "--root", str(project), "--only", "deck", "--out", str(pv), "--quiet")
    assert res.code == 0, res.err
    deck = project / "build" / "preview" / "docs" / "congress-review-deck.pptx"
    slides = sorted((pv / "deck").glob("slide-*.png"))
    assert len(slides) == len(Presentation(str(deck)).slides) > 10
    assert len(slides) == _pdf_pages(pv / "deck" / "congress-review-deck.pdf")
    with Image.open(slides[0]) as im:
        assert im.width > im.height  # 16:9 slides, not portrait pages
    assert (pv / "deck" / "contact-sheet.png").is_file()


# ---- watch -------------------------------------------------------------------------------------


def it_knows_which_products_a_file_feeds(project: Path):
    from generators import preview as P
    from generators import products as R

    chosen = R.choose([])
    products = [p.name for p in chosen]
    before = P.inputs_by_product(project, chosen)
    assert P.affected({"templates/deck.pptx"}, before, before) == ["deck"]
    assert P.affected({"data/briefings/economy.yaml"}, before, before) == ["briefings"]
    assert P.affected({"templates/briefing-公文.docx"}, before, before) == ["briefings"]
    assert P.affected({FYP}, before, before) == products
    assert P.affected({"templates/theme.toml"}, before, before) == products
    # A deleted briefing spec still counts for the briefings.
    (project / "data/briefings/economy.yaml").unlink()
    assert P.affected({"data/briefings/economy.yaml"}, before, P.inputs_by_product(project, chosen)) == ["briefings"]


def it_ignores_office_lock_files(project: Path):
    from generators import preview as P

    snap = P.snapshot(project)
    assert FYP in snap and "templates/deck.pptx" in snap and any(k.startswith("assets/fonts/") for k in snap)
    (project / "templates" / "~$deck.pptx").write_bytes(b"lock")
    (project / "data" / "figures" / ".~lock.fyp14.csv#").write_text("lock", encoding="utf-8")
    (project / "data" / ".DS_Store").write_bytes(b"finder")
    assert P.snapshot(project) == snap
    # The build reads inputs by the same rule: a lock file or .DS_Store never makes a document stale.
    from generators import products as R
    from generators.project import Project

    assert not {p.name for p in Project(project).inputs(R.get("deck"))} & {"~$deck.pptx", ".DS_Store"}


def _built_summary(project: Path) -> Path:
    res = run_cli("build", "--root", str(project), "--out", str(project / "out"), "--only", "summary", "--quiet")
    assert res.code == 0, res.err
    return project / "out" / "fyp14-summary.pdf"


def it_does_nothing_while_nothing_changes(project: Path):
    pdf = _built_summary(project)
    mtime = pdf.stat().st_mtime_ns
    res = run_cli("watch", "--root", str(project), "--only", "summary", "--interval", "0.1", "--max-cycles", "5")
    assert res.code == 0, res.err
    assert "有变化" not in res.err and "✓" not in res.err
    assert pdf.stat().st_mtime_ns == mtime


def _watch_with(monkeypatch, on_sleep) -> None:
    """`reportgen watch` as typed, its pauses handed to `on_sleep(reported)` (the problems reported so far) before a
    short real pause: each step happens once the watcher is at it, not at a guessed moment of a busy machine."""
    import time

    import generators.preview as P

    real = P.watch
    reported: list[BaseException] = []

    def sleep(seconds: float) -> None:
        on_sleep(reported)
        time.sleep(min(seconds, 0.05))

    def watch(opts, report):
        return real(opts, lambda exc: (reported.append(exc), report(exc)), sleep=sleep)

    monkeypatch.setattr(P, "watch", watch)


def it_rebuilds_after_a_change_and_survives_bad_input(project: Path, monkeypatch):
    pdf = _built_summary(project)
    before = _sha(pdf)
    csv = project / FYP
    good = csv.read_text(encoding="utf-8")
    assert "gdp,2024,,461.71" in good

    def break_it() -> None:
        csv.write_text(good + "gdp,2030\n", encoding="utf-8")  # wrong column count

    def fix_it() -> None:
        csv.write_text(good.replace("gdp,2024,,461.71", "gdp,2024,,461.72"), encoding="utf-8")

    steps = {"broken": False, "fixed": False}

    def on_sleep(reported: list[BaseException]) -> None:
        if not steps["broken"]:
            steps["broken"] = True
            break_it()
        elif reported and not steps["fixed"]:  # the watcher has said what is wrong: now the user fixes it
            steps["fixed"] = True
            fix_it()

    _watch_with(monkeypatch, on_sleep)
    res = run_cli("watch", "--root", str(project), "--only", "summary", "--interval", "0.2", "--max-cycles", "30")
    assert res.code == 0, res.err
    assert steps["fixed"], res.err
    assert "输入有误" in res.err and "fyp14.csv" in res.err and "列数" in res.err, res.err
    assert "继续监视" in res.err
    assert "重新生成：summary" in res.err
    assert "Traceback" not in res.err
    assert _sha(pdf) != before  # the fixed data was built


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to itself")
def it_stops_cleanly_on_ctrl_c(project: Path, monkeypatch):
    _built_summary(project)
    # a real SIGINT, sent once the watcher is watching (its first pause); max-cycles only as a safety net
    _watch_with(monkeypatch, lambda reported: os.kill(os.getpid(), signal.SIGINT))
    res = run_cli("watch", "--root", str(project), "--only", "summary", "--interval", "0.1", "--max-cycles", "300")
    assert res.code == 0 and "已停止监视" in res.err, res.err
