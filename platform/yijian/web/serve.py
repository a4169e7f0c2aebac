"""``yijian serve``: run the app under uvicorn (uvloop/httptools when installed).

The access log is off: URLs carry draft ids, and a log line is no place for them. Answers are
never logged at all (so no 身份证号 or phone number can leak into a log file).

``--workers N`` runs N app processes on one port (uvicorn's supervisor restarts one that
dies). Nothing a request needs lives in one process only: sessions, drafts, resume tokens,
staff sessions and sign-in throttle counters are in the store, and each process watches the
definitions itself, so a save reaches every process within the watcher's debounce (a
second). Each process builds its own caches, keyed by definition version. The settings go to
the processes as one JSON environment variable (``YIJIAN_SERVE``), read by ``app_from_env``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

from yijian.load.site import read_site
from yijian.store.target import resolve
from yijian.web.app import create_app, open_store
from yijian.web.failures import StartRefused
from yijian.web.settings import DEFAULT_REGION, Settings

ENV_SERVE = "YIJIAN_SERVE"


def serve(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    db: str | Path | None = None,
    region: str | None = None,
    reload: bool = True,
    forwarded_allow_ips: str | None = None,
    workers: int = 1,
) -> int:
    """Run the site; ``forwarded_allow_ips`` names the reverse proxies (comma-separated IPs or
    CIDRs) whose ``X-Forwarded-Proto``/``-For`` make a request HTTPS (``Secure`` cookies, HSTS)
    and give the client's address (per-client sign-in throttling). ``db``: a SQLite file or a
    ``postgresql://`` URL (default: ``YIJIAN_DB``, else ``var/yijian.db``)."""
    target = resolve(str(db) if db else None, root)
    target.path.parent.mkdir(parents=True, exist_ok=True)
    _log_to_stderr()
    site, errors = read_site(Path(root))
    if errors:  # the county's name and theme are not guessed: say what to fix, serve nothing
        for d in errors:
            print(d.format(), file=sys.stderr)
        return 1
    spec: dict[str, Any] = {
        "root": str(root),
        "db_path": str(target.path),
        "db_url": target.url,
        "files_dir": str(target.files),
        "region": region or (site.region if site else None) or DEFAULT_REGION,
        "county_theme": site.theme if site else None,
        "named": {"site_name": site.name, "hotline": site.hotline} if site else {},
        "reload": reload,
        "forwarded_allow_ips": [
            p.strip() for p in (forwarded_allow_ips or "").split(",") if p.strip()
        ],
    }
    if host not in ("127.0.0.1", "localhost", "::1"):
        logging.getLogger("yijian.web").warning(
            "listening on %s: /admin/status has no sign-in yet; keep it behind a firewall", host
        )
    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "access_log": False,
        "loop": "auto",
        "http": "auto",
        "proxy_headers": False,  # the app's SecurityMiddleware applies them, from trusted peers
        "server_header": False,
        "log_config": None,
    }
    if workers <= 1:
        uvicorn.Server(uvicorn.Config(create_app(settings_from(spec)), **common)).run()
        return 0
    # Open the store once here: migrations run once, and a wrong URL stops with one line
    # before N processes start and each says so.
    try:
        open_store(settings_from(spec)).close()
    except Exception as exc:  # the store's own one-line errors
        raise StartRefused(f"yijian: cannot open the store ({target.label}): {exc}") from None
    os.environ[ENV_SERVE] = json.dumps(spec)
    uvicorn.run("yijian.web.serve:app_from_env", factory=True, workers=workers, **common)
    return 0


def settings_from(spec: dict[str, Any]) -> Settings:
    """The Settings of one app process from the JSON-able ``spec`` that ``serve`` made."""
    return Settings(
        root=Path(spec["root"]),
        db_path=Path(spec["db_path"]),
        db_url=spec.get("db_url"),
        files_dir=Path(spec["files_dir"]) if spec.get("files_dir") else None,
        region=spec["region"],
        county_theme=spec.get("county_theme"),
        **spec.get("named", {}),
        reload=bool(spec["reload"]),
        forwarded_allow_ips=tuple(spec.get("forwarded_allow_ips", ())),
    )


def app_from_env() -> Starlette:
    """The app of one process of ``serve --workers N`` (uvicorn's factory; a spawned process
    starts without the parent's logging, so it is set up again)."""
    _log_to_stderr()
    return create_app(settings_from(json.loads(os.environ[ENV_SERVE])))


def _log_to_stderr() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
