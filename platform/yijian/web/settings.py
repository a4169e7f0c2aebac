"""Settings of one running site: what to serve, from where, for which county.

A frozen dataclass rather than environment lookups scattered through the code: ``create_app``
receives everything it needs in one value, so tests build as many differently configured apps
as they like in one process.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yijian import packaged

#: The county of the example matters (中山市, a city without counties, so a 3-level picker stops).
DEFAULT_REGION = "442000"
DEFAULT_SITE_NAME = "一件 · 县政务服务"
#: Built-in themes, shipped in the package (a county root may add its own under themes/).
BUILTIN_THEMES = packaged.THEMES


@dataclass(frozen=True)
class Settings:
    """Everything one site needs; immutable so a running app never sees it change."""

    root: Path
    #: The SQLite file, or with ``db_url`` the nominal file whose folder holds the site's
    #: local things (the SMS outbox file of the test channel, seals).
    db_path: Path
    region: str = DEFAULT_REGION
    theme: str = "default"
    reload: bool = False
    site_name: str = DEFAULT_SITE_NAME
    county_theme: str | None = None  # <root>/themes/<county_theme>/ overrides single templates
    themes_dir: Path = BUILTIN_THEMES
    hotline: str = "12345"
    resume_ttl_hours: int = 72
    max_upload_mb: float = 20  # a request body limit above every material's own limit
    #: Worker threads running application calls (store I/O) off the event loop at once.
    workers: int = 16
    #: The ``yijian.storage_backends`` plugin holding drafts and cases.
    backend: str = "sqlite"
    #: A ``postgresql://`` URL (``store.target``): the PostgreSQL backend instead of the file.
    db_url: str | None = None
    #: The uploads folder (default: beside the SQLite file; ``var/files`` with PostgreSQL).
    files_dir: Path | None = None
    #: Peers whose ``X-Forwarded-Proto``/``-For`` are believed (IPs or CIDRs; ``*`` = any):
    #: the TLS-terminating reverse proxy. Empty: the headers are ignored from everyone.
    forwarded_allow_ips: tuple[str, ...] = ()
    #: ``Strict-Transport-Security`` max-age sent on HTTPS responses (0: none).
    hsts_max_age: int = 365 * 86400
