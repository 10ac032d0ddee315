"""/metrics: the Prometheus text format, requests counted by route template and status,
latency, CPU, the database pool and the outbox backlog; readable from the loopback only
(not through a proxy) or with FAZHI_METRICS_TOKEN."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support import ServerThread


def families(text: str) -> dict[str, Any]:
    return {f.name: f for f in text_string_to_metric_families(text)}


def sample(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return float(s.value)
    raise AssertionError(f"no {name} {labels}")


def test_requests_are_counted_under_their_route_template_not_their_path(
    anonymous: httpx.Client, login: Callable[[str], Any]
) -> None:
    operator = login("operator1")
    case = operator.register(content="小区门口流动摊贩占道经营（合成测试）")
    before = anonymous.get("/metrics").text
    for _ in range(3):
        assert operator.get(f"/api/v1/cases/{case['id']}").status_code == 200
    assert anonymous.get("/no/such/page").status_code == 404
    after = anonymous.get("/metrics")
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text

    def count(route: str, status: str, page: str) -> float:
        try:
            return sample(
                page, "fazhi_http_requests_total", method="GET", route=route, status=status
            )
        except AssertionError:
            return 0.0

    one = "/api/v1/cases/{case_id}"
    assert count(one, "200", text) - count(one, "200", before) == 3
    assert count("unmatched", "404", text) - count("unmatched", "404", before) == 1
    assert f'/api/v1/cases/{case["id"]}"' not in text  # one series, whatever the id
    found = families(text)
    histogram = found["fazhi_http_request_duration_seconds"]
    assert histogram.type == "histogram"
    assert sample(text, "fazhi_http_request_duration_seconds_count", route=one) >= 3
    assert found["process_cpu_seconds"].type == "counter"
    assert sample(text, "fazhi_process_cpu_seconds") > 0
    assert sample(text, "fazhi_db_pool_connections_open") > 0
    assert {"pending", "sending", "failed", "dead"} <= {
        s.labels["status"] for s in found["fazhi_outbox_messages"].samples
    }


def test_through_a_proxy_metrics_are_refused(anonymous: httpx.Client) -> None:
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        response = anonymous.get("/metrics", headers={header: "203.0.113.9"})
        assert response.status_code == 403
        assert response.json()["code"] == "metrics_forbidden"
        assert "运行指标" in response.json()["message"]


def test_with_a_token_set_only_its_bearer_may_read(
    server: ServerThread, anonymous: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAZHI_METRICS_TOKEN", "synthetic-metrics-token-0123456789")
    assert anonymous.get("/metrics").status_code == 403
    wrong = {"authorization": "Bearer something-else"}
    assert anonymous.get("/metrics", headers=wrong).status_code == 403
    right = {"authorization": "Bearer synthetic-metrics-token-0123456789"}
    response = anonymous.get("/metrics", headers=right)
    assert response.status_code == 200
    assert "fazhi_http_requests_total" in response.text
    # With the token, a scrape through the proxy is fine too.
    proxied = {**right, "X-Forwarded-For": "203.0.113.9"}
    assert anonymous.get("/metrics", headers=proxied).status_code == 200
