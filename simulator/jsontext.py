"""JSON text in and out: strings UTF-8 cannot carry are refused on the way in and can
never stop a response or a save on the way out.

JSON may spell a lone UTF-16 surrogate (``"\\ud800"``) and Python reads it into a ``str``,
but no UTF-8 text can hold one.
"""

import json


def lone_surrogate_at(value, path: str = "body") -> str | None:
    """Where a parsed JSON value holds a lone surrogate, in a string or a key; else None."""
    if isinstance(value, str):
        return path if not _is_utf8_text(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if not _is_utf8_text(key):
                return f"a key of {path}"
            found = lone_surrogate_at(item, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = lone_surrogate_at(item, f"{path}[{index}]")
            if found:
                return found
    return None


def encode(value) -> bytes:
    """UTF-8 JSON with non-ASCII text kept readable; ASCII escapes when that cannot be."""
    try:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        # Escaped as \uXXXX a lone surrogate is still valid JSON, as Amazon could send it.
        return json.dumps(value).encode("ascii")


def _is_utf8_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
