"""Error types shared by the symbolic checker."""
from __future__ import annotations

from graders.errors import EngineError
from graders.i18n import _


class ParseError(EngineError, ValueError):
    """Student math text that cannot be read.

    ``line`` and ``column`` are 1-based positions inside the parsed text (add the
    block's first line to locate it in the markdown file); ``message`` is a
    human sentence saying what was expected.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(_("line {line}, column {column}: {message}").format(line=line, column=column, message=message))


class EvalError(EngineError, ValueError):
    """An expression that parsed but cannot be evaluated (unknown symbol,
    unbound index, overflow, too expensive)."""
