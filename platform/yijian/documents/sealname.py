"""Which seal a document carries, by the reform's naming rule (一枚印章管审批). Pure.

The policy names one approval seal per service centre: "□□县（市、区）□□乡（镇、街道）人民政府
（办事处）行政审批（服务）专用章" for a township's centre, the county approval bureau's for
county-level matters. A matter entrusted by a higher authority is sealed with that authority's
seal instead: its routing step says so (``seal:``), and that name wins.
"""

from __future__ import annotations

__all__ = ["approval_seal", "township_of"]

_CENTRE_WORDS = ("便民服务中心", "政务服务中心", "党群服务中心", "服务中心")


def township_of(centre_name: str) -> str:
    """The township (乡、镇、街道) a centre's name begins with: 石岐街道便民服务中心 → 石岐街道."""
    for word in _CENTRE_WORDS:
        if centre_name.endswith(word):
            return centre_name[: -len(word)]
    return centre_name


def approval_seal(county: str, township: str | None = None) -> str:
    """The approval seal's name for a county's centre, or a township's (街道: 办事处)."""
    if not township:
        return f"{county}行政审批局行政审批专用章"
    body = "办事处" if township.endswith("街道") else "人民政府"
    return f"{county}{township}{body}行政审批专用章"
