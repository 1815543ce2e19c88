"""Hand-written tokenizer for the course notation (feeds the lark LALR parser).

Why hand-written: LaTeX subscripts take one character when unbraced
(``y_iy_j`` is ``y_i * y_j``) while ``\\delta_ij`` takes two, and
multi-letter words must be whitelisted (``eval`` is an error, not ``e*v*a*l``).
"""
from __future__ import annotations

from typing import Iterator

from lark import Token
from lark.lexer import Lexer

from graders.i18n import _

from .errors import ParseError

MAX_CHARS = 2000
MAX_DEPTH = 30
MAX_TOKENS = 1000
MAX_DIGITS = 20

FUNC_WORDS = {"exp": "exp", "log": "log", "ln": "log", "sqrt": "sqrt", "tanh": "tanh",
              "sigma": "sigmoid", "sigmoid": "sigmoid"}
PLAIN_WORDS = {"sum": "_SUM", "delta": "_DELTA", "frac": "_FRAC"}
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
    "\u2202": "_PARTIAL", "\u2211": "_SUM", "\u03a3": "_SUM", "\u03b4": "_DELTA",
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


def tokenize(text: str) -> list[Token]:
    """Turn math text into lark Tokens; raise ParseError on anything unknown."""
    if len(text) > MAX_CHARS:
        raise ParseError(_("expression too long ({count} characters, at most {limit})").format(count=len(text), limit=MAX_CHARS))
    sc = _Scanner(text)
    toks: list[Token] = []
    depth = 0
    sub_brace_depth: list[int] = []  # bracket depths at which a subscript brace opened
    pending_script: str | None = None  # "_" or "^" just emitted (unbraced script follows)

    def emit(kind: str, value: str, line: int, col: int, pos: int) -> None:
        nonlocal depth
        if kind in OPENERS:
            depth += 1
            if depth > MAX_DEPTH:
                raise ParseError(_("expression nested too deeply (more than {limit} brackets)").format(limit=MAX_DEPTH), line, col)
        elif kind in CLOSERS:
            depth -= 1
            if sub_brace_depth and depth < sub_brace_depth[-1]:
                sub_brace_depth.pop()
        toks.append(Token(kind, value, pos, line, col, end_pos=sc.pos))
        if len(toks) > MAX_TOKENS:
            raise ParseError(_("expression too long (too many symbols)"), line, col)

    while sc.pos < len(text):
        ch = sc.peek()
        line, col, pos = sc.line, sc.col, sc.pos
        if ch in " \t\r\n$":
            sc.advance()
            continue
        script = pending_script
        pending_script = None
        if script is not None and (ch.isalnum()):
            # unbraced sub/superscript: one character; digits after ^ form a number;
            # \delta_ij takes two characters.
            if script == "^" and ch.isdigit():
                n = 0
                while sc.peek(n).isdigit():
                    n += 1
                if n > MAX_DIGITS:
                    raise sc.error(_("number too long"))
                value = text[sc.pos:sc.pos + n]
                sc.advance(n)
                emit("IDX", value, line, col, pos)
                continue
            n = 1
            if script == "_" and len(toks) >= 2 and toks[-2].type == "_DELTA" and sc.peek(1).isalnum():
                n = 2
            value = text[sc.pos:sc.pos + n]
            sc.advance(n)
            emit("IDX", value, line, col, pos)
            continue
        if ch == "*" and sc.peek(1) == "*":
            sc.advance(2)
            emit("_CARET", "**", line, col, pos)
            pending_script = "^"
            continue
        if ch == "_" and sc.peek(1) == "_":
            raise sc.error(_("unexpected '__'"))
        if ch in UNICODE_FUNCS:
            sc.advance()
            emit("FUNC", UNICODE_FUNCS[ch], line, col, pos)
            continue
        if ch in PUNCT:
            sc.advance()
            kind = PUNCT[ch]
            if kind == "_LBRACE" and toks and toks[-1].type == "_UNDERSCORE":
                sub_brace_depth.append(depth + 1)
            emit(kind, ch, line, col, pos)
            if ch in "_^":
                pending_script = ch
            continue
        if ch.isdigit():
            n = 0
            while sc.peek(n).isdigit() or (sc.peek(n) == "." and sc.peek(n + 1).isdigit()):
                n += 1
            if n > MAX_DIGITS:
                raise sc.error(_("number too long (at most {limit} digits)").format(limit=MAX_DIGITS))
            value = text[sc.pos:sc.pos + n]
            sc.advance(n)
            emit("NUMBER", value, line, col, pos)
            continue
        if ch.isascii() and ch.isalpha():
            n = 0
            while sc.peek(n).isascii() and sc.peek(n).isalpha():
                n += 1
            word = text[sc.pos:sc.pos + n]
            if n == 1:
                sc.advance()
                emit("LETTER", word, line, col, pos)
            elif word in FUNC_WORDS:
                sc.advance(n)
                emit("FUNC", FUNC_WORDS[word], line, col, pos)
            elif word in PLAIN_WORDS:
                sc.advance(n)
                emit(PLAIN_WORDS[word], word, line, col, pos)
            elif word in TEXT_WORDS:
                sc.advance(n)
                emit("TEXT", word, line, col, pos)
            elif sub_brace_depth:
                for k, c in enumerate(word):  # {ij} inside a subscript: i, j
                    sc.advance()
                    emit("LETTER", c, line, col + k, pos + k)
            else:
                raise ParseError(_("unknown name '{word}' (allowed words: exp, log, ln, sqrt, tanh, sigma, sum, "
                                   "delta)").format(word=word), line, col)
            continue
        if ch == "\\":
            nxt = sc.peek(1)
            if nxt == "\\":
                sc.advance(2)
                emit("_ROWSEP", "\\\\", line, col, pos)
                continue
            if nxt in ",;:! ":
                sc.advance(2)
                continue
            if nxt in "{}":
                sc.advance(2)
                emit("_LBRACE" if nxt == "{" else "_RBRACE", nxt, line, col, pos)
                continue
            n = 1
            while sc.peek(n).isascii() and sc.peek(n).isalpha():
                n += 1
            name = text[sc.pos + 1:sc.pos + n]
            if not name:
                raise sc.error(_("unexpected character '{nxt}' after backslash").format(nxt=nxt))
            sc.advance(n)
            if name in IGNORED_COMMANDS:
                if name in ("left", "right") and sc.peek() == ".":
                    sc.advance()
                continue
            if name in SIMPLE_COMMANDS:
                emit(SIMPLE_COMMANDS[name], "\\" + name, line, col, pos)
            elif name in FUNC_WORDS:
                emit("FUNC", FUNC_WORDS[name], line, col, pos)
            elif name in TEXT_COMMANDS:
                content = _braced(sc).strip()
                if name in ("mathrm", "operatorname") and content in FUNC_WORDS:
                    emit("FUNC", FUNC_WORDS[content], line, col, pos)
                elif name in ("mathrm", "mathit") and len(content) == 1 and content.isalpha():
                    emit("LETTER", content, line, col, pos)
                else:
                    emit("TEXT", content.lower(), line, col, pos)
            elif name in INDICATOR_COMMANDS:
                content = _braced(sc).strip()
                if content not in ("1", "I"):
                    raise ParseError(_("unsupported \\{name}{{{content}}} (only the indicator \\mathbb{{1}})").format(name=name, content=content), line, col)
                emit("_INDICATOR", "\\" + name, line, col, pos)
            elif name in ("begin", "end"):
                env = _braced(sc).strip()
                if env != "cases":
                    raise ParseError(_("unsupported environment '{env}' (only cases)").format(env=env), line, col)
                emit("_BEGIN_CASES" if name == "begin" else "_END_CASES", env, line, col, pos)
            else:
                raise ParseError(_("unsupported command '\\{name}'").format(name=name), line, col)
            continue
        raise sc.error(_("unexpected character '{ch}'").format(ch=ch))
    return toks


class CourseLexer(Lexer):
    """Adapter so lark's LALR frontend can use :func:`tokenize`."""

    def __init__(self, lexer_conf) -> None:  # noqa: D401 - lark interface
        pass

    def lex(self, data: str) -> Iterator[Token]:  # type: ignore[override]
        return iter(tokenize(data))
