"""The conversation engine: every multi-step dialog of the product, as pure Python.

- ``definition``: the schema of surveys, interviews and forms; loading from YAML and JSON.
- ``expressions``: skip-logic, constraint and calculation expressions (XLSForm style).
- ``answers``: reading typed answers in the person's language.
- ``engine``: ``Engine`` (navigation), ``SessionState``, the inputs, ``Step`` and ``Outcome``.
- ``questions``: one module per question type (reading, showing, adding up) and their registry.
- ``results``: aggregation of completed sessions.
- ``xlsform``: import of XLSForm workbooks.
- ``definitions``: the definitions the product ships.
- ``i18n``: translations from the gettext catalogs.

No database, no Telegram: the callers persist ``SessionState.to_json()`` and render steps.
"""
