"""The briefing editor (issue 26): every passage quotable, indicators by category, charts from picked figures,
staff wording, drafts. Through the JSON API in process, on a copied project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_web_api import client, docx_text, make_project


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    return client(make_project(tmp_path_factory.mktemp("editor") / "proj"))


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def brief(*blocks, **over) -> dict:
    return {"title": "乡村振兴简报", "sections": [{"title": "乡村振兴", "blocks": list(blocks)}]} | over


# ---- find everything --------------------------------------------------------------------------------

def it_offers_every_passage_of_the_deck_and_the_summary_by_a_stable_reference(shared):
    blocks = shared.get("/api/catalogue").json()["blocks"]
    hits = [b for b in blocks if "乡村振兴示范区" in b["text"]]
    assert [b["id"] for b in hits] == ["deck#closing"] and hits[0]["where"] == "幻灯片 · 结语"
    ids = {b["id"] for b in blocks}
    assert "summary#intro_economy" in ids and "summary#intro.1" in ids  # by id where it has one, else by place
    assert "deck#economy.review.3" in ids
    review = next(b for b in blocks if b["id"] == "deck#economy.review.3")
    assert review["where"] == "幻灯片 · 经济硬实力 · 回顾第 3 项" and review["text"].startswith("乡村振兴衡南样板：")
    assert len(ids) == len(blocks)  # a passage with an id is offered once


def it_quotes_a_passage_by_its_place_and_names_the_ways_to_write_one(shared):
    res = shared.post("/api/briefings/render", json=brief({"use": "deck#closing"}, {"use": "summary#industry.2"}))
    assert res.status_code == 200, res.text
    text = docx_text(res.content)
    assert "乡村振兴示范区" in text and "规模以上工业总产值突破" in text
    bad = shared.post("/api/briefings/check", json=brief({"use": "summary#industry.99"})).json()["problems"]
    assert "没有 id 或位置为“industry.99”的段落" in bad[0]["message"] and "industry.2" in bad[0]["message"]


def it_finds_indicators_by_their_words_and_by_categories_kept_as_data(shared):
    cat = shared.get("/api/catalogue").json()
    assert {"id": "agriculture", "name": "农业与乡村振兴"} in cat["categories"]
    roads = next(i for i in cat["indicators"] if i["id"] == "rural_roads_built")
    assert roads["category_names"] == ["城乡建设", "农业与乡村振兴"] and "乡村振兴" in roads["search"]
    rural = [i["id"] for i in cat["indicators"] if "乡村振兴" in i["search"]]
    assert {"rural_roads_built", "hybrid_rice_double_yield", "rural_sanitary_toilet_rate"} <= set(rural)
    assert "gdp" not in rural


def it_lists_passages_and_indicators_by_category_on_the_command_line():
    out = run_cli("list", "blocks", "乡村振兴示范区")
    assert out.code == 0 and "deck#closing" in out.out and "幻灯片 · 结语" in out.out
    inds = run_cli("list", "indicators", "乡村振兴")
    assert inds.code == 0 and "rural_roads_built" in inds.out


def it_refuses_a_category_list_naming_an_unknown_indicator(proj):
    path = proj / "data" / "categories.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("rural_service_platforms_built]", "rural_nope]"),
                    encoding="utf-8")
    out = run_cli("check", "--root", str(proj))
    assert out.code == 2 and "data/categories.yaml" in out.err and "rural_nope" in out.err
