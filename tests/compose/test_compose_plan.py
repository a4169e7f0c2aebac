"""One plan: joined routings, joint acceptance, member order, longest path, cycles."""

from __future__ import annotations

from compose_helpers import step

from yijian.compose.plan import graph, join_routings, longest_path, plan_id
from yijian.load.checks import find_cycle


def routing(*steps):  # accept → the rest, in order
    return [step("accept", kind="accept"), *steps]


BMC = routing(step("issue", 0, after=("accept",)))
REG = routing(step("register", 2, after=("accept",)))
INS = routing(step("enrol", 1, after=("accept",)))
CARD = routing(
    step("review", 1, after=("accept",)),
    step("make", 10, kind="issue", after=("review",), counts=False),
)
PAY = routing(step("review", 3, after=("accept",)), step("pay", 2, after=("review",)))
OWN = [
    step("accept", kind="accept"),
    step("close", kind="deliver", after=("bmc", "reg", "ins", "card", "pay")),
]
MEMBERS = [("bmc", BMC), ("reg", REG), ("ins", INS), ("card", CARD), ("pay", PAY)]
ORDER = {"reg": ("bmc",), "ins": ("reg",), "card": ("reg",)}


def test_joint_acceptance_replaces_member_accepts() -> None:
    steps, ends = join_routings(MEMBERS, OWN, ORDER)
    ids = [plan_id(s) for s in steps]
    assert ids[0] == "accept" and ids[-1] == "close"
    assert not any(i.endswith(".accept") for i in ids)
    assert len(steps) == 9  # 12 member steps − 5 accepts + 1 joint accept + close
    assert ends["card"].first == ("card.review",) and ends["card"].last == ("card.make",)


def test_member_order_waits_for_the_last_steps_of_the_other() -> None:
    g = graph(join_routings(MEMBERS, OWN, ORDER)[0])
    assert g["reg.register"] == ("accept", "bmc.issue")
    assert g["card.review"] == ("accept", "reg.register")
    assert set(g["close"]) == {"bmc.issue", "reg.register", "ins.enrol", "card.make", "pay.pay"}


def test_parallel_without_order() -> None:
    g = graph(join_routings(MEMBERS, OWN, {})[0])
    assert g["reg.register"] == ("accept",)


def test_longest_path_counts_only_counted_limits() -> None:
    steps, _ = join_routings(MEMBERS, OWN, ORDER)
    days, path = longest_path(steps)
    assert days == 5 and path == ("accept", "pay.review", "pay.pay", "close")
    without_pay, _ = join_routings(MEMBERS[:4], OWN, ORDER)
    assert longest_path(without_pay) == (
        3,
        ("accept", "bmc.issue", "reg.register", "card.review", "card.make", "close"),
    )


def test_without_a_joint_acceptance_member_accepts_stay() -> None:
    steps, _ = join_routings([("bmc", BMC)], [], {})
    assert [plan_id(s) for s in steps] == ["bmc.accept", "bmc.issue"]
    assert graph(steps)["bmc.issue"] == ("bmc.accept",)


def test_cycle_through_member_order_is_found() -> None:
    steps, _ = join_routings(MEMBERS[:2], OWN[:1], {"reg": ("bmc",), "bmc": ("reg",)})
    assert find_cycle(graph(steps))
    assert find_cycle({"reg": ["bmc"], "bmc": ["reg"]}) == ["reg", "bmc", "reg"]
