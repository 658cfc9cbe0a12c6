"""``warrantysim report`` end to end on real (small) runs: HTML in a browser with the network
blocked, the PDF's text, the Excel numbers against ``annual.parquet``, Chinese labels, escaping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from warrantysim.cli import main
from warrantysim.report import Labels, Lang, MoneyUnit
from warrantysim.report.figures import FIGURE_NAMES
from warrantysim.report.pdf import OFFLINE_FLAGS
from warrantysim.report.xlsx import ANNUAL_SHEET, CHARTS_SHEET

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = list(OFFLINE_FLAGS)
SMALL = ["--set", "product.units_per_month=1500", "--set", "product.sales_months=12"]
EVIL = '<script>document.title="pwned"</script> & <b>bold</b>'
# CI (CI=true) installs these through scripts/setup: there, a missing tool must fail, not skip.
_IN_CI = bool(os.environ.get("CI"))
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not _IN_CI, reason="needs Debian chromium"
)
needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext") and not _IN_CI, reason="needs poppler-utils"
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    scenarios = Path(__file__).parents[1] / "scenarios"
    dirs = []
    for name, extra in (
        ("status-quo", ["--set", f"description={EVIL}"]),
        ("supplier-chargeback", []),
    ):
        out = root / name
        argv = ["run", str(scenarios / f"{name}.yaml"), "--replications", "3", "--seed", "11"]
        assert main([*argv, *SMALL, *extra, "--out", str(out)]) == 0
        dirs.append(out)
    return dirs


@pytest.fixture(scope="module")
def report_en(runs, tmp_path_factory):
    out = tmp_path_factory.mktemp("report_en")
    argv = ["report", *map(str, runs), "--out", str(out / "report.html")]
    argv += ["--pdf", str(out / "report.pdf"), "--xlsx", str(out / "report.xlsx")]
    assert main([*argv, "--png", str(out / "png")]) == 0
    return out


@pytest.fixture(scope="module")
def report_zh(runs, tmp_path_factory):
    out = tmp_path_factory.mktemp("report_zh")
    argv = ["report", *map(str, runs), "--out", str(out / "report.html"), "--lang", "zh"]
    argv += ["--unit", "wan", "--pdf", str(out / "report.pdf"), "--png", str(out / "png")]
    assert main(argv) == 0
    return out


def _annual(runs):
    return {d.name: pd.read_parquet(d / "annual.parquet") for d in runs}


def test_excel_numbers_equal_annual_parquet(runs, report_en):
    book = load_workbook(report_en / "report.xlsx", read_only=True)
    rows = list(book[ANNUAL_SHEET].values)
    sheet = pd.DataFrame(rows[1:], columns=rows[0])
    expected = pd.concat(_annual(runs).values(), ignore_index=True)
    numeric = [c for c in expected if pd.api.types.is_numeric_dtype(expected[c])]
    # Excel stores IEEE doubles as decimal text: equal to the last few ulps.
    pd.testing.assert_frame_equal(
        sheet[numeric].astype(float), expected[numeric].astype(float), rtol=1e-12, atol=1e-9
    )
    # Each policy's statement sheet holds the annual means of annual.parquet, line by line.
    for policy, annual in _annual(runs).items():
        rows = list(book[policy].values)
        statement = {r[0]: r[2:] for r in rows[1:]}
        means = annual.groupby("fiscal_year")["profit"].mean().to_list()
        assert list(statement["profit"]) == pytest.approx(means, rel=1e-12)
    assert CHARTS_SHEET in book.sheetnames


def test_png_and_svg_of_every_chart(report_en):
    for name in FIGURE_NAMES:
        assert (report_en / "png" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<svg" in (report_en / "png" / f"{name}.svg").read_text(encoding="utf-8")


def test_first_money_line_is_the_npv_of_cash(report_en):
    # Value is cash: the comparison leads with the NPV of cash flows, which no accounting
    # treatment moves, before any accounting profit (kept by year).
    text = (report_en / "report.html").read_text(encoding="utf-8")
    comparison = text[text.index("Comparison with the base policy") :]
    first_row = comparison[comparison.index("<tbody>") :].split("</tr>")[0]
    assert "NPV of cash flows" in first_row


def test_names_and_descriptions_are_escaped(report_en):
    text = (report_en / "report.html").read_text(encoding="utf-8")
    assert EVIL not in text
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in text


@needs_pdftotext
def test_pdf_pages_are_a4(report_en, report_zh):
    # A4 is 210 x 297 mm = 595.28 x 841.89 pt (1 pt = 1/72 in); Chromium rounds the page to
    # whole CSS pixels (594.96 x 841.92), within 1 pt, and pdfinfo names the size "(A4)".
    for report in (report_en, report_zh):
        info = subprocess.run(
            ["pdfinfo", "-f", "1", "-l", "99", str(report / "report.pdf")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        sizes = [line for line in info.splitlines() if line.startswith("Page") and "size" in line]
        assert sizes, info
        for line in sizes:
            assert "(A4)" in line, line
            width, height = (float(x) for x in line.split(":")[1].split("pts")[0].split(" x "))
            assert abs(width - 595.28) < 1.0, line
            assert abs(height - 841.89) < 1.0, line


@needs_pdftotext
def test_pdf_holds_the_key_figures(runs, report_en):
    text = subprocess.run(
        ["pdftotext", "-layout", str(report_en / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    labels = Labels()
    assert "Lifetime profit" in text
    assert "supplier-chargeback" in text
    for run in runs:
        mean = pd.read_parquet(run / "kpis.parquet")["lifetime_profit"].mean()
        assert labels.amount(mean) in text


@needs_pdftotext
def test_chinese_labels_in_html_and_pdf(runs, report_zh):
    html = (report_zh / "report.html").read_text(encoding="utf-8")
    for label in ("全周期利润", "考核利润", "备件库账面价值与上限", "万元"):
        assert label in html
    text = subprocess.run(
        ["pdftotext", str(report_zh / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "全周期利润" in text
    assert "年度报表" in text
    labels = Labels(Lang.ZH, MoneyUnit.WAN)
    mean = pd.read_parquet(runs[0] / "kpis.parquet")["lifetime_profit"].mean()
    assert labels.amount(mean) in text


@needs_chromium
@pytest.mark.parametrize(
    ("report", "shot"), [("report_en", "report.png"), ("report_zh", "report-zh.png")]
)
def test_html_renders_every_chart_offline(request, report, shot):
    from playwright.sync_api import sync_playwright

    folder = request.getfixturevalue(report)

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.route("**/*", _only_local_files)
        page.on("request", lambda r: requests.append(r.url))
        page.goto((folder / "report.html").as_uri())
        page.wait_for_selector(f"body[data-charts-rendered='{len(FIGURE_NAMES)}']", timeout=60_000)
        for name in FIGURE_NAMES:
            assert page.locator(f"#chart-{name} svg").count() >= 1, name
        assert page.title() != "pwned"  # the description's <script> stayed text
        assert EVIL in page.inner_text("body")
        _screenshot(page, shot)
        browser.close()
    assert requests
    assert all(u.startswith("file://") for u in requests), requests


def _only_local_files(route):
    if route.request.url.startswith("file://"):
        route.continue_()
    else:
        route.abort()


def _screenshot(page, name: str) -> None:
    """Screenshots for docs/ when WARRANTYSIM_SCREENSHOTS names a folder (else none), from the
    comparison down (the policy list above holds this test's hostile description)."""
    folder = os.environ.get("WARRANTYSIM_SCREENSHOTS")
    if folder:
        top = page.locator("h2").nth(1).bounding_box()["y"] - 10
        clip = {"x": 0, "y": top, "width": 1200, "height": 1400}
        page.screenshot(path=str(Path(folder) / name), clip=clip, full_page=True)


def test_comparison_from_experiments_equals_one_from_simulate():
    # experiments.compare and api.simulate run the same replications (s, r) of each scenario.
    from warrantysim import experiments as ex
    from warrantysim.api import simulate
    from warrantysim.report import PolicyResults
    from warrantysim.scenario import load_scenario

    small = {"product.units_per_month": 1500, "product.sales_months": 12}
    folder = Path(__file__).parents[1] / "scenarios"
    scenarios = [load_scenario(folder / f"{n}.yaml", small) for n in ("status-quo", "cap-share")]
    result = ex.compare(
        scenarios[0], scenarios[1:], replications=2, seed=3, executor="serial", progress="quiet"
    )
    got = PolicyResults.from_experiment(result)
    direct = PolicyResults.of({s.name: simulate(s, replications=2, seed=3) for s in scenarios})
    assert got.policies == direct.policies
    for table in ("kpis", "annual"):
        columns = list(getattr(direct, table).columns)
        pd.testing.assert_frame_equal(
            getattr(got, table)[columns].reset_index(drop=True),
            getattr(direct, table).reset_index(drop=True),
            check_dtype=False,
            rtol=1e-12,
        )


def test_one_replication_reports_no_interval_rather_than_a_zero_width_one() -> None:
    from warrantysim.stats import half_width

    half = half_width(pd.Series([3.0, float("nan")]), pd.Series([4, 1]))
    # n = 4: t(0.975, 3) · 3 / √4 = 3.18245 · 1.5
    assert half[0] == pytest.approx(3.1824463 * 1.5, rel=1e-6)
    assert np.isnan(half[1])
