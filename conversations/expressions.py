"""Skip-logic, constraint and calculation expressions, in the XLSForm style.

An expression is parsed once (at load) by a Lark grammar into a small tree of frozen nodes,
then evaluated against the answers by walking that tree: there is no ``eval``, no attribute
access, no way to reach Python objects, and the size and depth of a tree are bounded.

Syntax::

    ${q} = 'a'                      references to other answers, string literals
    . >= 18 and . <= 120            ``.`` is the answer being checked
    selected(${topics}, 'health')   functions (see FUNCTIONS)
    count-selected(${topics}) <= 3
    ${a} + ${b} * 2 div 4 mod 3     arithmetic (``div`` and ``/`` divide)
    not(${q} = 'no') or ${n} != 0   logic
    state = ${estado}               a bare name is a column of a choice list (choice_filter only)
    position(..) > 1                repeats: the instance's number (from 1),
    count(${members})                 how many instances, sum(${age}) over their answers,
    indexed-repeat(${name}, ${members}, 2)    an answer of one instance

Values follow XLSForm: an unanswered question is empty (``''`` compares equal to it),
arithmetic with an empty or non-numeric value is empty, comparisons between a number and a
numeric string are numeric, and an ordering comparison with an empty value is false.
Evaluation never raises. Inside a repeat the answers given are those of the instance (see
``conversations.engine.slots.Scope``): ``${q}`` is its own answer there, a question of a repeat
one is not in gives the list of its answers in every instance, and ``position(..)`` reads the
mapping's ``position``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError

MAX_LENGTH = 1000
MAX_DEPTH = 32

GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr (_OR and_expr)*
?and_expr: comparison (_AND comparison)*
?comparison: sum (COMPARATOR sum)?
?sum: product (ADDITIVE product)*
?product: unary (MULTIPLICATIVE unary)*
?unary: "-" unary -> negative
      | atom
?atom: NUMBER -> number
     | STRING -> string
     | "${" NAME "}" -> reference
     | ".." -> parent
     | "." -> current
     | NAME -> column
     | FUNCTION "(" [or_expr ("," or_expr)*] ")" -> call
     | "(" or_expr ")"

_OR.2: /or\b/
_AND.2: /and\b/
MULTIPLICATIVE.2: "*" | "/" | /div\b/ | /mod\b/
ADDITIVE: "+" | "-"
COMPARATOR: "<=" | ">=" | "!=" | "=" | "<" | ">"
FUNCTION.2: /[a-z][a-z0-9]*(-[a-z0-9]+)*(?=\s*\()/
NAME: /[A-Za-z_][A-Za-z0-9_.\-]*/
NUMBER: /[0-9]+(\.[0-9]+)?/
STRING: /'[^']*'/ | /"[^"]*"/

%import common.WS
%ignore WS
"""

_parser = Lark(GRAMMAR, parser="lalr", propagate_positions=False, maybe_placeholders=False)


class ExpressionError(ValueError):
    """A malformed expression, with the 1-based column where the problem starts."""

    def __init__(self, message: str, column: int | None = None) -> None:
        self.message = message
        self.column = column
        super().__init__(f"{message} (at column {column})" if column else message)


# The tree -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any


@dataclass(frozen=True, slots=True)
class Reference:
    name: str


@dataclass(frozen=True, slots=True)
class Column:
    name: str


@dataclass(frozen=True, slots=True)
class Current:
    pass


@dataclass(frozen=True, slots=True)
class Parent:
    """``..``: the repeat instance an expression is in (only in ``position(..)``)."""


@dataclass(frozen=True, slots=True)
class Negative:
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    operator: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    arguments: tuple[Node, ...]


Node = Literal | Reference | Column | Current | Parent | Negative | Binary | Call
# The date of today() in expressions: a date, a clock to ask only when needed, or the system's.
Today = date | Callable[[], date] | None
Answers = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed expression: its source, its tree and the answers it reads."""

    source: str
    tree: Node

    def _nodes(self) -> list[Node]:
        nodes: list[Node] = []
        stack: list[Node] = [self.tree]
        while stack:
            node = stack.pop()
            nodes.append(node)
            if isinstance(node, Negative):
                stack.append(node.operand)
            elif isinstance(node, Binary):
                stack.extend((node.left, node.right))
            elif isinstance(node, Call):
                stack.extend(node.arguments)
        return nodes

    @property
    def references(self) -> frozenset[str]:
        return frozenset(node.name for node in self._nodes() if isinstance(node, Reference))

    @property
    def columns(self) -> frozenset[str]:
        """The bare names: columns of the choice a choice_filter is checking."""
        return frozenset(node.name for node in self._nodes() if isinstance(node, Column))

    @property
    def uses_current(self) -> bool:
        return any(isinstance(node, Current) for node in self._nodes())

    def calls(self, function: str) -> list[Call]:
        """The calls of a function in the expression."""
        return [
            node for node in self._nodes() if isinstance(node, Call) and node.function == function
        ]

    def evaluate(
        self,
        answers: Answers,
        current: Any = None,
        *,
        today: Today = None,
        columns: Mapping[str, Any] | None = None,
    ) -> Any:
        return _Evaluator(answers, current, today, columns or {}).value(self.tree)

    def holds(
        self,
        answers: Answers,
        current: Any = None,
        *,
        today: Today = None,
        columns: Mapping[str, Any] | None = None,
    ) -> bool:
        return truthy(self.evaluate(answers, current, today=today, columns=columns))

    def __str__(self) -> str:
        return self.source


# Parsing --------------------------------------------------------------------------------


@v_args(inline=True)
class _ToTree(Transformer[Token, Node]):
    def number(self, token: Token) -> Literal:
        text = str(token)
        return Literal(float(text) if "." in text else int(text))

    def string(self, token: Token) -> Literal:
        return Literal(str(token)[1:-1])

    def reference(self, token: Token) -> Reference:
        return Reference(str(token))

    def column(self, token: Token) -> Column:
        return Column(str(token))

    def current(self) -> Current:
        return Current()

    def parent(self) -> Parent:
        return Parent()

    def negative(self, operand: Node) -> Negative:
        return Negative(operand)

    def call(self, name: Token, *arguments: Node | None) -> Call:
        function = str(name)
        args = tuple(argument for argument in arguments if argument is not None)
        arity = FUNCTIONS.get(function)
        if arity is None:
            raise ExpressionError(f"unknown function '{function}'", name.column)
        low, high = arity[0], arity[1]
        if not low <= len(args) <= high:
            expected = str(low) if low == high else f"{low} to {high}"
            raise ExpressionError(
                f"'{function}' takes {expected} arguments, not {len(args)}", name.column
            )
        shape = SHAPES.get(function)
        if shape is not None and not all(map(isinstance, args, shape[0])):
            raise ExpressionError(shape[1], name.column)
        return Call(function, args)

    def _fold(self, *items: Any) -> Node:
        node: Node = items[0]
        for operator, operand in zip(items[1::2], items[2::2], strict=True):
            node = Binary(str(operator), node, operand)
        return node

    def or_expr(self, *operands: Node) -> Node:
        node = operands[0]
        for operand in operands[1:]:
            node = Binary("or", node, operand)
        return node

    def and_expr(self, *operands: Node) -> Node:
        node = operands[0]
        for operand in operands[1:]:
            node = Binary("and", node, operand)
        return node

    comparison = _fold
    sum = _fold
    product = _fold


def _depth(node: Node) -> int:
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(current, Negative):
            stack.append((current.operand, level + 1))
        elif isinstance(current, Binary):
            stack.extend(((current.left, level + 1), (current.right, level + 1)))
        elif isinstance(current, Call):
            stack.extend((argument, level + 1) for argument in current.arguments)
    return deepest


def parse(source: str) -> Expression:
    """Parse an expression or raise ExpressionError naming the column of the problem."""
    if not source or not source.strip():
        raise ExpressionError("empty expression")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters")
    try:
        tree = _ToTree().transform(_parser.parse(source))
    except VisitError as error:
        if isinstance(error.orig_exc, ExpressionError):
            raise error.orig_exc from None
        if isinstance(error.orig_exc, RecursionError):
            raise ExpressionError(f"nested deeper than {MAX_DEPTH} levels") from None
        raise
    except RecursionError:
        raise ExpressionError(f"nested deeper than {MAX_DEPTH} levels") from None
    except UnexpectedToken as error:
        if error.token.type == "$END":
            raise ExpressionError("unexpected end of expression", len(source) + 1) from None
        raise ExpressionError(f"unexpected '{error.token}'", error.column) from None
    except UnexpectedInput as error:
        column = getattr(error, "column", None)
        found = source[error.pos_in_stream] if error.pos_in_stream is not None else ""
        raise ExpressionError(f"unexpected '{found}'", column) from None
    if _depth(tree) > MAX_DEPTH:
        raise ExpressionError(f"nested deeper than {MAX_DEPTH} levels")
    expression = Expression(source, tree)
    parents = sum(isinstance(node, Parent) for node in expression._nodes())
    if parents > len(expression.calls("position")):
        raise ExpressionError("'..' only fits in position(..)")
    return expression


# Evaluation -----------------------------------------------------------------------------


def truthy(value: Any) -> bool:
    if value is None or value == "" or value == []:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    return True


def as_number(value: Any) -> float | int | None:
    """The number a value reads as (a numeric text too), or None."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return None if isinstance(value, float) and not math.isfinite(value) else value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        return int(number) if number.is_integer() and "." not in value else number
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return " ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ""
    return str(value)


def _selection(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_text(item) for item in value]
    text = _text(value)
    return text.split() if text else []


def _compare(operator: str, left: Any, right: Any) -> bool:
    if isinstance(left, list) or isinstance(right, list):
        left, right = _text(left), _text(right)
    empty_left, empty_right = left is None or left == "", right is None or right == ""
    if empty_left or empty_right:
        if operator == "=":
            return empty_left and empty_right
        if operator == "!=":
            return empty_left != empty_right
        return False
    if isinstance(left, bool) or isinstance(right, bool):
        left, right = truthy(left), truthy(right)
    else:
        left_number, right_number = as_number(left), as_number(right)
        if left_number is not None and right_number is not None:
            left, right = left_number, right_number
        else:
            left, right = _text(left), _text(right)
    match operator:
        case "=":
            return bool(left == right)
        case "!=":
            return bool(left != right)
        case "<":
            return bool(left < right)
        case "<=":
            return bool(left <= right)
        case ">":
            return bool(left > right)
        case _:
            return bool(left >= right)


def _arithmetic(operator: str, left: Any, right: Any) -> Any:
    a, b = as_number(left), as_number(right)
    if a is None or b is None:
        return None
    result: float | None
    try:
        match operator:
            case "+":
                result = a + b
            case "-":
                result = a - b
            case "*":
                result = a * b
            case "mod":
                result = math.fmod(a, b) if b else None
            case _:
                result = a / b if b else None
    except OverflowError:
        return None
    if isinstance(result, float) and not math.isfinite(result):
        return None
    return result


class _Evaluator:
    def __init__(
        self, answers: Mapping[str, Any], current: Any, today: Today, columns: Mapping[str, Any]
    ) -> None:
        self.answers = answers
        self.current = current
        self.today = today
        self.columns = columns

    def value(self, node: Node) -> Any:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Reference):
            return self.answers.get(node.name)
        if isinstance(node, Column):
            return self.columns.get(node.name)
        if isinstance(node, Current):
            return self.current
        if isinstance(node, Parent):
            return None
        if isinstance(node, Negative):
            number = as_number(self.value(node.operand))
            return None if number is None else -number
        if isinstance(node, Binary):
            if node.operator == "and":
                return truthy(self.value(node.left)) and truthy(self.value(node.right))
            if node.operator == "or":
                return truthy(self.value(node.left)) or truthy(self.value(node.right))
            left, right = self.value(node.left), self.value(node.right)
            if node.operator in ("=", "!=", "<", "<=", ">", ">="):
                return _compare(node.operator, left, right)
            return _arithmetic(node.operator, left, right)
        return self.call(node)

    def call(self, node: Call) -> Any:
        if node.function == "if":
            condition, then, otherwise = node.arguments
            return self.value(then) if truthy(self.value(condition)) else self.value(otherwise)
        if node.function == "coalesce":
            first = self.value(node.arguments[0])
            return self.value(node.arguments[1]) if first in (None, "", []) else first
        if node.function == "indexed-repeat":
            return self.indexed(*node.arguments)
        arguments = [self.value(argument) for argument in node.arguments]
        return _CALLS[node.function](self, *arguments)

    def indexed(self, question: Node, repeat: Node, number: Node) -> Any:
        """``indexed-repeat``: the answer of the question in the n-th instance of the repeat."""
        assert isinstance(question, Reference) and isinstance(repeat, Reference)  # by SHAPES
        instances, n = self.answers.get(repeat.name), as_number(self.value(number))
        if not isinstance(instances, list) or n is None or not 1 <= n <= len(instances):
            return None
        instance = instances[int(n) - 1]
        return instance.get(question.name) if isinstance(instance, dict) else None


def _round(value: Any, places: Any = 0) -> Any:
    number, digits = as_number(value), as_number(places)
    if number is None or digits is None:
        return None
    return round(number, max(0, min(int(digits), 10)))


def _int(value: Any) -> Any:
    number = as_number(value)
    return None if number is None else int(number)


def _count(value: Any) -> int:
    if isinstance(value, list):
        return len(value)
    return 0 if value is None or value == "" else 1


def _sum(value: Any) -> Any:
    numbers = [as_number(item) for item in _items(value) if item not in (None, "")]
    return None if None in numbers else sum(number for number in numbers if number is not None)


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _today(evaluator: _Evaluator) -> str:
    today = evaluator.today
    if today is None:
        today = date.today()
    elif callable(today):
        today = today()
    return today.isoformat()


_CALLS: dict[str, Callable[..., Any]] = {
    "selected": lambda _, value, choice: _text(choice) in _selection(value),
    "count-selected": lambda _, value: len(_selection(value)),
    "not": lambda _, value: not truthy(value),
    "string-length": lambda _, value: len(_text(value)),
    "number": lambda _, value: as_number(value),
    "int": lambda _, value: _int(value),
    "round": lambda _, value, places=0: _round(value, places),
    "concat": lambda _, *values: "".join(_text(value) for value in values),
    "true": lambda _: True,
    "false": lambda _: False,
    "today": _today,
    "count": lambda _, value: _count(value),
    "sum": lambda _, value: _sum(value),
    "position": lambda evaluator, _: getattr(evaluator.answers, "position", None),
    "min": lambda _, *values: min(
        (n for n in map(as_number, values) if n is not None), default=None
    ),
    "max": lambda _, *values: max(
        (n for n in map(as_number, values) if n is not None), default=None
    ),
}

# Function name -> (fewest, most) arguments.
FUNCTIONS: dict[str, tuple[int, int]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "if": (3, 3),
    "coalesce": (2, 2),
    "string-length": (1, 1),
    "number": (1, 1),
    "int": (1, 1),
    "round": (1, 2),
    "concat": (1, 20),
    "true": (0, 0),
    "false": (0, 0),
    "today": (0, 0),
    "min": (1, 20),
    "max": (1, 20),
    "count": (1, 1),
    "sum": (1, 1),
    "position": (1, 1),
    "indexed-repeat": (3, 3),
}
# The arguments a function takes by their kind of node, and what a call of another kind is told.
SHAPES: dict[str, tuple[tuple[type, ...], str]] = {
    "position": ((Parent,), "position() takes '..': position(..)"),
    "indexed-repeat": (
        (Reference, Reference, object),
        "indexed-repeat() takes ${question}, ${repeat} and a number",
    ),
}
