"""A page's main text (markup, scripts and styles stripped) and the needs-JavaScript heuristic."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

MAX_TEXT_CHARS = 200_000
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "head")
_BLOCKS = {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "dd", "dt", "td"}
_APP_ROOT_IDS = {"root", "app", "__next", "__nuxt", "svelte", "main-app"}
_ENABLE_JS = re.compile(r"enable\s+javascript|javascript\s+(is\s+)?(required|disabled)|requires\s+javascript", re.I)
TINY_TEXT_CHARS = 200


def parse_html(html: str) -> etree._Element | None:
    """Parse HTML leniently; None when there is nothing to parse."""
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def main_text(html: str) -> str:
    """Visible text, whitespace collapsed per line, capped in length: what evidence checks and prompts read."""
    doc = parse_html(html)
    if doc is None:
        return ""
    doc = lxml.html.document_fromstring(lxml.html.tostring(doc))  # work on a copy
    for element in list(doc.iter(*_INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in doc.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    raw = doc.text_content()
    lines = (" ".join(line.split()) for line in raw.splitlines())
    return "\n".join(line for line in lines if line)[:MAX_TEXT_CHARS]


def needs_javascript(html: str, text: str) -> bool:
    """A JavaScript app shell: almost no visible text, plus an app root or a noscript asking for JavaScript."""
    if len(text) >= TINY_TEXT_CHARS:
        return False
    doc = parse_html(html)
    if doc is None:
        return False
    for noscript in doc.iter("noscript"):
        if _ENABLE_JS.search(noscript.text_content() or ""):
            return True
    has_root = any(
        (el.get("id") or "").lower() in _APP_ROOT_IDS or el.get("data-reactroot") is not None
        for el in doc.iter("div", "main", "section")
    )
    has_scripts = any(el.get("src") for el in doc.iter("script"))
    return has_root and has_scripts
