"""similarity.csv and one self-contained HTML page per flagged pair (plus an index page).

Student names, ids, file names and code are hostile: CSV text cells go through
`csv_cell` (no formula can run, no control character survives) and the csv
module; every HTML text goes through `plain_lines` and `html.escape`, and the
pages load nothing: inline CSS, no script, a Content-Security-Policy that
forbids any other resource.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from graders.core.formats.safe import csv_cell, plain, plain_lines
from graders.core.similarity.profile import Profile
from graders.i18n import _

COLUMNS = ("student_a", "student_b", "score", "code", "ast", "math", "name_a", "name_b", "regions", "evidence", "view")
_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]+")
_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_STYLE = ("body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
          "padding:2px 6px;text-align:left}.sides{display:flex;gap:1em}.side{flex:1;min-width:0;overflow-x:auto}"
          "pre{background:#f8f8f8;padding:4px;font-size:12px;line-height:1.35}.ln{display:block;min-height:1.35em}.hit{background:#ffe08a}"
          ".no{color:#999;user-select:none}")


@dataclass(frozen=True)
class Flagged:
    """One scored pair ready to write: the two profiles, score, channel similarities, regions, evidence."""

    a: Profile
    b: Profile
    score: float
    channels: dict[str, float]
    regions: tuple[str, ...]
    evidence: str
    lines_a: dict[str, set[int]]
    lines_b: dict[str, set[int]]
    view: str = ""


def page_name(number: int, flagged: Flagged) -> str:
    """A file name safe on every OS, whatever the student ids hold."""
    keys = [_UNSAFE.sub("_", p.key)[:40].strip("._") or "x" for p in (flagged.a, flagged.b)]
    return f"{number:04d}_{keys[0]}_{keys[1]}.html"


def similarity_csv(rows: list[Flagged]) -> str:
    """The CSV text: numbers as numbers, every text cell defused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        ch = [r.channels.get(c, "") for c in ("code", "ast", "math")]
        text = [r.a.key, r.b.key]
        writer.writerow([csv_cell(t) for t in text] + [r.score, *ch]
                        + [csv_cell(t) for t in (r.a.name, r.b.name, "; ".join(r.regions), r.evidence, r.view)])
    return out.getvalue()


def _esc(text: str) -> str:
    return html.escape(plain_lines(text), quote=True)


def _source_html(files: dict[str, str], hits: dict[str, set[int]]) -> str:
    """Every file of one side as numbered lines, the matched ones highlighted."""
    parts = []
    for name in sorted(files):
        lines = []
        for number, line in enumerate(plain_lines(files[name]).split("\n"), start=1):
            cls = "ln hit" if number in hits.get(name, ()) else "ln"
            lines.append(f'<span class="{cls}"><span class="no">{number:4d} </span>{html.escape(line)}</span>')
        parts.append(f"<h3>{_esc(name)}</h3><pre>{''.join(lines)}</pre>")
    return "".join(parts)


def _head(title: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
            f'content="{_CSP}"><title>{_esc(title)}</title><style>{_STYLE}</style></head><body>')


def _side(profile: Profile, hits: dict[str, set[int]]) -> str:
    who = _esc(f"{profile.key} {profile.name}".strip())
    return f'<div class="side"><h2>{who}</h2>{_source_html(profile.sources, hits)}</div>'


def pair_html(r: Flagged) -> str:
    """The side-by-side page of one pair: score, regions, evidence, both codes with matches highlighted."""
    title = _("Similarity {score}: {a} and {b}").format(score=f"{r.score:.2f}", a=plain(r.a.key), b=plain(r.b.key))
    regions = "".join(f"<tr><td>{_esc(x)}</td></tr>" for x in r.regions)
    label = _("Shared regions")
    return (_head(title) + f"<h1>{_esc(title)}</h1><p>{_esc(r.evidence)}</p>"
            f"<table><tr><th>{_esc(label)}</th></tr>{regions}</table>"
            f'<div class="sides">{_side(r.a, r.lines_a)}{_side(r.b, r.lines_b)}</div></body></html>')


def index_html(rows: list[Flagged]) -> str:
    """A list of the flagged pairs, each linking to its page."""
    title = _("Similar pairs: {count}").format(count=len(rows))
    items = "".join(f'<tr><td><a href="{html.escape(r.view.split("/")[-1], quote=True)}">{r.score:.2f}</a></td>'
                    f"<td>{_esc(r.a.key)}</td><td>{_esc(r.b.key)}</td></tr>" for r in rows if r.view)
    return _head(title) + f"<h1>{_esc(title)}</h1><table>{items}</table></body></html>"


def write_all(rows: list[Flagged], flagged: list[Flagged], outdir: Path) -> dict[Path, bytes]:
    """The files to write: similarity.csv (rows) and similarity/ pages (flagged pairs)."""
    files = {outdir / "similarity" / r.view.split("/")[-1]: pair_html(r).encode() for r in flagged}
    files[outdir / "similarity" / "index.html"] = index_html(flagged).encode()
    files[outdir / "similarity.csv"] = similarity_csv(rows).encode("utf-8-sig")
    return files
