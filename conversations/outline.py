"""A definition's outline, for its authors: what ``survey check`` prints and the API shows."""

from __future__ import annotations

from conversations.definition import Definition, localize


def outline(definition: Definition, language: str = "es") -> str:
    """Questions, types, skip logic and choices, one block per question."""
    title = " / ".join(definition.title[code] for code in ("es", "en") if code in definition.title)
    lines = [f"{definition.id} v{definition.version} ({definition.kind}): {title}"]
    if definition.consent:
        lines.append(f"consent: version {definition.consent.version}")
    if definition.anonymous:
        kept = ", ".join(definition.respondent_attributes) or "none"
        lines.append(f"anonymous (respondent attributes kept: {kept})")
    lines.append(f"{len(definition.every_question)} questions")
    for number, question in enumerate(definition.every_question, 1):
        flags: list[str] = [question.type]
        if question.asks:
            flags.append("required" if question.required else "optional")
        repeats = definition.repeats_of(question.id)
        if repeats:
            flags.append(f"in {' > '.join(repeats)}")
        low, high = question.bounds()
        if question.type not in ("single_choice", "yes_no", "note", "calculate", "repeat"):
            if low is not None:
                flags.append(f"min {low}")
            if high is not None:
                flags.append(f"max {high}")
        if question.max_length:
            flags.append(f"max length {question.max_length}")
        lines.append(f"{number:>3}. {question.id} [{', '.join(flags)}]")
        if question.text:
            lines.append(f"       {localize(question.text, language)}")
        for field in ("relevant", "constraint", "calculation", "repeat_count"):
            if getattr(question, field):
                lines.append(f"       {field}: {getattr(question, field)}")
        for choice in question.choices or ():
            lines.append(f"       - {choice.id}: {localize(choice.label, language)}")
        if question.other:
            lines.append("       - other: (specify)")
    return "\n".join(lines)
