"""Splitting an `application/x-json-stream` body (concatenated JSON objects, pretty-printed or one per
line) into objects as the bytes arrive, keeping only the unfinished object in memory.

Pure: bytes in, objects out. Strings are skipped with a regular expression (ad texts are mostly
string), so the scan costs little per byte."""

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_STRUCT = re.compile(r'[{}"]')
_IN_STRING = re.compile(r'["\\]')
_NON_SPACE = re.compile(r"\S")


@dataclass
class ParseError:
    """The stream cannot be read past this point: `position` counts characters from the start."""

    message: str
    position: int


@dataclass
class Parsed:
    value: object
    text: str


def split_objects(chunks: Iterable[bytes]) -> Iterator[Parsed | ParseError | None]:
    """Yield each complete top-level object as it is found, `None` after each chunk (a point where the
    caller may flush what it has, before waiting for more bytes), and a ParseError last if the stream
    breaks (malformed JSON, a value that is not an object, or an object cut off at the end)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    buf = ""
    offset = 0  # characters dropped from the front of buf so far
    pos = 0  # scan position in buf
    depth = 0
    in_string = False
    start = -1  # start of the current object in buf
    try:
        for chunk in chunks:
            buf += decoder.decode(chunk)
            while True:
                if depth == 0:
                    m = _NON_SPACE.search(buf, pos)
                    if m is None:
                        offset += len(buf)
                        buf, pos = "", 0
                        break
                    if m.group() != "{":
                        yield ParseError(f"Forventet et JSON-objekt, fant «{buf[m.start():m.start() + 20]}»",
                                         offset + m.start())
                        return
                    start, depth, pos = m.start(), 1, m.start() + 1
                    continue
                if in_string:
                    m = _IN_STRING.search(buf, pos)
                    if m is None:
                        pos = len(buf)
                        break
                    if m.group() == "\\":
                        if m.end() >= len(buf):  # the escaped character is in the next chunk
                            pos = m.start()
                            break
                        pos = m.end() + 1
                        continue
                    in_string, pos = False, m.end()
                    continue
                m = _STRUCT.search(buf, pos)
                if m is None:
                    pos = len(buf)
                    break
                ch, pos = m.group(), m.end()
                if ch == '"':
                    in_string = True
                elif ch == "{":
                    depth += 1
                else:
                    depth -= 1
                    if depth == 0:
                        text = buf[start:pos]
                        try:
                            value = json.loads(text)
                        except ValueError as exc:
                            yield ParseError(f"Ugyldig JSON i objektet som begynner ved tegn {offset + start} (feil ved tegn {offset + start + exc.pos})",
                                             offset + start + exc.pos)
                            return
                        yield Parsed(value, text)
                        offset += pos
                        buf, pos, start = buf[pos:], 0, -1
            if depth and start > 0:  # keep only the unfinished object
                offset += start
                buf, pos, start = buf[start:], pos - start, 0
            yield None
        buf += decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        yield ParseError(f"Strømmen er ikke gyldig UTF-8 ({exc.reason})", offset + len(buf))
        return
    if depth:
        yield ParseError("Strømmen slutter midt i et objekt", offset + max(start, 0))
    elif buf[pos:].strip():
        yield ParseError("Uventet tekst etter siste objekt", offset + pos)
