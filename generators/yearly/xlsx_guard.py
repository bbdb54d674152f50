"""A workbook given to `reportgen import` (or uploaded on the page), checked before openpyxl unpacks it.

A regular file (not a device, a pipe or a folder), of sane size; not an encrypted (password-protected) or old
.xls compound file; a zip whose members unpack to no more than the cap templates already have.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from generators.errors import InputError, Problem

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024  # as for templates (load/files.py): a zip bomb stops here
MAX_MEMBERS = 5000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: an encrypted .xlsx or an old .xls
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_RESAVE = "请在 Excel/WPS 中打开后“另存为”→“Excel 工作簿(*.xlsx)”"


def check_package(path: Path, where: str) -> None:
    try:
        st = os.stat(path)
    except OSError:
        raise InputError(Problem(where, message="找不到文件")) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "文件夹" if stat.S_ISDIR(st.st_mode) else "设备或管道等特殊文件"
        raise InputError(Problem(where, message=f"这是{kind}，不是工作簿文件", expected="填好的 .xlsx 文件"))
    if st.st_size > MAX_WORKBOOK_BYTES:
        raise InputError(Problem(where, message=f"文件过大（{st.st_size / 1024 / 1024:.1f} MB）；填报表通常只有几十 KB",
                                 expected=f"不超过 {MAX_WORKBOOK_BYTES // 1024 // 1024} MB"))
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head == _OLE:
            body = head + fh.read(min(st.st_size, 4 * 1024 * 1024))
            if _ENCRYPTED in body:
                raise InputError(Problem(where, message="工作簿设置了打开密码（已加密），无法读取；请在 Excel 中“文件 → 信息 → "
                                         "保护工作簿 → 用密码进行加密”清空密码（WPS：“文件 → 文档加密 → 密码加密”），保存后再导入"))
            raise InputError(Problem(where, message="这是旧版 .xls 格式（改了扩展名）；" + _RESAVE))
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(Problem(where, message="不是有效的 .xlsx 工作簿（zip 结构损坏、被截断或根本不是 Excel 文件）；"
                                 + _RESAVE)) from None
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise InputError(Problem(where, message=f"工作簿解压后过大（超过 {MAX_UNPACKED // 1024 // 1024} MB）或部件过多，"
                                 "不像填报表；请用“reportgen new-year”生成的表格填写"))
