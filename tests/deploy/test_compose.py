"""docker-compose.yml, .env.example and the proxy's Caddyfile agree with the product: every
service runs a real command, every variable is a setting the product reads or one .env.example
documents, the proxy and the healthchecks reach the ports the services listen on, and the
whole describes a production shape the product accepts. No Docker is needed, except for the
last checks, which run the real tools where they are installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import typer.main
import yaml

from bot.runner import WEBHOOK_PATH
from core.infra.production import unsafe_settings
from core.infra.settings import ENV_PREFIX, Settings, load_settings
from incorruptible.cli import app

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
EXAMPLE = ROOT / ".env.example"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
SETTINGS = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
# What an operator fills in where .env.example leaves a secret empty.
SECRETS = {
    "POSTGRES_PASSWORD": "a-password",
    "INCORRUPTIBLE_BOT_TOKEN": "123456:not-a-real-token",
    "INCORRUPTIBLE_WEBHOOK_SECRET": "s" * 32,
}
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error} and ${NAME?error}.
INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:?)([-?])([^}]*))?\}")
# Where each long-running command answers /ready, and which of its addresses it opens to others.
PROBES = {
    "admin": ("admin_host", "admin_port"),
    "bot": ("webhook_host", "webhook_port"),
    "worker": ("worker_host", "worker_port"),
}
LISTENS = {"admin": ("admin_host",), "bot": ("webhook_host",), "worker": ()}


def example() -> dict[str, str]:
    """The variables .env.example sets."""
    found = re.findall(r"^(\w+)=(.*)$", EXAMPLE.read_text(), re.MULTILINE)
    return dict(found)


def interpolate(text: str, variables: dict[str, str]) -> str:
    """``text`` with its variables replaced as Compose does; an error for a required one unset."""

    def value(match: re.Match[str]) -> str:
        name, colon, kind, rest = match.groups()
        given = variables.get(name)
        missing = given is None or (colon == ":" and given == "")
        if kind == "?" and missing:
            raise AssertionError(f"{name} is required: {rest}")
        if kind == "-" and missing:
            return rest
        return given or ""

    return INTERPOLATION.sub(value, text)


def compose(variables: dict[str, str]) -> dict:
    return yaml.safe_load(interpolate(COMPOSE.read_text(), variables))


def filled_in() -> dict[str, str]:
    """What a .env written from .env.example holds."""
    return {**example(), **SECRETS}


def product_services() -> dict[str, dict]:
    """The services built from this repository's Dockerfile."""
    services = compose(filled_in())["services"]
    return {name: service for name, service in services.items() if service.get("build") == "."}


def resolve(command: list[str]) -> tuple[Any, dict[str, Any]]:
    """The command of the CLI that ``command`` runs, and its parameters; click's UsageError
    for an unknown command, option or value."""
    assert command[0] == "incorruptible", command
    group = typer.main.get_command(app)
    context = group.context_class(group, info_name="incorruptible")
    name, chosen, rest = group.resolve_command(context, command[1:])
    return chosen, chosen.make_context(name, rest, parent=context).params


def is_group(command: Any) -> bool:
    # Typer may bring a click of its own: its classes are not click's.
    return hasattr(command, "list_commands")


def settings_of(service: dict, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The settings a service's container reads: .env, then the service's environment."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in {**filled_in(), **service.get("environment", {})}.items():
        monkeypatch.setenv(name, str(value))
    return load_settings(_env_file=None)


def test_every_service_built_from_the_image_runs_a_command_of_the_cli():
    services = product_services()
    assert {"migrate", "admin", "bot", "worker"} <= services.keys()
    for service in services.values():
        command, _ = resolve(service["command"])
        assert not is_group(command), service["command"]


def test_an_unknown_command_or_option_is_not_resolved():
    wrong = {
        "No such command": ["incorruptible", "robot"],
        "No such option": ["incorruptible", "bot", "--web-hook"],
        "unexpected extra argument": ["incorruptible", "admin", "now"],
    }
    for problem, command in wrong.items():
        with pytest.raises(Exception, match=problem):
            resolve(command)


def test_the_bot_leaves_the_outbox_to_the_workers():
    services = product_services()
    _, options = resolve(services["bot"]["command"])
    assert options["webhook"] and not options["worker"]
    assert services["bot"]["deploy"]["replicas"] > 1
    assert services["worker"]["deploy"]["replicas"] > 1


def test_every_product_variable_the_compose_file_sets_is_a_setting():
    for name, service in product_services().items():
        unknown = {var for var in service["environment"] if var.startswith(ENV_PREFIX)} - SETTINGS
        assert not unknown, f"{name} sets {unknown}"


def test_every_variable_the_compose_file_reads_is_in_the_example():
    read = {match.group(1) for match in INTERPOLATION.finditer(COMPOSE.read_text())}
    assert read
    assert read - example().keys() == set()


def test_every_product_variable_of_the_example_is_a_setting():
    # Lines left commented out name settings too.
    named = set(re.findall(r"^#? ?(\w+)=", EXAMPLE.read_text(), re.MULTILINE))
    product = {name for name in named if name.startswith(ENV_PREFIX)}
    assert product - SETTINGS == set()
    assert product


def test_the_example_leaves_every_secret_to_fill_in():
    values = example()
    assert all(values[name] == "" for name in SECRETS)
    with pytest.raises(AssertionError, match="POSTGRES_PASSWORD"):
        compose(values)


def test_only_the_proxy_publishes_ports():
    services = compose(filled_in())["services"]
    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]
    assert {"80:80", "443:443"} <= set(services["proxy"]["ports"])


def test_the_proxy_hands_the_webhook_to_every_bot_replica_and_the_rest_to_the_admin(monkeypatch):
    services = product_services()
    proxy = compose(filled_in())["services"]["proxy"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    caddyfile = CADDYFILE.read_text()
    webhook = re.search(
        rf"handle {re.escape(WEBHOOK_PATH)} \{{.*?dynamic a (\w+) (\d+)", caddyfile, re.S
    )
    assert webhook, caddyfile
    bot = settings_of(services[webhook.group(1)], monkeypatch)
    assert int(webhook.group(2)) == bot.webhook_port
    assert urlsplit(str(bot.webhook_url)).path == WEBHOOK_PATH
    rest = re.search(r"handle \{\s*reverse_proxy (\w+):(\d+)", caddyfile)
    assert rest, caddyfile
    admin = settings_of(services[rest.group(1)], monkeypatch)
    assert int(rest.group(2)) == admin.admin_port
    assert services[rest.group(1)]["command"] == ["incorruptible", "admin"]


def test_each_healthcheck_asks_ready_where_its_service_listens(monkeypatch):
    for name, service in product_services().items():
        command, _ = resolve(service["command"])
        if command.name not in PROBES:
            assert "healthcheck" not in service, name
            continue
        probe = " ".join(service["healthcheck"]["test"])
        found = re.search(r"http://([\d.]+):(\d+)/ready", probe)
        assert found, f"{name}: {probe}"
        host_setting, port_setting = PROBES[command.name]
        settings = settings_of(service, monkeypatch)
        # The probe runs inside the container: it reaches an address on every interface too.
        assert getattr(settings, host_setting) in {found.group(1), "0.0.0.0"}, name
        assert int(found.group(2)) == getattr(settings, port_setting), name


def test_the_services_start_in_the_production_shape_without_a_refusal(monkeypatch):
    for name, service in product_services().items():
        command, _ = resolve(service["command"])
        if command.name not in LISTENS:
            continue
        settings = settings_of(service, monkeypatch)
        assert settings.webhook_url is not None, name
        assert unsafe_settings(settings, listens=LISTENS[command.name], demo_seeded=False) == []


def compose_tool() -> list[str] | None:
    """Docker's compose plugin, or the older docker-compose; None when neither is installed."""
    for tool in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(tool[0]) is None:
            continue
        if subprocess.run([*tool, "version"], capture_output=True).returncode == 0:
            return tool
    return None


def test_docker_compose_reads_the_file_with_a_filled_in_env(tmp_path):
    tool = compose_tool()
    assert tool is not None, "Docker Compose is missing (the test command installs it as root)"
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    lines = [f"{name}={value}" for name, value in filled_in().items()]
    (tmp_path / ".env").write_text("\n".join(lines) + "\n")
    checked = subprocess.run([*tool, "config"], cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "incorruptible" in checked.stdout
    shutil.copy(EXAMPLE, tmp_path / ".env")
    refused = subprocess.run([*tool, "config"], cwd=tmp_path, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in refused.stderr


@pytest.mark.parametrize("tls", ["ops@example.org", "internal"])
def test_caddy_reads_the_caddyfile(tls):
    assert shutil.which("caddy"), "Caddy is missing (the test command installs it as root)"
    environment = {"SITE_ADDRESS": "incorruptible.example.org", "CADDY_TLS": tls}
    adapted = subprocess.run(
        ["caddy", "adapt", "--config", str(CADDYFILE)],
        capture_output=True,
        text=True,
        env={**os.environ, **environment},
    )
    assert adapted.returncode == 0, adapted.stderr
    assert WEBHOOK_PATH in adapted.stdout
    assert '"dynamic_upstreams"' in adapted.stdout
    # The operator's paths are answered 404 before any route could pass them on.
    routes = json.loads(adapted.stdout)["apps"]["http"]["servers"]["srv0"]["routes"]
    first = routes[0]["handle"][0]["routes"][0]
    assert first["match"] == [{"path": ["/ready", "/metrics"]}]
    assert "404" in json.dumps(first["handle"])
