"""Records prepared for comparison: every value the matcher reads, normalized once."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app.core.entities import EntityType
from app.matching.normalize import (
    FRACTION_MARKS,
    HOMESITE,
    LEGAL_SUFFIXES,
    PROVINCE_CODES,
    SPACED_DASH,
    US_STATE_CODES,
    AddressKey,
    NormalizedName,
    bare_store_number,
    brand_by_parent,
    brand_key,
    building_code,
    canadian_postal,
    email_domain,
    fold,
    homesite_in,
    homesite_parts,
    legal_description,
    normalize_name,
    normalize_postal,
    normalize_state,
    numbers_the_house,
    parse_address,
    phone_numbers,
    plat_number,
    plat_of,
    spell_city,
    split_city_state,
    titled_for_search,
    us_zip,
    website_key,
    with_building,
    with_unit,
    without_its_builder,
    without_its_town,
)


@dataclass(slots=True)
class MatchRecord:
    """A record prepared for comparison: every signal normalized once."""

    id: Any
    entity_type: str
    name: str
    name_norm: NormalizedName
    website: str | None = None
    # The website is an email address's domain (``prepare``): against a website, another domain is no evidence
    # (``comparisons.compare_website``).
    website_by_email: bool = False
    phone: str | None = None
    other_phones: tuple[str, ...] = ()  # the numbers after the first, where a cell holds several
    address: AddressKey | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    # The building the address line names beside the street address (a resort, a mall), read as a name.
    building_name: NormalizedName | None = None
    # A numbered home's lot, where its list gives it apart ("Lot" 9 beside "1333 Sable Ridge Ln"): compared only with
    # a home known by its lot alone (``comparisons.compare_unit``).
    homesite: str | None = None
    # A business's other names, where a list gives them: its legal name beside the one it trades under, a
    # directory's alternate names ("Ivey Fine Homes" of "Prairie Building Group").
    other_names: tuple[NormalizedName, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> tuple[NormalizedName, ...]:
        """The name, then the other names."""
        return (self.name_norm, *self.other_names)

    @property
    def phones(self) -> tuple[str, ...]:
        """Every number of the record's phone cell, its first first."""
        return (self.phone, *self.other_phones) if self.phone else ()

    @property
    def city_key(self) -> str | None:
        return city_key(self.city)

    @property
    def location(self) -> str | None:
        parts = [p for p in (self.extra.get("city_raw"), self.extra.get("state_raw")) if p]
        return ", ".join(parts) or None


def city_key(city: str | None) -> str | None:
    """A city (``spell_city``'s) as compared: its words run together, so "Sugar Land" and "Sugarland", "Mc Kinney"
    and "McKinney" are one city, and a leading "The" left out, as listings leave it out of "The Woodlands"."""
    if not city:
        return None
    return (city[4:] if city.startswith("the ") else city).replace(" ", "")


# A chain's store number in a business's name: "Starbucks #48290", "Walgreens Store 4521", "Store No. 04521"; a food
# truck fleet's truck, "Engel's Burgers Truck 2".
_STORE_NUMBER = re.compile(
    r"(?:#|\bstore\s*(?:#|no\.?|number|nbr)?|(?<=\w\s)(?:truck|trailer|cart)\s*(?:#|no\.?)?)\s*0*(\d+)\b", re.IGNORECASE
)


def store_number(name: str | None) -> str | None:
    """The store number a business's name gives, without leading zeros ("#04521" and "Store 4521" are "4521"), or
    after its name with no sign ("CUBESMART 9291", ``normalize.bare_store_number``)."""
    found = _STORE_NUMBER.search(name or "")
    if found:
        return found.group(1)
    bare = bare_store_number(name or "")
    return bare.group(2) if bare else None


# How a cell lists several names: "Ivey Fine Homes; Ivey Homes", "Ivey Fine Homes | Ivey Homes".
_NAME_LIST = re.compile(r"\s*[;|\n]\s*")
_NAMES_LISTED = re.compile(r"\s*;\s*")


def _other_names(given: Any, name: str, entity_type: str) -> tuple[tuple[NormalizedName, ...], frozenset[str]]:
    """A business's or a community's other names (a cell listing several, or a list of cells), normalized, its own
    name left out (a community's former name, "Sienna Plantation" of "Sienna"). A
    legal name cell giving a former name ("COASTLINE HOMES, LLC FKA MAGNOLIA BAY BUILDERS, LLC") gives both. And the
    keys of those that are a person's, written surname first (a sole proprietor's licence, "MITCHELL, EDGAR E",
    beside a blank business name), read first name first."""
    cells = given if isinstance(given, list | tuple) else [given] if given else []
    if not cells:
        return (), frozenset()
    own = normalize_name(name, entity_type).key
    found: dict[str, NormalizedName] = {}
    persons = set()
    for cell in cells:
        for written in (
            part.strip(" ,;-()")
            for listed in _NAME_LIST.split(str(cell))
            for legal in _DOING_BUSINESS_AS.split(listed)
            for part in _ALSO_KNOWN_AS.split(f" {legal}")  # a cell beginning "formerly ..." too
        ):
            person = _SURNAME_FIRST.match(written) if entity_type == EntityType.builder else None
            other = normalize_name(_called(person) if person else written, entity_type)
            if other.key and other.key != own:
                found.setdefault(other.key, other)
                if person:
                    persons.add(other.key)
    return tuple(found.values()), frozenset(persons)


def _called(person: re.Match[str]) -> str:
    """A person's name matched surname first, as they are called: first name, surname, generation ("Jr")."""
    return " ".join(part for part in (person.group(2), person.group(1), person.group(3)) if part)


# "DBA", "d/b/a", "D.B.A.", "doing business as" between a legal name and the name it trades under; in Canada and
# Britain "operating as", "o/a", "trading as", "t/a".
_DOING_BUSINESS_AS = re.compile(
    r"\s+(?:d\s*/\s*b\s*/\s*a|d\.\s*b\.\s*a\.?|dba|doing\s+business\s+as|[ot]\s*/\s*a|operating\s+as|trading\s+as)\b"
    r"[:.]?\s*",
    re.IGNORECASE,
)
# "FKA", "f/k/a", "formerly known as", "AKA", "also known as" between a business's name and another of its names.
_ALSO_KNOWN_AS = re.compile(
    r"[\s,;(]+(?:[fa]\s*/\s*k\s*/\s*a|[fa]\.\s*k\.\s*a\.?|fka|aka|formerly(?:\s+known\s+as)?|also\s+known\s+as)\b"
    r"[:.]?\s*",
    re.IGNORECASE,
)


def _names_in_one_cell(name: str, values: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """A business's name cell that gives two of its names: "PITA HOSPITALITY GROUP LLC DBA PITABILITIES" is the
    trade name, as a DBA column gives it, its legal name (its owner's) another of its names; "RED ROCK CUSTOM
    BUILDERS LTD FKA RED ROCK HOMES LLC" is the name before, the former name another; "Fairhaven Mortgage; Fairhaven
    Home Loans" the first, the rest others."""
    # A cell listing several names, "Fairhaven Mortgage; Fairhaven Home Loans": the first is the name (not after a
    # bar, which a listing's title puts before its town, "Oak Creek Homes | Katy", nor a line break, which a long
    # name's cell may hold: "Chicago Commons\nNia Family Center").
    listed = [part.strip(" ,-") for part in _NAMES_LISTED.split(name) if normalize_name(part).key]
    name, found = (listed[0], listed[1:]) if len(listed) > 1 else (name, [])
    if found:
        # Its own trade names, which its other branches list too: never an owner's (``csv_tool._without_owners_names``).
        values = {**values, "listed_names": [normalize_name(other).key for other in found]}
    trade = _DOING_BUSINESS_AS.split(name, maxsplit=1)
    if len(trade) == 2 and all(normalize_name(part).key for part in trade):
        name, found = trade[1].strip(), [trade[0].strip(" ,;-"), *found]
    known = _ALSO_KNOWN_AS.split(name, maxsplit=1)
    if len(known) == 2 and all(normalize_name(part).key for part in known):
        name, found = known[0].strip(" ,;-("), [*found, known[1].strip(" ,;-)")]
    return name, _with_other_names(values, found) if found else values


def _with_other_names(values: Mapping[str, Any], names: list[str]) -> Mapping[str, Any]:
    """The row's values with ``names`` before the other names it gives (a cell, or a list of cells)."""
    given = values.get("other_names")
    others = list(given) if isinstance(given, list | tuple) else [given] if given else []
    return {**values, "other_names": [*names, *others]}


# An owners' association's name as a registry or a county list writes it, at the name's end: "... Owners Assn Inc",
# "... HOA", "... Community Association, Inc.", "... Council of Co-Owners".
_ASSOCIATION_NAME = re.compile(
    r"\b(?:hoa|poa|assn|assoc|association|council\s+of\s+co-?owners)\b\.?(?:,?\s*(?:inc|llc|corp)\.?)?\s*$",
    re.IGNORECASE,
)


# A trade licence board's grades of a person's licence ("Journeyman Electrician", "Master Plumber", "Apprentice",
# a county's "LOCKSMITH - INDIVIDUAL"), beside the business's own ("Electrical Contractor", "LOCKSMITH"); not a review
# site's "Individual & Family Services".
_PERSONAL_LICENCE = re.compile(
    r"\b(?:journeyman|journeymen|apprentice|master|wireman|helper|trainee|tradesman|individual(?!\s*(?:&|and\b)))\b",
    re.I,
)


# A utility's construction meter written in a unit column ("TEMP", "TMP SVC", "Temporary"): the house's, no dwelling.
_TEMPORARY_SERVICE = re.compile(r"\s*(?:temp|tmp|temporary)\.?(?:\s+(?:svc|service|meter|pole|const|construction))?\s*",
                                re.IGNORECASE)  # fmt: skip


# A person's name written surname first, with a middle initial or none: "WHITE, THOMAS A", "Wright, George W.".
_SURNAME_FIRST = re.compile(
    r"^\s*([A-Za-z][A-Za-z'-]+),\s*([A-Za-z][A-Za-z'-]+)(?:\s+[A-Za-z]\.?)?(?:,?\s+(jr|sr|ii|iii|iv)\.?)?\s*$",
    re.IGNORECASE,
)


def surname_first(name: str) -> bool:
    """A person's name as a register writes it, surname first: "WHITE, THOMAS A"."""
    return _SURNAME_FIRST.match(name) is not None


# A practitioner as a directory writes one: "Dr. Mei Le", "Hector Kim, DMD", "HOANG, ERIC DMD".
_PRACTITIONER = re.compile(
    r"^\s*dr\.?\s+\S|[\s,](?:dds|dmd|md|do|dvm|vmd|od|dc|dpm|np|pa-c|aprn|pharmd|lac|dpt)\.?\s*$", re.IGNORECASE
)


def practitioner(name: str) -> bool:
    """A person named with a doctor's title or degree: a dentist, a vet, a physician."""
    return _PRACTITIONER.search(name) is not None


_NUMBERED_COMPANY = re.compile(
    r"^\s*\d[\d-]{5,11}\s+(?:ontario|qu[eé]bec|canada|alberta|b\.?\s?c\.?|british\s+columbia|manitoba|saskatchewan|"
    r"nova\s+scotia|new\s+brunswick)\b",
    re.IGNORECASE,
)
_COUNTY_WORDS = frozenset({"county", "co", "cnty", "parish", "borough"})


# The words of a status column saying a licence, a permit or a listing is no longer in force.
_INACTIVE = re.compile(
    r"\b(?:inactive|expired|closed|revoked|cancell?ed|surrendered|lapsed|suspended|terminated|withdrawn|void|"
    r"delinquent|retired|out of business|dissolved|defunct|discontinued|superseded|change of owner(?:ship)?|"
    # a comptroller's right to transact business, lost for unpaid franchise tax or never established
    r"forfeited|forfeiture|not[\s-]established|"
    # a board's licence of a pharmacy or a shop that moved: the new premises hold a licence of their own
    r"relocated|moved|"
    # and a board's licence of a business sold: the new owner's premises are licensed anew
    r"transferred|"
    # a motor carrier registry's operating status
    r"out[\s-]of[\s-]service|not[\s-]authorized)\b",
    re.IGNORECASE,
)


def _site_page(website: Any) -> str | None:
    """The page a business's website cell gives on its own site (``website_key``'s with its path), or None where it
    gives the site alone or a shared host's page."""
    site, page = website_key(website), website_key(website, page=True)
    return page if site and page and page != site and page.startswith(f"{site}/") else None


# The words of a home's status column saying the record no longer stands for a home: a county's address point
# retired or replaced, a parcel deleted. Not a listing's (an MLS's Closed, Expired, Withdrawn): a home sold or taken
# off the market is still the home it was; nor a permit's or a certificate's "VOID", the document's.
_RETIRED = re.compile(r"\b(?:retired|superseded|replaced|deleted|historic(?:al)?)\b", re.IGNORECASE)


def inactive_status(status: Any, entity_type: str = EntityType.builder) -> bool:
    """A status cell saying the record is no longer in force: "EXPIRED", "Inactive", "CLOSED_PERMANENTLY"; for a
    home, "RETIRED"."""
    return _status_says(status, _RETIRED if entity_type == EntityType.property else _INACTIVE)


def _status_says(status: Any, words: re.Pattern[str]) -> bool:
    return bool(status) and words.search(str(status).replace("_", " ")) is not None


# The words of a listing's status saying it ended without a sale, an MLS's StandardStatus. Not "Closed" or "Sold": the
# listing of a sale a deed or a closing ledger records.
_LISTING_ENDED = re.compile(
    r"\b(?:expired|withdrawn|cancell?ed|terminated|off[\s-]market|inactive|delisted)\b", re.IGNORECASE
)


def listing_ended(status: Any) -> bool:
    """A home's listing status saying the listing ended unsold ("Expired", "Withdrawn", "Canceled")."""
    return _status_says(status, _LISTING_ENDED)


# A category's words for child care that a name's are not (``normalize.KIND_PHRASES`` reads "Day Care", "Preschool",
# "Early Learning" in either): "Child Care" is in many a centre's own name beside its church's.
# A state's licence types too: Texas's "Licensed Center", "Before or After-School Program", "School-Age Program".
_CHILD_CARE = re.compile(
    r"\bchild[\s-]*care\b|\bpre-school\b|\bearly\s+education\b|\blicensed\s+cent(?:er|re)\b"
    r"|\bafter[\s-]*school\s+program|\bschool[\s-]*age\s+program",
    re.IGNORECASE,
)
# A list's category for a congregation: a directory's "Place of Worship", "Religious Organizations", a parish's
# "Parish", a tax roll's religious exemption "EX-RELIGIOUS".
_WORSHIP = re.compile(r"\bworship|\breligi|\bparish\b|\bchurch(?:es)?\b|\bcongregations?\b", re.IGNORECASE)
WORSHIP = "place of worship"  # the kind a category says, a congregation's (comparisons.kinds_differ)


def category_kinds(category: Any) -> frozenset[str]:
    """The kinds of place a list's category says, its words read one by one too: a directory names its categories
    in the plural ("Florists", "Bakeries", "Roofers"), a kind a name gives in the singular."""
    if not category:
        return frozenset()
    text = str(category)
    singular = " ".join(
        w[:-3] + "y" if w.endswith("ies") else w[:-1] if w.endswith("s") and not w.endswith("ss") else w
        for w in re.findall(r"[^\W\d_]+", text.casefold())
    )
    kinds = normalize_name(text).kinds | normalize_name(singular).kinds
    # A guide files a lounge among its bars ("Cocktail Bar", "Bars"), and a bar among its lounges.
    kinds |= {"bar", "lounge"} if kinds & {"bar", "lounge"} else set()
    # A child care licence's "Child Care Center": a list of the programs a church runs, named by the church.
    kinds |= {"early education"} if _CHILD_CARE.search(text) else set()
    return kinds | ({WORSHIP} if _WORSHIP.search(text) else set())


def county_key(county: str | None) -> str | None:
    """A county as compared: its words without "County" or "Parish" ("Fort Bend County", "FORT BEND", "Ft. Bend Co"
    are one)."""
    named = " ".join(w for w in fold(county).split() if w not in _COUNTY_WORDS)
    return (spell_city(named) or "").replace(" ", "") or None


# A community's name saying it is a master plan's own listing.
_MASTER_PLAN_LISTING = re.compile(r"\bmaster[\s-]*plann?ed\s+(?:community|communities|development)\b", re.IGNORECASE)
# Builders listed in one cell ("Coventry/Highland", "Perry Homes; Highland Homes", "Del Webb, Perry Homes"); not a
# slash between one builder's initials ("M/I Homes").
_BUILDER_LIST = re.compile(r"\s*(?:[;|,]|(?<!\b\w)/|/(?!\w\b))\s*")
# An ampersand between builders where the cell lists three or more ("Beazer Homes & Centex & D.R. Horton"), or beside
# a comma's list ("Del Webb, Perry Homes & Highland Homes"); one "&" alone is a builder's own name ("Castle & Cooke").
_AND = re.compile(r"\s+(?:&|and)\s+", re.IGNORECASE)


def builders_in(cell: str) -> list[str]:
    """The builders a builder cell names, one or several (``builders_listed``)."""
    parts = _BUILDER_LIST.split(cell)
    if len(parts) == 1 and len(ands := _AND.split(cell)) > 2:
        parts = ands
    return [p for p in parts if set(normalize_name(p, EntityType.builder).tokens) - LEGAL_SUFFIXES]


def builders_listed(cell: str) -> bool:
    """The builder cell lists several builders: by a slash, a semicolon, a bar or a comma between names with words of
    their own ("Coventry/Highland", "Perry Homes, Highland Homes"; not "Perry Homes, LLC"), or ampersands."""
    return len(builders_in(cell)) > 1


# A builder cell naming none yet: a development report's section not yet sold to a builder.
NO_BUILDER_YET = frozenset({"tbd", "tba", "n/a", "na", "none", "unknown", "-", "pending"})


_CARE_OF = re.compile(r"^\W*(?:c\s*/\s*o|c\.\s*o\.|care\s+of)\b", re.IGNORECASE)


def _in_care_of(address: Any) -> bool:
    """An address line addressed to another's care ("c/o", "C/O", "Care of")."""
    return bool(address) and _CARE_OF.match(str(address)) is not None


def prepare(entity_type: str, values: Mapping[str, Any], record_id: Any = None) -> MatchRecord:
    """Normalize a record given as column values (``name``, ``website``, ``phone``, ``address``, ``city``…)."""
    if entity_type == EntityType.property:
        title = values.get("title") or values.get("name")
        # Untitled homes are named by their street address: for display and blocking, never compared as a name.
        name = title or values.get("address1") or values.get("address") or ""
        street = values.get("address1") or values.get("address")
        if street and (legal := legal_description(str(street), values.get("subdivision"))) is not None:
            # A utility's or a county's report names a home not yet addressed by its legal description: its lot and
            # block, and the plat, the home's subdivision where no column gives one.
            street, plat = legal
            if plat and not values.get("subdivision"):
                values = {**values, "subdivision": plat}
        unit = values.get("address2")
        if numbers_the_house(unit, street) or _TEMPORARY_SERVICE.fullmatch(str(unit or "")):
            unit = None
        if not unit and title and not homesite_in(str(street or "")):
            # A builder's feed names a home not yet addressed by its plan and lot: "Magnolia (Plan 4031) - Homesite
            # 24". The lot is the home's as it would be in its address line: another lot is another home.
            unit = homesite_in(str(title))
        full = with_unit(street, unit)
        street_raw = street
    else:
        name = title = values.get("name") or ""
        if entity_type == EntityType.builder:
            name, values = _names_in_one_cell(str(name), values)
            if surname_first := _SURNAME_FIRST.match(str(name)):
                # A sole proprietor licensed under a person's name as a register writes it, surname first: "WHITE,
                # THOMAS A" is Thomas White, whose business a directory names "Thomas White Landscaping".
                name = _called(surname_first)
                values = {**values, "person": True, "proprietor": True}
            if _NUMBERED_COMPANY.match(name):
                # A Canadian numbered company ("1013581 Ontario Inc.", "9123-4567 Québec inc.") names no brand: against
                # a builder's trade name it is no evidence; it is kept as another name, as a licence's legal name is.
                name, values = "", _with_other_names(values, [name])
        elif len(known := _ALSO_KNOWN_AS.split(str(name), maxsplit=1)) == 2 and normalize_name(known[0]).key:
            # A community compared by one name is known by its name now: a registry's "Summit Commons HOA, Inc. f/k/a
            # Bear Point HOA" is Summit Commons, not the community named Bear Point.
            name = known[0].strip(" ,;-(")
        if _in_care_of(values.get("address")) or _in_care_of(values.get("address2")):
            # "c/o Winstead PC, 600 Travis St": a registration's mail goes to its attorney or registered agent, and the
            # row's street, town, ZIP and state are theirs, shared by every client; none of them says where it is.
            values = {**values, "address": None, "address2": None, "city": None, "postal_code": None, "state": None}
        # A suite in a column of its own ("Address 2") is part of the street address, as a home's unit is.
        full = with_unit(values.get("address"), values.get("address2"))
        street_raw = None
    website = values.get("website") or values.get("community_website_url")
    by_email = False
    if not website and entity_type == EntityType.builder:
        # A builder's email address at its own domain ("info@chesmar.com") names its site as a website would; a
        # mail provider's ("oakhomes@gmail.com") names no one. A community's or a home's names its builder's
        # site or its agent's, which every other community or home of theirs shares.
        website = email_domain(values.get("email"))
        by_email = website is not None
    phone = values.get("phone") or values.get("hoa_contact_phone")
    address = parse_address(str(full), values.get("postal_code")) if full else None
    # A complex's building in a column of its own, or in the address line before the unit ("Tower A, Unit 1204").
    building = (
        building_code(values.get("building") or (address.building if address else None))
        if entity_type == EntityType.property
        else None
    )
    if address is not None and building:
        # A complex's building in a column of its own: unit 206 of building 1 is "1/206", which a listing writes
        # "Bldg 1 Unit 206" or "1-206"; "E1902" of "East Tower".
        address = replace(address, unit=with_building(address.unit, building))
    numbers = phone_numbers(str(phone)) if phone else ()
    if entity_type != EntityType.property and address is not None and address.number:
        # A half or quarter number is another home ("123 1/2 Oak St"), but a business's is a door listings often
        # drop ("2506 1/2 E 1st St" / "2506 E 1st St", one restaurant): the business is at 2506.
        address = replace(address, number=address.number.rstrip(FRACTION_MARKS) or None)
    cell = split_city_state(values.get("city"))  # "Houston, TX 77002" in the city cell
    city = spell_city(cell.city) or (address.city if address else None)
    state = normalize_state(values.get("state")) or cell.state or (address.state if address else None)
    postal = (
        normalize_postal(values.get("postal_code"))
        or normalize_postal(cell.postal_code)
        or (address.postal_code if address else None)
    )
    builder = values.get("builder") if entity_type == EntityType.community else None
    if builder is not None and (
        str(builder).strip().lower().strip(".") in NO_BUILDER_YET or _NUMBERED_COMPANY.match(str(builder))
    ):
        # A report's "TBD": no builder named yet, none that differs; and a Canadian numbered company ("2451873 Ontario
        # Inc."), a builder's legal vehicle, says nothing against its brand.
        builder = None
    if entity_type == EntityType.community and not builder and _MASTER_PLAN_LISTING.search(str(name or "")):
        # "Rosalind Park - Master Planned Community": the master plan's own listing, for its many builders, whose
        # welcome center's address a builder's section lists too.
        builder = "Multiple Builders"
    other_names, persons_names = (
        _other_names(values.get("other_names"), str(name), entity_type)
        if entity_type != EntityType.property
        else ((), frozenset())
    )
    latitude, longitude = _position(values.get("latitude"), values.get("longitude"))
    if latitude is None and values.get("coordinates"):
        latitude, longitude = _point(values["coordinates"])
    if latitude is None and values.get("latitude") and values.get("longitude"):
        latitude, longitude = _position(values.get("longitude"), values.get("latitude"))  # a longitude past 90
    if latitude is not None and longitude is not None and latitude < 0 < longitude and _north_american(postal, state):
        # A US or Canadian place lies north and west: its coordinates were given the other way round.
        latitude, longitude = longitude, latitude
    compared = without_its_builder(str(name), builder) if builder else str(name)
    if entity_type == EntityType.community:
        # "Sendera Townhomes - Katy" in Katy; "New Homes in Sendera Townhomes", its title for search engines.
        compared = without_its_town(titled_for_search(compared, city), city)
    return MatchRecord(
        id=record_id if record_id is not None else values.get("id"),
        entity_type=entity_type,
        name=str(name),
        name_norm=normalize_name(compared, entity_type, city if entity_type == EntityType.builder else None),
        website=website_key(website, page=entity_type == EntityType.community),
        website_by_email=by_email,
        phone=numbers[0] if numbers else None,
        other_phones=numbers[1:],
        address=address,
        city=city,
        state=state,
        postal_code=postal,
        latitude=latitude,
        longitude=longitude,
        building_name=normalize_name(address.building, entity_type) if address and address.building else None,
        other_names=other_names,
        homesite=plat_number(str(values["homesite"])) if values.get("homesite") else None,
        extra={
            "city_raw": values.get("city"),
            "state_raw": values.get("state"),
            "street_raw": street_raw,
            "titled": bool(title),
            # A community's builder, where a list gives it: two builders' sections of one name are two communities.
            "builder": normalize_name(str(builder), EntityType.builder) if builder else None,
            "builder_cell": str(builder) if builder else None,
            # Several builders in its cell ("Coventry/Highland", "Perry Homes; Highland Homes"): a master plan's.
            "builders_listed": builders_listed(str(builder)) if builder else False,
            # A person's names among the business's other names (``comparisons.best_name_level``).
            "persons_names": persons_names,
            # The county a list names, where it gives one (a county's plat list): it places the record as a town does.
            "county": county_key(values.get("county")),
            # A chain's store number in a business's name, or in a column of its own ("KROGER PHARMACY" beside a
            # board's "Store #" 00144): two numbers are two stores of one brand.
            "store_number": (store_number(str(name)) or store_number(f"#{values.get('store_number') or ''}"))
            if entity_type == EntityType.builder
            else None,
            # A business's name before a place its name gives after a dash ("Centex – Wilmington") or its own town at
            # its end ("KEYSTONE SELF STORAGE KATY" in Katy, "... SPRING 2" in Spring), as compared.
            "before_place": (_before_dash(str(name)) or _before_town(str(name), city))
            if entity_type == EntityType.builder
            else None,
            # The kinds of place its list says a business is (a category, a licence's type): "Walgreens", a drug
            # store, is the pharmacy "Walgreens Pharmacy" names (``comparisons.kinds_differ``).
            "kinds": category_kinds(values.get("category")),
            # A business's brand, where its list gives one in a column of its own (a hotel's flag), or its name gives
            # it before its parent's ("Tru by Hilton Dallas Galleria Area"), as compared.
            "brand": (brand_key(values.get("brand")) or brand_by_parent(str(name)))
            if entity_type == EntityType.builder
            else None,
            # A home's plat, where its list or its legal description gives one: with its lot and block, its parcel.
            "plat": plat_of(values.get("subdivision")) if entity_type == EntityType.property else None,
            # A home's block, where its list or its lot gives one ("Lot 1, Block D"): lots are numbered block by block.
            "block": _block(values.get("block"), address) if entity_type == EntityType.property else None,
            # The trade names a business's name cell lists after its name ("Pulte Homes; Centex; Del Webb").
            "listed_names": frozenset(values.get("listed_names") or ()),
            # A community named as its owners' association ("Avery Ranch Owners Assn Inc"): ``sub_association``.
            "association": entity_type == EntityType.community and _ASSOCIATION_NAME.search(str(name)) is not None,
            # A business licensed under a person's name, which says no kind of business (``kinds_differ``).
            "person": bool(values.get("person")),
            # A sole proprietor licensed under his own name, written surname first (``comparisons.one_person``).
            "proprietor": bool(values.get("proprietor")),
            # The street address is a mailing one, a licensee's (``comparisons.compare``).
            "mailing": bool(values.get("mailing")),
            # A licence lapsed or a listing closed, as its status column says: no rival to the one in force at its site.
            "inactive": inactive_status(values.get("status"), entity_type),
            # A home's listing ended unsold ("Expired", "Withdrawn"): still the home, its listing no longer current.
            "listing_ended": entity_type == EntityType.property and listing_ended(values.get("status")),
            # A trade board's licence of a person's grade under the business's name (``csv_tool.in_force``).
            "personal_licence": entity_type == EntityType.builder
            and _PERSONAL_LICENCE.search(str(values.get("category") or "")) is not None,
            # A business's page on its site, where its website cell gives one: a chain's location page
            # ("locations.theupsstore.com/tx/katy-4521", "premierpools.com/eastvalley"), another location's another.
            "site_page": _site_page(website) if entity_type == EntityType.builder else None,
        },
    )


_BLOCK_WORD = re.compile(r"^(?:blk|block)\.?\s*#?\s*", re.IGNORECASE)


def _block(given: Any, address: AddressKey | None) -> str | None:
    """The block a list gives in a column of its own, else the one its homesite's line names ("lot1blockd")."""
    if given is not None and str(given).strip():
        # Its word written in the cell too, a builder schedule's "Blk A".
        return plat_number(_BLOCK_WORD.sub("", str(given).strip()) or str(given).strip())
    if address is not None and address.unit and address.unit.startswith(HOMESITE):
        return homesite_parts(address.unit)[1]
    return None


def _before_dash(name: str) -> str | None:
    """The core of the name before its first spaced dash, where it has one; else None."""
    parts = SPACED_DASH.split(name, maxsplit=1)
    return (normalize_name(parts[0]).core or None) if len(parts) > 1 else None


def _before_town(name: str, city: str | None) -> str | None:
    """The core of the name before its own town's words at its end, a store's number perhaps after them; else None."""
    town = normalize_name(city).core.split() if city else []
    words = normalize_name(name).core.split()
    if words and words[-1].isdigit():
        words = words[:-1]
    if not town or len(words) <= len(town) or words[-len(town) :] != town:
        return None
    return " ".join(words[: -len(town)])


_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")


def _degrees(value: Any, limit: float) -> float | None:
    """A coordinate in degrees, a decimal comma read as a point ("30,3632" as a semicolon-separated file writes
    it); None for no number or one out of range."""
    if isinstance(value, str):
        value = value.strip()
        if _DECIMAL_COMMA.fullmatch(value):
            value = value.replace(",", ".")
    try:
        degrees = float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None
    return degrees if degrees is not None and math.isfinite(degrees) and abs(degrees) <= limit else None


def _north_american(postal: str | None, state: str | None) -> bool:
    """The record is in the United States or Canada by its ZIP or postal code, or its state or province."""
    return us_zip(postal) or canadian_postal(postal) or state in NORTH_AMERICAN_REGIONS


NORTH_AMERICAN_REGIONS = US_STATE_CODES | PROVINCE_CODES


def _position(latitude: Any, longitude: Any) -> tuple[float | None, float | None]:
    """Both coordinates or neither: one alone places nothing, and 0, 0 (a blank a database filled with zeros, in
    the ocean off Africa) would put every such record thousands of kilometres from its twin."""
    lat, lon = _degrees(latitude, 90.0), _degrees(longitude, 180.0)
    if lat is None or lon is None or (lat == 0 and lon == 0):
        return None, None
    return lat, lon


# A point in one cell: a GIS export's WKT, longitude first ("POINT (-95.6893 29.9301)"), or two numbers as a map
# gives them, latitude first ("29.9301, -95.6893").
_WKT_POINT = re.compile(r"\s*POINT\s*Z?\s*\(\s*([-+]?[\d.]+)\s+([-+]?[\d.]+)", re.IGNORECASE)
_COORDINATE = re.compile(r"[-+]?\d+(?:\.\d+)?")


# A cell that is a point and nothing more: "(30.2672, -97.7431)", "30.2672,-97.7431", "POINT (-97.7431 30.2672)".
_POINT_ONLY = re.compile(r"^\s*(?:point\s*)?[(\[]?\s*-?\d+(?:\.\d+)?\s*[,;\s]\s*-?\d+(?:\.\d+)?\s*[)\]]?\s*$", re.I)


def point_only(cell: str) -> bool:
    """The cell gives a position and no street address (an open-data register's "Location" column)."""
    return bool(_POINT_ONLY.match(cell)) and _point(cell) != (None, None)


def _point(cell: Any) -> tuple[float | None, float | None]:
    """Latitude and longitude from a cell holding both; a longitude written first is known by being beyond 90
    degrees ("-95.6893, 29.9301"). Degrees, minutes and seconds, or anything but two numbers, place nothing."""
    text = str(cell)
    if wkt := _WKT_POINT.match(text):
        return _position(wkt.group(2), wkt.group(1))
    if text.count(";") == 1 and "." not in text:
        text = text.replace(",", ".")  # decimal commas, the two numbers separated by a semicolon: "29,93; -95,69"
    numbers = _COORDINATE.findall(text)
    if len(numbers) != 2:
        return None, None
    first, second = numbers
    if abs(float(first)) > 90 >= abs(float(second)):
        first, second = second, first
    return _position(first, second)
