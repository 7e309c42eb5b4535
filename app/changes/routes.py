"""HTTP routes of the changes domain."""

from fastapi import APIRouter

router = APIRouter()
