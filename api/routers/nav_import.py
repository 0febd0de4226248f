"""NAV's import API (pam-import-api), same paths under /nav-import: an ATS that already posts to NAV
changes the base URL and the key, nothing else. The provider key goes in `Authorization: Bearer`."""

import json

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from accounts.service import Principal
from api.deps import allow, get_session, release_connection
from core.errors import Invalid
from core.types import Role
from nav import service
from nav.vocabularies import published

router = APIRouter(prefix="/nav-import/api/v1", tags=["NAVs importformat (for leverandører)"])
PROVIDER = allow(Role.employer)
READERS = allow(Role.employer, Role.admin, Role.consultant)

_S = {"type": "string"}
_LOCATION = {"type": "object", "properties": {k: _S for k in ("address", "postalCode", "city", "municipal", "county",
                                                              "country")}}
# One ad in NAV's format (pam-import-api's TransferDTO), for the documentation and the examples.
NAV_AD_SCHEMA = {
    "type": "object", "required": ["reference", "positions", "title", "adText", "published", "expires", "employer"],
    "properties": {
        "reference": _S, "positions": {"type": "integer"}, "title": _S, "adText": {"type": "string", "format": "html"},
        "published": _S, "expires": _S, "privacy": _S,
        "contactList": {"type": "array", "items": {"type": "object", "properties": {
            k: _S for k in ("name", "title", "email", "phone")}}},
        "locationList": {"type": "array", "items": _LOCATION},
        "properties": {"type": "object", "description": "extent, jobpercentage, engagementtype, starttime, workhours, "
                       "workday, applicationdue, applicationurl, applicationemail, keywords, sector, jobarrangement, ..."},
        "categoryList": {"type": "array", "items": {"type": "object", "properties": {
            "code": _S, "categoryType": _S, "name": _S}}},
        "employer": {"type": "object", "properties": {"reference": _S, "businessName": _S, "orgnr": _S,
                                                      "location": _LOCATION}},
    },
}

STREAM_DOC = (
    "Som NAVs `POST /stillingsimport/api/v1/transfers/{providerId}`: send annonsene etter hverandre "
    "(`Content-Type: application/x-json-stream`). Svaret kommer mens dere sender: én kvittering per annonse "
    "(`RECEIVED`, `ERROR` med `errorType`, `field` og `message`, eller `SKIPPED` når annonsen er uendret). "
    "Ugyldig JSON stopper strømmen med en `ERROR`-kvittering; annonsene før er tatt imot. En annonse som mangler "
    "det matching trenger, lagres som utkast og kvitteringen sier hva som må fylles ut (`mustComplete`).")


class ReceiptStream(StreamingResponse):
    """Receipts while the body is still arriving. Starlette's StreamingResponse listens for the client's
    disconnect by reading the request's messages itself, which would take the body's chunks from the
    reader; here the body reader is the only one reading them."""

    async def __call__(self, scope, receive, send) -> None:
        await self.stream_response(send)


def _body_chunks(request: Request):
    """The request body as it arrives, for the sync receiver running on a worker thread."""
    stream = request.stream().__aiter__()

    async def next_chunk() -> bytes | None:
        try:
            return await stream.__anext__()
        except StopAsyncIteration:
            return None

    while (chunk := anyio.from_thread.run(next_chunk)) is not None:
        if chunk:
            yield chunk


@router.post("/transfers/{provider_id}", summary="Send annonser som strøm (én kvittering per annonse)",
             description=STREAM_DOC, response_class=StreamingResponse,
             openapi_extra={"requestBody": {"required": True, "content": {"application/x-json-stream": {
                 "schema": NAV_AD_SCHEMA | {"description": "Annonser i NAVs format, etter hverandre"}}}}},
             responses={200: {"content": {"application/x-json-stream": {}}, "description": "Kvitteringer"}})
def stream(provider_id: int, request: Request, actor: Principal = Depends(PROVIDER),
           session: Session = Depends(get_session)):
    ctx = service.provider_context(session, actor, provider_id)
    release_connection(session)
    engine = request.app.state.engine
    receipts = (service.encode(r) for r in service.receive_stream(engine, ctx, _body_chunks(request)))
    return ReceiptStream(receipts, media_type="application/x-json-stream")


@router.post("/transfers/batch/{provider_id}", status_code=201,
             summary=f"Send høyst {service.MAX_BATCH} annonser som en JSON-liste (én kvittering)",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"type": "array", "maxItems": service.MAX_BATCH, "items": NAV_AD_SCHEMA}}}}})
async def batch(provider_id: int, request: Request, actor: Principal = Depends(PROVIDER),
                session: Session = Depends(get_session)) -> dict:
    raw = await request.body()
    try:
        ads = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Invalid("Ugyldig JSON (PARSE_ERROR): send en liste med annonser.", field="body",
                      details={"errorType": "PARSE_ERROR"}) from None
    return await anyio.to_thread.run_sync(_batch, session, actor, provider_id, ads)


def _batch(session: Session, actor: Principal, provider_id: int, ads) -> dict:
    ctx = service.provider_context(session, actor, provider_id)
    receipt = service.receive_batch(session, ctx, ads)
    session.commit()
    return receipt


@router.delete("/transfers/{provider_id}/{reference}", summary="Stopp en annonse (eller slett den med delete=true)")
def stop(provider_id: int, reference: str, delete: bool = Query(False, description="Slett for godt"),
         actor: Principal = Depends(PROVIDER), session: Session = Depends(get_session)) -> dict:
    ctx = service.provider_context(session, actor, provider_id)
    status = service.stop_ad(session, ctx, reference, delete)
    session.commit()
    return status


@router.get("/transfers/{provider_id}/versions/{version_id}", summary="En kvittering (versionId)")
def version(provider_id: int, version_id: int, actor: Principal = Depends(PROVIDER),
            session: Session = Depends(get_session)) -> dict:
    return service.transfer(session, service.provider_context(session, actor, provider_id), version_id)


@router.get("/adminstatus/{provider_id}/{reference}", summary="Annonsens status i NAVs ord")
def admin_status(provider_id: int, reference: str, actor: Principal = Depends(PROVIDER),
                 session: Session = Depends(get_session)) -> dict:
    return service.admin_status(session, service.provider_context(session, actor, provider_id), reference)


@router.get("/properties/values", summary="Gyldige verdier for egenskapene med faste verdier")
def property_values(_actor: Principal = Depends(READERS)) -> dict:
    return published()
