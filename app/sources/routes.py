"""HTTP routes of the sources domain."""

from fastapi import APIRouter

router = APIRouter()
