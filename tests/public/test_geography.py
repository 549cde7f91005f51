"""Mexico's states ship as SVG shapes keyed like the catalogue, and lie where they belong."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page, async_playwright

from conversations.catalogues import catalogue
from public.geography import VIEW_BOX, state_key, state_shapes
from tests.emulator.test_web_chat import CHROMIUM_ARGS

NUMBER = r"-?\d+(?:\.\d+)?"
POINT = rf"{NUMBER} {NUMBER}"
RING = rf"M{POINT}(?:L{POINT})+Z"
LEFT, TOP, WIDTH, HEIGHT = (float(value) for value in VIEW_BOX.split())


def points(path: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(rf"({NUMBER}) ({NUMBER})", path)]


def in_frame(x: float, y: float) -> bool:
    return LEFT <= x <= LEFT + WIDTH and TOP <= y <= TOP + HEIGHT


def map_svg(fills: dict[str, str]) -> str:
    """The 32 states as one SVG, each path with its key as id and the fill given."""
    paths = "".join(
        f'<path id="s{shape.key}" d="{shape.path}" fill="{fills[shape.key]}" stroke="#222" '
        'stroke-width="0.4"/>'
        for shape in state_shapes().values()
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{VIEW_BOX}" width="1000">{paths}</svg>'
    )


def test_every_state_of_the_catalogue_has_a_shape_under_its_key_and_name():
    shapes = state_shapes()
    assert [(s.key, s.name) for s in shapes.values()] == [
        (state["id"], state["label"]) for state in catalogue("inegi_estados")
    ]
    assert shapes["09"].name == "Ciudad de México"


def test_each_outline_is_svg_path_data_inside_the_frame():
    for shape in state_shapes().values():
        assert re.fullmatch(f"(?:{RING})+", shape.path), shape.key
        assert all(in_frame(x, y) for x, y in points(shape.path)), shape.key
        assert in_frame(shape.label_x, shape.label_y), shape.key


def test_the_country_fills_the_frame_across():
    xs = [x for shape in state_shapes().values() for x, _ in points(shape.path)]
    ys = [y for shape in state_shapes().values() for _, y in points(shape.path)]
    assert (min(xs), max(xs)) == (10, 990)
    assert min(ys) >= TOP and HEIGHT - 20 <= max(ys) <= HEIGHT


def test_a_caller_changing_the_shapes_it_got_changes_nobody_elses():
    state_shapes().clear()
    assert len(state_shapes()) == 32


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Aguascalientes", "01"),
        ("Ciudad de México", "09"),
        ("CDMX", "09"),
        ("Estado de México", "15"),
        ("México", "15"),
        ("Michoacán", "16"),
        ("Michoacán de Ocampo", "16"),
        ("Coahuila de Zaragoza", "05"),
        ("Veracruz de Ignacio de la Llave", "30"),
        ("Nuevo Leon", "19"),
        ("  nuevo LEÓN ", "19"),
        ("YUCATAN", "31"),
        ("Nacional", None),
        ("", None),
        ("Texas", None),
    ],
)
def test_a_state_is_known_however_a_secretariat_writes_it(written, key):
    assert state_key(written) == key


@pytest.fixture
async def drawn_map(tmp_path) -> AsyncIterator[Page]:
    """The map drawn in Chromium, every state in a fill of its own."""
    fills = {key: f"hsl({int(key) * 47 % 360} 60% 70%)" for key in state_shapes()}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = await browser.new_page(viewport={"width": 1000, "height": 700})
        await page.set_content(f"<!doctype html><body style='margin:0'>{map_svg(fills)}</body>")
        yield page
        await page.screenshot(path=tmp_path / "map.png")
        await browser.close()


@pytest.mark.browser
async def test_every_state_is_drawn_with_a_visible_size(drawn_map):
    boxes = await drawn_map.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('path')].map(p => {
            const box = p.getBBox();
            return [p.id.slice(1), [box.x, box.y, box.width, box.height]];
        }))"""
    )
    assert len(boxes) == 32
    small = {key: box for key, box in boxes.items() if box[2] <= 1 or box[3] <= 1}
    assert small == {}
    # The smallest states still span a few units: Ciudad de México, Tlaxcala, Morelos.
    assert all(boxes[key][2] > 8 and boxes[key][3] > 8 for key in ("09", "29", "17"))


@pytest.mark.browser
async def test_the_states_lie_where_they_belong_and_none_covers_another(drawn_map):
    boxes = await drawn_map.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('path')].map(p => {
            const box = p.getBBox();
            return [p.id.slice(1), {left: box.x, right: box.x + box.width,
                                    top: box.y, bottom: box.y + box.height}];
        }))"""
    )
    assert boxes["31"]["left"] > boxes["14"]["right"]  # Yucatán lies east of Jalisco
    assert boxes["02"]["bottom"] < boxes["07"]["top"]  # Baja California north of Chiapas
    assert boxes["09"]["left"] > boxes["15"]["left"] and boxes["09"]["right"] < boxes["15"]["right"]
    # Each state's label point falls inside its own outline and inside no other.
    covering = await drawn_map.evaluate(
        """labels => Object.fromEntries(Object.entries(labels).map(([key, [x, y]]) => {
            const point = new DOMPoint(x, y);
            return [key, [...document.querySelectorAll('path')]
                .filter(p => p.isPointInFill(point)).map(p => p.id.slice(1))];
        }))""",
        {key: [s.label_x, s.label_y] for key, s in state_shapes().items()},
    )
    assert covering == {key: [key] for key in state_shapes()}
