"""The briefing docs stay true (issue 28): data/README.md names every 版式 field of the briefing spec, and every
`reportgen` command the README's 简报与公文 section mentions exists."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def it_names_every_preset_field_in_the_data_readme():
    from generators.load.specs import BriefingSpec

    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### briefings/*.yaml"):text.index("### texts/deck.yaml")]
    for name, field in BriefingSpec.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        if extra.get("presets") or name in ("preset", "issuer", "date"):
            assert f"`{name}`" in section, f"data/README.md 的 briefings 一节没有写 {name}"


def it_mentions_only_commands_that_exist():
    from generators.cli import app  # the entry point: importing it registers every command

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### 简报与公文（红头）"):text.index("## 每年更新数据")]
    commands = {c.name or (c.callback.__name__.replace("_", "-") if c.callback else "") for c in app.registered_commands}
    mentioned = set(re.findall(r"`reportgen ([a-z-]+)", section))
    assert mentioned and mentioned <= commands, mentioned - commands
