"""The field ↔ rule ↔ material ↔ step graph of a matter or bundle, as DOT or Mermaid text.

An admin reads it to see what a question is for before removing it, and what a rule stands on
before changing it. Edges go from what is read to what reads it (``field:child.birth_date →
rule:R1``); the nodes are every question, derived value, parameter, context value, rule,
situation, material, step, page and commitment that takes part, and every question even when
nothing reads it (an isolated question is what E-FIELD-UNUSED is about).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yijian.compiled.matter import CompiledMatter
from yijian.load.analysis.usage import edges, page_fields

#: Node kind → (DOT shape, Mermaid brackets).
SHAPES = {
    "field": ("box", ("[", "]")),
    "derived": ("ellipse", ("([", "])")),
    "param": ("note", ("[/", "/]")),
    "context": ("note", ("[/", "/]")),
    "rule": ("diamond", ("{", "}")),
    "situation": ("hexagon", ("{{", "}}")),
    "material": ("folder", ("[[", "]]")),
    "step": ("box3d", ("(", ")")),
    "page": ("tab", (">", "]")),
    "commitment": ("component", ("[\\", "\\]")),
}


@dataclass
class Graph:
    name: str
    labels: dict[str, str] = field(default_factory=dict)  # node id ("kind:id") → label
    arcs: list[tuple[str, str]] = field(default_factory=list)

    def node(self, node: str, label: str = "") -> str:
        ident = node.partition(":")[2]
        text = ident if not label or label == ident else f"{ident}\n{label}"
        if node not in self.labels or label:
            self.labels[node] = text
        return node


def _key_node(matter: CompiledMatter, key: str, derived: set[str]) -> str:
    """The node of a variable a rule reads: a derived value, a parameter, context, a question."""
    if ":" in key:
        return key  # already a node (situation:x)
    if key in derived:
        return f"derived:{key}"
    if key.startswith("params."):
        return f"param:{key.removeprefix('params.')}"
    if key.startswith(("context.", "facts.")):
        return f"context:{key}"
    return f"field:{key}"


def build(matter: CompiledMatter) -> Graph:
    g = Graph(matter.id)
    derived = {k for k, _ in matter.derived}
    for spec in page_fields(matter):
        if spec.key:
            g.node(f"field:{spec.key}", spec.label)
    for key in derived:
        g.node(f"derived:{key}", matter.labels.get(key, ""))
    for e in matter.eligibility:
        g.node(f"rule:{e.id}", e.name)
    for situation, _rule in matter.situations:
        g.node(f"situation:{situation.id}", situation.name)
    for ms in matter.materials:
        g.node(f"material:{ms.material.id}", ms.material.name)
    for st in matter.steps:
        g.node(f"step:{st.step.id}", st.step.name)
        for before in st.step.after:
            g.arcs.append((f"step:{before}", f"step:{st.step.id}"))
    seen: set[tuple[str, str]] = set()
    for edge in edges(matter):
        arc = (g.node(_key_node(matter, edge.key, derived)), g.node(edge.reader))
        if arc not in seen and arc[0] != arc[1]:
            seen.add(arc)
            g.arcs.append(arc)
    return g


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(g: Graph) -> str:
    lines = [f"digraph {_quote(g.name)} {{", "  rankdir=LR;", '  node [fontname="sans-serif"];']
    for node, label in g.labels.items():
        shape = SHAPES.get(node.partition(":")[0], ("box", ()))[0]
        lines.append(f"  {_quote(node)} [label={_quote(label)}, shape={shape}];")
    lines += [f"  {_quote(a)} -> {_quote(b)};" for a, b in g.arcs]
    return "\n".join([*lines, "}"]) + "\n"


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", "<br/>")


def to_mermaid(g: Graph) -> str:
    ids = {node: f"n{i}" for i, node in enumerate(g.labels)}
    lines = ["flowchart LR", f"  %% {g.name}"]
    for node, label in g.labels.items():
        left, right = SHAPES.get(node.partition(":")[0], ("", ("[", "]")))[1]
        lines.append(f'  {ids[node]}{left}"{_mermaid_text(label)}"{right}')
    lines += [f"  {ids[a]} --> {ids[b]}" for a, b in g.arcs if a in ids and b in ids]
    return "\n".join(lines) + "\n"
