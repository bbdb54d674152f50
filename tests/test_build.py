"""Build orchestration: outputs, manifest, skip unchanged, byte-identical rebuilds, no half-written out/."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import pytest

from tests.conftest import run_cli, tree_digest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tests.conftest import ROOT

    out = tmp_path_factory.mktemp("out")
    res = run_cli("build", "--root", str(ROOT), "--out", str(out), "--quiet", "--force")
    assert res.code == 0, res.err
    return out


def it_builds_every_product_with_a_manifest(built: Path):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition_year"] == 2024
    files = manifest["files"]
    assert "congress-review-deck.pptx" in files and "fyp14-summary.pdf" in files
    assert sum(1 for f in files if f.startswith("briefings/")) >= 5
    for rel, entry in files.items():
        data = (built / rel).read_bytes()
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert len(entry["inputs"]) == 64


def it_is_byte_identical_when_built_again(built: Path, tmp_path: Path):
    from tests.conftest import ROOT

    again = tmp_path / "again"
    res = run_cli("build", "--root", str(ROOT), "--out", str(again), "--quiet", "--force", "--jobs", "2")
    assert res.code == 0, res.err
    assert tree_digest(again) == tree_digest(built)


def it_skips_unchanged_documents(project: Path):
    out = project / "out"
    assert run_cli("build", "--root", str(project), "--out", str(out), "--quiet", "--only", "summary").code == 0
    before = tree_digest(out)
    mtime = (out / "fyp14-summary.pdf").stat().st_mtime_ns
    res = run_cli("build", "--root", str(project), "--out", str(out), "--quiet", "--only", "summary")
    assert res.code == 0
    assert (out / "fyp14-summary.pdf").stat().st_mtime_ns == mtime
    assert tree_digest(out) == before
    # A data change rebuilds.
    p = project / "data/figures/fyp14.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("gdp,2024,,461.71", "gdp,2024,,461.72"), encoding="utf-8")
    assert run_cli("build", "--root", str(project), "--out", str(out), "--quiet", "--only", "summary").code == 0
    assert tree_digest(out)["fyp14-summary.pdf"] != before["fyp14-summary.pdf"]


def it_leaves_out_untouched_when_a_writer_fails(project: Path, monkeypatch):
    out = project / "out"
    (out / "old.txt").write_text("旧文件", encoding="utf-8")
    before = tree_digest(out)

    def boom(*_a, **_k):
        raise RuntimeError("模拟的写入失败")

    import generators.writers.pdf as pdf

    monkeypatch.setattr(pdf, "write", boom)
    res = run_cli("build", "--root", str(project), "--out", str(out), "--force", "--jobs", "1")
    assert res.code == 1 and "Traceback" not in res.err and "内部错误" in res.err
    assert tree_digest(out) == before  # the work folder inside out/ is gone too
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".reportgen")]


def it_serialises_two_builds_into_the_same_folder(project: Path):
    out = project / "out"
    results = []

    def go():
        results.append(run_cli("build", "--root", str(project), "--out", str(out), "--quiet", "--force",
                               "--only", "summary"))

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.code for r in results] == [0, 0]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (out / "fyp14-summary.pdf").stat().st_size == manifest["files"]["fyp14-summary.pdf"]["size"]


def it_checks_without_writing(project: Path):
    before = tree_digest(project)
    res = run_cli("check", "--root", str(project))
    assert res.code == 0, res.err
    assert "检查通过" in res.out
    after = tree_digest(project)
    assert before == after


def it_remembers_passing_template_checks_but_rechecks_a_changed_template(project: Path):
    """A build skips re-opening templates that passed unchanged; a template broken afterwards is still caught."""
    assert run_cli("build", "--root", str(project), "--only", "deck", "--jobs", "1", "--quiet").code == 0
    cache = json.loads((project / "build" / "cache" / "template-checks.json").read_text(encoding="utf-8"))
    assert cache  # the deck's check passed and is remembered
    deck = project / "templates" / "deck.pptx"
    deck.write_bytes(deck.read_bytes()[:2000])  # truncated, as an interrupted copy leaves it
    res = run_cli("build", "--root", str(project), "--only", "deck", "--jobs", "1", "--quiet", "--force")
    assert res.code == 2 and "deck.pptx" in res.err
