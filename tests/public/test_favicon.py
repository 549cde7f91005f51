"""Every page links the site's icon, served from the site itself, and /favicon.ico answers it."""

from __future__ import annotations

import re


async def test_every_page_has_an_icon_from_the_site_itself(site, session):
    page = await site.get("/")
    (href,) = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.text)
    assert href.startswith("/static/")
    icon = await site.get(href)
    assert icon.status_code == 200 and icon.content.startswith(b"<svg")
    asked = await site.get("/favicon.ico")
    assert asked.status_code == 200
    assert asked.headers["content-type"].startswith("image/svg+xml")
    assert asked.content == icon.content
