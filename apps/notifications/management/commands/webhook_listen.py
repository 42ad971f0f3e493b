"""`./manage.py notifications webhook_listen`: a webhook receiver on this machine, for trying
webhooks locally (`make run` allows loopback targets); prints every delivery it is sent."""

import binascii
import json
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from apps.notifications.signing import SECRET_PREFIX, webhook_signature_verified

DEFAULT_PORT = 8765


class Command(BaseCommand):
    help = (
        "Listens on http://HOST:PORT/ for webhook deliveries, prints each one (its headers and "
        "pretty-printed body) and answers 204; with --secret, checks each signature and answers "
        "400 to one that does not verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0: any free port")
        parser.add_argument("--secret", help="the endpoint's whsec_… secret, to verify signatures")
        parser.add_argument("--count", type=int, help="stop after this many deliveries")
        parser.add_argument(
            "--timeout",
            type=float,
            help="stop after this many seconds; with --count, failing unless that many arrived",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        secret = options["secret"]
        if secret is not None and not secret.startswith(SECRET_PREFIX):
            raise CommandError(f"--secret must start with {SECRET_PREFIX}")
        receiver = Receiver(
            (options["host"], options["port"]),
            out=self.stdout,
            secret=secret,
            count=options["count"],
        )
        self.stdout.write(
            f"listening on http://{options['host']}:{receiver.server_port}/ (Ctrl-C stops)"
        )
        self.stdout.flush()
        thread = threading.Thread(target=receiver.serve_forever, daemon=True)
        thread.start()
        try:
            arrived = receiver.done.wait(timeout=options["timeout"])
            if not arrived and options["count"] is not None:
                raise CommandError(
                    f"{receiver.received} of {options['count']} deliveries after "
                    f"{options['timeout']:g}s"
                )
        except KeyboardInterrupt:
            pass
        finally:
            receiver.shutdown()
            receiver.server_close()


class Receiver(ThreadingHTTPServer):
    """Counts, prints and answers deliveries; `done` is set once `count` valid ones arrived."""

    def __init__(
        self, address: tuple[str, int], *, out: OutputWrapper, secret: str | None, count: int | None
    ) -> None:
        super().__init__(address, DeliveryHandler)
        self.out = out
        self.secret = secret
        self.count = count
        self.received = 0
        self.done = threading.Event()
        self.printing = threading.Lock()

    def delivered(self, text: str, *, accepted: bool) -> None:
        with self.printing:
            self.out.write(text)
            self.out.flush()
            if accepted:
                self.received += 1
                if self.count is not None and self.received >= self.count:
                    self.done.set()


class DeliveryHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        verdict = self.verdict(body)
        accepted = verdict != "signature INVALID"
        self.send_response(HTTPStatus.NO_CONTENT if accepted else HTTPStatus.BAD_REQUEST)
        self.end_headers()
        self.server.delivered(self.described(body, verdict), accepted=accepted)

    def verdict(self, body: bytes) -> str:
        if self.server.secret is None:
            return "signature not checked (no --secret)"
        try:
            verified = webhook_signature_verified(
                secret=self.server.secret,
                message_id=self.headers.get("webhook-id", ""),
                timestamp=int(self.headers.get("webhook-timestamp", "")),
                body=body,
                signature_header=self.headers.get("webhook-signature", ""),
            )
        except (ValueError, binascii.Error):
            verified = False
        return "signature verified" if verified else "signature INVALID"

    def described(self, body: bytes, verdict: str) -> str:
        try:
            payload = json.loads(body)
            shown = json.dumps(payload, indent=2, sort_keys=True)
        except ValueError:
            payload, shown = None, body.decode(errors="replace")
        kind = payload.get("type", "?") if isinstance(payload, dict) else "?"
        sent_at = self.headers.get("webhook-timestamp", "")
        when = time.strftime("%H:%M:%S", time.localtime(int(sent_at))) if sent_at.isdigit() else "?"
        return (
            f"POST {self.path} {kind} webhook-id={self.headers.get('webhook-id', '?')} "
            f"sent {when}: {verdict}\n{shown}\n"
        )

    def log_message(self, format: str, *args: Any) -> None:
        """The delivery's own lines say it all; http.server's access line would repeat it."""
