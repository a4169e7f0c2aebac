"""The codes of the definition analysis (warnings), added to the catalog in yijian.load.codes.

Kept beside the analysis so the analysis stays in one folder; each has a definitions root
under tests/fixtures/warnings/<CODE>/ that `yijian check` passes with that warning.
"""

from __future__ import annotations

#: (code, title, meaning, fix, before, after), as yijian.load.codes.ErrorCode takes them (plain
#: tuples: that module imports this one).
ANALYSIS_CODES: tuple[tuple[str, ...], ...] = (
    (
        "E-REQUIRED-HIDDEN",
        "Required field that can never be shown (warning)",
        "A required field's `visible_if` (with its page's) cannot hold for any answers the "
        "form allows: its options, booleans and number bounds. The question is never asked, "
        "so the requirement is never met or never checked. Found by `yijian check`'s "
        "analysis, which tries every kind of answer the rule can tell apart.",
        "Compare the values in the rule with the field's options (spelt the same?) and bounds, "
        "or remove the field.",
        'visible_if: {"==": [{"var": "applicant.type"}, "企业"]}   # options: 个人, 单位',
        'visible_if: {"==": [{"var": "applicant.type"}, "单位"]}',
    ),
    (
        "E-VISIBLE-CONSTANT",
        "visible_if that never or always holds (warning)",
        "A page's or field's `visible_if` takes the same value for every answer the form "
        "allows: never true (the page or field is never shown) or always true (the condition "
        "does nothing).",
        "Compare the rule's values with the options and bounds of the fields it reads; remove "
        "a condition that always holds.",
        'visible_if: {"!=": [{"var": "parents.married"}, "是"]}   # a boolean: never "是"',
        'visible_if: {"==": [{"var": "parents.married"}, true]}',
    ),
    (
        "E-ELIGIBILITY-CONSTANT",
        "Eligibility rule that can never pass or never fail (warning)",
        "For every answer the form allows (options, booleans, number bounds, dates, every "
        "parameter value), an eligibility rule (with its `applies_if`) always fails, so "
        "everyone is refused, or never fails, so it checks nothing. Rule functions are "
        "treated as able to return anything, so only the rule's own logic is judged.",
        "Compare the rule's values with the options and bounds of the fields it reads "
        "(`min:`/`max:` of a number, an option spelt differently); remove a rule that checks "
        "nothing.",
        'when: {">=": [{"var": "applicant.age"}, 200]}   # age: max 150',
        'when: {">=": [{"var": "applicant.age"}, 18]}',
    ),
    (
        "E-FIELD-UNUSED",
        "Optional field nothing reads (warning)",
        "An optional choice, number, date or yes/no question that no rule, material, step, "
        "commitment, document or bundle reads: data is collected for a decision nobody makes. "
        "Required questions and free text (for the staff who read the case) are not reported.",
        "Remove the field, use it in rules.yaml, or make it required if the staff need it.",
    ),
    (
        "E-MATERIAL-UNREACHABLE",
        "Material no situation can require (warning)",
        "A material's condition (`materials:` in rules.yaml), together with the rules of the "
        "situations that list it, can never hold, or every situation listing it has no rule: "
        "the material is never asked for.",
        "Fix the condition or give the situation a rule in rules.yaml `situations:`; remove "
        "the material if no applicant needs it.",
    ),
    (
        "E-BUNDLE-QUESTION-MISMATCH",
        "Two members of a bundle ask one question differently (warning)",
        "Two member matters ask the same question (the same label) under different keys with "
        "different options or units, so the bundle asks it twice and the answers can disagree.",
        "Use one key and one definition in both members, best a field in forms/ that both `use:`.",
        "# member a: key insurance.identity, options 企业职工, 灵活就业人员\n"
        "# member b: key insured.identity, options 职工, 个体",
        "# both: {use: retirement.insurance_identity, key: insurance.identity}",
    ),
)
