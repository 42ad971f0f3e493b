"""Structured logging: structlog renders both its own events and the standard library's."""

from typing import Any

import structlog
from django.http import HttpRequest
from structlog.typing import Processor

from common.observability.tracing import add_trace_ids
from common.proxies import client_address

SHARED_PROCESSORS: list[Processor] = [
    structlog.contextvars.merge_contextvars,
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
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


class StructuredFormatter(structlog.stdlib.ProcessorFormatter):
    """One JSON object per line (`format="json"`) or coloured key-value lines (`"console"`)."""

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
                renderer,
            ],
            foreign_pre_chain=SHARED_PROCESSORS,
            **kwargs,
        )


def bind_client_address(sender: Any, *, request: HttpRequest, **kwargs: Any) -> None:
    """django-structlog's request hook: every log line of the request names the client as the
    throttles and the sign-in lockout see it."""
    structlog.contextvars.bind_contextvars(ip=client_address(request))
