from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

# A part that dies is started again, but not in a tight loop: this many restarts a minute at most.
MAX_RESTARTS_PER_MINUTE = 5
READY_TIMEOUT_SECONDS = 180


class Command(BaseCommand):
    help = (
        "The whole platform under one command: web server, job worker and scheduler. Waits until "
        "/readyz answers ready; restarts a part that dies; Ctrl-C stops all three."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("FAWANG_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("FAWANG_PORT", "8000")))

    def handle(self, *args: Any, **options: Any) -> None:
        fawang = str(Path(sys.executable).parent / "fawang")
        parts = {
            "网站": [fawang, "run", "--host", options["host"], "--port", str(options["port"])],
            "后台任务": [fawang, "worker"],
            "定时任务": [fawang, "scheduler"],
        }
        supervisor = Supervisor(parts, self.stdout.write)
        signal.signal(signal.SIGTERM, lambda *_: supervisor.stop_and_exit(0))
        try:
            supervisor.start_all()
            base_url = f"http://{options['host']}:{options['port']}"
            self._wait_until_ready(base_url, supervisor)
            supervisor.watch()
        except KeyboardInterrupt:
            supervisor.stop_and_exit(0)

    def _wait_until_ready(self, base_url: str, supervisor: Supervisor) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        last = ""
        while time.monotonic() < deadline:
            supervisor.check()
            status, problems = readiness(base_url)
            if status == "ready":
                self.stdout.write(
                    f"法网已就绪：{base_url}/ （群众端）  {base_url}/console/ （工作人员）"
                )
                self.stdout.write(
                    f"演示短信收件箱：{base_url}/demo/sms/ ；按 Ctrl-C 停止全部服务。"
                )
                return
            if problems and problems != last:
                self.stdout.write(f"等待就绪：{problems}")
                last = problems
            time.sleep(1)
        supervisor.stop()
        raise CommandError(f"{READY_TIMEOUT_SECONDS} 秒内未就绪（{last or '网站无应答'}）")


def readiness(base_url: str) -> tuple[str, str]:
    try:
        with urllib.request.urlopen(f"{base_url}/readyz", timeout=5) as response:
            return json.loads(response.read()).get("status", ""), ""
    except urllib.error.HTTPError as error:
        body = json.loads(error.read() or b"{}")
        return body.get("status", ""), "；".join(body.get("problems", {}).values())
    except (OSError, ValueError):
        return "", ""


class Supervisor:
    """Starts the parts, restarts one that exits, stops them all together."""

    def __init__(self, parts: dict[str, list[str]], say: Any):
        self.parts = parts
        self.say = say
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.restarts: list[float] = []

    def start(self, name: str) -> None:
        self.running[name] = subprocess.Popen(self.parts[name])

    def start_all(self) -> None:
        for name in self.parts:
            self.start(name)

    def check(self) -> None:
        for name, process in list(self.running.items()):
            code = process.poll()
            if code is None:
                continue
            now = time.monotonic()
            self.restarts = [t for t in self.restarts if now - t < 60] + [now]
            if len(self.restarts) > MAX_RESTARTS_PER_MINUTE:
                self.say(f"{name}一分钟内反复退出，停止全部服务。")
                self.stop_and_exit(1)
            self.say(f"{name}已退出（代码 {code}），正在重新启动。")
            self.start(name)

    def watch(self) -> None:
        while True:
            self.check()
            time.sleep(1)

    def stop(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in self.running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()

    def stop_and_exit(self, code: int) -> None:
        self.say("正在停止全部服务……")
        self.stop()
        sys.exit(code)
