"""Where the platform's own data lies inside the installed package (``yijian/builtin/``).

A county runs the installed platform on a definitions root of its own; the default themes, the
national field library (数据元, ``forms/``) and the working-day calendar (national notices and
the known regional overlays) are the platform's, not the county's, so they ship in the wheel and
a county root only adds or overrides. In the repository they are symlinks to ``themes/``,
``forms/`` and ``rules/calendar/`` at the top, which the example root reads as its own: one
copy of each file, whoever reads it. Not in any layer: anything may import it, it imports nothing.
"""

from __future__ import annotations

from pathlib import Path

BUILTIN = Path(__file__).resolve().parent / "builtin"
#: The built-in themes (``default``, ``elder``); a county root's ``themes/`` overrides them.
THEMES = BUILTIN / "themes"
#: The national field library: ``use: person.name`` reads ``FORMS / "person.yaml"``.
FORMS = BUILTIN / "forms"
#: National calendars (``cn-<year>.yaml``) and regional overlays (``<region>-<year>.yaml``).
CALENDAR = BUILTIN / "calendar"


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths hold one file: the same file (the repository's example root reads the
    package's files through the symlinks) or a byte-for-byte copy (an archived version rebuilt
    in a temporary root). Either must not count twice."""
    try:
        return a.resolve() == b.resolve() or a.read_bytes() == b.read_bytes()
    except OSError:
        return False
