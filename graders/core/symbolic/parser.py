"""Parse course math notation into sympy expressions (never via eval/sympify).

Representation:
  * indexed quantities ``y_i`` -> ``IndexedBase('y')[i]``; index letters
    (i j k l m p q r) are integer Symbols, digits are Integers;
  * ``\\sum_k body`` -> ``Sum(body, (k, 1, n))`` (or the bounds written);
  * ``\\delta_{ij}``, ``[i=j]``, ``\\mathbb{1}[i=j]``, cases -> KroneckerDelta; ``\\delta``, ``\\delta_2``,
    ``\\delta^{(2)}`` (no two indices) -> the symbols of backprop's error term, defined by a key;
  * ``\\sigma(z)`` -> ``1/(1 + exp(-z))``; ``\\tanh``; ``\\sigma'(z)`` -> its derivative in z;
  * ``\\frac{\\partial A}{\\partial B}`` and ``\\frac{\\partial}{\\partial B} A`` ->
    unevaluated ``Derivative(A, B)`` (evaluated numerically by evaluate.py).
"""
from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any, Iterator

import sympy as sp
from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, UnexpectedInput, UnexpectedToken, VisitError
from lark.lexer import Lexer

from graders.i18n import N_, _

from .errors import ParseError
from .lexer import tokenize
from .notation import batch_size_m, is_named, named_symbol

INDEX_LETTERS = "ijklmpqr"
N = sp.Symbol("n", integer=True, positive=True)
MAX_EXPONENT = 1000
MAX_LOG10 = 300

_IDX = {c: sp.Symbol(c, integer=True) for c in INDEX_LETTERS}
_BASES: dict[str, sp.IndexedBase] = {}


def index_symbol(name: str) -> sp.Symbol:
    """The integer Symbol used for index letter ``name``."""
    return _IDX[name]


def base(name: str) -> sp.IndexedBase:
    """The IndexedBase used for vector ``name`` (x, y, g, t, ...)."""
    if name not in _BASES:
        _BASES[name] = sp.IndexedBase(name)
    return _BASES[name]


def is_index(e: Any) -> bool:
    return (isinstance(e, sp.Symbol) and e.name in _IDX and e == _IDX[e.name]) or isinstance(e, sp.Integer)


_state = threading.local()


def _where() -> tuple[int, int]:
    tok = getattr(_state, "last", None)
    if tok is None:
        return 1, 1
    return tok.line or 1, tok.column or 1


def _err(message: str) -> ParseError:
    line, col = _where()
    return ParseError(message, line, col)


def _check_number_power(b: sp.Expr, e: sp.Expr) -> None:
    if isinstance(e, sp.Number):
        if abs(e) > MAX_EXPONENT:
            raise _err(_("exponent {exponent} too large (at most {limit})").format(exponent=e, limit=MAX_EXPONENT))
        if isinstance(b, sp.Number) and b != 0:
            if float(abs(e)) * abs(math.log10(abs(float(b)) if abs(b) < 1e300 else 300)) > MAX_LOG10:
                raise _err(_("number too large"))
    elif e.has(sp.Pow) and all(isinstance(a, sp.Number) for a in e.atoms(sp.Number)) and not e.free_symbols:
        raise _err(_("exponent too large"))


class _Build(Transformer):
    """LALR callbacks: build sympy objects while reducing."""

    # --- top level
    def line(self, c: list) -> tuple[str, list]:
        return ("line", list(c))

    def continuation(self, c: list) -> tuple[str, list]:
        return ("cont", list(c))

    # --- arithmetic
    def add(self, c: list) -> sp.Expr:
        return sp.Add(c[0], c[1])

    def minus(self, c: list) -> sp.Expr:
        return sp.Add(c[0], -c[1])

    def mul(self, c: list) -> sp.Expr:
        return sp.Mul(c[0], c[1])

    def div(self, c: list) -> sp.Expr:
        if c[1] == 0:
            raise _err(_("division by zero"))
        return sp.Mul(c[0], sp.Pow(c[1], -1))

    def neg(self, c: list) -> sp.Expr:
        return -c[0]

    def pow(self, c: list) -> sp.Expr:
        b, e = c
        _check_number_power(b, e)
        if b == sp.E:
            return sp.exp(e)
        return sp.Pow(b, e)

    def exp_idx(self, c: list) -> sp.Expr:
        tok = c[0]
        v = tok.value
        if v.isdigit():
            if len(c) > 1:
                raise _err(_("a number cannot take a subscript"))
            return sp.Integer(v)
        atom = self.letter([Token("LETTER", v)])
        return self.indexed([Token("LETTER", v), c[1]]) if len(c) > 1 else atom

    def frac(self, c: list) -> sp.Expr:
        return self.div(c)

    def atom(self, c: list) -> Any:
        return c[0]

    # --- symbols
    def number(self, c: list) -> sp.Expr:
        return sp.Rational(c[0].value)

    def letter(self, c: list) -> sp.Expr:
        v = c[0].value
        if is_named(v):
            return named_symbol(v)
        if v == "e":
            return sp.E
        if v == "n":
            return N
        if v in _IDX:
            return _IDX[v]
        return sp.Symbol(v)

    def index(self, c: list) -> sp.Expr:
        v = c[0].value
        if v.isdigit():
            return sp.Integer(v)
        if v in _IDX:
            return _IDX[v]
        if v == "n":
            return N
        raise _err(_("'{name}' is not an index (use one of {letters} or a digit)").format(name=v, letters=", ".join(INDEX_LETTERS)))

    def sub(self, c: list) -> list:
        out: list = []
        for t in c:
            if isinstance(t, Token):
                for ch in t.value:  # IDX may hold two characters (\delta_ij)
                    out.append(self.index([Token("IDX", ch)]))
            else:
                out.append(t)
        return out

    def indexed(self, c: list) -> sp.Expr:
        name = c[0].value
        idx = c[1]
        if name == "e" or name in _IDX or name == "n":
            raise _err(_("'{name}' cannot take a subscript").format(name=name))
        if len(idx) != 1:
            raise _err(_("'{name}' takes a single index, got {count}").format(name=name, count=len(idx)))
        return base(name)[idx[0]]

    # --- functions
    def func(self, c: list) -> sp.Expr:
        name, arg = c[0].value, c[1]
        if name == "exp":
            return sp.exp(arg)
        if name == "log":
            if arg == 0:
                raise _err(_("log of zero"))
            return sp.log(arg)
        if name == "sqrt":
            return sp.sqrt(arg)
        if name == "tanh":
            return sp.tanh(arg)
        if name == "sigmoid":
            return 1 / (1 + sp.exp(-arg))
        raise _err(_("unknown function {name}").format(name=name))

    def func_prime(self, c: list) -> sp.Expr:
        """f'(u): the derivative of f at a variable u, e.g. \\sigma'(z)."""
        u = self._variable(c[1])
        return sp.Derivative(self.func([c[0], u]), u, evaluate=False)

    def delta(self, c: list) -> sp.Expr:
        idx = c[0]
        if len(idx) != 2:
            raise _err(_("\\delta takes two indices, got {count}").format(count=len(idx)))
        return sp.KroneckerDelta(idx[0], idx[1])

    def cond_eq(self, c: list) -> tuple:
        return ("eq", self._idx_pair(c))

    def cond_ne(self, c: list) -> tuple:
        return ("ne", self._idx_pair(c))

    def _idx_pair(self, c: list) -> tuple:
        a, b = c[0], c[1]
        if not (is_index(a) and is_index(b)):
            raise _err(_("a condition must compare two indices, like i = j"))
        return (a, b)

    def iverson(self, c: list) -> sp.Expr:
        kind, (a, b) = c[0]
        d = sp.KroneckerDelta(a, b)
        return d if kind == "eq" else 1 - d

    def texts(self, c: list) -> list[str]:
        return [t.value for t in c]

    def case_row(self, c: list) -> tuple:
        value = c[0]
        cond = next((x for x in c[1:] if isinstance(x, tuple)), None)
        words = [w for x in c[1:] if isinstance(x, list) for w in x]
        return (value, cond, words)

    def cases(self, rows: list) -> sp.Expr:
        total = sp.Integer(0)
        covered = sp.Integer(0)
        for k, (value, cond, _words) in enumerate(rows):
            if cond is None:
                if k != len(rows) - 1:
                    raise _err(_("only the last case may go without a condition ('otherwise')"))
                ind = 1 - covered
            else:
                ind = self.iverson([cond])
            covered = covered + ind
            total = total + value * ind
        return total

    # --- sums and derivatives
    def sum_plain(self, c: list) -> tuple:
        k = c[0]
        upper = c[1] if len(c) > 1 else N
        return (k, sp.Integer(1), upper)

    def sum_bounds(self, c: list) -> tuple:
        k, lower = c[0], c[1]
        upper = c[2] if len(c) > 2 else N
        return (k, lower, upper)

    def sum_upper(self, c: list) -> sp.Expr:
        v = c[0]
        if isinstance(v, Token):
            return self.letter([v]) if not v.value.isdigit() else sp.Integer(v.value)
        return v

    def sum(self, c: list) -> sp.Expr:
        (k, lo, hi), body = c
        if not (isinstance(k, sp.Symbol) and is_index(k)):
            raise _err(_("a sum needs an index letter, like \\sum_k"))
        return sp.Sum(body, (k, lo, hi))

    def partial_frac(self, c: list) -> sp.Expr:
        return sp.Derivative(c[0], self._variable(c[1]), evaluate=False)

    def diff_op(self, c: list) -> sp.Expr:
        return sp.Derivative(c[1], self._variable(c[0]), evaluate=False)

    def _variable(self, v: Any) -> sp.Expr:
        if isinstance(v, sp.Indexed) or (isinstance(v, sp.Symbol) and not is_index(v)):
            return v
        raise _err(_("differentiate with respect to a variable like x_j"))


_GRAMMAR = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")


class _TrackingLexer(Lexer):
    def __init__(self, lexer_conf) -> None:
        pass

    def lex(self, data: str) -> Iterator[Token]:  # type: ignore[override]
        for tok in _state.tokens:
            _state.last = tok
            yield tok


_PARSER = Lark(_GRAMMAR, parser="lalr", lexer=_TrackingLexer, transformer=_Build(),
               maybe_placeholders=False)

_READABLE = {
    "NUMBER": N_("a number"), "LETTER": N_("a letter"), "IDX": N_("an index"), "FUNC": N_("a function name"),
    "TEXT": "\\text{...}", "_FRAC": "\\frac", "_PARTIAL": "\\partial", "_SUM": "\\sum",
    "_DELTA": "\\delta", "_INDICATOR": "\\mathbb{1}", "_BEGIN_CASES": "\\begin{cases}",
    "_END_CASES": "\\end{cases}", "_ROWSEP": "'\\\\'", "_AMP": "'&'", "_NEQ": "\\neq",
    "_LPAR": "'('", "_RPAR": "')'", "_LBRACK": "'['", "_RBRACK": "']'", "_LBRACE": "'{'",
    "_RBRACE": "'}'", "_PLUS": "'+'", "_MINUS": "'-'", "_STAR": "'*'", "_SLASH": "'/'",
    "_CARET": "'^'", "_UNDERSCORE": "'_'", "_EQ": "'='", "_COMMA": "','", "_PRIME": N_("a prime (')"),
    "$END": N_("end of input"),
}
_OPERAND_STARTS = {"NUMBER", "LETTER", "_LPAR", "_FRAC", "_SUM", "FUNC", "_DELTA"}


def _describe_expected(expected: set[str]) -> str:
    exp = set(expected)
    words: list[str] = []
    if _OPERAND_STARTS <= exp:
        words.append(_("an expression (a number, a symbol, '(' ...)"))
        exp -= _OPERAND_STARTS | {"_LBRACK", "_LBRACE", "_MINUS", "_PLUS", "_INDICATOR", "_BEGIN_CASES"}
        if {"_STAR", "_SLASH"} <= exp:
            exp -= {"_STAR", "_SLASH", "_CARET"}
            words.append(_("an operator"))
    words += sorted(_(_READABLE.get(e, e)) for e in exp)
    if len(words) > 6:
        words = words[:6] + ["..."]
    return _(" or ").join(words) if words else _("something else")


def _found(tok: Token) -> str:
    if tok.type == "$END":
        return _("unexpected end of input")
    if tok.type.startswith("_"):
        return _("unexpected {token}").format(token=_(_READABLE.get(tok.type, tok.value)))
    return _("unexpected '{token}'").format(token=tok.value)


_CLOSER = {"_LPAR": "_RPAR", "_LBRACK": "_RBRACK", "_LBRACE": "_RBRACE"}


def _unclosed(tokens: list[Token], upto: Token) -> Token | None:
    """The innermost bracket still open before token ``upto``."""
    stack: list[Token] = []
    for t in tokens:
        if t is upto:
            break
        if t.type in _CLOSER:
            stack.append(t)
        elif t.type in _CLOSER.values() and stack:
            stack.pop()
    return stack[-1] if stack else None


def _unexpected_token(e: UnexpectedToken, tokens: list[Token]) -> ParseError:
    """Say what was found and what was expected; name the bracket left open when that is the cause."""
    tok = e.token
    line = getattr(tok, "line", None) or (tokens[-1].line if tokens else 1)
    col = getattr(tok, "column", None) or ((tokens[-1].column + len(tokens[-1].value)) if tokens else 1)
    opener = _unclosed(tokens, tok)
    if opener is not None and _CLOSER[opener.type] in e.expected and (
            tok.type == "$END" or tok.type in _CLOSER.values()):
        closer = _READABLE[_CLOSER[opener.type]]
        msg = _("{found}; expected {closer} to close {opener} opened at line {line}, column {column}").format(
            found=_found(tok), closer=closer, opener=_READABLE[opener.type], line=opener.line, column=opener.column)
    else:
        msg = _("{found}; expected {expected}").format(found=_found(tok), expected=_describe_expected(e.expected))
    return ParseError(msg, line, col)


def parse_line(text: str) -> tuple[str, list[sp.Expr]]:
    """Parse ``A = B = C`` (kind "line") or ``= B`` (kind "cont").

    Returns the kind and the list of sides.  Raises ParseError.
    """
    tokens = tokenize(text)
    if not tokens:
        raise ParseError(_("empty expression"), 1, 1)
    _state.tokens = tokens
    _state.last = None
    try:
        kind, sides = _PARSER.parse(text)
        return kind, _batch_size(sides)
    except ParseError:
        raise
    except UnexpectedToken as e:
        raise _unexpected_token(e, tokens) from None
    except VisitError as e:
        if isinstance(e.orig_exc, ParseError):
            raise e.orig_exc from None
        line, col = _where()
        raise ParseError(_("cannot build expression: {error}").format(error=e.orig_exc), line, col) from None
    except RecursionError:
        raise ParseError(_("expression nested too deeply"), *_where()) from None
    except (UnexpectedInput, LarkError) as e:
        line, col = _where()
        raise ParseError(_("cannot read expression: {error}").format(error=e), line, col) from None
    except (ValueError, TypeError, ArithmeticError, MemoryError) as e:
        line, col = _where()
        raise ParseError(_("cannot build expression: {error}").format(error=e), line, col) from None
    finally:
        _state.tokens = []


def _batch_size(sides: list[sp.Expr]) -> list[sp.Expr]:
    """A line's ``m`` is the batch size n unless the line uses it as an index (notation.batch_size_m)."""
    return list(batch_size_m(sp.Tuple(*sides), _IDX["m"], N).args)


def parse_math(text: str) -> sp.Expr:
    """Parse a single expression (no '=') into a sympy expression."""
    kind, sides = parse_line(text)
    if kind != "line" or len(sides) != 1:
        raise ParseError(_("expected a single expression without '='"), 1, 1)
    return sides[0]


def parse_equation(text: str) -> list[sp.Expr]:
    """Parse ``LHS = RHS`` (or a bare expression); returns the sides."""
    kind, sides = parse_line(text)
    if kind != "line":
        raise ParseError(_("expression starts with '='"), 1, 1)
    return sides


def parse_trusted_quantity(text: str) -> sp.Expr:
    """Parse a quantity like ``\\frac{\\partial y_i}{\\partial x_j}`` (trusted text)."""
    return parse_equation(text)[-1]
