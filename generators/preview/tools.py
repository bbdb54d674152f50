"""What the preview runs: LibreOffice (PPTX/DOCX → PDF, an external program) and PDFium (PDF → PNG pages, a wheel)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from generators.errors import ReportgenError

SOFFICE_TIMEOUT = 300  # seconds for one LibreOffice run
if sys.platform == "win32":  # pragma: no cover - Windows: the converter gets its own group, stopped with it
    _NEW_GROUP = subprocess.CREATE_NEW_PROCESS_GROUP
else:
    _NEW_GROUP = 0


class ToolMissing(ReportgenError):
    """LibreOffice or poppler is not installed: an environment problem, not an input problem (exit 1)."""


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---- external programs ---------------------------------------------------------------

INSTALL_SOFFICE = (
    "找不到 LibreOffice（soffice）：预览幻灯片和简报要用它把 PPTX/DOCX 转换成 PDF。安装方法——"
    "Debian/Ubuntu：sudo apt-get install --no-install-recommends libreoffice-impress libreoffice-writer"
    "（或在项目文件夹运行 make system-deps）；macOS：brew install --cask libreoffice；"
    "Windows：从 https://zh-cn.libreoffice.org 下载安装。已安装但不在 PATH 中时，"
    "可把环境变量 REPORTGEN_SOFFICE 设为 soffice 的完整路径。只预览 PDF 纪实可用 --only summary"
)
def _windows_soffice() -> list[str]:
    """Where the LibreOffice installer puts soffice.exe on Windows: the registry's InstallPath, then Program Files."""
    found: list[str] = []
    if sys.platform == "win32":
        import winreg

        for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
            for key in (r"SOFTWARE\LibreOffice\UNO\InstallPath", r"SOFTWARE\WOW6432Node\LibreOffice\UNO\InstallPath"):
                try:
                    with winreg.OpenKey(hive, key) as k:
                        found.append(str(Path(winreg.QueryValueEx(k, "")[0]) / "soffice.exe"))
                except OSError:
                    continue
    for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA"):
        base = os.environ.get(var)
        if base:
            found.append(str(Path(base) / "LibreOffice" / "program" / "soffice.exe"))
            if var == "LOCALAPPDATA":
                found.append(str(Path(base) / "Programs" / "LibreOffice" / "program" / "soffice.exe"))
    found += [r"C:\Program Files\LibreOffice\program\soffice.exe",
              r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"]
    return found


def find_soffice() -> str:
    """LibreOffice's soffice: $REPORTGEN_SOFFICE, PATH, then the usual install folders (and, on Windows, the registry)."""
    env = os.environ.get("REPORTGEN_SOFFICE")
    if env:
        if Path(env).is_file() or shutil.which(env):
            return shutil.which(env) or env
        raise ToolMissing(f"环境变量 REPORTGEN_SOFFICE 指向的 {env} 不存在。" + INSTALL_SOFFICE + "。")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for p in ("/Applications/LibreOffice.app/Contents/MacOS/soffice", *_windows_soffice()):
        if Path(p).is_file():
            return p
    raise ToolMissing(INSTALL_SOFFICE + "。")


def fontconfig_env(root: Path) -> dict[str, str]:
    """The environment for LibreOffice: the bundled fonts stand in for the Windows font names documents use."""
    env = dict(os.environ)
    conf = root / "assets" / "fonts" / "fontconfig" / "fonts.conf"
    if conf.is_file():
        env["FONTCONFIG_FILE"] = str(conf.resolve())
    return env


def convert_to_pdf(soffice: str, files: list[Path], outdir: Path, root: Path) -> dict[Path, Path]:
    """One LibreOffice process for `files`, with its own throw-away profile; every PDF checked to exist.

    Two LibreOffice processes sharing a profile lose output silently (exit 0, no file): never share one.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="reportgen-lo-"))
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)]
    try:
        returncode, stdout, stderr = _run_group(cmd, fontconfig_env(root), SOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ReportgenError(f"LibreOffice 转换超时（{SOFFICE_TIMEOUT} 秒）：{'、'.join(f.name for f in files)}。"
                             "请关闭其他 LibreOffice 窗口后重试") from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs: dict[Path, Path] = {}
    lost = []
    for f in files:
        pdf = outdir / (f.stem + ".pdf")
        if pdf.is_file() and pdf.stat().st_size > 0:
            pdfs[f] = pdf
        else:
            lost.append(f.name)
    if lost:
        detail = (stderr or stdout or "").strip().splitlines()[-3:]
        raise ReportgenError(f"LibreOffice 没有生成 PDF：{'、'.join(lost)}（退出码 {returncode}"
                             + (f"；{' / '.join(detail)}" if detail else "") + "）。"
                             "可在 LibreOffice 中直接打开该文件看是否报错；若有别的 LibreOffice 在转换同一文件，等它结束后重试")
    return pdfs


def _run_group(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[int, str, str]:
    """Run a program in its own process group and kill the whole group on timeout or Ctrl+C.

    soffice is a launcher: killing only it would leave soffice.bin converting (and writing into the profile
    we are about to delete).
    """
    posix = os.name == "posix"
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=posix,
                            creationflags=0 if posix else _NEW_GROUP)
    _LIVE.add(proc)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except BaseException:
        _kill(proc)
        raise
    finally:
        _LIVE.discard(proc)
    return proc.returncode, stdout, stderr


_LIVE: set[subprocess.Popen] = set()  # conversions running in worker threads (Ctrl+C reaches only the main one)


def _kill(proc: subprocess.Popen) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.kill()
    proc.wait()


def _open_pdf(pdf: Path):  # -> pypdfium2.PdfDocument
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as exc:
        raise ReportgenError(f"无法读取 PDF：{pdf.name}（{exc}）") from None


def page_count(pdf: Path) -> int:
    doc = _open_pdf(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def render_pages(pdf: Path, folder: Path, prefix: str, dpi: int) -> list[Path]:
    """Every page of `pdf` as folder/<prefix>-01.png …; old pages (<prefix>-NN.png only) are removed first.

    Drawn by PDFium (the pypdfium2 wheel), so previews need no poppler: the same on Linux, macOS and an office PC.
    """
    doc = _open_pdf(pdf)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{prefix}-*.png"):
        if re.fullmatch(rf"{re.escape(prefix)}-\d+\.png", old.name) and not old.is_symlink():
            old.unlink()  # our own page images; any other picture in the folder stays
    try:
        width = max(2, len(str(len(doc))))
        pages = []
        for n in range(len(doc)):
            page = doc[n]
            try:
                image = page.render(scale=dpi / 72, draw_annots=False).to_pil()
            finally:
                page.close()
            dst = folder / f"{prefix}-{n + 1:0{width}d}.png"
            image.save(dst, format="PNG")
            pages.append(dst)
    finally:
        doc.close()
    if not pages:
        raise ReportgenError(f"PDF 没有页面：{pdf.name}")
    return pages
