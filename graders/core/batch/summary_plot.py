"""summary.png: the score histogram, the entries by status, and the mean score of each part.

Why these three: a TA checks at a glance how scores spread (integer student
counts, the same bins as the dashboard), that nothing went missing (rejected and
missing entries are bars too, not left out), and which part of the assignment
the cohort found hard (a per-part mean says more than per-test pass rates that
all sit at 91–96 %). Labels are in the batch's language when a CJK font is
installed, in English otherwise (`no_cjk_font_note` says so in summary.md).
"""
from __future__ import annotations

import io
import textwrap
from collections import Counter
from typing import Any

from graders.core.batch.dashboard import histogram, part_means
from graders.core.batch.plotfont import cjk_font, needs_cjk
from graders.core.formats._common import status_label
from graders.core.report import Report
from graders.i18n import N_, Renderer, _

PLOT_LABELS = {"title_left": N_("Score distribution (graded submissions)"), "score": N_("score"),
               "students": N_("students"), "title_middle": N_("Entries by status"), "entries": N_("entries"),
               "title_right": N_("Mean score per part (graded submissions)"),
               "percent": N_("% of the part's points")}
STATUS_ORDER = ("graded", "error", "timeout", "rejected", "missing")
STATUS_COLOURS = {"graded": "#4477aa", "error": "#ee8866", "timeout": "#ee8866", "rejected": "#cc3311",
                  "missing": "#aa3377"}


def plot_labels(font: str | None, tr: Renderer) -> dict[str, str]:
    """The plot's labels in `tr`'s language, or in English when no installed font can draw them."""
    labels = {key: tr(_(text)) for key, text in PLOT_LABELS.items()}
    if font is None and any(needs_cjk(text) for text in labels.values()):
        labels = dict(PLOT_LABELS)
    return labels


def no_cjk_font_note(tr: Renderer, font: str | None = None) -> str:
    """A line for summary.md when the batch is in Chinese but the plot had to be labelled in English."""
    if not tr.lang.startswith("zh") or (font or cjk_font()):
        return ""
    return _("No CJK font is installed: summary.png is labelled in English "
             "(install fonts-noto-cjk, or another CJK font, to label it in Chinese).")


def _status_names(statuses: list[str], font: str | None, tr: Renderer) -> list[str]:
    names = [status_label(s, tr) for s in statuses]
    return names if font or not any(needs_cjk(n) for n in names) else list(statuses)


def _integer_axis(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _scores_panel(ax: Any, rows: list[Any], labels: dict[str, str]) -> None:
    scores = [r.score for r in rows if r.status == "graded"]
    bins = histogram(scores, max((r.max_score for r in rows), default=100.0))
    bars = ax.bar([label for label, _n in bins], [n for _label, n in bins], color="#4477aa")
    ax.bar_label(bars, labels=[str(n) if n else "" for _label, n in bins], fontsize=8)
    ax.set(title=textwrap.fill(labels["title_left"], 45), xlabel=labels["score"], ylabel=labels["students"])
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    _integer_axis(ax.yaxis)
    ax.margins(y=0.12)


def _status_panel(ax: Any, rows: list[Any], labels: dict[str, str], font: str | None, tr: Renderer) -> None:
    counts = Counter(r.status for r in rows)
    statuses = [s for s in STATUS_ORDER if s in counts] + sorted(s for s in counts if s not in STATUS_ORDER)
    bars = ax.bar(_status_names(statuses, font, tr), [counts[s] for s in statuses],
                  color=[STATUS_COLOURS.get(s, "#888888") for s in statuses])
    ax.bar_label(bars, fontsize=9)
    ax.set(title=textwrap.fill(labels["title_middle"], 35), ylabel=labels["entries"])
    _integer_axis(ax.yaxis)
    ax.margins(y=0.12)


def _parts_panel(ax: Any, reports: list[Report], labels: dict[str, str]) -> None:
    means = part_means(reports)[::-1]  # first part on top
    names = [textwrap.shorten(p, 28, placeholder="…") if not needs_cjk(p) else p[:14] for p, _m in means]
    bars = ax.barh(names, [m for _p, m in means], color="#228833")
    ax.bar_label(bars, labels=[f"{m:.0f} %" for _p, m in means], fontsize=8, padding=2)
    ax.set(title=textwrap.fill(labels["title_right"], 45), xlabel=labels["percent"], xlim=(0, 110))


def summary_png(rows: list[Any], reports: list[Report], tr: Renderer) -> bytes:
    """summary.png as PNG bytes (rows: every gradebook row; reports: the graded ones)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    labels = plot_labels(font, tr)
    families = ([font] if font else []) + ["DejaVu Sans"]
    with plt.rc_context({"font.family": "sans-serif", "font.sans-serif": families}):
        fig, axes = plt.subplots(1, 3, figsize=(15, 5), width_ratios=[1.4, 1, 1.2], layout="constrained")
        _scores_panel(axes[0], rows, labels)
        _status_panel(axes[1], rows, labels, font if font else None, tr)
        _parts_panel(axes[2], [r for r in reports if r.status == "graded"], labels)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight", pad_inches=0.2)
        plt.close(fig)
    return buffer.getvalue()
