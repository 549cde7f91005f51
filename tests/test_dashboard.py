"""The Grafana dashboard shows every metric the services export, and only those, through the
Prometheus data source its user picks."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client.metrics import MetricWrapperBase

from core.monitoring import metrics

DASHBOARD = Path(__file__).resolve().parent.parent / "deploy" / "grafana" / "incorruptible.json"
SAMPLES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def exported() -> dict[str, set[str]]:
    """Each metric's name, with the names of the samples Prometheus stores for it."""
    declared = [value for value in vars(metrics).values() if isinstance(value, MetricWrapperBase)]
    return {
        family.name: {family.name + suffix for suffix in SAMPLES[family.type]}
        for metric in declared
        for family in metric.describe()
    }


def test_the_dashboard_queries_every_metric_and_no_other():
    dashboard = json.loads(DASHBOARD.read_text())
    panels = [panel for panel in dashboard["panels"] if panel["type"] != "row"]
    queried = {
        name
        for panel in panels
        for target in panel["targets"]
        for name in re.findall(r"incorruptible_\w+", target["expr"])
    }
    samples = exported()
    assert queried - set().union(*samples.values()) == set(), "unknown metrics"
    assert {name for name, names in samples.items() if not names & queried} == set(), "not shown"
    [variable] = dashboard["templating"]["list"]
    assert (variable["type"], variable["query"]) == ("datasource", "prometheus")
    sources = {json.dumps(panel["datasource"]) for panel in panels}
    assert sources == {json.dumps({"type": "prometheus", "uid": "${datasource}"})}
