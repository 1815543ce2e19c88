"""Tokens, winnowing and AST subtrees: what a copier changes does not change the fingerprints."""
from __future__ import annotations

from graders.core.similarity import latex, structure, tokens, winnow

ORIGINAL = '''
def softmax(x, dim=-1):
    """Stable softmax."""
    # shift by the max
    shifted = x - x.amax(dim=dim, keepdim=True)
    e = torch.exp(shifted)
    return e / e.sum(dim=dim, keepdim=True)
'''
RENAMED = '''
def my_softmax(logits, dim=-1):
    # a different comment
    z = logits - logits.amax(dim=dim, keepdim=True)

    ex = torch.exp(z)   # exponentiate
    return ex / ex.sum(dim=dim, keepdim=True)
'''


def _texts(source: str) -> list[str]:
    return [t.text for t in tokens.normalise(source, "f.py")]


def test_renaming_comments_docstrings_and_blank_lines_leave_the_tokens_unchanged():
    assert _texts(ORIGINAL) == _texts(RENAMED)


def test_attribute_names_and_builtins_survive_normalisation():
    assert _texts("y = x.amax(len(x))") == ["V", "=", "V", ".", "amax", "(", "len", "(", "V", ")", ")"]


def test_code_that_does_not_tokenize_still_gives_the_tokens_before_the_fault():
    assert _texts("a = 1\nb = (\n")[:3] == ["V", "=", "N"]


def test_a_shared_run_longer_than_the_guarantee_gives_a_shared_fingerprint():
    body = "".join(f"v{i} = w{i} * {i} + u.sum(dim={i})\n" for i in range(6))
    left = tokens.normalise("import os\nprint(os.sep)\n" + body, "a.py")
    right = tokens.normalise(body + "for k in range(3):\n    pass\n", "b.py")
    shared = {f.hash for f in winnow.fingerprints(left)} & {f.hash for f in winnow.fingerprints(right)}
    assert shared


def test_winnowing_keeps_a_fraction_of_the_kgrams():
    toks = tokens.normalise("".join(f"x{i} = y.f{i}(z)\n" for i in range(40)), "a.py")
    assert 0 < len(winnow.fingerprints(toks)) < len(winnow.kgram_hashes(toks)) / 2


def test_subtree_hashes_ignore_names_and_the_order_of_commutative_operands():
    a = structure.subtrees(structure.parse("r = torch.exp(alpha * beta.sum(dim=1)) + gamma.mean(dim=0)\n"), "a")
    b = structure.subtrees(structure.parse("q = p.mean(dim=0) + torch.exp(s.sum(dim=1) * t)\n"), "b")
    assert {s.hash for s in a} & {s.hash for s in b}


def test_unparsable_or_absurdly_nested_code_gives_no_subtrees_and_no_error():
    assert structure.subtrees(structure.parse("def f(:\n"), "a") == []
    assert structure.subtrees(structure.parse("x = " + "(" * 5000 + ")" * 5000), "a") == []
    assert structure.parse("a = 1\x00") is None


def test_functions_and_the_owner_of_a_line():
    tree = structure.parse("class A:\n    def step(self):\n        return 1\n\ndef f():\n    pass\n")
    funcs = structure.functions(tree, "m.py")
    assert [f.name for f in funcs] == ["A", "A.step", "f"]
    assert structure.owner(funcs, "m.py", 3) == "A.step"
    assert structure.owner(funcs, "m.py", 4) == "<module>"


def test_latex_steps_ignore_spacing_and_sizing_commands():
    one = latex.steps("```derivation j\n= y_i \\left(\\delta_{ij} - y_j\\right)\n```\n")
    two = latex.steps("```derivation j\n=  y_i(\\delta_{ij}-y_j)\n```\n")
    assert [s.hash for s in one] == [s.hash for s in two]
