"""Editions: each year's documents, once built, are kept as published; another year's build never replaces them.

Every 2025 value is SYNTHETIC and FAKE (2024 × 1.05); it exists only in pytest's temporary copy of the project.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, tree_digest
from tests.test_web_api import client, make_project
from tests.test_web_jobs import fill

YEAR = 2025
QUICK = ("--only", "briefings", "--jobs", "1", "--quiet")


def _build(proj: Path, *extra: str):
    return run_cli("build", "--root", str(proj), *extra)


def _import_2025(proj: Path, tmp: Path) -> None:
    c = client(proj)
    book = tmp / "2025.xlsx"
    book.write_bytes(fill(c.get("/api/yearly/workbook", params={"year": YEAR}).content))
    res = run_cli("import", str(book), "--root", str(proj))
    assert res.code == 0, res.err


def _part(digest: dict[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix):]: v for k, v in digest.items() if k.startswith(prefix)}


def _top(digest: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in digest.items() if not k.startswith("editions/")}


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """2024 built (everything), then a 2025 bulletin imported; returns the project and out/ after the 2024 build."""
    proj = make_project(tmp_path / "proj")
    assert _build(proj, "--quiet", "--jobs", "2").code == 0
    first = tree_digest(proj / "out")
    _import_2025(proj, tmp_path)
    return proj, first


def it_keeps_the_2024_edition_when_2025_is_built_and_serves_both_byte_identical(two):
    proj, first = two
    out = proj / "out"
    kept = _part(first, "editions/2024/")
    assert kept.pop("data-state.json") and _top(first) == kept  # the current edition is also at the top
    log = proj / "build.log"
    res = _build(proj, "--quiet", "--jobs", "2", "--log", str(log))
    assert res.code == 0 and res.err == "", res.err  # --quiet: nothing but errors
    after = tree_digest(out)
    assert _part(after, "editions/2024/") == _part(first, "editions/2024/")  # untouched by the 2025 build
    top = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert top["edition_year"] == YEAR
    assert {k: after[k] for k in top["files"]} == {k: after[f"editions/{YEAR}/{k}"] for k in top["files"]}
    text = log.read_text(encoding="utf-8")
    assert f"发布 {YEAR} 年版本" in text and "它是当前版本" in text  # the log says which edition it published

    listed = run_cli("editions", "--root", str(proj))
    assert listed.code == 0 and f"{YEAR}年（当前版本" in listed.out and "2024年：" in listed.out
    assert "有变化" in listed.out.split("2024年：")[1]  # the 2024 edition was built before the 2025 import

    c = client(proj)
    eds = {e["year"]: e for e in c.get("/api/editions").json()["editions"]}
    assert set(eds) == {YEAR, 2024} and eds[YEAR]["current"] and not eds[2024]["current"]
    for year in (2024, YEAR):
        for f in eds[year]["files"]:
            got = c.get(f["url"])
            assert got.status_code == 200, f
            assert got.content == (out / "editions" / str(year) / f["path"]).read_bytes()
    assert c.get("/editions/2024/..%2F..%2Fmanifest.json").status_code == 404
    assert c.get("/editions/2024/manifest.json").status_code == 404  # only the documents it lists
    assert c.get("/editions/2023/fyp14-summary.pdf").status_code == 404

    state = json.loads((out / "editions" / str(YEAR) / "data-state.json").read_text(encoding="utf-8"))
    assert state["edition_year"] == YEAR and "gdp@2025" in state["figures"]
    assert "data/figures/yearly-2025.csv" in state["files"]


@pytest.mark.parametrize("fail_at", [1, 8, 16, 25])  # 8 old files aside, 16 new in, the manifest last
def it_leaves_every_edition_byte_identical_when_the_2025_publish_fails(two, monkeypatch, fail_at: int):
    from generators import publish

    proj, first = two
    calls = {"n": 0}

    def move(src, dst):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(28, "No space left on device")
        os.replace(src, dst)

    monkeypatch.setattr(publish, "_move", move)
    res = _build(proj, "--quiet", "--jobs", "1")
    assert res.code != 0 and "Traceback" not in res.err
    assert tree_digest(proj / "out") == first


def it_leaves_every_edition_byte_identical_on_ctrl_c(two, monkeypatch):
    from generators import publish

    proj, first = two
    calls = {"n": 0}

    def move(src, dst):
        calls["n"] += 1
        if calls["n"] == 12:
            raise KeyboardInterrupt
        os.replace(src, dst)

    monkeypatch.setattr(publish, "_move", move)
    assert _build(proj, "--quiet", "--jobs", "1").code == 130
    assert tree_digest(proj / "out") == first


def it_rebuilds_an_older_year_into_its_own_edition_only(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    assert _build(proj, *QUICK).code == 0
    _import_2025(proj, tmp_path)
    assert _build(proj, *QUICK).code == 0
    before = tree_digest(proj / "out")
    spec = proj / "data/briefings/economy.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("title:", "title: 新", 1), encoding="utf-8")
    log = tmp_path / "old.log"
    assert _build(proj, "--year", "2024", *QUICK, "--log", str(log)).code == 0
    after = tree_digest(proj / "out")
    assert _top(after) == _top(before)  # the current (2025) edition at the top is not replaced by 2024
    assert _part(after, f"editions/{YEAR}/") == _part(before, f"editions/{YEAR}/")
    assert _part(after, "editions/2024/") != _part(before, "editions/2024/")
    assert "当前版本仍是" in log.read_text(encoding="utf-8")


def it_adopts_an_out_folder_from_before_editions_were_kept(tmp_path: Path):
    import shutil

    proj = make_project(tmp_path / "proj")
    assert _build(proj, *QUICK).code == 0
    shutil.rmtree(proj / "out" / "editions")  # out/ as an earlier version of the tool left it
    old = tree_digest(proj / "out")
    _import_2025(proj, tmp_path)
    assert _build(proj, *QUICK).code == 0
    after = tree_digest(proj / "out")
    kept = _part(after, "editions/2024/")
    assert {k: v for k, v in kept.items()} == old  # the 2024 set, manifest included, kept as it was published


def it_prunes_only_on_purpose(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    assert _build(proj, *QUICK).code == 0
    alone = run_cli("editions", "--root", str(proj), "--prune", "2024")
    assert alone.code == 2 and "唯一" in alone.err  # the only edition, and the current one
    _import_2025(proj, tmp_path)
    assert _build(proj, *QUICK).code == 0
    before = tree_digest(proj / "out")
    assert run_cli("editions", "--root", str(proj), "--prune", "2023").code == 2
    assert tree_digest(proj / "out") == before
    gone = run_cli("editions", "--root", str(proj), "--prune", str(YEAR))  # the current one: 2024 back at the top
    assert gone.code == 0, gone.err
    after = tree_digest(proj / "out")
    assert not (proj / "out" / "editions" / str(YEAR)).exists()
    kept = _part(before, "editions/2024/")
    assert kept.pop("data-state.json") and _top(after) == kept


def it_never_writes_an_edition_through_a_link_out_of_the_output_folder(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (proj / "out" / "editions").symlink_to(outside, target_is_directory=True)
    res = _build(proj, *QUICK)
    assert res.code == 2, res.err
    assert list(outside.iterdir()) == []


def it_never_touches_a_kept_edition_named_in_the_top_level_manifest(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    assert _build(proj, *QUICK).code == 0
    _import_2025(proj, tmp_path)
    out = proj / "out"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    evil = "editions/2024/briefings/经济运行简报.docx"
    manifest["products"]["briefings"]["files"].append(evil)
    manifest["files"][evil] = {"size": 1, "sha256": "0" * 64}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    kept = _part(tree_digest(out), "editions/2024/")
    assert _build(proj, *QUICK).code == 0  # 2025 becomes current: the top's other files go, never an edition's
    assert _part(tree_digest(out), "editions/2024/") == kept


def it_rolls_back_a_2025_publish_killed_outright_at_the_next_start(two, monkeypatch):
    from generators import publish

    proj, first = two

    class Killed(BaseException):
        pass

    calls = {"n": 0}

    def move(src, dst):
        calls["n"] += 1
        if calls["n"] == 14:
            raise Killed
        os.replace(src, dst)

    monkeypatch.setattr(publish, "_move", move)
    monkeypatch.setattr(publish, "rollback", lambda _out: False)  # as if the process died on the spot (SIGKILL)
    with pytest.raises(Killed):
        _build(proj, "--quiet", "--jobs", "1")
    monkeypatch.undo()
    assert publish.recover(proj / "out")
    assert tree_digest(proj / "out") == first


def it_prunes_only_what_the_edition_s_build_wrote(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    assert _build(proj, *QUICK).code == 0
    assert _build(proj, "--year", "2020", "--only", "deck", "--jobs", "1", "--quiet").code == 0
    note = proj / "out" / "editions" / "2020" / "我的笔记.txt"
    note.write_text("不是生成的文件", encoding="utf-8")
    assert run_cli("editions", "--root", str(proj), "--prune", "2020").code == 0
    assert note.read_text(encoding="utf-8") == "不是生成的文件"
    assert sorted(p.name for p in note.parent.iterdir()) == ["我的笔记.txt"]
