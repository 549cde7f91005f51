"""The frame every coordinators' page shares: language, title, a bar of links, the style."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any
from urllib.parse import urlencode

from i18n import gettext

# On a phone a wide table scrolls inside its own box and a chart shrinks: the page never
# scrolls sideways.
STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0 auto 2rem;max-width:60rem;padding:0 1rem;
color:#1a1a1a}
header nav{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;padding:.75rem 0;
border-bottom:1px solid #ccc}
header nav form{margin:0 0 0 auto}
ul.inline{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;list-style:none;padding:0}
a{color:#0b4f7a}
section{border-top:1px solid #ccc;margin-top:1.5rem}
table{border-collapse:collapse;margin:.5rem 0;display:block;max-width:100%;overflow-x:auto}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right}
svg{max-width:100%;height:auto}
svg text{font-size:13px;fill:#1a1a1a}
svg rect{fill:#1f5f8b}
.suppressed{font-style:italic}
.error{color:#a00000;font-weight:600}
label{display:block;margin:1rem 0 .25rem}
input[type=password]{width:100%;max-width:32rem;padding:.5rem;font-size:1rem}
button{padding:.5rem 1rem;font-size:1rem;margin-top:1rem}
header button{margin:0;padding:.25rem .75rem;font-size:.9rem}
"""

Translate = Callable[..., str]
# Headers of every page: what a coordinator reads is kept by no browser cache or proxy.
NO_STORE = {"Cache-Control": "no-store"}


def translator(language: str) -> Translate:
    """``_("message", **params)`` in the page's language."""

    def _(message: str, **params: Any) -> str:
        return gettext(language, message, **params)

    return _


def link(href: str, text: str, **query: Any) -> str:
    """An anchor to ``href`` with the query given (None values left out)."""
    shown = {key: value for key, value in query.items() if value is not None}
    target = f"{href}?{urlencode(shown)}" if shown else href
    return f'<a href="{escape(target)}">{escape(text)}</a>'


def document(
    title: str, body: Sequence[str], language: str, *, links: Sequence[str] = (), signed_in: bool
) -> str:
    """A whole page: ``body`` (HTML already escaped) under a bar with ``links`` and, for who is
    signed in, the button that signs out."""
    _ = translator(language)
    bar = list(links)
    if signed_in:
        sign_out = escape(_("Sign out"))
        bar.append(
            f'<form method="post" action="/signout"><button type="submit">{sign_out}</button>'
            "</form>"
        )
    label = escape(_("Pages"))
    nav = f'<nav aria-label="{label}">{"".join(bar)}</nav>' if bar else ""
    return "".join(
        [
            f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
            f"<header>{nav}</header><main><h1>{escape(title)}</h1>",
            *body,
            "</main></body></html>",
        ]
    )


def paragraph(text: str, css: str | None = None) -> str:
    """A paragraph of plain text, with a class where given."""
    attribute = f' class="{css}"' if css else ""
    return f"<p{attribute}>{escape(text)}</p>"
