"""The agenda as an iCalendar feed (RFC 5545) that Outlook and Google Calendar can subscribe to.

A calendar lives on other companies' servers and phones, so it carries as little about people as
will do: a candidate appears by initials only ("A.H."), the employer by name, an interview with its
time and place; notes never. Details are one click away in brobygger, behind a login."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from agenda.schemas import AgendaItemPublic
from core.labels import AGENDA_KIND
from core.types import LOCAL_TZ, utcnow

INTERVIEW_LENGTH = timedelta(hours=1)
PAST_DAYS, FUTURE_DAYS = 30, 180  # what the feed covers around today


def initials(name: str | None) -> str:
    """"Amina Hassan" -> "A.H."; an anonymised or missing name gives ""."""
    if not name or name.startswith("["):
        return ""
    return "".join(part[0].upper() + "." for part in name.split() if part[:1].isalpha())


def summary(item: AgendaItemPublic) -> str:
    who = ", ".join(x for x in (initials(item.candidate_name), item.employer_name) if x)
    title = item.title if item.kind != "interview" else AGENDA_KIND["interview"]
    return f"{title} – {who}" if who else title


def calendar(items: Iterable[AgendaItemPublic], *, owner_name: str, agenda_url: str,
             now: datetime | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//brobygger//Min agenda//NB")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"brobygger – {owner_name.split()[0] if owner_name else 'agenda'}")
    cal.add("x-wr-timezone", "Europe/Oslo")
    stamp = (now or utcnow()).replace(microsecond=0)
    for item in items:
        if item.done:
            continue
        event = Event()
        event.add("uid", f"{item.kind}-{item.id}@brobygger")
        event.add("dtstamp", stamp)
        event.add("summary", summary(item))
        if item.starts_at is not None:
            start = item.starts_at.astimezone(LOCAL_TZ).replace(microsecond=0)
            event.add("dtstart", start)
            event.add("dtend", start + INTERVIEW_LENGTH)
            if item.place:
                event.add("location", item.place)
        else:  # a task or follow-up: an all-day event on its due day
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        event.add("description", f"Detaljer i brobygger: {agenda_url}?periode=dag&dag={item.day.strftime('%d.%m.%Y')}")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def window(today: date) -> tuple[date, date]:
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
