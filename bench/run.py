"""Runs every scenario against Mercato and its baselines, prints one table and writes
bench/results/latest.json (docs/performance.md says what each figure is and how it is taken).

Knobs, all optional: BENCH_QUICK=1 (every run short, for a try), BENCH_SECONDS (one wrk run),
BENCH_WARMUP_SECONDS, BENCH_ROUNDS (A B A B rounds), BENCH_CPU_SECONDS (the 5 orders/s run CPU
and the relay are read from), BENCH_STEP_SECONDS (each rate of the step search),
BENCH_CHECKOUT_SECONDS (the 20 orders/s run), BENCH_ONLY (a comma-separated subset of http,
checkout, make-run), BENCH_HOME (logs and data; .mercato/bench by default), BENCH_RESULTS (the
JSON file)."""

import json
import os
import platform as machine
import shutil
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import jwt
import psutil
import requests
from cryptography.hazmat.primitives import serialization

from bench import platform as bench_platform
from bench.checkout import (
    checkout_run,
    checkout_step,
    raw_celery_latencies,
    relay_latencies,
    settled,
)
from bench.figures import (
    Row,
    evaluated,
    latency_summary,
    met_word,
    milliseconds,
    ratio,
    step_search,
    table,
    times,
    write_results,
)
from bench.load import rounds_combined, wrk, wrk_missing
from common.settings.environment import boolean, integer
from devtools import ROOT
from devtools.processes import Supervisor
from tests.e2e.conftest import Platform
from tests.e2e.listeners import MailCatcher
from tests.e2e.shop import Shop, answered

QUICK = boolean("BENCH_QUICK", default=False)
SECONDS = integer("BENCH_SECONDS", default=3 if QUICK else 8, minimum=1)
WARMUP_SECONDS = integer("BENCH_WARMUP_SECONDS", default=1 if QUICK else 3, minimum=1)
ROUNDS = integer("BENCH_ROUNDS", default=2, minimum=1)
CPU_SECONDS = integer("BENCH_CPU_SECONDS", default=10 if QUICK else 20, minimum=1)
STEP_SECONDS = integer("BENCH_STEP_SECONDS", default=5 if QUICK else 15, minimum=1)
CHECKOUT_SECONDS = integer("BENCH_CHECKOUT_SECONDS", default=10 if QUICK else 60, minimum=1)
GROUPS = ("http", "checkout", "make-run")
ONLY = [group for group in os.environ.get("BENCH_ONLY", ",".join(GROUPS)).split(",") if group]
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results" / "latest.json")

CPU_RATE = 5
CHECKOUT_RATE = 20
STEP_RATES = (2, 5, 10, 15, 20, 25, 30, 40, 50)
# Long enough for a rate the platform keeps up with; a backlog left after it is not waited out.
SETTLE_SECONDS = 20 if QUICK else 45
ORDER_LIST_ORDERS = 22
PLACEMENT_ATTEMPTS = 5
CHECKOUT_STOCK = 1_000_000
RAW_CELERY_SECONDS = 5


def main() -> int:
    os.chdir(ROOT)
    if missing := wrk_missing():
        print(missing)
        return 1
    home = Path(os.environ.get("BENCH_HOME") or ROOT / ".mercato" / "bench").resolve()
    shutil.rmtree(home / "platform" / "logs", ignore_errors=True)
    began = time.monotonic()
    servers = bench_platform.servers()
    # `make run` gets this environment, as a person's shell would give it, whatever the
    # scenarios before it set.
    shell = dict(os.environ)
    results: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_start": os.getloadavg(),
            "python": machine.python_version(),
        },
        "settings": {
            "quick": QUICK,
            "wrk_seconds": SECONDS,
            "warmup_seconds": WARMUP_SECONDS,
            "rounds": ROUNDS,
            "cpu_run": f"{CPU_RATE}/s for {CPU_SECONDS}s",
            "step_seconds": STEP_SECONDS,
            "checkout_run": f"{CHECKOUT_RATE}/s for {CHECKOUT_SECONDS}s",
            "groups": ONLY,
        },
    }
    if {"http", "checkout"} & set(ONLY):
        results |= platform_scenarios(home / "platform")
    if "make-run" in ONLY:
        results["make_run"] = guarded(lambda: make_run(home / "make-run", {**shell, **servers}))
    results["targets"] = evaluated(target_figures(results))
    results["runtime_seconds"] = round(time.monotonic() - began)
    rows = table_rows(results)
    results["table"] = [row.__dict__ for row in rows]
    write_results(RESULTS, results)
    print()
    print(table(rows))
    print(f"\n{RESULTS} written; {results['runtime_seconds']} s in all.")
    return 0


def guarded(scenario: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A scenario's figures, or what stopped it: one failing scenario leaves the others' figures."""
    try:
        return scenario()
    except Exception as error:
        traceback.print_exc()
        return {"error": f"{type(error).__name__}: {error}"}


def say(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def platform_scenarios(home: Path) -> dict[str, Any]:
    mail = MailCatcher()
    mail.start()
    supervisor = Supervisor(log_dir=home / "logs", echo=False)
    environment = bench_platform.production_environment(home, mail_port=mail.port)
    # A token that outlives the run: how long one lasts costs no request anything.
    environment["ACCESS_TOKEN_LIFETIME_SECONDS"] = "7200"
    found: dict[str, Any] = {}
    try:
        say(f"starting Mercato with production settings (logs in {supervisor.log_dir})")
        ready_began = time.monotonic()
        platform = bench_platform.start_mercato(supervisor, environment)
        say(f"Mercato ready in {time.monotonic() - ready_began:.0f} s")
        with requests.Session() as http:
            shop = Shop(platform, http)
            fixture = prepared(shop, home, environment)
            bench_platform.start_baselines(
                supervisor,
                environment,
                floor_pages=fixture["floor_pages"],
                verifying_key=fixture["verifying_key"],
            )
            say("baselines ready")
            if "http" in ONLY:
                found["http"] = guarded(lambda: http_scenarios(fixture))
            if "checkout" in ONLY:
                found["checkout"] = guarded(
                    lambda: checkout_scenarios(shop, platform, environment, fixture)
                )
    finally:
        supervisor.stop_all()
        mail.stop()
    return found


def prepared(shop: Shop, home: Path, environment: dict[str, str]) -> dict[str, Any]:
    """A product with stock for the orders, a customer with more than a page of orders, the JSON
    floor answers (Mercato's own, fetched once) and identity's public key for naive."""
    database_url = environment["DATABASE_URL"]
    product_id = shop.new_product(on_hand=CHECKOUT_STOCK)
    customer = shop.new_customer()
    order_ids = [placed(shop, customer["token"], product_id) for _ in range(ORDER_LIST_ORDERS)]
    settled(database_url, order_ids, within=120)
    listing = shop.call("GET", "catalog", "products/")
    detail_id = listing.json()["results"][0]["id"]
    detail = shop.call("GET", "catalog", f"products/{detail_id}/")
    orders = shop.call("GET", "orders", "orders/", token=customer["token"])
    pages = {
        "products": listing.json(),
        "product": detail.json(),
        "etag": detail.headers.get("ETag", ""),
        "orders": orders.json(),
    }
    floor_pages = home / "floor-pages.json"
    floor_pages.write_text(json.dumps(pages))
    jwks = requests.get(
        shop.platform.url("identity", "/identity/.well-known/jwks.json"), timeout=10
    ).json()
    public_key: Any = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwks["keys"][0]))
    verifying_key = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    checkout_customer = shop.new_customer()
    return {
        "product_id": product_id,
        "detail_id": detail_id,
        "etag": pages["etag"],
        "customer_token": customer["token"],
        "checkout_token": checkout_customer["token"],
        "floor_pages": floor_pages,
        "verifying_key": verifying_key,
        "database_url": database_url,
        "orders_in_page": len(pages["orders"]["results"]),
    }


def placed(shop: Shop, token: str, product_id: str) -> str:
    """A new order's id, asked again while the platform answers 503 (catalog did not answer
    orders in time, as happens on a loaded machine) as its Retry-After says a client should."""
    for _ in range(PLACEMENT_ATTEMPTS):
        answer = shop.place(token, [(product_id, 1)], "pm_card_ok")
        if answer.status_code != 503:
            break
        time.sleep(float(answer.headers.get("Retry-After", 1)))
    return str(answered(answer, 201).json()["id"])


def http_scenarios(fixture: dict[str, Any]) -> dict[str, Any]:
    """Each scenario's contestants warmed up, then run in turn ROUNDS times (A B A B)."""
    catalog = f"http://127.0.0.1:{bench_platform.BASE_PORT + 2}/catalog/api/v1"
    orders = f"http://127.0.0.1:{bench_platform.BASE_PORT + 3}/orders/api/v1"
    floor = f"http://127.0.0.1:{bench_platform.FLOOR_PORT}"
    naive = f"http://127.0.0.1:{bench_platform.NAIVE_PORT}"
    detail = fixture["detail_id"]
    bearer = {"Authorization": f"Bearer {fixture['customer_token']}"}
    scenarios: dict[str, tuple[dict[str, str], dict[str, str], int]] = {
        "product list": (
            {"mercato": f"{catalog}/products/", "floor": f"{floor}/products/"}
            | {"naive": f"{naive}/products/"},
            {},
            200,
        ),
        "product detail": (
            {"mercato": f"{catalog}/products/{detail}/", "floor": f"{floor}/products/{detail}/"}
            | {"naive": f"{naive}/products/{detail}/"},
            {},
            200,
        ),
        "product detail 304": (
            {"mercato": f"{catalog}/products/{detail}/", "floor": f"{floor}/products/{detail}/"},
            {"If-None-Match": fixture["etag"]},
            304,
        ),
        "order list": (
            {"mercato": f"{orders}/orders/", "floor": f"{floor}/orders/"}
            | {"naive": f"{naive}/orders/"},
            bearer,
            200,
        ),
    }
    found: dict[str, Any] = {}
    for scenario, (urls, headers, expected) in scenarios.items():
        if expected == 304 and not fixture["etag"]:
            found[scenario] = {"unsupported": "Mercato's product detail has no ETag"}
            say(f"{scenario}: unsupported (no ETag)")
            continue
        found[scenario] = guarded(partial(http_scenario, scenario, urls, headers, expected))
    return found


def http_scenario(
    scenario: str, urls: dict[str, str], headers: dict[str, str], expected: int
) -> dict[str, Any]:
    for contestant, url in urls.items():
        answer = requests.get(url, headers=headers, timeout=10)
        if answer.status_code != expected:
            raise AssertionError(
                f"{scenario}: {contestant} answered {answer.status_code}, expected {expected}: "
                f"{answer.text[:500]}"
            )
    for url in urls.values():
        wrk(url, seconds=WARMUP_SECONDS, headers=headers)
    rounds: dict[str, list[dict[str, Any]]] = {contestant: [] for contestant in urls}
    for number in range(ROUNDS):
        for contestant, url in urls.items():
            say(f"{scenario}: {contestant}, round {number + 1} of {ROUNDS}")
            rounds[contestant].append(wrk(url, seconds=SECONDS, headers=headers))
    contestants = {contestant: rounds_combined(runs) for contestant, runs in rounds.items()}
    mercato = contestants["mercato"]["throughput"]
    return {
        "contestants": contestants,
        "x floor": ratio(mercato, contestants["floor"]["throughput"]),
        "x naive": ratio(mercato, contestants.get("naive", {}).get("throughput")),
    }


def checkout_scenarios(
    shop: Shop, platform: Platform, environment: dict[str, str], fixture: dict[str, Any]
) -> dict[str, Any]:
    database_url = fixture["database_url"]

    def run(rate: float, seconds: float) -> dict[str, Any]:
        say(f"checkout: {rate:g} orders/s for {seconds:g} s")
        return checkout_run(
            shop,
            database_url=database_url,
            token=fixture["checkout_token"],
            product_id=fixture["product_id"],
            rate=rate,
            seconds=seconds,
            settle_within=SETTLE_SECONDS,
        )

    found: dict[str, Any] = {}
    before = bench_platform.cpu_seconds(bench_platform.processes_by_role(platform))
    window_start = datetime.now(UTC)
    cpu_run = run(CPU_RATE, CPU_SECONDS)
    window_end = datetime.now(UTC)
    after = bench_platform.cpu_seconds(bench_platform.processes_by_role(platform))
    confirmed = cpu_run["confirmed"] or 1
    per_role = {
        role: (after[role] - before.get(role, 0.0)) * 1000 / confirmed for role in sorted(after)
    }
    found["cpu run"] = cpu_run
    found["cpu per order ms"] = {"roles": per_role, "total": sum(per_role.values())}

    found["event relay"] = guarded(
        lambda: event_relay(environment, since=window_start, until=window_end)
    )
    say("resident memory after warm-up")
    found["resident memory MiB"] = bench_platform.resident_mebibytes(
        bench_platform.processes_by_role(platform)
    )

    highest, steps = step_search(STEP_RATES, lambda rate: checkout_step(run(rate, STEP_SECONDS)))
    found["step search"] = {
        "rates": list(STEP_RATES),
        "seconds": STEP_SECONDS,
        "highest": highest if highest is not None else 0,
        "steps": [step.figures for step in steps],
    }
    say("waiting for the step search's backlog")
    backlog_began = time.monotonic()
    found["backlog left"] = backlog_left(database_url)
    found["backlog waited seconds"] = round(time.monotonic() - backlog_began)
    found[f"{CHECKOUT_RATE}/s"] = run(CHECKOUT_RATE, CHECKOUT_SECONDS)
    return found


def backlog_left(database_url: str) -> int:
    """Waits (a bounded while) until no order is left unfinished; returns how many still are."""
    import psycopg

    deadline = time.monotonic() + SETTLE_SECONDS
    with psycopg.connect(database_url.replace("{service}", "orders"), autocommit=True) as db:
        while True:
            row = db.execute(
                "SELECT count(*) FROM orders_order WHERE status NOT IN "
                "('CONFIRMED', 'CANCELLED', 'REFUNDED')"
            ).fetchone()
            left = row[0] if row else 0
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(1)


def event_relay(environment: dict[str, str], *, since: datetime, until: datetime) -> dict:
    """Mercato's relay latencies in the 5 orders/s run against raw Celery's at the same rate."""
    mercato = relay_latencies(environment["DATABASE_URL"], since=since, until=until)
    rate = min(50.0, max(5.0, len(mercato) / max(1.0, (until - since).total_seconds())))
    # The raw baseline publishes from this process with orders' Celery settings.
    os.environ.update(environment)
    os.environ["DJANGO_SETTINGS_MODULE"] = "services.orders.settings"
    say(f"raw-celery: no-op tasks at {rate:.0f}/s")
    raw = raw_celery_latencies(
        count=round(rate * RAW_CELERY_SECONDS),
        rate=rate,
        redis_url=environment["REDIS_URL"],
        wait=30,
    )
    mercato_figures = {"count": len(mercato), **latency_summary(mercato)}
    raw_figures = {"count": len(raw), "rate": rate, **latency_summary(raw)}
    return {
        "mercato": mercato_figures,
        "raw-celery": raw_figures,
        "x raw-celery": ratio(raw_figures["p50_ms"], mercato_figures["p50_ms"]),
    }


def make_run(home: Path, shell: dict[str, str]) -> dict[str, Any]:
    """`./manage.py up` as `make run` starts it from `shell`'s environment, twice: the second
    start, with the data there, is timed until it says it is ready, and its processes' resident
    memory summed."""
    environment = {
        **shell,
        "MERCATO_HOME": str(home),
        "MERCATO_BASE_PORT": str(bench_platform.MAKE_RUN_BASE_PORT),
    }
    running = Platform(
        home=home, environment=environment, base_port=bench_platform.MAKE_RUN_BASE_PORT
    )
    home.mkdir(parents=True, exist_ok=True)
    say("make run: first start")
    running.start()
    running.stop()
    say("make run: second start")
    began = time.monotonic()
    running.start()
    ready = time.monotonic() - began
    try:
        time.sleep(5)
        processes = running.leftover_processes()
        resident = []
        for process in processes:
            try:
                resident.append(process.memory_info().rss / 2**20)
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
    finally:
        running.stop()
    return {
        "ready_seconds": ready,
        "processes": len(resident),
        "resident_mib": sum(resident),
        "largest_process_mib": max(resident, default=0.0),
    }


def target_figures(results: dict[str, Any]) -> dict[tuple[str, str], float | None]:
    http = results.get("http", {})
    checkout = results.get("checkout", {})
    make = results.get("make_run", {})
    figures: dict[tuple[str, str], float | None] = {}
    for scenario in ("product list", "product detail 304", "order list"):
        for baseline in ("x floor", "x naive"):
            figures[(scenario, baseline)] = http.get(scenario, {}).get(baseline)
    twenty = checkout.get(f"{CHECKOUT_RATE}/s", {})
    figures[("checkout 20/s", "p99 placement → CONFIRMED")] = twenty.get("p99_ms")
    figures[("checkout 20/s", "errors")] = twenty.get("errors")
    figures[("checkout 20/s", "non-terminal")] = twenty.get("non_terminal")
    figures[("checkout step search", "highest rate with p99 ≤ 1 s")] = checkout.get(
        "step search", {}
    ).get("highest")
    figures[("CPU per order", "all Mercato processes")] = checkout.get("cpu per order ms", {}).get(
        "total"
    )
    figures[("event relay", "x raw-celery")] = checkout.get("event relay", {}).get("x raw-celery")
    memory = checkout.get("resident memory MiB")
    figures[("resident memory", "largest process after warm-up")] = (
        max(max(sizes, default=0.0) for sizes in memory.values()) if memory else None
    )
    figures[("make run", "resident memory in all")] = make.get("resident_mib")
    figures[("make run", "ready, second start")] = make.get("ready_seconds")
    return figures


def table_rows(results: dict[str, Any]) -> list[Row]:
    targets: dict[str, list[dict[str, Any]]] = {}
    for target in results["targets"]:
        targets.setdefault(target["scenario"], []).append(target)

    def judged(row: Row, scenario: str) -> Row:
        mine = targets.get(scenario, [])
        row.target = ", ".join(target["target"] for target in mine)
        row.met = ", ".join(met_word(target["met"]) for target in mine)
        return row

    rows: list[Row] = []
    for scenario, found in results.get("http", {}).items():
        if "contestants" not in found:
            reason = found.get("unsupported") or found.get("error", "")
            rows.append(judged(Row(scenario, "mercato", throughput=reason[:60]), scenario))
            continue
        for contestant, figures in found["contestants"].items():
            row = Row(
                scenario,
                contestant,
                throughput=f"{figures['throughput']:,.0f} req/s",
                p50=milliseconds(figures["p50_ms"]),
                p95=milliseconds(figures["p95_ms"]),
                p99=milliseconds(figures["p99_ms"]),
                errors=str(figures["errors"]),
            )
            if contestant == "mercato":
                row.ratio = ", ".join(
                    times(found[baseline], baseline.removeprefix("x "))
                    for baseline in ("x floor", "x naive")
                    if found.get(baseline) is not None
                )
                judged(row, scenario)
            rows.append(row)
    rows += checkout_rows(results.get("checkout", {}), judged)
    make = results.get("make_run", {})
    if make:
        rows.append(
            judged(
                Row(
                    "make run",
                    "mercato",
                    throughput=make.get("error", "")[:60]
                    or f"ready in {make['ready_seconds']:.0f} s, {make['resident_mib']:,.0f} MiB "
                    f"in {make['processes']} processes",
                ),
                "make run",
            )
        )
    return rows


def checkout_rows(checkout: dict[str, Any], judged: Callable[[Row, str], Row]) -> list[Row]:
    if not checkout:
        return []
    if "error" in checkout:
        return [Row("checkout", "mercato", throughput=checkout["error"][:60])]

    def run_row(scenario: str, figures: dict[str, Any]) -> Row:
        return Row(
            scenario,
            "mercato",
            throughput=f"{figures['throughput']:.1f} orders/s",
            p50=milliseconds(figures["p50_ms"]),
            p95=milliseconds(figures["p95_ms"]),
            p99=milliseconds(figures["p99_ms"]),
            errors=f"{figures['errors']} (+{figures['non_terminal']} unfinished)",
        )

    rows = [run_row(f"checkout {CPU_RATE}/s for CPU", checkout["cpu run"])]
    for step in checkout["step search"]["steps"]:
        rows.append(run_row(f"checkout step {step['rate']:g}/s", step))
    highest = checkout["step search"]["highest"]
    rows.append(
        judged(
            Row("checkout step search", "mercato", throughput=f"{highest:g} orders/s"),
            "checkout step search",
        )
    )
    rows.append(judged(run_row("checkout 20/s", checkout[f"{CHECKOUT_RATE}/s"]), "checkout 20/s"))
    cpu = checkout["cpu per order ms"]
    for role, milliseconds_used in cpu["roles"].items():
        rows.append(Row("CPU per order", role, throughput=f"{milliseconds_used:.1f} ms"))
    rows.append(
        judged(Row("CPU per order", "all", throughput=f"{cpu['total']:.1f} ms"), "CPU per order")
    )
    relay = checkout["event relay"]
    if "error" in relay:
        rows.append(Row("event relay", "mercato", throughput=relay["error"][:60]))
    else:
        for contestant in ("mercato", "raw-celery"):
            figures = relay[contestant]
            row = Row(
                "event relay",
                contestant,
                throughput=f"{figures['count']} events",
                p50=milliseconds(figures["p50_ms"]),
                p95=milliseconds(figures["p95_ms"]),
                p99=milliseconds(figures["p99_ms"]),
            )
            if contestant == "mercato":
                row.ratio = times(relay["x raw-celery"], "raw-celery")
                judged(row, "event relay")
            rows.append(row)
    memory = checkout["resident memory MiB"]
    for role, sizes in memory.items():
        described = f"{max(sizes):.0f} MiB largest of {len(sizes)}" if sizes else "—"
        rows.append(Row("resident memory", role, throughput=described))
    largest = max(max(sizes, default=0.0) for sizes in memory.values())
    rows.append(
        judged(
            Row("resident memory", "largest", throughput=f"{largest:.0f} MiB"), "resident memory"
        )
    )
    return rows
