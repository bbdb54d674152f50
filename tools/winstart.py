"""The double-click start of the 工作台 on an office PC (run by 启动工作台.bat; standard library only).

What it does, in order, each step saying in Chinese what happens:
1. Python too old → one sentence naming the version found and the one needed (exit 3).
2. A 工作台 already answers on the port → open the browser on it, done (a second double click).
3. `.venv` missing, broken (its Python gone, it does not start, another version) or made in another folder
   (the project folder was moved or copied) → made anew. A `.venv` is removed only when it is a virtual
   environment (has pyvenv.cfg); anything else of that name is left alone and reported.
4. The packages are missing or older than this copy of the project → installed: from `wheels/` without
   internet when the folder is there (the offline bundle made by `make windows-bundle`), else from the internet.
5. Start `reportgen serve` from the `.venv` (which opens the browser).

The .venv records the folder and the install it was made for in `.venv/reportgen-start.json`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import urllib.request
import webbrowser
from pathlib import Path

MIN_PYTHON = (3, 11)
PORT = 8000
HELLO_APP = "reportgen-workbench"  # what /api/hello answers (generators/web/hello.py)
STAMP = "reportgen-start.json"


def say(text: str) -> None:
    try:
        print(text, flush=True)
    except UnicodeEncodeError:  # a console that cannot show Chinese: the message still gets out
        print(text.encode("ascii", "backslashreplace").decode("ascii"), flush=True)


def python_ok(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> str:
    """'' when this Python can run the project, else the sentence that says why not."""
    if tuple(version[:2]) >= MIN_PYTHON:
        return ""
    have = ".".join(str(v) for v in version)
    need = ".".join(str(v) for v in MIN_PYTHON)
    return (f"这台电脑上的 Python 版本是 {have}，太旧了：工作台需要 Python {need} 或更新的版本。"
            f"请安装 Python {need} 或更新的版本（安装时勾选“Add python.exe to PATH”），然后再双击“启动工作台”。")


def running(port: int | None = None, timeout: float = 2.0) -> bool:
    """Whether a 工作台 already answers on this computer's port."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port or PORT}/api/hello", timeout=timeout) as res:  # loopback (http only)
            return json.loads(res.read(4096)).get("app") == HELLO_APP
    except (OSError, ValueError, AttributeError):
        return False


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def wanted(root: Path) -> dict[str, str]:
    """What the .venv must have been made for: this folder, this Python, and this copy of the project."""
    digest = hashlib.sha256()
    for name in ("pyproject.toml",):
        digest.update((root / name).read_bytes() if (root / name).is_file() else b"")
    wheels = root / "wheels"
    if wheels.is_dir():
        digest.update("\n".join(sorted(p.name for p in wheels.glob("*.whl"))).encode())
    return {"folder": str(root.resolve()), "python": "%d.%d" % sys.version_info[:2], "install": digest.hexdigest()}


def venv_state(venv: Path, root: Path) -> str:
    """'ok', 'install' (sound but packages to install), 'rebuild' (broken, moved or another Python), 'missing',
    or 'foreign' (something called .venv that is not a virtual environment)."""
    if not venv.exists():
        return "missing"
    if not (venv / "pyvenv.cfg").is_file():
        return "foreign"
    try:
        stamp = json.loads((venv / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamp = {}
    want = wanted(root)
    if not isinstance(stamp, dict) or stamp.get("folder") != want["folder"] or stamp.get("python") != want["python"]:
        return "rebuild"
    py = venv_python(venv)
    try:
        ok = py.is_file() and subprocess.run([str(py), "-c", "import sys"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    if not ok:
        return "rebuild"
    return "ok" if stamp.get("install") == want["install"] else "install"


def make_venv(venv: Path, root: Path) -> None:
    if venv.exists():
        shutil.rmtree(venv)  # only ever a virtual environment (venv_state checked pyvenv.cfg)
    say("正在准备运行环境（.venv）……")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    (venv / STAMP).write_text(json.dumps({**wanted(root), "install": ""}), encoding="utf-8")


def install(venv: Path, root: Path) -> None:
    wheels = root / "wheels"
    py = str(venv_python(venv))
    if wheels.is_dir():
        say("正在从随附的安装包安装所需软件（不需要联网，约一两分钟）……")
        cmd = [py, "-m", "pip", "install", "--disable-pip-version-check", "--no-index", "--find-links", str(wheels),
               "hengnan-reportgen"]
    else:
        say("正在安装所需软件（需要联网，约几分钟）……")
        cmd = [py, "-m", "pip", "install", "--disable-pip-version-check", "-e", str(root)]
    subprocess.run(cmd, check=True)
    stamp = venv / STAMP
    stamp.write_text(json.dumps(wanted(root)), encoding="utf-8")


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    why = python_ok()
    if why:
        say(why)
        return 3
    if running():
        say(f"工作台已经在运行，已在浏览器中打开 http://127.0.0.1:{PORT}/")
        webbrowser.open(f"http://127.0.0.1:{PORT}/")
        return 0
    venv = root / ".venv"
    state = venv_state(venv, root)
    if state == "foreign":
        say(f"项目文件夹中的“.venv”不是运行环境，不敢删除它：请把它改名或移走，然后再双击“启动工作台”。（{venv}）")
        return 4
    try:
        if state in ("missing", "rebuild"):
            if state == "rebuild":
                say("原来的运行环境已损坏或属于别的文件夹（项目文件夹被移动过？），重新准备……")
            make_venv(venv, root)
            state = "install"
        if state == "install":
            install(venv, root)
    except (OSError, subprocess.CalledProcessError) as exc:
        offline = (root / "wheels").is_dir()
        say("准备运行环境失败" + ("" if offline else "：请检查网络后") + "重新双击“启动工作台”；仍不成功，"
            f"请把本窗口中的信息发给技术人员。（{exc}）")
        return 1
    say(f"正在启动工作台，浏览器会自动打开 http://127.0.0.1:{PORT}/ ；使用期间请不要关闭本窗口，用完关闭本窗口即可。")
    return subprocess.run([str(venv_python(venv)), "-m", "generators", "serve", "--root", str(root), *argv],
                          cwd=root).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
