"""A candidate's CV as a one-page PDF in Norwegian, for the consultant to send or print.

It is built from exactly what a presentation to an employer may show (`PresentableField`, trimmed
by the presentation's own `_presentable`): Norwegian level, languages, certificates, experience,
education, wanted share, availability and working hours, with the candidate's name as the heading
(the consultant sends it with the candidate's consent). So never contact details, national id,
health, consents, internal notes, checklist evidence, referees or document references. Drawn with fpdf2's built-in Helvetica (Latin-1: Norwegian
letters are fine; other letters are written without accents or as "?")."""

import unicodedata
from datetime import date

from fpdf import FPDF
from sqlmodel import Session

from accounts.service import Principal
from candidates.schemas import CandidatePublic
from candidates.service import get_candidate, to_public
from core.labels import WORKING_HOURS
from placement.presentations import _presentable
from placement.schemas import PresentableField

MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")


def _latin1(text: str) -> str:
    text = str(text).replace("–", "-").replace("—", "-").replace("’", "'").replace("«", '"').replace("»", '"')
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        plain = unicodedata.normalize("NFKD", text)
        kept = "".join(ch for ch in plain if not unicodedata.combining(ch))
        return kept.encode("latin-1", "replace").decode("latin-1")


def _month(value: date | None) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}" if value else ""


def _period(start: date | None, end: date | None, open_end: str = "nå") -> str:
    if not start and not end:
        return ""
    return f"{_month(start) or '?'} - {_month(end) if end else open_end}"


def _d(value: date) -> str:
    return value.strftime("%d.%m.%Y")


class _Document(FPDF):
    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font("Helvetica", "B", 11)
        self.set_text_color(20, 60, 110)
        self.cell(0, 6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(20, 60, 110)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        self.set_text_color(0, 0, 0)

    def line_item(self, title: str, detail: str = "", small: str = "") -> None:
        self.set_font("Helvetica", "B", 9.5)
        self.multi_cell(0, 4.6, _latin1(title) + (f"  ({_latin1(detail)})" if detail else ""),
                        new_x="LMARGIN", new_y="NEXT")
        if small:
            self.set_font("Helvetica", "", 9)
            self.multi_cell(0, 4.2, _latin1(small), new_x="LMARGIN", new_y="NEXT")
        self.ln(0.8)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        for label, value in rows:
            self.set_font("Helvetica", "B", 9.5)
            self.cell(45, 5, _latin1(label))
            self.set_font("Helvetica", "", 9.5)
            self.multi_cell(0, 5, _latin1(value), new_x="LMARGIN", new_y="NEXT")


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else value or None


def presentable_profile(candidate: CandidatePublic) -> dict:
    """Every field a presentation may show, trimmed exactly as a presentation trims it (placement/
    presentations.py): the CV is built from this and nothing else."""
    public = candidate.model_dump(mode="json")
    return {field.value: _presentable(public, field.value) for field in PresentableField}


def cv_pdf(name: str, profile: dict, *, made_on: date) -> bytes:
    """The one-page CV from `presentable_profile`. Long lists are cut (newest first) so it stays on one page."""
    pdf = _Document(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(False)
    pdf.set_title(_latin1(f"CV {name}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 9, _latin1(name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(0, 5, "Curriculum vitae", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)

    pdf.heading("Kort om meg")
    hours = ", ".join(WORKING_HOURS.get(str(h), str(h)) for h in profile["working_hours"])
    available = _date(profile["available_from"])
    rows = [("Ønsket stillingsandel", f"{profile['wanted_fte']} %"),
            ("Tilgjengelig", f"fra {_d(available)}" if available and available > made_on else "nå")]
    if hours:
        rows.append(("Kan jobbe", hours))
    pdf.facts(rows)

    pdf.heading("Arbeidserfaring")
    experience = sorted(profile["experience"], key=lambda e: _date(e["start"]) or date.min, reverse=True)
    for e in experience[:7]:
        small = _period(_date(e["start"]), _date(e["end"])) + (", praksisplass" if e["is_work_practice"] else "")
        pdf.line_item(f"{e['title']}, {e['employer_name']}", small=small.strip(", "))
    if not experience:
        pdf.line_item("Ingen registrert ennå")

    pdf.heading("Utdanning")
    for e in profile["education"][:5]:
        pdf.line_item(e["title"], detail=e["level"] or "", small="fullført" if e["completed"] else "ikke fullført")
    if not profile["education"]:
        pdf.line_item("Ingen registrert ennå")

    pdf.heading("Sertifikater og kurs")
    for c in profile["certificates"][:8]:
        expires = _date(c["expires_on"])
        pdf.line_item(c["label"], small=f"gyldig til {_d(expires)}" if expires else "")
    if not profile["certificates"]:
        pdf.line_item("Ingen registrert ennå")

    pdf.heading("Språk")
    level = profile["norwegian_level"]
    pdf.facts([("Norsk", f"{level}-nivå (Det felles europeiske rammeverket)" if level else "ikke vurdert ennå")] +
              ([("Andre språk", ", ".join(profile["languages"]))] if profile["languages"] else []))

    pdf.heading("Referanser")
    pdf.set_font("Helvetica", "", 9.5)
    pdf.multi_cell(0, 5, "Oppgis på forespørsel.", new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(-14)
    pdf.set_font("Helvetica", "", 7.5)
    pdf.set_text_color(120, 120, 120)
    pdf.cell(0, 4, _latin1(f"Laget {_d(made_on)}"))
    return bytes(pdf.output())


def candidate_cv(session: Session, candidate_id: int, actor: Principal, made_on: date) -> tuple[CandidatePublic, bytes]:
    candidate = to_public(session, get_candidate(session, candidate_id, actor))
    name = f"{candidate.first_name} {candidate.last_name}"
    return candidate, cv_pdf(name, presentable_profile(candidate), made_on=made_on)
