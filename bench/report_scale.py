"""Cost of `cleaner report` on a large output, and how fast its page opens, per cluster cap.

    python bench/report_scale.py OUT_DIR [--caps 500 2000 5000 0] [--runs 3] [--opens 3]
                                 [--pythonpath DIR] [--json FILE]

For each cap, `cleaner report --max-clusters CAP` runs `--runs` times on a scratch folder whose
output files are links to OUT_DIR's (OUT_DIR itself is never written). Each run's wall seconds,
CPU seconds (user + system, which a busy machine disturbs less) and peak RSS come from
``os.wait4`` of that process alone. The page of the last run is then
opened `--opens` times in headless Chromium (Debian's, through Playwright, as
tests/test_report_browser.py opens it): seconds until the first cluster row is drawn, then until
the first cluster's side-by-side view is shown after a click. Medians are printed as a Markdown
table. `--pythonpath DIR` runs the `cleaner` package found in DIR instead (e.g. an older commit
unpacked with `git archive`), to measure before and after a change.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUTPUT_FILES = ("manifest.json", "clusters.jsonl", "corpus.jsonl", "removed.jsonl")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def scratch_copy(out_dir: Path, into: Path) -> Path:
    """A folder holding links to the output's files, so the report is written beside them, not into OUT_DIR."""
    into.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_FILES:
        if (out_dir / name).exists():
            (into / name).symlink_to((out_dir / name).resolve())
    return into


def run_report(folder: Path, cap: int, pythonpath: str | None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one `cleaner report` process."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-c", "from cleaner.cli import app; app()", "report", str(folder)]
    if cap >= 0:
        command += ["--max-clusters", str(cap)]
    clock = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - clock
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"cleaner report exited with {process.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def open_page(html: Path, opens: int) -> tuple[list[float], list[float], int]:
    """Seconds to the first cluster row and to the first cluster's diff, per opening; rows drawn."""
    from playwright.sync_api import sync_playwright

    first_rows, first_diffs, rows = [], [], 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(opens):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            clock = time.perf_counter()
            page.goto(html.as_uri(), timeout=600_000)
            page.wait_for_selector("tr.cluster", timeout=600_000)
            first_rows.append(time.perf_counter() - clock)
            rows = page.locator("tr.cluster").count()
            clock = time.perf_counter()
            page.locator("tr.cluster button.open").first.click()
            page.wait_for_selector(".diff .side-b", timeout=600_000)
            first_diffs.append(time.perf_counter() - clock)
            page.close()
        browser.close()
    return first_rows, first_diffs, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--caps", type=int, nargs="+", default=[2000], help="-1: the command's default")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--opens", type=int, default=3)
    parser.add_argument("--pythonpath", default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the measurements here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="report-scale-") as scratch:
        for cap in args.caps:
            folder = scratch_copy(args.out_dir, Path(scratch) / f"cap{cap}")
            runs = [run_report(folder, cap, args.pythonpath) for _ in range(args.runs)]
            html = folder / "report.html"
            rows, diffs, drawn = open_page(html, args.opens) if args.opens else ([], [], 0)
            shown = len(json.loads(_page_data(html))["clusters"])
            results.append(
                {
                    "cap": cap,
                    "clusters_shown": shown,
                    "seconds": [round(s, 2) for s, _, _ in runs],
                    "cpu_seconds": [round(c, 2) for _, c, _ in runs],
                    "peak_rss_mb": [round(m, 1) for _, _, m in runs],
                    "html_mb": round(html.stat().st_size / 1e6, 2),
                    "md_mb": round((folder / "report.md").stat().st_size / 1e6, 2),
                    "open_seconds": [round(s, 2) for s in rows],
                    "first_diff_seconds": [round(s, 2) for s in diffs],
                    "rows_drawn": drawn,
                }
            )
            print(json.dumps(results[-1]), flush=True)
    print("\n| cap | clusters shown | report s | CPU s | peak RSS MB | report.html MB | open s | first diff s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        med = [statistics.median(r[k]) for k in ("seconds", "cpu_seconds", "peak_rss_mb")]
        opened = [statistics.median(r[k]) if r[k] else float("nan") for k in ("open_seconds", "first_diff_seconds")]
        print(
            f"| {r['cap']} | {r['clusters_shown']:,} | {med[0]:.1f} | {med[1]:.1f} | {med[2]:,.0f} | {r['html_mb']} "
            f"| {opened[0]:.2f} | {opened[1]:.2f} |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


def _page_data(html: Path) -> str:
    text = html.read_text(encoding="utf-8")
    start = text.index('id="report-data">') + len('id="report-data">')
    return text[start : text.index("</script>", start)]


if __name__ == "__main__":
    main()
