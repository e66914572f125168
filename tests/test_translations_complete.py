"""Every user-facing message has Finnish and Swedish text: the strings are extracted
from the code and templates as `make translations` does (babel.cfg, the same keywords),
and each must be translated in both catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo

ROOT = Path(__file__).resolve().parents[1]
# The Makefile adds these to Babel's default keywords (gettext, ngettext, _ ...).
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}


def _method_map() -> list[tuple[str, str]]:
    """The patterns of babel.cfg, in its order."""
    pairs = []
    for line in (ROOT / "babel.cfg").read_text().splitlines():
        line = line.strip()
        if line.startswith("[") and ":" in line:
            method, pattern = line.strip("[]").split(":", 1)
            pairs.append((pattern.strip(), method.strip()))
    return pairs


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    messages = extract_from_dir(
        str(ROOT), method_map=_method_map(), keywords=KEYWORDS, strip_comment_tags=True
    )
    found = set()
    for _filename, _line, message, _comments, _context in messages:
        found.add(message[0] if isinstance(message, tuple) else message)
    assert len(found) > 100, "the extraction found too few messages to be the real one"
    return found


def compiled(language: str) -> Catalog:
    path = ROOT / "service" / "translations" / language / "LC_MESSAGES" / "messages.mo"
    with path.open("rb") as file:
        return read_mo(file)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_message_is_translated(extracted: set[str], language: str) -> None:
    catalog = compiled(language)
    missing = []
    for msgid in sorted(extracted):
        message = catalog.get(msgid)
        strings = message.string if message is not None else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if message is None or not all(texts):
            missing.append(msgid)
    assert missing == [], f"{len(missing)} messages lack {language}: {missing[:20]}"
