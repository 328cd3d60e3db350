"""``bin/bench``: every benchmark, one table, a JSON file and a chart for each.

The registry below names each benchmark and the module that runs it. A module has
``add_arguments(parser)`` (its options, prefixed with its name), ``run(options) -> dict``
(a result with a ``figures`` list: name, value, unit, target, met True/False/None) and
``chart(result, path)``. Each benchmark runs in a process of its own (Django is set up
once per process, on that benchmark's own database); the runner gathers the results,
writes ``bench/results/<name>.json`` and ``<name>.png``, and prints one table. It exits
non-zero when a figure misses its target.

A benchmark whose module is not there yet (``pages``: another branch writes
``bench/pages_bench.py``) is listed as such and skipped.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Benchmark:
    name: str
    module: str
    title: str


REGISTRY = [
    Benchmark("import", "bench.import_bench", "Import throughput against the plain-SQL floor"),
    Benchmark("backlog", "bench.backlog_bench", "Draining a backlog under Amazon's limits"),
    Benchmark("latency", "bench.latency_bench", "Unshipped on Amazon to Commerce order"),
    Benchmark("pages", "bench.pages_bench", "Pages and API at 1,000,000 orders"),
    Benchmark("inventory", "bench.inventory_bench", "Inventory reads on a 1,000,000-row ledger"),
    Benchmark("simulator", "bench.simulator_search", "The simulator's searchOrders page"),
]
BY_NAME = {benchmark.name: benchmark for benchmark in REGISTRY}


def _module(benchmark: Benchmark):
    try:
        return importlib.import_module(benchmark.module)
    except ModuleNotFoundError as missing:
        if missing.name == benchmark.module:
            return None
        raise


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bin/bench",
        description="Run the benchmarks (all, or those named) on PostgreSQL and Redis.",
    )
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(BY_NAME)}"
    )
    parser.add_argument("--quick", action="store_true", help="a small scale, to try things")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where results go")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    for benchmark in REGISTRY:
        module = _module(benchmark)
        if module is not None and hasattr(module, "add_arguments"):
            group = parser.add_argument_group(f"{benchmark.name} ({benchmark.title})")
            module.add_arguments(group)
    return parser


def main(argv=None) -> int:
    parser = _parser()
    options = parser.parse_args(argv)
    if options.child:
        return _child(options)
    if options.list:
        for benchmark in REGISTRY:
            state = "" if _module(benchmark) else "  (not merged yet)"
            print(f"{benchmark.name:10} {benchmark.title}{state}")
        return 0
    unknown = [name for name in options.names if name not in BY_NAME]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    chosen = [BY_NAME[name] for name in options.names] if options.names else REGISTRY
    options.results.mkdir(parents=True, exist_ok=True)
    passthrough = [arg for arg in (argv if argv is not None else sys.argv[1:])]
    passthrough = [arg for arg in passthrough if arg not in options.names]
    rows: list[tuple[str, dict | None, str]] = []
    for benchmark in chosen:
        module = _module(benchmark)
        if module is None:
            rows.append((benchmark.name, None, f"not run: {benchmark.module} is not merged yet"))
            continue
        print(f"\n== {benchmark.name}: {benchmark.title}", flush=True)
        out = options.results / f"{benchmark.name}.json"
        started = time.perf_counter()
        completed = subprocess.run(  # noqa: S603 - this very module, fixed arguments
            [
                sys.executable,
                "-m",
                "bench",
                *passthrough,
                "--child",
                benchmark.name,
                "--out",
                str(out),
            ],
            check=False,
        )
        if completed.returncode != 0 or not out.exists():
            rows.append((benchmark.name, None, f"failed (exit {completed.returncode})"))
            continue
        result = json.loads(out.read_text())
        print(f"   ({time.perf_counter() - started:.0f} s)")
        rows.append((benchmark.name, result, ""))
        try:
            module.chart(result, options.results / f"{benchmark.name}.png")
        except ImportError as missing:
            print(f"   no chart: {missing} (bin/bench installs requirements-bench.txt)")
    return _table(rows)


def _child(options) -> int:
    benchmark = BY_NAME[options.child]
    module = _module(benchmark)
    started = time.perf_counter()
    result = module.run(options)
    result = {
        "benchmark": benchmark.name,
        "title": benchmark.title,
        "quick": bool(options.quick),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "machine": machine(),
        **result,
    }
    options.out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 0


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def _table(rows) -> int:
    lines = [("benchmark", "figure", "value", "target", "verdict")]
    missed = False
    for name, result, note in rows:
        if result is None:
            lines.append((name, note, "", "", "SKIPPED" if "merged" in note else "FAILED"))
            missed = missed or "failed" in note
            continue
        for figure in result["figures"]:
            verdict = {True: "MET", False: "MISSED", None: "-"}[figure["met"]]
            missed = missed or figure["met"] is False
            value = figure["value"]
            shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
            lines.append(
                (name, figure["name"], f"{shown} {figure['unit']}", figure["target"], verdict)
            )
    widths = [max(len(str(line[column])) for line in lines) for column in range(5)]
    print()
    for index, line in enumerate(lines):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
    print(f"\nMachine: {machine()['cpus']} CPUs, load {os.getloadavg()[0]:.1f} now.")
    return 1 if missed else 0
