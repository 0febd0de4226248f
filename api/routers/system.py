from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlmodel import Session

from api.deps import PUBLIC, get_session

router = APIRouter(tags=["system"])


@router.get("/health", dependencies=[Depends(PUBLIC)], summary="Helsesjekk (også av databasen)")
def health(session: Session = Depends(get_session)) -> dict:
    session.exec(text("SELECT 1"))
    return {"status": "ok"}
