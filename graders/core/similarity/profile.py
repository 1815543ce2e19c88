"""One submission's fingerprints: winnowed token k-grams, AST subtrees, derivation steps.

A Profile is built from plain text (the Python sources by file, the answer
markdown) and holds every fingerprint with the file, lines and function it
came from, so a flagged pair can show *where* two students agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graders.core.similarity import latex, structure, tokens, winnow

CHANNELS = ("code", "ast", "math")


@dataclass(frozen=True, slots=True)
class Mark:
    """A fingerprint and its place: channel, hash, file, first and last line, owning function (or block)."""

    channel: str
    hash: int
    file: str
    first: int
    last: int
    owner: str
    text: str = ""  # a derivation step as written


@dataclass(frozen=True)
class Profile:
    """What the index needs of one submission (and what the report shows of it)."""

    key: str
    name: str
    entry: str
    sources: dict[str, str] = field(repr=False)
    markdown: str = field(repr=False)
    marks: tuple[Mark, ...] = field(repr=False)
    archive: bool = False

    def hashes(self, channel: str) -> frozenset[int]:
        """The distinct hashes of one channel."""
        return frozenset(m.hash for m in self.marks if m.channel == channel)


def _code_marks(source: str, file: str) -> list[Mark]:
    tree = structure.parse(source)
    funcs = structure.functions(tree, file)
    toks = tokens.normalise(source, file)
    marks = []
    for fp in winnow.fingerprints(toks):
        first, last = toks[fp.start].line, toks[min(fp.start + winnow.K, len(toks)) - 1].line
        marks.append(Mark("code", fp.hash, file, first, last, structure.owner(funcs, file, first)))
    for sub in structure.subtrees(tree, file):
        marks.append(Mark("ast", sub.hash, file, sub.first, sub.last, structure.owner(funcs, file, sub.first)))
    return marks


def _math_marks(markdown: str) -> list[Mark]:
    return [Mark("math", s.hash, "derivation", 0, 0, s.block, s.text) for s in latex.steps(markdown)]


def build_profile(key: str, name: str, entry: str, sources: dict[str, str], markdown: str,
                  archive: bool = False) -> Profile:
    """Fingerprint one submission's sources ({file: text}) and answer markdown."""
    marks = [m for file in sorted(sources) for m in _code_marks(sources[file], file)]
    marks += _math_marks(markdown)
    return Profile(key, name, entry, dict(sources), markdown, tuple(marks), archive)


def starter_profile(exercises_dir: Path) -> Profile:
    """The assignment's starter code (stubs, public tests) and text: shared by design, never evidence."""
    sources = {p.relative_to(exercises_dir).as_posix(): p.read_text(encoding="utf-8", errors="replace")
               for p in sorted(exercises_dir.rglob("*.py"))}
    markdown = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(exercises_dir.glob("*.md")))
    return build_profile("<starter>", "", "", sources, markdown)
