"""What a visitor sees of a page (html_text), the hidden text set apart, and the needs-JavaScript heuristic.

Evidence checks, quotes and LLM prompts read only the visible text. Elements a visitor never sees (hidden
by a style attribute, the ``hidden`` attribute, ``aria-hidden``, zero size or an off-screen position, and
``template`` / ``noscript`` / ``script`` / ``style``) are removed before the text is extracted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import html_text
import lxml.html
from lxml import etree

MAX_TEXT_CHARS = 200_000
# Never shown as text: code (script, style), what is not rendered (template, noscript), embeds and icons.
_NEVER_SHOWN = ("script", "style", "noscript", "template", "head", "iframe", "object", "embed", "svg")
_APP_ROOT_IDS = {"root", "app", "__next", "__nuxt", "svelte", "main-app"}
_ENABLE_JS = re.compile(r"enable\s+javascript|javascript\s+(is\s+)?(required|disabled)|requires\s+javascript", re.I)
TINY_TEXT_CHARS = 200

_DECLARATION = re.compile(r"([a-z-]+)\s*:\s*([^;]+)")
_ZERO = re.compile(r"^-?0*(\.0+)?(px|em|rem|%|pt|vh|vw)?$")
_TINY = re.compile(r"^(0*(\.\d+)?|1)(px)?$")
_FAR_NEGATIVE = re.compile(r"^-(\d{3,}(\.\d+)?(px|pt)|\d{2,}(\.\d+)?(em|rem|vw|vh)|\d{3,}(\.\d+)?%)$")

# Hidden text worth a warning: it states a contact fact, or it speaks to software rather than to people.
_PHONE = re.compile(r"\(?\b\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4}\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_WEB_ADDRESS = re.compile(r"\b(https?://|www\.)\S+|\b[\w-]+\.(com|net|org|io|co|us|info|biz)\b", re.I)
_MONEY = re.compile(r"\$\s?\d[\d,]*")
_TO_MACHINES = re.compile(
    r"\b(ai|a\.i\.|llms?|gpt|chatbots?|bots?|crawlers?|scrapers?|language models?|ai assistants?|system prompt)\b"
    r"|\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|rules|above|previous|prior)\b",
    re.I,
)
_MIN_WORDS = 4


@dataclass
class PageText:
    """A page's visible text and the texts of its hidden elements (one entry per hidden block)."""

    visible: str
    hidden_blocks: list[str] = field(default_factory=list)

    @property
    def hidden(self) -> str:
        return "\n".join(self.hidden_blocks)


def parse_html(html: str) -> etree._Element | None:
    """Parse HTML leniently; None when there is nothing to parse."""
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _style(element: etree._Element) -> dict[str, str]:
    declarations = _DECLARATION.findall((element.get("style") or "").lower())
    return {name.strip(): value.replace("!important", "").strip() for name, value in declarations}


def is_hidden(element: etree._Element) -> bool:
    """Hidden from a visitor by its attributes or inline style (display, visibility, size, position, opacity)."""
    if element.get("hidden") is not None or (element.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = _style(element)
    if not style:
        return False
    if style.get("display") == "none" or style.get("visibility") in ("hidden", "collapse"):
        return True
    if _ZERO.match(style.get("opacity", "1")) or _ZERO.match(style.get("font-size", "1")):
        return True
    clipped = style.get("overflow") in ("hidden", "clip")
    sizes = [style.get(name, "") for name in ("width", "height", "max-width", "max-height")]
    if any(_ZERO.match(size) for size in sizes if size) or (clipped and any(_TINY.match(s) for s in sizes if s)):
        return True
    if style.get("position") in ("absolute", "fixed") and any(
        _FAR_NEGATIVE.match(style.get(name, "")) for name in ("left", "top", "right", "margin-left", "margin-top")
    ):
        return True
    if _FAR_NEGATIVE.match(style.get("text-indent", "")):
        return True
    return "rect(0" in style.get("clip", "").replace(" ", "") or "inset(50%" in style.get("clip-path", "")


def _text_of(element: etree._Element) -> str:
    """Text of an element without its tail (the tail belongs to the parent)."""
    return " ".join(html_text.etree_to_text(element, guess_layout=False).split())


def _drop_hidden(element: etree._Element, hidden: list[str]) -> None:
    """Remove hidden descendants (whole subtrees), keeping their texts in ``hidden``."""
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        if is_hidden(child):
            text = _text_of(child)
            if text:
                hidden.append(text)
            child.drop_tree()  # keeps the tail: text after the element is shown
        else:
            _drop_hidden(child, hidden)


def read_page(html: str) -> PageText:
    """The text a visitor sees, whitespace collapsed per line and capped; hidden blocks apart."""
    doc = parse_html(html)
    if doc is None:
        return PageText("")
    # Comments and processing instructions are never shown; the text walk reads elements only.
    etree.strip_elements(doc, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for element in list(doc.iter(*_NEVER_SHOWN)):
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail: text after the element is shown
    hidden: list[str] = []
    _drop_hidden(doc, hidden)
    raw = html_text.etree_to_text(doc)
    lines = (" ".join(line.split()) for line in raw.splitlines())
    visible = "\n".join(line for line in lines if line)[:MAX_TEXT_CHARS]
    return PageText(visible, hidden)


def main_text(html: str) -> str:
    """Visible text only: what evidence checks and prompts read."""
    return read_page(html).visible


def _folded(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def only_in_hidden(quote: str | None, visible: str | None, hidden: str | None) -> bool:
    """True when the quote is in a page's hidden text and not in what a visitor sees: it is no evidence."""
    needle = _folded(quote)
    return bool(needle) and needle in _folded(hidden) and needle not in _folded(visible)


def _facts(text: str) -> set[str]:
    digits = {re.sub(r"\D", "", m) for m in _PHONE.findall(text)}
    found = {m.group(0).lower() for pattern in (_EMAIL, _WEB_ADDRESS, _MONEY) for m in pattern.finditer(text)}
    return digits | found


def addressed_to_machines(page: PageText) -> list[str]:
    """Hidden blocks a visitor cannot see that state facts the visible page does not, or speak to software."""
    visible_digits = re.sub(r"\D", "", page.visible)
    visible = page.visible.lower()
    flagged = []
    for block in page.hidden_blocks:
        if len(block.split()) < _MIN_WORDS:
            continue
        unseen = {fact for fact in _facts(block) if fact not in visible and fact not in visible_digits}
        if unseen or _TO_MACHINES.search(block):
            flagged.append(block)
    return flagged


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
