"""A candidate's CV as a one-page PDF in Norwegian, for the consultant to send or print.

It holds only what a presentation to an employer may show (`PresentableField`): Norwegian level,
languages, certificates, experience, education, wanted share, availability and working hours, with
the candidate's name as the heading (the consultant sends it with the candidate's consent). Never
contact details, national id, health, consents, internal notes, checklist evidence, references'
contact details or document references. Drawn with fpdf2's built-in Helvetica (Latin-1: Norwegian
letters are fine; other letters are written without accents or as "?")."""

import unicodedata
from datetime import date

from fpdf import FPDF
from sqlmodel import Session

from accounts.service import Principal
from candidates.catalogue import SECTORS
from candidates.schemas import CandidatePublic
from candidates.service import get_candidate, to_public
from core.labels import CERTIFICATE, WORKING_HOURS
from core.occupations import is_unit_group, occupation_title
from placement.schemas import PresentableField

MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")
# Only these parts of the profile reach the document (checked by a test against PresentableField).
SECTIONS = (PresentableField.norwegian_level, PresentableField.languages, PresentableField.certificates,
            PresentableField.experience, PresentableField.education, PresentableField.wanted_fte,
            PresentableField.available_from, PresentableField.working_hours)


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


def _wish(value: str) -> str:
    if is_unit_group(value):
        return occupation_title(value)
    return SECTORS.get(value, value)


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


def cv_pdf(candidate: CandidatePublic, *, made_on: date) -> bytes:
    """The one-page CV. Long lists are cut (newest first) so it stays on one page."""
    pdf = _Document(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(False)
    pdf.set_title(_latin1(f"CV {candidate.first_name} {candidate.last_name}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 9, _latin1(f"{candidate.first_name} {candidate.last_name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(0, 5, "Curriculum vitae", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)

    pdf.heading("Kort om meg")
    hours = ", ".join(WORKING_HOURS.get(str(h), str(h)) for h in candidate.working_hours)
    wishes = ", ".join(_wish(w.value) for w in candidate.wishes)
    rows = [("Ønsket stillingsandel", f"{candidate.wanted_fte} %"),
            ("Tilgjengelig", f"fra {_d(candidate.available_from)}" if candidate.available_from else "nå")]
    if hours:
        rows.append(("Kan jobbe", hours))
    if wishes:
        rows.append(("Ønsker å jobbe med", wishes))
    pdf.facts(rows)

    pdf.heading("Arbeidserfaring")
    experience = sorted(candidate.experience, key=lambda e: e.start or date.min, reverse=True)
    for e in experience[:6]:
        kind = "praksisplass" if e.is_work_practice else ""
        small = _period(e.start, e.end) + (f", {kind}" if kind else "")
        pdf.line_item(f"{e.title}, {e.employer_name}", small=small)
    if not experience:
        pdf.line_item("Ingen registrert ennå")

    pdf.heading("Utdanning")
    education = sorted(candidate.education, key=lambda e: e.start or date.min, reverse=True)
    for e in education[:4]:
        where = ", ".join(x for x in (e.institution, e.country) if x)
        done = "fullført" if e.completed else "ikke fullført"
        pdf.line_item(f"{e.title}", detail=e.level or "", small=", ".join(x for x in (where, _period(e.start, e.end, "pågår"), done) if x))
    if not education:
        pdf.line_item("Ingen registrert ennå")

    pdf.heading("Sertifikater og kurs")
    for c in candidate.certificates[:8]:
        name = CERTIFICATE.get(c.code, c.label) + (f": {c.name}" if c.name else "")
        valid = f"gyldig til {_d(c.expires_on)}" if c.expires_on else ""
        pdf.line_item(name, small=", ".join(x for x in (f"tatt {_d(c.issued_on)}" if c.issued_on else "", valid) if x))
    if not candidate.certificates:
        pdf.line_item("Ingen registrert ennå")

    pdf.heading("Språk")
    level = f"Norsk: {candidate.norwegian_level}-nivå" if candidate.norwegian_level else "Norsk: ikke vurdert ennå"
    if candidate.norskprove:
        parts = [f"{name} {getattr(candidate.norskprove, key)}" for key, name in (
            ("reading", "lesing"), ("listening", "lytting"), ("writing", "skriving"), ("oral", "muntlig"))
            if getattr(candidate.norskprove, key)]
        if parts:
            level += f" (Norskprøven {_d(candidate.norskprove.test_date)}: {', '.join(parts)})"
    pdf.facts([("Norsk", level.removeprefix("Norsk: "))] +
              ([("Andre språk", ", ".join(candidate.languages))] if candidate.languages else []))

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
    return candidate, cv_pdf(candidate, made_on=made_on)
