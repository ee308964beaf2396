"""gunicorn settings for `make serve` and for production behind nginx (docs/operations.md).

Workers = CPU cores, 4 threads each, changeable with MINYI_WEB_WORKERS and
MINYI_WEB_THREADS. Why: the pages spend their time in Python, so one process per
core keeps every core busy without processes queueing for the GIL of another;
the threads cover the waits (database, a slow client, SQLite's write lock), so a
2-core server answers 8 requests at once. The usual "2 × cores + 1" is for
single-threaded sync workers; with threads it only adds memory (each process
holds Django, numpy and scikit-learn) and more writers contending for SQLite.
"""

import multiprocessing
import os

bind = os.getenv("MINYI_BIND", "127.0.0.1:8000")
workers = int(os.getenv("MINYI_WEB_WORKERS", "0")) or multiprocessing.cpu_count()
threads = int(os.getenv("MINYI_WEB_THREADS", "4"))
worker_class = "gthread"
# Exports of 10,000 rows stream within seconds; a request stuck longer is killed and logged.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle a process now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Only the local nginx may say which client and scheme a request came from.
forwarded_allow_ips = os.getenv("MINYI_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
wsgi_app = "minyi.wsgi:application"
# No control socket: minyi does not use it, and a second server on the same
# machine (a staging copy, a bench) would fight over its one default path.
control_socket_disable = True
