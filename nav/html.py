"""Ad texts arrive as HTML. They are kept sanitised (Ammonia through nh3: basic formatting only, no
scripts, styles, event handlers or foreign links' tricks) and as plain text for the wording rules."""

import html
import re

import nh3

TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "h1", "h2", "h3", "h4", "a", "span", "div"}
ATTRIBUTES = {"a": {"href"}}
_BLOCK = re.compile(r"<\s*(?:br|/p|/li|/h[1-6]|/div|li)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")
_SCRIPT = re.compile(r"<\s*(script|style|iframe|object|embed)\b|\son\w+\s*=|javascript:", re.IGNORECASE)


def has_active_content(text: str | None) -> bool:
    """Whether the HTML carried scripts, event handlers or javascript: links (removed, and said so)."""
    return bool(text and _SCRIPT.search(text))


def sanitise(text: str | None) -> str:
    if not text:
        return ""
    return nh3.clean(text, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow")


def plain_text(clean_html: str) -> str:
    """Readable text from sanitised HTML: line breaks where blocks end, entities decoded."""
    text = _BLOCK.sub("\n", clean_html)
    text = html.unescape(_TAG.sub("", text))
    text = "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return _LINES.sub("\n\n", text).strip()
