"""HTTP routes of the builders domain."""

from fastapi import APIRouter

router = APIRouter()
