"""The window's queue (综合窗口): submitted cases of the clerk's regions, oldest first.

What a clerk reads before opening a case: the number, the matter, the applicant masked (王**,
1101**********002X: the queue is on a screen others can see), when it was received, the working
days it has waited and a light for the five working days 行政许可法 §32 gives the window to
accept, refuse or send the one correction notice (green; yellow on the last day; red after).
A case resubmitted after a correction comes back into the queue, marked so.

Scope: the regions of the member's clerk, approver and supervisor grants
(``office.scope.region_prefixes``), and the matters their centre's window accepts
(``rules/org.yaml``, ``centre_matters``); the store filters by both, so a case outside never
leaves the database. A member without such grants gets an empty queue, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from yijian.apply.services import Services
from yijian.calendar.clock import china_today
from yijian.casework import kinds
from yijian.casework.clock import window
from yijian.documents.receipt_inputs import applicant_of
from yijian.office.scope import region_prefixes
from yijian.runtime.mask import mask_id, mask_name
from yijian.store.queues import QueueRow
from yijian.store.staff import StaffMember

__all__ = ["QueueItem", "QueuePage", "queue"]

WINDOW_ROLES = ("clerk", "approver", "supervisor")
PER_PAGE = 50
KEPT = 8192  # queue items kept between requests (``shape``)
LIGHT_WORDS = {"green": "正常", "yellow": "即将到期", "red": "已超期", "none": "—"}


@dataclass(frozen=True, slots=True)
class QueueItem:
    case_no: str
    matter: str
    applicant: str  # masked
    id_number: str  # masked
    received: date
    waited: int | None  # working days since receipt; None: no calendar for those days
    light: str  # green / yellow / red (none: no calendar for those days)
    due: date | None  # the last day of the §32 window
    resubmitted: bool
    # the same, as the page prints them (made once here: a page of 50 rows renders faster)
    received_text: str = ""
    waited_text: str = "—"
    due_text: str = ""
    light_text: str = "—"


@dataclass(frozen=True, slots=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    pages: int
    #: the keyset of the page's last and first rows (``key_of``), for 下一页 and 上一页
    next_key: str = ""
    prev_key: str = ""


def key_of(row: QueueRow) -> str:
    """A row's place in the queue as text for a link: its status time and case number."""
    return f"{row.status_at}|{row.case_no}"


def parse_key(text: str | None) -> tuple[str, str] | None:
    """``key_of`` read back; None for anything else (a hand-made link is a first page)."""
    if not text or len(text) > 80 or text.count("|") != 1:
        return None
    at, case_no = text.split("|")
    return (at, case_no) if at and case_no.replace("-", "").isalnum() else None


def _applicant(row: QueueRow) -> tuple[str, str]:
    given = row.applicant
    if isinstance(given, dict) and isinstance(given.get("party"), dict):
        given = given["party"]  # 代办: the queue names the person applied for
    if isinstance(given, dict) and given.get("name"):
        return mask_name(given.get("name")), mask_id(given.get("id_number"))
    found = applicant_of(_AsCase(row))  # the receipt's own guess  # type: ignore[arg-type]
    return (mask_name(found.name), mask_id(found.id_number)) if found else ("", "")


@dataclass(frozen=True)
class _AsCase:
    """The two fields ``applicant_of`` reads, from a queue row."""

    row: QueueRow

    @property
    def summary(self) -> dict[str, Any]:
        return self.row.summary

    @property
    def answers(self) -> dict[str, Any]:
        return self.row.answers


def item(
    row: QueueRow, today: date, calendar: Any, memo: dict[str, Any] | None = None
) -> QueueItem:
    # waiting since submission, or since the corrected application came back (status_at)
    day = row.status_at[:10]
    found = memo.get(day) if memo is not None else None
    if found is None:  # a page holds many cases of the same day: one count each
        received = date.fromisoformat(day)
        found = (received, *window(received, today, calendar))
        if memo is not None:
            memo[day] = found
    received, waited, due, light = found
    name, id_number = _applicant(row)
    return QueueItem(
        case_no=row.case_no,
        matter=str(row.matter_name or row.matter_id),
        applicant=name,
        id_number=id_number,
        received=received,
        waited=waited,
        light=light,
        due=due,
        resubmitted=row.status_at[:19] != row.submitted_at[:19],
        received_text=received.isoformat(),
        waited_text="—" if waited is None else f"{waited} 个工作日",
        due_text=f"{due.isoformat()} 前" if due else "",
        light_text=LIGHT_WORDS[light],
    )


def centre_matters(services: Services, member: StaffMember | None) -> list[str] | None:
    """The matters the member's window accepts: for each clerk or approver grant, the most
    specific centre of ``rules/org.yaml`` holding its region, and that centre's ``accepts``.
    None (every matter) when a centre accepts all, when a grant has no centre, for a
    supervisor (who watches the whole region) and when the root has no organisation."""
    snapshot = services.registry.current if services.registry else None
    org = snapshot.org if snapshot is not None else None
    if org is None or not org.defined or not org.centres or member is None:
        return None
    accepted: set[str] = set()
    for grant in member.grants:
        if grant.role == "supervisor":
            return None
        if grant.role not in WINDOW_ROLES:
            continue
        found = org.centres_for(grant.region)
        if not found:
            return None
        centre = max(found, key=lambda c: len(c.region))  # the grant's own centre
        if centre.accepts == "all":
            return None
        accepted |= set(centre.accepts)
    return sorted(accepted)


def rows(
    services: Services,
    member: StaffMember | None,
    page: int = 1,
    after: str | None = None,
    before: str | None = None,
) -> tuple[list[QueueRow], int, int]:
    """The store part of a queue page: (rows, total, page); the rest is pure (``shape``).
    The member's regions, and the matters their centre's window accepts. ``after``/``before``
    (``key_of`` a row, from the 下一页/上一页 links) seek the page in the index whatever its
    depth; a page number alone is counted from the start."""
    prefixes = region_prefixes(member, WINDOW_ROLES)
    page = max(1, page)
    found, total = services.store.queues.in_status(  # type: ignore[attr-defined]
        [kinds.STATUS[kinds.SUBMITTED]],
        prefixes,
        matters=centre_matters(services, member),
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
        after=parse_key(after),
        before=parse_key(before),
    )
    return found, total, page


def shape(
    services: Services,
    found: list[QueueRow],
    total: int,
    page: int,
    kept: dict[Any, QueueItem] | None = None,
) -> QueuePage:
    """The page as the clerk reads it: masked applicants, days waited, §32 lights.

    ``kept``: items made before, by (case, status time, today, calendar): a case waiting at
    the window reads the same all day, so a reloaded queue makes only new rows (bounded)."""
    snapshot = services.registry.current if services.registry else None
    calendar = snapshot.calendar if snapshot else None
    today = china_today(services.clock)
    memo: dict[str, Any] = {}
    items = []
    for r in found:
        key = (r.case_no, r.status_at, today, id(calendar))
        made = kept.get(key) if kept is not None else None
        if made is None:
            made = item(r, today, calendar, memo)
            if kept is not None:
                if len(kept) >= KEPT:
                    kept.pop(next(iter(kept)))
                kept[key] = made
        items.append(made)
    keys = (key_of(found[-1]), key_of(found[0])) if found else ("", "")
    return QueuePage(items, total, page, max(1, -(-total // PER_PAGE)), *keys)


def queue(services: Services, member: StaffMember | None, page: int = 1) -> QueuePage:
    """One page of the member's window queue (an empty one outside any window grant)."""
    return shape(services, *rows(services, member, page))
