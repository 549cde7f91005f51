"""The conversation engine: runs a definition one input at a time.

Modules: ``inputs`` (what people send), ``state`` (``SessionState``), ``steps`` (``Step``,
``ChoiceView``, ``Outcome``) and ``navigation`` (``Engine``: order, skip logic, going back,
consent). What each question type accepts and shows is in ``conversations.questions``.

The caller (the Telegram bot, the terminal, tests) persists a plain ``SessionState`` after
every answer and turns what people send into inputs::

    engine = Engine(definition)
    state = engine.start("es", respondent={"sector": "academia"})
    step = engine.current(state)             # what to ask now
    outcome = engine.feed(state, TextInput("sí"))
    outcome.state                            # the new state: persist it
    outcome.error                            # translated refusal, or None
    outcome.step                             # what to ask next (or the closing step)
    outcome.finished, outcome.answers        # completion and the collected answers

API:

- ``Engine(definition, *, clock=<UTC now>)``; ``engine.start(language, respondent=None,
  *, time_zone=None) -> SessionState`` (relative dates are read in that zone);
  ``engine.current(state) -> Step``; ``engine.feed(state, input) -> Outcome``;
  ``engine.collected(state) -> dict`` (answers of the questions that apply, computed values
  included, skipped ones as ``None``).
- ``SessionState``: pydantic model; ``state.to_json() -> dict`` (JSON-ready) and
  ``SessionState.from_json(dict | str | bytes)``. It holds the definition id and version,
  language, status (active, completed, cancelled, declined), the consent version given, the
  answers by question id (a repeat's as its list of instances, each a dict of answers), the
  "other, specify" texts by place (``state.place``: ``name@1`` in a repeat's second instance),
  the current position (a question id, and the ``instance`` of each repeat it is in) and the
  draft of the answer being built (multiple-choice toggles, ranking picks, parts of a long
  answer, files). A state from an older version of the definition is brought up to date on use:
  answers to questions that still exist (with still-existing choices) are kept and the
  position is recomputed; if the consent text changed version, consent is asked again.
- Inputs: ``TextInput(text)``, ``ChoiceInput(choice_id)``, ``FileInput(kind, file_id,
  mime_type, size, name=None)`` with kind photo|document|voice|video|audio,
  ``LocationInput(latitude, longitude)``, ``CommandInput(command)`` with back|skip|cancel|done.
- ``Step``: ``kind`` (the question type, ``repeat`` for "Add another?", ``consent``, or
  ``end``), ``question_id``, ``instance`` (numbers from 0 of the repeats' instances it is in;
  ``place`` joins both), ``text``,
  ``hint``, ``section``, ``notes``, ``choices`` (``ChoiceView``: id, number, label, selected),
  ``ranked`` (what a ranking ordered so far), ``minimum``/``maximum``, ``expects``
  (text|choice|choices|file|location|none), ``file_kinds``, ``can_skip``/``can_back``/
  ``can_done``, ``progress``/``total``, ``answer`` (the current answer when a question is
  revisited), ``previous`` (that answer as the person reads it back), ``keeps`` (``done`` now
  keeps it: nothing changed since coming back), ``collected`` (parts or files received so
  far), ``status`` and ``prompt()`` (notes, section, text and hint as one message).
  ``cancel`` is always possible.
- ``Outcome``: ``state``, ``step``, ``error`` (None when accepted; also ``accepted``),
  ``finished`` (the session is no longer active), ``answers`` (set on completion) and
  ``noted`` (what to read back before the step: "Noted: Other — <text>" once the text of
  "other" is written).
- A state of another definition is a programming error: ``ValueError``.

Behaviour:

- Notes only inform: they never wait. The texts of the notes that apply right before a
  question travel in that question's ``Step.notes`` (and the definition's description in the
  first step's), closing notes in the end step's; render them before the question.
- A refused input leaves the state untouched: ``Outcome.error`` says why, in the person's
  language, and ``Outcome.step`` is the same question again. Nothing here raises on input.
- Single choice, yes/no, rating and consent accept a button (``ChoiceInput``) or text: the
  choice's id, number or label, "sí"/"no". Choosing "other" asks for the text next.
- Multiple choice: each choice toggles (a text like "1, 3" toggles several; turning "other"
  on asks for its text at once); ``done`` ends it, checking min/max. ``done`` said before the
  text of "other" is written is not asked for again: the text then finishes the answer.
- Ranking: successive picks (or "2, 1, 3" at once) until the top N are ordered; when ranking
  all, the last one left is placed by itself. ``back`` undoes the last pick. The options left
  keep the numbers they were first shown with; a typed list with a repeated, already ranked or
  unlisted number is refused naming each.
- Repeats (``slots``): a repeat's questions are asked for each instance, as many as its
  ``repeat_count`` says (instances past a smaller count are dropped), else until "no" to
  "Add another?" (yes/no, asked after each instance; "no" drops the instances after it). The
  section of a step names each repeat with its instance's number. ``back`` crosses instances.
  At most ``MAX_INSTANCES`` of one repeat: one more, or an answer making a count ask for more,
  is refused; counts past ``MAX_INSTANCES_IN_ALL`` instances in the session are cut.
- Long answer: any number of text messages and voice notes or files until ``done``. In the
  questions built from several inputs, a message like "listo" or "done" counts as ``done``.
- File: files of the accepted kinds until ``done`` or the maximum number is reached.
- ``done`` on a question revisited with ``back`` keeps its answer and moves on; ``skip``
  records ``None`` when the question is optional; ``cancel`` ends the session. After an answer
  the engine moves to the first question that applies and has no answer yet.
"""
