"""Question types: one small module per type (or family of close types) behind a registry.

Each type says how it reads an input, what its step shows and how its answers add up
(``base.QuestionType``); ``registry.TYPES`` maps a type's name to it. The engine's navigation
and the results look a question's type up there instead of branching on it.
"""
