"""Who is asking: the principal every use case receives from the HTTP layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Principal:
    """An authenticated person, optionally acting for one organisation only (an
    organisation token), with the scopes granted to the credential."""

    person_id: uuid.UUID
    organisation_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=lambda: frozenset({"read", "write"}))

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
