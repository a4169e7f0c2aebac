"""The catalog of stable error codes: what each one means and how to fix it.

A code is a promise (pydantic's error types, OpenFisca's broken fixtures): it never changes
meaning, so admins can search for it and tools can match on it. Every code the checker can
emit has one entry here; ``docs/reference/errors.md`` is generated from this catalog
(``yijian docs``), and ``tests/load/test_codes_documented.py`` fails when a code in the source
has no entry, no doc section or no broken fixture under ``tests/fixtures/invalid/<CODE>/``,
or when an entry is no longer used.
"""

from __future__ import annotations

from dataclasses import dataclass

from yijian.load.analysis.codes import ANALYSIS_CODES


@dataclass(frozen=True)
class ErrorCode:
    """One code: a short title, what it means, how to fix it, and a tiny example."""

    code: str
    title: str
    meaning: str
    fix: str
    before: str = ""  # YAML (or Python) with the mistake
    after: str = ""  # the same, fixed

    @property
    def group(self) -> str:
        """``E-YAML-BOOL`` → ``YAML``: codes are documented by group."""
        return self.code.split("-")[1]


def _c(
    code: str, title: str, meaning: str, fix: str, before: str = "", after: str = ""
) -> ErrorCode:
    return ErrorCode(code, title, meaning, fix, before, after)


CATALOG: tuple[ErrorCode, ...] = (
    # -- reading YAML ------------------------------------------------------------------------
    _c(
        "E-YAML-SYNTAX",
        "YAML syntax error",
        "The file is not valid YAML: a bracket is not closed, indentation is off, a tab is used "
        "for indentation, or `key:value` lacks the space after the colon. Nothing else in the "
        "file can be checked until it parses.",
        "Go to the line and column given; fix the bracket, quote or indentation (spaces only).",
        "title: [申请人信息",
        "title: 申请人信息",
    ),
    _c(
        "E-YAML-DUPLICATE-KEY",
        "Key written twice",
        "A mapping repeats a key. YAML keeps only the last value, so the first one would be "
        "lost silently.",
        "Remove one of the two, or rename it to the key you meant.",
        "name: 出生医学证明首次签发\nname: 出生医学证明",
        "name: 出生医学证明首次签发\nshort_name: 出生医学证明",
    ),
    _c(
        "E-YAML-BOOL",
        "Word read as a boolean",
        'YAML 1.1 reads `yes`, `no`, `on`, `off`, `y` and `n` as booleans (the "Norway '
        'problem": the country code NO becomes false). Only `true` and `false` are accepted.',
        "Write `true` or `false`, or quote the word if you meant text.",
        "fee: {charged: no}",
        "fee: {charged: false}",
    ),
    _c(
        "E-YAML-NUMBER-CODE",
        "Code read as a number",
        "A code or id was written as a bare number. YAML reads `0440100` as an octal number and "
        "`1:30` as 90 (base 60), so leading zeros and the code as written are lost; a field that "
        "must hold text (code, licence_type, an option value…) refuses numbers.",
        "Quote the value so it stays text.",
        "code: 0440100",
        'code: "0440100"',
    ),
    _c(
        "E-YAML-SIZE",
        "File too large",
        "A definition file is larger than 512 KiB, or holds more than 20,000 values (a list "
        "of 20,000 items fits in 40 KiB). No matter needs that much; the limit protects the "
        "server from a pasted data dump and from a file built to exhaust it.",
        "Split the definition: put shared fields in forms/, shared parameters in rules/params/.",
    ),
    _c(
        "E-YAML-ALIAS",
        "Aliases expand too far",
        'YAML anchors (`&a`) and aliases (`*a`) expand to more than 200,000 values (an "alias '
        "bomb\": a few lines that would take the server's memory), or an alias is used inside "
        "the value it names (`&a [*a]`, a value containing itself).",
        "Write the values out, or put a shared rule in rules/ and a shared field in forms/ "
        "instead of nesting aliases.",
    ),
    _c(
        "E-YAML-ENCODING",
        "Not UTF-8",
        "The file is not UTF-8 text, usually because an editor saved it as GBK/GB18030 or as "
        'UTF-16 ("Unicode" in Windows editors), or it is binary: it holds bytes that are not '
        "text or control characters such as NUL.",
        'Save the file as UTF-8 (without BOM is best); in VS Code: "Save with Encoding".',
    ),
    _c(
        "E-YAML-DEPTH",
        "Nested too deep",
        "Lists and mappings are nested more than 64 levels deep (the deepest example rule has "
        "10), directly or through aliases. Such a file is a mistake (brackets opened and never "
        "closed) or built to crash the reader, which recurses once per level.",
        "Close the brackets you opened; split a long rule into named rules in rules.yaml.",
        "name: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[…",
        "name: 独生子女父母光荣证发放",
    ),
    _c(
        "E-YAML-TAG",
        "Tag not accepted",
        "A value carries an explicit YAML tag other than the core ones (`!!str`, `!!int`…): "
        "`!!binary`, `!!set`, `!!python/object` or a local `!tag`. Definitions hold plain text, "
        "numbers, lists and mappings; a tag would make the value something else.",
        "Remove the tag (quote the value if it must stay text).",
        "code: !!binary REVNTy0wMDE=",
        'code: "DEMO-001"',
    ),
    # -- keys and values ---------------------------------------------------------------------
    _c(
        "E-KEY-UNKNOWN",
        "Unknown key",
        "The key is not one of the keys allowed at this place; usually a misspelling. Unknown "
        "keys are errors so that a typo never passes silently. The hint lists the allowed keys.",
        'Use the key suggested by "did you mean", or remove the line.',
        "short_nmae: 光荣证",
        "short_name: 光荣证",
    ),
    _c(
        "E-KEY-MISSING",
        "Required key missing",
        "A key that this mapping must have is absent. The location names the key; the line is "
        "the start of the mapping it belongs in.",
        "Add the key. docs/reference/yaml.md lists which keys are required.",
        "visits: 0\nhandle_forms: [网上]",
        "case_type: 承诺件\nvisits: 0\nhandle_forms: [网上]",
    ),
    _c(
        "E-VALUE-CHOICE",
        "Value not among the choices",
        "The value must be one of a fixed list (a national dictionary such as 事项类型, or a "
        "step kind). The hint lists every choice.",
        "Use the suggested value, spelled exactly as listed.",
        "kind: 公共服",
        "kind: 公共服务",
    ),
    _c(
        "E-VALUE-FORMAT",
        "Value in the wrong format",
        "The text does not have the required shape: an answer key is lowercase words joined by "
        "dots (`child.birth_date`); an id is letters, digits, `_` and `-`.",
        "Rewrite the value in the format the message describes.",
        "key: Applicant.Name",
        "key: applicant.name",
    ),
    _c(
        "E-VALUE-RANGE",
        "Value out of range",
        "A number is too small or too large (e.g. visits is at most 5), or a list has too few "
        "items (e.g. a form needs at least one page).",
        "Use a value inside the bounds the message gives.",
        "visits: 9",
        "visits: 1",
    ),
    _c(
        "E-VALUE-TYPE",
        "Value of the wrong kind",
        "A mapping was expected and text was given (or the reverse), or a list was expected; or "
        "the whole file is not a mapping of keys to values.",
        "Write the value in the shape docs/reference/yaml.md shows for this key.",
        "department: 县卫生健康局",
        "department: {name: 县卫生健康局}",
    ),
    _c(
        "E-VALUE-INVALID",
        "Value cannot be read",
        "The value has the right kind but cannot be read as what the key needs: a number "
        "written in words, a date that does not exist, and so on.",
        "Write a plain number, or a date as YYYY-MM-DD.",
        "visits: 两次",
        "visits: 2",
    ),
    # -- fields and forms --------------------------------------------------------------------
    _c(
        "E-FIELD-TYPE",
        "Unknown field type",
        "`type:` of a field is not a known field type. docs/reference/fields.md lists them.",
        "Use the suggested type.",
        "type: idcard",
        "type: id_card",
    ),
    _c(
        "E-FIELD-INCOMPLETE",
        "Field lacks what its type needs",
        "A field needs `type` (or `use:`), a question needs `label` and `key`, a declaration or "
        "info block needs `text`, and `region_level` is province, city or county. Also reported "
        "when a field taken from forms/ with `use:` is still incomplete after your overrides.",
        "Add the key the message names.",
        "- key: applicant.name\n  type: text",
        "- key: applicant.name\n  type: text\n  label: 姓名",
    ),
    _c(
        "E-FIELD-OPTIONS",
        "Options missing or misplaced",
        "select, radio and checkboxes fields need `options`; other types must not have them.",
        "Add `options:` (short form `[男, 女]`, or value/label pairs), or change the type.",
        "type: select\nlabel: 婚姻状况",
        "type: select\nlabel: 婚姻状况\noptions: [未婚, 已婚, 离婚, 丧偶]",
    ),
    _c(
        "E-FIELD-REPEAT",
        "Repeat group without rows, or rows without a repeat",
        "A `repeat` field (e.g. a list of children) has `fields:` describing one row; no other "
        "field type may have `fields:`.",
        "Give the repeat its row fields, or use another type.",
        "type: repeat\nlabel: 子女",
        "type: repeat\nlabel: 子女\nkey: children\n"
        "fields:\n  - {key: name, type: text, label: 姓名}",
    ),
    _c(
        "E-FIELD-DUPLICATE",
        "Same key asked twice",
        "Two fields of one form have the same key. A key is one question: asking it twice would "
        "store one answer over the other.",
        "Remove the second field, or give it its own key.",
        "- {key: applicant.name, type: text, label: 姓名}\n"
        "- {key: applicant.name, type: text, label: 申请人姓名}",
        "- {key: applicant.name, type: text, label: 姓名}\n"
        "- {key: agent.name, type: text, label: 代办人姓名}",
    ),
    _c(
        "E-FORM-USE",
        "Unknown library field",
        "`use: <file>.<name>` names a field that is not in the field library: forms/<file>.yaml "
        "has no field <name>.",
        "Use the suggested name, or add the field to forms/<file>.yaml.",
        "use: person.idnumber",
        "use: person.id_number",
    ),
    # -- files and folders -------------------------------------------------------------------
    _c(
        "E-FILE-UNKNOWN",
        "Unknown file in a matter folder",
        "A matter or bundle folder holds only matter.yaml or bundle.yaml, form.yaml, rules.yaml, "
        "routing.yaml and cases.yaml (`.yaml`, not `.yml`); another YAML file is probably a "
        "misspelling that would be ignored.",
        "Rename it to the file it should be, or move notes out of the folder.",
    ),
    _c(
        "E-FILE-MISSING",
        "Required file missing",
        "A matter folder needs form.yaml and routing.yaml besides matter.yaml.",
        "Add the file (docs/tutorial.md shows a minimal one).",
    ),
    _c(
        "E-FOLDER-ID",
        "Folder name is not a valid id",
        "The folder name is the matter's id and appears in web addresses: lowercase letters, "
        "digits, `-` and `_`, starting with a letter or digit.",
        "Rename the folder, e.g. `Birth Cert` → `birth-cert`.",
    ),
    _c(
        "E-FOLDER-KIND",
        "Neither a matter nor a bundle",
        "A folder under matters/ must have exactly one of matter.yaml (a matter) or bundle.yaml "
        "(a 一件事 bundle).",
        "Add the missing matter.yaml, or remove one of the two.",
    ),
    # -- rules -------------------------------------------------------------------------------
    _c(
        "E-RULE-OPERATOR",
        "Unknown rule operator",
        "A rule calls an operator that is neither a JsonLogic operator nor a rule function. "
        "docs/reference/functions.md lists the built-in functions.",
        "Fix the spelling, or add the function in rules/<theme>.py.",
        'when: {"id_card_vaild": {"var": "applicant.id_number"}}',
        'when: {"id_card_valid": {"var": "applicant.id_number"}}',
    ),
    _c(
        "E-RULE-ARGS",
        "Wrong number of arguments",
        "An operator or rule function is given more or fewer arguments than it takes.",
        "Pass the arguments its signature in docs/reference/functions.md shows.",
        'when: {"id_card_valid": [{"var": "applicant.id_number"}, 18]}',
        'when: {"id_card_valid": {"var": "applicant.id_number"}}',
    ),
    _c(
        "E-RULE-INVALID",
        "Rule that cannot be read",
        "The rule is not JSON: most often an unquoted date (YAML reads `2025-01-01` as a date), "
        "or an object key that is not text.",
        "Quote dates and other literal values.",
        'when: {"<=": [{"var": "child.birth_date"}, 2025-01-01]}',
        'when: {"<=": [{"var": "child.birth_date"}, "2025-01-01"]}',
    ),
    _c(
        "E-RULE-VAR",
        "Unknown variable",
        "A rule reads a variable that nothing defines: not a field key of the form, not a "
        "derived value defined earlier, not `params.<name>`, not a `context.` value. It would "
        "read null at run time; see docs/rules.md.",
        "Use the suggested key, or add the field or derived value.",
        '{"var": "applicant.nmae"}',
        '{"var": "applicant.name"}',
    ),
    _c(
        "E-RULE-MODULE",
        "Rule module cannot be imported",
        "A Python module in rules/ raised an error while loading (syntax error, failed import). "
        "None of its functions are available.",
        "Fix the module at the line given; run `python rules/<theme>.py` to see the full error.",
    ),
    _c(
        "E-RULE-FUNCTION-DUPLICATE",
        "Rule function defined twice",
        "Two rule modules define a function with the same name, or a function takes the name "
        "of a built-in JsonLogic operator (which would never be called).",
        "Rename one of them.",
    ),
    _c(
        "E-RULE-DUPLICATE",
        "Eligibility rule id used twice",
        "Two eligibility rules have the same id; cases.yaml names failing rules by id, so ids "
        "must be unique.",
        "Give each rule its own id (R1, R2, …).",
        "- id: R1\n  name: 已满 18 周岁\n- id: R1\n  name: 本县户籍",
        "- id: R1\n  name: 已满 18 周岁\n- id: R2\n  name: 本县户籍",
    ),
    # -- references --------------------------------------------------------------------------
    _c(
        "E-REF-MATERIAL",
        "Unknown material",
        "rules.yaml `materials:`, a situation, a file field or a commitment's "
        "`replaces.materials` names a material id that matter.yaml does not list.",
        "Use the id from matter.yaml `materials:`.",
        'materials:\n  hukuo: {"==": [1, 1]}',
        'materials:\n  hukou: {"==": [1, 1]}',
    ),
    _c(
        "E-REF-RULE",
        "Unknown eligibility rule",
        "A commitment's `replaces.rules` (告知承诺) in matter.yaml names a rule id that "
        "rules.yaml `eligibility:` does not define.",
        "Use the id of a rule under rules.yaml `eligibility:`.",
        "replaces: {rules: [RS01]}",
        "replaces: {rules: [RS1]}",
    ),
    _c(
        "E-COMMITMENT",
        "Commitment that cannot work",
        "A matter.yaml `commitments:` entry (告知承诺) repeats an id, names as its `answer` a "
        "key the form does not ask, or neither replaces a material or rule nor names an "
        "answer, so choosing it would change nothing.",
        "Give each commitment its own id; list what it replaces under `replaces:` (materials, "
        "rules), or name the declaration field that makes it in the form as `answer:`.",
        "- id: premises\n  text: 本人承诺……\n  check_after: 20\n  check_department: fire",
        "- id: premises\n  text: 本人承诺……\n  replaces: {materials: [premises_proof]}\n"
        "  check_after: 20\n  check_department: fire",
    ),
    _c(
        "E-REF-SITUATION",
        "Unknown situation",
        "rules.yaml `situations:` gives a rule for a situation id that matter.yaml does not list.",
        "Use the id from matter.yaml `situations:`.",
        'situations:\n  widow: {"var": "applicant.widowed"}',
        'situations:\n  widowed: {"var": "applicant.widowed"}',
    ),
    _c(
        "E-REF-STEP",
        "Unknown step",
        "`after:` in routing.yaml names a step id that does not exist.",
        "Use the id of a step of the same routing.yaml.",
        "after: [acept]",
        "after: [accept]",
    ),
    _c(
        "E-REF-MATTER",
        "Unknown matter",
        "A material with source 前序事项产出 names in `produced_by` a matter that is not a folder "
        "under matters/.",
        "Use the folder name of the matter that produces the material.",
        "produced_by: birth-medical-certificat",
        "produced_by: birth-medical-certificate",
    ),
    _c(
        "E-REF-FIELD",
        "Unknown field on a result document",
        "matter.yaml `result.fields` names an answer key that is not a field of the form, or a "
        "`facts.<key>` that no step of routing.yaml declares.",
        "Use a key of form.yaml, or facts.<key> of a step's `fields:`.",
        "result: {type: 出证办结, name: 许可证, fields: [business.nmae]}",
        "result: {type: 出证办结, name: 许可证, fields: [business.name]}",
    ),
    # -- routing -----------------------------------------------------------------------------
    _c(
        "E-STEP-DUPLICATE",
        "Step id used twice",
        "Two steps of routing.yaml have the same id.",
        "Give each step its own id.",
    ),
    _c(
        "E-STEP-CYCLE",
        "Steps wait for each other",
        "`after:` links form a cycle (a waits for b, b waits for a), so no step could start.",
        "Remove one of the `after:` links named in the message.",
        "- id: accept\n  after: [decide]\n- id: decide\n  after: [accept]",
        "- id: accept\n- id: decide\n  after: [accept]",
    ),
    _c(
        "E-FACT-DUPLICATE",
        "Staff-entered fact key used twice",
        "Two steps of routing.yaml declare a fact (`fields:`) with the same key; a later step's "
        "condition reading `facts.<key>` could not tell which step's value it means.",
        "Give each staff-entered fact its own key.",
        "- id: assess\n  fields: [{key: level, label: 等级, type: text}]\n"
        "- id: check\n  fields: [{key: level, label: 等级, type: text}]",
        "- id: assess\n  fields: [{key: level, label: 等级, type: text}]\n"
        "- id: check\n  fields: [{key: site_result, label: 核查结果, type: text}]",
    ),
    # -- national quality rules for matter.yaml ----------------------------------------------
    _c(
        "E-MATERIAL-SOURCE",
        "Material source without its details",
        "Source 电子证照 needs `licence_type`, 前序事项产出 needs `produced_by`, 表单推送 needs "
        "`from_field`: without them the platform cannot fetch the material.",
        "Add the key the message names.",
        "- id: hukou\n  name: 户口簿\n  source: 电子证照",
        "- id: hukou\n  name: 户口簿\n  source: 电子证照\n  licence_type: 居民户口簿",
    ),
    _c(
        "E-MATERIAL-DUPLICATE",
        "Material id used twice",
        "Two materials have the same id; bundles merge materials by id, so ids are unique.",
        "Give each material its own id.",
    ),
    _c(
        "E-FEE-ITEMS",
        "Fee items do not match `charged`",
        "`charged: true` needs at least one item under `items`; items listed with "
        "`charged: false` contradict it.",
        "List the 收费项目, or set `charged` to match.",
        "fee: {charged: true}",
        "fee:\n  charged: true\n  items: [{name: 工本费, standard: 每证 10 元}]",
    ),
    _c(
        "E-TIME-PROMISED",
        "Promised limit longer than the legal limit",
        "承诺办结时限 must not exceed 法定办结时限 (in the same unit).",
        "Shorten the promised limit, or correct the legal one.",
        "legal: {days: 20}\npromised: {days: 30}",
        "legal: {days: 20}\npromised: {days: 5}",
    ),
    _c(
        "E-VISITS-REASON",
        "Visits without a reason",
        "到现场次数 above 0 needs `visits_reason` (必须现场办理原因说明), as the national element "
        "list requires.",
        "Add `visits_reason`, or make the matter 0 visits.",
        "visits: 1",
        "visits: 1\nvisits_reason: 需现场核验原件并采集指纹",
    ),
    _c(
        "E-VISITS-ZERO",
        "Zero visits but no remote channel",
        "A matter with 0 visits must be applied for online (网上) or by post (快递申请).",
        "Add 网上 or 快递申请 to `handle_forms`, or give the real number of visits.",
        "visits: 0\nhandle_forms: [窗口]",
        "visits: 0\nhandle_forms: [窗口, 网上]",
    ),
    _c(
        "E-ONLINE-DEPTH",
        "Offered online without an online depth (warning)",
        "`handle_forms` has 网上 but `online_depth` (网上办理深度) is empty. The depth is what "
        "the catalog and the guide show (全程网办, 网上受理, 网上预审, 网上咨询); without it they "
        "can only say 网上申请, and the national exchange has no depth to report. A warning: the "
        "matter loads.",
        "List the stages done online in `online_depth`; all of 受理, 办理 and a result "
        "feedback make 全程网办.",
        "handle_forms: [网上, 窗口]",
        "handle_forms: [网上, 窗口]\n"
        "online_depth: [互联网咨询, 收件, 预审, 受理, 办理, 办理结果信息反馈]",
    ),
    _c(
        "E-FORM-CYCLE",
        "A form rule reads a value computed from its own answer",
        "`visible_if` and `required` may read derived values (rules.yaml `derived`): they are "
        "computed from the answers before the form decides what to show. A field (or page) "
        "whose `visible_if` reads a derived value computed from that field (or a field on that "
        "page) would stay hidden while empty and so could never be answered; a `required` "
        "reading its own answer means nothing.",
        "Decide it from an answer asked before it, another field or page.",
        "# rules.yaml: derived applicant.minor from applicant.id_number\n"
        '- key: applicant.id_number\n  visible_if: {"!": [{"var": "applicant.minor"}]}',
        '- key: applicant.id_number\n  visible_if: {"==": [{"var": "applicant.self"}, true]}',
    ),
    _c(
        "E-RESULT-TYPE",
        "Result type does not match the result name",
        "A result named ××证/证书 is a licence (出证办结); a result named ××批复/批文 is an "
        "approval (审批办结).",
        "Set `result.type` to match the name.",
        "result: {type: 出文办结, name: 独生子女父母光荣证}",
        "result: {type: 出证办结, name: 独生子女父母光荣证}",
    ),
    _c(
        "E-CASE-TYPE",
        "Case type does not match the promised limit",
        "A 即办件 is decided on the spot or the same day (promised 0 or 1 days); a 承诺件 has a "
        "promised limit above 0.",
        "Change `case_type`, or the promised limit.",
        "case_type: 即办件\ntime_limits:\n  promised: {days: 5}",
        "case_type: 承诺件\ntime_limits:\n  promised: {days: 5}",
    ),
    _c(
        "E-MATTER-PROMISE",
        "Promised limit shorter than the steps take",
        "The promised limit (`time_limits.promised`), which the guide shows and the case clock "
        "counts, is shorter than the longest path of routing.yaml's steps that count toward it: "
        "the promise cannot be kept. Steps marked `counts_toward_limit: false` (制证, 邮寄) "
        "are left out, as in a bundle's plan (E-BUNDLE-PROMISE).",
        "Promise what the steps take, shorten their `time_limit`, or mark a step that does not "
        "count toward the promise with `counts_toward_limit: false`.",
        "# matter.yaml\ntime_limits: {legal: {days: 5}, promised: {days: 1}}\n"
        "# routing.yaml\n- id: make_card\n  time_limit: 10",
        "# routing.yaml\n- id: make_card\n  time_limit: 10\n  counts_toward_limit: false",
    ),
    # -- 一件事 bundles (see docs/bundles.md) -------------------------------------------------
    _c(
        "E-BUNDLE-MEMBER",
        "Bundle member that cannot be joined",
        "An entry of bundle.yaml `matters:` is wrong: it names a bundle (a bundle joins "
        "matters only), lists a matter twice, uses `when` without `include: rule` (or the "
        "reverse), names in `after:` or `exclusive:` something that is not a member, or "
        "`prefer:` names a member that does not ask the key. As a warning: a member has "
        "errors of its own, and the bundle is built once it checks.",
        "Fix the entry as the message says; fix a member's own errors first.",
        "- matter: birth-medical-certificate\n  include: optional\n  when: {var: child.born}",
        "- matter: birth-medical-certificate\n  include: rule\n  when: {var: child.born}",
    ),
    _c(
        "E-BUNDLE-CYCLE",
        "Bundle members wait for each other",
        "`after:` links between members (or between a bundle step and a member) form a "
        "cycle, so the joined plan could never start.",
        "Remove one of the `after:` links named in the message.",
    ),
    _c(
        "E-BUNDLE-PROMISE",
        "Promised days do not match the joined plan",
        "`promised_days` of bundle.yaml is shorter than the longest path of the members' "
        "steps (an error: the promise cannot be kept), or longer (a warning: the clock uses "
        "the plan).",
        "Promise what the plan takes, shorten the members' step limits, or leave "
        "`promised_days` out.",
    ),
    _c(
        "E-BUNDLE-KEY-CONFLICT",
        "Two members define one key differently",
        "In a bundle the same key is the same question, asked once; two members define it "
        "with a different type, options or rule, so the joined form cannot ask it once. The "
        "same for a derived value or parameter that two members compute differently.",
        "Make both definitions the same; for a question say which wins with `prefer:` in "
        "bundle.yaml, for a derived value define it once in the bundle's rules.yaml.",
        "prefer: {}",
        "prefer:\n  child.name: birth-medical-certificate",
    ),
    # -- departments and centres (rules/org.yaml, docs/staff.md) ------------------------------
    _c(
        "E-ORG-DEPARTMENT",
        "Unknown department",
        "A matter's `department.name`, `supervision.department` or a commitment's "
        "`check_department`, a bundle's "
        "`lead_department` or a routing step's `department:` is not a department (or alias) "
        "of rules/org.yaml.",
        "Use a name from rules/org.yaml, or add the department (or an alias) there.",
        "department: {name: 县卫生健康委}",
        "department: {name: 县卫生健康局}",
    ),
    _c(
        "E-ORG-WEBHOOK",
        "Supervising department without a webhook",
        "A matter's `supervision.department` (审管联动) names a department of rules/org.yaml "
        "that has no `webhook`, so its decisions could not be sent anywhere.",
        "Give the department a `webhook: {url: …, secret_env: …}` in rules/org.yaml (see "
        "docs/notifications.md), or name the department that has one.",
        "- id: market\n  name: 县市场监督管理局",
        "- id: market\n  name: 县市场监督管理局\n  webhook:\n"
        "    url: https://jg.example.gov.cn/hooks/decisions\n    secret_env: YIJIAN_HOOK_MARKET",
    ),
    _c(
        "E-ORG-ROLE",
        "Unknown post",
        "A routing step's `role:` (or a centre window's `post:`) is not a post (岗位) of any "
        "department in rules/org.yaml.",
        "Use a post name from rules/org.yaml, or add the post to its department's `posts`.",
        "role: 综合窗",
        "role: 综合窗口",
    ),
    _c(
        "E-ORG-REGION",
        "Unknown centre region",
        "A centre's `region` does not start with a known six-digit region code, or its length "
        "does not fit its `level` (county 6 digits, township 9, village 12).",
        "Use the centre's region code (6 digits for a county, 9 for a township, 12 for a village).",
        'region: "449999"',
        'region: "442000"',
    ),
    _c(
        "E-ORG-MATTER",
        "Unknown matter at a centre",
        "A centre's `accepts:` names a matter or bundle id that does not exist.",
        "Use folder names under matters/, or `accepts: all`.",
        "accepts: [birth-certificate]",
        "accepts: [birth-medical-certificate]",
    ),
    _c(
        "E-ORG-DUPLICATE",
        "Duplicate department or centre id",
        "Two departments (or two centres) in rules/org.yaml have the same `id`, a centre names "
        "two windows alike, or one post name stands for two different staff roles.",
        "Give each its own id (staff grants refer to departments by id) and each window its own "
        "name; a post shared by departments must have one `role`.",
    ),
    # -- calendar ----------------------------------------------------------------------------
    _c(
        "E-CALENDAR",
        "Working-day calendar error",
        "A file in rules/calendar/ is wrong: its name is not <region>-<year>.yaml, a date is "
        "outside the year, a range is backwards, a make-up workday (调休上班) is not on a weekend, "
        "or a date is both rest day and workday. Deadlines cannot be counted until it is fixed; "
        "see docs/calendar.md. Only the first problem of a calendar is reported.",
        "Check the entry against the State Council's holiday notice and correct it.",
        "workdays:\n  - date: 2026-01-05\n    name: 元旦调休",
        "workdays:\n  - date: 2026-01-04\n    name: 元旦调休",
    ),
    _c(
        "E-CALENDAR-HORIZON",
        "Promised limit runs past the calendar (warning)",
        "Counted in working days from today, a matter's promised limit ends in a year that has "
        "no calendar file, so the deadline of an application made today cannot be computed and "
        "a rule counting working days into that year cannot decide (the citizen is told the "
        "system cannot decide for now, and cannot submit). A warning: the definitions still "
        "load; it appears as the year's end comes near.",
        "Add the next year's national file under rules/calendar/ (cn-<year>.yaml) once the "
        "State Council publishes the holidays, usually in November.",
    ),
    _c(
        "E-SITE-THEME",
        "site.yaml names a county theme the root does not have",
        "`theme:` in site.yaml names the folder under the root's themes/ whose templates and "
        "static files override the platform's; the folder is not there, so the site would "
        "look like the platform's default without a word. `yijian serve` does not start.",
        "Create themes/<theme>/ (templates/, static/) or remove `theme:`.",
        "theme: mycounty      # no themes/mycounty/",
        "theme: mycounty      # themes/mycounty/templates/base.html",
    ),
    _c(
        "E-CASE-PARAM",
        "A case overrides a parameter the matter does not have",
        "`params:` of a case in cases.yaml names a parameter that is not in the matter's "
        "rules.yaml, a member's (bundles) or rules/params/. The override would do nothing and "
        "the case would test the dated value after all.",
        "Use the name the parameter has in rules.yaml (rules read it as `params.<name>`).",
        "params: {min_agee: 16}",
        "params: {min_age: 16}",
    ),
    _c(
        "E-CASE-CALENDAR",
        "A case is dated in a year without a calendar",
        "A case in cases.yaml is evaluated on `context.today` or expects a `deadline` in a year "
        "that has no national calendar file (neither shipped with the platform nor under the "
        "root's rules/calendar/). Working days cannot be counted there, so `yijian test` would "
        "fail with no working-day calendar; the check says so first.",
        "Date the case in a year the calendar holds, or add rules/calendar/cn-<year>.yaml.",
        "context: {today: 2031-03-02}",
        "context: {today: 2026-03-02}",
    ),
    # -- values not yet the county's own (warnings) -------------------------------------------
    _c(
        "E-PLACEHOLDER",
        "Illustrative value or placeholder word (warning)",
        "An element listed under `illustrative:` in matter.yaml or bundle.yaml (a value the "
        "county has not settled yet), or a text a citizen would read that still carries a "
        "placeholder word (示例, 待核, 待定, 占位, TODO, TBD). One warning per element and per "
        "text: the definitions load, the guide shows illustrative values plainly (never the "
        "mark), and the list is what is left to settle before going live.",
        "Write the county's own value (from its 实施清单) and remove the element from "
        "`illustrative:`; say in `illustrative:`, not in the text, that a value is illustrative.",
        "time_limits:\n  legal: {days: 20, note: 示例值}",
        "time_limits:\n  legal: {days: 20}\nillustrative: [time_limits.legal]  # not yet settled",
    ),
)
# -- the definition analysis (warnings), listed beside it in yijian.load.analysis.codes ------
CATALOG += tuple(_c(*entry) for entry in ANALYSIS_CODES)

CODES: dict[str, ErrorCode] = {c.code: c for c in CATALOG}
