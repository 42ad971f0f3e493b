"""The harness's arithmetic, which measures nothing: percentiles, the open-loop schedule, the
step search, ratios against the baselines, the issue's targets, the table and the JSON file."""

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], rank: float) -> float | None:
    """The nearest-rank percentile (`rank` in 0..100) of `values`; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, math.ceil(rank / 100 * len(ordered)) - 1)
    return ordered[index]


def latency_summary(seconds: Sequence[float]) -> dict[str, float | None]:
    """p50, p95 and p99 of latencies given in seconds, in milliseconds."""
    return {
        f"p{rank}_ms": None if (value := percentile(seconds, rank)) is None else value * 1000
        for rank in (50, 95, 99)
    }


def arrival_offsets(rate: float, seconds: float) -> list[float]:
    """When each request of an open-loop load is due, in seconds from its start: evenly spaced at
    `rate` a second for `seconds`, whatever the answers do."""
    return [number / rate for number in range(round(rate * seconds))]


@dataclass(frozen=True)
class Step:
    """One rate of the step search and whether it held."""

    rate: float
    held: bool
    figures: dict[str, Any]


def step_search(rates: Iterable[float], run: Callable[[float], Step]) -> tuple[float | None, list]:
    """Runs `run` at each of `rates` in ascending order until one does not hold; returns the
    highest rate that held (None if the first did not) and every step run."""
    highest = None
    steps = []
    for rate in sorted(rates):
        step = run(rate)
        steps.append(step)
        if not step.held:
            break
        highest = rate
    return highest, steps


def ratio(value: float | None, baseline: float | None) -> float | None:
    if value is None or not baseline:
        return None
    return value / baseline


@dataclass(frozen=True)
class Target:
    """One line of the issue's targets: `figure` of `scenario` compared with `bound`."""

    scenario: str
    figure: str
    comparison: str  # ">=" or "<="
    bound: float
    unit: str = ""

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value >= self.bound if self.comparison == ">=" else value <= self.bound

    def __str__(self) -> str:
        return f"{self.comparison} {self.bound:g}{self.unit}"


# The table (issue 12), as figures this harness measures; `unit` says what the bound is
# of in the printed table ("<= 50 ms", ">= 0.6x floor").
TARGETS = (
    Target("product list", "x floor", ">=", 0.6, "x floor"),
    Target("product list", "x naive", ">=", 5, "x naive"),
    Target("product detail 304", "x floor", ">=", 0.75, "x floor"),
    Target("order list", "x floor", ">=", 0.4, "x floor"),
    Target("order list", "x naive", ">=", 3, "x naive"),
    Target("checkout 20/s", "p99 placement → CONFIRMED", "<=", 1000, " ms p99"),
    Target("checkout 20/s", "errors", "<=", 0, " errors"),
    Target("checkout 20/s", "non-terminal", "<=", 0, " unfinished"),
    Target("checkout step search", "highest rate with p99 ≤ 1 s", ">=", 30, "/s"),
    Target("CPU per order", "all Mercato processes", "<=", 50, " ms"),
    Target("event relay", "x raw-celery", ">=", 0.5, "x raw-celery"),
    Target("resident memory", "largest process after warm-up", "<=", 100, " MiB"),
    Target("make run", "resident memory in all", "<=", 1536, " MiB in all"),
    Target("make run", "ready, second start", "<=", 25, " s to ready"),
)


def evaluated(figures: dict[tuple[str, str], float | None]) -> list[dict[str, Any]]:
    """Each target with the figure measured for it (keyed by (scenario, figure)) and whether it
    is met: None when the figure could not be measured."""
    return [
        {
            "scenario": target.scenario,
            "figure": target.figure,
            "target": str(target),
            "comparison": target.comparison,
            "bound": target.bound,
            "measured": (value := figures.get((target.scenario, target.figure))),
            "met": target.met(value),
        }
        for target in TARGETS
    ]


@dataclass
class Row:
    """One line of the printed table."""

    scenario: str
    contestant: str
    throughput: str = ""
    p50: str = ""
    p95: str = ""
    p99: str = ""
    errors: str = ""
    ratio: str = ""
    target: str = ""
    met: str = ""


COLUMNS = (
    ("scenario", "scenario"),
    ("contestant", "contestant"),
    ("throughput", "throughput / figure"),
    ("p50", "p50"),
    ("p95", "p95"),
    ("p99", "p99"),
    ("errors", "errors"),
    ("ratio", "ratio"),
    ("target", "target"),
    ("met", "met"),
)


def milliseconds(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def times(value: float | None, baseline: str) -> str:
    return "" if value is None else f"{value:.2f}x {baseline}"


def met_word(met: bool | None) -> str:
    return {True: "yes", False: "NO", None: "n/a"}[met]


def table(rows: Sequence[Row]) -> str:
    """The rows as a fixed-width text table with a header line."""
    cells = [[title for _, title in COLUMNS]]
    cells += [[getattr(row, name) for name, _ in COLUMNS] for row in rows]
    widths = [max(len(line[column]) for line in cells) for column in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def write_results(path: Path, results: dict[str, Any]) -> None:
    """Writes `results` as indented JSON, replacing the file only once it is whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(results, indent=2, sort_keys=True, default=str) + "\n")
    partial.replace(path)
