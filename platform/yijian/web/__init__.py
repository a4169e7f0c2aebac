"""The citizen-facing web application: catalog, guides, the form runtime, admin status.

Starlette + Jinja2 + htmx, server-rendered, every page working without JavaScript; see
``create_app`` in :mod:`yijian.web.app` and docs in DESIGN.md ("Web").
"""

from yijian.web.app import create_app
from yijian.web.settings import Settings

__all__ = ["Settings", "create_app"]
