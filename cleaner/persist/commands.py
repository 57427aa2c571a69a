"""``cleaner index stats|export|remove``: inspect and maintain a persistent index.

A typer sub-app, thin like the rest of the CLI: each command is one call on
:class:`~cleaner.persist.ingest.PersistentIndex`. The index is ``--index PATH`` or the config's
``[index] path``. Errors (no index given, a missing, damaged or newer index file) end the
command with a one-line message naming the file and exit status 2; ``remove`` with ids that are
not indexed removes the others and exits with 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cleaner.config import Config, load_config
from cleaner.dedup.settings import DedupSettings
from cleaner.errors import CleanerError, ConfigError
from cleaner.io.writers import dumps
from cleaner.persist import index_path
from cleaner.persist.ingest import PersistentIndex
from cleaner.review.decisions import decisions_path, load_decisions

app = typer.Typer(
    no_args_is_help=True,
    help="Inspect and maintain a persistent index (see `cleaner run --index`).",
)
err = Console(stderr=True, highlight=False)

IndexOption = Annotated[Path | None, typer.Option("--index", "-i", help="Index file; default [index] path.")]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="TOML config; default ./config.toml, else built-in.")
]


@app.command("stats")
def stats_command(
    index: IndexOption = None,
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Documents, clusters, ingestions, size on disk, schema version, when created and updated.

    Example: cleaner index stats --index news.index.sqlite
    """
    with _errors():
        path, _ = _where(index, config)
        with PersistentIndex(path) as opened:
            stats = opened.stats()
    if as_json:
        typer.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    out = Console(highlight=False)
    out.print(escape(stats["path"]))
    rows = [
        ("documents", f"{stats['documents']:,}"),
        ("clusters", f"{stats['clusters']:,} (of two or more documents)"),
        ("ingestions", f"{stats['ingests']:,}"),
        ("size on disk", f"{stats['bytes'] / 1e6:,.1f} MB"),
        ("schema", f"{stats['schema_version']} (written by cleaner {stats['cleaner_version']})"),
        ("created", stats["created"]),
        ("updated", stats["updated"]),
    ]
    for label, value in rows:
        out.print(f"  {label:<14}{escape(str(value))}")


@app.command("export")
def export_command(
    index: IndexOption = None,
    config: ConfigOption = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file; default stdout.")] = None,
) -> None:
    """Every indexed document as one JSON line: id, cluster, duplicate_of, date, sizes, measures.

    No text: the index holds none. Example: cleaner index export --index news.index.sqlite > index.jsonl
    """
    with _errors():
        path, _ = _where(index, config)
        with PersistentIndex(path) as opened:
            sink = out.open("w", encoding="utf-8", newline="\n") if out else sys.stdout
            try:
                for record in opened.export():
                    sink.write(dumps(record) + "\n")
            finally:
                if out:
                    sink.close()


@app.command("remove")
def remove_command(
    ids: Annotated[list[str], typer.Argument(help="Ids of the documents to remove.")],
    index: IndexOption = None,
    config: ConfigOption = None,
) -> None:
    """Remove documents from the index; their clusters are formed again from the links left.

    A removed canonical hands its cluster over (to a document that was canonical before, else the
    best-ranked remaining one). Example: cleaner index remove wire/fed-rates --index news.index.sqlite
    """
    with _errors():
        path, cfg = _where(index, config)
        settings = DedupSettings.from_config(cfg.section("dedup"))
        decisions = load_decisions(decisions_path(cfg))
        with PersistentIndex(path, settings, timeout=cfg.section("index")["timeout"]) as opened:
            missing, changed = opened.remove(ids, decisions.distinct, decisions.merged)
    removed = len(set(ids)) - len(set(missing))
    err.print(f"removed {removed} document(s) from {escape(str(path))}; {changed} indexed document(s) changed cluster")
    if missing:
        err.print(f"[yellow]not in the index:[/yellow] {escape(', '.join(missing))}")
        raise typer.Exit(1)


def _where(index: Path | None, config: Path | None) -> tuple[Path, Config]:
    """The index file to use and the config: ``--index``, else the config's ``[index] path``."""
    if config is None and Path("config.toml").exists():
        config = Path("config.toml")
    cfg = load_config(config)
    path = index or index_path(cfg)
    if path is None:
        raise CleanerError("no index given: pass --index PATH, or set [index] path in the config")
    return path, cfg


@contextmanager
def _errors() -> Iterator[None]:
    """As the other commands: a one-line message and exit status 2."""
    try:
        yield
    except ConfigError as exc:
        err.print(f"[red]config error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except CleanerError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
