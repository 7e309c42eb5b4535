"""The web researcher: reads the entity's own pages and known sources for structured data. No LLM, no cost.

Pages come from the request's target_url, the subject's website and (for discovery) known directory
sources. From each page it follows what a person would: the BDX-style feed a builder links to, the
inventory ("homes") page for a property discovery, and listing pagination up to ``max_items``.

A page's FetchedPage row keeps the findings it yielded (plus one ``{"kind": "links", ...}`` entry
with the links followed from it), so an unchanged page (304 or same content hash) is reused as is.
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session
from w3lib.url import url_query_cleaner

from app.core.config import Settings
from app.research.base import job_opt_outs, opted_out_result, same_name
from app.research.bdx import looks_like_bdx, parse_bdx
from app.research.fetch import Fetcher, FetchResult, Page
from app.research.findings import Finding, PageVisit, ResearchRequest, ResearchResult
from app.research.guard import Resolver, resolve_host
from app.research.render import Renderer, RenderFailed, marked_for_render, read_rendered
from app.research.structured import extract_structured, merge_same_records
from app.research.text import parse_html
from app.sources.bookkeeping import registered_domain
from app.sources.models import CollectionSource, SourceType
from app.sources.optouts import OptOuts

MAX_PAGES_PER_JOB = 40
MAX_DIRECTORY_SOURCES = 5
LINKS_KIND = "links"
_INVENTORY = re.compile(r"(^|/)(homes|inventory|available[-_]homes|move[-_]in|quick[-_]move)", re.I)
_INVENTORY_TEXT = re.compile(r"available homes|move-in ready|quick move-in|inventory|homes for sale", re.I)
_SUBJECT_URL_FIELDS = ("website", "community_website_url", "url")


def _clean(url: str) -> str:
    """The page a link points to: its fragment dropped, every query argument kept in order."""
    return url_query_cleaner(url, remove=True, unique=False)


def page_links(html: str, url: str) -> dict[str, Any]:
    """The links worth following from a page: its next page, feeds, and inventory pages."""
    doc = parse_html(html)
    links: dict[str, Any] = {"kind": LINKS_KIND, "next": None, "feeds": [], "inventory": []}
    if doc is None:
        return links
    host = urlsplit(url).netloc
    for element in doc.iter("link", "a"):
        href = element.get("href")
        if not href:
            continue
        target = _clean(urljoin(url, href))
        if urlsplit(target).scheme not in ("http", "https"):
            continue
        rel = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").lower()
        if "next" in rel or "prev" in rel:
            if "next" in rel and links["next"] is None:
                links["next"] = target
        elif "xml" in kind or urlsplit(target).path.endswith((".xml",)):
            if target not in links["feeds"]:
                links["feeds"].append(target)
        elif element.tag == "a" and urlsplit(target).netloc == host and urlsplit(target).path != urlsplit(url).path:
            text = element.text_content() or ""
            path = urlsplit(target).path
            if (_INVENTORY.search(path) or _INVENTORY_TEXT.search(text)) and target not in links["inventory"]:
                links["inventory"].append(target)
    if links["next"] is None:
        links["next"] = _numbered_next(doc, url)
    return links


def _page_number(url: str) -> int:
    try:
        return int(parse_qs(urlsplit(url).query).get("page", ["1"])[0])
    except ValueError:
        return 1


def _numbered_next(doc: Any, url: str) -> str | None:
    """A ``?page=N+1`` link on the same path, for pagers without rel="next"."""
    wanted = _page_number(url) + 1
    path = urlsplit(url).path
    for anchor in doc.iter("a"):
        href = anchor.get("href")
        if not href or "page=" not in href:
            continue
        target = _clean(urljoin(url, href))
        if urlsplit(target).path == path and _page_number(target) == wanted:
            return target
    return None


def own_domains(request: ResearchRequest) -> set[str]:
    """Registered domains of the record's own website(s), as the subject names them."""
    urls = [request.subject.get(name) for name in _SUBJECT_URL_FIELDS]
    return {registered_domain(url) for url in urls if isinstance(url, str) and url}


def page_source_type(url: str, own: set[str]) -> str:
    """A page on the record's own website is official; any other (a directory, a portal) is a directory."""
    return SourceType.official_website if registered_domain(url) in own else SourceType.directory


def _label(findings: list[Finding], own: set[str], linked_from: str | None = None) -> None:
    """Set each value's source type by its page (cached findings may come from a crawl for another record).

    A page reached by a redirect to another site is recorded against the page that linked it.
    """
    for finding in findings:
        for found in finding.fields.values():
            found.evidence.linked_from = linked_from
            found.evidence.source_type = page_source_type(linked_from or found.evidence.source_url, own)
        _label(finding.children, own, linked_from)


class WebResearcher:
    """Structured data from the entity's own pages and known sources."""

    name = "web"

    def __init__(
        self,
        settings: Settings,
        *,
        client: httpx.Client | None = None,
        resolver: Resolver = resolve_host,
        renderer: Renderer | None = None,
    ) -> None:
        self.settings = settings
        self.client = client
        self.resolver = resolver
        # Pages that need JavaScript are rendered in headless Chromium when it is installed and not turned off.
        self.renderer = renderer or Renderer.for_settings(self.settings)

    def research(self, session: Session, request: ResearchRequest, opt_outs: OptOuts | None = None) -> ResearchResult:
        """Fetch, extract, follow feeds and pagination; every page visited is reported."""
        opt_outs = job_opt_outs(session, opt_outs)
        refused = opted_out_result(request, opt_outs)
        if refused is not None:
            return refused
        own = own_domains(request)
        fetcher = Fetcher(
            session,
            self.settings,
            opt_outs=opt_outs,
            client=self.client or httpx.Client(),
            resolver=self.resolver,
            source_type_of=lambda url: page_source_type(url, own),
        )
        try:
            crawl = _Crawl(session, fetcher, request, self.renderer)
            crawl.run()
            return crawl.result
        finally:
            fetcher.record_collections()
            if self.client is None:
                fetcher.close()


class _Crawl:
    def __init__(
        self, session: Session, fetcher: Fetcher, request: ResearchRequest, renderer: Renderer | None = None
    ) -> None:
        self.session = session
        self.fetcher = fetcher
        self.request = request
        self.renderer = renderer
        self.result = ResearchResult()
        self.visited: set[str] = set()
        self.findings: list[Finding] = []
        self.own = own_domains(request)

    def start_urls(self) -> list[str]:
        urls = [self.request.target_url] + [self.request.subject.get(name) for name in _SUBJECT_URL_FIELDS]
        if not self.request.kind.one_record:
            urls += self.directory_sources()
        seen: list[str] = []
        for url in urls:
            if isinstance(url, str) and url and _clean(url) not in seen:
                seen.append(_clean(url))
        return seen

    def directory_sources(self) -> list[str]:
        """Active directory sources an admin added or approved that list this entity type."""
        sources = self.session.scalars(
            select(CollectionSource)
            .where(
                CollectionSource.source_type == SourceType.directory,
                CollectionSource.is_active.is_(True),
                CollectionSource.approved.is_(True),  # a site merely seen once is no place to come back to
            )
            .order_by(CollectionSource.reliability_score.desc())
        )
        urls = []
        for source in sources:
            if not source.entity_types or self.request.entity_type in source.entity_types:
                urls.append(source.source_url)
        return urls[:MAX_DIRECTORY_SOURCES]

    def wanted_count(self) -> int:
        return sum(1 for f in merge_same_records(self.findings) if f.kind == self.request.entity_type)

    def run(self) -> None:
        for url in self.start_urls():
            self.visit(url, follow=True)
        findings = merge_same_records(self.findings)
        if self.request.kind.one_record:
            findings = self._about_subject(findings)
        self.result.findings = findings
        self.result.usage.pages_fetched = self.fetcher.requests_made

    def _about_subject(self, findings: list[Finding]) -> list[Finding]:
        """An update is about one record: other records of its kind found on the way are not it."""
        wanted = self.request.subject.get("name") or self.request.subject.get("title")
        kept = []
        for finding in findings:
            found = finding.value("name") or finding.value("title")
            if finding.kind == self.request.entity_type and not same_name(found, wanted):
                self.result.warnings.append(f"skipped a {finding.kind} named {found!r}: not {wanted!r}")
                continue
            kept.append(finding)
        return kept

    def visit(self, url: str, *, follow: bool) -> None:
        url = _clean(url)
        if url in self.visited or len(self.visited) >= MAX_PAGES_PER_JOB:
            return
        self.visited.add(url)
        fetched = self.fetcher.fetch(url, force_refresh=self.request.force_refresh)
        if fetched.page is None:
            self._report_failure(fetched)
            return
        page = fetched.page
        findings, links, outcome, detail = self._read(page, fetched)
        _label(findings, self.own, url if registered_domain(page.url) != registered_domain(url) else None)
        self.findings.extend(findings)
        visit = PageVisit(
            url=url,
            outcome=outcome,
            status_code=fetched.status_code,
            content_hash=page.content_hash,
            finding_count=len(findings),
            detail=detail,
        )
        self.result.pages.append(visit)
        if follow:
            self._follow(links)

    def _report_failure(self, fetched: FetchResult) -> None:
        self.result.pages.append(
            PageVisit(url=fetched.url, outcome=fetched.outcome, status_code=fetched.status_code, detail=fetched.detail)
        )
        if fetched.outcome in ("rate_limited", "refused", "error", "opted_out"):
            self.result.warnings.append(f"{fetched.url} not read ({fetched.outcome}): {fetched.detail}")

    def _keep_text(self, fetched: FetchResult, text: str) -> None:
        """The text under the URL asked for and the one it ended at: evidence names the latter after a redirect."""
        urls = {fetched.url, fetched.page.url} if fetched.page is not None else {fetched.url}
        for url in urls:
            self.result.source_texts[url] = text
            if fetched.page is not None and fetched.page.hidden_text:
                self.result.hidden_texts[url] = fetched.page.hidden_text
        if fetched.page is not None and fetched.page.to_machines:
            blocks = fetched.page.to_machines
            self.result.warnings.append(
                f"{fetched.url} carries hidden text addressed to machines ({len(blocks)} block(s) a visitor does "
                f"not see, e.g. {blocks[0][:80]!r}); hidden text is not evidence"
            )

    def _read(self, page: Page, fetched: FetchResult) -> tuple[list[Finding], dict[str, Any], str, str | None]:
        """Findings, links, outcome and detail of a page: rendered when it needs JavaScript, cached when unchanged."""
        marked = marked_for_render(self.session, page.url)
        render_failure = None
        if self.renderer is not None and (page.needs_javascript or marked):
            # The shell may be unchanged while the listing it loads is not: a page to render is always rendered.
            try:
                return self._render(page, fetched)
            except RenderFailed as exc:
                render_failure = str(exc)
        previous = page.previous_findings
        if page.unchanged and previous is not None:
            findings = [Finding.model_validate(item) for item in previous if item.get("kind") != LINKS_KIND]
            cached_links = next((item for item in previous if item.get("kind") == LINKS_KIND), {})
            # Values found in the structured data are not in the page's visible text: their quotes stand in.
            self._keep_text(fetched, "\n".join(part for part in (page.text, _quotes_text(findings)) if part))
            self.fetcher.keep(page, previous, page.previous_finding_count)
            return findings, cached_links, "not_modified", fetched.detail

        is_feed = "xml" in page.content_type or (not page.content_type and looks_like_bdx(page.html))
        if is_feed:
            findings = parse_bdx(page.html, page.url)
            links: dict[str, Any] = {"kind": LINKS_KIND, "next": None, "feeds": [], "inventory": []}
            source_text = page.html
        else:
            structured = extract_structured(page.html, page.url, page.text)
            findings = structured.findings
            links = page_links(page.html, page.url)
            source_text = page.text + ("\n" + structured.raw_text if structured.raw_text else "")
        self._keep_text(fetched, source_text)
        self.fetcher.keep(page, [f.model_dump(mode="json") for f in findings] + [links], len(findings))

        outcome = fetched.outcome
        if marked and not page.needs_javascript and (self.renderer is None or render_failure is not None):
            why = f"rendering failed: {render_failure}" if render_failure else "rendering is off"
            self.result.warnings.append(f"{fetched.url} is marked to render, read without JavaScript ({why})")
        if page.needs_javascript and not findings:
            outcome = "needs_javascript"
            if render_failure is None:
                self.result.warnings.append(f"{fetched.url} needs JavaScript to show its data; not read as empty")
            else:
                self.result.warnings.append(
                    f"{fetched.url} needs JavaScript to show its data; not read as empty "
                    f"(rendering failed: {render_failure})"
                )
        elif page.previous_finding_count > 0 and not findings:
            self.result.warnings.append(
                f"{fetched.url} yielded {page.previous_finding_count} finding(s) last time and none now; "
                "the page may have changed its layout"
            )
        return findings, links, outcome, fetched.detail

    def _render(self, page: Page, fetched: FetchResult) -> tuple[list[Finding], dict[str, Any], str, str | None]:
        """The page read after its scripts ran: the final DOM and the JSON its scripts loaded. Raises RenderFailed."""
        assert self.renderer is not None
        started = time.monotonic()
        try:
            rendered = self.renderer.render(self.fetcher, page.url, page.html)
        finally:
            self.result.usage.render_seconds += time.monotonic() - started
        reading = read_rendered(rendered)
        self._keep_text(fetched, reading.page_text)
        self.result.source_texts[rendered.url] = reading.page_text
        for url, text in reading.body_texts.items():
            self.result.source_texts[url] = text
        findings = reading.findings
        links = page_links(rendered.html, rendered.url)
        self.fetcher.keep(page, [f.model_dump(mode="json") for f in findings] + [links], len(findings))
        if rendered.refused:
            shown = "; ".join(rendered.refused[:5]) + ("; ..." if len(rendered.refused) > 5 else "")
            self.result.warnings.append(
                f"rendering {fetched.url}: {len(rendered.refused)} request(s) refused or failed: {shown}"
            )
        detail = (
            f"rendered in headless Chromium: {rendered.requests} request(s), "
            f"{len(reading.body_texts)} data response(s) read, {len(rendered.refused)} refused or failed"
        )
        if not findings and page.previous_finding_count > 0:
            self.result.warnings.append(
                f"{fetched.url} yielded {page.previous_finding_count} finding(s) last time and none now, rendered; "
                "the page may have changed its layout"
            )
        return findings, links, "fetched", detail

    def _follow(self, links: dict[str, Any]) -> None:
        entity_type, kind = self.request.entity_type, self.request.kind
        if kind.follows_feeds(entity_type):
            for feed in links.get("feeds") or []:
                self.visit(feed, follow=False)
        if kind.follows_inventory(entity_type):
            for inventory in (links.get("inventory") or [])[:2]:
                self.visit(inventory, follow=True)
        next_url = links.get("next")
        if next_url and not kind.one_record and self.wanted_count() < self.request.max_items:
            self.visit(next_url, follow=True)


def _quotes_text(findings: list[Finding]) -> str:
    """For a 304 the body is not sent again: the verbatim quotes kept last time stand in for its text."""
    quotes: list[str] = []

    def walk(finding: Finding) -> None:
        for found in finding.fields.values():
            if found.evidence.quote:
                quotes.append(found.evidence.quote)
        for child in finding.children:
            walk(child)

    for finding in findings:
        walk(finding)
    return "\n".join(quotes)
