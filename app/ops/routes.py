"""HTTP routes of the ops domain."""

from fastapi import APIRouter

router = APIRouter()
