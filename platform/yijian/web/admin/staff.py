"""``/admin/staff``: the accounts an admin manages — list, add with a first grant, disable.

Over ``office.staff`` with the signed-in admin as the operator, so the page can do exactly what
``yijian staff`` does within the admin's regions and nothing more (an account outside them is
404, never listed). Disabling ends the member's sessions at once.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.apply.errors import NotFound
from yijian.office.roles import ROLE_LABELS
from yijian.office.staff import GrantSpec, Operator, StaffError, add_staff, list_staff, set_disabled
from yijian.store.passwords import Passwords
from yijian.web.offload import run
from yijian.web.redirects import see_other
from yijian.web.staffauth import require_admin


def _passwords(request: Request) -> Passwords:
    state = request.app.state
    if getattr(state, "passwords", None) is None:
        state.passwords = Passwords()
    return state.passwords


FIELDS = ("login", "name", "password", "role", "region", "department")


def _departments(request: Request) -> set[str] | None:
    """The organisation's department ids (a reviewer's grant names one), if it has one."""
    snapshot = request.app.state.registry.current
    org = snapshot.org if snapshot is not None else None
    return {d.id for d in org.departments} if org is not None and org.defined else None


async def staff_page(request: Request) -> Response:
    return await run(request, _page, request, None, {})


def _page(
    request: Request, error: str | None, typed: dict[str, str], status: int = 200
) -> Response:
    admin = require_admin(request)
    members = list_staff(request.app.state.store, Operator.admin_member(admin))
    context = {
        "member": admin,
        "title": "工作人员账号",
        "members": members,
        "roles": ROLE_LABELS,
        "error": error,
        "typed": typed,
    }
    return request.app.state.templates.render(
        request, "admin/staff.html", context, status_code=status,
        headers={"cache-control": "no-store"},
    )  # fmt: skip


async def staff_add(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=20) as form:
        typed = {k: str(form.get(k) or "")[:200] for k in FIELDS}
    return await run(request, _add, request, typed)


def _add(request: Request, typed: dict[str, str]) -> Response:
    admin = require_admin(request)
    try:
        add_staff(
            request.app.state.store,
            _passwords(request),
            login=typed["login"],
            name=typed["name"],
            password=typed["password"],
            operator=Operator.admin_member(admin),
            regions=request.app.state.regions,
            grants=[GrantSpec(typed["role"], typed["region"], typed["department"] or None)],
            departments=_departments(request),
        )
    except StaffError as exc:
        return _page(request, str(exc), {**typed, "password": ""}, 400)
    return see_other("/admin/staff")


async def staff_toggle(request: Request) -> Response:
    return await run(request, _toggle, request)


def _toggle(request: Request) -> Response:
    admin = require_admin(request)
    disabled = request.path_params["action"] == "disable"
    if request.path_params["action"] not in ("disable", "enable"):
        raise NotFound()
    try:
        set_disabled(
            request.app.state.store, request.path_params["login"], disabled,
            Operator.admin_member(admin),
        )  # fmt: skip
    except StaffError:
        raise NotFound() from None  # outside the admin's regions: as if it did not exist
    return see_other("/admin/staff")


def admin_staff_routes() -> list[Route]:
    return [
        Route("/admin/staff", staff_page, methods=["GET"], name="admin_staff"),
        Route("/admin/staff", staff_add, methods=["POST"]),
        Route("/admin/staff/{login}/{action}", staff_toggle, methods=["POST"]),
    ]
