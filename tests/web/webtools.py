"""Constants and helpers shared by the web tests (imported as ``webtools``: a module named
``conftest`` would clash with the browser tests' conftest when both folders run together)."""

from __future__ import annotations

import warnings
from pathlib import Path

with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2 at import; not our concern
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "root"
BIRTH = "birth-medical-certificate"
RELIEF = "hardship-relief"
SAME_ORIGIN = {"sec-fetch-site": "same-origin"}
HTMX = {"sec-fetch-site": "same-origin", "hx-request": "true"}

#: Valid answers of the birth example, as its pages post them (cases.yaml, first case).
BIRTH_PAGES: dict[str, dict[str, str]] = {
    "child": {
        "child.name": "李小安",
        "child.sex": "女",
        "child.birth_datetime": "2025-09-28T08:30",
        "child.birth_region-1": "440000",
        "child.birth_region-2": "442000",
        "child.hospital": "中山市博爱医院",
        "child.hospital_certified": "true",
        "child.weight_g": "3200",
        "child.length_cm": "50",
        "child.gestation_weeks": "39",
        "child.has_certificate": "false",
    },
    "parents": {
        "mother.name": "王芳",
        "mother.id_number": "11010519491231002X",
        "father.name": "李明",
        "father.id_number": "440101199001011233",
        "contact.phone": "13800138000",
    },
    "declaration": {"declaration.truthful": "true"},
}


def with_markers(values: dict[str, str], extra_keys: tuple[str, ...] = ()) -> dict[str, object]:
    """Form fields as a page posts them: the values plus one ``_f`` marker per field rendered."""
    keys = dict.fromkeys([k.split("-")[0] for k in values] + list(extra_keys))  # keys have no "-"
    return {**values, "_f": list(keys)}


def start(client: TestClient, matter_id: str) -> tuple[str, str]:
    """Start a draft; returns (draft id, first page url)."""
    r = client.post(f"/apply/{matter_id}", follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    return url.split("/")[2], url


def sign_up(client: TestClient, name: str, phone: str, password: str, next_url: str | None = None):
    """Sign up as a person does: the form, then the code the SMS brought (read from the
    outbox, where the worker would pick it up). Returns the last response."""
    r = client.post("/signup" + (f"?next={next_url}" if next_url else ""),
                    data={"name": name, "phone": phone, "password": password},
                    follow_redirects=False)  # fmt: skip
    if r.status_code != 303 or not r.headers["location"].startswith("/signup/verify"):
        return r
    store = client.app.state.store  # type: ignore[attr-defined]
    digits = "".join(ch for ch in phone if ch.isdigit())
    digits = digits[2:] if len(digits) == 13 and digits.startswith("86") else digits
    with store.db.read() as conn:  # through the store: SQLite or PostgreSQL
        row = conn.execute(
            "SELECT data FROM outbox WHERE recipient = ? AND template = 'signup_code'"
            " ORDER BY id DESC LIMIT 1",
            (digits,),
        ).fetchone()
    if row is None:  # a registered phone: no code was sent
        return r
    import json

    code = json.loads(row[0])["code"]
    return client.post(r.headers["location"], data={"code": code}, follow_redirects=False)
