"""The production shape refuses what would be unsafe once Telegram sends updates to a public
address: each reason is one line naming what to change, and a safe configuration has none."""

from __future__ import annotations

import pytest

from core.demo import demo_secretariat, seed_demo
from core.infra.production import in_production, unsafe_settings
from core.infra.settings import Settings, load_settings
from tests.support import factories

BOTH = ("admin_host", "webhook_host")


def production(**changes: object) -> Settings:
    """A safe production configuration, with ``changes``."""
    values: dict[str, object] = {
        "bot_token": "123456:secret",
        "webhook_url": "https://incorruptible.example.org/telegram/webhook",
        "webhook_secret": "s" * 32,
        "public_base_url": "https://incorruptible.example.org",
        "admin_host": "0.0.0.0",
        "webhook_host": "0.0.0.0",
        "behind_proxy": True,
    }
    return load_settings(_env_file=None, **{**values, **changes})


def test_a_safe_production_configuration_has_no_problem():
    settings = production()
    assert in_production(settings)
    assert unsafe_settings(settings, listens=BOTH, demo_seeded=False) == []


def test_without_a_webhook_url_the_settings_are_not_the_production_shape():
    assert not in_production(load_settings(_env_file=None))


@pytest.mark.parametrize("token", [None, ""])
def test_a_missing_bot_token_is_named(token):
    problems = unsafe_settings(production(bot_token=token), listens=BOTH, demo_seeded=False)
    assert len(problems) == 1
    assert problems[0].startswith("INCORRUPTIBLE_BOT_TOKEN:")


def test_the_demo_data_is_refused():
    problems = unsafe_settings(production(), listens=BOTH, demo_seeded=True)
    assert len(problems) == 1
    assert "demo secretariat" in problems[0]


@pytest.mark.parametrize("host", ["0.0.0.0", "::", ""])
@pytest.mark.parametrize("setting", ["admin_host", "webhook_host"])
def test_listening_everywhere_without_the_proxy_is_refused(setting, host):
    settings = production(behind_proxy=False, **{setting: host})
    others = {"admin_host", "webhook_host"} - {setting}
    settings = settings.model_copy(update={name: "127.0.0.1" for name in others})
    problems = unsafe_settings(settings, listens=BOTH, demo_seeded=False)
    assert len(problems) == 1
    assert problems[0].startswith(f"INCORRUPTIBLE_{setting.upper()}:")
    assert "INCORRUPTIBLE_BEHIND_PROXY=true" in problems[0]


def test_only_the_addresses_the_service_opens_are_judged():
    settings = production(behind_proxy=False, webhook_host="127.0.0.1")
    assert unsafe_settings(settings, listens=("webhook_host",), demo_seeded=False) == []
    assert len(unsafe_settings(settings, listens=("admin_host",), demo_seeded=False)) == 1


@pytest.mark.parametrize("setting", ["public_base_url", "webhook_url"])
def test_a_public_url_without_https_is_refused(setting):
    settings = production(**{setting: "http://incorruptible.example.org/telegram/webhook"})
    problems = unsafe_settings(settings, listens=BOTH, demo_seeded=False)
    assert problems == [
        f"INCORRUPTIBLE_{setting.upper()}: must start with https:// "
        "(http://incorruptible.example.org/telegram/webhook)"
    ]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8443/hook", "http://localhost:8000", "http://[::1]:8000"]
)
def test_plain_http_on_the_machine_itself_is_allowed(url):
    settings = production(public_base_url=url, webhook_url=url)
    assert unsafe_settings(settings, listens=BOTH, demo_seeded=False) == []


def test_every_problem_is_listed_at_once():
    settings = production(
        bot_token=None,
        behind_proxy=False,
        public_base_url="http://incorruptible.example.org",
        webhook_url="http://incorruptible.example.org/telegram/webhook",
    )
    problems = unsafe_settings(settings, listens=BOTH, demo_seeded=True)
    expected = [
        "INCORRUPTIBLE_BOT_TOKEN:",
        "the database holds the demo secretariat",
        "INCORRUPTIBLE_ADMIN_HOST:",
        "INCORRUPTIBLE_WEBHOOK_HOST:",
        "INCORRUPTIBLE_PUBLIC_BASE_URL:",
        "INCORRUPTIBLE_WEBHOOK_URL:",
    ]
    assert len(problems) == len(expected), problems
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), problems


async def test_the_demo_secretariat_is_found_once_seeded(session_factory, tmp_path):
    async with session_factory() as session, session.begin():
        await factories.secretariat(session)
        assert await demo_secretariat(session) is None
    await seed_demo(session_factory, load_settings(_env_file=None, data_dir=tmp_path))
    async with session_factory() as session:
        assert await demo_secretariat(session) is not None
