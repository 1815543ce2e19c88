"""Hand-written tokenizer for the course notation (feeds the lark LALR parser).

Why hand-written: LaTeX subscripts take one character when unbraced
(``y_iy_j`` is ``y_i * y_j``) while ``\\delta_ij`` takes two (a \\delta without two indices is
backprop's error term: notation.delta_reading), and
multi-letter words must be whitelisted (``eval`` is an error, not ``e*v*a*l``).
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from lark import Token
from lark.lexer import Lexer

from graders.i18n import _

from .errors import ParseError
from .notation import (HAT_COMMANDS, NAMED_COMMANDS, PLAIN_NAMES, UNICODE_NAMES, delta_reading, hat_name,
                       named_token)

MAX_CHARS = 2000
MAX_DEPTH = 30
MAX_TOKENS = 1000
MAX_DIGITS = 20

FUNC_WORDS = {"exp": "exp", "log": "log", "ln": "log", "sqrt": "sqrt", "tanh": "tanh",
              "sigma": "sigmoid", "sigmoid": "sigmoid"}
PLAIN_WORDS = {"sum": "_SUM", "delta": "_DELTA", "frac": "_FRAC"}  # delta: read by _delta first
TEXT_WORDS = {"if", "otherwise", "else", "for"}
IGNORED_COMMANDS = {
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
    "biggl", "biggr", "Biggl", "Biggr", "limits", "displaystyle", "quad", "qquad",
    "textstyle", "nolimits",
}
SIMPLE_COMMANDS = {
    "frac": "_FRAC", "dfrac": "_FRAC", "tfrac": "_FRAC", "partial": "_PARTIAL",
    "sum": "_SUM", "delta": "_DELTA", "cdot": "_STAR", "times": "_STAR",
    "neq": "_NEQ", "ne": "_NEQ",
}
TEXT_COMMANDS = {"text", "textrm", "mbox", "mathrm", "operatorname", "textit", "mathit"}
INDICATOR_COMMANDS = {"mathbb", "mathbf", "mathds", "mathbbm", "boldsymbol"}
PUNCT = {
    "(": "_LPAR", ")": "_RPAR", "[": "_LBRACK", "]": "_RBRACK", "{": "_LBRACE",
    "}": "_RBRACE", "+": "_PLUS", "-": "_MINUS", "*": "_STAR", "/": "_SLASH",
    "^": "_CARET", "_": "_UNDERSCORE", "=": "_EQ", ",": "_COMMA", "&": "_AMP",
    "\u2212": "_MINUS", "\u00b7": "_STAR", "\u00d7": "_STAR", "\u2260": "_NEQ",
    "\u2202": "_PARTIAL", "\u2211": "_SUM", "\u03a3": "_SUM",
    "'": "_PRIME", "\u2032": "_PRIME",
}
UNICODE_FUNCS = {"\u03c3": "sigmoid"}  # σ(z): the logistic sigmoid
OPENERS = {"_LPAR", "_LBRACK", "_LBRACE"}
CLOSERS = {"_RPAR", "_RBRACK", "_RBRACE"}


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.col = 1

    def peek(self, k: int = 0) -> str:
        p = self.pos + k
        return self.text[p] if p < len(self.text) else ""

    def advance(self, n: int = 1) -> None:
        for _step in range(n):
            if self.pos >= len(self.text):
                return
            if self.text[self.pos] == "\n":
                self.line += 1
                self.col = 1
            else:
                self.col += 1
            self.pos += 1

    def error(self, message: str) -> ParseError:
        return ParseError(message, self.line, self.col)


def _braced(sc: _Scanner) -> str:
    """Read ``{...}`` (no nesting) right at the cursor (after optional spaces)."""
    while sc.peek() == " ":
        sc.advance()
    if sc.peek() != "{":
        ch = sc.peek()
        if ch.isalnum():
            sc.advance()
            return ch
        raise sc.error(_("expected '{' after the command"))
    start = sc.pos + 1
    end = sc.text.find("}", start)
    if end < 0 or "{" in sc.text[start:end]:
        raise sc.error(_("unbalanced braces after the command"))
    sc.advance(end - start + 2)
    return sc.text[start:end]


class Tokenizer:
    """The state of one :func:`tokenize` call: scanner, tokens so far, bracket depths.

    Why a class: the rules in ``RULES`` share this state (an unbraced script
    takes one character, ``{ij}`` inside a subscript is two letters).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.sc = _Scanner(text)
        self.toks: list[Token] = []
        self.depth = 0
        self.sub_brace_depth: list[int] = []  # bracket depths at which a subscript brace opened
        self.pending_script: str | None = None  # "_" or "^" just emitted (unbraced script follows)
        self.script: str | None = None  # the script pending before the current character
        self.start = (1, 1, 0)  # line, column, position of the current token

    def emit(self, kind: str, value: str, line: int, col: int, pos: int) -> None:
        """Append a token, tracking bracket depth and the token budget."""
        if kind in OPENERS:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ParseError(_("expression nested too deeply (more than {limit} brackets)").format(limit=MAX_DEPTH), line, col)
        elif kind in CLOSERS:
            self.depth -= 1
            if self.sub_brace_depth and self.depth < self.sub_brace_depth[-1]:
                self.sub_brace_depth.pop()
        self.toks.append(Token(kind, value, pos, line, col, end_pos=self.sc.pos))
        if len(self.toks) > MAX_TOKENS:
            raise ParseError(_("expression too long (too many symbols)"), line, col)

    def emit_here(self, kind: str, value: str) -> None:
        """Emit a token that starts where the current one started."""
        self.emit(kind, value, *self.start)

    def run(self) -> list[Token]:
        """Scan the whole text: each character goes to the first rule that claims it."""
        sc = self.sc
        while sc.pos < len(self.text):
            ch = sc.peek()
            self.start = (sc.line, sc.col, sc.pos)
            if ch in " \t\r\n$":
                sc.advance()
                continue
            self.script = self.pending_script
            self.pending_script = None
            for claims, handle in RULES:
                if claims(self, ch):
                    handle(self, ch)
                    break
            else:
                raise sc.error(_("unexpected character '{ch}'").format(ch=ch))
        return self.toks

    def run_length(self, accept: Callable[[int], bool]) -> int:
        """Number of characters from the cursor on that ``accept(offset)`` allows."""
        n = 0
        while accept(n):
            n += 1
        return n

    def take(self, n: int) -> str:
        """The next ``n`` characters, consumed."""
        value = self.text[self.sc.pos:self.sc.pos + n]
        self.sc.advance(n)
        return value


# --- rules: (does it claim this character?, handle it); the first claimant wins

def _script_index(tz: Tokenizer, ch: str) -> None:
    """Unbraced sub/superscript: one character; digits after ^ form a number; \\delta_ij takes two."""
    sc = tz.sc
    if tz.script == "^" and ch.isdigit():
        n = tz.run_length(lambda k: sc.peek(k).isdigit())
        if n > MAX_DIGITS:
            raise sc.error(_("number too long"))
        tz.emit_here("IDX", tz.take(n))
        return
    n = 1
    if tz.script == "_" and len(tz.toks) >= 2 and tz.toks[-2].type == "_DELTA" and sc.peek(1).isalnum():
        n = 2
    tz.emit_here("IDX", tz.take(n))


def _double_star(tz: Tokenizer, ch: str) -> None:
    tz.sc.advance(2)
    tz.emit_here("_CARET", "**")
    tz.pending_script = "^"


def _double_underscore(tz: Tokenizer, ch: str) -> None:
    raise tz.sc.error(_("unexpected '__'"))


def _unicode_func(tz: Tokenizer, ch: str) -> None:
    tz.sc.advance()
    if not _named(tz, "sigma"):
        tz.emit_here("FUNC", UNICODE_FUNCS[ch])


def _named(tz: Tokenizer, word: str, skip: int = 0) -> bool:
    """A batch-normalisation name (``\\mu_B``, ``\\sigma_B^2``, ``\\gamma``) whose word ends ``skip`` characters on.

    Emits it and returns True; False (nothing consumed) when the word is no such name here.
    """
    found = named_token(word, tz.text, tz.sc.pos + skip)
    if found is None:
        return False
    value, extra = found
    tz.sc.advance(skip + extra)
    tz.emit_here("LETTER", value)
    return True


def _delta(tz: Tokenizer, skip: int) -> None:
    """A \\delta whose word ends ``skip`` characters on: Kronecker's (two indices follow) or the error term.

    ``\\delta^2`` is refused: a power of \\delta or the error term of layer 2?
    """
    kind, value, extra = delta_reading(tz.text, tz.sc.pos + skip)
    tz.sc.advance(skip + extra)
    if kind == "kronecker":
        tz.emit_here("_DELTA", "\\delta")
    elif kind == "symbol":
        tz.emit_here("LETTER", value)
    else:
        line, col, _pos = tz.start
        raise ParseError(_("'\\delta^...' is ambiguous (a power of \\delta, or a layer?): write \\delta^{(2)} for the "
                           "error term of layer 2, or (\\delta)^2 for the square of \\delta"), line, col)


def _unicode_name(tz: Tokenizer, ch: str) -> None:
    tz.sc.advance()
    _named(tz, UNICODE_NAMES[ch])


def _punct(tz: Tokenizer, ch: str) -> None:
    tz.sc.advance()
    kind = PUNCT[ch]
    if kind == "_LBRACE" and tz.toks and tz.toks[-1].type == "_UNDERSCORE":
        tz.sub_brace_depth.append(tz.depth + 1)
    tz.emit_here(kind, ch)
    if ch in "_^":
        tz.pending_script = ch


def _number(tz: Tokenizer, ch: str) -> None:
    sc = tz.sc
    n = tz.run_length(lambda k: sc.peek(k).isdigit() or (sc.peek(k) == "." and sc.peek(k + 1).isdigit()))
    if n > MAX_DIGITS:
        raise sc.error(_("number too long (at most {limit} digits)").format(limit=MAX_DIGITS))
    tz.emit_here("NUMBER", tz.take(n))


def _letters_ahead(tz: Tokenizer, first: int) -> int:
    """Offset after the run of ASCII letters that starts at offset ``first``."""
    sc = tz.sc
    return tz.run_length(lambda k: k < first or (sc.peek(k).isascii() and sc.peek(k).isalpha()))


def _word(tz: Tokenizer, ch: str) -> None:
    """A letter, or a whitelisted word (function, plain command, prose)."""
    n = _letters_ahead(tz, 0)
    word = tz.text[tz.sc.pos:tz.sc.pos + n]
    if n == 1:
        tz.sc.advance()
        tz.emit_here("LETTER", word)
        return
    if word in PLAIN_NAMES and _named(tz, word, skip=n):
        return  # plain 'sigma' without _B goes on: the sigmoid
    if word == "delta":
        _delta(tz, n)
        return
    for table, token in WORD_TOKENS:
        if word in table:
            tz.sc.advance(n)
            tz.emit_here(*token(word))
            return
    if tz.sub_brace_depth:
        _subscript_letters(tz, word)
        return
    line, col, _pos = tz.start
    raise ParseError(_("unknown name '{word}' (allowed words: exp, log, ln, sqrt, tanh, sigma, sum, "
                       "delta)").format(word=word), line, col)


def _subscript_letters(tz: Tokenizer, word: str) -> None:
    """``{ij}`` inside a subscript: the letters i, j."""
    line, col, pos = tz.start
    for k, c in enumerate(word):
        tz.sc.advance()
        tz.emit("LETTER", c, line, col + k, pos + k)


# a whitelisted word -> (token kind, token value)
WORD_TOKENS: tuple[tuple[Any, Callable[[str], tuple[str, str]]], ...] = (
    (FUNC_WORDS, lambda word: ("FUNC", FUNC_WORDS[word])),
    (PLAIN_WORDS, lambda word: (PLAIN_WORDS[word], word)),
    (TEXT_WORDS, lambda word: ("TEXT", word)),
)


def _backslash(tz: Tokenizer, ch: str) -> None:
    """A LaTeX command, ``\\\\`` (row separator), a spacing command or an escaped brace."""
    sc = tz.sc
    nxt = sc.peek(1)
    if nxt == "\\":
        sc.advance(2)
        tz.emit_here("_ROWSEP", "\\\\")
    elif nxt in ",;:! ":
        sc.advance(2)
    elif nxt in "{}":
        sc.advance(2)
        tz.emit_here("_LBRACE" if nxt == "{" else "_RBRACE", nxt)
    else:
        _command(tz, nxt)


def _command(tz: Tokenizer, nxt: str) -> None:
    sc = tz.sc
    n = _letters_ahead(tz, 1)
    name = tz.text[sc.pos + 1:sc.pos + n]
    if not name:
        raise sc.error(_("unexpected character '{nxt}' after backslash").format(nxt=nxt))
    sc.advance(n)
    if name in NAMED_COMMANDS and _named(tz, name):
        return
    if name == "delta":
        _delta(tz, 0)
        return
    for names, handle in COMMANDS:
        if name in names:
            handle(tz, name)
            return
    line, col, _pos = tz.start
    raise ParseError(_("unsupported command '\\{name}'").format(name=name), line, col)


def _ignored_command(tz: Tokenizer, name: str) -> None:
    if name in ("left", "right") and tz.sc.peek() == ".":
        tz.sc.advance()


def _text_command(tz: Tokenizer, name: str) -> None:
    """``\\text{...}`` and friends: a function name, a single letter, or prose."""
    content = _braced(tz.sc).strip()
    if name in ("mathrm", "operatorname") and content in FUNC_WORDS:
        tz.emit_here("FUNC", FUNC_WORDS[content])
    elif name in ("mathrm", "mathit") and len(content) == 1 and content.isalpha():
        tz.emit_here("LETTER", content)
    else:
        tz.emit_here("TEXT", content.lower())


def _indicator_command(tz: Tokenizer, name: str) -> None:
    content = _braced(tz.sc).strip()
    if content not in ("1", "I"):
        line, col, _pos = tz.start
        raise ParseError(_("unsupported \\{name}{{{content}}} (only the indicator \\mathbb{{1}})").format(name=name, content=content), line, col)
    tz.emit_here("_INDICATOR", "\\" + name)


def _hat_command(tz: Tokenizer, name: str) -> None:
    """``\\hat{x}``: a quantity of its own (the normalised x), indexed like x."""
    content = _braced(tz.sc).strip()
    if len(content) != 1 or not (content.isascii() and content.isalpha()):
        line, col, _pos = tz.start
        raise ParseError(_("\\{name} takes one letter, like \\{name}{{x}}").format(name=name), line, col)
    tz.emit_here("LETTER", hat_name(content))


def _environment_command(tz: Tokenizer, name: str) -> None:
    env = _braced(tz.sc).strip()
    if env != "cases":
        line, col, _pos = tz.start
        raise ParseError(_("unsupported environment '{env}' (only cases)").format(env=env), line, col)
    tz.emit_here("_BEGIN_CASES" if name == "begin" else "_END_CASES", env)


COMMANDS: tuple[tuple[Any, Callable[[Tokenizer, str], None]], ...] = (
    (IGNORED_COMMANDS, _ignored_command),
    (SIMPLE_COMMANDS, lambda tz, name: tz.emit_here(SIMPLE_COMMANDS[name], "\\" + name)),
    (FUNC_WORDS, lambda tz, name: tz.emit_here("FUNC", FUNC_WORDS[name])),
    (TEXT_COMMANDS, _text_command),
    (INDICATOR_COMMANDS, _indicator_command),
    (("begin", "end"), _environment_command),
    (HAT_COMMANDS, _hat_command),
)

RULES: tuple[tuple[Callable[[Tokenizer, str], bool], Callable[[Tokenizer, str], None]], ...] = (
    (lambda tz, ch: tz.script is not None and ch.isalnum(), _script_index),
    (lambda tz, ch: ch == "*" and tz.sc.peek(1) == "*", _double_star),
    (lambda tz, ch: ch == "_" and tz.sc.peek(1) == "_", _double_underscore),
    (lambda tz, ch: ch in UNICODE_FUNCS, _unicode_func),
    (lambda tz, ch: ch in UNICODE_NAMES, _unicode_name),
    (lambda tz, ch: ch == "\u03b4", lambda tz, ch: _delta(tz, 1)),
    (lambda tz, ch: ch in PUNCT, _punct),
    (lambda tz, ch: ch.isdigit(), _number),
    (lambda tz, ch: ch.isascii() and ch.isalpha(), _word),
    (lambda tz, ch: ch == "\\", _backslash),
)


def tokenize(text: str) -> list[Token]:
    """Turn math text into lark Tokens; raise ParseError on anything unknown."""
    if len(text) > MAX_CHARS:
        raise ParseError(_("expression too long ({count} characters, at most {limit})").format(count=len(text), limit=MAX_CHARS))
    return Tokenizer(text).run()


class CourseLexer(Lexer):
    """Adapter so lark's LALR frontend can use :func:`tokenize`."""

    def __init__(self, lexer_conf) -> None:  # noqa: D401 - lark interface
        pass

    def lex(self, data: str) -> Iterator[Token]:  # type: ignore[override]
        return iter(tokenize(data))
