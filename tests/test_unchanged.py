"""An unchanged rebuild answers from file stats alone (generators/unchanged.py) — and only when nothing changed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generators import unchanged as U
from generators.buildlog import BuildOptions
from tests.conftest import ROOT, run_cli, tree_digest


@pytest.fixture
def settled(monkeypatch):
    """Files copied a moment ago count as settled (the racy window is for a real clock tick, tested below)."""
    monkeypatch.setattr(U, "RACY_NS", 0)


def _opts(project: Path, **kw) -> BuildOptions:
    return BuildOptions(root=project, out=project / "out", only=("summary",), **kw)


def _build(project: Path, *extra: str, log: Path | None = None):
    args = ["build", "--root", str(project), "--out", str(project / "out"), "--only", "summary", *extra]
    if log:
        args += ["--log", str(log)]
    return run_cli(*args)


def _lines(log: Path) -> list[str]:
    return [re.sub(r"^\S+ \S+ ", "", line) for line in log.read_text(encoding="utf-8").splitlines()]


def it_says_what_the_whole_way_says_and_writes_nothing(project: Path, settled, monkeypatch):
    assert _build(project, "--quiet").code == 0
    assert U.replay(_opts(project))  # the publishing build left a stamp
    slow = project / "slow.log"
    monkeypatch.setattr(U, "replay", lambda _opts: False)  # the whole way, once, for its words
    assert _build(project, log=slow).code == 0
    monkeypatch.undo()
    monkeypatch.setattr(U, "RACY_NS", 0)
    before = tree_digest(project / "out"), tree_digest(project / "data")
    fast = project / "fast.log"
    import generators.build as B

    monkeypatch.setattr(B, "run_build", lambda _o: pytest.fail("the whole way was taken"))
    res = _build(project, log=fast)
    assert res.code == 0, res.err
    assert _lines(fast) == _lines(slow) and len(_lines(fast)) == 2
    assert "所有文档均为最新" in _lines(fast)[1]
    assert (tree_digest(project / "out"), tree_digest(project / "data")) == before


def it_goes_the_whole_way_when_anything_changed(project: Path, settled):
    assert _build(project, "--quiet").code == 0
    assert U.replay(_opts(project))
    assert not U.replay(_opts(project, force=True))
    assert not U.replay(BuildOptions(root=project, out=project / "out"))  # other options: no stamp of theirs
    assert not U.replay(_opts(project, year=2023))

    csv = project / "data/figures/fyp14.csv"
    st = csv.stat()
    os.utime(csv, ns=(st.st_atime_ns, st.st_mtime_ns + 1))  # same bytes, other time: decided again
    assert not U.replay(_opts(project))
    assert _build(project, "--quiet").code == 0 and U.replay(_opts(project))

    (project / "templates" / "new.txt").write_text("x", encoding="utf-8")  # a file added
    assert not U.replay(_opts(project))
    (project / "templates" / "new.txt").unlink()
    assert U.replay(_opts(project))  # the same files as when the stamp was written

    pdf = project / "out" / "fyp14-summary.pdf"
    data = pdf.read_bytes()
    pdf.unlink()  # an output deleted by hand
    assert not U.replay(_opts(project))
    pdf.write_bytes(data)
    assert not U.replay(_opts(project))  # put back, but not the same file

    assert _build(project, "--quiet").code == 0 and U.replay(_opts(project))
    (project / "out" / U.WORK).mkdir()  # a publish in progress, or left half done: recover first
    assert not U.replay(_opts(project))


def it_writes_no_stamp_for_files_changed_a_moment_ago(project: Path):
    """Default window: a file written just now could change again within the same clock tick."""
    csv = project / "data/figures/fyp14.csv"
    csv.write_text(csv.read_text(encoding="utf-8"), encoding="utf-8")
    assert not U.inputs(project).settled  # asked now: after a build longer than the window it would be settled
    assert _build(project, "--quiet").code == 0  # its snapshot is taken as it starts
    assert not (project / "build" / "cache" / U.STAMP).exists()


def it_writes_no_stamp_while_a_spec_is_set_aside(project: Path, settled):
    (project / "data/briefings/bad.yaml").write_text("title: 坏的\nsections: 3\n", encoding="utf-8")
    res = run_cli("build", "--root", str(project), "--out", str(project / "out"), "--only", "briefings", "--quiet")
    assert res.code == 2
    assert not U.replay(BuildOptions(root=project, out=project / "out", only=("briefings",)))


def it_refuses_a_linked_folder_inside_the_inputs(project: Path, settled):
    (project / "data" / "elsewhere").symlink_to(project / "templates", target_is_directory=True)
    assert U.inputs(project).digest == "" and not U.inputs(project).settled


def it_needs_no_data_model_to_say_nothing_changed(project: Path):
    """In a fresh process: the second build imports neither pydantic nor the loader (the point of the stamp)."""
    code = ("import sys; import generators.unchanged as U; U.RACY_NS = 0; from generators.cli import main; "
            "sys.argv = ['reportgen'] + sys.argv[1:]; main()")
    args = ["build", "--root", str(project), "--out", str(project / "out"), "--only", "summary", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    second = subprocess.run([sys.executable, "-X", "importtime", "-c", code, *args], env=env, capture_output=True,
                            text=True)
    assert second.returncode == 0, second.stderr
    imported = {line.split("|")[-1].strip() for line in second.stderr.splitlines() if line.startswith("import time:")}
    assert "generators.unchanged" in imported
    assert not {"pydantic", "generators.load", "generators.build", "yaml"} & imported
