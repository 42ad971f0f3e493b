

def test_a_worker_whose_metrics_port_is_taken_runs_on_without_serving(monkeypatch, tmp_path):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        monkeypatch.setenv("WORKER_METRICS_PORT", str(taken.getsockname()[1]))
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

        worker_metrics_serve()

    assert worker._server is None
