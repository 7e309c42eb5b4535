"""Comparison levels: how two records' values of one field compare, as one of a few named levels.

Each field's comparison returns a level name, or None when either side has no value (a missing value
is no evidence either way). The linkage model gives every level a weight; this module only decides
which level a pair is at.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from app.core.entities import EntityType
from app.matching.normalize import (
    BUSINESS_KINDS,
    CARE_KINDS,
    DENOMINATION_KINDS,
    DIRECTION_ABBREVIATIONS,
    DIRECTIONS,
    DISTINGUISHING_WORDS,
    GENERIC_WORDS,
    HOME_BUILDING,
    HOMESITE,
    KIND_PHRASES,
    LOT_WIDTH_FROM,
    MANUFACTURED_HOMES,
    PARK_WORDS,
    PLAT_WORDS,
    PRODUCT_LINE_WORDS,
    ROAD_WORDS,
    ROMAN_NUMERAL_VALUES,
    SPELT_DIRECTIONS,
    STREET_TYPES,
    TOWNHOME_WORDS,
    TRADE_KINDS,
    AddressKey,
    NormalizedName,
    haversine_km,
    homesite_parts,
    neighbours_swapped,
    street_type,
    subsite,
    toll_free,
    us_zip,
    website_page,
)
from app.matching.places import (
    counties_apart,
    known_town,
    near_the_towns_edge,
    neighbouring_towns,
    one_building_two_zips,
    one_county,
    one_metro_area,
    one_plan_named,
    one_town_by_name,
    one_town_two_zips,
    placed_state,
    town_of_zip,
    towns_of_one_zip,
    zip_of_another_town,
    zips_apart,
)
from app.matching.records import WORSHIP, MatchRecord
from app.matching.street_suffixes import STREET_SUFFIX_FORMS

# Numbers as a place's name writes them in numerals ("Cinco Ranch II"; after a plat's word, normalize reads them
# as digits).
ROMAN_NUMERALS = frozenset({"ii", "iii", "iv"})
# Names sharing at least this share of the shorter one's words (and a word this long) overlap.
OVERLAP_SHARE = 0.5
OVERLAP_WORD = 4
TYPO_RATIO = 85.0  # rapidfuzz ratio (0..100) above which two words are one word mistyped
TYPO_WORD = 5  # words shorter than this must be equal: "oak" and "oaks" are not a typo of one word
# A word this many letters (inserted, deleted or changed) from every word of the other name is another word.
SWAPPED_WORD_EDITS = 3
# token_sort_ratio (0..100) of two names from which they are one name mistyped, or similar.
TYPO_SORT = 90.0
SIMILAR_SORT = 75.0
_DIGITS = re.compile(r"\d+")
_LETTERED_SECTION = re.compile(r"\d+[a-z]")
# A road's number with its route's letter, not an ordinal's ending: "540a", "90a", "113" of "113th".
_ROAD_NUMBER = re.compile(r"\d+(?:[a-z]\b)?")


def same_word(a: str, b: str) -> bool:
    """One word, or one word mistyped (not another word that is the word and a letter before or after it, "Ranch" /
    "Branch", "Crumb" / "Crumbl"; its plural is the word)."""
    return (
        a == b
        or (
            min(len(a), len(b)) >= TYPO_WORD
            and fuzz.ratio(a, b, score_cutoff=TYPO_RATIO) >= TYPO_RATIO
            and not letter_at_an_end(a, b)
            and not letter_at_an_end(b, a)
        )
        or letter_dropped(a, b)
        or letter_dropped(b, a)
        or letters_swapped(a, b)
    )


def letters_swapped(a: str, b: str) -> bool:
    """A word of four letters or more with two neighbouring letters swapped: "Rigde" / "Ridge"."""
    return len(a) == len(b) >= TYPO_WORD and a.isalpha() and neighbours_swapped(a, b)


# A word this long or longer with a letter more at an end is the word mistyped ("Libertyhave" / "Libertyhaven"):
# shorter, it is as often another word ("Ranch" / "Branch").
LONG_WORD = 6


def letter_at_an_end(short: str, long_: str) -> bool:
    """``long_`` is the short word ``short`` with another letter before it or after it, not a plural's "s" nor its
    end letter typed twice ("Ranchh"): "Branch" of "Ranch", "Crumbl" of "Crumb"."""
    if len(long_) != len(short) + 1 or not short or len(short) >= LONG_WORD:
        return False
    before = long_[1:] == short and long_[0] != short[0]
    after = long_[:-1] == short and long_[-1] not in ("s", short[-1])
    return before or after


def letter_dropped(short: str, long_: str) -> bool:
    """A word of four letters or more written with one letter inside it left out: "Rige" / "Ridge", "Ranh" / "Ranch"
    (not the first or the last: "Lake" / "Blake", "Lake" / "Lakes" are other words)."""
    if len(short) < TYPO_WORD - 1 or len(long_) != len(short) + 1 or not short.isalpha():
        return False
    return any(long_[:i] + long_[i + 1 :] == short for i in range(1, len(long_) - 1))


WordTest = Callable[[str, str], bool]


def joined(core: str) -> str:
    """A core name without its spaces: names that differ only in how words are split compare equal."""
    return core.replace(" ", "")


def _unmatched(words: list[str], others: list[str], same: WordTest = same_word) -> list[str]:
    return [w for w in words if not any(w == o or same(w, o) for o in others)]


def glued_to_kinds(name: NormalizedName) -> dict[str, str]:
    """Each word of the name's core with the word after it that the core leaves out (a kind's), glued: a brand's
    capitals read as two words, "CycleBar Highlands" (core "cycle highlands") is "cyclebar" too."""
    core = set(name.core.split())
    return {t: t + u for t, u in itertools.pairwise(name.tokens) if t in core and u not in core}


def _glue_split_words(words: list[str], others: list[str], name: NormalizedName | None = None) -> list[str]:
    """Two words of one name written as one word of the other, glued: "Eye Care" beside "Eyecare", and a word glued to
    the kind's after it (``glued_to_kinds``): "CycleBar Highlands" beside "CYCLEBAR"."""
    onto = {w: glued for w, glued in glued_to_kinds(name).items() if glued in others} if name else {}
    glued, i = [], 0
    while i < len(words):
        if i + 1 < len(words) and words[i] + words[i + 1] in others:
            glued.append(words[i] + words[i + 1])
            i += 2
        elif words[i] in onto:
            glued.append(onto[words[i]])
            i += 1
        else:
            glued.append(words[i])
            i += 1
    return glued


def _lettered_section(words: list[str], i: int) -> bool:
    """The word at ``i`` is a section's number with its letter, "Phase 2A": a plat's part split in two."""
    return i > 0 and words[i - 1] == "section" and _LETTERED_SECTION.fullmatch(words[i]) is not None


def _numbers(words: list[str]) -> set[str]:
    """The numbers the words hold, alone or with letters: "Section 12", "Harvest Green 50s"; a section's with its
    letter, "Phase 2B" (another plat than 2A)."""
    return {n for i, w in enumerate(words) for n in ([w] if _lettered_section(words, i) else _DIGITS.findall(w))}


def _distinguished(extra: list[str], a: list[str], b: list[str]) -> bool:
    """True when the words one name has beyond the other set it apart: "West", "Section 2"."""
    return _numbers(a) != _numbers(b) or any(w in DISTINGUISHING_WORDS for w in extra)


def _lot_width(words: Sequence[str], i: int) -> bool:
    """The number at ``i`` is a lot width ("Woodforest 40'"), not a plat part's ("Sec 4", "Phase 2")."""
    return int(words[i]) >= LOT_WIDTH_FROM and not (i > 0 and words[i - 1] in PLAT_WORDS)


def _width_beside_section(a: list[str], b: list[str]) -> bool:
    """One name's only number is a lot width ("Woodforest 40'") and the other's only a section's ("Woodforest Sec 4"),
    their other words one name: a builder's product line in a master plan and a plat of it, neither number the
    other's."""

    def parts(words: list[str]) -> tuple[bool, bool, list[str]]:
        # A section's number, lettered too ("Phase 2A"), or a range of them ("Sec 4-10").
        numbered = [w.isdigit() or _lettered_section(words, i) for i, w in enumerate(words)]
        numbers = [(i, w) for i, w in enumerate(words) if numbered[i]]
        # A lot width after the section's number is no number of its range: "Veranda Sec 4 40'".
        sections = all(
            i > 0 and (words[i - 1] == "section" or (words[i - 1].isdigit() and not _lot_width(words, i)))
            for i, _w in numbers
        )
        widths = all(w.isdigit() and _lot_width(words, i) for i, w in numbers)
        rest = [w for i, w in enumerate(words) if not numbered[i] and w not in PLAT_WORDS]
        return bool(numbers) and widths, bool(numbers) and sections, rest

    (width_a, section_a, rest_a), (width_b, section_b, rest_b) = parts(a), parts(b)
    if len(_numbers(a) | _numbers(b)) != len(_numbers(a)) + len(_numbers(b)):
        return False  # a number in common
    return rest_a == rest_b and ((width_a and section_b) or (section_a and width_b))


def _by_two_people(left: list[str], right: list[str], same: WordTest) -> bool:
    """Two names of one trade's words, each "by" its maker, no word of whose name is alike: "Hair by Rosa" and "Hair by
    Marcus", "Nails by Kim" and "Nails by Tina"."""
    i = left.index("by") if "by" in left else 0
    if not i or right[i : i + 1] != ["by"] or "by" in right[:i]:
        return False
    makers, others = left[i + 1 :], right[i + 1 :]
    return left[:i] == right[:i] and bool(makers and others) and _unmatched(makers, others, same) == makers


def _section_of_its_part(words: list[str], others: list[str]) -> bool:
    """``words`` name a section of the part ``others`` name by its numeral alone: "HERON FARMS II SEC 1" (read
    "heron farms ii section 1") is a plat of "Heron Farms II Community Association" (read "heron farms section 2", a
    numeral ending a name being its section), not of Heron Farms III."""
    if len(others) < 3 or others[-2] != "section":
        return False
    i = len(others) - 2
    return (
        len(words) == i + 3
        and words[:i] == others[:i]
        and ROMAN_NUMERAL_VALUES.get(words[i]) == others[-1]
        and words[i + 1] == "section"
    )


def _number_on_one_side(extra: list[str], short: list[str]) -> bool:
    """The longer name's extra words set it apart only by a number the shorter has none of, with at most the
    plat's word for it: a lot width ("Jubilee 55") or a phase one listing writes ("Oak Hollow Phase 2", "Hartwell
    Farms Ph 2"), beside a lot width or a section both write too ("Veranda Sec 4 40'" / "Veranda 40'", "Veranda Sec
    4"). Two numbers ("Towne Lake Section 12" / "Section 14") are two plats; a number the name begins with is a word
    of it ("ELEVEN OAKS SEC 2", "11 Oaks")."""
    written = {w for i, w in enumerate(short) if w.isdigit() and (_lot_width(short, i) or short[i - 1] == "section")}
    if _numbers(short[1:]) - written or any(w in ROMAN_NUMERALS for w in short):
        return False
    numbered = [bool(_DIGITS.search(w) or w in ROMAN_NUMERALS) for w in extra]
    # A plat's word alone is no plat: "Jubilee Section 50" reads the width of "Jubilee 50'" as a section's number.
    return any(numbered) and all(n or w in PLAT_WORDS for n, w in zip(numbered, extra, strict=True))


def _swapped(words: list[str], others: list[str]) -> bool:
    """Every word is SWAPPED_WORD_EDITS letters or more from each of the other name's words: another word in its
    place, not the same word mistyped ("parkland" / "lakeland", where "pomona" / "pamona" is one letter)."""
    return all(Levenshtein.distance(w, o) >= SWAPPED_WORD_EDITS for w in words for o in others)


# A person's generation at the end of a name, however written ("Sr" is read "senior" as in "SR LIVING").
_GENERATIONS = {"jr": "jr", "junior": "jr", "senior": "sr", "ii": "ii", "2nd": "ii", "iii": "iii", "3rd": "iii",
                "iv": "iv", "4th": "iv"}  # fmt: skip


def _generations_differ(a: NormalizedName, b: NormalizedName) -> bool:
    """Both names end with a generation and not the same one: a father and his son, a partnership's second fund and
    its third ("Pecan Grove II" / "Pecan Grove III")."""
    x, y = (_GENERATIONS.get(name.tokens[-1]) if name.tokens else None for name in (a, b))
    return x is not None and y is not None and x != y


def compare_name(
    a: NormalizedName, b: NormalizedName, entity_type: str, *, sort: float | None = None, same: WordTest = same_word
) -> str | None:
    """exact / core (generic words or a qualifier differ) / typo / contained / plat (a community's name and a
    section's, a phase's or a lot width's of it: "Mesquite Falls" / "Mesquite Falls Sec 3") / variant / similar /
    overlap / different.

    ``sort`` (the cores' token_sort_ratio) and ``same`` (whether two words are one) may be given when they
    were computed for many pairs at once.
    """
    if not a.key or not b.key:
        return None
    if a.key == b.key:
        return "exact"
    if entity_type == EntityType.builder and _generations_differ(a, b):
        return "different"  # a father and his son, each licensed: "SMITH, JOHN SR" / "SMITH, JOHN JR"
    left, right = a.core.split(), b.core.split()
    # A qualifier one name gives apart that the other gives among its words is a word in common: "KinderCare Learning
    # Center (Grove City)" / "Grove City KinderCare", one centre named by its town two ways.
    generic = GENERIC_WORDS.get(entity_type, frozenset())
    left, right = (
        [*left, *(w for w in a.tokens if w not in left and w in right and w not in generic)],
        [*right, *(w for w in b.tokens if w not in right and w in left and w not in generic)],
    )
    left, right = _glue_split_words(left, right, a), _glue_split_words(right, left, b)
    if entity_type == EntityType.community and (MANUFACTURED_HOMES in a.kinds) != (MANUFACTURED_HOMES in b.kinds):
        # One list gives a park's kind as "MHP" and the other in a word of its name: "Orange Blossom Creek Estates" /
        # "ORANGE BLOSSOM CREEK MHP", one park, not another place beside it.
        if MANUFACTURED_HOMES in a.kinds:
            right = [w for w in right if w not in PARK_WORDS or w in left] or right
        else:
            left = [w for w in left if w not in PARK_WORDS or w in right] or left
    # Places have neighbours with nearly the same name; businesses have branches and long forms.
    strict = entity_type != EntityType.builder
    if a.core == b.core:
        return "core"
    if entity_type == EntityType.community and (_section_of_its_part(left, right) or _section_of_its_part(right, left)):
        return "plat"
    if strict and len(left) == 2 and left == right[::-1] and set(left) & DIRECTION_ABBREVIATIONS.keys():
        return "variant"  # "North Park" / "Park North": two subdivisions of one ZIP, the compass point moved
    if _by_two_people(left, right, same):
        return "different"  # "HAIR BY ROSA" / "Hair by Marcus": two stylists' studios, the trade's words alike
    if joined(a.core) == joined(b.core) or joined(a.key) == joined(b.key):
        # One name with its words glued or split: "Steak House" / "Steakhouse", and a brand's capitals read as two
        # words, a kind's among them, "CycleBar" / "CYCLEBAR".
        return "typo"
    if abbreviates(a, b) or abbreviates(b, a):
        return "contained"  # one name is the other's initials: "DRB Homes" / "Dan Ryan Builders"
    # A part of one name written as the other's initials: "MVCDC Gettysburg" / "Miami Valley Child Development
    # Centers - Gettysburg", read as one word on both sides.
    left, right = written_as_initials(left, a, b), written_as_initials(right, b, a)
    # Each side's words with no like word on the other side, found once.
    left_only, right_only = _unmatched(left, right, same), _unmatched(right, left, same)
    # The shorter name is the one with fewer words. Of two names of one length, the one with more words the
    # other lacks (then the first in word order), so the level is the same whichever record is asked about, and
    # a word swapped for another ("Community House" / "Community Center", beside a word written twice) is not
    # read as one name contained in the other.
    left_is_short = (len(left), -len(left_only), left) <= (len(right), -len(right_only), right)
    short, long_ = (left, right) if left_is_short else (right, left)
    short_only, long_only = (left_only, right_only) if left_is_short else (right_only, left_only)
    if not short_only:
        host = (b if left_is_short else a).host
        if strict and host == " ".join(short):
            # "The Bluffs at Harmony Ridge" is a part of "Harmony Ridge", not one name written longer.
            return "variant"
        if strict and host and sorted(host.split()) == sorted(w for w in long_only if not w.isdigit()):
            # "Foxglove Point at Harpeth Crossing" is "Foxglove Point" named with the master plan it is in.
            return "contained"
        if strict and _distinguished(long_only, left, right):
            # A number the shorter name lacks, and no distinguishing word: a lot width or a section one listing
            # writes ("Jubilee - 55' Homesites" / "Jubilee"), alike, not another place's name.
            return "plat" if _number_on_one_side(long_only, short) else "variant"
        if strict and any(long_.count(w) > short.count(w) for w in long_ if w in DIRECTION_ABBREVIATIONS):
            # A compass point the longer name gives again: "NORTH PARK NORTH", a subdivision of its own beside "North
            # Park", as "Tamarron West" is beside "Tamarron".
            return "variant"
        if not long_only or _middle_initials(long_only, long_):
            return "typo"
        return "contained"
    if sort is None:
        sort = fuzz.token_sort_ratio(a.core, b.core)
    shared = [w for w in short if w not in short_only]
    if not strict and _brand_beside_kind(left_only, right_only, shared):
        return "contained"
    if sort < SIMILAR_SORT and not shared:
        return "different"  # nothing in common: two unrelated names are not variants of each other
    if strict and _width_beside_section(left, right):
        return "plat"
    if strict and _distinguished(left_only + right_only, left, right):
        return "variant"
    if not strict and _heads_differ(left, right, left_only, right_only):
        # Names alike after two heads of their own ("Hampton Inn & Suites Austin-North Central" / "Homewood Suites
        # by Hilton Austin-North Central"): two brands named after one place, sharing no more than its words.
        sort = min(sort, SIMILAR_SORT - 1)
    if strict and long_only and sort >= SIMILAR_SORT and _swapped(short_only, long_only):
        # Alike as a whole but for a word in another's place: "Bridgeland Parkland Village" / "Bridgeland Lakeland
        # Village", two villages of one master plan, not one name mistyped.
        return "variant"
    if sort >= TYPO_SORT and not another_word(" ".join(left), " ".join(right)):
        # Alike as a whole, not another word in a word's place: "Volt Electric" / "Volta Electric" are two firms.
        return "typo"
    if sort >= SIMILAR_SORT:
        return "similar"
    # A business's kind or trade in common, or a building's word, is no name in common (as in ``share_a_word``):
    # "Momentum Mortgage" / "Envoi Mortgage", two lenders of one office tower; "Tanasbourne Veterinary Center" /
    # "Hillside Veterinary Center", a clinic and the practice that had its premises before.
    telling = [w for w in shared if _names_in_common(w, entity_type)]
    if len(shared) >= OVERLAP_SHARE * len(short) and any(len(w) >= OVERLAP_WORD for w in telling):
        return "overlap"
    return "different"


# The words of the phrases that say a kind of business ("learning center", "day care"): a chain's licence names its
# centre by its brand and its kind, "KINDERCARE LEARNING CENTER #300196".
_KIND_PHRASE_WORDS = frozenset(w for phrase in KIND_PHRASES for w in phrase.split())


def _brand_beside_kind(left_only: list[str], right_only: list[str], shared: list[str]) -> bool:
    """A chain's branch named by its brand and its kind on one side and by its brand and its place on the other:
    "KINDERCARE LEARNING CENTER" / "Champion Forest KinderCare", "CHILDTIME LEARNING CENTER" / "Childtime of Sterling
    Ridge". The brand is the one word they share, of four letters or more, neither kind nor trade; the street address
    decides among the brand's branches."""
    if len(shared) != 1 or len(shared[0]) < 4 or shared[0] in BUSINESS_KINDS or shared[0] in _KIND_PHRASE_WORDS:
        return False

    def kind_alone(words: list[str]) -> bool:
        # Two words of kinds at least ("learning center"): one may be a name's own ("Galleria Dental" / "Galleria
        # Nails", two businesses of one mall).
        return len(words) >= 2 and all(w in _KIND_PHRASE_WORDS or w in BUSINESS_KINDS for w in words)

    def no_kind(words: list[str]) -> bool:
        return bool(words) and not any(w in _KIND_PHRASE_WORDS or w in BUSINESS_KINDS for w in words)

    return (kind_alone(left_only) and no_kind(right_only)) or (kind_alone(right_only) and no_kind(left_only))


def _names_in_common(word: str, entity_type: str) -> bool:
    """Whether a word two names share is a name in common (``compare_name``'s ``overlap``). Not a plat's part nor its
    number ("HUNTERS GLN SEC 3" / "SIENNA PLANTATION SEC 3"); for a community, not a word a place's name ends with, as
    a street's does, nor one that tells places apart ("Mesquite Station" / "Willow Station", "Harvest Commons" /
    "Wildflower Commons", two of a town's many); for a business, not its kind or trade, nor a building's word."""
    if word in PLAT_WORDS or word.isdigit():
        return False
    if entity_type == EntityType.community:
        return not ({word, word.removesuffix("s")} & STREET_SUFFIX_FORMS.keys() or word in DISTINGUISHING_WORDS)
    return entity_type != EntityType.builder or (word not in BUSINESS_KINDS and word not in _NO_NAME_IN_COMMON)


def _heads_differ(left: list[str], right: list[str], left_only: list[str], right_only: list[str]) -> bool:
    """Each name's first word is its own, neither mistyped for the other ("Pecna" / "Pecan") nor the other's first
    words written as initials ("MV" of "Miami Valley")."""
    if left[0] not in left_only or right[0] not in right_only or OSA.distance(left[0], right[0]) <= 1:
        return False
    return not any(initials(" ".join(y[: len(x[0])])) == x[0] for x, y in ((left, right), (right, left)))


def initials(words: str) -> str:
    """The first letters of the words: "drb" of "dan ryan builder"."""
    return "".join(w[0] for w in words.split())


# A company's last word its initials leave out: "MAA" of "Mid-America Apartment Communities".
INITIALS_LEAVE_OUT = frozenset({"community", "communities", "company", "companies", "group"})


def spellings_as_initials(name: NormalizedName) -> set[str]:
    """The ways a name is written as initials: of its words, of its core's, of every word short ones included
    ("pib" of "Partners in Building"), and of its words but a company's last one (``INITIALS_LEAVE_OUT``) where three
    are left."""
    words = name.key.split()
    short = initials(" ".join(words[:-1])) if len(words) > 3 and words[-1] in INITIALS_LEAVE_OUT else ""
    return {initials(name.key), initials(name.core), name.spelt_initials, short} - {""}


def abbreviates(a: NormalizedName, b: NormalizedName) -> bool:
    """``a`` is written as the initials of ``b``'s words, with or without the kind of business: "DRB Homes" of
    "Dan Ryan Builders", "KB Home" of "Kaufman & Broad Home"."""
    return bool(a.acronym) and " " in b.key and a.acronym in spellings_as_initials(b)


# The fewest letters initials are read by within a longer name: "CSC", not "CS" (a name's two capitals are often
# a family's or a place's).
RUN_INITIALS = 3


def initials_run(acronym: str, name: NormalizedName, *, ending: bool = False) -> list[str] | None:
    """The run of ``name``'s words whose initials ``acronym`` is ("miami valley child development centers" for
    "mvcdc"), or None. Two letters only where they end both names (``ending``: the acronym ends the other's),
    the words before them the same: "Cypress Creek CC" of "Cypress Creek Country Club", "Austin CC" of "Austin
    Community College"."""
    words = name.key.split()
    if len(acronym) < RUN_INITIALS:
        run = words[-len(acronym) :]
        short = ending and len(acronym) == 2 and len(words) > 2
        return run if short and "".join(w[0] for w in run) == acronym else None
    for start in range(len(words) - len(acronym) + 1):
        run = words[start : start + len(acronym)]
        if "".join(w[0] for w in run) == acronym:
            return run
    return None


def written_as_initials(words: list[str], name: NormalizedName, other: NormalizedName) -> list[str]:
    """``name``'s core ``words`` with the run of its words ``other`` writes as initials (``initials_run``) put as
    those initials, where the run is not all of ``name``: the whole name as initials is ``abbreviates``, or within
    a longer name a word in common and no more (``writes_initials_of``): read as one name contained in the other,
    it added five false links on the Chicago file and one true link."""
    for acronym in sorted(other.initialisms):
        theirs = other.key.split()
        ending = theirs[-1:] == [acronym] and theirs[:-1] == name.key.split()[: -len(acronym)]
        run = initials_run(acronym, name, ending=ending)
        if run is None or acronym in words or len(run) == len(name.key.split()):
            continue
        kept = list(words)
        at = len(kept)
        for word in run:
            if word in kept:
                at = min(at, kept.index(word))
                kept.remove(word)
        kept.insert(min(at, len(kept)), acronym)
        return kept
    return words


def related_by_initials(a: NormalizedName, b: NormalizedName) -> bool:
    """One name writes a run of the other's words as initials (``written_as_initials``)."""
    return any(initials_run(x, b) for x in a.initialisms) or any(initials_run(x, a) for x in b.initialisms)


def writes_initials_of(a: NormalizedName, b: NormalizedName) -> bool:
    """A word of ``a`` is written as the initials of ``b``'s words: "CSC" in "Casa Central - CSC Development
    Program" of "Community Service Center"."""
    return " " in b.key and bool(a.initialisms & spellings_as_initials(b))


# What a church runs under its name, another place beside it where both names say the denomination and the other
# says it is the church: its preschool, "St Mark UMC Mothers Day Out" beside "St Mark United Methodist Church", its
# school, "Saint William Catholic School" beside "Saint William Catholic Church" (alone, "Trinity Day Care Center" may
# be the church's listing of its own centre, and a community centre's "Albany Park Day Care" is its own program).
PROGRAM_KINDS = frozenset({"early education", "school"})
# The words a name says it is the congregation's by, beside which its program is another place: "Central Baptist
# Bridgeport School" is the early childhood site "Central Baptist Bridgeport", not beside "Central Baptist Church".
CONGREGATION_WORDS = frozenset({"church", "parish", "chapel", "cathedral", "congregation", "temple", "synagogue"})
DENOMINATIONS = frozenset(DENOMINATION_KINDS.values())
# The trades a business's affiliate is licensed in apart from it, under its name.
AFFILIATE_TRADES = frozenset({"real estate", "mortgage", "title", "insurance"})


# Kinds of eating place, one to a review site's category; and of drinking place ("Restaurants, Bars" beside a permit's
# "HUMPERDINKS RESTAURANT & BREWERY", a brewpub).
EATING_KINDS = frozenset({"cafe", "grill", "deli", "buffet", "taqueria"})
DRINKING_KINDS = frozenset({"bar", "lounge", "brewery"})
PLACES_TO_EAT = (EATING_KINDS, DRINKING_KINDS)


def kinds_differ(x: MatchRecord, y: MatchRecord) -> bool:
    """Both names say what kind of place they are, and no kind is the same: "Ritz-Carlton Cafe" and "Ritz-Carlton
    Dining Room", two restaurants of one hotel; or one says a trade other than building homes and the other no kind
    at all: "Lennar Mortgage" and "Lennar", a builder's affiliate, "Kroger Pharmacy" and "Kroger", the grocer it is
    in, unless the other's list says it is of that trade ("Walgreens", a drug store); where the other's name says
    no kind and its list says one, that kind is its own ("Heritagehaven", a licence for assisted living, beside
    "HERITAGEHAVEN SKILLED NURSING"). A name not given, or a person's, says nothing of its kind."""
    a, b = x.name_norm, y.name_norm
    if not a.key or not b.key or x.extra.get("person") or y.extra.get("person"):
        return False  # a sole proprietor's own name says no kind of business, nor that it has none
    # A kind's word mistyped is that kind: "Everly Electric" / "Everly Eelctric" say one trade.
    kinds_a = a.kinds | _mistyped_kinds(a, b) | _initialled_kinds(a, b)
    kinds_b = b.kinds | _mistyped_kinds(b, a) | _initialled_kinds(b, a)
    # A program's kind counts only beside the kind both names say, the other name the church's (``PROGRAM_KINDS``),
    # and not in a list of such programs (a child care licence's "Child Care Center", which names one by its church),
    # unless the church's list says it is a congregation ("Place of Worship" beside "Mothers Day Out Programs").
    program_a, program_b = kinds_a & PROGRAM_KINDS, kinds_b & PROGRAM_KINDS
    church = x if program_b and not program_a else y if program_a and not program_b else None
    either_listed = x.extra.get("kinds", frozenset()) | y.extra.get("kinds", frozenset())
    programs_differ = (
        church is not None
        and bool(CONGREGATION_WORDS.intersection(church.name_norm.tokens))
        and (WORSHIP in church.extra.get("kinds", frozenset()) or not either_listed & PROGRAM_KINDS)
    )
    kinds_a, kinds_b = kinds_a - PROGRAM_KINDS, kinds_b - PROGRAM_KINDS
    if not kinds_a or not kinds_b:
        said = kinds_a or kinds_b
        listed = (y if kinds_a else x).extra.get("kinds", frozenset()) - PROGRAM_KINDS - {WORSHIP}
        if said and listed:
            # The other's list says what kind it is: a licence's "Assisted Living" beside "Heritagehaven Skilled
            # Nursing", two licences of one senior campus. A review site's category for a restaurant is coarse: its
            # "Cafes" beside "Iron Skillet Diner & Grill" says one eating place, its "Bars" beside a brewpub one
            # drinking place.
            return said.isdisjoint(listed) and not any(said <= kinds and listed & kinds for kinds in PLACES_TO_EAT)
        return bool(said) and said <= TRADE_KINDS
    if kinds_a.isdisjoint(kinds_b) or (programs_differ and kinds_a & kinds_b & DENOMINATIONS):
        return True
    own_a, own_b = kinds_a - kinds_b, kinds_b - kinds_a
    if own_a and own_b and (own_a | own_b) <= CARE_KINDS:
        # A kind both names say as a word of their own ("Amberwood Park"), and two levels of care beside it: a senior
        # campus's assisted living and its memory care, licensed and listed apart at one address and line.
        return True
    if HOME_BUILDING in kinds_a & kinds_b and (kinds_a ^ kinds_b) & AFFILIATE_TRADES:
        # A builder's brokerage, lender or title agency, licensed apart under its name: "Perry Homes Realty" beside
        # "Perry Homes" (a builder's "Smith Homes & Remodeling" is Smith Homes).
        return True
    # A trade said on one side only, beside the kind of place both say: "Binford Elementary PTO" is the school's
    # parents' association, not "Binford Elementary School" (a builder's "Smith Homes & Remodeling" is Smith Homes).
    trades_a, trades_b = kinds_a & TRADE_KINDS, kinds_b & TRADE_KINDS
    if bool(trades_a) == bool(trades_b):
        return False
    plain, listed = (kinds_b, y) if trades_a else (kinds_a, x)
    return HOME_BUILDING not in plain and (trades_a or trades_b).isdisjoint(listed.extra.get("kinds", frozenset()))


def brands_differ(a: MatchRecord, b: MatchRecord) -> bool:
    """Both lists give a brand in a column of its own, they share no word, and neither name gives the other's: two
    hotels of one building ("Candlewood Suites" and "Holiday Inn Express", one address and one front desk), however
    alike their names after the brand."""
    x, y = a.extra.get("brand"), b.extra.get("brand")
    if x is None or y is None or any(_one_word(v, w) for v in x for w in y):
        return False
    # A brand one name gives is no other brand's: a fuel licence's "CIRCLE K STORE 2799 / MOBIL", its brand the fuel
    # it sells, is the map's "Circle K" whose brand is the store's.
    return not (x <= set(b.name_norm.tokens) or y <= set(a.name_norm.tokens))


def store_numbers_differ(a: MatchRecord, b: MatchRecord) -> bool:
    """Both names give a store number and not the same: two stores of one chain ("Starbucks #48290" / "Starbucks
    #48211"), however close their names and places (one airport's terminal, one mall). So do a business's names each
    giving a number the other lacks: a salon-suites building's "Studio 24 at Sola Salons" and "Studio 36 at Sola
    Salons", one address, names a typo apart."""
    x, y = a.extra.get("store_number"), b.extra.get("store_number")
    if x is not None and y is not None:
        return bool(x != y)
    if a.entity_type != EntityType.builder:
        return False
    mine, theirs = _digit_words(a.name_norm), _digit_words(b.name_norm)
    return bool(mine - theirs) and bool(theirs - mine)


def _digit_words(name: NormalizedName) -> set[str]:
    """The numbers a name gives in digits, not a road's it is named by, and a Roman numeral ending a name of two words
    or more (an owner's two care homes, "Oak Care Home I" and "Oak Care Home II", share their line). A number it
    spells is a word of its name: "Two Birds Coffee" and "Lemon Coffee - Five Points" give none."""
    tokens = name.tokens
    numbers = {
        w for i, w in enumerate(tokens) if w.isdigit() and w in name.digits and not (i and tokens[i - 1] in ROAD_WORDS)
    }
    if len(tokens) >= 3 and tokens[-1] in ROMAN_NUMERAL_VALUES:
        numbers.add(ROMAN_NUMERAL_VALUES[tokens[-1]])
    return numbers


def _one_word(x: str, y: str) -> bool:
    """One word, or one mistyped: "Hom2e" for "Home2"."""
    return x == y or fuzz.ratio(x, y) >= TYPO_RATIO or neighbours_swapped(x, y)


def own_towns_in_names(a: MatchRecord, b: MatchRecord) -> bool:
    """Each name names its own record's town and not the other's: one network's or franchise's two sites in two
    towns, alike in all else ("IDEA McAllen Academy" in McAllen, "IDEA Mission Academy" in Mission, on the network's
    one line). A name naming a town its record is not in ("Katy Dental" listed in Houston) says nothing."""
    x, y = a.city_key, b.city_key
    if not x or not y or x == y:
        return False
    return (
        _names_town(a.name_norm, x)
        and _names_town(b.name_norm, y)
        and not _names_town(a.name_norm, y)
        and not _names_town(b.name_norm, x)
    )


def _names_town(name: NormalizedName, town: str) -> bool:
    """Words of the name, run together, are the town's key ("san antonio" in "IDEA San Antonio Academy")."""
    words = name.tokens
    return any("".join(words[i:j]) == town for i in range(len(words)) for j in range(i + 1, len(words) + 1))


def _mistyped_kinds(name: NormalizedName, other: NormalizedName) -> set[str]:
    """The kinds of the other name's kind words that this name writes mistyped, two neighbouring letters swapped
    too ("Raelty")."""
    return {
        BUSINESS_KINDS[word]
        for word in other.tokens
        if BUSINESS_KINDS.get(word) in other.kinds
        for own in name.tokens
        if own != word and own not in BUSINESS_KINDS and (same_word(own, word) or neighbours_swapped(own, word))
    }


def _initialled_kinds(name: NormalizedName, other: NormalizedName) -> set[str]:
    """The kinds the other name says in two words that this name writes by their initials: "Bluestem RE Appraisers"
    is the "Real Estate" of "BLUESTEM REAL ESTATE APPRAISERS LP"."""
    return {
        kind
        for phrase, kind in KIND_PHRASES.items()
        if kind in other.kinds
        and " " in phrase
        and "".join(word[0] for word in phrase.split()) in name.tokens
        and set(phrase.split()) <= set(other.tokens)
    }


# What a master plan's own listing gives as its builder: its many builders, not one ("Multiple Builders").
MANY_BUILDERS = frozenset({"multiple", "multi", "various", "several", "many", "all"})


def many_builders(record: MatchRecord) -> bool:
    """The record is a master plan's own listing for its many builders ("Multiple Builders")."""
    builder = record.extra.get("builder")
    return builder is not None and (builder.core in MANY_BUILDERS or bool(record.extra.get("builders_listed")))


def builder_renamed(
    a: MatchRecord, b: MatchRecord, levels: dict[str, str | None], *, phone_shared: bool = False
) -> bool:
    """One community under its builder's new name (an acquisition: "Coppergate Homes" became "Westvale Homes"): its
    name, its sales line and its street address all agree. A master plan's own listing is never a section renamed,
    nor are two where other records hold the line too (``phone_shared``): a master plan's welcome center, whose
    address and line a guide gives for each builder's section."""
    return (
        levels.get("name") in ("exact", "core")
        and levels.get("phone") == "same"
        and not phone_shared
        and levels.get("address") == "same"
        and not (many_builders(a) or many_builders(b))
    )


def builders_differ(a: MatchRecord, b: MatchRecord) -> bool:
    """Two communities whose builders are both given and are not one: two builders' sections of one name ("Rivergate
    Commons - The Manors" by Copperleaf Homes and by Oakhurst Homes), or a master plan's own listing for its many
    builders ("Multiple Builders") and one builder's section in it, which shares its name, its welcome center's
    address and its sales line. One builder written two ways ("Meridian Homes" / "Meridian Homebuilders", "D.R.
    Horton" / "DR Horton") shares a word of its name's core."""
    x, y = a.extra.get("builder"), b.extra.get("builder")
    if x is None or y is None:
        return False
    many_x, many_y = many_builders(a), many_builders(b)
    if many_x != many_y and not (a.extra.get("builders_listed") or b.extra.get("builders_listed")):
        return True  # "Multiple Builders" beside one builder
    if many_x and many_y:
        return False
    # One builder, or several listed ("Coventry/Highland") beside their master plan's "Multiple Builders" or one.
    return not any(same_word(v, w) for v in x.core.split() for w in y.core.split()) and not (
        writes_initials_of(x, y) or writes_initials_of(y, x) or joined(x.core) == joined(y.core)  # "TriPointe"
    )


# A community's name's words saying it is rented apartments ("THISTLE HOLLOW APTS").
APARTMENT_WORDS = frozenset({"apartments", "apartment", "apts", "apt"})


def apartments_beside_homes(a: MatchRecord, b: MatchRecord) -> bool:
    """One community's name says it is apartments and the other's does not and names its builders: a rental complex
    named after the master plan it stands in (a school district's "THISTLE HOLLOW APTS", a multifamily project),
    beside the master plan's homes for sale. An apartment community listed with and without its kind names no
    builder, or one operator on both sides ("River Hollow Apartments" / "River Hollow - Pflugerville, TX", each by
    Greystar)."""
    return any(
        bool(APARTMENT_WORDS.intersection(x.name_norm.tokens))
        and not APARTMENT_WORDS.intersection(y.name_norm.tokens)
        and y.extra.get("builder") is not None
        and not builders_agree(x, y)
        for x, y in ((a, b), (b, a))
    )


# Words a community's amenity is named by after the community's name: its golf club, its clubhouse, its recreation
# centre ("Silver Springs Golf & Country Club", "BRUSHY OAKS GOLF AND CC", "Falcon Park Rec Center").
AMENITY_WORDS = frozenset({"golf", "club", "clubhouse", "cc", "gc", "course", "amenity", "recreation", "rec"})


def amenity_beside_community(a: MatchRecord, b: MatchRecord, line_or_site_shared: bool) -> bool:
    """One community's name says it is an amenity, its golf club or its recreation centre, and the other's does not,
    and no phone or website says they are one: a golf guide's "Silver Springs Golf & Country Club" at the
    community's clubhouse address is the club, not the community of homes it is named after."""
    return not line_or_site_shared and any(
        bool(AMENITY_WORDS.intersection(x.name_norm.tokens)) and not AMENITY_WORDS.intersection(y.name_norm.tokens)
        for x, y in ((a, b), (b, a))
    )


# Words an association's name gives its kind of homes by: a master plan's townhome or villa section has an association
# of its own ("AVERY RANCH TOWNHOMES OWNERS ASSOCIATION" within "AVERY RANCH OWNERS ASSN INC"'s).
HOUSING_WORDS = frozenset({"townhome", "townhomes", "townhouse", "townhouses", "villa", "villas", "condo", "condos",
                           "condominium", "condominiums", "patio"})  # fmt: skip


def sub_association(a: MatchRecord, b: MatchRecord) -> bool:
    """Both communities are named as owners' associations, and one's name gives a kind of homes the other's does
    not: a master plan's association and its townhomes' or villas' sub-association, two associations of one
    manager at one office and line."""
    return (
        bool(a.extra.get("association"))
        and bool(b.extra.get("association"))
        and set(a.name_norm.tokens) & HOUSING_WORDS != set(b.name_norm.tokens) & HOUSING_WORDS
    )


def builders_agree(a: MatchRecord, b: MatchRecord) -> bool:
    """Both communities name one builder: not a master plan's own listing, which gives none or its many builders."""
    x, y = a.extra.get("builder"), b.extra.get("builder")
    return (
        x is not None and y is not None and not many_builders(a) and not many_builders(b) and not builders_differ(a, b)
    )


def names_agree_on_building(a: MatchRecord, b: MatchRecord) -> bool:
    """One record is listed inside a building its address line names before the street address, or its name says it
    is in ("The Copper Room at The Harlan", "Grill (Harlan Hotel)"), its name saying more than the building's
    ("Bouchon Bistro - The Venetian" at "The Venetian, 3355 Las Vegas Blvd S"), and the
    other name agrees with it only in the building's words ("Venetian Theatre At The Venetian", "The Venetian"):
    two places in one resort or mall, or a tenant and the building itself. The building's own listing, its name
    no more than the building's, is no tenant."""
    for tenant, other in ((a, b), (b, a)):
        # The building its address line names, else the one its name says it is in ("The Copper Room at The Harlan").
        building = (
            tenant.building_name.tokens
            if tenant.building_name is not None
            else tenant.name_norm.host.split()
            if tenant.entity_type == EntityType.builder
            else ()
        )
        if not building:
            continue
        own = [w for w in tenant.name_norm.core.split() if not any(same_word(w, h) for h in building)]
        if not own or set(own) <= (tenant.extra.get("brand") or set()):
            # Nothing besides the building, or only the brand its list gives the place ("Phillips 66 - Corner Market
            # 2", a fuel app's station by its brand and its store's name): no tenant.
            continue
        words = other.name_norm.tokens
        if any(same_word(w, h) for w in words for h in building) and not any(
            same_word(w, x) for w in own for x in words
        ):
            return True
    return False


def _townhomes_beside_width(a: NormalizedName, b: NormalizedName) -> bool:
    """One name says townhomes, the other a lot width: a builder's two product lines in one master plan ("Amira
    Townhomes" / "Amira 40'"), listed apart as two lot widths are."""
    if not TOWNHOME_WORDS & set(a.tokens) or TOWNHOME_WORDS & set(b.tokens):
        return False
    return any(_lot_width(b.tokens, i) for i, w in enumerate(b.tokens) if w.isdigit())


def sections_differ(a: NormalizedName, b: NormalizedName) -> bool:
    """Two communities' names each name their own part of one place: words in common (the master plan's) and each
    its own words, none a number and none the other's mistyped or cut short ("The Bluffs at Elmstead" / "The Meadows at
    Elmstead", "Harvest Bend - The Meadows" / "Prairie Village at Harvest Bend"). Two sections of one master plan,
    often sold from one sales centre, with one phone and one website: those agreeing say nothing of which is which.
    Not a builder's product lines ("Elmbrook Reserve Watermill Collection" / "Wildflower Collection"): one
    community's homes, sold side by side. Both names numbering their part, and not alike, name two parts too ("Stone
    Hollow Phase 4" / "Stone Hollow Phase III", "Harvest Green 50s" / "60s"), at one sales office on one line."""
    numbers = _numbers(a.core.split()), _numbers(b.core.split())
    if all(numbers) and numbers[0] != numbers[1]:
        return True
    if _townhomes_beside_width(a, b) or _townhomes_beside_width(b, a):
        return True
    if PRODUCT_LINE_WORDS & {*a.tokens, *b.tokens}:
        return False
    left, right = a.core.split(), b.core.split()
    # A business's words ("Pulte Group" / "Pulte Homes") name no part of a place.
    business = GENERIC_WORDS["builder"]
    left_only = [w for w in _unmatched(left, right) if w not in business]
    right_only = [w for w in _unmatched(right, left) if w not in business]
    return (
        bool(left_only and right_only)
        and len(left_only) < len(left)
        and not _numbers(left_only + right_only)
        and _swapped(left_only, right_only)
        # A word cut short is the same word ("Deli" / "Delicatessen").
        and not any(x.startswith(y) or y.startswith(x) for x in left_only for y in right_only)
    )


def _middle_initials(extra: list[str], words: list[str]) -> bool:
    """The words one name has beyond the other's are single letters between the first and last words of a name of
    a person's few words: a middle initial ("James B Roberts" / "James Roberts", a licensee and his practice's
    listing), one name written again, not a longer one. Not in a longer name: "Centers for New Horizons Edison L.
    Hoard" names a site of an agency, which another listing may shorten differently."""
    return len(words) <= PERSON_NAME_WORDS and all(len(w) == 1 and w.isalpha() and w in words[1:-1] for w in extra)


# The most words a person's name runs to as a business's name: first, middle initial, last, and a suffix.
PERSON_NAME_WORDS = 4


# Words naming a building of any trade or a school's level, which, like a kind's, two names share without sharing
# a name (``share_a_word``), a trade's word naming no kind of its own ("Auto" sells or repairs cars): "Mission Auto
# Center" and "Ochoa's Automotive", a mechanic's shop and the owner's before it at its address and line; and a church's,
# "Sugar Creek Baptist Church" and "Chinese Baptist Church", a congregation and the one that bought its building; a
# child care centre's "Learning", "Kids Korner Learning Center" and its successor "Precious Early Learning Center";
# a family firm's "& Sons" or "Brothers", and a builder's "Design Build": "Long & Sons Builders" / "Plunkett & Sons
# Builders", "Patel Design Build" / "Rhodes & Kessler Design Build" are two firms.
_NO_NAME_IN_COMMON = frozenset({"center", "centre", "centers", "centres", "learning", "school", "elementary", "middle",
                                "high", "intermediate", "junior", "primary", "auto", "autos", "automotive", "church",
                                "churches", "sons", "brothers", "design", "build"})  # fmt: skip


def share_a_word(a: NormalizedName, b: NormalizedName) -> bool:
    """Whether two names have any word of three letters or more in common (mistyped, or glued to the next word
    as in "PauloFreire"), generic words included: a name level of "different" also covers names sharing a
    word or two, and only names with nothing in common say two businesses. A word written as the initials of
    the other name's words shares them all."""
    # A word naming the kind of business ("Homes", "Builders", "Title"), a building of any trade ("Center") or a
    # school's level is no word in common where both names have words of their own: "Newcastle Homes" and "Magnolia
    # Crest Homes" at one office are two brands, "Grandma's House Child Development Center" and its successor at its
    # address, "Next Generation Learning Center", two centres, "Lamar Middle" / "Cesar Chavez Middle" a campus renamed.
    words = (a.core.split(), b.core.split()) if a.core and b.core else (a.tokens, b.tokens)
    left, right = ([w for w in side if len(w) >= 3] for side in words)
    own_left, own_right = (
        [w for w in side if w not in BUSINESS_KINDS and w not in _NO_NAME_IN_COMMON] for side in (left, right)
    )
    if own_left and own_right:
        left, right = own_left, own_right
    if any(same_word(x, y) for x in left for y in right) or writes_initials_of(a, b) or writes_initials_of(b, a):
        return True
    glued_left, glued_right = "".join(a.tokens), "".join(b.tokens)
    return any(len(w) >= OVERLAP_WORD and w in glued_right for w in left) or any(
        len(w) >= OVERLAP_WORD and w in glued_left for w in right
    )


def words_in_common(a: NormalizedName, b: NormalizedName) -> int:
    """How many words of three letters or more the two names' cores share (one mistyped counts: "Shinning" /
    "Shining"), counted on the side sharing fewer, so it is the same whichever name is asked about."""
    left, right = ([w for w in name.core.split() if len(w) >= 3] for name in (a, b))
    return min(len(left) - len(_unmatched(left, right)), len(right) - len(_unmatched(right, left)))


def compare_phone(a: MatchRecord, b: MatchRecord) -> str | None:
    """same when any number of one record is a number of the other (a cell may hold several), else different; None
    when a number of each agrees but for the area code (``area_code_changed``), or one record gives toll-free numbers
    only and the other a number of its own (``toll_free_only``)."""
    if not a.phone or not b.phone:
        return None
    if any(same_phone(x, y) for x in a.phones for y in b.phones):
        return "same"
    if toll_free_only(a.phones) != toll_free_only(b.phones):
        # A company's toll-free line against a site's own: a chain's or a national firm's number a licence or a
        # directory gives for each branch, which says nothing of which branch a record is, nor that it is another.
        return None
    return None if any(area_code_changed(x, y) for x in a.phones for y in b.phones) else "different"


def toll_free_only(phones: tuple[str, ...]) -> bool:
    """Every number given is toll-free (``normalize.toll_free``)."""
    return bool(phones) and all(toll_free(number) for number in phones)


def area_code_changed(x: str, y: str) -> bool:
    """Two full numbers alike but for the area code: one line listed before and after its area was split or given
    an overlay (Hollywood's 213 became 323), or one area code mistyped. No evidence either way."""
    return not x.startswith("local:") and not y.startswith("local:") and x != y and x[-7:] == y[-7:]


def same_phone(x: str, y: str) -> bool:
    if x.startswith("local:") != y.startswith("local:"):
        # A seven-digit local number against a full one: compare the last seven digits.
        return x[-7:] == y[-7:]
    return x == y


def compare_website(a: MatchRecord, b: MatchRecord) -> str | None:
    """same / different; None when either has none, or when they differ and either is a page of a shared host
    (its Facebook page and its own domain, or two listings, may be one business's), or one is an email address's
    domain and the other a website (a company's mail is often at its parent's domain, "nvrinc.com" beside a brand's
    "ryanhomes.com", or a licensing office's, "cvshealth.com" beside a store's "cvs.com"), or one is a site on the
    other's domain (``normalize.subsite``), or two pages of one site that differ (``records._site_page``)."""
    if not a.website or not b.website:
        return None
    if a.website == b.website:
        # Two pages of one site, each a location's: a chain's two stores, a franchise's two offices.
        x, y = a.extra.get("site_page"), b.extra.get("site_page")
        if (x or y) and a.website_by_email != b.website_by_email:
            return None  # a company's mail domain beside one location's page: the company's, not the site's
        return None if x and y and x != y else "same"
    if website_page(a.website) or website_page(b.website) or a.website_by_email != b.website_by_email:
        return None
    return None if subsite(a.website, b.website) else "different"


def _split_street(street: str) -> tuple[str, str, str, str]:
    """("e", "paces ferry", "rd", "ne") of "e paces ferry rd ne": direction before, name, type, direction after."""
    words = street.split()
    after = words.pop() if len(words) > 1 and words[-1] in DIRECTIONS else ""
    suffix = words.pop() if len(words) > 1 and words[-1] in STREET_TYPES else ""
    before = words.pop(0) if len(words) > 1 and words[0] in DIRECTIONS else ""
    return before, " ".join(words), suffix, after


def street_parts(street: str) -> tuple[str, str, str]:
    """The direction before the street's name, its name without its type, and the direction after it:
    "e paces ferry rd ne" -> ("e", "paces ferry", "ne"). One listing writes a direction or a type and
    another leaves it out."""
    return _parts(_split_street(street))


def _parts(split: tuple[str, str, str, str]) -> tuple[str, str, str]:
    before, name, _suffix, after = split
    return before, name, after


def street_suffix(street: str) -> str:
    """The street's type as normalized ("dr", "ct"), "" when it gives none."""
    return _split_street(street)[2]


def street_types_differ(a: MatchRecord, b: MatchRecord) -> bool:
    """Both street addresses write a street type, and not the same one: a subdivision's "Oak Bend Dr" and "Oak Bend
    Ct" are two streets, and 123 on each two houses. Lists typed by hand also write one street's type two ways
    ("Pl" / "St"), so the streets still compare as one and the pair waits for review."""
    if a.address is None or b.address is None or not a.address.street or not b.address.street:
        return False
    x, y = street_suffix(a.address.street), street_suffix(b.address.street)
    return bool(x) and bool(y) and x != y


def typed_side(a: MatchRecord, b: MatchRecord) -> MatchRecord | None:
    """The record whose street address writes a street type the other's leaves out ("1232 Oak Bend Ct" beside "1232
    Oak Bend"; "Winding Way Dr" beside "Winding Way", whose "Way" is its name's), or None."""
    if a.address is None or b.address is None or not a.address.street or not b.address.street:
        return None
    (name_x, type_x), (name_y, type_y) = name_and_type(a.address.street), name_and_type(b.address.street)
    if bool(type_x) != bool(type_y):
        return a if type_x else b
    if type_x and f"{name_x} {type_x}" == name_y:
        return b
    if type_y and f"{name_y} {type_y}" == name_x:
        return a
    return None


def name_and_type(street: str) -> tuple[str, str]:
    """The street's name with its directions, without its type, and its type, a subdivision's suffix too ("willow pass
    cove" -> ("willow pass", "cove"); "s wells st" -> ("s wells", "st")): what a listing that leaves the type out
    still writes. A city's "S Wells St" is no other type of a "N Wells" street."""
    before, name, suffix, after = _split_street(street)
    words = name.split()
    if not suffix and len(words) > 1 and words[-1] in SUFFIX_NAMES:
        name, suffix = " ".join(words[:-1]), words[-1]
    return " ".join(part for part in (before, name, after) if part), suffix


def street_name(street: str) -> str:
    """The street's name without its directions and type ("s archer ave" -> "archer")."""
    return street_parts(street)[1]


def site_key(record: MatchRecord) -> tuple[str, str] | None:
    """The record's house number and street name without its directions and type (``street_name``), where it gives
    both: what several listings of one site agree on however each writes the street."""
    address = record.address
    if address is None or not address.number or not address.street:
        return None
    return address.number, street_name(address.street)


def spelt_street(parts: tuple[str, str, str]) -> str:
    """The street's name with the direction before it and those in it spelt out, without spaces: ("n", "point",
    "") -> "northpoint", ("n", "w shore", "") -> "northwestshore". "North Point St" is the street one listing
    writes "Northpoint", a direction that is part of the street's name rather than a side of town; "N West Shore
    Blvd" is "N Westshore Blvd" (the parser abbreviates "West" after "N" as a direction)."""
    return "".join(SPELT_DIRECTIONS.get(w, w) for w in (parts[0], *parts[1].split()))


def glued_direction(x: tuple[str, str, str], y: tuple[str, str, str]) -> bool:
    """One street writes a direction as a word of its own and the other has it in the name: "North Point" /
    "Northpoint", "N West Shore" / "N Westshore". Where both write one before the name, it must be the same one
    (``directions_agree``)."""
    return spelt_street(x) == spelt_street(y)


def road_numbers(name: str) -> str:
    """The numbers in a street's name ("fm 1960" -> "1960", "113th" -> "113"), with a route's letter ("county rd
    540a", "hwy 90a"): two roads whose numbers differ are two roads however alike the rest is, so a one-digit
    difference is never read as a typo, nor a lettered road as the road of its number."""
    return " ".join(_ROAD_NUMBER.findall(name))


def directions_agree(x: tuple[str, str, str], y: tuple[str, str, str]) -> bool:
    """No direction both streets write differently: "N Main" and "S Main" are two streets, "Main" either."""
    return all(not a or not b or a == b for a, b in ((x[0], y[0]), (x[2], y[2])))


def direction_one_side(x: tuple[str, str, str], y: tuple[str, str, str]) -> bool:
    """A direction one street writes and the other leaves out: "100 Main St" may be "100 N Main St" or
    "100 S Main St", two buildings on either side of the street's zero line. One direction written before the name
    on one side and after it on the other is written on both ("W Hero Way" / "Hero Way W")."""
    if (x[0], x[2]) == (y[2], y[0]):
        return False
    return any(bool(a) != bool(b) for a, b in ((x[0], y[0]), (x[2], y[2])))


def direction_unconfirmed(a: MatchRecord, b: MatchRecord) -> bool:
    """The two street addresses agree only if a direction written on one side only is the right one."""
    if a.address is None or b.address is None or not a.address.street or not b.address.street:
        return False
    return direction_one_side(street_parts(a.address.street), street_parts(b.address.street))


def type_written_into_name(x: tuple[str, str, str, str], y: tuple[str, str, str, str]) -> bool:
    """One street's type is written into the other's name, with another type after it: "Winding Way" / "Winding Way
    Dr", one street a listing typed twice. ``x`` and ``y`` are the streets as ``_split_street`` gives them."""
    (before_x, name_x, type_x, after_x), (before_y, name_y, type_y, after_y) = x, y
    if (before_x, after_x) != (before_y, after_y) or not type_x or not type_y:
        return False
    return f"{name_x} {type_x}" == name_y or f"{name_y} {type_y}" == name_x


def compare_address(a: MatchRecord, b: MatchRecord) -> str | None:
    """same (number and street) / same_street (a number missing) / other_number / different (another street).

    Another number on the same street is kept apart from "same_street": with both numbers known it is
    another building, the way sites of one organisation share its phone and name but not its address.
    """
    x, y = a.address, b.address
    if x is not None and y is not None and (x.box or y.box):
        return _compare_boxes(a, b)
    if x is None or y is None or not x.street or not y.street:
        return compare_parcels(a, b)
    if x.corner or y.corner:
        level = _compare_corners(x, y)
        if level == "different" and not (x.corner and y.corner) and a.entity_type == EntityType.community:
            # A community's entrance at a corner ("FM 1488 & Lone Cypress Ln") and its model home on a street inside
            # it: a community is a place, not a building, and its corner says nothing of the streets within.
            return None
        return level
    if not same_street(x.street, y.street):
        return None if route_beside_its_name(a, b) else "different"
    if x.number and y.number:
        return "same" if x.number == y.number else "other_number"
    return "same" if lot_on_its_street(a, b) else "same_street"


# The words of a route's name beside its number and a direction: "I-10 W", "US-59 S", "SH 249", "N Loop 610 W".
_ROUTE_WORDS = ROAD_WORDS | {"hwy", "state", "county", "farm", "market", "ranch", "beltway", "bus", "business", "tx"}


def numbered_route(street: str) -> bool:
    """A street written as a route's number alone: "i 10 w", "hwy 249", "fm 518"."""
    words = street.split()
    return any(w[0].isdigit() for w in words) and all(
        w in _ROUTE_WORDS or w in DIRECTIONS or _ROAD_NUMBER.fullmatch(w) for w in words
    )


def route_beside_its_name(a: MatchRecord, b: MatchRecord) -> bool:
    """One business's street address written by its route's number on one side and by the road's local name on the
    other, at one house number in one ZIP (or one town where a ZIP is missing): a dealer's "12345 Katy Fwy" and its
    licence's "12345 I-10 W", a store's "2800 Broadway St" and "2800 FM 518". No table says which names are which
    routes' in which towns, so the street says nothing either way: the name and the line decide."""
    x, y = a.address, b.address
    if a.entity_type != EntityType.builder or x is None or y is None or not x.street or not y.street:
        return False
    if not x.number or x.number != y.number or numbered_route(x.street) == numbered_route(y.street):
        return False
    named = y.street if numbered_route(x.street) else x.street
    if road_numbers(named):
        return False  # two routes' numbers, or a numbered street ("5th Ave"): two roads
    if a.postal_code and b.postal_code:
        return a.postal_code[:5] == b.postal_code[:5]
    return a.city_key is not None and a.city_key == b.city_key


def same_street(x: str, y: str) -> bool:
    """One street, however each writes it: a typo in its name, a direction or a type one side leaves out."""
    split_x, split_y = _split_street(x), _split_street(y)
    left, right = _parts(split_x), _parts(split_y)
    if another_type(split_x, split_y) or another_type(split_y, split_x):
        return False
    return (
        (
            left[1] == right[1]
            or (fuzz.ratio(left[1], right[1]) >= TYPO_RATIO and not another_word(left[1], right[1], street=True))
            or (len(left[1]) >= SWAPPED_NAME and neighbours_swapped(left[1], right[1]))
            or glued_direction(left, right)
        )
        and road_numbers(left[1]) == road_numbers(right[1])
        and directions_agree(left, right)
    ) or any(type_written_into_name(p, q) or suffix_left_out(p, q) for p, q in ((split_x, split_y), (split_y, split_x)))


def another_word(x: str, y: str, *, street: bool = False) -> bool:
    """Two names of as many words, one of which is another word in its place, not that word mistyped: "Volt
    Electric" / "Volta Electric", two firms; "Hollow Point" / "Hollow Pine" (``street``), two streets of a subdivision
    alike as a whole. A street's word with any one letter left out, added or changed is that word mistyped ("Limestone
    Idge"), as a name's is only inside it ("Lake" / "Blake" are two names)."""
    left, right = x.split(), y.split()
    return len(left) == len(right) and any(
        min(len(a), len(b)) >= TYPO_WORD - 1 and not _mistyped(a, b, street)
        for a, b in zip(left, right, strict=True)
        if a != b
    )


def _mistyped(a: str, b: str, street: bool) -> bool:
    """One word mistyped (``same_word``), one letter of it changed ("Jordon" / "Jordan"), or its plural; for a street,
    any one letter left out, added or changed."""
    if Levenshtein.distance(a, b) <= 1 and (street or len(a) == len(b)):
        return True
    return same_word(a, b) or a.rstrip("s") == b.rstrip("s")


# The shortest street name two of whose letters, swapped, are read as one name mistyped ("Braode" / "Broade").
SWAPPED_NAME = 4
# The street suffixes of USPS Publication 28 by their names, beyond the common types ``_split_street`` reads:
# subdivisions' "Cove", "Loop", "Canyon".
SUFFIX_NAMES = frozenset(STREET_SUFFIX_FORMS)


def another_type(x: tuple[str, str, str, str], y: tuple[str, str, str, str]) -> bool:
    """``x``'s name is ``y``'s with a street suffix after it ("Larkspur Meadow Cove") and ``y`` gives another, common
    type ("Larkspur Meadow Ln"): two streets of one name, not a long name mistyped. ``x`` and ``y`` as
    ``_split_street`` gives them; "Winding Way" / "Winding Way Dr" names its type twice, one street."""
    words = x[1].split()
    return (
        bool(y[2])
        and len(words) > 1
        and words[-1] in SUFFIX_NAMES
        and street_type(words[-1]) != y[2]
        and " ".join(words[:-1]) == y[1]
    )


def suffix_left_out(x: tuple[str, str, str, str], y: tuple[str, str, str, str]) -> bool:
    """``y``'s name is ``x``'s with a street suffix after it and neither gives a common type: "Hidden Canyon" /
    "Hidden Canyon Loop", one street a permit typed without its suffix, and mistyped too ("HIDEN CREEK" / "Hidden Creek
    Crossing"). ``x`` and ``y`` as ``_split_street`` gives them."""
    (before_x, name_x, type_x, after_x), (before_y, name_y, type_y, after_y) = x, y
    head, _, suffix = name_y.rpartition(" ")
    if type_x or type_y or not head or suffix not in SUFFIX_NAMES:
        return False
    alike = head == name_x or (fuzz.ratio(head, name_x) >= TYPO_RATIO and not another_word(head, name_x, street=True))
    return alike and directions_agree((before_x, "", after_x), (before_y, "", after_y))


def _compare_boxes(a: MatchRecord, b: MatchRecord) -> str | None:
    """Two post office boxes at one post office (one ZIP, or one town where a side gives no ZIP) are the same
    address when their numbers agree, and two holders' when they do not. A box against a street address says
    nothing (a business takes its mail at one and works at the other), nor do boxes at two post offices or at
    none known: every post office numbers its boxes from 1."""
    x, y = a.address.box if a.address else None, b.address.box if b.address else None
    if not x or not y:
        return None
    if a.postal_code and b.postal_code:
        one_post_office = a.postal_code == b.postal_code
    else:
        one_post_office = (
            a.city_key is not None and a.city_key == b.city_key and not (a.state and b.state and a.state != b.state)
        )
    if not one_post_office:
        return None
    return "same" if x == y else "different"


def _compare_corners(x: AddressKey, y: AddressKey) -> str:
    """A corner ("E 85th St & Lexington Ave") against a corner is the same place when both its streets agree, and
    another corner of one street ("E 85th St & Park Ave") when one does. Against a street address on one of its
    streets it is a house number missing."""
    mine = [s for s in (x.street, x.corner) if s]
    theirs = [s for s in (y.street, y.corner) if s]
    if len(mine) == len(theirs) == 2:
        (a, b), (c, d) = mine, theirs
        if (same_street(a, c) and same_street(b, d)) or (same_street(a, d) and same_street(b, c)):
            return "same"
    if not any(same_street(s, t) for s in mine for t in theirs):
        return "different"
    return "other_number" if len(mine) == len(theirs) == 2 else "same_street"


def addresses_disagree(level: str | None) -> bool:
    """Both street addresses known and not the same building: another site, whatever else agrees."""
    return level in ("other_number", "different")


def building_unit(unit: str | None) -> bool:
    """A unit of a building (Apt, Unit, #, Ste, Bldg), not a homesite's lot, which a listing gives beside the
    house number of a house that stands alone."""
    return unit is not None and unit != "" and not unit.startswith(HOMESITE)


def unit_on_one_side(a: MatchRecord, b: MatchRecord) -> bool:
    """One street address gives a unit of a building and the other none ("1200 Main St" / "1200 Main St #204"), or
    both the unit and one gives its building too ("Unit 1" / "Bldg D Unit 1": a complex's buildings at one street
    address number their units alike); not a lot on one side."""
    x = a.address.unit if a.address else None
    y = b.address.unit if b.address else None
    if x and y:
        return building_on_one_side(x, y)
    return building_unit(x) != building_unit(y)


def building_settled(a: MatchRecord, b: MatchRecord, units: frozenset[str]) -> bool:
    """Both give one unit and only one its building ("Unit 402" / "Bldg B Unit 402", a title company's building read
    from its legal description), and the files list that unit's number in no other building at the street address
    (``units``, the units either file gives there; unknown where none are given): no other home it could be."""
    x = a.address.unit if a.address else None
    y = b.address.unit if b.address else None
    if not units or not x or not y or not building_on_one_side(x, y):
        return False
    built, bare = (x, y) if "/" in x or lettered(x, y) else (y, x)
    return not any(unit not in (built, bare) and building_on_one_side(unit, bare) for unit in units)


def units_differ(a: MatchRecord, b: MatchRecord) -> bool:
    """Both street addresses give a unit of a building, and not the same one ("Ste 1105" / "Ste 9203"): two
    premises of one building, a mall's or an office tower's."""
    x = a.address.unit if a.address else None
    y = b.address.unit if b.address else None
    return building_unit(x) and building_unit(y) and x != y and not building_on_one_side(x or "", y or "")


def compare_unit(a: MatchRecord, b: MatchRecord) -> str | None:
    """same / one_side (a unit on one side only) / different; None when neither has a unit. A home known by its lot
    alone ("Lot 9 Sable Ridge Ln") against a numbered one whose list gives its lot apart compares the lots."""
    x = a.address.unit if a.address else None
    y = b.address.unit if b.address else None
    if placed_by_parcels(a, b):
        return None  # the lot was compared as the home's place (compare_parcels): one fact, counted once
    if (lots := compare_lots(a, b)) is not None:
        return None if lots == "same" and two_subdivisions(a, b) else lots
    if not x and not y:
        return None
    if not x or not y or building_on_one_side(x, y):
        return "one_side"
    if unit_key(x) != unit_key(y) or parcels_differ(a, b):
        return "different"
    # One lot's number in two plats both lists name (a survey's tract 6 and another survey's on one county road) says
    # nothing: every plat has its lot 6.
    return None if not (building_unit(x) and building_unit(y)) and two_subdivisions(a, b) else "same"


def compare_parcels(a: MatchRecord, b: MatchRecord) -> str | None:
    """same / different: two homes, one giving no street address (a deed known by its legal description, a home not
    yet addressed), each known by its plat, lot and block: "LT 11 BLK 2 SABLE CREEK SEC 4" is the builder's lot 11 of
    block 2 in Sable Creek section 4; another section's lot 11 is another home. None where either lacks one, or the
    subdivisions' names are not one (a builder's marketing name may not be its plat's: no evidence either way)."""
    x, y = a.extra.get("plat"), b.extra.get("plat")
    if x is None or y is None or not x.named_alike(y):
        return None  # every business's and community's pair missing a street address, at once
    lot_x, lot_y = a.homesite or lot_alone(a), b.homesite or lot_alone(b)
    if lot_x is None or lot_y is None:
        return None
    return "same" if lot_x == lot_y and not parcels_differ(a, b) else "different"


def placed_by_parcels(a: MatchRecord, b: MatchRecord) -> bool:
    """A side gives no street, and the homes' parcels are compared instead of their street addresses
    (``compare_parcels``); or the lot is on its street (``lot_on_its_street``)."""
    no_street = any(r.address is None or not r.address.street for r in (a, b))
    return (no_street and compare_parcels(a, b) is not None) or lot_on_its_street(a, b)


def lot_on_its_street(a: MatchRecord, b: MatchRecord) -> bool:
    """One home known by its street and its lot with no house number yet (an appraisal roll's "0 Cypress Bend Dr"
    beside its legal description's lot 4), the other numbered on that street, the parcels one (``compare_parcels``):
    the lot on its street is the home, as much as the lot alone is where no street is given, so the pair's street
    address is "same" (``compare_address``), the lot counted there and not again as its unit."""
    x, y = a.address, b.address
    if x is None or y is None or not x.street or not y.street or (x.number and y.number) or x.box or y.box:
        return False
    return not (x.corner or y.corner) and same_street(x.street, y.street) and compare_parcels(a, b) == "same"


def blocks_differ(a: MatchRecord, b: MatchRecord) -> bool:
    """Both homes' blocks are known and not the same: lot 1 of block C and lot 1 of block D are two homes, since a plat
    numbers its lots block by block. A block given on one side only says nothing."""
    x, y = a.extra.get("block"), b.extra.get("block")
    return x is not None and y is not None and x != y


def parcels_differ(a: MatchRecord, b: MatchRecord) -> bool:
    """Two homes' lots of one number lie in two blocks, or in two sections of one subdivision both name ("LT 11 BLK 1
    CEDAR HOLLOW SEC 1" / a builder's "Cedar Hollow Sec 2"): a plat numbers its lots block by block, section by
    section."""
    x, y = a.extra.get("plat"), b.extra.get("plat")
    return blocks_differ(a, b) or (x is not None and y is not None and x.named_alike(y) and x.sections_differ(y))


def lots_differ(a: MatchRecord, b: MatchRecord) -> bool:
    """Two numbered homes whose lists give each its lot and one block of one subdivision, and two lots: a replat moved
    the house numbers, and a row still writing the old number is the lot it names, not its neighbour's point at that
    number. A lot beside a house number weighs nothing (a builder's lot may be its own numbering); one block of one
    plat says the lots are the plat's. So do two blocks, or two sections of one subdivision both name
    (``parcels_differ``): a deed's "2110 Heron Ridge" in block 2 is not block 1's across the street. So do two
    subdivisions under two ZIPs (``plats_apart``)."""
    if not _both_numbered(a, b):
        return False
    if parcels_differ(a, b) or plats_apart(a, b):
        return True
    if a.homesite is None or b.homesite is None or a.homesite == b.homesite:
        return False
    block = a.extra.get("block")
    return block is not None and block == b.extra.get("block") and one_subdivision(a, b)


def plats_apart(a: MatchRecord, b: MatchRecord) -> bool:
    """Two homes whose lists name two subdivisions (``two_subdivisions``) and give two ZIPs: a street's name reused in
    two subdivisions of one town, "12310 Magnolia Bend Dr" in Cinco Ranch Southwest (Katy 77494) and in Tamarron (Katy
    77493). Either alone may be a list's slip; both say two places."""
    return bool(a.postal_code and b.postal_code) and a.postal_code != b.postal_code and two_subdivisions(a, b)


def _both_numbered(a: MatchRecord, b: MatchRecord) -> bool:
    """Both homes' street addresses give a house number."""
    return all(r.address is not None and r.address.number for r in (a, b))


def two_subdivisions(a: MatchRecord, b: MatchRecord) -> bool:
    """Both homes' lists name their subdivisions, and not one however written (``Plat.written_as``: "SCR" and
    "Marbella" for a ledger's Shadow Creek Ranch and Mar Bella) nor one master plan's two names (``one_plan_named``)."""
    x, y = a.extra.get("plat"), b.extra.get("plat")
    return (
        a.entity_type == EntityType.property
        and x is not None
        and y is not None
        and not x.written_as(y)
        and not one_plan_named(a, b)
    )


def one_subdivision(a: MatchRecord, b: MatchRecord) -> bool:
    """Both homes' lists name their subdivision, and name one (``Plat.named_alike``, no two sections): at one street
    address, it places the pair as a town would, where a tour guide or a feed leaves the town out."""
    x, y = a.extra.get("plat"), b.extra.get("plat")
    return x is not None and y is not None and x.named_alike(y) and not x.sections_differ(y)


def compare_lots(a: MatchRecord, b: MatchRecord) -> str | None:
    """same / different: one home is known by its lot alone, no house number given ("Lot 9 Sable Ridge Ln", a listing's
    "0 Sable Ridge Ln" beside its legal description), and the other, numbered, by its lot given apart
    (``MatchRecord.homesite``). None otherwise."""
    for lone, numbered in ((a, b), (b, a)):
        lot = lot_alone(lone)
        if lot is not None and numbered.homesite and numbered.address and numbered.address.number:
            return "same" if lot == numbered.homesite and not parcels_differ(a, b) else "different"
    return None


def lot_alone(record: MatchRecord) -> str | None:
    """The lot's number of a home known by its lot, with no house number; None for any other."""
    address = record.address
    if address is None or address.number or not address.unit or building_unit(address.unit):
        return None
    return homesite_parts(address.unit)[0]


_LETTERED_BUILDING = re.compile(r"([a-z])/(\d+[a-z]?)")


def unit_key(unit: str) -> str:
    """A unit as compared with another: a lettered building's unit with the letter run into it, as listings write
    it ("Bldg B Unit 203", "B-203", "Unit B203" are one unit). A numbered building's stays apart: "1/204" is not
    unit 1204. A lot beside a street address is its space: a manufactured home park's roster writes "Lot 12", the
    county's roll "SPC 12"."""
    if unit.startswith(HOMESITE):
        return homesite_parts(unit)[0]  # its block compared apart (``blocks_differ``)
    lettered = _LETTERED_BUILDING.fullmatch(unit)
    return lettered.group(1) + lettered.group(2) if lettered else unit


def building_on_one_side(x: str, y: str) -> bool:
    """One listing gives the building and the unit ("4/101", or its letter before the number, "B-3"), the other the
    unit alone ("101", "3"): the building is known on one side only."""
    return x.endswith(f"/{y}") or y.endswith(f"/{x}") or lettered(x, y) or lettered(y, x)


def lettered(x: str, y: str) -> bool:
    """``x`` is the unit number ``y`` with its building's letter before it ("b3" / "3")."""
    return y.isdigit() and len(x) == len(y) + 1 and x[0].isalpha() and x[1:] == y


def compare_city(a: MatchRecord, b: MatchRecord) -> str | None:
    """same / other_city (same or unknown state) / other_state; state alone when no city is known.

    None when both ZIPs are known: the ZIP is the finer place, and one place must not count twice. Not a Canadian or
    a British postal code, which the ZIP table does not place: the towns are compared too (Gatineau, QC / Ottawa, ON).
    """
    if us_zip(a.postal_code) and us_zip(b.postal_code):
        # Two states are still two: a community of one name in Georgia and in Texas is two, not a ZIP apart. Not one
        # metro area across a state line (Charlotte's Fort Mill).
        x, y = placed_state(a), placed_state(b)
        return "other_state" if x and y and x != y and not one_metro_area(a, b) else None
    other_state = a.state is not None and b.state is not None and a.state != b.state
    if a.city and b.city:
        if a.city_key == b.city_key and not other_state:
            return "same"
        if not other_state and one_town(a, b):
            return "same"
        if not other_state and towns_of_one_town_s_zip(a, b):
            return None
        if other_state:
            return "other_state"
        if city_and_namesake(a.city, b.city):
            return None
        if a.entity_type != EntityType.builder and neighbouring_towns(a, b):
            # A place's listing names its town, its neighbour or the name it is sold under ("Spokane" for Spokane
            # Valley): no evidence either way. A business's city is where it is. Not two homes whose lists name two
            # subdivisions, as with two ZIPs (``places.one_building_two_zips``): "1516 Tidewater Dr" in League City's
            # Bellmont Park and in Friendswood's Orchard Glen are two.
            return "other_city" if two_subdivisions(a, b) else None
        if a.entity_type == EntityType.community and near_the_towns_edge(a, b):
            return None  # a community sold under the city at whose edge it lies ("Houston" for Spring's)
        if known_town(a) != known_town(b):
            # A US town's name beside a name no US town goes by: a neighbourhood a guide files a restaurant under
            # ("Hyde Park" for Austin), or a town mistyped; no other town.
            return None
        return "other_city"
    if a.state and b.state:
        return "other_state" if other_state else None
    return None


def county_agrees(a: MatchRecord, b: MatchRecord) -> bool:
    """A community placed by its county where one side gives no town: a state's association or plat register names
    the county alone, which the other's town or ZIP lies in. A county is no place to disagree on: a ZIP's county in the
    table is the one most of it lies in, and many ZIPs cross a county line."""
    return (
        a.entity_type == EntityType.community
        and not (a.city and b.city)
        and bool(a.extra.get("county") or b.extra.get("county"))
        and one_county(a, b)
    )


def placed_by_county(name_level: str | None, a: MatchRecord, b: MatchRecord) -> bool:
    """A county is a town's agreement only beside one name (``one_place_named``); a county holds many communities
    whose names share a word, which it would send for review."""
    return one_place_named(name_level, a, b) and county_agrees(a, b)


def one_place_named(name_level: str | None, a: MatchRecord, b: MatchRecord) -> bool:
    """Two communities' names are one name written two ways, where a place they share says which of two namesakes is
    meant, or one name and a plat of it (a county's plat list's "Cottonwood Estates Ph 1", a builder's "Cottonwood
    Estates")."""
    return name_level in (*ONE_NAME, "plat") or (name_level == "similar" and _a_plat_of(a.name_norm, b.name_norm))


def _a_plat_of(a: NormalizedName, b: NormalizedName) -> bool:
    """One name is the other's with a section's, a phase's or a lot width's number after it ("Mesquite Falls
    Section 1", "Pinto Ridge 45'"), its words mistyped too (a register's "FLACON PARK SEC 9" of "Falcon Park")."""
    short, long_ = sorted((a.core.split(), b.core.split()), key=len)
    return (
        0 < len(short) < len(long_)
        and all(same_word(x, y) for x, y in zip(short, long_, strict=False))
        and _number_on_one_side(long_[len(short) :], short)
    )


def one_town(a: MatchRecord, b: MatchRecord) -> bool:
    """Two city names of one town: one listing names the town, the other its ZIP and a name of the town's part
    ("Hollywood" / "Los Angeles 90028", "Astoria" / "Queens 11103"); or, where neither gives a ZIP to say, one ZIP
    goes by both names ("Manhattan" / "New York", "Hollywood" / "Los Angeles")."""
    if town_of_zip(a.city_key, b.postal_code) or town_of_zip(b.city_key, a.postal_code):
        return True
    if a.postal_code or b.postal_code or not (a.city_key and b.city_key):
        return False
    return one_town_by_name(a.city_key, b.city_key, a.state or b.state)


def towns_of_one_town_s_zip(a: MatchRecord, b: MatchRecord) -> bool:
    """Two towns that one ZIP goes by, neither record giving a ZIP (``places.towns_of_one_zip``)."""
    if a.postal_code or b.postal_code or not (a.city_key and b.city_key):
        return False
    return towns_of_one_zip(a.city_key, b.city_key, a.state or b.state)


def city_and_namesake(x: str, y: str) -> bool:
    """One city's name is the other's with "city" after it: "New York City" and "New York" are one city, "Union
    City" and "Union" two neighbours. Neither agreement nor disagreement: compared as unknown."""
    return x != y and city_stem(x) == city_stem(y)


def city_stem(city: str) -> str:
    """The city's name without "city" after it ("new york city" -> "new york")."""
    return city.removesuffix(" city")


def street_as_written(a: MatchRecord, b: MatchRecord) -> int:
    """3 where two records write one house number, street and unit; 2 where they write one house number and street,
    its type too; 1 where one of them gives the street no type: between candidates of one match weight, "2128
    Bluebonnet Ct" comes before a permit's typeless "2128 BLUEBONNET", and that before its sister street's "2128
    Bluebonnet Dr" (held for review on the street types), whichever writes the ZIP alike; a stylist's licence at
    "STE 106" of a salon-suites building before the studio listed at its Suite 131."""
    if a.address is None or b.address is None or not a.address.street or not b.address.street:
        return 0
    if a.address.number != b.address.number:
        return 0
    if a.address.street == b.address.street:
        return 3 if a.address.unit and a.address.unit == b.address.unit else 2
    x, y = _split_street(a.address.street), _split_street(b.address.street)
    return int((x[0], x[1], x[3]) == (y[0], y[1], y[3]) and not (x[2] and y[2]))


def lot_as_written(a: MatchRecord, b: MatchRecord) -> bool:
    """Two numbered homes whose lists give each its lot apart (``MatchRecord.homesite``) give one lot, in no two blocks
    or sections: between candidates of one match weight, the parcel a feed's lot names comes before an association's
    reserve an appraisal roll gives the situs of the lot beside it. A lot is not weighed beside a house number (a
    builder's lot numbers are often its own, not the plat's), so it only ranks."""
    return _both_numbered(a, b) and a.homesite is not None and a.homesite == b.homesite and not parcels_differ(a, b)


def place_as_written(a: MatchRecord, b: MatchRecord) -> int:
    """How many of the ZIP and the town two records write alike: between candidates of one match weight, the one
    placed as written comes first. A home at "213 Hickory Nut Way, Georgetown 78626" has its twin there and a
    namesake in neighbouring Leander, both at one weight, since a neighbouring town and its ZIP are no disagreement
    under one street address (``places.one_building_two_zips``)."""
    return int(a.postal_code is not None and a.postal_code == b.postal_code) + int(
        a.city_key is not None and a.city_key == b.city_key
    )


def compare_postal(a: MatchRecord, b: MatchRecord) -> str | None:
    if not a.postal_code or not b.postal_code:
        return None
    return "same" if a.postal_code == b.postal_code else "different"


DISTANCE_BANDS_KM = ((0.2, "within_0_2km"), (2.0, "within_2km"), (10.0, "within_10km"), (50.0, "within_50km"))


def distance_km(a: MatchRecord, b: MatchRecord) -> float | None:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def compare_distance(a: MatchRecord, b: MatchRecord) -> str | None:
    km = distance_km(a, b)
    if km is None:
        return None
    return next((level for limit, level in DISTANCE_BANDS_KM if km <= limit), "farther")


Comparison = Callable[[MatchRecord, MatchRecord], str | None]


def _compare_names(a: MatchRecord, b: MatchRecord) -> str | None:
    if not (a.extra.get("titled", True) and b.extra.get("titled", True)):
        return None  # a home named by its street address: the address is compared on its own
    level = compare_name(a.name_norm, b.name_norm, a.entity_type)
    if level != "exact" and (a.other_names or b.other_names):
        level = best_name_level(a, b, level)
    if level == "different" and one_person(a, b):
        return None  # a sole proprietor's own name beside the name he trades under says nothing either way
    if level not in (None, *ONE_NAME) and one_person(a, b) and not person_named_whole(a, b):
        # His surname alone in a business's name is no name of his: "GARCIA, LUIS L" beside "Garcia's Bakery".
        return None
    return "different" if two_people(a, b, level) else level


def person_named_whole(a: MatchRecord, b: MatchRecord) -> bool:
    """The one of the two that is a person licensed under his own name (``one_person``) is named in the other's name
    by his first and last names: "MITCHELL, EDGAR E" in "Edgar Mitchell Roofing"; or the other names no more than his
    words and initials ("MITCHELL, R", his initial)."""
    person, business = (a, b) if a.extra.get("proprietor") else (b, a)
    words = [w for w in person.name_norm.tokens if len(w) > 1]
    theirs = {w.removesuffix("s") for w in business.name_norm.tokens} | set(business.name_norm.tokens)
    own = [w for w in business.name_norm.tokens if len(w) > 1 and w not in words and w.removesuffix("s") not in words]
    return not own or (len(words) >= 2 and all(w in theirs for w in words))


def one_person(a: MatchRecord, b: MatchRecord) -> bool:
    """One record is a person licensed under his own name, surname first ("YBARRA, KEVIN M", a sales tax permit's
    outlet named after its owner), the other a business: the owner's name is no other business's name. Not a
    practitioner a provider register names by first and last name at a group's site: one of its people."""
    return bool(a.extra.get("proprietor")) != bool(b.extra.get("proprietor"))


# The name levels at which two people's names may share a surname alone.
SURNAME_LEVELS = frozenset({"similar", "overlap"})


def two_people(a: MatchRecord, b: MatchRecord, level: str | None) -> bool:
    """Both records are people licensed under their own names, surname first ("MITCHELL, RONNIE B" / "Mitchell, Luis
    A"), whose first names are two: a father's and a son's licences share a surname and no name."""
    if level not in SURNAME_LEVELS or not (a.extra.get("person") and b.extra.get("person")):
        return False
    if not (a.name_norm.tokens and b.name_norm.tokens):
        return False
    x, y = a.name_norm.tokens[0], b.name_norm.tokens[0]
    if min(len(x), len(y)) == 1:
        return x[0] != y[0]  # an initial is the first name's
    return not same_word(x, y)


# The levels at which another of a business's names agrees with the other's name (``best_name_level``); a
# community's former name agrees with a section of it too ("RED OAK RESERVE" Ph 13, "fka Red Oak Reserve").
OTHER_NAME_LEVELS = ("exact", "typo")
OTHER_PLACE_NAME_LEVELS = (*OTHER_NAME_LEVELS, "plat")


def best_name_level(a: MatchRecord, b: MatchRecord, level: str | None) -> str | None:
    """The closest level of any of a business's names against the other's name (``MatchRecord.names``): a licence's
    legal name, "Prairie Building Group", is the directory's "Ivey Fine Homes" by its alternate names. Not one's other
    name against the other's: a legal name two outlets share is their owner's ("MERIDIAN HOTEL COLUMBUS LLC" of
    "Harlow Kitchen" and of "Skyline Lounge"), and so, often, are a legal name's words ("... HOSPITALITY GROUP LLC").
    Another name counts where it is the name written again ("exact", "typo"): one that agrees only at its core is
    often a holding company's surname ("GARCIA HOLDINGS LLC", owner of Redhawk Homes, beside "Garcia Custom Homes").
    A person's whole name, first and last, contained in the other's counts too: a sole proprietor's licence,
    "MITCHELL, EDGAR E", and the business he named for himself, "Edgar Mitchell Roofing".
    ``level``: the two names' own. A business's levels ("variant" is a place's) are ranked as listed."""
    rank = LEVELS["name"]
    agreeing = OTHER_PLACE_NAME_LEVELS if a.entity_type == EntityType.community else OTHER_NAME_LEVELS
    for x in a.names:
        for y in b.names:
            if (x is a.name_norm) == (y is b.name_norm):
                continue  # the names themselves (``level``), or two other names
            found = compare_name(x, y, a.entity_type)
            if found in ("contained", "core") and _persons_name_in(x, a, y, b):
                # The person's whole name in the business's, with a word of its kind or its own beside it: "Edgar
                # Mitchell Roofing", "Edgar Mitchell Builders" (his name its core).
                found = "contained"
            elif found not in agreeing:
                continue
            if level is None or rank.index(found) < rank.index(level):
                level = found
    return level


def _persons_name_in(x: NormalizedName, a: MatchRecord, y: NormalizedName, b: MatchRecord) -> bool:
    """One of the two names is a person's other name (``records._other_names``), first and last, every word of it
    in the other's."""
    return any(
        key in record.extra.get("persons_names", ()) and len(words) >= 2 and set(words) <= set(other)
        for key, words, record, other in ((x.key, x.tokens, a, y.tokens), (y.key, y.tokens, b, x.tokens))
    )


COMPARISONS: dict[str, Comparison] = {
    "name": _compare_names,
    "phone": compare_phone,
    "website": compare_website,
    "address": compare_address,
    "unit": compare_unit,
    "city": compare_city,
    "postal_code": compare_postal,
    "distance": compare_distance,
}
# The name levels of one name written two ways.
ONE_NAME = ("exact", "core", "typo")
# Every field's levels, most similar first (the order the model's parameters list them in).
LEVELS: dict[str, tuple[str, ...]] = {
    "name": ("exact", "core", "typo", "contained", "plat", "variant", "similar", "overlap", "different"),
    "phone": ("same", "different"),
    "website": ("same", "different"),
    "address": ("same", "same_street", "other_number", "different"),
    "unit": ("same", "one_side", "different"),
    "city": ("same", "other_city", "other_state"),
    "postal_code": ("same", "different"),
    "distance": (*(level for _limit, level in DISTANCE_BANDS_KM), "farther"),
}


def compare(a: MatchRecord, b: MatchRecord, fields: tuple[str, ...]) -> dict[str, str | None]:
    """Each field's level for the pair (None: a value is missing).

    A ZIP shared by two records at the same street address is implied by the address (one building has
    one ZIP): it is left out, so one place does not count twice. So are two ZIPs of one town or of neighbours
    there (``places.one_building_two_zips``): one building's ZIP mistyped, or given for the post office across
    the street, which counted against them sank a listing's twin (-9.9 bits). A ZIP that differs elsewhere
    still counts: the same number and street in another town is another building.
    """
    levels = {name: COMPARISONS[name](a, b) for name in fields}
    if levels.get("address") not in (None, "same") and (a.extra.get("mailing") or b.extra.get("mailing")):
        # A licensee's mailing address, the only one its board gives: its owner's house, a box or its accountant's
        # office as often as its own. Agreeing it places the business; another street says nothing.
        levels["address"] = None
    if levels.get("city") == "other_city" and levels.get("postal_code") == "same":
        # One postal code under two town names (a Canadian one, which the ZIP table does not place): a former borough
        # or a community beside its city, "Scarborough" / "Toronto" at M1P 4P5.
        levels["city"] = None
    if "city" in levels and levels["city"] is None and placed_by_county(levels.get("name"), a, b):
        levels["city"] = "same"
    elif (
        "city" in levels
        and levels["city"] is None
        and a.entity_type == EntityType.community
        and (counties_apart(a, b) or zips_apart(a, b))
    ):
        # A county's namesake 300 km away, or a ZIP's in another metro area (``places.counties_apart``, ``zips_apart``)
        levels["city"] = "other_city"
    if levels.get("address") == "same" and (
        levels.get("postal_code") == "same"
        or (levels.get("postal_code") == "different" and one_building_two_zips(a, b))
    ):
        levels["postal_code"] = None
    elif (
        a.entity_type == EntityType.builder
        and levels.get("postal_code") == "different"
        and "city" in levels
        and levels.get("address") is None
        and one_town_two_zips(a, b)
    ):
        # No street address to place the two (a home-based business lists its town alone): the town agrees. Beside
        # two numbers of a street, a ZIP apart is another stretch of a long road.
        levels["postal_code"], levels["city"] = None, "same"
    if (
        a.entity_type == EntityType.community
        and levels.get("postal_code") == "different"
        and levels.get("address") is None
        and (neighbouring_towns(a, b) or zip_of_another_town(a, b))
    ):
        # A community spans its ZIPs, and a builder's sales office is in the next one: a utility's plat of "STERLING
        # RIDGE SEC 1" at 77406 and the builder's page at its office's 77407. Like its neighbouring town, no evidence
        # where no street address is compared (beside two numbers of a street, a ZIP apart is another stretch of it).
        # Nor is a ZIP keyed into another town's where both write one town (``places.zip_of_another_town``).
        levels["postal_code"] = None
        if (
            "city" in levels
            and levels["city"] is None
            and one_town_written(a, b)
            and one_place_named(levels.get("name"), a, b)
        ):
            # The town both write agrees beside one name, the one place said: an MLS's "Clearwater Ridge Sec 7" in
            # Pearland 77584 beside the builder's page for it in Pearland 77581 had no place agreeing at all. Beside
            # names sharing a word, a town holds many communities.
            levels["city"] = "same"
    return levels


def one_town_written(a: MatchRecord, b: MatchRecord) -> bool:
    """Both records write one town, under one name or two of it (``one_town``)."""
    return bool(a.city and b.city) and (a.city_key == b.city_key or one_town(a, b))


# What one building has one of, and the levels at which two records share it: beside the same street address
# these are implied by it. Coordinates within 2 km of each other are where a geocoder puts one street address.
IMPLIED_BY_ADDRESS = {
    "postal_code": ("same",),
    "city": ("same",),
    "distance": ("within_0_2km", "within_2km"),
}


# What two records within 2 km of each other share with most neighbours: the ZIP and the town say little more. Counted
# beside the coordinates, they made two houses of one subdivision on two streets a pair to review (+4.3 bits for the
# ZIP, +9.2 for being within 200 m, against -6.6 for the street addresses).
IMPLIED_BY_CLOSENESS = {"postal_code": ("same",), "city": ("same",)}
CLOSE = ("within_0_2km", "within_2km")


def without_implied_places(levels: dict[str, str | None]) -> dict[str, str | None]:
    """The levels a pair is scored on: a ZIP, a city or close coordinates shared beside the same street address
    are left out, so one place does not count twice; so are a ZIP and a city shared by records within 2 km of each
    other, a unit beside two street addresses that disagree, and a home's closeness to its neighbour on its street
    at another number. With the city counted, "Galleria Nails" / "Galleria Dental" at one mall's address with two
    phones were linked, and waited for review when the listings gave ZIPs instead; with the coordinates counted, two
    units of one building, "4100 Harbor View Ct Unit 102" and "Unit 104", were linked (+9.2 bits for being within
    200 m, against -9.8 for the units). A place that differs still counts: the same number and street in another
    town is another building.

    Estimation (`linkage.level_matrix`) leaves out only the ZIP (`compare`): among random pairs the city is what
    tells one site listed twice from two sites, so the u-probabilities can leave such duplicates out. The holds
    (`scorer.held_back`) read the levels as compared: close coordinates still place a pair.
    """
    if levels.get("address") == "same":
        return {name: None if level in IMPLIED_BY_ADDRESS.get(name, ()) else level for name, level in levels.items()}
    scored = dict(levels)
    if levels.get("distance") in CLOSE:
        scored.update({name: None for name, level in levels.items() if level in IMPLIED_BY_CLOSENESS.get(name, ())})
    if addresses_disagree(levels.get("address")) and levels.get("unit") is not None:
        # A unit names a part of its building: beside two buildings, "Unit A" and "Unit A" are two homes' letters.
        scored["unit"] = None
    if levels.get("address") == "other_number" and "unit" in levels and levels.get("distance") in CLOSE:
        # A home's neighbour on its street, at another number, is near it as every house on the street is (only homes
        # compare units). Counted, the coordinates made the house next door a pair to review (+9.2 bits against -2.3
        # for the number).
        scored["distance"] = None
    return scored
