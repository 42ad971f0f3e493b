"""Reading wrk's runs (bench/load.py): the figures come from the line wrk_report.lua prints."""

import pytest

from bench.load import rounds_combined, wrk_report

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:17002/catalog/api/v1/products/
  1 threads and 8 connections
  1280 requests in 8.00s, 9.1MB read
  Non-2xx or 3xx responses: 3
BENCH {"requests": 1280, "duration_us": 8000000, "connect": 0, "read": 1, "write": 0, \
"status": 3, "timeout": 2, "p50_us": 48000, "p95_us": 90500, "p99_us": 120000}
"""


def test_a_wrk_run_gives_throughput_latency_in_milliseconds_and_every_kind_of_error():
    report = wrk_report(WRK_OUTPUT)

    assert report["throughput"] == pytest.approx(160.0)
    assert report["seconds"] == pytest.approx(8.0)
    assert (report["p50_ms"], report["p95_ms"], report["p99_ms"]) == (48.0, 90.5, 120.0)
    assert report["errors"] == 6


def test_rounds_combine_into_throughput_over_all_requests_and_mean_percentiles():
    first = {"requests": 100, "seconds": 10.0, "p50_ms": 10.0, "p95_ms": 20.0, "p99_ms": 30.0}
    second = {"requests": 300, "seconds": 10.0, "p50_ms": 20.0, "p95_ms": 40.0, "p99_ms": 50.0}

    combined = rounds_combined([{**first, "errors": 1}, {**second, "errors": 0}])

    assert combined["throughput"] == pytest.approx(20.0)
    assert combined["p50_ms"] == pytest.approx(15.0)
    assert combined["p99_ms"] == pytest.approx(40.0)
    assert combined["errors"] == 1
    assert len(combined["rounds"]) == 2
