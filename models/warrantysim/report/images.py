"""PNG and SVG of charts through vl-convert (no browser), with a CJK font for Chinese labels."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import vl_convert as vlc

from warrantysim.atomic import write_atomic, write_text_atomic
from warrantysim.report.html import CJK_FONT
from warrantysim.report.i18n import Labels, Lang

PNG_SCALE = 2.0
_DEBIAN_CJK_DIR = Path("/usr/share/fonts/opentype/noto")


def _config(labels: Labels) -> dict[str, Any] | None:
    # vl-convert draws text with the fonts it knows; fonts-noto-cjk provides the Chinese glyphs.
    if labels.lang is not Lang.ZH:
        return None
    if _DEBIAN_CJK_DIR.is_dir():
        vlc.register_font_directory(str(_DEBIAN_CJK_DIR))
    return {"font": CJK_FONT}


def png(spec: dict[str, Any], labels: Labels) -> bytes:
    return bytes(vlc.vegalite_to_png(spec, scale=PNG_SCALE, config=_config(labels)))


def svg(spec: dict[str, Any], labels: Labels) -> str:
    return str(vlc.vegalite_to_svg(spec, config=_config(labels)))


def write_images(specs: Mapping[str, dict[str, Any]], folder: Path, labels: Labels) -> list[Path]:
    """``NAME.png`` and ``NAME.svg`` of every chart into ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in specs.items():
        png_path, svg_path = folder / f"{name}.png", folder / f"{name}.svg"
        _write_bytes(png_path, png(spec, labels))
        write_text_atomic(svg_path, svg(spec, labels))
        written += [png_path, svg_path]
    return written


def _write_bytes(path: Path, data: bytes) -> None:
    def write(temp: Path) -> None:
        temp.write_bytes(data)

    write_atomic(path, write)
