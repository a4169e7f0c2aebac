"""The live eligibility banner: own messages with placeholders, and a bundle's member statuses."""

from types import SimpleNamespace

from yijian.web.citizen.pages import banner


def _rule(rid: str, passed: bool | None, text: str, matter: str = "", block: bool = True):
    spec = SimpleNamespace(id=rid, matter=matter, block=block, message="raw " + text)
    return SimpleNamespace(spec=spec, passed=passed, text=text)


def _out(rules, eligible: bool, members=None):
    return SimpleNamespace(
        rules=rules, eligible=eligible, extra={"members": members} if members else {}
    )


def test_matter_banner_shows_rendered_messages() -> None:
    b = banner(_out([_rule("R1", False, "您的退休日期为 2031-10-01")], eligible=False))
    assert b["kind"] == "error" and b["messages"] == ["您的退休日期为 2031-10-01"]
    assert banner(_out([_rule("R1", True, "x")], eligible=True)) is None


def test_bundle_banner_lists_each_chosen_member_with_its_reason() -> None:
    members = {
        "a": {
            "name": "出生登记",
            "selected": True,
            "included": True,
            "eligible": True,
            "failing": [],
        },
        "b": {
            "name": "生育医疗费用报销",
            "selected": True,
            "included": False,
            "eligible": False,
            "failing": [{"id": "b.R7", "message": "raw"}],
        },
        "c": {
            "name": "科学育儿指导登记",
            "selected": False,
            "included": False,
            "eligible": True,
            "failing": [],
        },
    }
    rules = [_rule("b.R7", False, "需填写产妇本人 I 类银行卡", matter="b")]
    b = banner(_out(rules, eligible=True, members=members))
    assert b["kind"] == "warning" and b["messages"] == []
    assert [(r["name"], r["ok"], r["messages"]) for r in b["members"]] == [
        ("出生登记", True, []),
        ("生育医疗费用报销", False, ["需填写产妇本人 I 类银行卡"]),
    ]
    ok = banner(_out([], eligible=True, members={"a": members["a"]}))
    assert ok["kind"] == "info" and ok["title"] == "您将一并办理以下事项"
