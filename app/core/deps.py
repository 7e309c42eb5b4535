"""Small Annotated dependencies shared by every router."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from sqlalchemy.orm import Session

from app.core.config import Settings, get_settings
from app.core.db import get_session

# scope="function": the unit of work commits before the response is sent, so a failed commit is a 500,
# never a 2xx for data that was not written.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]

# Record ids are BIGINT: anything outside 1..2**63-1 cannot name a record, so it is refused as 422 up front.
MAX_RECORD_ID = 2**63 - 1
RecordId = Annotated[int, Path(ge=1, le=MAX_RECORD_ID, description="the record's numeric id", examples=[123])]
