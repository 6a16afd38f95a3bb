"""The HTML report as a person sees it: a real headless Chromium (Debian's `chromium`, installed by
.ci/run through scripts/install_render_tools.sh) renders it at 400 px and 1280 px and prints it to PDF.
The page is shown in an iframe of exactly that width (headless Chromium will not make a window narrower
than 500 px, and the page's media queries follow the iframe's width); a small script added to a copy
of the page measures its layout and posts what it found to the outer page, which writes it into its
DOM for `--dump-dom` to print. The tests fail on horizontal overflow, a table or cell whose content is
clipped, or a blank chart. Skipped where Chromium is not installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qms_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")

# Measures the page after load and writes the findings as JSON into <pre id="qms-check">.
CHECK = """
<script>
window.addEventListener('load', () => {
  const width = window.innerWidth, slack = 1;
  const out = {width: width, scrollWidth: document.documentElement.scrollWidth, clipped: [], blank: [], charts: 0};
  document.querySelectorAll('table').forEach((table, t) => {
    const box = table.getBoundingClientRect();
    if (box.right > width + slack || box.left < -slack) out.clipped.push('table ' + t + ' right ' + box.right);
    table.querySelectorAll('td, th').forEach((cell) => {
      if (cell.scrollWidth > cell.clientWidth + slack && getComputedStyle(cell).display !== 'none')
        out.clipped.push('cell of table ' + t + ': ' + cell.textContent.trim().slice(0, 40));
    });
  });
  document.querySelectorAll('svg.chart').forEach((svg, c) => {
    out.charts += 1;
    const box = svg.getBoundingClientRect();
    const marks = svg.querySelectorAll('path, circle, rect.point').length;
    if (box.width < 50 || box.height < 50 || marks < 3 || box.right > width + slack) out.blank.push(c);
  });
  parent.postMessage(JSON.stringify(out), '*');
});
</script>
"""
FRAME = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe src="{page}" style="width:{width}px;height:1200px;border:0;display:block"></iframe>
<script>
window.addEventListener('message', (event) => {{
  const pre = document.createElement('pre');
  pre.id = 'qms-check';
  pre.textContent = event.data;
  document.body.appendChild(pre);
}});
</script></body></html>
"""
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with the launch flags of the machines' notes and a fresh profile."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="qms-chromium-") as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


@pytest.fixture(scope="module", params=["vi", "en"])
def page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"html-{request.param}")
    done = CliRunner().invoke(
        app,
        ["report", "--period", "H1-2019", "--data", str(SAMPLE), "--format", "html", "-o", str(out)]
        + ["--store", str(out / "none.sqlite"), "--lang", request.param],
    )
    assert done.exit_code == 0, done.output
    return next(out.glob("*.html"))


def measured(page: Path, width: int) -> dict:
    checked = page.with_name(f"checked-{width}.html")
    checked.write_text(page.read_text(encoding="utf-8").replace("</body>", CHECK + "</body>"), encoding="utf-8")
    frame = page.with_name(f"frame-{width}.html")
    frame.write_text(FRAME.format(page=checked.name, width=width), encoding="utf-8")
    done = chromium(f"--window-size={width + 100},1400", "--virtual-time-budget=8000", "--dump-dom", frame.as_uri())
    found = re.search(r'<pre id="qms-check">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<"))


@pytest.mark.parametrize("width", [400, 1280])
def test_no_overflow_no_clipped_table_no_blank_chart(page: Path, width: int) -> None:
    found = measured(page, width)
    assert found["width"] == width  # measured at the width asked for
    assert found["scrollWidth"] <= found["width"] + 1, found  # no horizontal scrolling
    assert found["clipped"] == []
    assert found["charts"] >= 2 and found["blank"] == []


@pytest.mark.parametrize("width", [400, 1280])
def test_screenshots_are_drawn(page: Path, width: int) -> None:
    measured(page, width)  # writes the framed page of that width
    shot = page.with_name(f"shot-{width}.png")
    chromium(
        f"--window-size={width + 100},2400", f"--screenshot={shot}", page.with_name(f"frame-{width}.html").as_uri()
    )
    assert shot.exists() and shot.stat().st_size > 20_000  # a blank page compresses to a few kB


def test_the_check_catches_overflow_clipping_and_blank_charts(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    wide = '<table><tr><td style="white-space:nowrap">' + "x" * 300 + "</td></tr></table>"
    bad.write_text(f'<html><body>{wide}<svg class="chart" width="10" height="10"></svg></body></html>')
    found = measured(bad, 400)
    assert found["scrollWidth"] > 400 and found["clipped"] and found["blank"] == [0]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_prints_on_a4_with_every_column(page: Path) -> None:
    pdf = page.with_suffix(".pdf")
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size and abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2  # A4
    printed = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    # The district table's last column and the units table's last indicator are on the page: nothing is cut.
    lang_en = "Change on the previous period" in printed
    assert ("Change on the previous period" if lang_en else "Thay đổi so với kỳ trước") in printed
    assert ("Citizens satisfied" if lang_en else "Tỷ lệ người dân hài lòng") in printed
