"""A server started with a deeply nested definition on disk starts, serves what compiled and
names the error on /admin/status; a running server that meets one keeps its last good version
(issue 13, item 4: the RecursionError in the reader made start-up exit)."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from webtools import BIRTH, SAME_ORIGIN, TestClient

from yijian.office.staff import GrantSpec, Operator, add_staff
from yijian.store.passwords import Passwords
from yijian.web import Settings, create_app

PASSWORD = "admin-test-pass-1"
DEEP = "x: " + "[" * 5000 + "]" * 5000 + "\n"


def _admin(app) -> TestClient:
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    add_staff(
        app.state.store, app.state.passwords, login="root", name="root", password=PASSWORD,
        operator=Operator.shell("test"), regions=app.state.regions,
        grants=[GrantSpec("admin", "442000", None)],
    )  # fmt: skip
    return TestClient(app, headers=SAME_ORIGIN)


def test_start_with_a_deep_file_serves_the_rest_and_states_the_error(
    web_root: Path, tmp_path: Path
) -> None:
    form = web_root / "matters" / BIRTH / "form.yaml"
    form.write_text(form.read_text(encoding="utf-8") + DEEP, encoding="utf-8")
    app = create_app(Settings(root=web_root, db_path=tmp_path / "var" / "yijian.db"))
    with _admin(app) as client:
        r = client.post("/staff/signin", data={"login": "root", "password": PASSWORD})
        assert r.status_code == 200, r.text
        status = client.get("/admin/status")
        assert f"matters/{BIRTH}/form.yaml:" in status.text and "E-YAML-DEPTH" in status.text
        assert client.get("/").status_code == 200


def test_a_running_server_keeps_its_version_and_shows_the_error(app, web_root: Path) -> None:
    with _admin(app) as client:
        before = app.state.registry.current.version
        form = web_root / "matters" / BIRTH / "form.yaml"
        form.write_text(form.read_text(encoding="utf-8") + DEEP, encoding="utf-8")
        assert app.state.registry.load([form]) is None
        assert app.state.registry.current.version == before
        client.post("/staff/signin", data={"login": "root", "password": PASSWORD})
        status = client.get("/admin/status")
        assert "E-YAML-DEPTH" in status.text
        assert client.get(f"/matters/{BIRTH}").status_code == 200
