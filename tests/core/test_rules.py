"""graders.core.rules.find_violations: static checks on a student's source."""
from __future__ import annotations

import textwrap

from graders.core.rules import Violation, find_violations

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
