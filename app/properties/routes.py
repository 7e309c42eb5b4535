"""HTTP routes of the properties domain."""

from fastapi import APIRouter

router = APIRouter()
