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

from warrantysim.accounting.units import is_money
from warrantysim.cli import main
from warrantysim.report import Labels, Lang, MoneyUnit
from warrantysim.report.figures import FIGURE_NAMES
from warrantysim.report.pdf import OFFLINE_FLAGS
from warrantysim.report.xlsx import ANNUAL_SHEET, ANNUAL_SHEETS, CHARTS_SHEET

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = list(OFFLINE_FLAGS)
SMALL = ["--set", "product.units_per_month=1500", "--set", "product.sales_months=12"]
START = ["--set", "simulation.start=2027-01"]
POLICIES = ("status-quo", "supplier-chargeback", "cap-share")
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
    for name in POLICIES:
        out = root / name
        extra = ["--set", f"description={EVIL}"] if name == "status-quo" else []
        argv = ["run", str(scenarios / f"{name}.yaml"), "--replications", "3", "--seed", "11"]
        assert main([*argv, *SMALL, *START, *extra, "--out", str(out)]) == 0
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
    argv += ["--xlsx", str(out / "report.xlsx")]
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
    money = [c for c in numeric if is_money(c)]
    other = [c for c in numeric if c not in money]
    # Money in whole yuan (the unit's precision): the Parquet value rounded to 0 decimals.
    # (An empty cell is a NaN of the Parquet, e.g. the cap in months without a year end.)
    cells, yuan = sheet[money].astype(float).to_numpy(), expected[money].to_numpy(dtype=float)
    assert np.array_equal(np.isnan(cells), np.isnan(yuan))
    shown = ~np.isnan(cells)
    assert np.all(np.abs(cells[shown] - yuan[shown]) <= 0.5 + 1e-9)
    assert np.all(cells[shown] == np.round(cells[shown]))
    pd.testing.assert_frame_equal(
        sheet[other].astype(float), expected[other].astype(float), rtol=1e-6, atol=1e-6
    )
    # Each policy's statement sheet holds the annual means of annual.parquet, line by line.
    for policy, annual in _annual(runs).items():
        rows = list(book[policy].values)
        statement = {r[0]: r[1:] for r in rows[1:]}
        means = annual.groupby("fiscal_year")["profit"].mean().to_numpy()
        assert np.all(np.abs(np.array(statement["Profit"]) - means) <= 0.5 + 1e-9)
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


@needs_pdftotext
def test_the_first_page_keeps_policy_names_on_one_line_and_has_no_empty_header_row(runs, report_zh):
    import re

    page_1 = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(report_zh / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    titles = [load_scenario_title(d) for d in runs]
    for title in titles:  # a row header (th) wrapped one character a line before
        assert re.search(rf"^{re.escape(title)}\s", page_1, re.M), (title, page_1)
    html_text = (report_zh / "report.html").read_text(encoding="utf-8")
    first_page = html_text[html_text.index("first-page") : html_text.index("</section>")]
    for head in re.findall(r"<thead>(.*?)</thead>", first_page, re.S):
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", head, re.S):
            cells = [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<th[^>]*>(.*?)</th>", row, re.S)
            ]
            assert sum(bool(c) for c in cells) > 1, row  # not the index name's own row


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
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.route("**/*", _only_local_files)
        page.on("request", lambda r: requests.append(r.url))
        page.goto((folder / "report.html").as_uri())
        page.wait_for_selector(f"body[data-charts-rendered='{len(FIGURE_NAMES)}']", timeout=60_000)
        for name in FIGURE_NAMES:
            assert page.locator(f"#chart-{name} svg").count() >= 1, name
        assert page.title() != "pwned"  # the description's <script> stayed text
        if report == "report_en":  # the Chinese report shows the file's description_zh
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
    """Screenshots for docs/ when WARRANTYSIM_SCREENSHOTS names a folder (else none): the first
    page (the decision, the key numbers, the assumptions), as the PDF's page 1 shows it."""
    folder = os.environ.get("WARRANTYSIM_SCREENSHOTS")
    if folder:
        box = page.locator("section.first-page").bounding_box()
        clip = {"x": 0, "y": 0, "width": 1000, "height": box["y"] + box["height"] + 20}
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


def _sheet(book, name: str) -> list[tuple]:
    return list(book[name].values)


def test_excel_in_wan_equals_the_parquet_values_over_10000(runs, report_zh):
    # 万元 = 10,000 yuan, shown and stored to 2 decimals (100 yuan): every money cell is the
    # Parquet value / 10,000 to within half the last shown digit (0.005), holds no more than
    # 2 decimals (no float noise), and is formatted with 2 decimals.
    book = load_workbook(report_zh / "report.xlsx")
    annual_sheet = ANNUAL_SHEETS[Lang.ZH]
    rows = _sheet(book, annual_sheet)
    sheet = pd.DataFrame(rows[1:], columns=rows[0])
    expected = pd.concat(_annual(runs).values(), ignore_index=True)
    money = [c for c in expected if is_money(c)]
    cells, wan = sheet[money].astype(float).to_numpy(), (expected[money] / 1e4).to_numpy()
    assert np.array_equal(np.isnan(cells), np.isnan(wan))
    shown = ~np.isnan(cells)
    assert np.all(np.abs(cells[shown] - wan[shown]) <= 0.005 + 1e-9)
    assert np.allclose(cells[shown] * 100, np.round(cells[shown] * 100), rtol=0, atol=1e-6)
    assert book[annual_sheet].cell(row=2, column=rows[0].index("profit") + 1).number_format == (
        "#,##0.00"
    )
    # 利润表: a column per policy and fiscal year, the mean over replications of its year rows.
    statement = _sheet(book, "利润表")
    titles = {d.name: load_scenario_title(d) for d in runs}
    income = {d.name: pd.read_parquet(d / "income_statement.parquet") for d in runs}
    lines = {r[0]: r[1:] for r in statement[2:]}
    for column, (policy, year) in enumerate(zip(statement[0][1:], statement[1][1:], strict=True)):
        run = next(n for n, t in titles.items() if t == policy)
        fiscal_year = int(str(year).removesuffix("年")) - 2026  # simulation.start: 2027-01
        rows_of_year = income[run][(income[run]["period"] == "year")]
        mean = rows_of_year[rows_of_year["fiscal_year"] == fiscal_year]["净利润"].mean()
        assert abs(lines["净利润"][column] - mean / 1e4) <= 0.005 + 1e-9
    for name in book.sheetnames[:-1]:  # every sheet but the charts keeps its header in view
        assert book[name].freeze_panes is not None, name


def test_the_chinese_workbook_has_chinese_sheet_titles_and_row_labels(report_zh):
    import re

    book = load_workbook(report_zh / "report.xlsx")
    assert [n for n in book.sheetnames if n.isascii()] == []
    for sheet in book:
        column_a = [v for (v,) in sheet.iter_rows(max_col=1, values_only=True)]
        if sheet.title == ANNUAL_SHEETS[Lang.ZH]:
            # Its header keeps annual.parquet's keys (so totals re-derive); column A below
            # it is the replication number.
            assert all(isinstance(v, int) for v in column_a[1:])
            continue
        text = [v for v in column_a if isinstance(v, str)]
        assert [v for v in text if re.search(r"[A-Za-z]{2,}", v)] == [], sheet.title
    statement = {r[0].value: r[1:] for r in book["现状"].iter_rows(min_row=2)}
    assert {c.number_format for c in statement["月数"]} == {"#,##0"}  # 12, not 12.000
    # 3 replications: a mean of counts is whole or shown with 1 decimal (count_decimals).
    for cell in statement["销量(台)"]:
        shown = "#,##0" if float(cell.value).is_integer() else "#,##0.0"
        assert cell.number_format == shown
        assert round(cell.value, 1) == cell.value


def load_scenario_title(folder: Path) -> str:
    import yaml

    return yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))["title_zh"]


def test_the_cap_is_drawn_as_steps_in_the_book_value_svg(runs, report_en):
    # The cap line is the layer named "cap" (charts.CAP_LAYER): a dashed path per policy with a
    # cap, stepping at fiscal year ends, at the height of the cap the ledger applied.
    import re

    svg = (report_en / "png" / "book_value.svg").read_text(encoding="utf-8")
    groups = re.findall(r'<g class="[^"]*\bcap_marks"[^>]*>(.*?)</g>', svg, re.S)
    drawn = [p for g in groups for p in re.findall(r"<path [^>]*\bd=\"[^\"]+\"[^>]*>", g)]
    assert drawn, "no cap line in the book-value chart"
    (line,) = [p for p in drawn if "cap-share" in p]  # the only policy with a cap
    assert "stroke-dasharray" in line
    heights = {float(y) for y in re.findall(r"[ML][\d.]+,([\d.]+)", line)}
    monthly = pd.read_parquet(runs[2] / "monthly.parquet")
    caps = monthly.groupby("fiscal_year")["book_value_cap_limit"].mean().dropna()
    assert len(caps) >= 2
    assert len(heights) == caps.nunique()  # a level per fiscal year's cap
    first_cap = re.search(r"Book value \(CNY\): ([\d.]+)", line)
    assert first_cap is not None
    assert float(first_cap.group(1)) == pytest.approx(caps.iloc[0], rel=1e-9)


def _visible_text(html_text: str) -> tuple[list[str], str]:
    """(row and column headers, headings; all text outside scripts) of a report page."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[str] = []
            self.labels: list[str] = []
            self.text: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.stack.append(tag)

        def handle_endtag(self, tag):
            while self.stack and self.stack.pop() != tag:
                pass

        def handle_data(self, data):
            if "script" in self.stack or "style" in self.stack or "title" in self.stack:
                return
            self.text.append(data)
            if self.stack and self.stack[-1] in ("th", "h1", "h2", "h3", "h4", "b"):
                self.labels.append(data.strip())

    reader = Reader()
    reader.feed(html_text)
    return [x for x in reader.labels if x], " ".join(reader.text)


def test_the_chinese_report_has_no_english_policy_names_or_row_labels(report_zh):
    import re

    html_text = (report_zh / "report.html").read_text(encoding="utf-8")
    labels, text = _visible_text(html_text)
    english = [x for x in labels if re.search(r"[A-Za-z]{2,}", x)]
    assert not english, english  # row labels, column headers, headings, policy names
    for policy in POLICIES:
        assert policy not in text, policy
        for chart in (report_zh / "png").glob("*.svg"):
            assert f"{policy}<" not in chart.read_text(encoding="utf-8"), (chart.name, policy)
    assert "现状" in text  # the scenarios' title_zh
    assert "供应商索赔" in text
    assert "2027年" in text  # fiscal years from simulation.start


def test_the_first_page_decides_from_the_paired_npv_of_cash(runs, report_en):
    # The decision: the policy with the highest mean paired difference in the NPV of cash,
    # its t interval (stats.paired_interval, computed here independently of the report) and
    # the number of replications in which it wins.
    from warrantysim.stats import paired_interval

    kpis = {d.name: pd.read_parquet(d / "kpis.parquet") for d in runs}
    base = kpis["status-quo"]["npv_cash"].to_numpy()
    diffs = {n: paired_interval(base, k["npv_cash"].to_numpy()) for n, k in kpis.items()}
    del diffs["status-quo"]
    best = max(diffs, key=lambda n: diffs[n].mean)
    wins = int((kpis[best]["npv_cash"].to_numpy() > base).sum())
    html_text = (report_en / "report.html").read_text(encoding="utf-8")
    first = html_text[html_text.index("first-page") : html_text.index("</section>")]
    decision = first[first.index("class='decision'") : first.index("</p>")]
    labels = Labels()
    assert best in decision
    sign = -1.0 if "Keep status-quo" in decision else 1.0
    assert labels.amount(sign * diffs[best].mean) in decision
    if np.abs(kpis[best]["npv_cash"].to_numpy() - base).max() < 0.01:  # accounting only
        assert f"the best, {best}, gives the same in every paired replication" in decision
    else:
        assert f"{wins} of 3 paired replications" in decision
    assert "FY 2027" in html_text  # calendar fiscal years from simulation.start
    for heading in ("Key numbers", "Assumptions that drive these numbers"):
        assert heading in first


def test_report_prints_a_line_per_stage_and_warns_of_missing_zh_titles(runs, tmp_path, capsys):
    bare = tmp_path / "no-zh"
    shutil.copytree(runs[1], bare)
    scenario = (bare / "scenario.yaml").read_text(encoding="utf-8")
    (bare / "scenario.yaml").write_text(
        "\n".join(x for x in scenario.splitlines() if not x.startswith("title_zh")),
        encoding="utf-8",
    )
    (bare / "manifest.json").unlink()  # its hash of scenario.yaml no longer holds
    argv = ["report", str(runs[0]), str(bare), "--lang", "zh", "--out", str(tmp_path / "r.html")]
    assert main(argv) == 0
    err = capsys.readouterr().err.splitlines()
    assert any("no title_zh" in x and "supplier-chargeback" in x for x in err), err
    assert [x.split(":")[1].strip() for x in err if not x.startswith("report: warning")] == [
        "charts",
        "HTML",
    ]
