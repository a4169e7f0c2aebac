"""Static files at ``/static/<file>``, from the first theme layer that has the file.

The same layering as the templates (county theme → chosen theme → default), so a county
overrides one stylesheet or logo without copying the rest. The resolved path is cached per
(theme, name); a name that would leave its folder (``..``, absolute paths) is a 404.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from yijian.web.settings import Settings
from yijian.web.templating import THEMES, Templates, theme_dirs


class StaticFiles:
    """Resolve and serve one static file through the theme layers."""

    def __init__(self, settings: Settings) -> None:
        self.layers = {t: theme_dirs(settings, t, "static") for t in THEMES}
        self.cache_resolved = not settings.reload
        self._found: dict[tuple[str, str], Path | None] = {}

    def find(self, theme: str, name: str) -> Path | None:
        key = (theme, name)
        if key in self._found:
            return self._found[key]
        found = None
        if name and "\x00" not in name and not name.startswith(("/", "\\")):
            for layer in self.layers.get(theme, self.layers["default"]):
                candidate = (layer / name).resolve()
                if candidate.is_relative_to(layer) and candidate.is_file():
                    found = candidate
                    break
        if self.cache_resolved and len(self._found) < 4096:
            self._found[key] = found
        return found

    async def endpoint(self, request: Request) -> Response:
        templates: Templates = request.app.state.templates
        path = self.find(templates.theme_of(request), request.path_params["path"])
        if path is None:
            return PlainTextResponse("未找到文件", status_code=404)
        return FileResponse(path, headers={"cache-control": "public, max-age=3600"})
