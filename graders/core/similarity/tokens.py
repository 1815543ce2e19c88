"""Python source -> a normalised token stream, so renaming and comments do not hide a copy.

Identifiers and literals are abstracted (`V`, `N`, `S`); keywords, operators,
builtins and attribute names (`.sum`, `.exp`: the API a copier does not rename)
stay. Comments, docstrings, blank lines and indentation are dropped. Uses the
standard library's tokenizer: student code that does not tokenize to the end
still gives the tokens read before the fault.
"""
from __future__ import annotations

import builtins
import io
import keyword
import tokenize
from dataclasses import dataclass

_BUILTINS = frozenset(dir(builtins))
_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENCODING, tokenize.ENDMARKER}
_STATEMENT_START = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, None}


@dataclass(frozen=True)
class Token:
    """One normalised token and where it came from (file, 1-based line)."""

    text: str
    file: str
    line: int


def _raw_tokens(source: str) -> list[tokenize.TokenInfo]:
    """Every token the tokenizer reads before an error (hostile or broken code is still compared)."""
    out: list[tokenize.TokenInfo] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            out.append(tok)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out


def _is_docstring(raw: list[tokenize.TokenInfo], i: int, previous: int | None) -> bool:
    """A string that is a statement on its own (docstring or bare string): dropped like a comment."""
    j = i + 1
    while j < len(raw) and raw[j].type in (tokenize.COMMENT, tokenize.NL):
        j += 1
    following = raw[j].type if j < len(raw) else None
    return previous in _STATEMENT_START and following in (tokenize.NEWLINE, tokenize.ENDMARKER, None)


def _abstract(tok: tokenize.TokenInfo, after_dot: bool) -> str:
    """The normalised text of one significant token."""
    if tok.type == tokenize.NAME:
        if keyword.iskeyword(tok.string) or tok.string in _BUILTINS or after_dot:
            return tok.string
        return "V"
    if tok.type == tokenize.NUMBER:
        return "N"
    if tok.type == tokenize.STRING:
        return "S"
    return tok.string


def normalise(source: str, file: str) -> list[Token]:
    """The normalised tokens of one Python source file."""
    raw = _raw_tokens(source)
    out: list[Token] = []
    previous: int | None = None
    after_dot = False
    for i, tok in enumerate(raw):
        if tok.type == tokenize.STRING and _is_docstring(raw, i, previous):
            continue
        if tok.type not in _SKIPPED:
            out.append(Token(_abstract(tok, after_dot), file, tok.start[0]))
            after_dot = tok.string == "."
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            previous = tok.type
    return out
