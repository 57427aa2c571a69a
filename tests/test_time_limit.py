"""The per-document time limit: a pattern of the user's that backtracks catastrophically is stopped,
named (file, document, rule, line) with what to do, and the document is still cleaned and kept.

`(a+)+$` on a line of thirty "a" and a "b" needs about half a minute; without the limit these tests
would take that long for every such document and report nothing.
"""

from __future__ import annotations

import gc
import hashlib
import json
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import CleaningWarning, InputError, Pipeline, clean_text, explain, load_config, run
from cleaner.clean.article import cleaner_for
from cleaner.clean.timelimit import Overrun, clean_within_limit, cpu_time_limit, limit_for
from cleaner.cli import app
from cleaner.errors import ConfigError

SLOW_PATTERN = "(a+)+$"
BAD_LINE = "a" * 30 + "b"
LIMIT = 0.3
PROSE = "Der Stadtrat hat am Montag neue Pläne für den Hafen vorgestellt, die viele Fragen offen lassen."
ARTICLES = {
    "slow.txt": f"Neue Pläne für den Hafen\n\n{PROSE}\n\n{BAD_LINE}\n\nMehr aus Ihrer Region\n",
    "wire/good.txt": f"Ein Titel über die Brücke\n\n{PROSE.replace('Hafen', 'Brücke')}\n\nMehr aus Ihrer Region\n",
    "other.txt": f"Ein Titel über den Park\n\n{PROSE.replace('Hafen', 'Park')}\n",
}


def write_input(root: Path, names: list[str]) -> Path:
    raw = root / "raw"
    for name in names:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(ARTICLES[name], encoding="utf-8")
    return raw


def write_config(root: Path, patterns: list[str]) -> Path:
    """One document per chunk, so that two workers really run in two processes."""
    config = root / "config.toml"
    quoted = ", ".join(f"'{p}'" for p in patterns)
    config.write_text(
        f"[rules.custom]\nfooter = [{quoted}]\n\n[engine]\ndoc_time_limit = {LIMIT}\nchunk_docs = 1\n",
        encoding="utf-8",
    )
    return config


def checksums(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def records(out: Path) -> dict[str, dict]:
    lines = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_backtracking_rule_is_stopped_named_and_the_document_kept(tmp_path: Path, workers: int) -> None:
    raw = write_input(tmp_path, list(ARTICLES))
    config = write_config(tmp_path, ["^Mehr aus Ihrer Region$", SLOW_PATTERN])
    before = checksums(raw)

    summary = run(raw, tmp_path / "out", config, workers=workers)

    assert checksums(raw) == before
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    (error,) = manifest["summary"]["errors"]
    assert error["path"] == "slow.txt"
    assert "'slow'" in error["reason"] and "custom.footer[1]" in error["reason"]
    assert f"'{SLOW_PATTERN}'" in error["reason"] and "on line 5" in error["reason"]
    assert "cleaned again without that rule and kept" in error["reason"]
    assert "simplify" in error["hint"] and "engine.doc_time_limit" in error["hint"]
    assert not summary.ok

    got = records(tmp_path / "out")
    assert set(got) == {"slow", "wire/good", "other"}
    assert BAD_LINE in got["slow"]["text"], "the line the rule could not decide stays in the body"
    assert "Mehr aus Ihrer Region" not in got["slow"]["text"], "the user's other rule still applies"
    assert got["slow"]["title"] == "Neue Pläne für den Hafen"

    # The other documents are cleaned exactly as in a run without the slow document.
    alone = run(write_input(tmp_path / "alone", ["wire/good.txt", "other.txt"]), tmp_path / "alone-out", config)
    assert alone.ok
    assert {k: v for k, v in got.items() if k != "slow"} == records(tmp_path / "alone-out")


def test_the_cli_names_file_document_rule_says_kept_and_exits_1(tmp_path: Path) -> None:
    raw = write_input(tmp_path, list(ARTICLES))
    (raw / "empty.txt").write_bytes(b"")
    config = write_config(tmp_path, [SLOW_PATTERN])
    before = checksums(raw)

    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(tmp_path / "out"), "--config", str(config)])

    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    (slow,) = [line for line in lines if "slow.txt" in line]  # one line, however long
    assert slow.startswith("kept slow.txt: cleaning 'slow' ran out of time")
    assert f"rule custom.footer[0] '{SLOW_PATTERN}' ran too long on line 5" in slow
    assert slow.endswith("or raise engine.doc_time_limit)")
    (empty,) = [line for line in lines if "empty.txt" in line]
    assert empty.startswith("skipped empty.txt: ")
    assert lines[-1] == (
        "1 input(s) could not be read or cleaned and were skipped; "
        f"1 document(s) had a problem but were cleaned and kept; see {tmp_path / 'out'}/manifest.json"
    )
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [(e["path"], e["kept"]) for e in manifest["summary"]["errors"]] == [("empty.txt", False), ("slow.txt", True)]
    assert checksums(raw) == before
    assert set(records(tmp_path / "out")) == {"slow", "wire/good", "other"}


def test_only_kept_documents_are_not_called_unreadable(tmp_path: Path) -> None:
    raw = write_input(tmp_path, list(ARTICLES))
    config = write_config(tmp_path, [SLOW_PATTERN, "(a|a)+$"])

    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(tmp_path / "out"), "--config", str(config)])

    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines if "ran out of time" in line] == ["kept slow.txt"] * 2
    assert "skipped" not in result.stderr and "could not be read" not in result.stderr
    assert lines[-1] == (
        f"1 document(s) had a problem but were cleaned and kept; see {tmp_path / 'out'}/manifest.json"
    ), "a document that ran out of time twice is one document"


def cleaner_with(patterns: list[str]):
    return cleaner_for(load_config({"rules": {"custom": {"footer": patterns}}}))


def test_of_several_rules_of_the_user_the_one_that_backtracks_is_named() -> None:
    cleaner = cleaner_with(["^Mehr aus Ihrer Region$", "^Noch mehr$", SLOW_PATTERN])
    doc, overruns = clean_within_limit(cleaner, LIMIT, ARTICLES["slow.txt"], doc_id="slow")
    assert [o.rule for o in overruns] == ["custom.footer[2]"]
    assert [(r.rule, r.text) for r in doc.removals if r.rule.startswith("custom")] == [
        ("custom.footer[0]", "Mehr aus Ihrer Region")
    ]


def test_each_backtracking_rule_is_named_and_the_document_still_kept() -> None:
    cleaner = cleaner_with([SLOW_PATTERN, "(a|a)+$"])
    doc, overruns = clean_within_limit(cleaner, LIMIT, ARTICLES["slow.txt"], doc_id="slow")
    assert sorted(o.rule for o in overruns) == ["custom.footer[0]", "custom.footer[1]"]
    assert BAD_LINE in doc.paragraphs


def test_a_document_that_runs_out_of_time_with_no_rule_to_blame_is_kept_uncleaned() -> None:
    # A limit far below what a long document needs: the built-in cleaning itself is stopped.
    text = "Titel\n\n" + f"{PROSE}\n" * 3000
    doc, overruns = clean_within_limit(cleaner_with([]), 0.001, text, doc_id="long", path="long.txt")
    (overrun,) = overruns
    assert overrun.rule is None
    assert "kept uncleaned" in overrun.reason() and "engine.doc_time_limit" in overrun.hint()
    assert doc.id == "long" and doc.path == "long.txt"
    assert doc.paragraphs == ["Titel", *[PROSE] * 3000]
    assert doc.paragraph_lines == [1, *range(3, 3003)]


def test_no_limit_when_it_is_off_or_outside_the_main_thread() -> None:
    slow_but_finite = "a" * 21 + "b"  # about 50 ms for the pattern
    text = ARTICLES["slow.txt"].replace(BAD_LINE, slow_but_finite)
    cleaner = cleaner_with([SLOW_PATTERN])
    _, overruns = clean_within_limit(cleaner, 0, text, doc_id="slow")
    assert overruns == []

    found: list[tuple[bool, list[Overrun]]] = []

    def in_a_thread() -> None:
        with cpu_time_limit(LIMIT) as kept:
            pass
        found.append((kept, clean_within_limit(cleaner, 0.001, text, doc_id="slow")[1]))

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert found == [(False, [])]
    with cpu_time_limit(LIMIT) as kept:
        assert kept


def test_the_limit_grows_with_long_documents() -> None:
    assert limit_for(2.0, "x" * 1000) == 2.0
    assert limit_for(2.0, "x" * 300_000) == 6.0


@pytest.mark.parametrize("value", [-1, float("nan"), "5s"])
def test_a_bad_limit_is_a_config_error_naming_the_key(value: object) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config({"engine": {"doc_time_limit": value}})
    assert caught.value.key == "engine.doc_time_limit"


def test_the_default_limit_is_on() -> None:
    assert load_config(None).section("engine")["doc_time_limit"] > 0


SLOW_CONFIG = {"rules": {"custom": {"footer": [SLOW_PATTERN]}}, "engine": {"doc_time_limit": LIMIT}}


def test_the_stream_keeps_the_document_and_names_its_position() -> None:
    heard: list[InputError] = []
    with Pipeline(SLOW_CONFIG, on_error=heard.append) as pipe:
        got = list(pipe.process([ARTICLES["other.txt"], {"id": "slow", "text": ARTICLES["slow.txt"]}], name="feed"))

    assert [r["id"] for r in got] == ["feed-1", "slow"]
    assert BAD_LINE in got[1]["text"] and got[1]["title"] == "Neue Pläne für den Hafen"
    (error,) = pipe.errors
    assert heard == [error]
    assert (error.path, error.line, error.kept) == ("feed", 2, True)
    assert "custom.footer[0]" in error.reason and "cleaned again without that rule and kept" in error.reason
    assert [e.kept for e in pipe.summary().errors] == [True]


def test_cleaner_run_stdin_says_kept_with_the_line_and_exits_1(tmp_path: Path) -> None:
    config = write_config(tmp_path, [SLOW_PATTERN])
    lines = [{"id": "other", "text": ARTICLES["other.txt"]}, {"id": "slow", "text": ARTICLES["slow.txt"]}, {"id": 3}]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)

    result = CliRunner().invoke(app, ["run", "-", "--config", str(config)], input=stdin)

    assert result.exit_code == 1, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["other", "slow"]
    said = result.stderr.splitlines()
    assert [line.split(": ")[0] for line in said[:2]] == ["kept stdin:2", "skipped stdin:3"]
    assert "custom.footer[0]" in said[0]
    assert said[-1] == "1 record(s) skipped, 1 record(s) kept with a problem, each named above"


def test_clean_text_keeps_the_document_and_warns_or_tells_on_error() -> None:
    with pytest.warns(CleaningWarning, match=r"custom\.footer\[0\]") as warned:
        doc = clean_text(ARTICLES["slow.txt"], config=SLOW_CONFIG, doc_id="slow")
    assert BAD_LINE in doc.paragraphs and doc.title == "Neue Pläne für den Hafen"
    assert warned[0].message.error.kept and warned[0].filename == __file__, "the warning points at the caller"

    heard: list[InputError] = []
    assert clean_text(ARTICLES["slow.txt"], config=SLOW_CONFIG, on_error=heard.append).text == doc.text
    assert [(e.path, e.kept) for e in heard] == [("text", True)]


def test_explain_shows_the_kept_document_and_names_the_rule(tmp_path: Path) -> None:
    raw = write_input(tmp_path, ["slow.txt"])
    config = write_config(tmp_path, ["^Mehr aus Ihrer Region$", SLOW_PATTERN])

    heard: list[InputError] = []
    fates = explain(raw / "slow.txt", config, on_error=heard.append)
    assert [(f.line, f.fate) for f in fates if f.fate != "blank"] == [
        (1, "title"),
        (3, "body"),
        (5, "body"),
        (7, "boilerplate"),
    ]
    assert [e.kept for e in heard] == [True]

    result = CliRunner().invoke(app, ["explain", str(raw / "slow.txt"), "--config", str(config)])
    assert result.exit_code == 1, result.output
    assert "   5  body" in result.stdout
    (said,) = result.stderr.splitlines()
    assert said.startswith(f"kept {raw / 'slow.txt'}: cleaning 'slow' ran out of time") and "custom.footer[1]" in said


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_limit_that_strikes_while_a_gc_callback_runs_strikes_again() -> None:
    """Python drops an exception raised in a garbage-collector callback; the limit must not."""

    def slow_callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":  # most of the CPU goes here, so the first strike most likely lands here
            end = time.process_time() + 0.002
            while time.process_time() < end:
                pass

    text = "Titel\n\n" + f"{PROSE}\n" * 3000
    gc.callbacks.append(slow_callback)
    try:
        doc, overruns = clean_within_limit(cleaner_with([]), 0.001, text, doc_id="long", path="long.txt")
    finally:
        gc.callbacks.remove(slow_callback)
    assert [o.rule for o in overruns] == [None]
    assert doc.paragraphs  # kept uncleaned, not lost
