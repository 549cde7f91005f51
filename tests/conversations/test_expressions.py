"""Skip-logic and constraint expressions: parsed into a tree, evaluated without eval."""

import pytest

from conversations.expressions import Binary, Call, ExpressionError, Reference, parse

ANSWERS = {
    "q": "a",
    "topics": ["health", "education"],
    "age": 30,
    "n": 0,
    "text": "hola",
    "kids": [{"name": "Ana", "kid_age": 4}, {"name": "Luis", "kid_age": "7"}],
    "kid_ages": [4, "7", None],
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("${q} = 'a'", True),
        ('${q} != "a"', False),
        ("selected(${topics}, 'health')", True),
        ("selected(${topics}, 'security')", False),
        ("count-selected(${topics}) = 2", True),
        ("${age} >= 18 and ${age} <= 120", True),
        ("not(${q} = 'a') or ${n} != 0", False),
        ("${age} + 2 * 3", 36),
        ("${age} div 4", 7.5),
        ("${age} mod 7", 2),
        ("-${age} - 1", -31),
        ("if(${age} > 18, 'adult', 'minor')", "adult"),
        ("string-length(${text})", 4),
        ("${missing} = ''", True),
        ("${missing} > 3", False),
        ("${missing} + 1", None),
        ("${age} div 0", None),
        ("'10' > 9", True),
        ("coalesce(${missing}, 'none')", "none"),
        ("concat(${q}, '-', ${age})", "a-30"),
        ("round(2.345, 2)", 2.35),
        ("true() and not(false())", True),
        ("count(${kids})", 2),
        ("count(${missing})", 0),
        ("sum(${kid_ages})", 11),
        ("sum(${topics})", None),
        ("indexed-repeat(${name}, ${kids}, 2)", "Luis"),
        ("indexed-repeat(${name}, ${kids}, 3)", None),
        ("indexed-repeat(${name}, ${kids}, 'x')", None),
    ],
)
def test_evaluates_like_xlsform(source, expected):
    assert parse(source).evaluate(ANSWERS) == expected


def test_current_answer_is_a_dot():
    expression = parse(". >= 18 and . <= 120")
    assert expression.holds({}, 30)
    assert not expression.holds({}, 17)
    assert expression.uses_current


def test_tree_and_references():
    expression = parse("selected(${topics}, 'x') or ${age} > 3")
    assert isinstance(expression.tree, Binary)
    assert isinstance(expression.tree.left, Call)
    assert expression.tree.left.arguments[0] == Reference("topics")
    assert expression.references == {"topics", "age"}


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("${q} = ", "unexpected end of expression", 8),
        ("1 +* 2", "unexpected '*'", 4),
        ("${q} == 1", "unexpected '='", 7),
        ("foo(1)", "unknown function 'foo'", 1),
        ("selected(${q})", "'selected' takes 2 arguments, not 1", 1),
        ("__import__('os')", "unexpected '('", 11),
        ("${q}.__class__", "unexpected '.'", 5),
    ],
)
def test_bad_expressions_are_refused_with_their_position(source, message, column):
    with pytest.raises(ExpressionError) as raised:
        parse(source)
    assert raised.value.message == message
    assert raised.value.column == column


@pytest.mark.parametrize(
    "source", ["", "   ", "1 + " * 400 + "1", "-" * 600 + "1", "(" * 40 + "-" * 40 + "1" + ")" * 40]
)
def test_size_and_depth_are_bounded(source):
    with pytest.raises(ExpressionError):
        parse(source)


def test_evaluation_never_raises_on_odd_values():
    expression = parse("${a} * 2 > ${b} and selected(${a}, 'x') or string-length(${b}) = 0")
    for a, b in [({"x": 1}, None), ([1, 2], "z"), (True, 1e308), ("nan", "inf"), (None, [])]:
        expression.evaluate({"a": a, "b": b})
