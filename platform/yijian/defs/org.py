"""``rules/org.yaml``: the county's departments (实施主体) and service centres, as definitions.

Staff are people in the store; *which* departments and centres exist, which posts (岗位) work
routing steps, and which centre's window accepts which matters are definitions a county edits
like its matters, checked by ``yijian check``: every ``department:`` and ``role:`` a matter or
routing names must exist here (``load.org``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from yijian.defs.common import Def, LocalId
from yijian.defs.matter import Remedy


class Post(Def):
    """A post (岗位) that works routing steps, e.g. 户籍窗口 — a routing step's ``role:``."""

    name: str = Field(description="Post name as routing.yaml writes it in `role:`.")
    role: Literal["clerk", "reviewer", "approver"] = Field(
        description="The staff role holding it: clerk (窗口), reviewer (审查), approver (负责人)."
    )


class Webhook(Def):
    """Where 审管联动 sends this department the decisions it supervises (docs/notifications.md).

    The secret is never written here (definitions are versioned and shared): ``secret_env``
    names the environment variable of ``yijian worker`` that holds it."""

    url: str = Field(
        pattern=r"^https?://[^\s/?#]+[^\s]*$",
        max_length=500,
        description="The receiver's address (http or https); the worker POSTs signed JSON to it.",
    )
    secret_env: str = Field(
        pattern=r"^[A-Z_][A-Z0-9_]{0,63}$",
        description="Environment variable of the worker holding the HMAC-SHA256 key.",
    )


class Department(Def):
    id: LocalId = Field(description="Stable id; staff grants name it (`--department`).")
    name: str = Field(description="实施主体 name as matter.yaml writes it in `department.name`.")
    aliases: tuple[str, ...] = Field(
        (), description="Other names steps use for it or its units (助产机构, 户籍地派出所 …)."
    )
    posts: tuple[Post, ...] = Field((), description="Posts (岗位) that work its steps.")
    webhook: Webhook | None = Field(
        None, description="审管联动: where decisions of matters it supervises are sent."
    )
    uscc: str | None = Field(
        None,
        pattern=r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
        description="统一社会信用代码 of the department: the issuer code of its e-licences.",
    )


class LicenceType(Def):
    """An e-licence type (电子证照类型) the county's matters issue (GB/T 36904)."""

    name: str = Field(description="As matter.yaml `result.licence_type` names it.")
    code: str = Field(
        pattern=r"^[0-9A-Z]{18}\d{3}$",
        description="证照类型代码: the defining body's credit code (18) + a 3-digit serial.",
    )
    valid_years: int | None = Field(None, ge=1, le=100, description="有效期 (years); none: 长期.")


class Window(Def):
    """A window (窗口) of a centre: a counter the queue and notices can name, staffed by a post.

    Optional: a centre without windows is one 综合窗口. The post, when given, must be a post of
    some department, so a renamed post cannot leave a window nobody can staff."""

    name: str = Field(description="Window name shown to staff and applicants, e.g. 1号综合窗口.")
    post: str | None = Field(
        None, description="The post (岗位) that staffs it, as a department's `posts[].name`."
    )


class Centre(Def):
    id: LocalId = Field(description="Stable id of the service centre.")
    name: str = Field(description="e.g. 县政务服务中心, 某某镇便民服务中心.")
    level: Literal["county", "township", "village"] = Field(
        description="县级政务服务中心, 乡镇/街道便民服务中心, 村/社区代办点."
    )
    region: str = Field(
        pattern=r"^\d{6}(\d{3}(\d{3})?)?$",
        description="Region code: 6 digits (county), 9 (township), 12 (village).",
    )
    accepts: Literal["all"] | tuple[LocalId, ...] = Field(
        "all", description="Matter and bundle ids its window accepts, or `all`."
    )
    windows: tuple[Window, ...] = Field((), description="Its windows (窗口), if it names them.")
    seal: str | None = Field(
        None,
        description="Its approval seal's name, when not the policy's rule (documents.sealname).",
    )


class RatingPolicy(Def):
    """好差评: the county's own time limits (the national rules leave them to the county)."""

    rectify_days: int = Field(
        5, ge=1, le=60, description="Working days a department has to revisit and put right a 差评."
    )
    remind_after_days: int = Field(
        3, ge=1, le=30, description="Days after 办结 an unrated case gets its one reminder."
    )


class OrgDef(Def):
    """The whole file."""

    departments: tuple[Department, ...] = Field(description="Departments (实施主体).")
    centres: tuple[Centre, ...] = Field((), description="Service centres with a window.")
    licence_types: tuple[LicenceType, ...] = Field(
        (), description="E-licence types issued here (电子证照库): their type codes."
    )
    ratings: RatingPolicy = Field(
        default_factory=RatingPolicy, description="好差评 time limits set by the county."
    )
    remedies: Remedy | None = Field(
        None,
        description="权利救济 of every matter that does not name its own (service.remedies): "
        "the county's 行政复议 body and court, written once.",
    )
