"""Unicode that people cannot see: what a comment's fields refuse or drop, and how word lists compare text.

- *Noncharacters* (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE and U+FFFF among
  them) are never text: XML cannot carry U+FFFE and U+FFFF, so a feed holding one is broken.
- *Format characters* (Unicode's category Cf: bidirectional overrides and isolates, zero-width spaces and
  joiners, the soft hyphen…) are invisible. In a name they only disguise it (a right-to-left override
  turns "Ann" into something that reads otherwise), so names refuse them. In a comment's text, those
  that cannot be meant there (overrides, embeddings and isolates, which reorder what follows; zero-width
  spaces, word joiners, the soft hyphen and the byte-order mark, which hide words) are removed; the
  zero-width joiners of emoji and of scripts such as Persian, and the direction marks of right-to-left
  text, stay.
- Word lists match on ``normalised`` text: NFKC (full-width and compatibility forms to their plain
  letters), case-folded, without format characters or accents, with Latin look-alikes from Cyrillic and
  Greek folded to their Latin letters, so "casino" written with a Cyrillic "с" or a zero-width space matches "casino".
"""

import re
import unicodedata

NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
NONCHARACTER = re.compile(f"[{NONCHARACTERS}]")
UNMEANT_IN_TEXT = re.compile(f"[{NONCHARACTERS}\u00ad\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# Cyrillic and Greek letters that look like Latin ones (after case folding), from Unicode's confusables.
CONFUSABLES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m",
        "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q",
        "ԝ": "w", "ү": "y", "ӏ": "l", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ɑ": "a", "ɡ": "g", "ı": "i",
    }
)  # fmt: skip


def has_invisible_characters(text):
    """Whether the text holds a noncharacter or a format character."""
    return bool(NONCHARACTER.search(text)) or any(unicodedata.category(char) == "Cf" for char in text)


def without_unmeant_characters(text):
    """The text without the noncharacters and invisible format characters it cannot mean."""
    return UNMEANT_IN_TEXT.sub("", text)


def normalised(text):
    """Text as word lists compare it: compatibility forms to plain ones (NFKC), case-folded, without format
    characters or accents (so "İ" is "i"), Latin look-alikes folded."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(char for char in text if unicodedata.category(char) not in ("Cf", "Mn"))
    return text.translate(CONFUSABLES)
