"""`reportgen list …` and `reportgen serve …` (generators/cli_web.py), run in process."""

from __future__ import annotations

import importlib

import pytest

from tests.conftest import ROOT, run_cli

importlib.import_module("generators.cli_web")  # registers serve/list (until generators/cli.py imports it)


def it_lists_indicators_matching_a_word_with_their_latest_value():
    res = run_cli("list", "indicators", "生产总值", "--root", str(ROOT))
    assert res.code == 0, res.err
    assert "gdp" in res.out and "地区生产总值" in res.out and "461.71亿元" in res.out
    assert "retail_sales " not in res.out and "共 " in res.out


def it_lists_charts_and_blocks_with_the_ids_a_spec_uses():
    charts = run_cli("list", "charts", "--root", str(ROOT))
    assert charts.code == 0 and "gdp_levels" in charts.out
    blocks = run_cli("list", "blocks", "intro_economy", "--root", str(ROOT))
    assert blocks.code == 0 and "summary#intro_economy" in blocks.out


def it_says_so_when_nothing_matches():
    res = run_cli("list", "charts", "没有这样的图表", "--root", str(ROOT))
    assert res.code == 0 and "没有找到" in res.out


def it_refuses_an_unknown_list_kind():
    assert run_cli("list", "fonts", "--root", str(ROOT)).code == 2


@pytest.fixture
def captured(monkeypatch):
    """serve() up to the point where it would serve: the app and where it listens (no real port is taken)."""
    import socket

    from generators import cli_web

    calls = []

    class FakeSocket:
        def __init__(self, host, port):
            self.host, self.port = host, port

    monkeypatch.setattr(cli_web, "_listen", lambda host, port: FakeSocket(host, port))
    monkeypatch.setattr(cli_web, "run_server",
                        lambda app, sock: calls.append((app, {"host": sock.host, "port": sock.port})))
    assert socket  # the real socket paths are tested below without this fixture
    yield calls
    for app, _ in calls:  # the app's warm-up thread must not run on into the next test
        if app.state.warming is not None:
            app.state.warming.join(120)
            assert not app.state.warming.is_alive()


def it_serves_on_loopback_without_a_token_by_default(captured):
    res = run_cli("serve", "--no-browser", "--root", str(ROOT))
    assert res.code == 0, res.err
    ((app, kw),) = captured
    assert kw["host"] == "127.0.0.1" and kw["port"] == 8000
    assert "http://127.0.0.1:8000/" in res.out and "token" not in res.out


def it_generates_and_prints_a_token_for_any_other_host(captured):
    from fastapi.testclient import TestClient

    res = run_cli("serve", "--host", "0.0.0.0", "--port", "8123", "--no-browser", "--root", str(ROOT))
    assert res.code == 0, res.err
    ((app, kw),) = captured
    token = res.out.split("?token=")[1].split()[0]
    assert len(token) >= 16 and "访问令牌" in res.out
    others = [ln for ln in res.out.splitlines() if ln.startswith("其他电脑请打开：")]
    assert others and "127.0.0.1" not in " ".join(others) and all(f":8123/?token={token}" in ln for ln in others)
    c = TestClient(app, base_url="http://192.0.2.1:8123")
    assert c.get("/api/briefings").status_code == 401
    assert c.get("/api/briefings", headers={"X-Reportgen-Token": token}).status_code == 200


def it_refuses_a_token_with_unsafe_characters(captured):
    res = run_cli("serve", "--token", "a b;c", "--no-browser", "--root", str(ROOT))
    assert res.code == 2 and "--token" in res.err and not captured


def it_names_files_inside_the_project_however_the_server_was_started(captured, tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from tests.test_web_api import make_project

    proj = make_project(tmp_path / "proj")
    (proj / "data" / "briefings" / "broken.yaml").write_text("title: x\nsections: 3\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the command is run from another folder, with --root
    res = run_cli("serve", "--no-browser", "--root", str(proj))
    assert res.code == 0, res.err
    ((app, _),) = captured
    listed = TestClient(app, base_url="http://127.0.0.1:8000").get("/api/briefings").json()  # set aside (rule 5)
    message = next(b for b in listed if b["name"] == "broken")["problems"][0]["message"]
    assert message.startswith("data/briefings/broken.yaml"), message


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def opened(monkeypatch):
    import webbrowser

    urls: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: urls.append(url) or True)
    return urls


def it_just_opens_the_browser_when_a_workbench_is_already_running(tmp_path, opened, monkeypatch):
    import threading
    import time
    import urllib.request

    import uvicorn

    from generators.web.app import create_app
    from tests.test_web_api import make_project

    proj = make_project(tmp_path / "proj")
    monkeypatch.chdir(proj)  # serve() moves into the project folder; put the test's folder back afterwards
    port = _free_port()
    app = create_app(proj, token=None, loopback_only=True, warm=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/hello", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:  # serve would take the port itself and run until stopped: the test would hang, not fail
            pytest.fail("the first workbench did not start")
        res = run_cli("serve", "--port", str(port), "--root", str(proj))  # the second double click
        assert res.code == 0, res.err
        assert "工作台已经在运行" in res.out and "已启动" not in res.out and not res.err.strip()
        assert opened == [f"http://127.0.0.1:{port}/"]
    finally:
        server.should_exit = True
        thread.join(10)


def it_says_in_chinese_when_another_program_holds_the_port(tmp_path, opened, monkeypatch):
    import socket

    from tests.test_web_api import make_project

    proj = make_project(tmp_path / "proj")
    monkeypatch.chdir(proj)
    with socket.socket() as other:  # something that is not a 工作台 listens there
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        port = other.getsockname()[1]
        res = run_cli("serve", "--port", str(port), "--no-browser", "--root", str(proj))
    assert res.code == 2 and f"端口 {port} 已被别的程序占用" in res.err and "--port" in res.err
    assert "工作台已启动" not in res.out and "Traceback" not in res.err and "Errno" not in res.err and not opened
