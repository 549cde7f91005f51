"""/verificar: the public ledger verified in Chromium by the page's own script, under exactly
the rules of ``incorruptible audit verify``."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from core.audit import chain, ledger
from core.models import GENESIS_HASH
from tests.public.conftest import served
from tests.support.axe import severe_violations

pytestmark = pytest.mark.browser

SIZES = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = {"es": "es-MX", "en": "en-US"}
DONE = re.compile(r"\b(ok|broken)\b")


async def open_page(browser, base_url, language="es", size="wide", **options):
    context = await browser.new_context(locale=LOCALES[language], viewport=SIZES[size], **options)
    page = await context.new_page()
    await page.goto(base_url + "/verificar")
    return page


async def verify_file(page, path):
    await page.set_input_files("#ledger-file", str(path))
    result = page.locator("#verify-result")
    await expect(result).to_have_class(DONE)
    return result


async def export(populated, folder):
    path = folder / "ledger.jsonl"
    path.write_bytes((await populated.client.get("/public/ledger")).content)
    return path


async def test_a_ledger_made_by_the_services_verifies_and_a_pinned_head_is_compared(
    populated, browser, tmp_path
):
    path = await export(populated, tmp_path)
    head = (await populated.client.get("/public/ledger/head")).json()
    assert "Ñandú" in path.read_text(encoding="utf-8")  # an event with accents, emoji, big ints
    page = await open_page(browser, populated.url)

    result = await verify_file(page, path)

    await expect(result).to_have_class(re.compile(r"\bok\b"))
    await expect(result).to_contain_text(f"Eventos verificados: {head['seq']}")
    await expect(result).to_contain_text(head["hash"])

    await page.fill("#pinned-head", "f" * 64)
    await page.click("#fetch-ledger")
    await expect(result).to_have_class(re.compile(r"\bbroken\b"))
    await expect(result).to_contain_text("no es el hash de ningún evento")

    await page.fill("#pinned-head", head["hash"].upper())
    await page.check("#remember-head")
    await page.click("#fetch-ledger")
    await expect(result).to_have_class(re.compile(r"\bok\b"))
    await expect(result).to_contain_text("nada cambió desde que lo fijaste")
    await page.reload()
    await expect(page.locator("#pinned-head")).to_have_value(head["hash"])


async def test_one_edited_character_is_caught_at_its_line(populated, browser, tmp_path):
    lines = (
        (await export(populated, tmp_path)).read_text(encoding="utf-8").splitlines(keepends=True)
    )
    number = next(i for i, line in enumerate(lines, start=1) if "Ñandú" in line)
    lines[number - 1] = lines[number - 1].replace("Ñandú", "Ñandu", 1)
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(lines), encoding="utf-8")
    assert ledger.verify_lines(lines).broken_seq == number
    page = await open_page(browser, populated.url, "en")

    result = await verify_file(page, edited)

    await expect(result).to_have_class(re.compile(r"\bbroken\b"))
    await expect(result).to_have_text(
        f"The chain is broken at event {number} (line {number}): "
        "its content does not match its hash."
    )


def synthetic_chain() -> list[str]:
    """Events holding what Python's JSON writes in its own way, chained by Python's rules."""
    values = [
        {"int": 2**200, "negative": -(2**100), "zero": 0, "text": '\x00\x1f"\\/\u2028\x7f é 𝄞'},
        {"floats": [0.1, 1e16, 1e15, 1e-05, 0.0001, 1e22, 1.5e300, -0.0, 5e-324, 2.5]},
        {"special": [float("nan"), float("inf"), float("-inf")], "nested": [[{}], []]},
        {"\uffff": 1, "𝄞": 2, "é": 3, "Z": 4, "a": {"b": [True, False, None]}, "": 5},
    ]
    records, previous = [], GENESIS_HASH
    for seq, data in enumerate(values, start=1):
        record = {
            "seq": seq, "occurred_at": "2026-12-03T17:00:00.000000+00:00", "secretariat_id": 1,
            "plan_id": None, "actor": "system", "action": "test", "entity_type": "plan",
            "entity_id": seq, "data": data, "prev_hash": previous,
        }  # fmt: skip
        record["hash"] = previous = chain.digest(previous, record)
        records.append(record)
    reduced = chain.reduced({**records[1]})
    lines = [ledger.to_line(record) for record in records]
    lines[1] = ledger.to_line(reduced).replace("\n", "\r\n") + "\n"  # a reduced line, a blank one
    assert ledger.verify_lines(lines).ok
    return lines


async def test_values_are_hashed_exactly_as_python_writes_them(
    db_url, session_factory, browser, tmp_path
):
    path = tmp_path / "synthetic.jsonl"
    path.write_text("".join(synthetic_chain()), encoding="utf-8", newline="")
    async with served(db_url, tmp_path) as (url, _client):
        page = await open_page(browser, url, "en")

        result = await verify_file(page, path)

        await expect(result).to_have_class(re.compile(r"\bok\b"))
        await expect(result).to_contain_text("Events verified: 4.")


async def test_a_file_that_is_not_a_ledger_is_named_so(db_url, session_factory, browser, tmp_path):
    table = tmp_path / "tareas.csv"
    table.write_text("id,title\r\n1,Informe\r\n", encoding="utf-8")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\xff\xfe")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    async with served(db_url, tmp_path) as (url, _client):
        page = await open_page(browser, url, "en")

        for path, says in (
            (table, "This file is not a ledger export"),
            (binary, "This file is not UTF-8 text"),
            (empty, "This file holds no event"),
        ):
            result = await verify_file(page, path)
            await expect(result).to_have_class(re.compile(r"\bbroken\b"))
            await expect(result).to_contain_text(says)


async def test_the_page_reads_well_in_both_languages_on_a_phone_and_a_desktop(
    populated, browser, tmp_path
):
    path = await export(populated, tmp_path)
    for language in LOCALES:
        for size in SIZES:
            page = await open_page(browser, populated.url, language, size, bypass_csp=True)
            await verify_file(page, path)
            assert await severe_violations(page) == []
            await page.screenshot(path=f"/tmp/verificar-{language}-{size}.png", full_page=True)
            await page.context.close()


async def test_without_javascript_the_page_says_how_to_verify_on_the_command_line(
    populated, browser
):
    page = await open_page(browser, populated.url, "es", java_script_enabled=False)

    await expect(page.locator("#verifier")).to_be_hidden()
    await expect(page.locator("pre")).to_contain_text(
        f"curl -o ledger.jsonl {populated.url}/public/ledger\n"
        "incorruptible audit verify ledger.jsonl"
    )
