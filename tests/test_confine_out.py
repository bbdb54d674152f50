"""Rule 1: nothing outside the project and the chosen output folder is written or deleted, whatever the command.

One implementation (generators/outfolder.py) for build, briefing, preview, new-year, watch and the page: the
project's input folders are refused as output, no link inside the output folder is followed, and only folders
this program made (its marker) are ever deleted.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators import outfolder as O
from tests.conftest import run_cli, tree_digest

ONLY = ("--only", "briefings", "--jobs", "1", "--quiet")
INPUTS = ["data", "templates", "assets", "data/briefings", "templates/sub", "tools", "docs", "tests",
          "build/cache", "build/locks"]


def _outside(tmp_path: Path) -> Path:
    victim = tmp_path / "victim"
    victim.mkdir(exist_ok=True)
    (victim / "keep.docx").write_bytes(b"the user's own file")
    (victim / "sub").mkdir(exist_ok=True)
    (victim / "sub" / "x.docx").write_bytes(b"another")
    return victim


# ---- the folder rule, as a property --------------------------------------------------------------------

NAMES = st.sampled_from(["a", "b", "link", "..", ".", "x.docx", "briefings", "file", "", "a/b", "/etc"])


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("tree")
    out, victim = base / "out", _outside(base)
    (out / "a" / "b").mkdir(parents=True)
    (out / "file").write_bytes(b"f")
    (out / "link").symlink_to(victim, target_is_directory=True)
    (out / "a" / "link").symlink_to(victim, target_is_directory=True)
    (out / "a" / "x.docx").symlink_to(victim / "keep.docx")
    return out, victim


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(NAMES, min_size=1, max_size=5))
def it_never_resolves_a_path_below_the_output_folder_to_somewhere_else(tree, parts):
    out, _victim = tree
    rel = "/".join(parts)
    try:
        path = O.within(out, rel)
    except O.Escape:
        return
    assert path.parent.resolve() == out.resolve() or out.resolve() in path.parent.resolve().parents
    assert not path.is_symlink()
    assert O.is_safe(out, rel)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(NAMES, min_size=1, max_size=4))
def it_deletes_nothing_it_did_not_make_and_nothing_through_a_link(tree, parts):
    out, victim = tree
    before = tree_digest(victim), tree_digest(out), sorted(p.name for p in out.rglob("*"))
    assert not O.remove_made(out, "/".join(parts))  # nothing in this tree carries the marker
    assert (tree_digest(victim), tree_digest(out), sorted(p.name for p in out.rglob("*"))) == before


@settings(max_examples=200, deadline=None)
@given(where=st.sampled_from(INPUTS), below=st.lists(st.sampled_from(["x", "年度", "deep", "preview"]), max_size=3))
def it_refuses_every_input_folder_and_anything_below_or_above_it(tmp_path_factory, where, below):
    root = tmp_path_factory.mktemp("p", numbered=True)
    path = root.joinpath(where, *below)
    assert O.refused(root, path) is not None
    assert O.refused(root, root) is not None and O.refused(root, root.parent) is not None  # hold the inputs
    assert O.refused(root, root / "out") is None and O.refused(root, root / "preview" / "x") is None
    assert O.refused(root, Path(O.__file__).parent / "x") is not None  # the generator's own code
    with pytest.raises(O.InputError):
        O.claim_file(root, path / "a.docx")


def it_makes_and_then_removes_only_its_own_folders(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    mine = O.make_dir(out, "p/q")
    assert (out / "p" / O.MARK).is_file() and (mine / O.MARK).is_file()
    (out / "user").mkdir()
    (out / "user" / "notes.txt").write_text("mine")
    assert not O.remove_made(out, "user") and (out / "user" / "notes.txt").is_file()
    assert O.remove_made(out, "p") and not (out / "p").exists()
    (out / "lnk").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(O.Escape):
        O.make_dir(out, "lnk/new")
    assert not (tmp_path / "new").exists()


# ---- every command -----------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["data", "templates", "assets/images", "data/briefings"])
def it_refuses_previews_into_an_input_folder(project: Path, where: str):
    before = tree_digest(project / "data"), tree_digest(project / "templates")
    res = run_cli("preview", "--root", str(project), "--out", str(project / where), "--only", "briefings", "-q")
    assert res.code == 2 and "--out" in res.err and "Traceback" not in res.err, res.err
    assert (tree_digest(project / "data"), tree_digest(project / "templates")) == before
    assert not (project / "build" / "preview").exists()  # refused before anything was built


@pytest.mark.parametrize("where", ["data", "templates/x"])
def it_refuses_a_watch_that_would_write_into_an_input_folder(project: Path, where: str):
    before = tree_digest(project / "data")
    for option in ("--out", "--preview-out"):
        extra = ["--preview"] if option == "--preview-out" else []
        res = run_cli("watch", "--root", str(project), option, str(project / where), *extra, "--max-cycles", "0",
                      "--only", "briefings", "-q")
        assert res.code == 2 and option in res.err and "Traceback" not in res.err, res.err
    assert tree_digest(project / "data") == before


def it_refuses_a_new_year_workbook_in_data_even_by_default(project: Path, monkeypatch):
    before = tree_digest(project / "data")
    res = run_cli("new-year", "2026", "--root", str(project), "--out", str(project / "data" / "填报.xlsx"))
    assert res.code == 2 and "data/" in res.err and "Traceback" not in res.err, res.err
    monkeypatch.chdir(project / "data" / "figures")  # the default name lands in the working folder
    res = run_cli("new-year", "2026", "--root", str(project))
    assert res.code == 2 and "data/" in res.err, res.err
    assert tree_digest(project / "data") == before


@pytest.mark.parametrize("where", ["data/x.docx", "templates/x.docx", "assets/images/x.docx"])
def it_refuses_a_single_briefing_into_an_input_folder(project: Path, where: str):
    before = tree_digest(project / "data"), tree_digest(project / "templates")
    res = run_cli("briefing", str(project / "data/briefings/economy.yaml"), "--root", str(project),
                  "--out", str(project / where))
    assert res.code == 2 and "--out" in res.err and "Traceback" not in res.err, res.err
    assert (tree_digest(project / "data"), tree_digest(project / "templates")) == before


def it_refuses_a_briefing_written_through_a_link_into_data(project: Path):
    (project / "out" / "alias.docx").symlink_to(project / "data" / "sources.yaml")
    before = tree_digest(project / "data")
    res = run_cli("briefing", str(project / "data/briefings/economy.yaml"), "--root", str(project),
                  "--out", str(project / "out" / "alias.docx"))
    assert res.code == 2 and "Traceback" not in res.err, res.err
    assert tree_digest(project / "data") == before


def it_refuses_a_publish_work_folder_that_is_a_link_out(project: Path, tmp_path: Path):
    victim = _outside(tmp_path)
    before = tree_digest(victim)
    (project / "out" / ".reportgen-publish").symlink_to(victim, target_is_directory=True)
    res = run_cli("build", "--root", str(project), "--out", str(project / "out"), *ONLY)
    assert res.code == 2 and ".reportgen-publish" in res.err and "Traceback" not in res.err, res.err
    assert tree_digest(victim) == before and sorted(os.listdir(victim)) == ["keep.docx", "sub"]


def it_does_not_delete_a_folder_of_that_name_the_user_made(project: Path):
    work = project / "out" / ".reportgen-publish"
    (work / "stage").mkdir(parents=True)
    (work / "stage" / "mine.txt").write_text("x")
    res = run_cli("build", "--root", str(project), "--out", str(project / "out"), *ONLY)
    assert res.code == 2 and "Traceback" not in res.err
    assert (work / "stage" / "mine.txt").read_text() == "x"


def it_ignores_a_planted_journal_that_names_files_through_a_link(project: Path, tmp_path: Path):
    """A journal in a work folder we made, naming `sub/x.docx` where out/sub links outside: nothing there goes."""
    from generators import publish

    victim = _outside(tmp_path)
    out = project / "out"
    work = O.make_dir(out, publish.WORK)
    (out / "sub").symlink_to(victim / "sub", target_is_directory=True)
    (out / "top").symlink_to(victim, target_is_directory=True)
    (work / publish.JOURNAL).write_text(json.dumps({"targets": {"sub/x.docx": False, "top/keep.docx": False,
                                                                "../victim/keep.docx": False}}))
    before = tree_digest(victim)
    publish.recover(out)
    res = run_cli("build", "--root", str(project), "--out", str(out), *ONLY)
    assert res.code == 0, res.err
    assert tree_digest(victim) == before


def it_keeps_the_publish_transaction_marker_out_of_the_documents(project: Path):
    res = run_cli("build", "--root", str(project), "--out", str(project / "out"), *ONLY)
    assert res.code == 0, res.err
    assert not list((project / "out").rglob(O.MARK))
    assert not (project / "out" / ".reportgen-publish").exists()


def it_leaves_preview_folders_it_did_not_make(tmp_path: Path):
    """Old pages go only from folders the preview made; a user's folder beside them and its pictures stay."""
    from generators.preview.tools import render_pages

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "photo.png").write_bytes(b"user's picture")
    (folder / "page-01.png").write_bytes(b"old page")
    pdf = tmp_path / "one.pdf"
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(pdf))
    c.drawString(100, 700, "x")
    c.save()
    pages = render_pages(pdf, folder, "page", 30)
    assert [p.name for p in pages] == ["page-01.png"] and (folder / "photo.png").read_bytes() == b"user's picture"


# ---- saved files get the user's permissions -----------------------------------------------------------

def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def it_gives_a_single_briefing_the_permissions_of_a_file_the_user_makes(project: Path):
    old = os.umask(0o022)
    try:
        dest = project / "out" / "one.docx"
        res = run_cli("briefing", str(project / "data/briefings/economy.yaml"), "--root", str(project),
                      "--out", str(dest))
        assert res.code == 0, res.err
        assert _mode(dest) == 0o644
    finally:
        os.umask(old)


def it_gives_uploaded_and_saved_files_the_umask_permissions(tmp_path: Path):
    from generators.web.uploads import save_workbook

    old = os.umask(0o027)
    try:
        _id, dest = save_workbook(tmp_path / "uploads", "表.xlsx", b"PK\x03\x04" + b"0" * 100)
        assert _mode(dest) == 0o640
        fd, tmp = __import__("generators.fsutil", fromlist=["open_temp"]).open_temp(tmp_path / "x.yaml")
        os.close(fd)
        assert _mode(tmp) == 0o640
    finally:
        os.umask(old)
