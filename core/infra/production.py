"""What makes a start in the production shape (a webhook URL set) unsafe.

The embedded shape forgives everything: it runs on one machine for one person trying the
product. Once Telegram sends updates to a public address, a missing token, the demo's people
answering real ones, a port open to the world without the proxy's HTTPS, or a link sent over
plain HTTP would each go unnoticed until someone is hurt by it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from pydantic import AnyHttpUrl

from core.infra.settings import ENV_PREFIX, Settings

# Addresses that listen on every interface of the machine.
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 -- named to be refused


def in_production(settings: Settings) -> bool:
    """Whether the settings describe the production shape: Telegram sends updates to a URL."""
    return settings.webhook_url is not None


def unsafe_settings(settings: Settings, *, listens: Iterable[str], demo_seeded: bool) -> list[str]:
    """One line per reason the production shape must not start, each naming what to change.

    ``listens`` names the settings (``admin_host``, ``webhook_host``) of the addresses the
    service opens; ``demo_seeded`` tells whether the database holds the demo secretariat.
    """
    problems = []
    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    if not token:
        problems.append(f"{ENV_PREFIX}BOT_TOKEN: required with {ENV_PREFIX}WEBHOOK_URL")
    if demo_seeded:
        problems.append(
            "the database holds the demo secretariat (`incorruptible seed-demo`): use a "
            "database of its own for production"
        )
    for name in listens:
        host = getattr(settings, name)
        if host.strip() in WILDCARD_HOSTS and not settings.behind_proxy:
            problems.append(
                f"{ENV_PREFIX}{name.upper()}: {host or 'an empty address'} listens on every "
                f"address without HTTPS; listen on 127.0.0.1, or set "
                f"{ENV_PREFIX}BEHIND_PROXY=true behind a proxy that terminates HTTPS"
            )
    for name in ("public_base_url", "webhook_url"):
        url = getattr(settings, name)
        if url is not None and not _local_or_https(url):
            problems.append(f"{ENV_PREFIX}{name.upper()}: must start with https:// ({url})")
    return problems


def _local_or_https(url: AnyHttpUrl) -> bool:
    # Plain HTTP stays allowed on the machine itself: the emulator is reached that way.
    if url.scheme == "https":
        return True
    host = (url.host or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
