"""HTTP routes of the matching domain."""

from fastapi import APIRouter

router = APIRouter()
