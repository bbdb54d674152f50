"""Static checks are tests: every silenced finding says why, beside it."""

from __future__ import annotations

import io
import re
import tokenize

from tests.conftest import ROOT

FOLDERS = ("generators", "tools", "tests")
# The forms: noqa with its codes then " - reason" or " (reason)"; type-ignore with its code then "  # reason".
NOQA = re.compile(r"#\s*noqa\b(?P<rest>.*)$")
IGNORE = re.compile(r"#\s*type:\s*ignore\b(?P<rest>.*)$")


def _comments() -> list[tuple[str, str]]:
    """(file:line, comment) of every comment in the Python sources (not text inside strings)."""
    out = []
    for path in sorted(p for f in FOLDERS for p in (ROOT / f).rglob("*.py") if "__pycache__" not in p.parts):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        out += [(f"{path.relative_to(ROOT)}:{t.start[0]}", t.string) for t in tokens if t.type == tokenize.COMMENT]
    return out


def it_gives_every_noqa_its_codes_and_reason():
    bad = [f"{where}: {text}" for where, text in _comments() if (m := NOQA.search(text))
           and not re.match(r":\s*[A-Z]+[0-9]+(,\s*[A-Z]+[0-9]+)*\s+(-\s+\S|\(\S)", m.group("rest"))]
    assert not bad, "a # noqa needs its codes and a reason: # noqa: B023 - why\n" + "\n".join(bad)


def it_gives_every_type_ignore_its_code_and_reason():
    bad = [f"{where}: {text}" for where, text in _comments() if (m := IGNORE.search(text))
           and not re.match(r"\[[a-z-]+(,\s*[a-z-]+)*\]\s+#\s*\S", m.group("rest"))]
    assert not bad, "a type: ignore needs its code and a reason: # type: ignore[code]  # why\n" + "\n".join(bad)
