"""Chinese administrative divisions (行政区划) at province, city and county level.

The table is data shipped with the package (``yijian/data/regions.json``, see
``data/REGIONS-SOURCE.md`` for where it comes from) and is loaded once::

    regions = RegionTable.load()
    regions.full_name("442000")      # '广东省中山市'
    regions.children("110000")       # 北京市's districts, directly (no 市辖区 level)

Codes are six-digit strings (GB/T 2260 style). The level is read off the code:
``xx0000`` is a province, ``xxxx00`` a city (地级), anything else a county (县级).

Places where the three-level hierarchy does not hold, and what this table does:

* 直辖市 (北京 110000, 天津 120000, 上海 310000, 重庆 500000): the statistical tables put a
  placeholder city 市辖区 (and 县 for 重庆) between the municipality and its districts. The
  placeholder is dropped: the districts and counties are children of the municipality, so
  a cascading picker shows two selects (直辖市 → 区/县), and ``full_name('110101')`` is
  '北京市东城区', never '北京市市辖区东城区'. ``level('110101')`` is ``"county"``.
* 省直辖县级行政区划 (河南 4190, 湖北 4290, 海南 4690, 新疆 6590): the same, e.g. 仙桃市 429004
  is a county-level child of 湖北省 ('湖北省仙桃市').
* 不设区的地级市 (东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620200): a city with no
  county level; ``children()`` is empty, and the picker stops at the city.
* 台湾省, 香港特别行政区, 澳门特别行政区 (710000, 810000, 820000): provinces with no children.

Every lookup of an unknown code raises ``KeyError``; use ``is_valid`` first for user input.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

__all__ = ["Level", "Region", "RegionTable"]

Level = Literal["province", "city", "county"]

_DATA_PACKAGE = "yijian"
_DATA_PATH = ("data", "regions.json")


def _level_of(code: str) -> Level:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def _is_code(code: object) -> bool:
    return isinstance(code, str) and len(code) == 6 and code.isascii() and code.isdigit()


@dataclass(frozen=True, slots=True)
class Region:
    """One division: ``code`` (six digits), ``name``, ``parent`` code (None for a province)."""

    code: str
    name: str
    parent: str | None

    @property
    def level(self) -> Level:
        return _level_of(self.code)


@dataclass(frozen=True)
class RegionTable:
    """An immutable table of divisions with parent/child lookups.

    Build it with :meth:`load` (the packaged table, parsed once per process) or
    :meth:`from_rows` (tests, or a county that ships its own table).
    """

    source: str
    licence: str
    version: str
    _by_code: Mapping[str, Region] = field(repr=False)
    _children: Mapping[str | None, tuple[Region, ...]] = field(repr=False)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def load(cls) -> RegionTable:
        """The packaged table; parsed on first use and shared afterwards (it is immutable)."""
        return _load_packaged()

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> RegionTable:
        """Build from the ``regions.json`` structure."""
        return cls.from_rows(
            document["regions"],
            source=str(document.get("source", "")),
            licence=str(document.get("licence", "")),
            version=str(document.get("version", "")),
        )

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[Sequence[Any]],
        *,
        source: str = "",
        licence: str = "",
        version: str = "",
    ) -> RegionTable:
        """Build from ``[code, name, parent_code_or_None]`` rows; checks the tree is sound."""
        by_code: dict[str, Region] = {}
        for row in rows:
            code, name, parent = row
            if not _is_code(code):
                raise ValueError(f"region code must be six digits, got {code!r}")
            if code in by_code:
                raise ValueError(f"duplicate region code {code}")
            if parent is not None and not _is_code(parent):
                raise ValueError(f"{code}: parent code must be six digits or null, got {parent!r}")
            by_code[code] = Region(code, str(name), parent)

        children: dict[str | None, list[Region]] = {None: []}
        for region in by_code.values():
            if region.parent is not None and region.parent not in by_code:
                raise ValueError(f"{region.code}: unknown parent {region.parent}")
            if (region.parent is None) != (region.level == "province"):
                raise ValueError(f"{region.code}: a province has no parent, and only a province")
            if region.parent is not None and by_code[region.parent].level == "county":
                raise ValueError(f"{region.code}: parent {region.parent} is a county")
            children.setdefault(region.parent, []).append(region)

        return cls(
            source=source,
            licence=licence,
            version=version,
            _by_code=MappingProxyType(dict(sorted(by_code.items()))),
            _children=MappingProxyType(
                {key: tuple(sorted(value, key=lambda r: r.code)) for key, value in children.items()}
            ),
        )

    # -- lookups ------------------------------------------------------------------------

    def get(self, code: str) -> Region:
        """The region with this code; ``KeyError`` if there is none."""
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            raise KeyError(code) from None

    def is_valid(self, code: object) -> bool:
        """True for a known six-digit code (any level); False for anything else, never raises."""
        return _is_code(code) and code in self._by_code

    def name(self, code: str) -> str:
        """The division's own name, e.g. '中山市'."""
        return self.get(code).name

    def level(self, code: str) -> Level:
        """'province', 'city' or 'county' (a 直辖市's districts are 'county')."""
        return self.get(code).level

    def parent(self, code: str) -> str | None:
        """The parent's code, or None for a province."""
        return self.get(code).parent

    def path(self, code: str) -> tuple[Region, ...]:
        """From the province down to this region, e.g. (广东省, 中山市)."""
        chain = [self.get(code)]
        while chain[-1].parent is not None:
            chain.append(self._by_code[chain[-1].parent])
        return tuple(reversed(chain))

    def full_name(self, code: str, sep: str = "") -> str:
        """Names from the province down, joined: '广东省中山市', '北京市东城区'."""
        return sep.join(region.name for region in self.path(code))

    def children(self, code: str | None = None) -> tuple[Region, ...]:
        """Direct children sorted by code; ``None`` gives the provinces."""
        if code is not None:
            self.get(code)  # unknown code: KeyError, not a silent empty list
        return self._children.get(code, ())

    # -- container protocol -------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return self.is_valid(code)

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())


@functools.cache
def _load_packaged() -> RegionTable:
    resource = resources.files(_DATA_PACKAGE).joinpath(*_DATA_PATH)
    return RegionTable.from_json(json.loads(resource.read_text(encoding="utf-8")))
