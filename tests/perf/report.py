"""Benchmark results: kept in memory during the run, written as JSON and Markdown after each size."""

import json
import os
from pathlib import Path

RESULTS_DIR = Path(os.environ.get("DEBATE_PERF_RESULTS", "/tmp/debate-perf"))
RUNS: list[dict] = []


def record(run: dict) -> None:
    """Add one (engine, size) run and rewrite the result files."""
    RUNS.append(run)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "results.json").write_text(json.dumps(RUNS, indent=2, ensure_ascii=False))
    (RESULTS_DIR / "results.md").write_text(table() + "\n")


def _ratio(value, base):
    return f"{value / base:.1f}×" if base else "—"


def table() -> str:
    """One Markdown table: per engine and size, each page's median and p95 latency, requests per
    second under load, the ratios to the minimal page, and the SQL queries it ran."""
    if not RUNS:
        return ""
    lines = []
    for run in RUNS:
        # Latency ratios are to the minimal page timed alternately with each page (same load).
        lines.append(
            f"\n### {run['engine']}, {run['arguments']} arguments "
            f"(generated in {run['generation_seconds']:.1f} s; biggest debate "
            f"{run['debate_arguments']} arguments)\n"
        )
        modes = [
            ("pages", "as served (anonymous pages from the page cache)"),
            ("uncached", "page cache off (the first visit after a write)"),
        ] + [
            (key, f"{key} (pages shared per audience, debate/core/shared_pages.py)")
            for key in run
            if key.startswith("signed in: ")
        ]
        for into, title in modes:
            if into not in run:
                continue
            lines.append(f"\n{title}:\n")
            lines.append(
                "| page | median ms | p95 ms | median ratio | p95 ratio | p95 ÷ median | req/s "
                "| req/s ratio | queries |"
            )
            lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            base = run[into]["minimal"]
            for name, page in run[into].items():
                if "error" in page:
                    error = " ".join(page["error"].split())[:100].replace("|", "/")
                    lines.append(f"| {name} | failed: {error} | | | | | | | |")
                    continue
                lines.append(
                    f"| {name} | {page['median_ms']:.1f} | {page['p95_ms']:.1f} | "
                    f"{_ratio(page['median_ms'], page.get('minimal_median_ms', base['median_ms']))} | "
                    f"{_ratio(page['p95_ms'], page.get('minimal_p95_ms', base['p95_ms']))} | "
                    f"{_ratio(page['p95_ms'], page['median_ms'])} | "
                    f"{page['rps']:.0f} | {_ratio(base['rps'], page['rps'])} | {page.get('queries', '—')} |"
                )
        if run.get("export_peak_kib") is not None:
            lines.append(
                f"\nJSON export of the biggest debate: {run['export_bytes'] / 1024:.0f} KiB streamed, "
                f"peak Python memory while streaming {run['export_peak_kib']:.0f} KiB."
            )
    lines.append(
        "\n(req/s ratio = minimal page's req/s ÷ the page's: how many times more costly under load.)"
    )
    return "\n".join(lines)
