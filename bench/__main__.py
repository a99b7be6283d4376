"""``python -m bench``: every figure of issues 7 and 16 beside its baseline, as a table.

Options: ``--reps N`` (default 7: medians of N), ``--only startup,idle,...``
(see ``bench.figures.FIGURES``), ``--quick`` (one repetition; for the smoke test).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from importlib.metadata import version

from bench import runners
from bench.figures import FIGURES, Row


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith(("model name", "Model")):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Textual {version('textual')}"
    )


def table(rows: list[Row]) -> str:
    lines = [
        "| figure | till | baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
        met = {True: "yes", False: "**no**", None: "-"}[row.ok]
        lines.append(
            f"| {row.figure} | {row.value} | {row.baseline} | {ratio} | {row.goal} | {met} |"
        )
    notes = [f"- {row.figure}: {row.note}" for row in rows if row.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--reps", type=int, default=7, help="repetitions (medians)")
    parser.add_argument("--only", help="comma-separated figures: " + ", ".join(FIGURES))
    parser.add_argument("--quick", action="store_true", help="one repetition of each")
    parser.add_argument(
        "--python",
        help="interpreter for the till and the bare app (default: a venv of the runtime "
        "dependencies only, .bench-venv/, made on first use)",
    )
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(FIGURES)
    unknown = [name for name in names if name not in FIGURES]
    if unknown:
        parser.error(f"unknown figures: {', '.join(unknown)}")
    reps = 1 if args.quick else max(1, args.reps)
    runners.PYTHON[:] = [args.python or runners.runtime_python()]
    rows: list[Row] = []
    began = time.monotonic()
    for name in names:
        print(f"measuring {name}...", file=sys.stderr, flush=True)
        rows += FIGURES[name](reps)
    print(f"Machine: {machine()}")
    print(f"Till and bare app on: {runners.PYTHON[0]}")
    print(f"Run: {time.strftime('%Y-%m-%d')}, {time.monotonic() - began:.0f} s, reps {reps}\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
