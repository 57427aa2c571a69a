"""report.html in a real headless Chromium (Debian's, never a downloaded one), as a user sees it.

Skips with a message where chromium or Playwright is missing; CI (`.ci/run`) installs chromium.
The screenshot goes to test-artifacts/ (gitignored), where CI keeps it.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from cleaner import run
from cleaner.report import write_reports
from cleaner.report.diff import words

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory):
    """A browser page with the report of raw/ open from disk."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")
    out = tmp_path_factory.mktemp("browser") / "clean"
    run(ROOT / "raw", out, {})
    write_reports(out)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium"), args=ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        clock = time.perf_counter()
        page.goto((out / "report.html").as_uri())
        page.wait_for_selector("tr.cluster")
        page.opened_in = time.perf_counter() - clock
        page.script_errors = errors
        page.out_dir = out
        yield page
        browser.close()


def test_report_opens_lists_clusters_and_shows_a_diff(page) -> None:
    assert page.opened_in < 5, "the report of raw/ opens at once"
    assert page.locator("tr.cluster").count() == 2
    assert page.inner_text("#count") == "2 of 2 clusters"
    assert "18.8%" in page.inner_text("#summary")
    assert page.locator("svg.histogram line.threshold").count() == 2

    # Open the water-fine cluster: members, and the edited Guardian copy beside the wire canonical.
    page.locator("tr.cluster", has_text="Severnside").locator("button.open").click()
    page.wait_for_selector(".diff .side-b")
    members = page.locator("table.members tbody tr")
    assert members.count() == 3
    assert "guardian/severnside-water-fined" in members.nth(1).inner_text()
    changed_member = " ".join(page.locator(".side-b .chg").all_inner_texts())
    changed_canonical = " ".join(page.locator(".side-a .chg").all_inner_texts())
    assert "failed" in changed_member and "did not" in changed_canonical
    assert "Later on Monday" in changed_canonical, "a paragraph only the canonical has is marked"
    assert "systematically under-recorded spills" in " ".join(page.locator(".side-b .same").all_inner_texts())
    # The member's text, shipped as a delta against the canonical, renders word for word.
    corpus = (page.out_dir / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    guardian = next(r for r in map(json.loads, corpus) if r["id"] == "guardian/severnside-water-fined")
    assert words(" ".join(page.locator(".side-b p").all_inner_texts())) == words(guardian["text"])
    removed = page.locator(".side-a .removed").all_inner_texts()
    assert any("By Jane Doe | Reuters" in line for line in removed), "removed header lines are greyed in"
    assert page.locator(".side-a .removed").first.evaluate("e => getComputedStyle(e).color") == "rgb(154, 154, 160)"

    # Another member on demand.
    page.locator("button.compare").nth(1).click()
    assert "wire/severnside-water-fine" in page.inner_text(".side-b .meta")
    page.locator("button.compare").nth(0).click()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-raw.png"), full_page=True)
    assert not page.script_errors


def test_filters_narrow_the_list(page) -> None:
    from playwright.sync_api import expect

    rows = page.locator("tr.cluster .meta")
    page.fill("#q", "güterzug")
    expect(rows).to_have_text(["mainbote/zugunglueck-bad-sellheim"])
    expect(page.locator("#count")).to_have_text("1 of 2 clusters")
    page.fill("#q", "")
    expect(rows).to_have_count(2)
    page.select_option("#source", "guardian")
    expect(rows).to_have_text(["wire/severnside-water-fine-update"])
    page.select_option("#source", "")
    expect(rows).to_have_count(2)
    page.fill("#hi", "0.9")  # only clusters with a member below 0.9
    expect(rows).to_have_text(["wire/severnside-water-fine-update"])
    page.fill("#q", "no such words anywhere")
    expect(page.locator("#count")).to_have_text("0 of 2 clusters")
    assert "No cluster matches" in page.inner_text("#cluster-rows")
    assert not page.script_errors
