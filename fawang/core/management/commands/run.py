from __future__ import annotations

import errno
import os
import shutil
import socket
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the platform with the production server (granian, WSGI interface)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("FAWANG_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("FAWANG_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("FAWANG_WORKERS", "2"))
        )
        # Each request thread holds its own database connection: keep threads × workers well
        # under the database's max_connections (PostgreSQL's default is 100). 4, not more: the
        # work is CPU-bound under the GIL, and in the intake benchmark 4 threads beat 8 on
        # throughput and p99 (docs/architecture.md).
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("FAWANG_THREADS", "4"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        _refuse_a_taken_port(options["host"], options["port"])
        granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or "granian"
        command = [
            granian,
            "--interface",
            "wsgi",
            "--host",
            options["host"],
            "--port",
            str(options["port"]),
            "--workers",
            str(options["workers"]),
            "--blocking-threads",
            str(options["threads"]),
            "--no-ws",
            # A worker that dies (kill -9, out of memory) is replaced; the others keep serving.
            "--respawn-failed-workers",
            "--respawn-interval",
            "1",
            "fawang.wsgi:application",
        ]
        self.stdout.write(f"法网 fawang: http://{options['host']}:{options['port']}/")
        sys.stdout.flush()
        # Replace this process so signals (Ctrl-C, SIGTERM from a supervisor) reach the server.
        os.execv(granian, command)


def _refuse_a_taken_port(host: str, port: int) -> None:
    """granian listens with SO_REUSEPORT, so a second server on the same port starts without a
    word and the kernel spreads requests over both: a `make run` after a change, with the old
    one still running, would answer half the requests with the old code."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise CommandError(
                f"端口 {port} 已被占用：可能已有一个法网在运行。请先停止它，或用 --port 换一个端口。"
            ) from error
