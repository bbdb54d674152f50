"""The designer's commands (preview, watch), registered on the typer app; the logic is in generators/preview/."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from generators.cli_app import ROOT_HELP, Only, app, only_names, report_error
from generators.cli_app import checked_root as _root


@app.command()
def preview(
    only: Only = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="预览图片的文件夹（默认 preview/）")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="版本年份（默认：数据中最新的完整年份）")] = None,
    dpi: Annotated[int, typer.Option("--dpi", min=30, max=300, help="每英寸像素数（默认 80）")] = 80,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度")] = False,
    root: Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)] = None,
) -> None:
    """把每份文档的每一页画成图片（PPTX/DOCX 先用 LibreOffice 转成 PDF），并为每份文档拼一张总览图。

    out/ 中已是最新的文档直接使用；其余生成到 build/preview/docs/（不改动 out/）。
    幻灯片和 Word 文档需要 LibreOffice（soffice）；PDF 页面由 pypdfium2 绘制，不需要 poppler。
    """
    from generators.preview import CONTACT_SHEET, PreviewOptions, run_preview, unit

    proj = _root(root)
    dest = (out or proj / "preview").resolve()
    try:
        made = run_preview(PreviewOptions(root=proj, out=dest, only=only_names(only), year=year, dpi=dpi,
                                          quiet=quiet))
    except KeyboardInterrupt:  # typer turns it into a silent exit 0 when not standalone: say it, exit 130
        print("\n已取消预览。", file=sys.stderr)
        sys.exit(130)
    for d in made:
        print(f"{d.sheet}  {len(d.pages)} {unit(d)}" + ("（未变化）" if d.reused else ""))
    print(f"预览完成：{len(made)} 份文档；每页一张图片，每份文档一张总览图 {CONTACT_SHEET}，都在 {dest}")


@app.command()
def watch(
    interval: Annotated[float, typer.Option("--interval", min=0.05, max=3600, help="检查间隔（秒）")] = 1.0,
    with_preview: Annotated[bool, typer.Option("--preview", help="重新生成后也更新预览图片")] = False,
    only: Only = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="输出文件夹（默认 out/）")] = None,
    preview_out: Annotated[Optional[Path], typer.Option("--preview-out", help="预览文件夹（默认 preview/）")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="版本年份")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示每个文件的进度")] = False,
    root: Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)] = None,
    max_cycles: Annotated[Optional[int], typer.Option("--max-cycles", hidden=True, min=0)] = None,
) -> None:
    """监视 data/、templates/、assets/，有文件保存时只重新生成受影响的文档（加 --preview 同时更新预览）。"""
    from generators.preview import WatchOptions
    from generators.preview import watch as run_watch

    proj = _root(root)
    opts = WatchOptions(root=proj, out=(out or proj / "out").resolve(), only=only_names(only), year=year,
                        interval=interval,
                        preview=((preview_out or proj / "preview").resolve() if with_preview else None),
                        max_cycles=max_cycles, quiet=quiet)
    try:
        run_watch(opts, report_error)
    except KeyboardInterrupt:
        print("\n已停止监视。", file=sys.stderr)


