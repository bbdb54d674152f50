"""`make windows-bundle`: the 工作台 for an office PC without internet, in build/windows-bundle/ (and a .zip of it).

The folder holds the project's inputs (data/, templates/, assets/), the start script (启动工作台.bat with CRLF, and
tools/winstart.py), a 使用说明.txt, and wheels/: the project as a wheel plus every dependency as Windows x64
wheels for each supported Python version. The start script installs from wheels/ with `--no-index`, so the PC
never needs the internet. Before the folder is put in place, every Python version's install is resolved against
wheels/ alone (`pip install --dry-run --no-index --platform win_amd64`): a bundle that would need a download is
never made. Usage: python tools/windows_bundle.py [--python 3.11,3.12,3.13,3.14] [--out build/windows-bundle]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13", "3.14")
MARKER = ".reportgen-windows-bundle"  # a folder we made (and so may replace)
COPY = ("data", "templates", "assets")
IGNORE = shutil.ignore_patterns("__pycache__", ".DS_Store", "~$*", ".~lock.*")
PLATFORM = ["--only-binary=:all:", "--platform", "win_amd64", "--implementation", "cp"]

README = """报告生成器 · 工作台（离线安装包）

1. 把整个文件夹复制到电脑上（例如 D:\\报告生成器），不要放在压缩包里直接运行。
2. 需要 Python {versions} 中的任一版本（64 位）。没有的话请先安装（安装时勾选“Add python.exe to PATH”）。
3. 双击“启动工作台.bat”。第一次会用 wheels 文件夹中的安装包准备运行环境（不需要联网，约一两分钟），
   以后每次几秒钟就会在浏览器中打开 http://127.0.0.1:8000/ 。用完关闭那个黑色窗口即可。
4. 再次双击时如果工作台已经开着，只会打开浏览器。文件夹移动过、运行环境损坏时会自动重新准备。
5. 页面缩略图和简报预览需要 LibreOffice（可选）；没有安装时文档照常生成和下载，PDF 照样有缩略图。
"""


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bundle_pip(cache: Path) -> list[str]:
    """A pip new enough to resolve for another platform and Python (pip < 24 checks Requires-Python against
    the running interpreter under --target), in a venv of its own under build/ so the project's .venv is untouched."""
    env = cache / "bundle-pip"
    py = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not py.is_file():
        venv.create(env, with_pip=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-U", "pip>=24"],
                       check=True)
    return [str(py), "-m", "pip"]


def build_wheels(pip: list[str], wheels: Path, pythons: list[str]) -> Path:
    wheels.mkdir(parents=True)
    subprocess.run([*pip, "wheel", "-q", "--disable-pip-version-check", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True)
    (project,) = wheels.glob("hengnan_reportgen-*.whl")
    for version in pythons:
        say(f"下载 Windows x64、Python {version} 的安装包 / wheels for cp{version.replace('.', '')}-win_amd64 …")
        subprocess.run([*pip, "download", "-q", "--disable-pip-version-check", *PLATFORM, "--python-version", version,
                        "-d", str(wheels), str(project)], check=True)
    return project


def verify(pip: list[str], wheels: Path, pythons: list[str]) -> None:
    """Every Python version resolves every dependency from wheels/ alone, as the office PC will."""
    with tempfile.TemporaryDirectory(prefix="reportgen-bundle-check-") as tmp:
        for version in pythons:
            res = subprocess.run([*pip, "install", "--disable-pip-version-check", "--dry-run", "--ignore-installed",
                                  "--no-index", "--find-links", str(wheels), *PLATFORM, "--python-version", version,
                                  "--target", tmp, "hengnan-reportgen"], capture_output=True, text=True)
            if res.returncode != 0 or "Would install" not in res.stdout:
                raise SystemExit(f"Python {version} 的离线安装解析失败 / offline install does not resolve:\n"
                                 + (res.stderr or res.stdout)[-2000:])
            say(f"  Python {version}：离线安装可以解析全部依赖 / resolves offline")


def write_crlf(path: Path, text: str, bom: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))


def stage(tmp: Path, pythons: list[str], pip: list[str]) -> None:
    for name in COPY:
        shutil.copytree(ROOT / name, tmp / name, ignore=IGNORE, symlinks=False)
    (tmp / "out").mkdir()
    (tmp / "tools").mkdir()
    shutil.copyfile(ROOT / "tools" / "winstart.py", tmp / "tools" / "winstart.py")
    shutil.copyfile(ROOT / "pyproject.toml", tmp / "pyproject.toml")  # the start script's record of this copy
    shutil.copyfile(ROOT / "README.md", tmp / "README.md")
    write_crlf(tmp / "启动工作台.bat", (ROOT / "启动工作台.bat").read_text(encoding="utf-8"))
    write_crlf(tmp / "使用说明.txt", README.format(versions="、".join(pythons)), bom=True)
    build_wheels(pip, tmp / "wheels", pythons)
    verify(pip, tmp / "wheels", pythons)
    (tmp / MARKER).write_text("made by tools/windows_bundle.py\n", encoding="utf-8")


def zip_folder(folder: Path, dest: Path) -> None:
    """A zip of the folder with fixed times and order (the same inputs give the same bytes)."""
    part = dest.with_name(dest.name + ".part")
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # names in UTF-8 (启动工作台.bat)
            z.writestr(info, path.read_bytes())
    os.replace(part, dest)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--python", default=",".join(PYTHONS), help="Python versions, e.g. 3.11,3.12")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "windows-bundle")
    ap.add_argument("--no-zip", action="store_true")
    args = ap.parse_args(argv)
    pythons = [v.strip() for v in args.python.split(",") if v.strip()]
    out = args.out.resolve()
    if out.exists() and not (out / MARKER).is_file():
        raise SystemExit(f"{out} 已存在，但不是本工具生成的离线安装包：不会覆盖它 / not ours, left alone")
    out.parent.mkdir(parents=True, exist_ok=True)
    pip = bundle_pip(ROOT / "build" / "cache")
    tmp = Path(tempfile.mkdtemp(prefix=".windows-bundle-", dir=out.parent))
    try:
        stage(tmp, pythons, pip)
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    if not args.no_zip:
        zip_folder(out, out.with_suffix(".zip"))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    say(f"离线安装包 / bundle: {out}（{size / 1e6:.0f} MB，Python {'、'.join(pythons)}）"
        + ("" if args.no_zip else f"；压缩包 {out.with_suffix('.zip')}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
