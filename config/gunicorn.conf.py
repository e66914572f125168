"""gunicorn settings of an Ohjaamo web node: `gunicorn -c config/gunicorn.conf.py wsgi:app`.

Flags on the command line and in GUNICORN_CMD_ARGS override these (the systemd unit
gives `--bind`). docs/deploy.md explains the figures.
"""

import multiprocessing

# Where nginx reaches this node; a private address when nginx runs on another machine.
bind = "127.0.0.1:8000"

# Threads in a few processes: a request mostly waits on PostgreSQL, and each process keeps
# its own connection pool (DATABASE_POOL_SIZE, which must be at least `threads`).
# gunicorn's threaded worker ("gthread"), whose own error answers (a request line too
# long, a malformed request) are problem documents like the app's.
worker_class = "service.gunicorn_worker.ProblemThreadWorker"
workers = max(2, multiprocessing.cpu_count())
threads = 4

# Each worker builds the app (and its database pool) after the fork; a preloaded app
# would share pooled connections between processes.
preload_app = False

# A request that takes longer is stuck: its worker is replaced.
timeout = 60
# On SIGTERM and on `systemctl reload` (SIGHUP), requests in progress get this long.
graceful_timeout = 30
# Connections nginx keeps open to the node between requests (longer than nginx's own
# upstream keepalive_timeout, so nginx closes them first).
keepalive = 75
# A worker is replaced after this many requests (jittered), bounding slow memory growth.
max_requests = 2000
max_requests_jitter = 200

# One JSON object per request on stdout (journald keeps it); errors on stderr.
accesslog = "-"
errorlog = "-"
loglevel = "info"
logger_class = "service.access_log.JsonAccessLogger"

# nginx on the same machine or the private network sets X-Forwarded-*; the app believes
# them through TRUSTED_PROXY_HOPS, gunicorn through this list (for the URL scheme).
forwarded_allow_ips = "127.0.0.1,::1"


def on_starting(server):
    """Refuse to start several workers that would count the rate limits apart (each
    with its own `memory://` store): RATELIMIT_STORAGE_URI must name a shared store,
    or the node runs one worker. The message names the setting."""
    from service.settings import check_rate_limit_store, settings_in_force

    check_rate_limit_store(settings_in_force(), server.cfg.workers)
