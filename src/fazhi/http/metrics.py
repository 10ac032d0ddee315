"""`/metrics` in the Prometheus text format: requests, latency, CPU, database pool, outbox.

Counted per request by a pure ASGI middleware (route template, not path: `/api/v1/cases/{id}`
is one series however many cases there are; paths no route matched count as "unmatched").
Under `fazhi serve` every worker process writes its figures to memory-mapped files in
PROMETHEUS_MULTIPROC_DIR (prometheus_client's multi-process mode; the supervisor makes the
folder) and a scrape sums them over the workers, whichever worker answers it. Without that
variable (tests, an embedded app) the figures are this process's own.

Who may read it (`allowed`): with FAZHI_METRICS_TOKEN set, a caller sending it as
`Authorization: Bearer …`; without it, only a client on the loopback interface that came
directly, not through a reverse proxy (no X-Forwarded-For / Forwarded header). The figures
name no person or case, but route counts and the outbox backlog are the deployment's
business, not the public's.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from ipaddress import ip_address
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.pool import QueuePool

from fazhi.actions.platform import Platform
from fazhi.store.models import OutboxMessage

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_VARIABLE = "FAZHI_METRICS_TOKEN"
MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# Seconds: most requests take milliseconds; an annual report's export takes tens of seconds.
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
PROXY_HEADERS = (b"x-forwarded-for", b"forwarded", b"x-real-ip")


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_VARIABLE) or None


class OutboxCollector(Collector):
    """The outbox's messages by status, counted at scrape time (one grouped query)."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "fazhi_outbox_messages",
            "Outbox messages by status (pending and failed are the backlog)",
            labels=["status"],
        )
        with self.platform.sessions() as session:
            # The platform's region's: a district's servers report their own backlog.
            rows = session.execute(
                select(OutboxMessage.status, func.count())
                .where(OutboxMessage.region_code == self.platform.region_code)
                .group_by(OutboxMessage.status)
            ).all()
        counts = {"pending": 0, "sending": 0, "failed": 0, "dead": 0} | {
            status: int(n) for status, n in rows if status != "sent"
        }
        for status, n in sorted(counts.items()):
            family.add_metric([status], n)
        yield family


class Metrics:
    """The figures of one app. In multi-process mode they go to the shared files; else to
    this app's own registry (never the library's global one: tests build many apps)."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        folder = multiprocess_dir()
        # prometheus_client picks file-backed values when it is first imported; a `fazhi
        # serve` worker may have imported it before its supervisor set the folder, so the
        # choice is made again here, before the first metric is built.
        values.ValueClass = values.get_value_class()
        self.own = None if folder else CollectorRegistry()
        registry = self.own
        self.requests = Counter(
            "fazhi_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "fazhi_http_request_duration_seconds",
            "Time from the request's arrival to the end of its response",
            ["method", "route"],
            buckets=BUCKETS,
            registry=registry,
        )
        self.cpu = Gauge(
            "fazhi_process_cpu_seconds",
            "CPU time (user + system) of the server processes, summed over live workers",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.pool_in_use = Gauge(
            "fazhi_db_pool_connections_in_use",
            "Database connections checked out of the pool, summed over live workers",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.pool_open = Gauge(
            "fazhi_db_pool_connections_open",
            "Database connections open (idle or in use), summed over live workers",
            registry=registry,
            multiprocess_mode="livesum",
        )
        if self.own is not None:
            ProcessCollector(registry=self.own)
            self.own.register(OutboxCollector(platform))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)
        self.cpu.set(time.process_time())
        pool = self.platform.engine.pool
        if isinstance(pool, QueuePool):
            in_use = pool.checkedout()
            self.pool_in_use.set(in_use)
            self.pool_open.set(in_use + pool.checkedin())

    def render(self) -> bytes:
        """The text exposition (blocking: it reads files and the database)."""
        if self.own is not None:
            return generate_latest(self.own)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(OutboxCollector(self.platform))
        return generate_latest(registry)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def allowed(scope: Scope) -> bool:
    """Whether this request may read /metrics (see the module's docstring)."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if token:
        given = _header(scope, b"authorization") or ""
        return given.lower().startswith("bearer ") and hmac.compare_digest(
            given[7:].strip().encode(), token.encode()
        )
    if any(_header(scope, name) is not None for name in PROXY_HEADERS):
        return False
    client = scope.get("client")
    if not client:
        return False
    try:
        return ip_address(client[0]).is_loopback
    except ValueError:
        return False


class MetricsMiddleware:
    """Times every HTTP request and counts it under its route template and status."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.observe(scope["method"], route, status, time.perf_counter() - started)


def content_type() -> str:
    return str(CONTENT_TYPE_LATEST)
