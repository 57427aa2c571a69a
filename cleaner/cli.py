"""The ``cleaner`` command: a thin typer shell over :mod:`cleaner.pipeline`.

Exit codes: 0 success, 1 some inputs could not be read (the rest was written) or a document was
kept with a problem, 2 usage or configuration errors. Progress goes to stderr and only when stderr
is a terminal; messages go to stderr unwrapped (see :func:`_say`).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cleaner.config import Config, load_config, with_overrides
from cleaner.errors import CleanerError, ConfigError, InputError
from cleaner.io.corpus import corpus_files
from cleaner.io.readers import ReadError
from cleaner.io.writers import dumps
from cleaner.persist import index_path
from cleaner.persist.commands import app as index_app
from cleaner.pipeline import RunSummary, explain, run
from cleaner.report import load, write_reports
from cleaner.report.data import CorpusIds
from cleaner.review import decisions_path, load_decisions
from cleaner.review.session import Review, list_decisions
from cleaner.stream import Pipeline

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="Turn folders of raw scraped news articles into a clean, clustered corpus.",
)
err = Console(stderr=True, highlight=False)


def _say(markup: str) -> None:
    """Print one message on stderr, never wrapped: the console would break lines at 80 columns when
    stderr is a file or a pipe, splitting paths and commands (``pip install 'cleaner[parquet]'``)
    that users copy from logs, and hiding phrases from anyone who greps them."""
    err.print(markup, soft_wrap=True)


app.add_typer(index_app, name="index")

DEFAULT_CONFIG = Path("config.toml")


def _config(path: Path | None) -> Config:
    """The given config, else ./config.toml when present, else the built-in defaults."""
    if path is None and DEFAULT_CONFIG.exists():
        path = DEFAULT_CONFIG
    return load_config(path)


@contextmanager
def _usage_errors() -> Iterator[None]:
    """Config and usage errors end the command with a one-line message and exit status 2."""
    try:
        yield
    except ConfigError as exc:
        _say(f"[red]config error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except CleanerError as exc:
        _say(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None


@app.callback()
def main() -> None:
    """Clean and cluster scraped news. Run `cleaner COMMAND --help` for a command's options."""


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"


class OutputLayout(StrEnum):
    single = "single"
    parts = "parts"


class EngineKind(StrEnum):
    local = "local"
    dask = "dask"


@app.command("run")
def run_command(
    input: Annotated[
        Path,
        typer.Argument(
            help="Folder of raw articles (.txt tree, .jsonl, .jsonl.gz, .parquet), one such file, "
            "or - for JSONL records on stdin (results go to stdout)."
        ),
    ] = Path("raw"),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder, replaced atomically; default clean.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML config; default ./config.toml, else built-in.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON on stdout (on stderr with -).")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Worker processes; default engine.workers, else one per core."),
    ] = None,
    engine: Annotated[
        EngineKind | None,
        typer.Option("--engine", help="local: processes on this machine; dask: a Dask cluster. Default engine.kind."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (implies --engine dask); none: a local cluster."),
    ] = None,
    index: Annotated[
        Path | None,
        typer.Option(
            "--index", help="Persistent index: dedup against all indexed before, then add the new; default index.path."
        ),
    ] = None,
    text_field: Annotated[
        str | None, typer.Option("--text-field", help="Record field holding the article; overrides input.text_field.")
    ] = None,
    id_field: Annotated[
        str | None, typer.Option("--id-field", help="Record field holding the id; overrides input.id_field.")
    ] = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="parquet: write corpus.parquet beside corpus.jsonl; default output.format."),
    ] = None,
    layout: Annotated[
        OutputLayout | None,
        typer.Option(
            "--layout",
            help="parts: the corpus as corpus/part-NNNNN.jsonl, one per chunk, written by the workers; "
            "default output.layout (single: corpus.jsonl).",
        ),
    ] = None,
) -> None:
    """Clean every article under INPUT and write the corpus to OUT.

    Example: cleaner run raw --out clean --config config.toml --workers 2

    On a Dask cluster: cleaner run raw --out /shared/clean --engine dask --scheduler tcp://10.0.0.5:8786

    Streaming: scraper | cleaner run - --text-field body | loader
    """
    with _usage_errors():
        cfg = _with_options(_config(config), text_field, id_field, fmt, layout)
        if str(input) == "-":
            given = {"--out": out, "--workers": workers, "--engine": engine, "--scheduler": scheduler}
            _refuse_folder_options({**given, "--index": index, "--format": fmt, "--layout": layout})
            raise typer.Exit(_run_stdin(cfg, as_json))
        summary = _run_with_progress(input, out or Path("clean"), cfg, workers, engine, scheduler, index)
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_summary(summary)
    raise typer.Exit(0 if summary.ok else 1)


_STAGES = {
    "clean": "reading and cleaning files",
    "sign": "sketching chunks",
    "pairs": "grouping band keys on the cluster",
    "verify": "verifying candidate pairs",
    "write": "writing documents",
}


def _run_with_progress(
    input: Path,
    out: Path,
    cfg: Config,
    workers: int | None,
    engine: EngineKind | None,
    scheduler: str | None,
    index: Path | None = None,
) -> RunSummary:
    kind = engine.value if engine is not None else None
    options = {"workers": workers, "engine_kind": kind, "scheduler": scheduler, "notify": _notice, "index": index}
    if not sys.stderr.isatty():
        return run(input, out, cfg, **options)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def show(stage: str, done: int, total: int) -> None:
            bar.update(task, description=_STAGES.get(stage, stage), completed=done, total=total)

        return run(input, out, cfg, progress=show, **options)


def _notice(message: str) -> None:
    """What the engine says about where it runs (the Dask dashboard's address), on stderr."""
    _say(escape(message))


def _with_options(
    cfg: Config,
    text_field: str | None,
    id_field: str | None,
    fmt: OutputFormat | None,
    layout: OutputLayout | None = None,
) -> Config:
    """The config with the command line's --text-field, --id-field, --format and --layout over it."""
    overrides: dict[str, dict[str, str]] = {}
    fields = {"text_field": text_field, "id_field": id_field}
    if any(value is not None for value in fields.values()):
        overrides["input"] = {key: value for key, value in fields.items() if value is not None}
    if fmt is not None:
        overrides["output"] = {"format": fmt.value}
    if layout is not None:
        overrides.setdefault("output", {})["layout"] = layout.value
    return with_overrides(cfg, overrides) if overrides else cfg


def _refuse_folder_options(given: dict[str, object]) -> None:
    """Options of folder runs are an error with stdin, not ignored; a configured index is named."""
    for option, value in given.items():
        if value is not None:
            raise CleanerError(
                f"{option} does not apply to `cleaner run -`: records are read from stdin and written to "
                "stdout as JSON Lines, in one process, deduplicated against each other only; to write an "
                "output folder or use the index, save the records to a .jsonl file and run on it"
            )


def _run_stdin(cfg: Config, as_json: bool) -> int:
    """`cleaner run -`: each JSONL record from stdin is cleaned, placed in its cluster and written
    to stdout at once; skipped records, progress and the summary go to stderr. Returns the exit code."""
    if sys.stdin.isatty():
        _say("reading JSON Lines records from stdin (end with Ctrl-D)")
    if index_path(cfg) is not None:
        note = f"the records are not deduplicated against the index {index_path(cfg)} ([index] path): "
        _say("[yellow]note:[/yellow] " + escape(note + "`cleaner run -` compares them with each other only"))
    sink = sys.stdout.buffer
    written = 0
    with Pipeline(cfg, on_error=_print_problem) as pipe, _record_counter() as count:
        try:
            for record in pipe.process_jsonl(sys.stdin.buffer, name="stdin"):
                sink.write(dumps(record).encode("utf-8") + b"\n")
                sink.flush()
                written += 1
                count(written)
        except BrokenPipeError:
            # The reader downstream is gone: stop quietly, and keep Python from failing on exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            _say(f"[yellow]stdout was closed after {written} records; stopped reading stdin[/yellow]")
            return 1
        summary = pipe.summary()
    if as_json:
        sys.stderr.write(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _say(
            f"{summary.documents} documents -> stdout  |  clusters {summary.clusters}, duplicates "
            f"{summary.duplicates} ({summary.duplicate_rate:.1%})  |  comments {summary.comments}"
        )
        if summary.errors:
            skipped, kept = _tally(summary.errors)
            told = [f"{skipped} record(s) skipped"] if skipped else []
            told += [f"{kept} record(s) kept with a problem"] if kept else []
            _say(f"[yellow]{', '.join(told)}, each named above[/yellow]")
    return 0 if summary.ok else 1


def _print_problem(error: ReadError | InputError) -> None:
    """One line for an input: ``skipped`` when it is not in the output, ``kept`` when it is but
    had a problem (its cleaning ran out of time); the path (and line), the reason, what to do."""
    where = f"{error.path}:{error.line}" if error.line is not None else error.path
    hint = f" ({error.hint})" if error.hint else ""
    _say(f"[yellow]{'kept' if error.kept else 'skipped'}[/yellow] {escape(where)}: {escape(error.reason + hint)}")


def _tally(errors: list[ReadError]) -> tuple[int, int]:
    """(inputs skipped, documents kept with a problem): a kept document counts once however many
    times its cleaning ran out of time."""
    skipped = sum(not e.kept for e in errors)
    return skipped, len({(e.path, e.line) for e in errors if e.kept})


@contextmanager
def _record_counter() -> Iterator[Callable[[int], None]]:
    """A live count of the records written, on a terminal only."""
    if not sys.stderr.isatty():
        yield lambda done: None
        return
    with Progress(TextColumn("{task.completed} records"), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("stdin", total=None)
        yield lambda done: bar.update(task, completed=done)


def _print_summary(summary: RunSummary) -> None:
    removed = ", ".join(f"{k} {v}" for k, v in sorted(summary.removals.items())) or "nothing"
    _say(
        f"{summary.documents} documents -> {escape(summary.out)}/  |  clusters {summary.clusters}, "
        f"duplicates {summary.duplicates} ({summary.duplicate_rate:.1%})  |  comments {summary.comments}"
    )
    _say(f"removed lines: {removed}")
    if summary.index:
        found = summary.index
        _say(
            f"index {escape(found['index'])}: {found['matched']} matched documents indexed before, {found['added']} "
            f"added, {found['known']} were indexed already  |  now {found['documents']} documents, "
            f"{found['clusters']} clusters"
        )
    for e in summary.errors:
        _print_problem(e)
    if summary.errors:
        skipped, kept = _tally(summary.errors)
        told = [f"{skipped} input(s) could not be read or cleaned and were skipped"] if skipped else []
        told += [f"{kept} document(s) had a problem but were cleaned and kept"] if kept else []
        _say(f"[yellow]{'; '.join(told)}; see {escape(summary.out)}/manifest.json[/yellow]")


@app.command("explain")
def explain_command(
    file: Annotated[Path, typer.Argument(help="One raw article file.")],
    config: Annotated[Path | None, typer.Option("--config", "-c", help="TOML config.")] = None,
) -> None:
    """Print each line of FILE with its fate (body, or what removed it and which rule).

    Exit status 1 when cleaning ran out of time (engine.doc_time_limit): the rule to blame is named
    on stderr and the fates are those of the document kept without it.

    Example: cleaner explain raw/tagesschau/nato-antwort.txt
    """
    problems: list[InputError] = []
    with _usage_errors():
        fates = explain(file, _config(config), on_error=problems.append)
    out = Console(highlight=False, soft_wrap=True)
    for f in fates:
        if f.fate == "blank":
            continue
        label = f.fate if f.rule is None else f"{f.fate} ({f.rule})"
        style = "green" if f.fate == "body" else "dim"
        shown = f.text if len(f.text) <= 100 else f.text[:97] + "..."
        out.print(f"{f.line:>4}  [{style}]{escape(label):<44}[/{style}] {escape(shown)}")
    for problem in problems:
        _print_problem(problem)
    if problems:
        raise typer.Exit(1)


@app.command("report")
def report_command(
    clean_dir: Annotated[Path, typer.Argument(help="Output folder of `cleaner run`.")] = Path("clean"),
    max_clusters: Annotated[
        int | None,
        typer.Option(
            "--max-clusters", min=0, help="Show at most N clusters, largest first (0: all); default: [report] config."
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML config; its [report] max_clusters is the default.")
    ] = None,
) -> None:
    """Rewrite CLEAN_DIR/report.html and CLEAN_DIR/report.md from the output files.

    Example: cleaner report clean --max-clusters 500
    """
    with _usage_errors():
        if max_clusters is None:
            max_clusters = _config(config).section("report")["max_clusters"]
        write_reports(clean_dir, max_clusters)
    _say(escape(f"wrote {clean_dir}/report.html and {clean_dir}/report.md"))


@app.command("review")
def review_command(
    clean_dir: Annotated[Path, typer.Argument(help="Output folder of `cleaner run`.")] = Path("clean"),
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML config; its [review] decisions names the file.")
    ] = None,
    list_only: Annotated[
        bool, typer.Option("--list", help="Print the decisions and the ids no longer in the corpus.")
    ] = False,
) -> None:
    """Walk through the clusters of CLEAN_DIR, least certain first, and record decisions.

    Decisions are appended to the review file ([review] decisions, next to the config) and
    obeyed by the next `cleaner run`.

    Example: cleaner review clean; cleaner review --list
    """
    out = Console(highlight=False)
    with _usage_errors():
        path = decisions_path(_config(config))
        decisions = load_decisions(path)
        if list_only:
            files = corpus_files(clean_dir)
            known = CorpusIds(*files).present(decisions.ids()) if all(f.exists() for f in files) else None
            list_decisions(decisions, out, known)
            return
        data = load(clean_dir)
    Review(data, path, out, ask=lambda prompt: out.input(prompt, markup=False)).run()
