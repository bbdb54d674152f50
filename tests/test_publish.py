"""Publishing is all-or-nothing: faults and interrupts during the move leave the old complete set; nothing outside."""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli, tree_digest

ONLY = ("--only", "briefings", "--jobs", "1", "--quiet")


def _build(project: Path, *extra: str):
    return run_cli("build", "--root", str(project), "--out", str(project / "out"), *ONLY, *extra)


@pytest.fixture
def published(project: Path) -> Path:
    """A project whose out/ holds a complete set of briefings from an earlier build."""
    assert _build(project).code == 0
    return project


def _change_a_briefing(project: Path) -> None:
    spec = project / "data/briefings/economy.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("title:", "title: 新", 1), encoding="utf-8")


def _failing_move(monkeypatch, fail_at: int, error: BaseException):
    """publish._move that raises `error` at its n-th call (1-based) and renames otherwise."""
    from generators import publish

    calls = {"n": 0}

    def move(src, dst):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise error
        os.replace(src, dst)

    monkeypatch.setattr(publish, "_move", move)
    monkeypatch.setattr(publish, "_sleep", lambda _s: None)
    return calls


@pytest.mark.parametrize("fail_at", [1, 3, 6, 8, 11])
def it_rolls_back_a_publish_that_fails_half_way(published: Path, monkeypatch, fail_at: int):
    before = tree_digest(published / "out")
    data = tree_digest(published / "data")
    _change_a_briefing(published)
    data = tree_digest(published / "data")
    _failing_move(monkeypatch, fail_at, OSError(28, "No space left on device"))
    res = _build(published, "--force")
    assert res.code != 0 and "Traceback" not in res.err
    assert tree_digest(published / "out") == before
    assert tree_digest(published / "data") == data


def it_names_a_document_left_open_in_word_and_changes_nothing(published: Path, monkeypatch):
    from generators import publish

    before = tree_digest(published / "out")
    locked = published / "out" / "briefings"
    victim = sorted(locked.glob("*.docx"))[2]
    tries = {"n": 0}

    def move(src, dst):
        if Path(src) == victim:  # Windows: a file open in Word cannot be renamed
            tries["n"] += 1
            raise PermissionError(13, "Permission denied", str(src))
        os.replace(src, dst)

    monkeypatch.setattr(publish, "_move", move)
    monkeypatch.setattr(publish, "_sleep", lambda _s: None)
    res = _build(published, "--force")
    assert res.code == 2, res.err
    assert victim.name in res.err and "关闭" in res.err and "Word" in res.err and "Traceback" not in res.err
    assert tries["n"] == publish.RETRIES  # retried before giving up
    assert tree_digest(published / "out") == before


def it_waits_out_a_file_held_for_a_moment(published: Path, monkeypatch):
    from generators import publish

    victim = sorted((published / "out" / "briefings").glob("*.docx"))[0]
    held = {"n": 0}

    def move(src, dst):
        if Path(src) == victim and held["n"] < 3:  # antivirus / sync tool holds it briefly
            held["n"] += 1
            raise PermissionError(13, "Permission denied", str(src))
        os.replace(src, dst)

    monkeypatch.setattr(publish, "_move", move)
    monkeypatch.setattr(publish, "_sleep", lambda _s: None)
    _change_a_briefing(published)
    res = _build(published)
    assert res.code == 0, res.err
    manifest = json.loads((published / "out" / "manifest.json").read_text(encoding="utf-8"))
    top = {k for k in tree_digest(published / "out") if not k.startswith("editions/")}
    assert top - {"manifest.json"} == set(manifest["files"])


def it_rolls_back_on_ctrl_c_during_the_move(published: Path, monkeypatch):
    before = tree_digest(published / "out")
    _change_a_briefing(published)
    _failing_move(monkeypatch, 7, KeyboardInterrupt())
    res = _build(published)
    assert res.code == 130 and "已取消" in res.err
    assert tree_digest(published / "out") == before


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to itself")
def it_finishes_the_rollback_when_ctrl_c_is_pressed_again(published: Path, monkeypatch):
    """Ctrl+C during the move, and again while the old files are being put back: the second one waits until the
    rollback and the cleanup are done (a rollback cut short left old files in the work folder, out/ half old)."""
    before = tree_digest(published / "out")
    _change_a_briefing(published)
    calls = _failing_move(monkeypatch, 7, KeyboardInterrupt())
    real, again = os.replace, []

    def replace(src, dst):  # the rollback's moves (the publish's own go through _move)
        if calls["n"] >= 7 and not again:
            again.append(True)
            os.kill(os.getpid(), signal.SIGINT)  # the second Ctrl+C, in the middle of putting the old set back
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    res = _build(published)
    assert again, "the rollback moved nothing back"
    assert res.code == 130 and "已取消" in res.err and "Traceback" not in res.err, res.err
    assert tree_digest(published / "out") == before


def it_recovers_a_publish_that_was_killed(published: Path, monkeypatch):
    """A publish killed outright (no rollback ran) is rolled back at the next start, with a note."""
    from generators import publish

    before = tree_digest(published / "out")
    _change_a_briefing(published)

    class Killed(BaseException):
        pass

    _failing_move(monkeypatch, 8, Killed())
    monkeypatch.setattr(publish, "rollback", lambda _out: False)  # as if the process died on the spot
    with pytest.raises(Killed):
        _build(published)
    assert (published / "out" / publish.WORK / publish.JOURNAL).is_file()
    monkeypatch.undo()
    from generators.publish import recover

    assert recover(published / "out")
    assert tree_digest(published / "out") == before
    res = _build(published)  # and the next build publishes the new set completely
    assert res.code == 0, res.err
    assert not (published / "out" / publish.WORK).exists()


def it_never_deletes_a_file_outside_out_named_in_the_manifest(published: Path):
    out = published / "out"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    evil = ["../data/sources.yaml", "/etc/hostname", "briefings/../../data/settings.yaml", "..\\data\\x.docx"]
    manifest["products"]["briefings"]["files"] += evil
    for rel in evil:
        manifest["files"][rel] = {"size": 1, "sha256": "0" * 64}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    data = tree_digest(published / "data")
    assert _build(published, "--force").code == 0
    assert tree_digest(published / "data") == data
    assert not set(evil) & set(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"])


def it_does_not_write_through_a_symlinked_output_subfolder(project: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "out" / "briefings").symlink_to(outside, target_is_directory=True)
    res = _build(project)
    assert res.code == 2 and "Traceback" not in res.err
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("where", ["data", "templates", "assets", ".", "data/figures", ".."])
def it_refuses_an_output_folder_that_is_or_holds_project_inputs(project: Path, where: str):
    before = tree_digest(project / "data")
    res = run_cli("build", "--root", str(project), "--out", str(project / where), *ONLY)
    assert res.code == 2 and "--out" in res.err and "data/" in res.err and "Traceback" not in res.err
    assert tree_digest(project / "data") == before


def it_refuses_an_output_path_that_is_a_file(project: Path):
    target = project / "out.docx"
    target.write_bytes(b"x")
    res = run_cli("build", "--root", str(project), "--out", str(target), *ONLY)
    assert res.code == 2 and "不是文件夹" in res.err
    assert target.read_bytes() == b"x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def it_refuses_an_output_folder_it_cannot_write(project: Path):  # pragma: no cover - CI runs as root
    ro = project / "ro"
    ro.mkdir(mode=0o500)
    res = run_cli("build", "--root", str(project), "--out", str(ro), *ONLY)
    assert res.code == 2 and "不可写" in res.err


def it_writes_nothing_when_run_outside_a_project(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REPORTGEN_ROOT", raising=False)
    for args in (["build"], ["check"], ["preview"], ["briefing", "x.yaml"], ["watch", "--max-cycles", "0"]):
        res = run_cli(*args)
        assert res.code == 2, (args, res.err)
        assert "项目文件夹" in res.err and "Traceback" not in res.err
    assert list(tmp_path.iterdir()) == []


def it_refuses_a_log_that_is_a_folder(project: Path):
    res = run_cli("build", "--root", str(project), "--log", str(project / "data"), *ONLY)
    assert res.code == 2 and "--log" in res.err


def it_copies_errors_into_the_log(project: Path, tmp_path: Path):
    (project / "data/briefings/economy.yaml").write_text("title: [\n", encoding="utf-8")
    log = tmp_path / "build.log"
    res = run_cli("build", "--root", str(project), "--log", str(log), *ONLY)
    assert res.code == 2
    assert "economy.yaml" in log.read_text(encoding="utf-8")


def it_takes_over_the_lock_of_a_dead_build(published: Path):
    from generators.outlock import lock_path

    path = lock_path(published / "build" / "locks", published / "out")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    path.write_text(dead, encoding="ascii")
    res = run_cli("build", "--root", str(published), "--out", str(published / "out"), "--only", "briefings",
                  "--jobs", "1", "--force")
    assert res.code == 0, res.err
    assert f"进程 {dead}" in res.err and "接管" in res.err


def it_names_both_specs_that_would_write_one_file(project: Path):
    a, b = project / "data/briefings/economy.yaml", project / "data/briefings/ecology.yaml"
    for spec in (a, b):
        text = re.sub(r"(?m)^file:.*$", "", spec.read_text(encoding="utf-8"))
        spec.write_text(text + "\nfile: 同一份\n", encoding="utf-8")
    for cmd in (["check"], ["build", "--out", str(project / "out"), *ONLY]):
        res = run_cli(*cmd, "--root", str(project))
        assert res.code == 2, res.err
        assert "economy.yaml" in res.err and "ecology.yaml" in res.err and "同一份.docx" in res.err


@pytest.mark.parametrize("args, words", [
    (["build", "--year", "二〇二四"], ["--year", "整数", "二〇二四"]),
    (["build", "--only", "poster"], ["--only", "poster", "deck"]),
    (["build", "--jobs", "99"], ["--jobs", "范围"]),
    (["build", "--yaer", "2024"], ["--yaer"]),
    (["build", "--out"], ["--out", "需要一个值"]),
    (["briefing"], ["缺少"]),
    (["bulid"], ["bulid"]),
    (["build", "extra"], ["多余"]),
])
def it_explains_usage_errors_in_chinese(args: list[str], words: list[str]):
    res = run_cli(*args)
    assert res.code == 2, res.err
    assert "用法错误" in res.err and "Traceback" not in res.err and "Invalid value" not in res.err
    for w in words:
        assert w in res.err, (w, res.err)


def it_shows_the_commands_when_given_none():
    """`reportgen` alone: the list of commands, exit 2 (as click does), never an internal error."""
    res = run_cli()
    assert res.code == 2, res.err
    assert "build" in res.out + res.err and "内部错误" not in res.err and "Traceback" not in res.err


def it_survives_a_console_that_cannot_encode_chinese(project: Path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "REPORTGEN_ROOT": str(project)}
    res = subprocess.run([sys.executable, "-m", "generators", "check"], env=env, capture_output=True, cwd=project)
    assert res.returncode == 0, res.stderr.decode("ascii", "replace")
    assert b"Traceback" not in res.stderr


def _busy_build(published: Path) -> subprocess.Popen:
    """A parallel build of some seconds (20 more briefings), returned once its documents are being built."""
    for n, spec in enumerate(sorted((published / "data/briefings").glob("*.yaml")) * 4):
        text = re.sub(r"(?m)^title: ", f"title: 第{n}份", spec.read_text(encoding="utf-8"), count=1)
        (published / "data/briefings" / f"copy{n}.yaml").write_text(
            re.sub(r"(?m)^file: .*$", "", text) + f"\nfile: copy{n}\n", encoding="utf-8")
    env = {**os.environ, "REPORTGEN_ROOT": str(published)}
    proc = subprocess.Popen([sys.executable, "-m", "generators", "build", "--force", "--jobs", "2", "--quiet"],
                            env=env, cwd=published, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stage = published / "out" / ".reportgen-publish" / "stage"
    deadline = time.monotonic() + 60
    while not stage.is_dir() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the stage appears when the documents start being built
    time.sleep(0.2)  # workers started and busy
    assert proc.poll() is None, "the build ended before it could be stopped"
    return proc


def it_ends_its_workers_and_frees_the_lock_on_sigterm(published: Path):
    """SIGTERM to a parallel build (a scheduler stopping the job): workers end, the lock is free, out/ is whole."""
    out = published / "out"
    before = tree_digest(out)
    proc = _busy_build(published)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and b"Traceback" not in err
    from generators.outlock import lock_path

    with open(lock_path(published / "build" / "locks", out), "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if a worker still held it
    after = tree_digest(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert after == before or set(after) - {"manifest.json"} == set(manifest["files"])
    assert not (out / ".reportgen-publish").exists()


def it_replaces_a_custom_briefing_atomically_and_names_a_locked_one(project: Path, tmp_path: Path, monkeypatch):
    from generators import publish

    dest = tmp_path / "会前简报.docx"
    spec = project / "data/briefings/economy.yaml"
    assert run_cli("briefing", str(spec), "--root", str(project), "--out", str(dest)).code == 0
    first = dest.read_bytes()

    def move(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(publish, "_move", move)
    monkeypatch.setattr(publish, "_sleep", lambda _s: None)
    res = run_cli("briefing", str(spec), "--root", str(project), "--out", str(dest))
    assert res.code == 2 and "会前简报.docx" in res.err and "关闭" in res.err
    assert dest.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj", "会前简报.docx"]  # no temp file left


@pytest.mark.parametrize("out", ["data/x.docx", "templates/x.docx", "assets/images/x.docx"])
def it_refuses_to_write_a_custom_briefing_into_project_inputs(project: Path, out: str):
    before = tree_digest(project / "data")
    res = run_cli("briefing", str(project / "data/briefings/economy.yaml"), "--root", str(project),
                  "--out", str(project / out))
    assert res.code == 2 and "--out" in res.err
    assert tree_digest(project / "data") == before


def it_keeps_windows_reserved_names_out_of_output_files():
    from generators.documents.briefing import safe_name

    for name in ("CON", "nul", "COM1", "LPT9", "aux.docx"):
        stem = safe_name(name)
        assert stem.split(".")[0].upper() not in {"CON", "NUL", "COM1", "LPT9", "AUX"}, stem
    assert safe_name("../../etc/passwd") == "etc-passwd"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers through /proc")
def it_says_so_when_a_worker_is_killed_and_publishes_nothing(published: Path):
    """A worker killed outright (the OOM killer, a task manager): a Chinese message, no traceback, out/ whole, no
    worker left behind."""
    out = published / "out"
    before = tree_digest(out)
    proc = _busy_build(published)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert children, "a parallel build has workers"
    os.kill(int(children[0]), signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    text = err.decode("utf-8", "replace")
    assert proc.returncode != 0 and "子进程意外退出" in text and "Traceback" not in text, text
    assert tree_digest(out) == before and not (out / ".reportgen-publish").exists()
    for pid in children[1:]:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
