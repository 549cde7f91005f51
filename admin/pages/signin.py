"""The form where a coordinator signs in with an API token to read pages in a browser."""

from __future__ import annotations

from html import escape

from admin.pages.layout import document, paragraph, translator


def render(language: str, *, next_page: str, error: str | None = None) -> str:
    """The sign-in form; ``error`` says why the last attempt was refused."""
    _ = translator(language)
    parts = [
        paragraph(
            _(
                "Paste the API token your secretariat gave you. The browser keeps a copy that "
                "lasts one day and only reads; signing out ends it."
            )
        )
    ]
    described = ""
    if error:
        parts.append(f'<p id="error" class="error" role="alert">{escape(error)}</p>')
        described = ' aria-describedby="error" aria-invalid="true"'
    label, button = escape(_("API token")), escape(_("Sign in"))
    parts.append(
        f'<form method="post" action="/signin?lang={escape(language)}">'
        f'<input type="hidden" name="next" value="{escape(next_page)}">'
        f'<label for="token">{label}</label>'
        f'<input id="token" name="token" type="password" autocomplete="off" required{described}>'
        f'<div><button type="submit">{button}</button></div></form>'
    )
    return document(_("Sign in"), parts, language, signed_in=False)
