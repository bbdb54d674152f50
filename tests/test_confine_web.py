"""Rule 3: the page answers only to itself — Host names, no open redirect, saved files with the user's permissions."""

from __future__ import annotations

import ipaddress
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.web import security as S

LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12).filter(
    lambda s: not s.startswith("-") and not s.endswith("-"))
PORT = st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}"))


@settings(max_examples=400, deadline=None)
@given(ip=st.integers(0x7F000000, 0x7FFFFFFF), port=PORT)
def it_accepts_every_loopback_address(ip, port):
    assert S.host_allowed(f"{ipaddress.IPv4Address(ip)}{port}")


@settings(max_examples=400, deadline=None)
@given(labels=st.lists(LABEL, min_size=1, max_size=4), port=PORT,
       prefix=st.sampled_from(["127.", "127.0.0.1.", "localhost.", "", "127.0.0.1-", "0x7f."]))
def it_refuses_any_name_that_merely_looks_local(labels, port, prefix):
    name = prefix + ".".join(labels)
    if name == "localhost" or S._address(name) is not None and S._address(name).is_loopback:
        return
    assert not S.host_allowed(name + port)
    assert not S.host_allowed(name + port, frozenset({"reportgen.lan"}), False)
    assert not S.is_loopback(name)


@settings(max_examples=300, deadline=None)
@given(header=st.text(max_size=40))
def it_never_accepts_a_malformed_host_header(header):
    name = S.host_name(header)
    if S.host_allowed(header):
        assert name is not None and S.is_loopback(name)
    if name is not None:
        assert ":" not in name or S._address(name) is not None  # only an IPv6 address keeps a colon
        assert "@" not in name and "/" not in name and " " not in name


@settings(max_examples=200, deadline=None)
@given(ip=st.ip_addresses(v=4), port=PORT)
def it_answers_a_wildcard_server_at_any_address_but_not_at_foreign_names(ip, port):
    names, any_address = S.allowed_names("0.0.0.0")
    assert S.host_allowed(f"{ip}{port}", names, any_address)
    assert not S.host_allowed(f"evil-{int(ip)}.example{port}", names, any_address)


def it_answers_a_named_server_only_at_its_name():
    names, any_address = S.allowed_names("reportgen.lan")
    assert S.host_allowed("reportgen.lan:8000", names, any_address)
    assert S.host_allowed("REPORTGEN.LAN", names, any_address)
    assert S.host_allowed("127.0.0.1:8000", names, any_address)
    for bad in ("reportgen.lan.evil.com", "evil.reportgen.lan", "192.0.2.7:8000", "reportgen.lan:x", "reportgen.lan@evil"):
        assert not S.host_allowed(bad, names, any_address), bad
    assert not S.is_loopback("127.evil.com") and S.is_loopback("127.1.2.3") and S.is_loopback("[::1]")


@pytest.fixture(scope="module")
def app_client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from generators.web.app import create_app
    from tests.test_web_api import make_project

    proj = make_project(tmp_path_factory.mktemp("w") / "proj")
    return proj, lambda **kw: TestClient(create_app(proj, warm=False, **kw), base_url="http://127.0.0.1:8000")


def it_refuses_127_dot_names_through_the_page(app_client):
    _proj, client = app_client
    c = client()
    for host in ("127.evil.com", "127.0.0.1.nip.io", "localhost.evil.com", "127.0.0.1:80@evil.com"):
        res = c.get("/api/catalogue", headers={"Host": host})
        assert res.status_code == 403 and "本机" in res.json()["problems"][0]["message"], host
    named = client(token="test-token-1234", loopback_only=False, host="reportgen.lan")
    tok = {"X-Reportgen-Token": "test-token-1234"}
    assert named.get("/api/catalogue", headers={"Host": "attacker.example", **tok}).status_code == 403
    assert named.get("/api/catalogue", headers={"Host": "reportgen.lan:8000", **tok}).status_code == 200


@pytest.mark.parametrize("path", ["//evil.example/", "/\\evil.example", "///evil.example", "/\\/evil.example/x"])
def it_never_redirects_off_the_page(app_client, path):
    _proj, client = app_client
    c = client(token="test-token-1234", loopback_only=False)
    res = c.get(path + "?token=test-token-1234", follow_redirects=False)
    assert res.status_code == 303
    loc = res.headers["location"]
    assert loc.startswith("/") and not loc.startswith("//") and not loc.startswith("/\\"), loc


def it_saves_a_briefing_spec_and_a_photo_with_the_users_permissions(app_client):
    proj, client = app_client
    from tests.test_web_api import spec

    old = os.umask(0o022)
    try:
        res = client().post("/api/briefings/save", json={"name": "权限测试", "spec": spec()},
                            headers={"Origin": "http://127.0.0.1:8000"})
        assert res.status_code == 200, res.text
        assert stat.S_IMODE((proj / "data/briefings/权限测试.yaml").stat().st_mode) == 0o644
    finally:
        os.umask(old)


@settings(max_examples=200, deadline=None)
@given(shape=st.lists(st.sampled_from(["[", "{\"a\":", "{\"[\":"]), min_size=0, max_size=80),
       noise=st.text(alphabet='"\\[]{}ab', max_size=5))
def it_measures_json_nesting_like_the_parser(shape, noise):
    import json

    from generators.web.api import MAX_JSON_DEPTH, json_depth

    closing = "".join("]" if s == "[" else "}" for s in reversed(shape))
    text = "".join(shape) + json.dumps(noise) + closing
    json.loads(text)  # a valid JSON text of exactly that nesting
    got = json_depth(text.encode())
    assert got == len(shape) or (got == 0 and text.count("[") + text.count("{") <= MAX_JSON_DEPTH)


def it_refuses_very_deep_json_with_a_4xx(app_client):
    _proj, client = app_client
    c = client()
    for body in ("[" * 100000 + "]" * 100000, '{"a":' * 3000 + "1" + "}" * 3000):
        res = c.post("/api/briefings/check", content=body, headers={"content-type": "application/json",
                                                                     "Origin": "http://127.0.0.1:8000"})
        assert res.status_code == 422 and "嵌套过深" in res.json()["problems"][0]["message"]
