"""Real servers the e2e suite stands up beside the platform: an SMTP server catching mail and a
TCP relay in front of a server (the broker, a database) the suite can cut (webhooks go to
common/testing's HTTP stub)."""

import contextlib
import email
import email.message
import logging
import socket
import threading

from aiosmtpd.controller import Controller

from common.testing.servers import free_port


class MailCatcher:
    """An SMTP server on 127.0.0.1 keeping every message; `stop()` makes sending fail."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.port = free_port()
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        # aiosmtpd logs every SMTP command at INFO: noise around a failing test.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[email.message.Message]:
        return [message for message in self.messages if address in message["To"]]


class TcpSwitch:
    """A TCP relay on 127.0.0.1 to a server (`host:port` or a unix socket path). `cut()` is the
    server going away for every process using it; `restore()` is it coming back."""

    def __init__(self, upstream: tuple[str, int] | str) -> None:
        self.upstream = upstream
        self.port = free_port()
        # The URL (CELERY_BROKER_URL, a database's) that reaches the server through this relay.
        self.url = ""
        self.listener: socket.socket | None = None
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()

    def restore(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    start = restore

    def cut(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone would leave it listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self.connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = self._connect_upstream()
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()

    def _connect_upstream(self) -> socket.socket:
        if isinstance(self.upstream, str):
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(self.upstream)
            return upstream
        return socket.create_connection(self.upstream)


def _pump(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    for end in (source, target):
        with contextlib.suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)
