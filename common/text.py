"""Text that goes into rows, logs and pages: bounded, whatever came in."""

DEFAULT_LIMIT = 500


def shortened(text: str, limit: int = DEFAULT_LIMIT) -> str:
    """The text, cut to ``limit`` characters with a note saying how much was left out."""
    if len(text) <= limit:
        return text
    note = f"… ({len(text) - limit:,} more characters cut)"
    return text[: max(0, limit - len(note))] + note
