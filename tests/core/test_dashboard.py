"""The batch dashboard's pages: counts, item analysis, one page per entry, escaping, CSP, language."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from graders.core.batch.dashboard import (csp, derivation_texts, discrimination, first_bad_line, histogram,
                                          item_analysis, page_names, part_means)
from graders.i18n import Renderer, _
from tests.dashboard_sample import DERIVATION, report, rows, write_sample

EN = Renderer("en")


class Links(HTMLParser):
    """Every href, src and <script>/<style> text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.hrefs += [found["href"] or ""] if "href" in found else []
        self.srcs += [found["src"] or ""] if "src" in found else []
        self.scripts += tag == "script"


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dashboard")
    write_sample(out)
    return out


def test_histogram_counts_are_integers_and_the_maximum_falls_in_the_top_bin():
    bins = histogram([0, 1.9, 2, 19.99, 20], 20, bins=10)
    assert [n for _label, n in bins] == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert bins[0][0] == "0–2" and bins[-1][0] == "18–20"


def test_discrimination_is_upper_minus_lower_pass_rate_and_none_for_tiny_cohorts():
    reports = [report(i) for i in range(9)]
    assert discrimination(reports[:3], "softmax::stable") is None
    assert discrimination(reports, "softmax::sums") == 0.0  # everyone passes: it separates nobody
    assert discrimination(reports, "softmax::stable") > 0  # the stronger half passes it


def test_item_analysis_lists_hardest_first_with_the_most_common_failure_and_hint():
    items = item_analysis([report(i) for i in range(9)], EN)
    assert [i.name for i in items] == ["softmax::stable", "derivation::derivation_softmax_jacobian", "softmax::sums"]
    stable = next(i for i in items if i.name == "softmax::stable")
    assert (stable.passed, stable.total) == (5, 9)
    assert stable.failures == (("softmax returned nan", 4),) and stable.hints == (("subtract the max before exp", 4),)


def test_part_means_are_percentages_of_each_part():
    assert part_means([report(0), report(1)]) == [("softmax", 75.0), ("derivation", 50.0)]


def test_page_names_are_unique_safe_and_free_of_controls():
    sample = [row for row, _rep in rows()]
    names = page_names(sample + sample[:1])
    assert len({n.casefold() for n in names}) == len(names)
    assert all(not re.search(r'[<>:"/\\|?*\x00-\x1f\u202e]', n) and n.endswith(".html") for n in names)
    assert names[-1].endswith("~2.html")


def test_first_bad_line_comes_from_the_chain_message_data():
    step = _("step {step} (line {line})").format(step=2, line=7)
    assert first_bad_line(_("{step} does not follow from {previous}: {difference}").format(
        step=step, previous="a", difference="b")) == 7
    assert first_bad_line("line 7 in plain text") is None


def test_derivation_texts_come_from_the_submission_as_graded(tmp_path):
    import io
    import zipfile

    from graders.core.batch.collect import Unit
    from graders.core.batch.layouts import identify
    from graders.core.batch.plan import Planned
    from graders.core.spec import load_assignment

    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("hw03/derivation.md", DERIVATION)
        archive.writestr("hw03/softmax.py", "def softmax(x):\n    return x\n")
    planned = [Planned(Unit(entry, "d.zip", {entry: data}, identity=identify(entry)), identify(entry))
               for entry, data in (("zhang_123456_1_hw03.zip", inner.getvalue()), ("li_234567_2_hw03.zip", b"junk"))]
    assert derivation_texts(load_assignment("hw03"), planned) == {"123456": DERIVATION}


def test_every_entry_has_a_page_one_click_from_the_index(outdir):
    hrefs = [h for h in parse(outdir / "index.html").hrefs if h.startswith("students/")]
    pages = {outdir / unquote(h) for h in hrefs}
    assert len(pages) == len(rows()) and all(p.is_file() for p in pages)
    assert {p.name for p in (outdir / "students").iterdir()} == {p.name for p in pages}


def test_student_text_is_escaped_and_nothing_is_loaded_from_outside(outdir):
    for page in [outdir / "index.html", *(outdir / "students").iterdir()]:
        html = page.read_text(encoding="utf-8")
        links = parse(page)
        assert "<script>alert" not in html and "<img" not in html and "<b>evil" not in html and "\u202e" not in html
        assert links.srcs == [] and links.scripts <= 1
        assert not [h for h in links.hrefs if re.match(r"[a-z]+:", h)]
        assert 'http-equiv="Content-Security-Policy"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (outdir / "index.html").read_text(encoding="utf-8")


def test_the_csp_allows_only_the_pages_own_style_and_script_by_hash():
    policy = csp("body{}", "1;")
    assert policy.startswith("default-src 'none'; style-src 'sha256-") and "unsafe-inline" not in policy
    assert "script-src 'none'" in csp("body{}", None)


def test_index_shows_integer_counts_statuses_late_and_item_analysis(outdir):
    html = (outdir / "index.html").read_text(encoding="utf-8")
    counts = re.findall(r'<text class="count"[^>]*>(\d+)</text>', html)
    assert sum(map(int, counts)) == 9
    assert 'href="#status=rejected"' in html and 'href="#status=missing"' in html
    assert "Late submissions: 1" in html
    assert "softmax returned nan" in html and "subtract the max before exp" in html
    assert "<h2>Item analysis</h2>" in html and " at 0x" not in html  # a label, never a method's repr


def test_the_index_is_the_same_bytes_when_written_again(outdir, tmp_path):
    write_sample(tmp_path)
    assert (tmp_path / "index.html").read_bytes() == (outdir / "index.html").read_bytes()


def test_a_student_page_lists_failing_tests_first_and_marks_the_first_bad_derivation_line(outdir):
    page = next(p for p in (outdir / "students").iterdir() if p.name.startswith("2023001_"))
    html = page.read_text(encoding="utf-8")
    assert html.index("derivation_softmax_jacobian") < html.index("softmax::sums")
    assert re.search(r'<span class="line bad"><span class="no">\s+3 </span>= y_i\(1 - y_i\) &lt;b&gt;', html)
    assert "first step that does not follow: line 3" in html


def test_pages_are_in_the_batchs_language(tmp_path):
    write_sample(tmp_path, lang="zh")
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "缺交的学生" in html and "批改看板" in html
    assert "Batch dashboard" not in html and "Late submissions" not in html


def test_similarity_pages_are_linked_when_present(tmp_path):
    (tmp_path / "similarity").mkdir()
    (tmp_path / "similarity" / "index.html").write_text("<html></html>")
    write_sample(tmp_path, n=2)
    assert 'href="similarity/index.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")
