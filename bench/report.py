"""Turn bench/results/whole_run_n<N>.json into Markdown, and into a section of bench/RESULTS.md.

    python bench/report.py [--results bench/results] [--print-only]

run_bench.py calls this after measuring; run it alone to re-render RESULTS.md from the JSON. The
section "Whole run and dedup vs datasketch" is rewritten between its two markers only, so the
hand-written sections around it stay as they are.

The extrapolation to 1,000,000 documents fits t = a * n^b through the medians at the two largest
sizes measured, where fixed start-up costs weigh least. Only results of the same code and worker
count as the newest one are fitted together: a fit across versions would measure the change.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BEGIN = "<!-- bench:whole-run:begin (written by bench/report.py from bench/results/*.json) -->"
END = "<!-- bench:whole-run:end -->"
HEADING = "## Whole run and dedup vs datasketch"
TARGET_N = 1_000_000
# Stages in pipeline order for the tables; keys a manifest adds beyond these follow in their own order.
PIPELINE = ("read", "clean", "boilerplate", "signature", "candidates", "verify", "cluster", "write")


def rates(n: int, raw_mb: float, seconds: float) -> dict[str, float | None]:
    """Documents and raw-input MB per second for a stage that took `seconds` over the whole corpus."""
    if seconds < 0.001:  # below the manifest's resolution: a rate would be noise
        return {"docs_per_s": None, "mb_per_s": None}
    return {"docs_per_s": round(n / seconds), "mb_per_s": round(raw_mb / seconds, 2)}


def load(results_dir: Path) -> list[dict]:
    """All whole-run results, smallest N first."""
    return sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in results_dir.glob("whole_run_n*.json")),
        key=lambda r: r["n"],
    )


def comparable(results: list[dict]) -> list[dict]:
    """The results measured with the same code and workers as the newest one."""
    if not results:
        return []
    newest = max(results, key=lambda r: r["date"])
    return [r for r in results if r["code"] == newest["code"] and r["workers"] == newest["workers"]]


def fit(points: list[tuple[int, float | None]]) -> tuple[float, float] | None:
    """(a, b) of value = a * n^b by least squares on logs; None without two sizes or with zeros."""
    pts = [(math.log(n), math.log(v)) for n, v in points if v and v > 0]
    if len({x for x, _ in pts}) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    b = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    return math.exp(my - b * mx), b


def metrics(result: dict) -> dict[str, float]:
    """The quantities extrapolated, by display name."""
    ours, base = result["cleaner"], result["baseline"]
    out = {
        "cleaner whole run, s": ours["wall_seconds"],
        "cleaner whole run, CPU s": ours.get("cpu_seconds"),
        "cleaner peak RSS, MB": ours["peak_rss_mb"],
        "cleaner dedup stages, s": ours["dedup_seconds"],
    }
    out.update({f"cleaner stage {k}, s": ours["stages"][k]["seconds"] for k in _ordered(ours["stages"])})
    out["datasketch dedup, s"] = base["dedup_seconds"]
    out["datasketch peak RSS, MB"] = base["peak_rss_mb"]
    return out


def _ordered(keys: list[str]) -> list[str]:
    """Stage keys without repeats, pipeline stages first in pipeline order."""
    unique = list(dict.fromkeys(keys))
    return [k for k in PIPELINE if k in unique] + [k for k in unique if k not in PIPELINE]


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if digits else f"{value:,.0f}"


def _f1(p: dict) -> str:
    return f"{p['f1']:.3f} (P {p['precision']:.3f}, R {p['recall']:.3f})"


def render(results: list[dict]) -> str:
    """The section body (between the markers) for the comparable results."""
    rows = comparable(results)
    if not rows:
        return "No results yet: run `python bench/run_bench.py`."
    first = rows[-1]
    m = first["machine"]
    workers = first["workers"] if first["workers"] is not None else "none (this cleaner has no --workers)"
    lines = [
        "```",
        f"python bench/run_bench.py --n {' '.join(str(r['n']) for r in rows)} --runs {first['runs']}"
        + (f" --workers {first['workers']}" if first["workers"] is not None else ""),
        "```",
        "",
        f"Measured {first['date']} on {m['cpus']} cores ({m['cpu']}), {m['memory_gb']} GiB, Python {m['python']}; "
        f"code `{first['code']}`, workers: {workers}. Median of {first['runs']} runs each; load average before "
        f"the runs (other people's work on the same cores): {_loads(rows)}. `bench/make_corpus.py` "
        "builds the corpus from `../shared/corpus` (sentences recombined into distinct stories, 7 % of stories "
        "with 1–3 copies: wire copies, edits, teasers, updates, extended copies; thirteen outlet layouts with "
        "headers, credits and comment sections). The whole run is the `cleaner run` process from start to exit, "
        "RSS summed over its process tree; docs/s and MB/s (raw input bytes) are of the run less its report "
        "stage, if the manifest has one. The baseline is plain datasketch "
        f"({first['baseline']['tool']}, `MinHash.update_batch` on word 5-grams, `MinHashLSH` threshold "
        f"{first['baseline']['settings']['threshold']}, {first['baseline']['settings']['num_perm']} permutations, "
        "union-find) on cleaner's own cleaned bodies; its dedup time excludes reading the JSONL. Speed-up is "
        "datasketch's dedup time over ours (stages " + " + ".join(first["cleaner"]["dedup_keys"]) + "), "
        "per run, then the median; in brackets the ratio in CPU seconds, which the load of other work inflates "
        "far less: datasketch's dedup stages timed with the process clock of its one-threaded process, against "
        "the workers' CPU seconds of sketching (`worker_sketch`, summed over the workers, in place of the "
        "signature stage, which also writes records and `docs/`), the main process's candidate and cluster "
        "stages (wall time; the workers are idle then) and verification's CPU seconds summed over the processes "
        "that ran it (`verify_cpu`). Stage keys starting with `worker_` and `verify_cpu` are CPU seconds summed "
        'over processes, not wall time. "Alone" is datasketch\'s dedup CPU over that of our dedup run alone '
        "in one process on the same bodies, as the baseline is run (`bench/dedup_alone.py`: sketching in "
        "chunks of the run's size with the shingle sets spilled, then the cluster step with exact "
        "verification); in the run, sketching shares the two cores with the other worker and the main "
        "process, which slows each.",
        "",
        "| N | raw MB | doc KB | whole run, median (min, CPU) | docs/s | MB/s | peak RSS | our dedup "
        "| datasketch dedup | speed-up (CPU) | pairwise F1 ours | pairwise F1 datasketch |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        c, b = r["cleaner"], r["baseline"]
        cells = [
            f"{r['n']:,}",
            f"{r['raw_mb']:,.0f}",
            f"{r['corpus']['mean_doc_bytes'] / 1000:.1f}",
            f"{c['wall_seconds']:,.1f} s (min {_num(c.get('wall_seconds_min'))}, CPU {_num(c.get('cpu_seconds'))})",
            _num(c["docs_per_s"], 0),
            _num(c["mb_per_s"], 2),
            f"{c['peak_rss_mb']:,.0f} MB",
            f"{c['dedup_seconds']:,.2f} s",
            f"{b['dedup_seconds']:,.2f} s",
            f"{r['speedup_dedup']:.1f}×"
            + (f" ({r['speedup_dedup_cpu']:.1f}×)" if r.get("speedup_dedup_cpu") else "")
            + (f", alone {r['alone']['speedup_cpu']:.1f}×" if r.get("alone") else ""),
            _f1(c["pairwise"]),
            _f1(b["pairwise"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Per stage (from `manifest.json` summary.timings; docs/s and MB/s of the whole corpus per stage):",
        "",
    ]
    head = "| stage | " + " | ".join(f"N={r['n']:,} s | docs/s | MB/s" for r in rows) + " |"
    lines += [head, "|---|" + "---|---|---|" * len(rows)]
    stage_names = _ordered([k for r in rows for k in r["cleaner"]["stages"]])
    for key in stage_names:
        cells = []
        for r in rows:
            s = r["cleaner"]["stages"].get(key)
            cells.append(
                f"{s['seconds']:,.2f} | {_num(s['docs_per_s'], 0)} | {_num(s['mb_per_s'], 2)}" if s else "– | – | –"
            )
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    base_names = list(dict.fromkeys(k for r in rows for k in r["baseline"]["stages"]))
    lines += ["", "datasketch stages, seconds: " + "; ".join(_baseline_stages(r, base_names) for r in rows) + "."]
    alone = [r for r in rows if r.get("alone")]
    if alone:
        lines += [
            "",
            "Our dedup alone (`bench/dedup_alone.py`), CPU seconds, median: "
            + "; ".join(
                f"N={r['n']:,}: sketching {r['alone']['sketch_cpu_seconds']:.2f}, cluster step "
                f"{r['alone']['cluster_cpu_seconds']:.2f}, in all {r['alone']['dedup_cpu_seconds']:.2f} "
                f"(clusters {'the same as' if r['alone']['same_clusters_as_run'] else 'NOT the same as'} the run's)"
                for r in alone
            )
            + ".",
        ]
    counted = [r for r in rows if r["cleaner"].get("dedup_counts", {}).get("candidate_pairs")]
    if counted:
        lines += [
            "",
            "LSH candidate pairs cleaner verified: " + "; ".join(_candidates(r) for r in counted) + ". "
            "The corpus has about 22 MB of source text, so the larger N, the more stories each source sentence "
            "is reused in (about 1 at 5,000, 2 to 4 at 20,000, 12 to 22 at 100,000; at most one shared sentence "
            "per pair of stories): candidate pairs per document grow with N here by construction. Read verify's "
            "growth against its cost per pair.",
        ]
    lines += _extrapolation(rows)
    return "\n".join(lines)


def _baseline_stages(result: dict, names: list[str]) -> str:
    b = result["baseline"]
    stages = ", ".join(f"{k} {b['stages'].get(k, 0):.2f}" for k in names)
    process = (
        f"{b['wall_seconds']:,.1f} s wall, CPU {_num(b.get('cpu_seconds'))} s, peak RSS {b['peak_rss_mb']:,.0f} MB"
    )
    return f"N={result['n']:,}: {stages} (process: {process})"


def _loads(rows: list[dict]) -> str:
    loads = [run["load_before"] for r in rows for run in r.get("per_run", [])]
    return f"{min(loads):.1f} to {max(loads):.1f}" if loads else "not recorded"


def _candidates(result: dict) -> str:
    c = result["cleaner"]
    pairs = c["dedup_counts"]["candidate_pairs"]
    verify = c["stages"].get("verify", {}).get("seconds")
    per_pair = f", verify {verify / pairs * 1e6:.0f} µs per pair" if verify else ""
    return f"N={result['n']:,}: {pairs:,} ({pairs / result['n']:.2f} per document{per_pair})"


def _extrapolation(rows: list[dict]) -> list[str]:
    sizes = sorted({r["n"] for r in rows})
    if len(sizes) < 2:
        return ["", "Extrapolation to 1,000,000 documents needs results at two sizes or more."]
    lo, hi = sizes[-2], sizes[-1]
    nlogn = math.log((hi * math.log(hi)) / (lo * math.log(lo))) / math.log(hi / lo)
    lines = [
        "",
        f"**Extrapolation, not a measurement:** each quantity fitted as a·n^b through the medians at "
        f"N = {lo:,} and {hi:,} (the growth between the two largest sizes measured) and evaluated at "
        f"N = {TARGET_N:,}. For reference, a cost "
        f"growing as n log n has b = {nlogn:.2f} over this range; b above {nlogn + 0.05:.2f} is marked ▲.",
        "",
        f"| quantity | at N={hi:,} | b | at N={TARGET_N:,} (extrapolated) |",
        "|---|---|---|---|",
    ]
    per_size = [(r["n"], metrics(r)) for r in rows if r["n"] in (lo, hi)]
    for name in metrics(rows[-1]):
        got = fit([(n, m.get(name)) for n, m in per_size])
        measured = dict(per_size)[hi].get(name)
        if got is None:
            lines.append(f"| {name} | {_num(measured, 2)} | – | – |")
            continue
        a, b = got
        flag = " ▲" if b > nlogn + 0.05 else ""
        lines.append(f"| {name} | {_num(measured, 2)} | {b:.2f}{flag} | {_num(a * TARGET_N**b, 0)} |")
    return lines


def update_results_md(path: Path, section: str) -> None:
    """Replace the text between the markers; add heading and markers at the end the first time."""
    text = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{block}\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", type=Path, default=BENCH / "results")
    ap.add_argument("--print-only", action="store_true", help="print the section, leave RESULTS.md alone")
    args = ap.parse_args()
    section = render(load(args.results))
    print(section)
    if not args.print_only:
        update_results_md(BENCH / "RESULTS.md", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
