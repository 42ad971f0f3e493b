"""Checkout figures (bench/checkout.py): latency from each order's own history, and what counts
as an error or as unfinished."""

from datetime import UTC, datetime, timedelta

import pytest

from bench.checkout import Placement, checkout_figures, held

PLACED = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def history(status: str, placed_after: float, confirmed_after: float | None) -> tuple:
    placed = PLACED + timedelta(seconds=placed_after)
    confirmed = None if confirmed_after is None else placed + timedelta(seconds=confirmed_after)
    return (status, placed, confirmed)


def test_latency_is_placement_to_confirmed_from_the_history_and_failures_are_counted():
    placements = [
        Placement(sent_at=0.0, answered_at=0.1, status=201, order_id="a"),
        Placement(sent_at=0.5, answered_at=0.7, status=201, order_id="b"),
        Placement(sent_at=1.0, answered_at=1.2, status=201, order_id="c"),
        Placement(sent_at=1.5, answered_at=1.6, status=201, order_id="d"),
        Placement(sent_at=2.0, answered_at=2.5, status=503),
        Placement(sent_at=2.5),
    ]
    found = {
        "a": history("CONFIRMED", 0, 0.4),
        "b": history("CONFIRMED", 0.5, 1.5),
        "c": history("CANCELLED", 1.0, None),
        "d": history("PENDING", 1.5, None),
    }

    figures = checkout_figures(placements, found, rate=2, seconds=3)

    assert figures["confirmed"] == 2
    assert figures["p50_ms"] == pytest.approx(400)
    assert figures["p99_ms"] == pytest.approx(1500)
    # The 503, the unanswered POST and the order that ended CANCELLED.
    assert figures["errors"] == 3
    assert figures["non_terminal"] == 1
    assert figures["answers"] == {"201": 4, "503": 1, "none": 1}
    assert figures["throughput"] == pytest.approx(2 / 2.0)
    assert held(figures) is False


def test_a_rate_holds_only_with_p99_within_a_second_and_nothing_failed_or_unfinished():
    good = {"p99_ms": 1000, "errors": 0, "non_terminal": 0}

    assert held(good) is True
    assert held({**good, "p99_ms": 1001}) is False
    assert held({**good, "errors": 1}) is False
    assert held({**good, "non_terminal": 1}) is False
    assert held({**good, "p99_ms": None}) is False
