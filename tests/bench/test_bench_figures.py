"""The benchmark's arithmetic (bench/figures.py): what it reports must follow from what it saw."""

import json

import pytest

from bench.figures import (
    TARGETS,
    Row,
    Step,
    Target,
    arrival_offsets,
    evaluated,
    latency_summary,
    percentile,
    ratio,
    step_search,
    table,
    write_results,
)


def test_percentiles_are_nearest_rank_and_none_without_values():
    values = list(range(1, 101))

    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7.0
    assert percentile([3, 1, 2], 50) == 2
    assert percentile([], 50) is None


def test_latency_summary_reports_seconds_as_milliseconds():
    summary = latency_summary([0.1] * 98 + [2.0, 3.0])

    assert summary == pytest.approx({"p50_ms": 100.0, "p95_ms": 100.0, "p99_ms": 2000.0})
    assert latency_summary([]) == {"p50_ms": None, "p95_ms": None, "p99_ms": None}


def test_the_open_loop_schedule_is_evenly_spaced_at_the_rate_for_the_duration():
    offsets = arrival_offsets(20, 60)

    assert len(offsets) == 1200
    assert offsets[:3] == pytest.approx([0.0, 0.05, 0.1])
    assert offsets[-1] == pytest.approx(59.95)
    assert arrival_offsets(2.5, 2) == pytest.approx([0.0, 0.4, 0.8, 1.2, 1.6])


def test_the_step_search_climbs_until_a_rate_does_not_hold():
    tried = []

    def run(rate):
        tried.append(rate)
        return Step(rate=rate, held=rate <= 20, figures={"rate": rate})

    highest, steps = step_search([30, 10, 20, 40], run)

    assert highest == 20
    assert tried == [10, 20, 30]
    assert [step.held for step in steps] == [True, True, False]


def test_the_step_search_finds_nothing_when_the_lowest_rate_fails():
    highest, steps = step_search([5, 10], lambda rate: Step(rate=rate, held=False, figures={}))

    assert highest is None
    assert len(steps) == 1


def test_ratios_need_both_figures():
    assert ratio(160, 2000) == pytest.approx(0.08)
    assert ratio(None, 2000) is None
    assert ratio(160, None) is None
    assert ratio(160, 0) is None


def test_targets_compare_in_their_direction_and_say_nothing_without_a_figure():
    at_least = Target("product list", "x floor", ">=", 0.6, "x floor")
    at_most = Target("CPU per order", "all Mercato processes", "<=", 50, " ms")

    assert at_least.met(0.6) is True
    assert at_least.met(0.59) is False
    assert at_most.met(50) is True
    assert at_most.met(165) is False
    assert at_least.met(None) is None
    assert str(at_least) == ">= 0.6x floor"
    assert str(at_most) == "<= 50 ms"


def test_every_target_of_the_issue_is_evaluated_with_its_figure():
    figures = {(target.scenario, target.figure): None for target in TARGETS}
    figures[("product list", "x floor")] = 0.08
    figures[("make run", "ready, second start")] = 20.0

    verdicts = {(v["scenario"], v["figure"]): v for v in evaluated(figures)}

    assert len(verdicts) == len(TARGETS) == 14
    assert verdicts[("product list", "x floor")]["met"] is False
    assert verdicts[("product list", "x floor")]["measured"] == 0.08
    assert verdicts[("make run", "ready, second start")]["met"] is True
    assert verdicts[("event relay", "x raw-celery")]["met"] is None


def test_the_table_aligns_every_column_under_its_header():
    rows = [
        Row("product list", "mercato", throughput="160 req/s", ratio="0.08x floor", met="NO"),
        Row("product list", "floor", throughput="2,000 req/s"),
    ]

    lines = table(rows).splitlines()

    assert lines[0].startswith("scenario")
    assert set(lines[1]) <= {"-", " "}
    assert lines[0].index("throughput") == lines[2].index("160 req/s")
    assert lines[3].index("2,000") == lines[2].index("160")


def test_results_are_written_whole_as_json(tmp_path):
    path = tmp_path / "results" / "latest.json"

    write_results(path, {"http": {"x floor": 0.5}, "targets": []})

    assert json.loads(path.read_text()) == {"http": {"x floor": 0.5}, "targets": []}
    assert list(path.parent.iterdir()) == [path]
