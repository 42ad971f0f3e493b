"""Structured logging: structlog renders both its own events and the standard library's, each
line naming its service and process role, and no line carrying a secret."""

import functools
import logging
import os
import re
from collections.abc import Mapping
from typing import Any

import structlog
from django.conf import settings
from django.http import HttpRequest
from structlog.typing import EventDict, Processor, WrappedLogger

from common.observability.tracing import add_trace_ids
from common.proxies import client_address
from common.settings.derived import SETTINGS_MODULE

REDACTED = "[REDACTED]"
# A key naming a secret has its whole value masked, wherever it sits in the line.
SENSITIVE_KEY = re.compile(
    r"password|passwd|secret|token|authorization|signature|cookie|api_?key|credential"
    r"|^access$|^refresh$|^jwt$",
    re.IGNORECASE,
)
# Cheap first look at a text, lowered: only one that mentions any of these is rewritten.
SUSPICIOUS_TEXT = re.compile(
    r"eyj|bearer|basic |whsec_|v1,|passw|secret|token|signature|authorization|cookie"
)
# A name that says its value is secret, inside a text.
SECRET_NAME = r"(?i:[\w-]*(?:password|passwd|secret|token|signature|authorization|cookie)[\w-]*)"
SECRETS_IN_TEXT: list[tuple[re.Pattern[str], str]] = [
    # A JWT: access and refresh tokens, service tokens.
    (re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
    (re.compile(r"\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE), rf"\1 {REDACTED}"),
    # Standard Webhooks: a signing secret, and a signature header's value.
    (re.compile(r"whsec_[A-Za-z0-9+/=]+"), REDACTED),
    (re.compile(r"\bv1,[A-Za-z0-9+/=]{16,}"), REDACTED),
    # `"client_secret": "…"` or `'password': '…'` in JSON or a repr; `password=…` in a URL, a
    # form or a repr; an `Authorization:` or `Cookie:` header. Prose ("no service token: …") is
    # left alone.
    (
        re.compile(rf"""(["']{SECRET_NAME}["']\s*:\s*)("[^"]*"|'[^']*'|[^\s,;)}}\]]+)"""),
        rf"\1{REDACTED}",
    ),
    (re.compile(rf"""(\b{SECRET_NAME}=)("[^"]*"|'[^']*'|[^\s,&;)}}\]]+)"""), rf"\1{REDACTED}"),
    (
        re.compile(
            r"\b((?:proxy-)?authorization|(?:set-)?cookie)(\s*:\s*)[^\r\n\"']+", re.IGNORECASE
        ),
        rf"\1\2{REDACTED}",
    ),
]
# Fields the platform's own code writes, from values it made or checked (a caller's request and
# correlation ids are short tokens, see common.observability.correlation): never scanned.
TRUSTED_FIELDS = frozenset(
    {
        "timestamp", "level", "logger", "service", "role", "request_id", "correlation_id",
        "sub", "user_id", "ip", "task_id", "parent_task_id", "child_task_id", "event_id",
        "event_type", "code", "duration_ms", "trace_id", "span_id",
    }
)  # fmt: skip
NESTING_LIMIT = 5


@functools.cache
def process_identity() -> tuple[str, str]:
    """The service (from DJANGO_SETTINGS_MODULE, as the settings learn it) and the process role
    that docker/entrypoint exports: web, worker, beat, migrate; `command` for anything else."""
    match = SETTINGS_MODULE.fullmatch(os.environ.get("DJANGO_SETTINGS_MODULE", ""))
    return (match["service"] if match else "", os.environ.get("MERCATO_ROLE", "command"))


def add_process_identity(
    logger: WrappedLogger, method_name: str, event_dict: EventDict
) -> EventDict:
    event_dict["service"], event_dict["role"] = process_identity()
    return event_dict


@functools.lru_cache(maxsize=1024)
def sensitive_key(key: str) -> bool:
    return bool(SENSITIVE_KEY.search(key))


def redacted_text(text: str) -> str:
    if not SUSPICIOUS_TEXT.search(text.lower()):
        return text
    for pattern, replacement in SECRETS_IN_TEXT:
        text = pattern.sub(replacement, text)
    return text


def redacted(value: Any, depth: int = 0) -> Any:
    """`value` with every secret it holds masked: texts rewritten, containers walked."""
    if isinstance(value, str):
        return redacted_text(value)
    if depth >= NESTING_LIMIT:
        return value
    if isinstance(value, Mapping):
        return {
            key: REDACTED
            if isinstance(key, str) and sensitive_key(key)
            else redacted(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redacted(item, depth + 1) for item in value]
    return value


def redact_secrets(logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
    """Masks tokens, passwords, client and webhook secrets and signatures: the values of keys
    that name one, and token-shaped or `key=value` texts in any value, a stdlib record's message
    and a rendered traceback included. Runs last before rendering, on every line."""
    for key, value in event_dict.items():
        if key in TRUSTED_FIELDS or value is None:
            continue
        if sensitive_key(key):
            event_dict[key] = REDACTED
        elif isinstance(value, str):
            # Inlined first look: this runs for every field of every line.
            if SUSPICIOUS_TEXT.search(value.lower()):
                event_dict[key] = redacted_text(value)
        elif isinstance(value, Mapping | list | tuple):
            event_dict[key] = redacted(value)
    return event_dict


# What an idle platform repeats on a timer: probes and scrapes answered, and the enqueue of every
# periodic task. Logged at DEBUG, so an idle console stays quiet; each sweep's own line says, at
# INFO, when it did something (common.celery.sweep_reported). A request's start is DEBUG too: its
# `request_finished` line says all the other did, and a request that never finishes is gunicorn's
# WORKER TIMEOUT line; writing both cost a busy web worker a tenth of its time.
ROUTINE_REQUESTS = frozenset({"GET /healthz/live", "GET /healthz/ready", "GET /metrics"})
BEAT_SENDING = "Scheduler: Sending due task"


@functools.cache
def periodic_task_names() -> frozenset[str]:
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None) or {}
    return frozenset(entry["task"] for entry in schedule.values())


def routine(event_dict: EventDict) -> bool:
    event = event_dict.get("event")
    if event == "request_started":
        return True
    if event == "request_finished":
        return event_dict.get("request") in ROUTINE_REQUESTS and event_dict.get("code", 200) < 400
    if event == "task_enqueued":
        return event_dict.get("child_task_name") in periodic_task_names()
    return False


def routine_at_debug(logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
    """A routine line (`routine`) is dropped unless its logger shows DEBUG, and then says debug."""
    if routine(event_dict):
        if not logger.isEnabledFor(logging.DEBUG):
            raise structlog.DropEvent
        event_dict["level"] = "debug"
    return event_dict


class BeatSendsAtDebug(logging.Filter):
    """Beat's "Sending due task" line, for every periodic task every few seconds, at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(BEAT_SENDING):
            return True
        if not logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
            return False
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


# Tracing adds its processor (trace_id, span_id) right after merge_contextvars.
SHARED_PROCESSORS: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    add_process_identity,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
    add_trace_ids,
]


def configure_structlog() -> None:
    """Routes structlog through the standard library so LOGGING decides where lines go."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            routine_at_debug,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


class StructuredFormatter(structlog.stdlib.ProcessorFormatter):
    """One JSON object per line (`format="json"`) or key-value lines (`"console"`), for
    structlog's events and foreign (standard library) records alike: gunicorn's too."""

    def __init__(self, format: str = "json", **kwargs: Any) -> None:
        renderer = (
            structlog.processors.JSONRenderer()
            if format == "json"
            else structlog.dev.ConsoleRenderer(colors=False)
        )
        super().__init__(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                redact_secrets,
                renderer,
            ],
            foreign_pre_chain=SHARED_PROCESSORS,
            **kwargs,
        )


def bind_client_address(sender: Any, *, request: HttpRequest, **kwargs: Any) -> None:
    """django-structlog's request hook: every log line of the request names the client as the
    throttles and the sign-in lockout see it."""
    structlog.contextvars.bind_contextvars(ip=client_address(request))


def bind_task_context(
    sender: Any = None, *, task_id: str, task: Any, args: Any = (), **kwargs: Any
) -> None:
    """Celery's task_prerun, in the worker: the task's lines carry the context of whoever queued
    it (its correlation id, request id, caller's sub), which django-structlog's publish hook put
    in the message's headers, and nothing of the previous task. A task delivering an event
    (its first argument an envelope: consume, retry) carries the event's correlation id, which
    holds also when the beat's outbox sweep, not a request, sent it."""
    structlog.contextvars.clear_contextvars()
    context = {**(getattr(task.request, "__django_structlog__", None) or {}), "task_id": task_id}
    envelope = args[0] if args else None
    if isinstance(envelope, dict) and isinstance(envelope.get("correlationid"), str):
        context.update(
            correlation_id=envelope["correlationid"],
            event_id=str(envelope.get("id")),
            event_type=str(envelope.get("type")),
        )
    structlog.contextvars.bind_contextvars(**context)
