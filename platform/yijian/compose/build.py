"""Compiling a bundle folder (see yijian.compose). Until composition lands, bundles are checked
for their member references and reported as not yet servable."""

from __future__ import annotations

from collections.abc import Mapping

from yijian.compiled import CompiledMatter
from yijian.load.diagnostics import Diagnostic
from yijian.load.source import FolderSource


def compile_bundle(folder: FolderSource, compiled: Mapping[str, CompiledMatter | None], library,
                   engine, ids: frozenset[str]) -> tuple[CompiledMatter | None, list[Diagnostic]]:
    return None, folder.all_diagnostics()
