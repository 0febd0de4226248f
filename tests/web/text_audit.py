"""What a person reads on a page, and what must never be in it: pydantic's English, Python's words,
internal codes (snake_case keys, enum values in English) and ISO dates (people here read dd.mm.åååå)."""

import re
from html.parser import HTMLParser


class _Visible(HTMLParser):
    """Text a person sees or hears: element text (SVG <title> tooltips too) and the attributes shown or
    read aloud. Scripts, styles and the values of form fields (what the person typed) are left out."""

    SHOWN_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("script", "style", "textarea"):
            self.skip += 1
        if tag == "a" and (values.get("href") or "").startswith("/app"):
            self.links.append(values["href"])
        self.parts += [values[a] for a in self.SHOWN_ATTRIBUTES if values.get(a)]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea"):
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible(html: str) -> tuple[str, list[str]]:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()), parser.links


ENGLISH = re.compile(
    r"Input should|Field required|Value error|valid (integer|number|date|email)|should (be|have)|String should|"
    r"Not Found|Method Not Allowed|Internal Server Error|Traceback|Unprocessable|unable to parse|"
    r"\b(None|True|False|nan|NaN)\b")
SNAKE_KEY = re.compile(r"\b[A-Za-z]+_[A-Za-z0-9_]+\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Enum values the domain stores that are English words; Norwegian text has no use for them.
CODE_WORDS = re.compile(
    r"\b(admin|consultant|staff|employer|phone|email|meeting|visit|permanent|temporary|seasonal|draft|"
    r"customer|potential|contacted|inactive|evening|night|weekend|maybe|unknown|positive|neutral|negative|"
    r"queued|running|failed|veto|accept|intake|paused|completed|withdrawn|cleaning|retail|kindergarten|"
    r"warehouse|construction|experienced|hour|month|year|sector|occupation|score|seconds|end)\b")
_ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|/app/\S*|/docs\b|/redoc\b")


def problems(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """Every bit of `text` that should not reach a person, each once. `data`: words that are stored
    data, not codes (user names such as "admin")."""
    text = _ADDRESSES.sub(" ", text)
    for word in data:
        text = re.sub(rf"\b{re.escape(word)}\b", " ", text)
    found = []
    for pattern in (ENGLISH, SNAKE_KEY, ISO_DATE, CODE_WORDS):
        for match in pattern.finditer(text):
            word = match.group(0)
            if word not in found:
                found.append(word)
    return found
