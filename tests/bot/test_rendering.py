"""Steps as messages: text split to Telegram's limit, and buttons that carry only ids."""

from bot.rendering import TEXT_LIMIT, render_step, split_text
from conversations.engine.steps import ChoiceView, Step


def test_long_text_is_split_at_boundaries_within_the_limit():
    paragraphs = "\n\n".join(f"Párrafo {n}: " + "palabra " * 300 for n in range(10))
    pieces = split_text(paragraphs)
    assert len(pieces) > 1
    assert all(0 < len(piece) <= TEXT_LIMIT for piece in pieces)
    assert " ".join(pieces).split() == paragraphs.split()
    assert split_text("x" * 9000) == ["x" * 4096, "x" * 4096, "x" * 808]


def test_buttons_carry_the_session_step_and_index_only():
    step = Step(
        kind="single_choice",
        language="es",
        question_id="q",
        text="¿Cuál?",
        choices=[ChoiceView(id="secret-id", number=1, label="Una opción muy larga " * 5)],
        expects="choice",
        can_skip=True,
    )
    markup = render_step(step, 12, 3).markup
    data = [button.callback_data for row in markup.inline_keyboard for button in row]
    assert data == ["a:12:3:0", "k:12:3:s"]
    assert all(len(item.encode()) <= 64 for item in data)


def test_a_scale_of_eleven_points_uses_two_rows():
    step = Step(
        kind="rating",
        language="es",
        question_id="q",
        text="Del 0 al 10",
        choices=[ChoiceView(id=str(n), number=n + 1, label=str(n)) for n in range(11)],
        expects="choice",
    )
    rows = render_step(step, 1, 0).markup.inline_keyboard
    assert [len(row) for row in rows] == [6, 5]


def test_short_answers_share_a_row_and_long_ones_take_a_row_each():
    def rows(*labels: str) -> list[list[str]]:
        step = Step(
            kind="yes_no",
            language="es",
            question_id="q",
            text="¿De acuerdo?",
            choices=[
                ChoiceView(id=str(n), number=n + 1, label=label) for n, label in enumerate(labels)
            ],
            expects="choice",
        )
        markup = render_step(step, 1, 0).markup
        return [[button.text for button in row] for row in markup.inline_keyboard]

    assert rows("Sí", "No") == [["Sí", "No"]]
    long = ("Sí, acepto el aviso de privacidad", "No, prefiero no participar")
    assert rows(*long) == [[long[0]], [long[1]]]
