"""The office PC's double-click start (启动工作台.bat → tools/winstart.py): the branches that can run here."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("winstart", ROOT / "tools" / "winstart.py")
assert spec and spec.loader
W = importlib.util.module_from_spec(spec)
spec.loader.exec_module(W)


def it_names_the_python_found_and_the_one_needed():
    assert W.python_ok((3, 11, 0)) == "" and W.python_ok((3, 13, 1)) == ""
    msg = W.python_ok((3, 8, 10))
    assert "3.8.10" in msg and "3.11" in msg and "太旧" in msg and "Python" in msg


def it_refuses_an_old_python_before_touching_anything(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(W, "python_ok", lambda: "太旧了")
    monkeypatch.setattr(W, "running", lambda: pytest.fail("must not look further"))
    assert W.main([]) == 3 and "太旧了" in capsys.readouterr().out


class _Hello(BaseHTTPRequestHandler):
    answer = b""

    def do_GET(self):  # the http.server hook's name
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    servers = []

    def start(answer: bytes) -> int:
        handler = type("H", (_Hello,), {"answer": answer})
        srv = HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return srv.server_address[1]

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def it_finds_a_running_workbench_and_only_that(listener):
    assert W.running(listener(json.dumps({"app": W.HELLO_APP}).encode()))
    assert not W.running(listener(b'{"app": "something else"}'))
    assert not W.running(listener(b"<html>not json</html>"))


def it_just_opens_the_browser_when_one_is_running(listener, monkeypatch, tmp_path, capsys):
    port = listener(json.dumps({"app": W.HELLO_APP}).encode())
    monkeypatch.setattr(W, "PORT", port)
    opened = []
    monkeypatch.setattr(W.webbrowser, "open", opened.append)
    monkeypatch.setattr(W, "venv_state", lambda *a: pytest.fail("must not touch the .venv"))
    assert W.main([]) == 0
    assert opened == [f"http://127.0.0.1:{port}/"] and "已经在运行" in capsys.readouterr().out


def _venv(root: Path) -> Path:
    venv = root / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    return venv


def it_tells_a_sound_venv_from_a_moved_a_broken_and_a_foreign_one(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname='x'\n", encoding="utf-8")
    venv = root / ".venv"
    assert W.venv_state(venv, root) == "missing"
    venv.mkdir()
    (venv / "notes.txt").write_text("the user's own", encoding="utf-8")
    assert W.venv_state(venv, root) == "foreign"  # not a virtual environment: never removed
    (venv / "notes.txt").unlink()
    venv.rmdir()

    _venv(root)
    assert W.venv_state(venv, root) == "rebuild"  # made by someone else: no record of its folder
    (venv / W.STAMP).write_text(json.dumps(W.wanted(root)), encoding="utf-8")
    assert W.venv_state(venv, root) == "ok"
    (root / "pyproject.toml").write_text("[project]\nname='x'\nversion='2'\n", encoding="utf-8")
    assert W.venv_state(venv, root) == "install"  # a newer copy of the project: install again, keep the venv

    moved = tmp_path / "moved"
    root.rename(moved)  # the project folder moved: the venv's paths point at the old place
    assert W.venv_state(moved / ".venv", moved) == "rebuild"

    (moved / ".venv" / W.STAMP).write_text(json.dumps(W.wanted(moved)), encoding="utf-8")
    W.venv_python(moved / ".venv").unlink()  # its Python is gone
    assert W.venv_state(moved / ".venv", moved) == "rebuild"


def it_leaves_a_foreign_venv_folder_alone(tmp_path, monkeypatch, capsys):
    root = tmp_path / "proj"
    (root / ".venv").mkdir(parents=True)
    (root / "tools").mkdir()
    (root / ".venv" / "mine.txt").write_text("keep", encoding="utf-8")
    monkeypatch.setattr(W, "__file__", str(root / "tools" / "winstart.py"))
    monkeypatch.setattr(W, "running", lambda: False)
    assert W.main([]) == 4
    assert (root / ".venv" / "mine.txt").read_text(encoding="utf-8") == "keep" and "不敢删除" in capsys.readouterr().out


def it_rebuilds_a_broken_venv_and_installs_offline_from_the_bundle(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / "tools").mkdir(parents=True)
    (root / "wheels").mkdir()
    _venv(root)  # broken: made elsewhere, no record
    monkeypatch.setattr(W, "__file__", str(root / "tools" / "winstart.py"))
    monkeypatch.setattr(W, "running", lambda: False)
    calls = []

    def fake_run(cmd, **kw):
        calls.append([str(c) for c in cmd])
        if "venv" in cmd:
            Path(cmd[-1], "pyvenv.cfg").parent.mkdir(parents=True, exist_ok=True)
            Path(cmd[-1], "pyvenv.cfg").write_text("home = x\n", encoding="utf-8")
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(W.subprocess, "run", fake_run)
    assert W.main(["--port", "8123"]) == 0
    venv_cmd, pip_cmd, serve_cmd = calls
    assert venv_cmd[1:3] == ["-m", "venv"]
    assert "--no-index" in pip_cmd and pip_cmd[pip_cmd.index("--find-links") + 1] == str(root / "wheels")
    assert serve_cmd[1:4] == ["-m", "generators", "serve"] and serve_cmd[-2:] == ["--port", "8123"]
    assert json.loads((root / ".venv" / W.STAMP).read_text(encoding="utf-8")) == W.wanted(root)


def it_keeps_the_start_script_as_staff_need_it():
    if shutil.which("git") and (ROOT / ".git").exists():
        eol = subprocess.run(["git", "ls-files", "--eol", "启动工作台.bat"], cwd=ROOT, capture_output=True,
                             text=True).stdout
        assert eol.startswith("i/lf"), f"the repository copy must be LF (.gitattributes makes it CRLF on checkout): {eol}"
    text = (ROOT / "启动工作台.bat").read_bytes().decode("utf-8")
    assert "chcp 65001" in text and r"tools\winstart.py" in text and "(3, 11)" in text
    assert "py -3" in text and r"%LOCALAPPDATA%\Programs\Python" in text  # a Python not on PATH is found too


def _bundle_tool():
    spec = importlib.util.spec_from_file_location("windows_bundle", ROOT / "tools" / "windows_bundle.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def it_never_replaces_a_folder_it_did_not_make(tmp_path):
    mine = tmp_path / "bundle"
    mine.mkdir()
    (mine / "report.docx").write_bytes(b"the user's")
    with pytest.raises(SystemExit, match="不会覆盖"):
        _bundle_tool().main(["--out", str(mine), "--python", "3.12", "--no-zip"])
    assert (mine / "report.docx").read_bytes() == b"the user's" and len(list(mine.iterdir())) == 1


def it_makes_an_offline_bundle_that_resolves_for_windows(tmp_path):
    """One Python version here (make windows-bundle does all four): the wheels are Windows x64 ones, the
    start script has CRLF, and the tool itself refuses to finish unless `pip install --no-index --platform
    win_amd64` resolves every dependency from wheels/ alone."""
    out = tmp_path / "windows-bundle"
    assert _bundle_tool().main(["--out", str(out), "--python", "3.12", "--no-zip"]) == 0
    wheels = sorted(p.name for p in (out / "wheels").glob("*.whl"))
    assert any(w.startswith("hengnan_reportgen-") for w in wheels)
    binary = [w for w in wheels if not w.endswith("-none-any.whl")]
    assert binary and all(w.endswith("win_amd64.whl") for w in binary), binary
    assert any(w.startswith("pypdfium2-") for w in wheels)  # previews without poppler
    assert (out / "启动工作台.bat").read_bytes().count(b"\r\n") > 10
    assert (out / "tools" / "winstart.py").is_file() and (out / "data" / "figures").is_dir()
    assert "不需要联网" in (out / "使用说明.txt").read_text(encoding="utf-8-sig")
