"""The schema of `assignment.toml`: every key declared once, with its type, default and meaning.

Why: a typo (`call_timout_s`) used to change nothing and say nothing. Here each
table lists its keys; `check()` rejects an unknown key with the file, the table
and the nearest valid name, and a value of the wrong type or out of range.
The same tables generate docs/assignment-keys.md (`render_key_table()`), so the
reference never drifts from the code:

    python -m graders.core.assignment_schema > docs/assignment-keys.md

[data] and [private] are read by the assignment's own data module (today
graders/hw04/data.py and splits.py); their keys are declared here too, so a typo
there is caught at load time as well. A new data module adds its keys here.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from graders.errors import SpecError
from graders.i18n import N_, _

REQUIRED = object()  # a Key's default when the key must be given


@dataclass(frozen=True)
class Kind:
    """A value type: its label (docs and errors) and its test."""

    label: str
    accepts: Callable[[Any], bool]


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _integer(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _strings(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _numbers(v: Any) -> bool:
    return isinstance(v, dict) and all(_number(x) for x in v.values())


STRING = Kind(N_("a string"), lambda v: isinstance(v, str))
NUMBER = Kind(N_("a number"), _number)
INTEGER = Kind(N_("an integer"), _integer)
STRINGS = Kind(N_("a list of strings"), _strings)
NUMBERS = Kind(N_("a table of numbers"), _numbers)
TABLE = Kind(N_("a table"), lambda v: isinstance(v, dict))
WHEN = Kind(N_("a date-time or a string"), lambda v: isinstance(v, (datetime, str)))
TABLES = Kind(N_("a list of tables"), lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v))


def positive(v: Any) -> str | None:
    return None if v > 0 else _("must be greater than 0")


def non_negative(v: Any) -> str | None:
    return None if v >= 0 else _("must be 0 or more")


def _relative(path: str) -> bool:
    return not path.startswith(("/", "\\")) and ".." not in re.split(r"[/\\]", path)


def relative_path(v: Any) -> str | None:
    """A path inside the assignment's folder (or empty): no absolute path, no `..`."""
    paths = v if isinstance(v, list) else [v]
    bad = [p for p in paths if not _relative(p)]
    return _("must be a path inside the assignment's folder, not {path}").format(path=repr(bad[0])) if bad else None


def identifier(v: Any) -> str | None:
    return None if re.fullmatch(r"[A-Za-z0-9_.-]+", v) else _("must be letters, digits, '_', '-' or '.'")


def _parsed_by(parse: Callable[[str], Any]) -> Callable[[Any], str | None]:
    """A check that `parse` (a late-policy parser) reads the value; its own error message otherwise."""
    def check(v: Any) -> str | None:
        from graders.errors import GradersError

        if isinstance(v, datetime):
            return None
        try:
            parse(v)
        except GradersError as exc:
            return exc.args[0] if exc.args else str(exc)
        return None
    return check


def all_non_negative(v: Any) -> str | None:
    bad = [k for k, x in v.items() if x < 0]
    return _("{name} must be 0 or more").format(name=repr(bad[0])) if bad else None


@dataclass(frozen=True)
class Key:
    """One key of a table: its name, type, default (REQUIRED if none), meaning and extra check."""

    name: str
    kind: Kind
    default: Any
    description: str
    validate: Callable[[Any], str | None] | None = None
    shown_default: str = ""  # the default as the docs show it, when it depends on other values

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Table:
    """A TOML table: its header as the docs write it, its keys, and its nested tables."""

    header: str  # "" (top level), "limits", "parts.NAME", "[parts.NAME.rules]" (an array of tables)
    description: str
    keys: tuple[Key, ...]
    tables: dict[str, Table] = field(default_factory=dict)  # key -> schema of a nested table
    each: dict[str, Table] = field(default_factory=dict)  # key -> schema of every entry (table of tables, array)

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)

    def names(self) -> list[str]:
        return [k.name for k in self.keys]

    def defaults(self) -> dict[str, Any]:
        """The defaults of the optional keys (a key whose default depends on others is left out)."""
        return {k.name: k.default for k in self.keys if not k.required and k.default is not None}


RULE = Table("[parts.NAME.rules]", "A static rule: these functions (and the helpers they call) may not call these names.", (
    Key("name", STRING, REQUIRED, "The rule's name, shown in the report."),
    Key("functions", STRINGS, REQUIRED, "The student functions (or classes) the rule applies to."),
    Key("forbid", STRINGS, REQUIRED, "Dotted names they may not call; `*` matches any part (`*.softmax`, `torch.optim.*`)."),
    Key("hint", STRING, "", "What the student reads when the rule is broken (translated through the assignment's catalog)."),
))

PART = Table("parts.NAME", "A graded part: its points, its hidden suite, and how the points split over its tests.", (
    Key("points", NUMBER, REQUIRED, "The part's points; the assignment's maximum is their sum.", non_negative),
    Key("suite", STRING, None, "The hidden pytest suite in graders/ID; empty for a part checked only symbolically.",
        relative_path, shown_default="test_NAME.py"),
    Key("modules", STRINGS, None, "The student modules the part imports in the worker before its harness calls.",
        shown_default='["NAME"]'),
    Key("weights", NUMBERS, {}, 'Weight of a test (`"module::test"`; a parametrized test falls back to its base name); '
        "others weigh 1.", all_non_negative),
    Key("rules", TABLES, [], "Static rules, as `[[parts.NAME.rules]]` tables."),
    Key("answers", NUMBERS, {}, "Answer block name -> weight: blocks of the notebook or derivation.md checked "
        "symbolically against `keys`.", all_non_negative),
    Key("derivations", NUMBERS, {}, "Derivation block name -> weight: step-by-step chains checked line by line.",
        all_non_negative),
    Key("keys", STRING, "", "The TOML file of answer keys, next to the hidden suites.", relative_path),
    Key("call_timeout_s", NUMBER, None, "Seconds for one call into student code in this part (e.g. training).",
        positive, shown_default="[limits] call_timeout_s"),
), each={"rules": RULE})

LIMITS = Table("limits", "Time and resource limits of a grading run and of its sandboxed worker.", (
    Key("time_limit_s", NUMBER, 120.0, "Seconds for the whole submission (`--timeout` overrides).", positive),
    Key("call_timeout_s", NUMBER, 5.0, "Seconds for one call into student code.", positive),
    Key("cpu_s", INTEGER, 120, "CPU seconds of one worker (RLIMIT_CPU).", positive),
    Key("memory_mb", INTEGER, 2048, "Address space a worker may add to what torch already maps, in MiB (RLIMIT_AS).",
        positive),
    Key("file_size_mb", INTEGER, 16, "Largest file a worker may write, in MiB (RLIMIT_FSIZE).", positive),
    Key("processes", INTEGER, 64, "Processes and threads of the worker's user (RLIMIT_NPROC).", positive),
    Key("open_files", INTEGER, 256, "Open file descriptors of one worker (RLIMIT_NOFILE).", positive),
    Key("threads", INTEGER, 1, "torch intra-op threads in the worker.", positive),
    Key("scratch_mb", INTEGER, 256, "Size of the worker's scratch tmpfs, in MiB.", positive),
    Key("scratch_files", INTEGER, 10000, "Files and folders the worker's scratch tmpfs may hold (its inodes).", positive),
))

SANDBOX_LIMITS = tuple(k.name for k in LIMITS.keys[2:])  # the keys that become confine.Limits fields

COURSE_SPLIT = Table("data.course_split", "How the course's own table (`--data`) is split.", (
    Key("train_size", NUMBER, 0.8, "Share of rows for training.", positive),
    Key("random_state", INTEGER, 88, "Seed of the stratified split."),
))

DATA = Table("data", "What the assignment's data module needs; the keys after `module` are read by that module "
             "(hw04's data.py and splits.py).", (
    Key("module", STRING, "", "The data module (trusted, next to the hidden suites); without one, `--data` is refused.",
        relative_path),
    Key("public_file", STRING, None, "The training rows students get, in exercises/ID.", relative_path),
    Key("train_seed", INTEGER, None, "Seed of the public training table."),
    Key("heldout_per_class", INTEGER, None, "Held-out rows per class, generated from [private] heldout_seed.", positive),
    Key("course_split", TABLE, {}, "The split of the course's own table (`--data`): `{ train_size, random_state }`."),
    Key("torch_seed", INTEGER, None, "`torch.manual_seed` before the student's `fit()`."),
    Key("target", NUMBER, None, "Full marks at this held-out accuracy.", non_negative),
    Key("zero_at", NUMBER, None, "No credit at or below this accuracy; linear in between.", non_negative),
), tables={"course_split": COURSE_SPLIT})

def _late_keys() -> tuple[Key, ...]:
    from graders.core.batch.late import parse_duration, parse_penalty, parse_percent, parse_when

    return (
        Key("due", WHEN, None, "Due date and time with its zone: `2026-12-26T22:00:00+08:00` (a TOML date-time) or "
            "the same as a string (`--due` overrides).", _parsed_by(parse_when)),
        Key("penalty", STRING, "0%/day", "Of the maximum score, per started day or hour late: `10%/day`, `2%/hour`.",
            _parsed_by(parse_penalty)),
        Key("grace", STRING, "0min", "Lateness forgiven: `15min`.", _parsed_by(parse_duration)),
        Key("cap", STRING, "100%", "The most a late penalty can take: `50%`.", _parsed_by(parse_percent)),
    )


LATE = Table("late", "The late policy `grade batch` applies (each key overridden by its command-line option).",
             _late_keys())

PRIVATE = Table("private", "Instructor-only settings: `grade dist` leaves this table out of the student bundle.", (
    Key("heldout_seed", INTEGER, None, "Seed of the held-out rows (env GRADERS_HW04_HELDOUT_SEED overrides)."),
))

TOP = Table("", "The assignment: what students hand in and how it is graded.", (
    Key("id", STRING, REQUIRED, "The assignment's id, the name of its folders (graders/ID, exercises/ID, ...).",
        identifier),
    Key("title", STRING, REQUIRED, "The title shown in reports (translated through the assignment's catalog)."),
    Key("files", STRINGS, REQUIRED, "The files a submission holds.", relative_path),
    Key("notebook", STRING, "", "The notebook a submission may be instead of the files (code cells become the "
        "modules, markdown cells the answers).",
        relative_path),
    Key("harness", STRING, "", "The public worker-side harness in exercises/ID: drives student objects, holds no secret.",
        relative_path),
    Key("cases", STRING, "", "The inputs whose reference outputs `grade reference` records, in graders/ID.",
        relative_path),
    Key("limits", TABLE, {}, "See [limits]."),
    Key("parts", TABLE, REQUIRED, "The graded parts, one `[parts.NAME]` table each."),
    Key("data", TABLE, {}, "See [data]."),
    Key("private", TABLE, {}, "See [private]."),
    Key("late", TABLE, {}, "See [late]."),
), tables={"limits": LIMITS, "data": DATA, "private": PRIVATE, "late": LATE}, each={"parts": PART})


# --- checking ---------------------------------------------------------------------------------------------


def _unknown(source: str, where: str, key: str, table: Table) -> SpecError:
    match = difflib.get_close_matches(key, table.names(), n=1)
    if match:
        return SpecError(_("{file}: {table} has no key {key} (did you mean {match}?)").format(
            file=source, table=where, key=repr(key), match=repr(match[0])))
    return SpecError(_("{file}: {table} has no key {key} (valid keys: {keys})").format(
        file=source, table=where, key=repr(key), keys=", ".join(table.names())))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_value(source: str, dotted: str, key: Key, value: Any) -> None:
    if not key.kind.accepts(value):
        raise SpecError(_("{file}: {key} must be {kind}, not {value}").format(
            file=source, key=dotted, kind=_(key.kind.label), value=_shown(value)))
    problem = key.validate(value) if key.validate else None
    if problem:
        raise SpecError(_("{file}: {key} {problem}").format(file=source, key=dotted, problem=problem))


@dataclass(frozen=True)
class _At:
    """Where a table sits: its header as errors show it, and the dotted prefix of its keys."""

    where: str
    prefix: str = ""


def _check_table(raw: dict[str, Any], table: Table, source: str, at: _At) -> None:
    for key_name, value in raw.items():
        key = table.key(key_name)
        if key is None:
            raise _unknown(source, at.where, key_name, table)
        _check_value(source, at.prefix + key_name, key, value)
        _check_nested(table, key_name, value, source, at)
    missing = [k.name for k in table.keys if k.required and k.name not in raw]
    if missing:
        raise SpecError(_("{file}: {table} is missing the required key {key}").format(
            file=source, table=at.where, key=repr(missing[0])))


def _check_nested(table: Table, key: str, value: Any, source: str, at: _At) -> None:
    """Descend into a nested table, a table of tables ([parts.NAME]) or an array of tables ([[...rules]])."""
    prefix = at.prefix + key
    if key in table.tables:
        _check_table(value, table.tables[key], source, _At(f"[{prefix}]", prefix + "."))
    elif key in table.each and isinstance(value, dict):
        for entry, body in value.items():
            if not isinstance(body, dict):
                raise SpecError(_("{file}: {key} must be {kind}, not {value}").format(
                    file=source, key=f"{prefix}.{entry}", kind=_(TABLE.label), value=_shown(body)))
            _check_table(body, table.each[key], source, _At(f"[{prefix}.{entry}]", f"{prefix}.{entry}."))
    elif key in table.each:
        for i, body in enumerate(value, 1):
            _check_table(body, table.each[key], source, _At(f"[[{prefix}]] #{i}", f"{prefix}[{i}]."))


def check(raw: dict[str, Any], source: str = "assignment.toml") -> None:
    """Raise SpecError naming `source`, the table and the key for the first key that does not fit the schema."""
    _check_table(raw, TOP, source, _At(_("the top level")))


# --- the reference table ----------------------------------------------------------------------------------


def _default_text(key: Key) -> str:
    if key.required:
        return "*required*"
    if key.shown_default:
        return f"`{key.shown_default}`"
    if key.default is None:
        return "—"
    if isinstance(key.default, str):
        return f'`"{key.default}"`'
    if isinstance(key.default, (dict, list)):
        return "`{}`" if isinstance(key.default, dict) else "`[]`"
    return f"`{key.default}`"


def _render_table(table: Table) -> list[str]:
    title = f"`[{table.header}]`" if table.header else "Top level"
    lines = [f"## {title}", "", table.description, "", "| key | type | default | description |",
             "|---|---|---|---|"]
    for key in table.keys:
        lines.append(f"| `{key.name}` | {key.kind.label} | {_default_text(key)} | {key.description} |")
    return lines + [""]


def all_tables() -> list[Table]:
    """Every table of the schema, in the order the docs show them."""
    return [TOP, LIMITS, PART, RULE, DATA, COURSE_SPLIT, PRIVATE, LATE]


def render_key_table() -> str:
    """docs/assignment-keys.md: the reference of every assignment.toml key, generated from the schema."""
    head = ["# `assignment.toml` keys", "",
            "Generated from `graders/core/assignment_schema.py` by",
            "`python -m graders.core.assignment_schema > docs/assignment-keys.md`; do not edit by hand.",
            "An unknown key, a value of the wrong type or out of range is an error naming the file, the table",
            "and the key (with the nearest valid name). `NAME` stands for a part's name, `ID` for the assignment's id.",
            ""]
    return "\n".join(head + [line for table in all_tables() for line in _render_table(table)])


if __name__ == "__main__":
    print(render_key_table(), end="")
