"""Files people bring in (photos, fonts, Office templates, symlinks): confined to the project and sane, checked from headers."""

from __future__ import annotations

import os
import stat
import struct
import sys
import zipfile
from pathlib import Path
from typing import BinaryIO

from generators.errors import Problem, TemplateError, shown

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_FONT_BYTES = 64 * 1024 * 1024
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
MAX_TEMPLATE_UNPACKED = 200 * 1024 * 1024  # a zip bomb stops here, before anything is unpacked
MAX_TEMPLATE_MEMBERS = 5000
PROJECT_FOLDERS = ("data", "templates", "assets")
IMAGE_MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_SYMLINK = "是指向项目文件夹之外的符号链接（快捷方式）；请把文件本身复制到项目文件夹中"


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every symlink followed, lies inside `folder`."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def confinement_problems(tree: Path, project: Path | None = None) -> list[Problem]:
    """Symlinks in data/, templates/, assets/ of `tree` that lead outside `project` (default: `tree`), never read."""
    problems = []
    project = project or tree
    for name in PROJECT_FOLDERS:
        top = tree / name
        if top.is_symlink() and not inside(top, project):
            problems.append(Problem(shown(top), message=f"文件夹 {name}/ {_SYMLINK}"))
            continue
        for folder, dirs, files in os.walk(top):
            for entry in sorted(dirs + files):
                p = Path(folder) / entry
                if p.is_symlink() and not inside(p, project):
                    problems.append(Problem(shown(p), message=f"“{entry}”{_SYMLINK}"))
    return problems


def _png_size(head: bytes) -> tuple[int, int] | None:
    if len(head) < 24 or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def _jpeg_size(fh: BinaryIO) -> tuple[int, int] | None:
    """Width and height from the first frame header (SOFn), reading markers only, never the pixels."""
    fh.seek(2)
    while True:
        byte = fh.read(1)
        while byte and byte != b"\xff":
            byte = fh.read(1)
        marker = fh.read(1)
        while marker == b"\xff":
            marker = fh.read(1)
        if not marker:
            return None
        m = marker[0]
        if m in (0x01, 0xD8) or 0xD0 <= m <= 0xD7:
            continue
        if m == 0xD9:
            return None
        raw = fh.read(2)
        if len(raw) < 2:
            return None
        length = struct.unpack(">H", raw)[0]
        if 0xC0 <= m <= 0xCF and m not in (0xC4, 0xC8, 0xCC):
            frame = fh.read(5)
            return None if len(frame) < 5 else (struct.unpack(">H", frame[3:5])[0], struct.unpack(">H", frame[1:3])[0])
        fh.seek(length - 2, os.SEEK_CUR)


def check_image(folder: Path, name: str) -> None:
    """A named photo: a real, whole PNG/JPEG file in assets/images of sane size; else a Chinese ValueError."""
    shown_name = f"assets/images/{name}"
    path = folder / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise ValueError(f"图片“{name}”不在 assets/images/ 文件夹内；只能写文件名")
    if path.is_symlink():
        raise ValueError(f"图片 {shown_name} 是符号链接（快捷方式）；请把图片文件本身放进 assets/images/")
    if not inside(path, folder):
        raise ValueError(f"图片“{name}”不在 assets/images/ 文件夹内；只能写文件名")
    suffix = path.suffix.lower()
    if suffix not in IMAGE_MAGIC:
        raise ValueError(f"图片“{name}”的格式不支持，应为 .jpg 或 .png")
    if not path.is_file():
        raise ValueError(f"找不到图片 {shown_name}（不写 image 则显示“图片待补充”占位框）")
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise ValueError(f"图片 {shown_name} 过大：{size / 1024 / 1024:.1f} MB，应不超过 {MAX_IMAGE_BYTES // 1024 // 1024} MB"
                         "（请先压缩或缩小）")
    with path.open("rb") as fh:
        head = fh.read(32)
        if not head.startswith(IMAGE_MAGIC[suffix]):
            raise ValueError(f"图片 {shown_name} 已损坏或不是 {suffix} 格式（文件开头不对）")
        dims = _png_size(head) if suffix == ".png" else _jpeg_size(fh)
        fh.seek(max(0, size - 1024))
        tail = fh.read()
    whole = tail.endswith(_PNG_END) if suffix == ".png" else b"\xff\xd9" in tail
    if dims is None or not whole:
        raise ValueError(f"图片 {shown_name} 已损坏或不完整（可能下载或复制时被截断），请重新导出")
    w, h = dims
    if w == 0 or h == 0 or w * h > MAX_IMAGE_PIXELS:
        raise ValueError(f"图片 {shown_name} 的尺寸 {w}×{h} 像素（{w * h / 1_000_000:.1f} 百万像素）不可用，"
                         f"应不超过 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素（请缩小后再用）")
    check_pixels(path, shown_name)


_JPEG_MARKERS_IN_SCANS = {0x00, *range(0xD0, 0xD8), 0xD9, 0xDA, 0xC4, 0xDB, 0xDD, 0xFE, *range(0xE0, 0xF0), 0xFF}


def check_pixels(path: Path, shown_name: str) -> None:
    why = pixel_problem(path.read_bytes())
    if why:
        raise ValueError(f"图片 {shown_name} {why}")


def pixel_problem(data: bytes) -> str | None:
    """What is wrong with the pixels themselves, or None: decoded whole (a damaged PNG stream, a truncated file),
    RGB or grey (a CMYK photo prints with wrong colours in Word, PowerPoint and LibreOffice), and a JPEG's coded
    data free of stray markers (bit damage that decoders silently paint as grey blocks)."""
    import io

    from PIL import Image

    fix = "请用看图软件或 Photoshop 重新导出为 RGB 的 JPEG/PNG"
    try:
        with Image.open(io.BytesIO(data)) as im:
            mode = im.mode
            im.load()
    except Exception:  # noqa: BLE001 - Pillow's many errors all mean "these pixels cannot be read"
        return f"的像素数据已损坏，无法完整读出；{fix}"
    if mode in ("CMYK", "YCCK"):
        return ("是 CMYK 颜色模式（印刷分色用），在 Word、PowerPoint 和 PDF 中颜色会失真；"
                "请另存为 RGB 颜色模式（Photoshop：“图像 → 模式 → RGB 颜色”）")
    if data.startswith(b"\xff\xd8"):
        sos, end = data.find(b"\xff\xda"), data.rfind(b"\xff\xd9")
        i = data.find(b"\xff", sos + 2)
        while 0 <= i < end:
            if data[i + 1] not in _JPEG_MARKERS_IN_SCANS:
                return f"的压缩数据已损坏（文件中间有错误的字节）；{fix}"
            i = data.find(b"\xff", i + 2)
    return None


def check_font_file(path: Path) -> None:
    """A font file whose table directory fits the file: a truncated or non-font file is a TemplateError naming it."""
    where = shown(path)
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):  # a device or a pipe would never finish reading
        raise TemplateError(Problem(where, message="字体不是普通文件（是设备、管道或文件夹），请换回原始字体文件"))
    size = st.st_size
    if size > MAX_FONT_BYTES:
        raise TemplateError(Problem(where, message=f"字体文件过大（{size // 1024 // 1024} MB），应不超过 "
                                                   f"{MAX_FONT_BYTES // 1024 // 1024} MB"))
    with path.open("rb") as fh:
        head = fh.read(12)
        tag = head[:4]
        if len(head) < 12 or tag not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
            raise TemplateError(Problem(where, message="不是可用的 TrueType 字体文件（文件开头不对，可能损坏或不是 .ttf）"))
        count = struct.unpack(">H", head[4:6])[0]
        table = fh.read(16 * count)
    if len(table) < 16 * count:
        raise TemplateError(Problem(where, message="字体文件不完整（可能复制时被截断），请换回原始字体文件"))
    for i in range(count):
        name, _, offset, length = struct.unpack(">4sIII", table[16 * i: 16 * i + 16])
        if offset + length > size:
            label = name.decode("latin-1", "replace").strip()
            raise TemplateError(Problem(where, message=f"字体文件不完整（表 {label} 超出文件末尾，可能复制时被截断），请换回原始字体文件"))


def check_font_tables(path: Path) -> None:
    """Every table's checksum agrees with the table directory: a font damaged in the middle (a bad copy, a disk
    error) is named here instead of failing inside the subsetter. ~0.05 s per 10 MB; remembered by the caller."""
    from array import array

    data = path.read_bytes()
    count = struct.unpack(">H", data[4:6])[0]
    for i in range(count):
        tag, checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        chunk = data[offset: offset + length]
        words = array("I", chunk + b"\0" * (-len(chunk) % 4))
        if sys.byteorder == "little":
            words.byteswap()
        total = sum(words) - (struct.unpack(">I", data[offset + 8: offset + 12])[0] if tag == b"head" else 0)
        if total & 0xFFFFFFFF != checksum:
            label = tag.decode("latin-1", "replace").strip()
            raise TemplateError(Problem(shown(path), message=f"字体文件已损坏（表 {label} 的校验和不符，文件中间有错误的字节，"
                                                             "可能复制或下载时出错），请换回原始字体文件"))


def check_office_template(path: Path) -> None:
    """A .pptx/.docx template: a whole zip with the OOXML parts, every member intact and its XML well-formed."""
    where = shown(path)
    main = {".pptx": "ppt/presentation.xml", ".docx": "word/document.xml"}.get(path.suffix.lower())
    fix = "模板无法打开，请换回原始模板，或在 PowerPoint/Word 中打开后重新“另存为”"
    if not path.is_file():
        raise TemplateError(Problem(where, message="找不到模板文件"))
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise TemplateError(Problem(where, message=f"模板文件过大，应不超过 {MAX_TEMPLATE_BYTES // 1024 // 1024} MB"))
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_TEMPLATE_MEMBERS or sum(i.file_size for i in infos) > MAX_TEMPLATE_UNPACKED:
                raise TemplateError(Problem(where, message="模板解压后过大或部件过多（可能不是 Office 文件）；" + fix))
            names = {i.filename for i in infos}
            for need in ("[Content_Types].xml", "_rels/.rels", main):
                if need and need not in names:
                    raise TemplateError(Problem(where, field=need, message="模板缺少必需的部件；" + fix))
            for info in infos:
                _check_member(zf, info, where, fix)
            from generators.load.activeparts import active_problems

            active = active_problems(zf, where, path.suffix.lower())
            if active:  # macros, ActiveX, OLE objects, links out: never copied into a published document
                raise TemplateError(active)
    except zipfile.BadZipFile:
        raise TemplateError(Problem(where, message="模板不是有效的 Office 文件（zip 结构损坏、被截断或根本不是 "
                                                   f"{path.suffix} 文件）；" + fix)) from None


def _check_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, fix: str) -> None:
    from lxml import etree

    try:
        data = zf.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
        kind = "CRC 校验失败" if "CRC" in str(exc) else "无法解压"
        raise TemplateError(Problem(where, field=info.filename, message=f"模板中的部件已损坏（{kind}）；" + fix)) from None
    except Exception:  # noqa: BLE001 - zlib.error and other codec failures of a damaged member
        raise TemplateError(Problem(where, field=info.filename, message="模板中的部件已损坏（无法解压）；" + fix)) from None
    if info.filename.endswith((".xml", ".rels")):
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # Office never writes these; an entity can pull in other files
            raise TemplateError(Problem(where, field=info.filename, message="模板中的部件含 DOCTYPE/ENTITY 声明"
                                        "（正常的 Office 文件不会有，可能是被改动过的文件）；" + fix))
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise TemplateError(Problem(where, exc.lineno or None, field=info.filename,
                                        message="模板中的部件不是完整的 XML（已损坏）；" + fix)) from None
