"""The ``cleaner`` command: a thin typer shell over :mod:`cleaner.pipeline`.

Exit codes: 0 success, 1 some inputs could not be read (the rest was written), 2 usage or
configuration errors. Progress goes to stderr and only when stderr is a terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cleaner.config import Config, load_config
from cleaner.errors import CleanerError, ConfigError
from cleaner.persist.commands import app as index_app
from cleaner.pipeline import RunSummary, explain, run
from cleaner.report import load, write_reports
from cleaner.review import decisions_path, load_decisions
from cleaner.review.session import Review, list_decisions

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="Turn folders of raw scraped news articles into a clean, clustered corpus.",
)
err = Console(stderr=True, highlight=False)
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
        err.print(f"[red]config error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except CleanerError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None


@app.callback()
def main() -> None:
    """Clean and cluster scraped news. Run `cleaner COMMAND --help` for a command's options."""


class EngineKind(StrEnum):
    local = "local"
    dask = "dask"


@app.command("run")
def run_command(
    input: Annotated[
        Path, typer.Argument(help="Folder of raw articles (.txt tree, .jsonl) or one .jsonl file.")
    ] = Path("raw"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder, replaced atomically.")] = Path("clean"),
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML config; default ./config.toml, else built-in.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
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
) -> None:
    """Clean every article under INPUT and write the corpus to OUT.

    Example: cleaner run raw --out clean --config config.toml --workers 2

    On a Dask cluster: cleaner run raw --out /shared/clean --engine dask --scheduler tcp://10.0.0.5:8786
    """
    with _usage_errors():
        summary = _run_with_progress(input, out, _config(config), workers, engine, scheduler, index)
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
    err.print(escape(message), soft_wrap=True)


def _print_summary(summary: RunSummary) -> None:
    removed = ", ".join(f"{k} {v}" for k, v in sorted(summary.removals.items())) or "nothing"
    err.print(
        f"{summary.documents} documents -> {summary.out}/  |  clusters {summary.clusters}, "
        f"duplicates {summary.duplicates} ({summary.duplicate_rate:.1%})  |  comments {summary.comments}"
    )
    err.print(f"removed lines: {removed}")
    if summary.index:
        found = summary.index
        err.print(
            f"index {escape(found['index'])}: {found['matched']} matched documents indexed before, {found['added']} "
            f"added, {found['known']} were indexed already  |  now {found['documents']} documents, "
            f"{found['clusters']} clusters"
        )
    for e in summary.errors:
        where = f"{e.path}:{e.line}" if e.line is not None else e.path
        hint = f" ({e.hint})" if e.hint else ""
        err.print(f"[yellow]skipped[/yellow] {escape(where)}: {escape(e.reason + hint)}")
    if summary.errors:
        err.print(f"[yellow]{len(summary.errors)} input(s) could not be read; see {summary.out}/manifest.json[/yellow]")


@app.command("explain")
def explain_command(
    file: Annotated[Path, typer.Argument(help="One raw article file.")],
    config: Annotated[Path | None, typer.Option("--config", "-c", help="TOML config.")] = None,
) -> None:
    """Print each line of FILE with its fate (body, or what removed it and which rule).

    Example: cleaner explain raw/tagesschau/nato-antwort.txt
    """
    with _usage_errors():
        fates = explain(file, _config(config))
    out = Console(highlight=False, soft_wrap=True)
    for f in fates:
        if f.fate == "blank":
            continue
        label = f.fate if f.rule is None else f"{f.fate} ({f.rule})"
        style = "green" if f.fate == "body" else "dim"
        shown = f.text if len(f.text) <= 100 else f.text[:97] + "..."
        out.print(f"{f.line:>4}  [{style}]{escape(label):<44}[/{style}] {escape(shown)}")


@app.command("report")
def report_command(
    clean_dir: Annotated[Path, typer.Argument(help="Output folder of `cleaner run`.")] = Path("clean"),
) -> None:
    """Rewrite CLEAN_DIR/report.html and CLEAN_DIR/report.md from the output files.

    Example: cleaner report clean
    """
    with _usage_errors():
        write_reports(clean_dir)
    err.print(f"wrote {clean_dir}/report.html and {clean_dir}/report.md")


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
            known = load(clean_dir).ids if (clean_dir / "corpus.jsonl").exists() else None
            list_decisions(decisions, out, known)
            return
        data = load(clean_dir)
    Review(data, path, out, ask=lambda prompt: out.input(prompt, markup=False)).run()
