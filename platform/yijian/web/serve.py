"""``yijian serve``: run the app under uvicorn (uvloop/httptools when installed).

The access log is off: URLs carry draft ids, and a log line is no place for them. Answers are
never logged at all (so no 身份证号 or phone number can leak into a log file).
"""

from __future__ import annotations

import logging
from pathlib import Path

import uvicorn

from yijian.web.app import create_app
from yijian.web.settings import DEFAULT_REGION, Settings


def serve(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    db: str | Path = "var/yijian.db",
    region: str | None = None,
    reload: bool = True,
    forwarded_allow_ips: str | None = None,
) -> int:
    """Run the site; ``forwarded_allow_ips`` names the reverse proxies (comma-separated IPs or
    CIDRs) whose ``X-Forwarded-Proto``/``-For`` make a request HTTPS (``Secure`` cookies, HSTS)
    and give the client's address (per-client sign-in throttling)."""
    db_path = Path(db)
    if not db_path.is_absolute():
        db_path = Path(root) / db_path
    db_path.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings(
        root=Path(root),
        db_path=db_path,
        region=region or DEFAULT_REGION,
        reload=reload,
        forwarded_allow_ips=tuple(
            p.strip() for p in (forwarded_allow_ips or "").split(",") if p.strip()
        ),
    )
    app = create_app(settings)
    if host not in ("127.0.0.1", "localhost", "::1"):
        logging.getLogger("yijian.web").warning(
            "listening on %s: /admin/status has no sign-in yet; keep it behind a firewall", host
        )
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,
        loop="auto",
        http="auto",
        proxy_headers=False,  # the app's SecurityMiddleware applies them, from trusted peers
        server_header=False,
        log_config=None,
    )
    uvicorn.Server(config).run()
    return 0
