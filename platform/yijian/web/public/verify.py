"""``/verify``: the public verification page (文书核验), no sign-in.

GET ``/verify`` asks for the check code; ``/verify/<code>`` (what the QR code opens) shows the
document's type, issuer, masked holder, date and status; a POST there with the file checks that
it is the document issued and that its seal is intact (``apply.verification``). An unknown
code gets one message, whatever the reason.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.apply.verification import check_file, look_up
from yijian.web.offload import run, services_of
from yijian.web.redirects import see_other

UNKNOWN = "没有找到与该查验码对应的文书，请核对查验码（不含 0、1、I、L、O）后重试"
MAX_BYTES = 20 * 1024 * 1024


async def verify_form(request: Request) -> Response:
    code = request.query_params.get("code", "").strip().replace(" ", "")[:120]
    if code:
        return see_other(f"/verify/{code.upper()}")
    return _render(request, {})


async def verify_code(request: Request) -> Response:
    code = request.path_params["code"][:120]  # a check code, or an e-licence identifier
    found = await run(request, look_up, services_of(request), code)
    if found is None:
        return _render(request, {"error": UNKNOWN, "code": code}, 404)
    context: dict[str, Any] = {"doc": found, "code": code}
    if request.method == "POST":
        async with request.form(max_files=1, max_fields=2) as form:
            upload = form.get("file")
            data = await upload.read(MAX_BYTES + 1) if hasattr(upload, "read") else b""
        if not data:
            context["file_error"] = "请选择要核验的 PDF 文件"
        elif len(data) > MAX_BYTES:
            context["file_error"] = "文件超过 20 MB，不是本平台签发的文书"
        else:
            context["check"] = await run(request, check_file, services_of(request), code, data)
    return _render(request, context)


def _render(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.render(
        request, "public/verify.html", {"title": "文书核验", **context}, status_code=status,
        headers={"cache-control": "no-store"},
    )  # fmt: skip


def verify_routes() -> list[Route]:
    return [
        Route("/verify", verify_form, methods=["GET"], name="verify"),
        Route("/verify/{code}", verify_code, methods=["GET", "POST"], name="verify_code"),
    ]
