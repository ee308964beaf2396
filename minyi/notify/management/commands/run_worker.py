"""manage.py run_worker: the background worker and the periodic scheduler in one loop.

Each tick: drain the consumers of the event log (what after-commit nudges
missed), put back tasks a dead worker left running, queue the periodic jobs
that are due, run every ready task, then sleep. ``make run`` starts it next to
runserver; in production run one (or more) beside the web processes.
"""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils.crypto import get_random_string

from minyi.audit.consumers import drain_all
from minyi.notify.schedule import enqueue_due
from minyi.notify.worker import requeue_stale, run_ready_tasks

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "运行后台任务：发送通知邮件、每日汇总、时限提醒、重建索引等（Ctrl-C 退出）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=5.0, help="空闲时的轮询间隔（秒）")
        parser.add_argument("--once", action="store_true", help="只运行一轮后退出（供 cron 使用）")
        parser.add_argument("--worker-id", default="", help="工作进程编号，默认随机生成")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"] or f"minyi-{get_random_string(12)}"
        self.stopping = False
        # Finish the task in hand on Ctrl-C or SIGTERM, then leave.
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        self.stdout.write(f"后台任务进程 {worker_id} 已启动。")
        try:
            while not self.stopping:
                try:
                    self.tick(worker_id)
                except DatabaseError:
                    # The database went away (a restart, a failover): the worker stays
                    # and tries again next tick, on a fresh connection.
                    log.exception("A worker tick failed on the database; trying again")
                if options["once"]:
                    break
                # Like a request: drop connections the database closed while we slept.
                close_old_connections()
                self.sleep(options["interval"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("后台任务进程已退出。")

    def tick(self, worker_id: str) -> None:
        # Whatever an after-commit nudge missed (a process that died, a handler
        # that failed and is due again) is delivered here.
        try:
            delivered = sum(p.handled for p in drain_all())
        except DatabaseError:
            # The database is away for a moment: the jobs below will say so too; try next tick.
            log.exception("Draining the event consumers failed")
            delivered = 0
        stale = requeue_stale()
        queued = enqueue_due()
        ran = run_ready_tasks(worker_id)
        if delivered or stale or queued or ran:
            names = "、".join(queued) or "无"
            self.stdout.write(
                f"事件消费 {delivered} 条，重新排队 {stale} 个，新排定期任务：{names}，"
                f"运行任务 {ran} 个。"
            )

    def sleep(self, seconds: float) -> None:
        # Short naps so a stop request is honoured within a second.
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(1.0, seconds))

    def stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
