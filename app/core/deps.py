"""Small Annotated dependencies shared by every router."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.core.config import Settings, get_settings
from app.core.db import get_session

# scope="function": the unit of work commits before the response is sent, so a failed commit is a 500,
# never a 2xx for data that was not written.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
