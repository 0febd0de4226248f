"""NAV's import protocol: ads in, one receipt per ad (stream) or per batch, stop and delete by reference,
and the admin status of an ad in NAV's words.

Each ad stands alone: it is stored whole or not at all (a savepoint per ad), and its receipt says
which field was wrong and why. A stream is read as it arrives and committed in small groups; the
receipts of a group are sent once the group is committed."""

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from accounts.service import Principal, get_provider, provider_grants, validate_organisation_number
from core.errors import DomainError, Forbidden, Invalid, NotFound
from core.labels import MUST_COMPLETE
from core.occupations import get_occupation
from core.postal import lookup
from core.types import utcnow
from employers.models import Employer, Vacancy
from employers.schemas import EmployerCreate, VacancyStatus
from employers.service import create_employer
from nav.models import NavAd, NavTransfer
from nav.stream import ParseError, split_objects
from nav.translate import AdError, TranslatedAd, md5_of, translate

log = logging.getLogger("brobygger.nav")
MAX_BATCH = 100
GROUP = 100  # ads per commit in a stream


@dataclass
class Context:
    """One request's provider: what it may submit for, and the employers found so far (ids only)."""

    principal: Principal
    provider_id: int
    grants: set[str]
    origin: str
    employers: dict[str, int | None] = field(default_factory=dict)


def provider_context(session: Session, principal: Principal, provider_id: int) -> Context:
    """The provider in the path must be the caller's own (checked before any ad is read)."""
    if principal.provider_id is None:
        raise Forbidden("Dette er for leverandørnøkler (NAVs importformat). Send leverandørnøkkelen som Bearer-token.")
    if principal.provider_id != provider_id:
        raise Forbidden(f"Nøkkelen hører til leverandør {principal.provider_id}, ikke {provider_id}.",
                        field="provider_id")
    get_provider(session, provider_id)
    return Context(principal, provider_id, set(provider_grants(session, provider_id)), f"provider:{provider_id}")


# ---------------------------------------------------------------- one ad


def find_employer(session: Session, number: str) -> Employer | None:
    """An organisation number names the employer as its business unit or its legal entity."""
    rows = session.exec(select(Employer).where(or_(Employer.organisation_number == number,
                                                   Employer.legal_entity_number == number))
                        .order_by(col(Employer.organisation_number) != number, Employer.id)).all()
    return rows[0] if rows else None


def _sector_for(occupation_code: str | None) -> str:
    from candidates.catalogue import SECTORS

    if occupation_code:
        sector = getattr(get_occupation(occupation_code), "sector", None)
        if sector in SECTORS:
            return sector
    return "other"


def employer_id_for(session: Session, ctx: Context | None, t: TranslatedAd, actor: Principal) -> int:
    """The employer the ad is for; one not in the register is added as potential (a lead, not a customer)."""
    if not t.orgnr:
        raise AdError("MISSING_PARAMETER", "employer.orgnr", "employer.orgnr mangler: organisasjonsnummeret "
                      "(underenhet eller hovedenhet) trengs for å finne arbeidsgiveren.")
    if t.orgnr in (ctx.employers if ctx else {}):
        employer_id = ctx.employers[t.orgnr]
        if employer_id is None:
            raise AdError("INVALID_VALUE", "employer.orgnr",
                          f"Leverandøren har ikke tilgang til å sende stillinger for organisasjon {t.orgnr}.")
        return employer_id
    employer = find_employer(session, t.orgnr)
    if ctx is not None:
        numbers = {t.orgnr} | ({employer.organisation_number, employer.legal_entity_number} if employer else set())
        if not numbers & ctx.grants:
            ctx.employers[t.orgnr] = None
            raise AdError("INVALID_VALUE", "employer.orgnr",
                          f"Leverandøren har ikke tilgang til å sende stillinger for organisasjon {t.orgnr}.")
    if employer is None:
        try:
            validate_organisation_number(t.orgnr, field="employer.orgnr")
        except DomainError:
            raise AdError("INVALID_VALUE", "employer.orgnr", f"{t.orgnr} er ikke et gyldig organisasjonsnummer "
                          "(ni siffer med kontrollsiffer).") from None
        if not t.business_name:
            raise AdError("MISSING_PARAMETER", "employer.businessName", "employer.businessName mangler.")
        postal = lookup(t.employer_postal_code)
        with session.begin_nested():
            employer = create_employer(session, EmployerCreate(
                organisation_number=t.orgnr, name=t.business_name, sector=_sector_for(t.values["occupation_code"]),
                municipality_code=postal.municipality_code if postal else t.values["municipality_code"],
                notes="Lagt til fra en stillingsannonse i NAVs format."), actor)
        return employer.id  # not cached: the savepoint of this ad may still be rolled back
    if ctx is not None:
        ctx.employers[t.orgnr] = employer.id
    return employer.id


_TEMPLATES: dict[type, dict] = {}


def insert_row(session: Session, model, **values) -> int:
    """One row through a plain INSERT ... RETURNING id, every column given (the model's defaults for the rest).
    Building the model object costs more than the insert (pydantic inspects each default factory), and an
    intake of thousands of ads makes three rows each."""
    template = _TEMPLATES.get(model)
    if template is None:
        template = {}
        for column in model.__table__.columns:
            field = model.model_fields.get(column.name)
            if not column.primary_key and field is not None:
                template[column.name] = field.get_default(call_default_factory=True)
        _TEMPLATES[model] = template
    now = utcnow()
    row = {k: ([] if v == [] else {} if v == {} else now if isinstance(v, datetime) else v) for k, v in template.items()}
    row.update(values)
    table = model.__table__
    return session.connection().execute(insert(table).returning(table.c.id), row).scalar_one()


def status_for(values: dict, previous: Vacancy | None) -> str:
    if values["missing_fields"]:
        return VacancyStatus.draft
    if values["review_reasons"]:
        if previous is not None and previous.reviewed_at and previous.review_reasons == values["review_reasons"]:
            return previous.status  # a consultant already decided on this wording
        return VacancyStatus.held_for_review
    return VacancyStatus.open


def store_ad(session: Session, t: TranslatedAd, ad: dict, *, origin: str, source: str, employer_id: int,
             existing: NavAd | None) -> tuple[int, str, list]:
    """The ad as a vacancy (a new one, or the one its reference made before). Returns the vacancy's id,
    status and what must be filled in."""
    vacancy = session.get(Vacancy, existing.vacancy_id) if existing and existing.vacancy_id else None
    if vacancy is not None and vacancy.status == VacancyStatus.filled:
        raise AdError("CONFLICT", "reference", "Stillingen er besatt og kan ikke endres.")
    if vacancy is not None and vacancy.status == VacancyStatus.closed and vacancy.reviewed_at and vacancy.review_reasons:
        raise AdError("CONFLICT", "reference", "Annonsen er avvist for ordlyden (DISCRIMINATING) og kan ikke sendes "
                      "på nytt; lag en ny annonse med ny referanse.")
    now = utcnow()
    status = status_for(t.values, vacancy)
    if vacancy is None:
        vacancy_id = insert_row(session, Vacancy, **t.values, employer_id=employer_id, source=source, status=status,
                                raw_payload=ad)
    else:
        for key, value in t.values.items():
            setattr(vacancy, key, value)
        vacancy.employer_id, vacancy.status, vacancy.raw_payload, vacancy.updated_at = employer_id, status, ad, now
        session.flush()
        vacancy_id = vacancy.id
    if existing is None:
        insert_row(session, NavAd, origin=origin, reference=t.reference, md5=t.md5, vacancy_id=vacancy_id)
    else:
        table = NavAd.__table__
        session.connection().execute(update(table).where(table.c.id == existing.id).values(
            vacancy_id=vacancy_id, md5=t.md5, updated_at=now))
    return vacancy_id, status, t.values["missing_fields"]


def ad_state(session: Session, origin: str, reference: str):
    """What is known of a reference (id, md5, deleted, vacancy_id), read without building the model."""
    t = NavAd.__table__
    return session.connection().execute(
        select(t.c.id, t.c.md5, t.c.deleted, t.c.vacancy_id).where(t.c.origin == origin, t.c.reference == reference)
    ).first()


def nav_ad(session: Session, origin: str, reference: str) -> NavAd | None:
    return session.exec(select(NavAd).where(NavAd.origin == origin, NavAd.reference == reference)).first()


def _iso(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat()


def receipt_of(row: NavTransfer, **extra) -> dict:
    receipt = {"versionId": row.id, "status": row.status, "md5": row.md5, "items": row.items,
               "created": _iso(row.created_at), "updated": _iso(row.created_at)}
    if row.reference is not None:
        receipt["reference"] = row.reference
    if row.status == "ERROR":
        receipt.update(errorType=row.error_type, field=row.field_name, message=row.message)
    receipt.update({k: v for k, v in extra.items() if v not in (None, [], {})})
    return receipt


def receive_ad(session: Session, ctx: Context, ad: object) -> dict:
    """One ad: stored whole or not at all; its receipt (a NavTransfer row) either way."""
    reference = ad.get("reference") if isinstance(ad, dict) else None
    reference = str(reference)[:255] if reference is not None else None
    md5 = md5_of(ad) if isinstance(ad, dict) else ""
    extra: dict = {}
    try:
        with session.begin_nested():
            t = translate(ad)
            existing = ad_state(session, ctx.origin, t.reference)
            if existing is not None and existing.deleted:
                raise AdError("CONFLICT", "reference", f"Annonsen {t.reference} er slettet og kan ikke opprettes igjen.")
            if existing is not None and existing.md5 == t.md5:
                row = dict(reference=t.reference, status="SKIPPED")
            else:
                employer_id = employer_id_for(session, ctx, t, ctx.principal)
                vacancy_id, status, missing = store_ad(session, t, ad, origin=ctx.origin, source="nav_import",
                                                       employer_id=employer_id, existing=existing)
                row = dict(reference=t.reference, status="RECEIVED")
                extra = {"vacancyId": vacancy_id, "vacancyStatus": str(status),
                         "mustComplete": [MUST_COMPLETE[f] for f in missing],
                         "reviewReasons": t.values["review_reasons"],
                         "suggestedRequirements": t.values["suggested_requirements"], "warnings": t.warnings}
    except AdError as exc:
        row = dict(reference=reference, status="ERROR", error_type=exc.error_type, field_name=exc.field,
                   message=exc.message)
    except IntegrityError:  # the same reference from a stream running at the same time: its savepoint is gone
        row = dict(reference=reference, status="ERROR", error_type="CONFLICT", field_name="reference",
                   message="Annonsen ble sendt samtidig i en annen forespørsel. Send den på nytt.")
    except DomainError as exc:  # a rule of the register (e.g. the employer's data) broken by the ad
        row = dict(reference=reference, status="ERROR", error_type="INVALID_VALUE",
                   field_name=f"employer.{exc.field}" if exc.field else None, message=exc.message)
    row |= dict(provider_id=ctx.provider_id, md5=md5, items=1, created_at=utcnow())
    row_id = insert_row(session, NavTransfer, **row)
    return receipt_of(NavTransfer.model_construct(id=row_id, **row), **extra)


# ---------------------------------------------------------------- stream and batch


def receive_stream(engine: Engine, ctx: Context, chunks: Iterable[bytes], group: int = GROUP) -> Iterator[dict]:
    """Receipts as the ads arrive. A parse error stops the stream with an ERROR receipt; the ads before
    it are kept."""
    with Session(engine, expire_on_commit=False) as session:
        pending: list[dict] = []

        def flush() -> list[dict]:
            session.commit()
            session.expunge_all()  # memory stays flat however long the stream
            out, pending[:] = list(pending), []
            return out

        for item in split_objects(chunks):
            if item is None:
                yield from flush()
                continue
            if isinstance(item, ParseError):
                row = NavTransfer(provider_id=ctx.provider_id, status="ERROR", md5="", error_type="PARSE_ERROR",
                                  field_name="body", message=f"{item.message}. Strømmen er stoppet her; annonsene "
                                  "før er tatt imot.")
                session.add(row)
                session.flush()
                pending.append(receipt_of(row))
                yield from flush()
                return
            pending.append(receive_ad(session, ctx, item.value))
            if len(pending) >= group:
                yield from flush()
        yield from flush()


def receive_batch(session: Session, ctx: Context, ads: object) -> dict:
    """At most 100 ads in a JSON array, one receipt; each ad's own outcome is listed in it."""
    if not isinstance(ads, list):
        raise Invalid("En batch er en JSON-liste med annonser.", field="body")
    if len(ads) > MAX_BATCH:
        raise Invalid(f"Høyst {MAX_BATCH} annonser per batch (fikk {len(ads)}).", field="body")
    results = [receive_ad(session, ctx, ad) for ad in ads]
    errors = [r for r in results if r["status"] == "ERROR"]
    row = NavTransfer(provider_id=ctx.provider_id, status="ERROR" if ads and len(errors) == len(ads) else "RECEIVED",
                      md5=md5_of({"ads": ads}), items=len(ads))
    session.add(row)
    session.flush()
    return receipt_of(row, ads=results)


# ---------------------------------------------------------------- status, stop, delete


def _ad_for(session: Session, ctx: Context, reference: str) -> NavAd:
    ad = nav_ad(session, ctx.origin, reference)
    if ad is None:
        raise NotFound(f"Ingen annonse med referanse {reference} fra leverandør {ctx.provider_id}.", field="reference")
    return ad


def admin_status(session: Session, ctx: Context, reference: str) -> dict:
    """NAV's admin status: held for review or a draft -> PENDING; rejected for wording -> REJECTED with
    DISCRIMINATING; open -> ACTIVE; closed or filled -> STOPPED; deleted -> DELETED."""
    ad = _ad_for(session, ctx, reference)
    vacancy = session.get(Vacancy, ad.vacancy_id) if ad.vacancy_id else None
    status, publish, message = "RECEIVED", "UNKNOWN", None
    if ad.deleted:
        status, publish = "DONE", "DELETED"
    elif vacancy is None:
        pass
    elif vacancy.status == VacancyStatus.draft:
        status, publish = "PENDING", "INACTIVE"
        message = "Må fylles ut: " + ", ".join(MUST_COMPLETE.get(f, f) for f in vacancy.missing_fields)
    elif vacancy.status == VacancyStatus.held_for_review:
        status, publish, message = "PENDING", "INACTIVE", "; ".join(vacancy.review_reasons)
    elif vacancy.status == VacancyStatus.open:
        status, publish = "DONE", "ACTIVE"
    elif vacancy.status == VacancyStatus.closed and vacancy.reviewed_at and vacancy.review_reasons:
        status, publish, message = "DONE", "REJECTED", "DISCRIMINATING"
    else:
        status, publish = "DONE", "STOPPED"
    return {"uuid": str(vacancy.id) if vacancy else None, "status": status, "reference": reference,
            "url": f"/vacancies/{vacancy.id}" if vacancy else None, "providerId": ctx.provider_id,
            "created": _iso(ad.created_at), "updated": _iso(ad.updated_at), "message": message,
            "publishStatus": publish}


def stop_ad(session: Session, ctx: Context, reference: str, delete: bool) -> dict:
    """Stop (STOPPED: closed, no longer matched) or, with delete, remove for good: the contact people and
    the payload go, and the reference cannot be used again."""
    ad = _ad_for(session, ctx, reference)
    vacancy = session.get(Vacancy, ad.vacancy_id) if ad.vacancy_id else None
    if vacancy is not None:
        if vacancy.status not in (VacancyStatus.filled, VacancyStatus.closed):
            vacancy.status = VacancyStatus.closed
        if delete:
            vacancy.contacts, vacancy.raw_payload = [], None
        vacancy.updated_at = utcnow()
    if delete:
        ad.deleted = True
    ad.updated_at = utcnow()
    session.flush()
    return admin_status(session, ctx, reference)


def transfer(session: Session, ctx: Context, version_id: int) -> dict:
    row = session.get(NavTransfer, version_id)
    if row is None or row.provider_id != ctx.provider_id:
        raise NotFound(f"Kvittering {version_id} finnes ikke for leverandør {ctx.provider_id}.", field="version_id")
    return receipt_of(row)


def encode(receipt: dict) -> bytes:
    return (json.dumps(receipt, ensure_ascii=False, default=str) + "\n").encode()
