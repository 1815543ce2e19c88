"""A font for the summary plot that has CJK glyphs, or word that labels must stay ASCII.

Why: matplotlib's default font (DejaVu Sans) has no Chinese glyphs and draws
boxes ("tofu") for them. With a CJK font installed the plot is labelled in
Chinese; without one it falls back to English labels rather than render boxes.
"""
from __future__ import annotations

from typing import Iterable

# Common CJK fonts of Linux distributions, macOS and Windows, best first.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Sarasa Gothic SC", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC",
             "Hiragino Sans GB", "AR PL UMing CN", "Noto Serif CJK SC")


def installed_fonts() -> set[str]:
    """Family names matplotlib can use on this machine."""
    from matplotlib import font_manager

    return {f.name for f in font_manager.fontManager.ttflist}


def cjk_font(available: Iterable[str] | None = None) -> str | None:
    """The first known CJK font among `available` (default: the installed ones), or None."""
    names = set(installed_fonts() if available is None else available)
    return next((font for font in CJK_FONTS if font in names), None)


def needs_cjk(text: str) -> bool:
    """Whether `text` has characters outside Latin-1 (DejaVu covers those; CJK it does not)."""
    return any(ord(c) > 0x2FFF for c in text)
