"""graders.core.rules.find_violations: static checks on a student's source."""
from __future__ import annotations

import textwrap

import pytest

from graders.core.rules import UNCHECKABLE, Violation, find_violations

SOFTMAX_ENTRY = ("softmax", "softmax_backward")
SOFTMAX_FORBID = ("*.softmax", "*.log_softmax", "torch.autograd", "torch.autograd.*")


def check(source: str, entry=SOFTMAX_ENTRY, forbid=SOFTMAX_FORBID, file="softmax.py"):
    return find_violations({file: textwrap.dedent(source)}, entry, forbid)


def test_direct_torch_softmax_in_entry_function_is_flagged_with_file_and_line():
    found = check("""\
        import torch

        def softmax(x):
            return torch.softmax(x, dim=-1)
        """)
    assert found == [Violation("softmax.py", 4, "softmax", "torch.softmax")]
    assert found[0].describe() == "softmax.py:4 in softmax: uses torch.softmax"


def test_use_through_a_helper_function_is_flagged_in_the_helper():
    found = check("""\
        import torch

        def _helper(x):
            return torch.softmax(x, 0)

        def softmax(x):
            return _helper(x)
        """)
    assert found == [Violation("softmax.py", 4, "_helper", "torch.softmax")]


def test_helper_in_another_file_is_followed():
    sources = {
        "softmax.py": "from util import helper\ndef softmax(x):\n    return helper(x)\n",
        "util.py": "import torch\n\ndef helper(x):\n    return torch.softmax(x, 0)\n",
    }
    found = find_violations(sources, SOFTMAX_ENTRY, SOFTMAX_FORBID)
    assert found == [Violation("util.py", 4, "helper", "torch.softmax")]


def test_functional_alias_is_resolved_to_its_full_name():
    found = check("""\
        import torch.nn.functional as F

        def softmax(x):
            return F.softmax(x, dim=-1)
        """)
    assert [v.name for v in found] == ["torch.nn.functional.softmax"]
    assert found[0].line == 4


def test_method_call_on_a_tensor_is_flagged_by_wildcard_pattern():
    found = check("""\
        def softmax(x):
            return x.softmax(0)
        """)
    assert found == [Violation("softmax.py", 2, "softmax", "x.softmax")]


def test_method_call_on_an_expression_is_flagged():
    found = check("""\
        def softmax(x):
            return (x - x.max()).softmax(0)
        """)
    assert [v.name for v in found] == ["<expr>.softmax"]


def test_renamed_from_import_is_flagged():
    found = check("""\
        from torch.nn.functional import log_softmax as ls

        def softmax(x):
            return ls(x, 0).exp()
        """)
    assert found == [Violation("softmax.py", 4, "softmax", "torch.nn.functional.log_softmax")]


def test_autograd_use_is_flagged():
    found = check("""\
        import torch

        def softmax_backward(x, g):
            return torch.autograd.grad(x.sum(), x)
        """)
    assert [v.name for v in found] == ["torch.autograd.grad"]


def test_use_inside_main_guard_is_not_flagged():
    found = check("""\
        import torch

        def softmax(x):
            e = (x - x.max()).exp()
            return e / e.sum()

        if __name__ == "__main__":
            print(torch.softmax(torch.ones(3), 0))
        """)
    assert found == []


def test_function_not_reachable_from_entry_points_is_not_flagged():
    found = check("""\
        import torch

        def softmax(x):
            e = x.exp()
            return e / e.sum()

        def demo(x):
            return torch.softmax(x, 0)
        """)
    assert found == []


def test_subclassing_a_forbidden_optimizer_is_flagged():
    found = find_violations({"optimizers.py": textwrap.dedent("""\
        import torch

        class Adam(torch.optim.Adam):
            pass
        """)}, ("Adam",), ("torch.optim.Adam",))
    assert found == [Violation("optimizers.py", 3, "Adam", "torch.optim.Adam")]


def test_students_own_softmax_called_by_softmax_backward_is_not_flagged():
    found = check("""\
        def softmax(x):
            e = (x - x.max(dim=-1, keepdim=True).values).exp()
            return e / e.sum(dim=-1, keepdim=True)

        def softmax_backward(x, grad):
            s = softmax(x)
            return s * (grad - (grad * s).sum(dim=-1, keepdim=True))
        """, forbid=SOFTMAX_FORBID + ("softmax",))
    assert found == []


def test_unparsable_source_is_ignored():
    sources = {"softmax.py": "def softmax(x:\n    return torch.softmax(x)\n",
               "ema.py": "import torch\ndef ema(x):\n    return x.softmax(0)\n"}
    found = find_violations(sources, ("softmax", "ema"), SOFTMAX_FORBID)
    assert found == [Violation("ema.py", 3, "ema", "x.softmax")]


def test_one_violation_per_line_names_the_full_dotted_name():
    found = check("""\
        import torch

        def softmax(x):
            return torch.nn.functional.softmax(x, 0)
        """, forbid=("torch.nn*",))
    assert [v.name for v in found] == ["torch.nn.functional.softmax"]


# --- aliases: a name bound elsewhere still counts as the name it stands for (issue 13) ---

OPTIM_FORBID = ("torch.optim.SGD", "torch.optim.Adam", "torch.optim.adam*", "torch.optim._functional*")


def check_adam(source: str):
    return find_violations({"optimizers.py": textwrap.dedent(source)}, ("Adam",), OPTIM_FORBID)


def test_module_level_alias_used_inside_the_entry_point_is_flagged_at_the_use():
    found = check("""\
        import torch

        _sm = torch.softmax

        def softmax(x):
            return _sm(x, dim=-1)
        """)
    assert found == [Violation("softmax.py", 6, "softmax", "torch.softmax")]


def test_chained_and_multiple_target_aliases_are_resolved():
    found = check("""\
        import torch
        f = torch.nn.functional
        g = h = f.softmax
        a, b = g, 1

        def softmax(x):
            return a(x, 0)
        """)
    assert found == [Violation("softmax.py", 7, "softmax", "torch.nn.functional.softmax")]


def test_from_imports_of_modules_are_resolved():
    found = check("""\
        from torch import nn
        from torch.nn import functional

        def softmax(x):
            return nn.functional.log_softmax(x, 0).exp() + functional.softmax(x, 0)
        """)
    assert found == [Violation("softmax.py", 5, "softmax", "torch.nn.functional.log_softmax")]


def test_alias_bound_inside_the_function_is_flagged_where_it_is_called():
    found = check_adam("""\
        import torch

        class Adam(torch.optim.Optimizer):
            def __init__(self, params):
                O = torch.optim
                self.inner = O.Adam(params)
        """)
    assert found == [Violation("optimizers.py", 6, "Adam", "torch.optim.Adam")]


def test_default_argument_is_a_use():
    found = check_adam("""\
        import torch.optim as O

        class Adam(O.Optimizer):
            def step(self, closure=None, impl=O):
                return impl.Adam.step(self, closure)
        """)
    assert found == [Violation("optimizers.py", 5, "Adam", "torch.optim.Adam")]


def test_module_level_alias_as_a_base_class_is_flagged():
    found = check_adam("""\
        import torch

        _TA = torch.optim.Adam

        class Adam(_TA):
            pass
        """)
    assert found == [Violation("optimizers.py", 5, "Adam", "torch.optim.Adam")]


def test_renamed_import_as_a_base_class_is_flagged():
    found = check_adam("""\
        from torch.optim import Adam as _A

        class Adam(_A):
            pass
        """)
    assert found == [Violation("optimizers.py", 3, "Adam", "torch.optim.Adam")]


def test_module_alias_as_a_base_class_is_flagged():
    found = check_adam("""\
        import torch.optim as O

        class Adam(O.Adam):
            pass
        """)
    assert found == [Violation("optimizers.py", 3, "Adam", "torch.optim.Adam")]


def test_base_of_a_helper_class_the_entry_point_reaches_is_flagged():
    found = check_adam("""\
        from torch import optim

        class _Base(optim.Adam):
            pass

        class Adam(_Base):
            pass
        """)
    assert found == [Violation("optimizers.py", 3, "_Base", "torch.optim.Adam")]


def test_class_attribute_and_self_attribute_aliases_are_resolved():
    found = check_adam("""\
        import torch

        class Adam(torch.optim.Optimizer):
            impl = torch.optim
            def __init__(self, params):
                self.inner = self.impl.Adam(params)
        """)
    assert found == [Violation("optimizers.py", 6, "Adam", "torch.optim.Adam")]


def test_method_taken_from_a_forbidden_class_as_a_class_attribute_is_flagged():
    found = check_adam("""\
        import torch

        class Adam(torch.optim.Optimizer):
            step = torch.optim.Adam.step
        """)
    assert found == [Violation("optimizers.py", 4, "Adam", "torch.optim.Adam")]


def test_module_level_lambda_and_partial_are_followed():
    found = check("""\
        import functools
        import torch

        _sm = lambda x: torch.softmax(x, -1)
        _ls = functools.partial(torch.log_softmax, dim=-1)

        def softmax(x):
            return _sm(x) + _ls(x).exp()
        """)
    assert found == [Violation("softmax.py", 4, "_sm", "torch.softmax"),
                     Violation("softmax.py", 5, "<module>", "torch.log_softmax"),
                     Violation("softmax.py", 8, "softmax", "torch.log_softmax")]


def test_decorator_that_replaces_the_function_is_flagged():
    found = check("""\
        import torch

        _dec = lambda f: torch.softmax

        @_dec
        def softmax(x):
            return x
        """)
    assert found == [Violation("softmax.py", 3, "_dec", "torch.softmax")]


def test_entry_point_bound_by_import_or_assignment_is_flagged():
    found = find_violations({"softmax.py": "import torch\nfrom torch.nn.functional import softmax\n"
                                           "softmax_backward = torch.autograd.grad\n"}, SOFTMAX_ENTRY, SOFTMAX_FORBID)
    assert found == [Violation("softmax.py", 2, "softmax", "torch.nn.functional.softmax"),
                     Violation("softmax.py", 3, "softmax_backward", "torch.autograd.grad")]


def test_alias_defined_in_another_file_is_followed():
    sources = {"softmax.py": "from util import _sm\n\ndef softmax(x):\n    return _sm(x, 0)\n",
               "util.py": "import torch\n_sm = torch.softmax\n"}
    found = find_violations(sources, SOFTMAX_ENTRY, SOFTMAX_FORBID)
    assert found == [Violation("softmax.py", 4, "softmax", "torch.softmax")]


def test_getattr_with_a_constant_name_is_the_named_attribute():
    found = check("""\
        import torch

        def softmax(x):
            return getattr(torch, "softmax")(x, 0)
        """)
    assert found == [Violation("softmax.py", 4, "softmax", "torch.softmax")]


# --- what the checker cannot resolve fails the rule, with its own message ---

def test_getattr_with_a_computed_name_fails_with_its_own_message():
    found = check("""\
        import torch

        def softmax(x):
            return getattr(torch, "soft" + "max")(x, 0)
        """)
    assert found == [Violation("softmax.py", 4, "softmax", "getattr with a computed name", UNCHECKABLE)]
    assert found[0].describe() == ("softmax.py:4 in softmax: uses getattr with a computed name, "
                                   "which this rule cannot check; call the functions by name")


def test_getattr_passed_as_a_value_is_uncheckable():
    found = check("""\
        import functools
        import torch

        def softmax(x):
            return functools.reduce(getattr, ["nn", "functional", "softmax"], torch)(x, 0)
        """)
    assert found == [Violation("softmax.py", 5, "softmax", "getattr passed as a value", UNCHECKABLE)]


def test_dynamic_lookups_are_uncheckable():
    found = check("""\
        import importlib
        import sys

        def softmax(x):
            a = eval("x")
            b = globals()["helper"]
            c = sys.modules["torch"]
            d = importlib.import_module("torch")
            e = __import__("torch")
            f = vars(d)["softmax"]
            return d.__dict__["softmax"]
        """)
    assert [(v.line, v.name, v.kind) for v in found] == [
        (5, "eval", UNCHECKABLE), (6, "globals", UNCHECKABLE), (7, "sys.modules", UNCHECKABLE),
        (8, "importlib.import_module", UNCHECKABLE), (9, "__import__", UNCHECKABLE), (10, "vars", UNCHECKABLE),
        (11, ".__dict__", UNCHECKABLE)]


def test_subclass_lookup_through_dunders_is_uncheckable():
    found = check_adam("""\
        from torch.optim import Optimizer

        class Adam(Optimizer):
            def __new__(cls, params):
                return [c for c in Optimizer.__subclasses__() if c.__name__ == "Adam"][0](params)
        """)
    assert found == [Violation("optimizers.py", 5, "Adam", ".__subclasses__", UNCHECKABLE)]


def test_module_on_the_way_to_a_forbidden_name_passed_as_a_value_is_uncheckable():
    found = check_adam("""\
        import torch

        def _pick(m):
            return m.Adam

        class Adam(torch.optim.Optimizer):
            def __init__(self, params):
                self.inner = _pick(torch.optim)(params)
        """)
    assert found == [Violation("optimizers.py", 8, "Adam", "torch.optim as a value", UNCHECKABLE)]


def test_module_level_code_that_rebinds_names_dynamically_is_uncheckable():
    found = check("""\
        import torch

        def softmax(x):
            return x

        globals()["softmax"] = torch.softmax
        """)
    assert found == [Violation("softmax.py", 6, "<module>", "torch.softmax"),
                     Violation("softmax.py", 6, "<module>", "globals", UNCHECKABLE)]


def test_monkeypatching_at_module_level_is_checked():
    found = check("""\
        import torch

        torch.Tensor.my_exp = torch.Tensor.softmax

        def softmax(x):
            return x.my_exp(0)
        """)
    assert found == [Violation("softmax.py", 3, "<module>", "torch.Tensor.softmax")]


def test_honest_code_with_parameters_named_like_builtins_is_not_flagged():
    found = check("""\
        import torch

        def softmax(x, vars=None, compile=False):
            z = x - x.max(dim=-1, keepdim=True).values
            e = torch.exp(z)
            return e / e.sum(dim=-1, keepdim=True)
        """)
    assert found == []


def test_aliases_tangled_on_purpose_end_quickly_as_uncheckable():
    body = "".join(f"    a{i} = a{i + 1}\n    a{i} = b{i + 1}\n    b{i} = a{i + 1}\n    b{i} = b{i + 1}\n" for i in range(30))
    found = check("import torch\ndef softmax(x):\n" + body + "    return a0(x)\n")
    assert found[0] == Violation("softmax.py", 3, "softmax", "aliases too tangled to follow", UNCHECKABLE)


def test_a_module_re_exported_as_an_attribute_is_matched_from_the_re_exported_module_on():
    found = check_adam("""\
        import torch
        import torch.nn.functional as F
        from torch.nn.functional import torch as t

        class Adam(torch.optim.Optimizer):
            def __init__(self, params):
                self.inner = torch.nn.functional.torch.optim.Adam(params)
                self.other = F.torch.optim.adam.adam
                self.third = t.optim.Adam(params)
        """)
    assert [(v.line, v.name) for v in found] == [
        (7, "torch.optim.Adam"), (8, "torch.optim.adam.adam"), (9, "torch.optim.Adam")]


def test_autograd_reached_through_a_re_export_is_flagged():
    found = check("""\
        import torch

        def softmax_backward(y, g):
            return torch.nn.functional.torch.autograd.grad(y, g)
        """)
    assert [v.name for v in found] == ["torch.autograd.grad"]


def test_a_re_exported_getattr_is_still_followed():
    found = check("""\
        import torch

        def softmax(x):
            return torch.nn.functional.builtins.getattr(torch, "softmax")(x)
        """)
    assert "torch.softmax" in [v.name for v in found]


def test_a_re_exported_importlib_is_uncheckable():
    found = check("""\
        import torch

        def softmax(x):
            return torch.nn.functional.importlib.import_module("torch").softmax(x)
        """)
    assert UNCHECKABLE in [v.kind for v in found]


def _course_forbid(part: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    import tomllib
    from pathlib import Path

    spec = tomllib.loads((Path(__file__).parents[2] / "graders/hw03/assignment.toml").read_text())
    rule = spec["parts"][part]["rules"][0]
    return tuple(rule["functions"]), tuple(rule["forbid"])


@pytest.mark.parametrize("use", [
    "torch._softmax(x, 0, False)", "torch._softmax_backward_data(g, x, 0, x.dtype)", "torch._log_softmax(x, 0, False)",
    "torch.nn.functional.softmin(-x, 0)", "torch.nn.Softmax(dim=0)(x)", "torch.nn.Softmin(dim=0)(-x)",
    "torch.nn.LogSoftmax(dim=0)(x)", "torch.ops.aten._softmax.default(x, 0, False)", "torch.ops.aten.exp(x)",
    "x.grad_fn(x)", "x.grad_fn.next_functions[0][0](x)", "torch._C._functions", "functorch.grad(f)(x)",
    "torch._functorch.eager_transforms.vjp(f, x)", "torch.autograd.Variable._execution_engine.run_backward(x)"])
def test_the_course_softmax_rule_forbids_the_ways_around_it(use):
    functions, forbid = _course_forbid("softmax")
    source = f"import torch\nimport functorch\n\ndef softmax(x, dim=-1):\n    return {use}\n"
    found = find_violations({"softmax.py": source}, functions, forbid)
    assert found and all(v.line == 5 for v in found), use


@pytest.mark.parametrize("use", [
    "torch.optim._multi_tensor.Adam(params)", "torch._fused_adam_(params, g, m, v, mx, s, lr=1.0)",
    "torch._fused_adamw_(params)", "torch._fused_sgd_(params)", "torch._fused_adagrad_(params)",
    "torch.optim.NAdam(params)", "torch.optim.RAdam(params)", "torch.optim.Adamax(params)",
    "torch.optim.adamw.adamw(params)", "torch.optim.Rprop(params)", "torch.optim.ASGD(params)",
    "torch.optim.Adadelta(params)"])
def test_the_course_optimizer_rule_forbids_the_ways_around_it(use):
    functions, forbid = _course_forbid("optimizers")
    source = f"import torch\n\nclass Adam(torch.optim.Optimizer):\n    def step(self, params):\n        return {use}\n"
    found = find_violations({"optimizers.py": source}, functions, forbid)
    assert found and all(v.line == 5 for v in found), use


def test_the_course_rules_let_the_honest_samples_pass():
    from pathlib import Path

    root = Path(__file__).parents[2]
    for folder in ("submissions/hw03/correct", "reference/hw03"):
        sources = {p.name: p.read_text() for p in (root / folder).glob("*.py")}
        for part in ("softmax", "optimizers"):
            assert find_violations(sources, *_course_forbid(part)) == [], (folder, part)


def test_a_huge_amount_of_work_ends_with_an_uncheckable_finding():
    chain = "".join(f"a{i} = a{i + 1}\na{i} = b{i + 1}\nb{i} = a{i + 1}\nb{i} = b{i + 1}\n" for i in range(30))
    uses = "".join("    x = a0(x)\n" for _ in range(3000))
    source = f"import torch\n{chain}a30 = b30 = torch.exp\ndef _helper(x):\n{uses}    return x\n" \
             "def softmax(x):\n    return _helper(x)\n"
    found = check(source)
    assert found[0] == Violation("softmax.py", 0, "<module>", "the code is too large or complex to check", UNCHECKABLE)
    assert found[0].describe() == ("softmax.py: the code is too large or complex to check "
                                   "(the rule fails rather than pass unchecked code)")


def test_a_file_over_the_size_limit_is_uncheckable():
    padding = "# honest padding\n" * 20_000
    found = check("import torch\n\ndef softmax(x):\n    return torch.exp(x)\n" + padding)
    assert found == [Violation("softmax.py", 0, "<module>", "too large to check (over 256 KB)", UNCHECKABLE)]


def test_a_tree_too_deep_to_parse_is_uncheckable_and_a_syntax_error_is_left_to_the_tests():
    deep = "_X = " + "+".join(["1"] * 50_000) + "\n\ndef softmax(x):\n    return x\n"
    assert check(deep) == [Violation("softmax.py", 0, "<module>", "too deeply nested to check", UNCHECKABLE)]
    assert check("def softmax(x:\n    return x\n") == []


def test_a_deep_tree_that_parses_does_not_exhaust_the_stack():
    deep = "_X = " + "+".join(["1"] * 900) + "\n\ndef softmax(x):\n    return x\n"
    assert check(deep) == []
    chained = "import torch\n_Y = torch" + ".exp" * 900 + "\n\ndef softmax(x):\n    return _Y(x)\n"
    check(chained)  # any findings, but no RecursionError
