"""Symbolic checking of derivation answers (pure Python: lark + sympy).

Public API
----------
extract_blocks(markdown: str) -> list[Block]
    Fenced ```answer NAME``` / ```derivation NAME``` blocks; Block(kind, name, text, line).
parse_math(text: str) -> sympy.Expr
    Course notation (LaTeX or plain text) -> sympy, via a lark grammar; never eval/sympify.
    Batch normalisation (notation.py): ``\\hat{x}_i`` an indexed quantity of its own,
    ``\\mu_B``, ``\\sigma_B^2`` (``\\sigma_B`` its root; ``\\sigma(z)`` stays the sigmoid),
    ``\\gamma``, ``\\beta``, ``\\epsilon``/``\\varepsilon`` (drawn > 0) scalars with a value at
    every point, ``m`` the batch size n wherever a line does not use it as an index.
parse_equation(text: str) -> list[sympy.Expr]
    The sides of ``A = B = ...``.
ParseError(message, line, column)
    Raised for unreadable input; ``str()`` starts with "line L, column C:".
check_equivalent(student, key, *, seed=0, sizes=(2, 3, 5), time_limit_s=2.0) -> Verdict
    Verdict(status, message, detail, hint); status in
    "equivalent" | "not_equivalent" | "unparseable" | "timeout".
check_derivation(text, key, *, quantity=None, seed=0, sizes=(2, 3, 5),
                 time_limit_s=5.0, first_line=1) -> DerivationVerdict
    DerivationVerdict(status, message, steps, valid_prefix, first_invalid_step,
    first_invalid_line, reaches_key, fraction, results, detail, notes).
    A key with milestones grades what the chain shows (status "missing_steps",
    detail["milestones"]); notes are set apart first (detail["commentary"]).
Key(name, expr_latex, quantity_latex, hints=(), definitions=(), variables=(),
    milestones=(), consistency_weight=None)
    What an answer is checked against; the checker depends only on this type.
Milestone(name, expr_latex, weight, hint, quantity_latex="")
    An intermediate result a derivation passes through (docs/derivation-keys.md).
    ``variables`` declares a question's scalar inputs (``z``, ``t``, ``z_2``);
    without them a question is about the n-vectors x, y = softmax(x), g, t.
load_keys(path) -> dict[str, Key]
    Keys from a TOML file; each assignment's live with its hidden suite (graders/hwNN/keys.toml).
    KeyFileError (a ValueError) names the key and field of a table that cannot be used.
"""
from .blocks import Block, extract_blocks
from .derivation import DerivationVerdict, StepResult, check_derivation
from .equivalence import Verdict, check_equivalent
from .errors import EvalError, ParseError
from .key import Key, KeyFileError, Milestone, load_keys
from .parser import parse_equation, parse_math

__all__ = [
    "Block", "extract_blocks", "DerivationVerdict", "StepResult", "check_derivation",
    "Verdict", "check_equivalent", "EvalError", "ParseError", "Key", "KeyFileError", "Milestone", "load_keys",
    "parse_equation", "parse_math",
]
