"""A service's probes, asked over HTTP; its ``/metrics`` read as Prometheus reads them. The
counters of a process add up over every test it ran, so a test compares a scrape with an earlier
one."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families


class Scrape:
    def __init__(self, text: str) -> None:
        self.samples = [
            (sample.name, sample.labels, sample.value)
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        ]

    def value(self, name: str, **labels: str) -> float:
        """The sum of the samples ``name`` whose labels include ``labels``; 0 when none."""
        return sum(
            value
            for found, their_labels, value in self.samples
            if found == name and labels.items() <= their_labels.items()
        )

    def names(self) -> set[str]:
        return {name for name, _labels, _value in self.samples}


async def health(base_url: str) -> tuple[int, dict]:
    """``/health``'s status and body."""
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"{base_url}/health")
    return answer.status_code, answer.json()


async def scrape(base_url: str) -> Scrape:
    """``/metrics`` of the service at ``base_url``, over HTTP."""
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"{base_url}/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return Scrape(answer.text)


async def ready(base_url: str) -> tuple[int, dict[str, str | None]]:
    """``/ready``'s status and each check's problem (None when it passed), by name."""
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"{base_url}/ready", timeout=30)
    report = answer.json()
    assert report["status"] == ("ready" if answer.status_code == 200 else "not ready")
    return answer.status_code, {
        check["name"]: None if check["ok"] else check["problem"] for check in report["checks"]
    }
