"""Where any command may write or delete: one rule for build, briefing, preview, new-year, watch and the page.

1. An output folder (or the folder of an output file) is never one of the project's input or code folders
   (data/, templates/, assets/, the generator's code, tools/, tests/, docs/, .git/, build/cache, build/locks),
   nor a folder holding one of them.
2. Inside an output folder nothing follows a symbolic link: every path below the folder is walked one
   component at a time without following links (`within`), so a link planted in out/ (the publish work
   folder, a sub-folder a journal or manifest names) cannot send a write, a move or a delete elsewhere.
3. A folder is deleted only when this program made it: `make_dir` leaves a marker file in it, and
   `remove_made` refuses a folder without one (a folder the user made there is never removed).
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path, PurePath

from generators.errors import InputError, Problem, shown

MARK = ".reportgen-made"  # in every folder we create and may later delete
_CODE = Path(__file__).resolve().parent
_INPUTS = ("data", "templates", "assets", "tools", "tests", "docs", ".git", "build/cache", "build/locks")


def protected(root: Path) -> tuple[Path, ...]:
    """The folders of the project (and the generator's own code) that no command writes documents into."""
    root = root.resolve()
    return (*(root / d for d in _INPUTS), _CODE)


def refused(root: Path, path: Path, holding: bool = True) -> Path | None:
    """The protected folder that `path` (resolved) is, lies in, or (with `holding`) holds; None when it may be
    written. A folder that holds one is refused as an output folder (a build would mix documents with inputs);
    a single file may be written there."""
    path = path.resolve()
    for p in protected(root):
        p = p.resolve()
        if path == p or p in path.parents or (holding and path in p.parents):
            return p
    return None


def _refuse(option: str, what: str, path: Path, hit: Path, root: Path) -> InputError:
    try:
        name = hit.resolve().relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        name = "程序代码文件夹 " + shown(hit)
    return InputError(Problem(option, message=f"{what}不能是、位于或包含项目的输入文件夹 {name}（data/、templates/、assets/ 等只读）",
                              expected="单独的输出文件夹，如 out/ 或 preview/", found=shown(path)))


def claim(root: Path, out: Path, option: str = "--out", create: bool = True) -> Path:
    """The output folder `out`, resolved and created; refused (exit 2, the option named) when it may not be one.
    `create=False` only checks (a command that may still fail before writing anything)."""
    out = out.resolve()
    hit = refused(root, out)
    if hit is not None:
        raise _refuse(option, "输出文件夹", out, hit, root)
    if out.exists() and not out.is_dir():
        raise InputError(Problem(option, message="输出位置已有同名文件，不是文件夹", expected="文件夹", found=shown(out)))
    if not create:
        return out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(Problem(option, message=f"无法创建输出文件夹（{exc.strerror or exc}）", found=shown(out))) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise InputError(Problem(option, message="输出文件夹不可写（no write permission）", found=shown(out)))
    return out


def claim_file(root: Path, dest: Path, option: str = "--out") -> Path:
    """An output file: resolved (a link is followed to where it really writes), never inside a protected folder."""
    dest = dest.resolve()
    hit = refused(root, dest, holding=False)
    if hit is not None:
        raise _refuse(option, "输出文件", dest, hit, root)
    if dest.is_dir():
        raise InputError(Problem(option, message="输出位置是一个文件夹", expected="文件名", found=shown(dest)))
    return dest


class Escape(InputError):
    """A path below an output folder that goes through a symbolic link or leaves the folder."""


def within(folder: Path, rel: str | PurePath) -> Path:
    """`folder / rel`, refused when any part of `rel` is a link, `..`, absolute, or not a folder on the way.

    The last component may be missing (to be created) or a regular file; it is never followed when a link.
    """
    parts = PurePath(rel).parts
    if not parts or any(p in ("", ".", "..") or os.sep in p or (os.altsep and os.altsep in p) or PurePath(p).anchor
                        for p in parts):  # "" or "." (the folder itself), "..", an absolute path or a drive
        raise _escape(folder, rel)
    path = folder
    for i, part in enumerate(parts):
        path = path / part
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return folder.joinpath(*parts)  # the rest does not exist yet: nothing to follow
        except OSError:
            raise _escape(folder, rel) from None
        last = i == len(parts) - 1
        if stat.S_ISLNK(st.st_mode) or (not last and not stat.S_ISDIR(st.st_mode)):
            raise _escape(folder, rel)
    return path


def _escape(folder: Path, rel: str | PurePath) -> Escape:
    return Escape(Problem(shown(folder / rel), message="输出位置经过符号链接或指向输出文件夹之外，已拒绝（不跟随链接，不写也不删）",
                          expected="输出文件夹内的普通文件和文件夹；请删除该链接", found=str(rel)))


def is_safe(folder: Path, rel: str | PurePath) -> bool:
    try:
        within(folder, rel)
    except Escape:
        return False
    return True


def make_dir(folder: Path, rel: str | PurePath, mark: bool = True) -> Path:
    """Create `folder / rel` (and the folders on the way) without following links; marks every folder it made
    (`mark=False` for folders the user sees among documents, such as out/briefings/: those are never deleted
    whole, only emptied of our files and then removed with rmdir when empty)."""
    path = folder
    for part in PurePath(rel).parts:
        path = within(folder, path.relative_to(folder) / part)
        try:
            os.mkdir(path)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                raise _escape(folder, rel) from None
            continue
        if mark:
            (path / MARK).touch()
    return path


def made_here(path: Path) -> bool:
    """A real folder (not a link) that this program created (it holds the marker)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode) and stat.S_ISREG(os.lstat(path / MARK).st_mode)
    except OSError:
        return False


def remove_made(folder: Path, rel: str | PurePath) -> bool:
    """Delete `folder / rel` when it is a folder we made (marker present, reached without links). True if removed.

    shutil.rmtree does not follow links inside the tree (it removes the link itself), so nothing outside goes.
    """
    if not is_safe(folder, rel):
        return False
    path = folder / rel
    if not made_here(path):
        return False
    shutil.rmtree(path, ignore_errors=True)
    return not path.exists()


def remove_file(folder: Path, rel: str | PurePath) -> bool:
    """Unlink `folder / rel` when it is a regular file (or a link itself) reached without links. True if removed."""
    if PurePath(rel).parent.parts and not is_safe(folder, PurePath(rel).parent):
        return False
    path = folder / rel
    try:
        os.unlink(path)
    except (FileNotFoundError, IsADirectoryError, PermissionError, NotADirectoryError):
        return False
    return True
