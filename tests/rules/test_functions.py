import types

from yijian.rules.functions import collect, rule_function


def test_collect_takes_marked_functions_defined_in_the_module_in_order() -> None:
    other = types.ModuleType("other")
    exec(
        "from yijian import rule_function\n@rule_function('borrowed')\ndef f(x): return x",
        other.__dict__,
    )
    mod = types.ModuleType("county")
    code = (
        "from yijian import rule_function\n"
        "@rule_function('zeta')\ndef z(a: int, b: int = 1) -> int: return a + b\n"
        "@rule_function()\ndef alpha(*xs): return len(xs)\n"
        "def plain(x): return x\n"
    )
    exec(code, mod.__dict__)
    mod.borrowed = other.f  # imported from elsewhere: not this module's function
    found = collect(mod)
    assert [f.name for f in found] == ["zeta", "alpha"]
    assert (found[0].min_args, found[0].max_args) == (1, 2)
    assert (found[1].min_args, found[1].max_args) == (0, None)


def test_keyword_only_parameters_are_not_rule_arguments() -> None:
    @rule_function("inject")
    def f(a: str, *, calendar: object) -> str:
        return a

    mod = types.ModuleType(f.__module__)
    mod.f = f
    (fn,) = collect(mod)
    assert (fn.min_args, fn.max_args) == (1, 1)
