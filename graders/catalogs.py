"""Maintain the message catalogs with Babel: extract -> update -> compile, and check completeness.

Why: one command keeps every catalog in step with the code (`python -m
graders.catalogs update`), and the test suite uses `problems()` to fail when a
student-facing string lacks a translation. Catalogs, per course:
    graders/locale            domain graders  the engine (ships in the wheel)
    graders/hwNN/locale       domain hwNN     hidden suites and answer keys (never leaves the course)
    exercises/hwNN/locale     domain hwNN     the assignment's public text (assignment.toml; ships in the bundle)
Babel is imported only here, never when grading.
"""
from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

TRANSLATED = ("zh_CN",)  # languages that need a msgstr for every msgid
LANGUAGES = ("en", "zh_CN")  # the engine's: en stays empty (msgids are English) but names the language
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})|%\((\w+)\)[sdr]")


@dataclass(frozen=True)
class Catalog:
    """One catalog: its gettext domain, its folder, and the sources its msgids come from."""

    domain: str
    localedir: Path
    sources: tuple[Path, ...]
    languages: tuple[str, ...] = TRANSLATED  # an assignment's English is its msgids: no en catalog to ship

    def po(self, lang: str) -> Path:
        return self.localedir / lang / "LC_MESSAGES" / f"{self.domain}.po"

    def mo(self, lang: str) -> Path:
        return self.po(lang).with_suffix(".mo")


def catalogs(root: Path) -> list[Catalog]:
    """The engine's catalog and, for every assignment with hidden suites, its hidden and public ones."""
    found = [Catalog("graders", root / "graders" / "locale",
                     tuple(sorted((root / "graders").glob("*.py"))) + tuple(sorted((root / "graders" / "core").rglob("*.py"))), LANGUAGES)]
    for grader in sorted(p.parent for p in (root / "graders").glob("hw*/assignment.toml")):
        hw = grader.name
        hidden = tuple(sorted(grader.glob("*.py"))) + tuple(sorted(grader.glob("keys.toml")))
        public = (grader / "assignment.toml",) + tuple(sorted((root / "exercises" / hw / "tests").glob("*.py")))
        found += [Catalog(hw, grader / "locale", hidden), Catalog(hw, root / "exercises" / hw / "locale", public)]
    return found


def _line_of(text: str, value: str) -> int:
    first = value.splitlines()[0] if value else value
    index = text.find(first)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _toml_strings(data: Any) -> Iterator[str]:
    """User-facing strings of an assignment.toml or keys.toml: titles, rule hints, answer-key hints."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("title", "hint") and isinstance(value, str) and value:
                yield value
            elif key == "hints" and isinstance(value, list):
                yield from (pair[1] for pair in value if isinstance(pair, list) and len(pair) == 2)
            else:
                yield from _toml_strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _toml_strings(item)


def extract_toml(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """Babel extractor (babel.cfg: `toml = graders.catalogs:extract_toml`) for the course's TOML files."""
    text = fileobj.read().decode("utf-8")
    for value in _toml_strings(tomllib.loads(text)):
        yield _line_of(text, value), None, value, []


def extract(catalog: Catalog, root: Path) -> Any:
    """The template (a babel Catalog) of every msgid in the catalog's sources."""
    from babel.messages.catalog import Catalog as BabelCatalog
    from babel.messages.extract import extract_from_file

    template = BabelCatalog(project="graders", domain=catalog.domain, charset="utf-8")
    for source in catalog.sources:
        method = extract_toml if source.suffix == ".toml" else "python"
        for lineno, message, comments, context in extract_from_file(method, str(source), keywords=KEYWORDS):
            template.add(message, None, [(source.relative_to(root).as_posix(), lineno)], auto_comments=comments,
                         context=context)
    return template


def _read(path: Path, locale: str, domain: str) -> Any:
    from babel.messages.catalog import Catalog as BabelCatalog
    from babel.messages.pofile import read_po

    if not path.is_file():
        return BabelCatalog(locale=locale, domain=domain, project="graders", charset="utf-8")
    with path.open("rb") as fh:
        return read_po(fh, locale=locale, domain=domain)


def update(root: Path, domain: str | None = None) -> None:
    """Extract the msgids of every catalog (or of `domain` only) into its .pot and .po (new ones untranslated)."""
    from babel.messages.pofile import write_po

    for catalog in (c for c in catalogs(root) if domain in (None, c.domain)):
        template = extract(catalog, root)
        catalog.localedir.mkdir(parents=True, exist_ok=True)
        with (catalog.localedir / f"{catalog.domain}.pot").open("wb") as fh:
            write_po(fh, template, omit_header=True, width=100, include_lineno=False)
        for lang in catalog.languages:
            po = _read(catalog.po(lang), lang, catalog.domain)
            created = po.creation_date
            po.update(template, no_fuzzy_matching=True)
            po.creation_date = created  # no churn in the header when nothing changed
            catalog.po(lang).parent.mkdir(parents=True, exist_ok=True)
            with catalog.po(lang).open("wb") as fh:
                write_po(fh, po, width=100, ignore_obsolete=True, include_lineno=False)  # files, not lines: fewer conflicts


def compile_all(root: Path, domain: str | None = None) -> None:
    """Compile every .po (or only `domain`'s) to the .mo that stdlib gettext reads at run time."""
    from babel.messages.mofile import write_mo

    for catalog in (c for c in catalogs(root) if domain in (None, c.domain)):
        for lang in catalog.languages:
            if catalog.po(lang).is_file():
                with catalog.mo(lang).open("wb") as fh:
                    write_mo(fh, _read(catalog.po(lang), lang, catalog.domain))


def placeholders(text: str) -> set[str]:
    """The named placeholders of a message: {name}, {name!r}, %(name)s."""
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def _message_problems(message: Any, where: str) -> list[str]:
    """A message without a translation, or whose translation changes its placeholders."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if not all(strings) or message.fuzzy:
        return [f"{where}: no translation for {ids[0]!r}"]
    wanted = set().union(*(placeholders(i) for i in ids))
    bad = [s for s in strings if (placeholders(s) != wanted if len(ids) == 1 else not placeholders(s) <= wanted)]
    return [f"{where}: the translation {s!r} changes the placeholders of {ids[0]!r}" for s in bad]


def _key(value: Any) -> Any:
    return tuple(value) if isinstance(value, (list, tuple)) else value


def problems(root: Path, domain: str | None = None) -> list[str]:
    """Every msgid in the code without a (non-fuzzy, placeholder-preserving) translation, and stale .mo files."""
    from babel.messages.mofile import read_mo

    found = []
    for catalog in (c for c in catalogs(root) if domain in (None, c.domain)):
        template = extract(catalog, root)
        for lang in TRANSLATED:
            po = _read(catalog.po(lang), lang, catalog.domain)
            where = catalog.po(lang).relative_to(root).as_posix()
            for message in template:
                if not message.id:
                    continue
                found += _message_problems(po.get(message.id) or message, where)
            if not catalog.mo(lang).is_file():
                found.append(f"{where}: not compiled (run python -m graders.catalogs compile)")
                continue
            with catalog.mo(lang).open("rb") as fh:
                compiled = {_key(m.id): _key(m.string) for m in read_mo(fh) if m.id}
            if compiled != {_key(m.id): _key(m.string) for m in po if m.id and m.string and not m.fuzzy}:
                found.append(f"{where}: the .mo is older than the .po (run python -m graders.catalogs compile)")
    return found


def main(argv: list[str]) -> int:
    """`python -m graders.catalogs update|compile|check [COURSE_ROOT]`."""
    if not argv or argv[0] not in ("update", "compile", "check"):
        print("usage: python -m graders.catalogs update|compile|check [COURSE_ROOT]", file=sys.stderr)
        return 2
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[1]).resolve()
    if argv[0] == "update":
        update(root)
    elif argv[0] == "compile":
        compile_all(root)
    else:
        found = problems(root)
        print("\n".join(found) or "every message has a translation")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
