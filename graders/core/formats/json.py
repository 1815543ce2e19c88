"""The report as JSON: the schema of DESIGN.md, from which every other format derives."""
from __future__ import annotations

import json as _json

from ..report import Report


def render(report: Report, lang: str) -> str:
    """The report's dict form as indented UTF-8-friendly JSON, its text in `lang` (ids kept in `i18n`)."""
    return _json.dumps(report.to_dict(lang), indent=2, ensure_ascii=False)
