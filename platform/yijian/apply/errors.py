"""What the application layer refuses, as data: each adapter (web, CLI, batch) says it its way.

The web maps them to status codes (404/410/422) and to a redirect for a draft already submitted;
the messages are the Chinese text a citizen reads.
"""

from __future__ import annotations


class ApplyError(Exception):
    """A refusal; ``status`` is the HTTP status the web answers with."""

    status = 400
    message = "请求无法处理"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class NotFound(ApplyError):
    """Not there, or not this person's (the same answer, so existence is not revealed)."""

    status = 404
    message = "页面不存在"


class Gone(ApplyError):
    """The matter is no longer offered (its pinned version and the current one are gone)."""

    status = 410
    message = "该事项已停止网上办理"


class Unreadable(ApplyError):
    """A rule could not read an odd answer: a 422 with a message, never a 500."""

    status = 422
    message = "部分填写内容无法识别，请检查后重试"


class AlreadySubmitted(ApplyError):
    """The draft became a case; the adapter shows the case instead of the form."""

    status = 303

    def __init__(self, case_no: str | None) -> None:
        self.case_no = case_no
        super().__init__("已提交")
