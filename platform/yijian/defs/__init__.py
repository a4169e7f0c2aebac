"""Definition models, one per YAML file kind; `FILE_KINDS` maps a file name to its model."""

from yijian.defs.bundle import BundleDef
from yijian.defs.cases import CasesDef
from yijian.defs.form import FormDef, LibraryDef
from yijian.defs.matter import MatterDef
from yijian.defs.routing import RoutingDef
from yijian.defs.rules import RulesDef, SharedParameters

#: File name in a matter or bundle folder → its model.
FOLDER_FILES = {
    "matter.yaml": MatterDef,
    "bundle.yaml": BundleDef,
    "form.yaml": FormDef,
    "rules.yaml": RulesDef,
    "routing.yaml": RoutingDef,
    "cases.yaml": CasesDef,
}

__all__ = [
    "FOLDER_FILES",
    "BundleDef",
    "CasesDef",
    "FormDef",
    "LibraryDef",
    "MatterDef",
    "RoutingDef",
    "RulesDef",
    "SharedParameters",
]
