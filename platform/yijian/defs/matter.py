"""``matter.yaml``: the identity and guide (办事指南) of one matter, with its materials.

Field names follow the national implementation-list elements (domain reference §1.4) so a
guide generated from this file carries every element a provincial catalogue expects.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from yijian.defs.common import (
    CaseType,
    CodeStr,
    Def,
    HandleForm,
    Key,
    Level,
    LocalId,
    MatterKind,
    OnlineDepth,
    PowerSource,
    ResultType,
    ServiceObject,
    TimeLimit,
    fail,
)


class MaterialForm(StrEnum):
    """材料类型: original, copy, or both."""

    原件 = "原件"
    复印件 = "复印件"
    原件和复印件 = "原件和复印件"
    原件或复印件 = "原件或复印件"


class Medium(StrEnum):
    """材料形式."""

    纸质 = "纸质"
    电子 = "电子"
    纸质或电子 = "纸质或电子"


class Necessity(StrEnum):
    """材料必要性: 容缺后补 allows acceptance now and the material later (容缺受理)."""

    必要 = "必要"
    非必要 = "非必要"
    容缺后补 = "容缺后补"


class Source(StrEnum):
    """来源渠道: where the material comes from; only 申请人自备 asks the citizen to upload."""

    申请人自备 = "申请人自备"
    政府部门核发 = "政府部门核发"
    电子证照 = "电子证照"
    数据共享 = "数据共享"
    表单推送 = "表单推送"
    前序事项产出 = "前序事项产出"


class Department(Def):
    name: str = Field(description="实施主体 name, e.g. 县卫生健康局.")
    code: CodeStr | None = Field(None, description="实施主体编码 (统一社会信用代码).")


class LegalBasis(Def):
    """One entry of 设定依据."""

    name: str = Field(description="Law or regulation, e.g. 《中华人民共和国母婴保健法》.")
    number: str | None = Field(None, description="依据文号.")
    article: str | None = Field(None, description="条款号, e.g. 第二十三条.")
    text: str | None = Field(None, description="条款内容, quoted.")
    issuer: str | None = Field(None, description="颁布机关.")


class TimeLimits(Def):
    legal: TimeLimit = Field(description="法定办结时限.")
    promised: TimeLimit = Field(description="承诺办结时限; must not exceed the legal limit.")


class FeeItem(Def):
    name: str = Field(description="收费项目名称.")
    standard: str = Field(description="收费标准, e.g. 每证 10 元.")
    basis: str | None = Field(None, description="收费依据.")
    waivable: bool = Field(False, description="是否允许减免.")


class Fee(Def):
    charged: bool = Field(False, description="是否收费.")
    items: tuple[FeeItem, ...] = Field((), description="收费项目; required when charged.")

    @model_validator(mode="after")
    def _items_when_charged(self) -> Fee:
        if self.charged and not self.items:
            raise fail("E-FEE-ITEMS", "charged: true needs at least one item under items")
        return self


class Result(Def):
    type: ResultType = Field(description="审批结果类型.")
    name: str = Field(description="结果名称, e.g. 出生医学证明.")
    licence_type: CodeStr | None = Field(
        None,
        description="电子证照类型 produced, so later matters can take it instead of an upload.",
    )
    fields: tuple[str, ...] = Field(
        (),
        description="What the result document shows (照面信息): answer keys and facts.<key> of "
        "staff-entered facts, in order.",
    )
    template: str | None = Field(
        None,
        description="Its own template under the theme's documents/results/ (e.g. food.html); "
        "none: the built-in documents/result.html.",
    )


class Remedy(Def):
    review: str | None = Field(None, description="行政复议: body, address, phone.")
    litigation: str | None = Field(None, description="行政诉讼: court.")


class ServiceInfo(Def):
    place: str = Field(description="办理地点.")
    hours: str = Field(description="办理时间.")
    phone: str = Field(description="咨询电话.")
    supervision: str = Field(description="监督投诉方式.")
    remedies: Remedy | None = Field(None, description="权利救济.")
    area: str | None = Field(None, description="通办范围, e.g. 全县.")


class Copies(Def):
    original: int = Field(0, ge=0, le=20, description="原件份数.")
    copy_: int = Field(0, ge=0, le=20, alias="copy", description="复印件份数.")


class Upload(Def):
    max_mb: float = Field(10, gt=0, le=50, description="Largest accepted file, in MiB.")
    types: tuple[str, ...] = Field(
        ("pdf", "jpg", "png"), description="Accepted types, checked from the file content."
    )


class Material(Def):
    """One 申请材料, listed once in the guide (一次性告知)."""

    id: LocalId = Field(description="Stable id; bundles merge materials by it.")
    name: str = Field(description="材料名称.")
    form: MaterialForm = Field(MaterialForm.原件, description="材料类型.")
    medium: Medium = Field(Medium.电子, description="材料形式.")
    necessity: Necessity = Field(Necessity.必要, description="材料必要性.")
    source: Source = Field(Source.申请人自备, description="来源渠道.")
    source_note: str | None = Field(None, description="来源渠道说明.")
    licence_type: CodeStr | None = Field(
        None, description="电子证照类型 that replaces this material (source 电子证照 needs it)."
    )
    produced_by: LocalId | None = Field(
        None, description="Matter id whose result this is (source 前序事项产出)."
    )
    from_field: Key | None = Field(None, description="Answer key it is pushed from (表单推送).")
    copies: Copies = Field(default_factory=Copies, description="纸质份数.")
    spec: str | None = Field(None, description="纸质规格, e.g. A4.")
    blank_form: str | None = Field(None, description="空白表格 (a path under the matter folder).")
    sample: str | None = Field(None, description="示例样表 (a path under the matter folder).")
    notes: str | None = Field(None, description="填报须知 / 受理标准.")
    upload: Upload = Field(default_factory=Upload, description="Upload limits when uploaded.")

    @model_validator(mode="after")
    def _source_details(self) -> Material:
        if self.source == Source.电子证照 and not self.licence_type:
            raise fail(
                "E-MATERIAL-SOURCE",
                "source 电子证照 needs licence_type (the 电子证照类型 it reads)",
            )
        if self.source == Source.前序事项产出 and not self.produced_by:
            raise fail(
                "E-MATERIAL-SOURCE",
                "source 前序事项产出 needs produced_by (the matter that produces it)",
            )
        if self.source == Source.表单推送 and not self.from_field:
            raise fail(
                "E-MATERIAL-SOURCE",
                "source 表单推送 needs from_field (the answer key it is pushed from)",
            )
        return self


class Situation(Def):
    """情形: a variant with its own conditions and materials; chosen by a rule in rules.yaml."""

    id: LocalId = Field(description="Stable id; rules.yaml `situations:` gives its rule.")
    name: str = Field(description="Name shown to the citizen, e.g. 随母落户.")
    conditions: tuple[str, ...] = Field((), description="Extra 受理条件 shown in the guide.")
    materials: tuple[LocalId, ...] = Field(
        (), description="Material ids needed only in this situation."
    )


class Supervision(Def):
    """审管联动: the department that supervises what this matter permits (事中事后监管)."""

    department: str = Field(
        description="A department (id, name or alias) of rules/org.yaml with a `webhook`."
    )


class CommitmentReplaces(Def):
    """What a 告知承诺 stands in for: materials not asked for, eligibility rules not blocking."""

    materials: tuple[LocalId, ...] = Field((), description="Material ids (materials:).")
    rules: tuple[LocalId, ...] = Field((), description="Eligibility rule ids (rules.yaml).")


class Commitment(Def):
    """告知承诺 (domain reference §4.6): the applicant's written commitment accepted in place
    of a proof or a condition; checked after the decision (核查), revoked when false."""

    id: LocalId = Field(description="Stable id; the case records the commitments chosen by it.")
    text: str = Field(description="承诺内容: what the applicant commits to, shown with the box.")
    replaces: CommitmentReplaces = Field(
        default_factory=CommitmentReplaces, description="Materials and rules it replaces."
    )
    answer: Key | None = Field(
        None,
        description="A form answer (a declaration) that makes the commitment in the form itself "
        "(e.g. 消防 告知承诺): no separate box; chosen when the answer is true.",
    )
    check_after: int = Field(
        ge=0, le=250, description="核查 opens this many working days after the decision day."
    )
    check_department: str = Field(
        description="The department (id, name or alias of rules/org.yaml) that checks it."
    )


class MatterDef(Def):
    """matter.yaml."""

    code: CodeStr = Field(description="事项编码 (implementation code), always a string.")
    name: str = Field(description="事项名称.")
    short_name: str | None = Field(None, description="Short name for lists.")
    aliases: tuple[str, ...] = Field(
        (), description="What citizens call it (出生证, 上户口 …): the catalog search finds them."
    )
    illustrative: tuple[str, ...] = Field(
        (),
        description="Elements whose value is illustrative, not yet the county's own (dotted, "
        "e.g. time_limits.legal, materials.<id>): the guide shows the value plainly and "
        "`yijian check` lists each as an E-PLACEHOLDER warning until it is removed here.",
    )
    kind: MatterKind = Field(description="事项类型.")
    themes: tuple[str, ...] = Field((), description="Life-event themes (出生, 户籍, 退休 …).")
    service_objects: tuple[ServiceObject, ...] = Field(min_length=1, description="服务对象.")
    department: Department = Field(description="实施主体.")
    level: Level = Field(Level.县级, description="行使层级.")
    power_source: PowerSource = Field(PowerSource.法定本级行使, description="权力来源.")
    legal_basis: tuple[LegalBasis, ...] = Field(min_length=1, description="设定依据.")
    accept_conditions: tuple[str, ...] = Field((), description="受理条件, as the guide lists them.")
    time_limits: TimeLimits = Field(description="法定 and 承诺 办结时限.")
    case_type: CaseType = Field(description="办件类型.")
    visits: int = Field(ge=0, le=5, description="到办事现场次数.")
    visits_reason: str | None = Field(
        None, description="必须现场办理原因说明 (needed if visits > 0)."
    )
    handle_forms: tuple[HandleForm, ...] = Field(min_length=1, description="办理形式.")
    online_depth: tuple[OnlineDepth, ...] = Field((), description="网上办理深度.")
    fee: Fee = Field(default_factory=Fee, description="收费.")
    result: Result = Field(description="办理结果.")
    service: ServiceInfo = Field(description="办理地点、时间、咨询、监督.")
    materials: tuple[Material, ...] = Field((), description="申请材料.")
    situations: tuple[Situation, ...] = Field((), description="情形.")
    faq: tuple[dict[str, str], ...] = Field((), description="常见问题: items with q and a.")
    supervision: Supervision | None = Field(
        None, description="审管联动: every decision is also sent to this department."
    )
    tolerance_commitment: str | None = Field(
        None,
        description="容缺受理承诺书 the applicant signs (default: the platform's standard text).",
    )
    commitments: tuple[Commitment, ...] = Field(
        (), description="告知承诺: commitments the applicant may give instead of a proof."
    )
