"""HTTP routes of the communities domain."""

from fastapi import APIRouter

router = APIRouter()
