"""How the command line shows numbers: the report's words and money unit (``--lang``, ``--unit``).

``run``, ``compare``, ``sweep`` and ``report`` take the same two options. Money is printed in
yuan or 万元 to the unit's precision, shares (fill rate, warranty cost / revenue) as
percentages, other values with four significant digits; in Chinese, KPI and policy names are
the report's (``title_zh``).
"""

from __future__ import annotations

import argparse
import math
import sys
import unicodedata
from collections.abc import Mapping, Sequence

from warrantysim.report.i18n import Labels, Lang, MoneyUnit


def add_language_arguments(parser: argparse.ArgumentParser) -> None:
    """``--lang en|zh`` and ``--unit yuan|wan``: the words and the money unit of the output."""
    parser.add_argument(
        "--lang",
        choices=[x.value for x in Lang],
        default=Lang.EN.value,
        help="language of labels and policy names (zh: the scenarios' title_zh; "
        "default: %(default)s)",
    )
    parser.add_argument(
        "--unit",
        choices=[u.value for u in MoneyUnit],
        default=MoneyUnit.YUAN.value,
        help="amounts in yuan or 万元 (wan = 10,000 yuan; default: %(default)s)",
    )


def labels_of(args: argparse.Namespace) -> Labels:
    return Labels(Lang(args.lang), MoneyUnit(args.unit))


def kpi_name(kpi: str, labels: Labels) -> str:
    """English: the KPI's key (what ``--kpis`` takes); Chinese: its label."""
    return labels(kpi) if labels.lang is Lang.ZH else kpi


def value(number: float, kpi: str, labels: Labels) -> str:
    """A KPI value: money in the unit, a share as a percentage, a count by
    :func:`~warrantysim.report.i18n.count_decimals` (the report's rule), else 4 significant
    digits."""
    if not math.isfinite(number):
        return "n/a" if math.isnan(number) else ("inf" if number > 0 else "-inf")
    shown = labels.in_unit(number, kpi)
    if shown is not None:
        return shown
    return f"{number:,.0f}" if abs(number) >= 1000 else f"{number:.4g}"


def interval(mean: float, half_width: float, kpi: str, labels: Labels) -> str:
    """``mean ± half-width``, or the mean alone when there is no interval (one replication)."""
    if not math.isfinite(half_width):
        return value(mean, kpi, labels)
    return f"{value(mean, kpi, labels)} ± {value(half_width, kpi, labels)}"


def units_note(labels: Labels, plus_minus: bool = False) -> str:
    """The line under a table saying what its numbers are in."""
    if labels.lang is Lang.ZH:
        note = f"金额单位:{labels.money};比例以百分比表示"
        return note + (";± 为95%置信区间半宽" if plus_minus else "")
    note = f"amounts in {labels.money}; shares in %"
    return note + ("; ± is the 95% CI half-width" if plus_minus else "")


def width(text: str) -> int:
    """Columns a terminal gives ``text``: wide and full-width characters (CJK, ``(``) take two
    (Unicode's East Asian Width, UAX #11: W and F), every other character one."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, columns: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    space = " " * max(columns - width(text), 0)
    return space + text if right else text + space


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded by terminal width (:func:`width`), the first left-aligned, the others
    right-aligned, two spaces apart: what ``DataFrame.to_string`` does by ``len()``, which
    leaves CJK headers a column short per character."""
    columns = [header, *rows]
    widths = [max(width(row[i]) for row in columns) for i in range(len(header))]
    lines = [
        "  ".join(
            pad(cell, w, right=i > 0) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in columns
    ]
    return "\n".join(line.rstrip() for line in lines)


def policy_names(
    names: Sequence[str], titles_zh: Mapping[str, str | None], labels: Labels
) -> dict[str, str]:
    """Each scenario's shown name: its ``title_zh`` in Chinese (the name, with a warning on
    stderr, where it has none)."""
    if labels.lang is not Lang.ZH:
        return {n: n for n in names}
    shown = {}
    for name in names:
        title = titles_zh.get(name)
        if title is None:
            print(f"warning: {name}: no title_zh; shown by its name", file=sys.stderr)
        shown[name] = title or name
    return shown
