"""The committed clean/ is exactly what `cleaner run` makes of raw/ today: a stale output fails."""

from __future__ import annotations

import json
from pathlib import Path

from cleaner import run

ROOT = Path(__file__).resolve().parent.parent


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _stable_manifest(data: bytes) -> dict:
    manifest = json.loads(data)
    manifest.pop("versions")
    for machine_dependent in ("timings", "peak_rss_mb", "workers"):
        manifest["summary"].pop(machine_dependent)
    manifest["summary"].pop("input")
    manifest["summary"].pop("out")
    return manifest


def test_committed_clean_output_is_current(tmp_path):
    run(ROOT / "raw", tmp_path / "clean", ROOT / "config.toml")
    fresh, committed = _files(tmp_path / "clean"), _files(ROOT / "clean")
    assert sorted(fresh) == sorted(committed), "clean/ is stale: run `cleaner run` and commit clean/"
    assert _stable_manifest(fresh.pop("manifest.json")) == _stable_manifest(committed.pop("manifest.json"))
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"clean/ is stale in {stale[:5]}: run `cleaner run` and commit clean/"
