"""The batch dashboard in headless Chromium: the pages render, the script runs, every student is one click away.

Screenshots land in the test's tmp folder (pytest keeps the last runs' folders) for a person to look at."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.chromium import chromium, dump_dom, screenshot
from tests.dashboard_sample import rows, write_sample


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    chromium()  # skip the module at once where there is no browser
    out = tmp_path_factory.mktemp("dashboard-browser")
    write_sample(out / "out", lang="zh")
    return out


def _colours(png: Path) -> int:
    from PIL import Image

    with Image.open(png) as image:
        return len(image.convert("RGB").getcolors(maxcolors=1 << 20) or ())


def test_index_renders_runs_its_script_and_links_every_student(site):
    index = (site / "out" / "index.html").as_uri()
    dom = dump_dom(index, site / "profile")
    assert 'data-ready="1"' in dom  # the inline script ran under the page's CSP
    assert re.search(r'<output id="shown">11</output>', dom)
    hrefs = set(re.findall(r'href="(students/[^"]+)"', dom))
    assert len(hrefs) == len(rows()) and all((site / "out" / unquote(h)).is_file() for h in hrefs)
    assert "<rect class=\"bar\"" in dom and "批改看板" in dom


def test_the_status_filter_hides_the_other_rows(site):
    dom = dump_dom((site / "out" / "index.html").as_uri() + "#status=rejected", site / "profile")
    visible = re.findall(r'<tr class="st-(\w+)" data-status="\w+">', dom)
    hidden = re.findall(r'<tr class="st-(\w+)" data-status="\w+" hidden="">', dom)
    assert visible == ["rejected"] and len(hidden) == len(rows()) - 1
    assert '<output id="shown">1</output>' in dom


def test_screenshots_of_the_index_and_a_student_page_are_not_blank(site):
    student = next(p for p in (site / "out" / "students").iterdir() if p.name.startswith("2023001_"))
    shots = [screenshot((site / "out" / "index.html").as_uri(), site / "index.png", site / "profile"),
             screenshot(student.as_uri(), site / "student.png", site / "profile", size="1000,900")]
    for png in shots:
        assert png.stat().st_size > 20_000 and _colours(png) > 50, png
    dom = dump_dom(student.as_uri(), site / "profile")
    assert 'class="line bad"' in dom and 'id="back"' in dom and "&lt;script&gt;" in dom
