"""The built-in themes, registered through the ``yijian.themes`` extension point.

A theme is a folder of templates and static files (``themes/<name>/``) plus how it presents a
page: 长辈版 (``elder``) shows one question per screen (GOV.UK's one thing per page) where a page
asks several. A package adds a theme by naming a :class:`Theme` under ``yijian.themes``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """``name``: the folder under themes/; ``label``: what the switch link says."""

    name: str
    label: str
    one_question_per_screen: bool = False


DEFAULT = Theme("default", "标准版")
ELDER = Theme("elder", "长辈版", one_question_per_screen=True)
