"""Input and output of the provider keys and the feed rules."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, EmailStr, Field, StringConstraints

from core.text import InputModel

OrgNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{9}$")]


class ProviderIn(InputModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    email: EmailStr | None = None
    organisation_numbers: list[OrgNumber] = Field(
        default_factory=list, max_length=1000,
        description="Organisasjonene leverandøren får sende stillinger for (underenhet eller hovedenhet)")


class GrantIn(InputModel):
    organisation_numbers: list[OrgNumber] = Field(min_length=1, max_length=1000)


class ProviderOut(BaseModel):
    id: int
    name: str
    email: str | None
    prefix: str
    organisation_numbers: list[str]
    created_at: datetime
    revoked_at: datetime | None


class ProviderCreated(ProviderOut):
    key: str = Field(description="Vises bare nå: send den som `Authorization: Bearer <nøkkel>`")


class FeedRulesIn(InputModel):
    occupation_prefixes: list[Annotated[str, StringConstraints(pattern=r"^\d{1,4}$")]] = Field(
        default_factory=list, max_length=500, description="STYRK-08-koder eller begynnelsen av dem; tom: alle")
    municipality_codes: list[Annotated[str, StringConstraints(pattern=r"^\d{4}$")]] = Field(
        default_factory=list, max_length=400, description="Kommunenummer; tom: alle")
    min_fte: int | None = Field(default=None, ge=1, le=100)
    max_fte: int | None = Field(default=None, ge=1, le=100)


class FeedRulesOut(FeedRulesIn):
    text_rule = False
    updated_at: datetime | None = None
