"""Prefill from the signed-in account: name and phone are not asked again (不重复填报).

A field with ``prefill: {source: account, path: name|phone}`` is filled from the account when
the draft is created, or the first time its signed-in owner opens it (an anonymous draft claimed
at sign-in), and only while the field is empty: a value the citizen typed always wins. What was
filled is recorded in the draft's ``_meta.prefilled``, so a field marked ``editable: false`` can
be drawn read-only and the server can put the account's value back whatever a client posts.

Other sources (realname, birth_record, licence, …) need a connector to a government system
(docs/prefill.md); until one exists they fill nothing and the field is asked like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from yijian.apply.labels import META
from yijian.compiled.matter import CompiledMatter, FieldSpec
from yijian.extend import PREFILL_SOURCES
from yijian.runtime.answers import get, is_empty, put

ACCOUNT = "account"
FILLED = "prefilled"  # _meta key: {answer key: value filled from the account}
APPLIED = "prefilled_for"  # _meta key: the user id whose account was applied (once per owner)


class PrefillSource(Protocol):
    """A ``yijian.prefill_sources`` plugin: the value at ``path`` for the signed-in ``user``,
    or None when it has none (the field is then asked like any other)."""

    def value(self, user: Any, path: str) -> str | None: ...


class AccountSource:
    """The built-in ``account`` source: the signed-in account's name and phone."""

    def value(self, user: Any, path: str) -> str | None:
        data = {"name": getattr(user, "name", None), "phone": getattr(user, "phone", None)}
        found = data.get(path)
        return found if isinstance(found, str) and found.strip() else None


ACCOUNT_SOURCE = AccountSource()


def _prefilled_fields(m: CompiledMatter, source: str | None = None) -> Iterator[FieldSpec]:
    """Top-level fields with a ``prefill`` (of ``source``, if given); repeat rows never are."""
    for page in m.pages:
        for f in page.fields:
            p = f.definition.prefill
            if f.key and p is not None and (source is None or p.source == source):
                yield f


def applied(answers: dict[str, Any], user: Any) -> bool:
    """Whether this user's account was applied already (cheap: no copy of the answers)."""
    meta = answers.get(META)
    return user is not None and isinstance(meta, dict) and meta.get(APPLIED) == user.id


def from_account(m: CompiledMatter, answers: dict[str, Any], user: Any) -> bool:
    """Fill the empty account fields for ``user``; True when ``answers`` changed (save them).

    Runs once per owner: afterwards a field the citizen emptied on purpose stays empty.
    """
    if user is None or applied(answers, user):
        return False
    meta = answers.get(META)
    meta = dict(meta) if isinstance(meta, dict) else {}
    filled = dict(meta.get(FILLED) or {})
    sources = PREFILL_SOURCES.plugins()  # the account, and any source a package installs
    for f in _prefilled_fields(m):
        source = sources.get(f.definition.prefill.source)  # type: ignore[union-attr]
        if source is None:  # no connector for this source here: asked like any other field
            continue
        value = source.value(user, f.definition.prefill.path)  # type: ignore[union-attr]
        if value is not None and is_empty(get(answers, f.key)):
            put(answers, f.key, value)
            filled[f.key] = value
    meta[FILLED] = filled
    meta[APPLIED] = user.id
    answers[META] = meta
    return True


def locked(m: CompiledMatter, answers: dict[str, Any]) -> dict[str, Any]:
    """Answer keys prefilled (by any source) whose field is ``editable: false``, with the value."""
    meta = answers.get(META)
    filled = meta.get(FILLED) if isinstance(meta, dict) else None
    if not filled:
        return {}
    return {
        f.key: filled[f.key]
        for f in _prefilled_fields(m)
        if f.key in filled and not f.definition.prefill.editable  # type: ignore[union-attr]
    }


def enforce(m: CompiledMatter, answers: dict[str, Any]) -> None:
    """Put the account's value back into every locked field (posted changes are ignored)."""
    for key, value in locked(m, answers).items():
        put(answers, key, value)
