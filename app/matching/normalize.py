"""Normalized forms of the signals the matcher compares: names, websites, phones, addresses, places."""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from urllib.parse import urlsplit

import phonenumbers
import tldextract
import usaddress
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from app.matching.street_suffixes import STREET_SUFFIX_FORMS

# Bundled suffix list only: matching must never reach the network.
_TLD = tldextract.TLDExtract(suffix_list_urls=())

# A professional firm's ("PLLC", "PLC", "PA", "PSC" of a dental or a medical practice) among them, and a
# professional's degree after a name ("Carlos Young, DMD"): two dentists of one practice share it and no more.
LEGAL_SUFFIXES = frozenset(
    {"llc", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "lp", "llp", "lllp",
     "plc", "pc", "pllc", "pa", "psc", "dds", "dmd", "md", "dvm", "od", "phd", "cpa", "esq",
     # Canada's and Quebec's: "Ltée", "S.E.N.C.", "enr." (a registered sole proprietorship), an unlimited company.
     "ltee", "limitee", "senc", "sencrl", "enr", "ulc",
     # A national bank's "N.A." (National Association): "CITIBANK, N.A." is "Citibank".
     "na",
     # An architect's, an engineer's, a planner's or a counsellor's credentials after a name ("Amy Lam, AIA, LEED AP",
     # "John Smith, PE"), as a member directory lists its members.
     "aia", "faia", "leed", "ap", "pe", "ncarb", "asla", "asid", "cfp", "rn", "lcsw", "lpc", "dpt"}
)  # fmt: skip
# Articles and the like, in English, French and Spanish ("Les Habitations Lacroix", "Panaderia La Reyna").
FILLER_WORDS = frozenset({"the", "of", "at", "in", "a", "an", "le", "la", "les", "el", "los", "las"})
# Of them, those that are surnames too (Vietnamese "Le", "La").
SURNAME_ARTICLES = frozenset({"le", "la"})
# A community's townhomes: a rental community's kind, or a builder's product line beside its lot widths.
TOWNHOME_WORDS = frozenset({"townhomes", "townhome", "townhouses", "townhouse"})
# Words that name the kind of business rather than the business: "Perry Homes" is "Perry" the builder.
# Dropped only from the core name, and only when something else remains ("Homes Inc" stays "homes").
GENERIC_WORDS = {
    # Builders, and the businesses a partner file may list under them (restaurants, shops, services).
    "builder": frozenset(
        {
            "home",
            "builder",
            "construction",
            "custom",
            "group",
            # Quebec's builders: "Les Habitations Lacroix", "Maisons Bérubé", "Groupe Immobilier Beaulieu".
            "habitations",
            "habitation",
            "maisons",
            "maison",
            "constructions",
            "groupe",
            "residential",
            "homebuilder",
            "building",
            "development",
            "company",
            "restaurant",
            # A shop's kind in Spanish, as a licence list writes it beside a map's English ("Joyeria Rangel" /
            # "Rangel Jewelry", "Panaderia La Reyna" / "La Reyna Bakery").
            "panaderia",
            "taqueria",
            "carniceria",
            "joyeria",
            "jewelry",
            "llantera",
            "tires",
            "taller",
            "mecanico",
            "cafe",
            "deli",
            "delicatessen",
            "bar",
            "grill",
            "bistro",
            "diner",
            "eatery",
            "bakery",
            "pizzeria",
            "store",
            "shop",
            "service",
            "services",
            "enterprises",
            "holdings",
            "associates",
            "agency",
            # A law firm's words for itself: "SJL Law" is Sanchez Jacobs & Lowe.
            "law",
            "attorneys",
            "lawyers",
            # A senior community's kind of care, as a licence register writes it beside a referral site's name
            # ("FOX RUN SR LIVING" / "Fox Run Commons", "ROSEWOOD CARE CENTER" / "Rosewood Nursing & Rehabilitation
            # Center", "CARRIAGE COURT ALF").
            "senior",
            "living",
            "assisted",
            "alf",
            "facility",
            "nursing",
            "skilled",
            "rehabilitation",
            "rehab",
            # A brewery's, a winery's and a distillery's words for themselves: "Cedar Beer Company" is the permit's
            # "CEDAR BREWING LLC", "Voss Winery" its "VOSS VINEYARDS LLC".
            "brewing",
            "brewery",
            "brewhouse",
            "beer",
            "taproom",
            "winery",
            "vineyard",
            "vineyards",
            "cellars",
            "wines",
            "distillery",
            "distilling",
            # A home improvement chain's: "Lowe's Home Improvement" is the permit's "LOWE'S HOME CENTERS #1234".
            "improvement",
            # A campground's: "Lost Pines RV Resort" is the permit's "LOST PINES RV PARK".
            "rv",
            "campground",
            "campgrounds",
            "kampground",
        }
    ),  # fmt: skip
    # A builder's product line in a community ("Parkside Collection", "Meadow Series", "60' Homesites") is named by
    # its other words.
    "community": frozenset(
        {
            "community",
            "hoa",
            "master",
            "planned",
            "association",
            "homeowner",
            "owner",
            "poa",
            "neighborhood",
            "homesite",
            "homesites",
            "collection",
            "series",
            # A condominium's kind, which a federal approval list writes around its name ("CONDOMINIUM OF LIGHTHOUSE
            # ROW", "Harbor Point, A Condominium") and a marketplace leaves out.
            "condominium",
            "condominiums",
            "condo",
            "condos",
            # An apartment community's kind, which a register writes "APTS" and a listing site leaves out.
            "apartments",
            "apartment",
            "apts",
            "apt",
            # A rental community's, as listing sites add it ("Avilla Parkside Townhomes", "... Rental Homes",
            # "Summit Ridge Apartment Homes", "Avana Carrollwood Luxury Apartments").
            "home",
            "luxury",
            "rentals",
            "rental",
            # A builder's product in a community as a Canadian listing names it ("Riverside Towns", "... Semis",
            # "Freehold Singles"), and a plat's word for itself.
            "towns",
            "semis",
            "singles",
            "freehold",
            "detached",
            "subdivision",
            "subd",  # a title company's or a county's "HERITAGE PK PH 9 SUBD"
            "pud",  # a planned unit development, as a lender's or a county's list writes it ("STONE RIDGE PUD")
        }
    )
    | TOWNHOME_WORDS,  # fmt: skip
    "property": frozenset(),
}
# Words that tell two similarly named communities apart ("Cinco Ranch" vs "Cinco Ranch West"), and the words of a
# master plan's sites where no home stands, which a county's plat list names after the plan ("Towne Lake Amenity
# Center", "Towne Lake Lift Station", "... Commercial Reserve").
DISTINGUISHING_WORDS = frozenset(
    {"north", "south", "east", "west", "upper", "lower", "new", "old", "village", "villages", "park", "lakes",
     "lake", "estates", "heights", "crossing", "trails", "trail", "hills", "ridge", "meadows", "reserve",
     "preserve", "landing", "point", "grove", "springs", "creek", "ii", "iii", "iv", "section", "phase",
     "amenity", "amenities", "clubhouse", "recreation", "commercial", "retail", "detention", "drainage", "lift",
     "utility", "utilities", "restricted", "dedication"}
)  # fmt: skip
# The words a builder's product line in a community ends with ("Watermill Collection", "Meadow Series").
PRODUCT_LINE_WORDS = frozenset({"collection", "series", "homesite", "homesites"})
# The kinds of room or counter a business's name may say it is, each as one word ("Delicatessen" is a deli, a
# "Pub" a bar). Two names saying two kinds ("Ritz-Carlton Cafe" / "Ritz-Carlton Dining Room") are two places of one
# owner, often at one address with one switchboard number: scorer.held_back holds such a pair for review. Words
# for a restaurant's style or the whole of it ("Restaurant", "Steakhouse", "Trattoria") are not among them:
# listings call one place "Dakota's Steakhouse" and "Dakota's Restaurant", "Cafe Bella Roma" and "Trattoria
# Bella Roma".
#
# And the trades a builder's namesakes work in: "Legacy Homes" and "Legacy Roofing & Exteriors" in one town, or
# "Oakwood Custom Homes" and "Oakwood Renovations" at one office, are two firms (often of one family) that agree
# on the name once the kind of business is set aside. A builder says so by a word for building ("Builders",
# "Construction") or by ending its name with "Homes" (``_names_home_building``); a restaurant's "Home" elsewhere
# in its name ("Home Run Inn Pizza", "Chicago's Home of Chicken & Waffles") is no trade.
VENUE_KINDS = {
    "cafe": "cafe", "caffe": "cafe", "coffeehouse": "cafe", "deli": "deli", "delicatessen": "deli", "bar": "bar",
    "pub": "bar", "tavern": "bar", "saloon": "bar", "grill": "grill", "grille": "grill", "bakery": "bakery",
    "lounge": "lounge", "dining": "dining room", "buffet": "buffet",
    # A gym's cafe or juice bar, listed apart at its address ("EoS Fitness" / "EoS Smoothie Bar").
    "gym": "gym", "fitness": "gym", "smoothie": "juice bar", "juice": "juice bar",
    # A store's walk-in clinic, another counter than its pharmacy (a trade, below); an animal hospital is one too, not
    # the boarding kennel or the grooming salon beside it ("Rogue Valley Veterinary Center" / "... Pet Resort").
    "clinic": "clinic", "veterinary": "clinic", "veterinarian": "clinic", "veterinarians": "clinic",
    # A hotel and the restaurant or the spa it lists apart at its address and front desk ("Juniper House Hotel",
    # "Spa Juniper", "Juniper Grill"). Not "Resort", a pet's or an RV's as often as a traveller's.
    "hotel": "lodging", "motel": "lodging", "inn": "lodging", "suites": "lodging", "lodge": "lodging",
    "spa": "spa",
    # A self-storage facility: a brand's "Public Storage" and a local "Atlas Mini Storage" on one road share no name,
    # however alike their kind's word.
    "storage": "storage",
    # A library's branch beside the community centre sharing its building (said on one side only, it says nothing:
    # a state's directory names the branch "KINGWOOD").
    "library": "library",
    # A shop's or a counter's kind in Spanish and in English: a family's panaderia and taqueria share its address and
    # its phone.
    "panaderia": "bakery", "taqueria": "taqueria", "carniceria": "meat market", "joyeria": "jewelry",
    "jewelry": "jewelry",
    # A funeral home's crematory and the cemetery on its campus, licensed and listed apart at its address and line
    # ("Roberts Funeral Home", "Roberts Cemetery", "ROBERTS CREMATORY"). Not "Cremation": a funeral home's service,
    # which its name gives ("Berry Funeral Home & Cremation").
    "funeral": "funeral home", "mortuary": "funeral home", "crematory": "crematory", "crematorium": "crematory",
    "cemetery": "cemetery", "mausoleum": "cemetery",
    # A brewery's taproom is the brewery's own, under its permit; a brewery, a winery and a distillery at one address
    # are two producers, each permitted apart.
    # A city's park and what its inventory and a map list apart inside it: its playground, its trailhead (its pool, its
    # recreation centre and its dog park are trades' and phrases' below).
    "park": "park", "playground": "playground", "trailhead": "trailhead",
    # A marina and the boat rental, the yacht club and the grill at its docks, each licensed or listed apart.
    "marina": "marina",
    # A master plan's amenities, each listed apart on its line: its golf club, its tennis and pickleball courts, its
    # beach club (a phrase, below), its fitness centre and its grill (above).
    "golf": "golf course", "tennis": "tennis center", "pickleball": "pickleball",
    "brewing": "brewery", "brewery": "brewery", "brewhouse": "brewery", "taproom": "brewery", "winery": "winery",
    "vineyard": "winery", "vineyards": "winery", "cellars": "winery", "distillery": "distillery",
    "distilling": "distillery",
}  # fmt: skip
# A medical practice's specialty: "Heights Cardiology" and "Heights Dermatology" are two practices of one group,
# often in one medical building at the health system's one scheduling line. As with a room's kind, a specialty
# said on one side only says nothing ("Heights Cardiology" is listed as "Heights Heart & Vascular").
PRACTICE_KINDS = {
    "cardiology": "cardiology", "dermatology": "dermatology", "oncology": "oncology", "neurology": "neurology",
    "urology": "urology", "gastroenterology": "gastroenterology", "ophthalmology": "ophthalmology",
    "endocrinology": "endocrinology", "pulmonology": "pulmonology", "nephrology": "nephrology",
    "rheumatology": "rheumatology", "psychiatry": "psychiatry", "psychiatric": "psychiatry", "audiology": "audiology",
    "orthopedics": "orthopedics", "orthopaedics": "orthopedics", "orthopedic": "orthopedics",
    "orthopaedic": "orthopedics", "pediatrics": "pediatrics", "pediatric": "pediatrics", "paediatrics": "pediatrics",
    "radiology": "imaging", "imaging": "imaging", "obstetrics": "obstetrics", "gynecology": "obstetrics",
    "optometry": "optometry", "optometrist": "optometry", "dental": "dental", "dentistry": "dental",
    "dentist": "dental", "orthodontics": "orthodontics", "orthodontic": "orthodontics",
    "orthodontist": "orthodontics", "periodontics": "periodontics", "periodontist": "periodontics",
    "periodontal": "periodontics", "endodontics": "endodontics", "endodontist": "endodontics",
    "chiropractic": "chiropractic", "chiropractor": "chiropractic", "podiatry": "podiatry", "podiatrist": "podiatry",
    # A health system's departments on one campus, listed apart at its address and switchboard.
    "allergy": "allergy", "immunology": "allergy", "otolaryngology": "otolaryngology", "ent": "otolaryngology",
    "bariatric": "bariatrics", "bariatrics": "bariatrics", "infusion": "infusion", "endoscopy": "endoscopy",
    "neonatal": "neonatology", "nicu": "neonatology", "neonatology": "neonatology", "hematology": "hematology",
    "hepatology": "hepatology", "vascular": "cardiology", "geriatrics": "geriatrics", "geriatric": "geriatrics",
    "anesthesiology": "anesthesiology", "pathology": "pathology", "laboratory": "laboratory",
    "dialysis": "dialysis", "fertility": "fertility", "neuroscience": "neurology", "neurosciences": "neurology",
    "emergency": "emergency",
    # A state clinic list's shortened specialties: "ADVANCED DERM", "BRENNAN ORTHO", "NORTHSIDE PEDS".
    "derm": "dermatology", "ortho": "orthopedics", "peds": "pediatrics",
    # A dental board's: "SHORE PERIO", "MAIN STREET ENDO".
    "perio": "periodontics", "endo": "endodontics",
}  # fmt: skip
# A shortened specialty two specialties write alike, the other's kind besides the one above: "Harmony Ortho" is an
# orthopedist's or an orthodontist's practice.
SHORTENED_ALSO = {"ortho": "orthodontics"}
# A school's level: "Blackshear Elementary School" and "Blackshear Middle School" are two campuses, often at one
# address; a level said on one side only says nothing ("Blackshear School").
SCHOOL_KINDS = {
    "elementary": "elementary school", "intermediate": "intermediate school",
    # A charter network's campuses of one name at one address: "KIPP Sharp Prep" and "KIPP Sharp Elementary", "IDEA
    # Weslaco Academy" (its primary grades) and "IDEA Weslaco College Prep".
    "prep": "preparatory school", "preparatory": "preparatory school", "academy": "academy",
    # A parish's or a congregation's school, listed apart at its site, line and website ("Saint William Catholic
    # School" beside "Saint William Catholic Church"): a program of the church (``comparisons.PROGRAM_KINDS``).
    "school": "school",
}  # fmt: skip
HOME_BUILDING = "home building"
TRADE_WORDS = {
    "builder": HOME_BUILDING, "homebuilder": HOME_BUILDING, "construction": HOME_BUILDING,
    "constructions": HOME_BUILDING, "habitations": HOME_BUILDING, "immobilier": "real estate",
    "immobiliere": "real estate",
    "roofing": "roofing", "roofer": "roofing", "roofers": "roofing", "remodeling": "remodeling",
    "remodelling": "remodeling", "remodelers": "remodeling", "remodeler": "remodeling", "renovation": "remodeling",
    "renovations": "remodeling", "plumbing": "plumbing", "plumber": "plumbing", "electric": "electrical",
    "electrical": "electrical", "electrician": "electrical", "landscaping": "landscaping", "hvac": "hvac",
    # A directory's plural and a licence class's word for a trade: "Plumbers", "Electricians", a state's "Mechanical"
    # licence, which is heating and air conditioning's ("Turner Heating & Cooling" / "TURNER MECHANICAL LLC").
    "plumbers": "plumbing", "electricians": "electrical", "mechanical": "hvac", "cooling": "hvac",
    "heating": "hvac", "drain": "plumbing", "drains": "plumbing", "sewer": "plumbing",  # "Diaz Plumbing & Drain"
    "rooter": "plumbing",  # a drain cleaner's "A-1 Rooter", its registry's "A-1 ROOTER & PLBG"
    # A builder's owner's water and fire damage company at its office: "Juniper Ridge Restoration" is no builder.
    "restoration": "restoration",
    # A solar installer that roofs too, "Hill Country Solar & Roofing LLC", is Hill Country Solar: one trade in common.
    "solar": "solar",
    "realty": "real estate", "realtors": "real estate", "realtor": "real estate", "mortgage": "mortgage",
    # A grocer's florist and its pickup point, listed apart at its address and line ("Kroger Floral", "Walmart Pickup").
    "floral": "florist", "florist": "florist", "pickup": "pickup",
    # A real estate commission's licence type, "BROKER LLC", and a brokerage's name, "Cornerstone Brokers Inc".
    "broker": "real estate", "brokers": "real estate",
    "lending": "mortgage",
    # A builder's mortgage company under its name: "Taylor Morrison Home Funding", "Pulte Mortgage".
    "funding": "mortgage",
    "insurance": "insurance", "flooring": "flooring", "cabinets": "cabinetry", "cabinetry": "cabinetry",
    "painting": "painting", "fencing": "fencing", "pools": "pools", "pool": "pools",
    # A builder's subcontractors, one owner's two trades often filed at one office and line ("SALINAS CONCRETE" /
    # "SALINAS FRAMING").
    "concrete": "concrete", "framing": "framing", "framers": "framing", "drywall": "drywall", "masonry": "masonry",
    # A builder's family's other firms in a small town's directory, one surname each ("Beckendorf Home Inspections",
    # "Schaefer Well Drilling", "Schaefer Septic Service" beside "Schaefer Building Co"): other trades.
    "inspections": "inspection", "inspection": "inspection", "inspector": "inspection", "drilling": "drilling",
    "septic": "septic", "attorney": "law", "attorneys": "law",
    # A bank's cash machine listed apart from its branch ("Meridian Federal Bank ATM"), a fuel station's car wash
    # apart from its store ("Valero Car Wash" / "Valero").
    "atm": "atm", "carwash": "car wash",  # "Wash" alone in the phrases below: "Wash Park" is a neighbourhood
    # A grocer's or a warehouse club's fuel centre, registered and listed apart from its store ("Kroger Fuel Center" /
    # "Kroger", "Costco Gasoline" / "Costco Wholesale").
    "fuel": "fuel", "gasoline": "fuel",
    # A grocer's, a warehouse club's or a hospital's pharmacy, licensed and listed apart from the store it is in
    # ("Kroger Pharmacy" / "Kroger", "Walmart Pharmacy" / "Walmart Supercenter"), often at its own phone.
    "pharmacy": "pharmacy", "rx": "pharmacy", "drugstore": "pharmacy", "drug": "pharmacy", "drugs": "pharmacy",
    "apothecary": "pharmacy",
    # A school's or a church's own organisations, registered and listed apart at its address: its parents'
    # association ("Lincoln Elementary PTO"), its boosters, its food pantry, its thrift store.
    "pto": "parent association", "pta": "parent association", "ptsa": "parent association",
    "ptc": "parent association", "ptg": "parent association", "booster": "boosters", "boosters": "boosters",
    "pantry": "food pantry", "thrift": "thrift store",
    # A veterans' post's or a hospital's auxiliary, its members' own organisation at its hall ("American Legion
    # Auxiliary Unit 282" beside "American Legion Post 282").
    "auxiliary": "auxiliary",
    # A bank's investment office at its branch ("Wells Fargo Advisors"), a dealer's repair or body shop beside its
    # sales lot ("Garcia Family Auto Repair" / "Garcia Family Auto Sales").
    "advisors": "wealth management", "advisor": "wealth management", "repair": "repair", "collision": "repair",
    # A tire shop and a mechanic's in Spanish: "Llantera Lopez", "Taller Mecanico El Faro".
    "llantera": "repair", "mecanico": "repair", "tire": "repair", "tires": "repair",
    # A pet store's or an animal hospital's grooming salon and boarding kennel, listed apart at its address and line
    # ("PetSmart Grooming", "Cedar Park Grooming", "PetSmart PetsHotel").
    "grooming": "grooming", "groomer": "grooming", "groomers": "grooming", "boarding": "boarding",
    "kennel": "boarding", "kennels": "boarding", "petshotel": "boarding",
    # A senior community's home-care agency and hospice, licensed apart under its name ("Sunrise of Beachwood Home
    # Health"): they serve people in their own homes, not a community one can move to.
    "hospice": "hospice",
    # A title agency or an escrow office, beside the law firm or the builder it shares a suite with ("Hartley Moss
    # Title" / "Hartley & Moss, PLLC").
    "title": "title", "escrow": "title",
    # A restaurant's catering or banquet business, licensed apart at its address ("Angelas Trattoria Catering").
    "catering": "catering", "caterer": "catering", "caterers": "catering", "banquet": "banquet hall",
    "banquets": "banquet hall",
    # An animal hospital's or a medical centre's emergency centre, licensed and listed apart, often next door and on
    # its line ("Southtowne Veterinary Emergency Center" beside "Southtowne Veterinary Hospital").
    "emergency": "emergency",
    # A school's stadium or field house, mapped apart at its address ("Hillsboro High School Stadium").
    "stadium": "stadium", "fieldhouse": "stadium", "natatorium": "pools",
}  # fmt: skip
# A car dealer's make: a dealer group's stores of two makes share a campus, its name and its line ("Sterling McCall
# Toyota" / "Sterling McCall Lexus"). Said on one side only a make says nothing ("Haverford CDJR" is "Haverford
# Chrysler Dodge Jeep Ram"). Not makes that are often a surname, a town or a word (Ford, Lincoln, Dodge, Ram, Genesis).
MAKE_KINDS = {
    make: f"{make} dealer"
    for make in ("toyota", "lexus", "honda", "acura", "nissan", "infiniti", "hyundai", "kia", "mazda", "subaru",
                 "volkswagen", "audi", "bmw", "porsche", "volvo", "chevrolet", "buick", "cadillac", "gmc", "chrysler",
                 "jeep", "mitsubishi", "jaguar", "maserati", "ferrari", "lamborghini", "bentley", "tesla", "mercedes")
}  # fmt: skip
# A congregation's denomination: "First Baptist Church Missouri City" and "Missouri City Church of Christ" share a
# town and a word, and are two churches. Said on one side only it says nothing ("Grace Church" / "Grace Baptist").
DENOMINATION_KINDS = {
    word: word
    for word in ("baptist", "methodist", "catholic", "lutheran", "presbyterian", "episcopal", "pentecostal",
                 "adventist", "nazarene", "mennonite", "orthodox", "apostolic")
}  # fmt: skip
BUSINESS_KINDS = {**VENUE_KINDS, **PRACTICE_KINDS, **SCHOOL_KINDS, **DENOMINATION_KINDS, **MAKE_KINDS, **TRADE_WORDS}
# A business's departments, which a review site lists apart at its address ("Service Department at Orr Kia", "Parts
# Center at Lute Riley Honda"): the business itself, not a place inside its building.
DEPARTMENT_WORDS = frozenset({"service", "services", "parts", "department", "dept", "sales", "finance", "center"})
# Kinds a name says in two words: "Real Estate" is the trade "Realty" says.
KIND_PHRASES = {
    "real estate": "real estate",
    "law office": "law",
    "law offices": "law",
    "law firm": "law",
    "law group": "law",
    # A builder's family's land company at its office ("Gorsuch Land Development LLC" beside "Gorsuch Homes").
    "land development": "land development",
    "land developers": "land development",
    "land developer": "land development",
    "land company": "land development",
    "land holdings": "land development",
    "drug store": "pharmacy",
    "food bank": "food pantry",
    "parent teacher": "parent association",
    "family medicine": "family medicine",
    "internal medicine": "internal medicine",
    "internal med": "internal medicine",
    "int med": "internal medicine",
    "family med": "family medicine",
    "sports medicine": "sports medicine",
    "sleep medicine": "sleep medicine",
    "sleep disorders": "sleep medicine",
    "sleep center": "sleep medicine",
    "wound care": "wound care",
    "behavioral health": "behavioral health",
    "cardiac rehab": "cardiac rehabilitation",
    "cardiac rehabilitation": "cardiac rehabilitation",
    "pain management": "pain management",
    "occupational therapy": "occupational therapy",
    "speech therapy": "speech therapy",
    "ob gyn": "obstetrics",
    "urgent care": "urgent care",
    "physical therapy": "physical therapy",
    "plastic surgery": "plastic surgery",
    "wealth management": "wealth management",
    "home loans": "mortgage",
    "ins agency": "insurance",
    "ins agent": "insurance",
    "ins services": "insurance",
    # A senior campus's licences at one address: its nursing home, its assisted living, its memory care
    # (``CARE_KINDS``).
    "skilled nursing": "nursing home",
    "nursing facility": "nursing home",
    "nursing home": "nursing home",
    "nursing center": "nursing home",
    "nursing rehabilitation": "nursing home",
    "nursing rehab": "nursing home",
    "assisted living": "assisted living",
    "personal care home": "assisted living",  # a state's word for it
    "air conditioning": "hvac",
    "memory care": "memory care",
    # a state's licence of assisted living for residents with dementia, "Type B (Alzheimer Certified)"
    "alzheimer": "memory care",
    "alzheimers": "memory care",
    "independent living": "independent living",
    # and its adult day programme, licensed apart on the campus's line: no home one moves to
    "adult day": "adult day care",
    "adult daycare": "adult day care",
    # An insurance department's licence types: "GENERAL LINES AGENCY - PROPERTY AND CASUALTY".
    "general lines": "insurance",
    "property casualty": "insurance",
    "middle school": "middle school",
    "high school": "high school",
    "junior high": "junior high school",
    # A storage facility's or a hardware store's truck-rental counter, listed apart at its address and line.
    "truck rental": "truck rental",
    "trailer rental": "truck rental",
    # A home centre's or a grocer's garden centre, a sales-tax outlet and a locator listing of its own.
    "garden center": "garden center",
    "garden centre": "garden center",
    # A storage facility's RV and boat yard beside it, licensed and listed apart at its address and line.
    "rv storage": "rv storage",
    "boat storage": "rv storage",
    # A store's auto service centre, registered and listed apart from the store it is in ("Walmart Auto Care
    # Center" / "Walmart Supercenter"), and a body shop: the trade "Repair" says.
    "auto care": "repair",
    "car care": "repair",
    "auto body": "repair",
    "body shop": "repair",
    "oil change": "repair",
    # A park's facilities, mapped apart inside it at its address and its parks department's line ("Memorial Park
    # Pool", "Memorial Park Dog Park"), and a library's neighbours in its building, "Kendall Community Center" beside
    # "Kendall Branch Library" (a centre said on one side only says nothing: a program is listed at the community
    # centre it runs in, "Casa Central Community Center" / "Casa Central").
    "recreation center": "recreation center",
    "rec center": "recreation center",
    "community center": "recreation center",
    "neighborhood center": "recreation center",
    "beach club": "beach club",
    "boat docks": "marina",
    "boat dock": "marina",
    "yacht club": "yacht club",
    "boat rental": "boat rental",
    "boat rentals": "boat rental",
    "senior center": "senior center",
    # A gym's or a club's child-watch room, listed apart at its address ("TownLake YMCA Kids Club").
    "kids club": "child care",
    "kid club": "child care",
    "dog park": "dog park",
    "off leash": "dog park",  # a parks department's "Off-Leash Area"
    # A pet's hotel is its kennel: "Rogue Valley Pet Resort", "Bark Avenue Pet Lodge", "Pawsh Dog Hotel".
    "pet resort": "boarding",
    "pet hotel": "boarding",
    "pet lodge": "boarding",
    "dog hotel": "boarding",
    "dog resort": "boarding",
    "splash pad": "pools",
    "aquatic center": "pools",
    "aquatics": "pools",  # a gym's pool, mapped apart: "YMCA Aquatics"
    "child watch": "child care",  # a gym's child-watch room: "YMCA Child Watch"
    # A church's preschool or day care, taxed and licensed apart at its address ("St Mark UMC Mothers Day Out"):
    # another kind than the congregation's, said beside it (``comparisons.PROGRAM_KINDS``).
    "early learning": "early education",
    "child development": "early education",
    "mothers day out": "early education",
    "day school": "early education",
    "preschool": "early education",
    "day care": "early education",
    "daycare": "early education",
    "childcare": "early education",
    "car wash": "car wash",
    "gas station": "fuel",
    "auto wash": "car wash",
    "home health": "home health",
    "home care": "home health",
    # A dialysis clinic's home program, certified apart at its address ("DaVita El Paso Home Dialysis").
    "home dialysis": "home dialysis",
    "home training": "home dialysis",
    # Denominations named in words of their own (``DENOMINATION_KINDS``), read without their "of".
    "church christ": "church of christ",
    "church god": "church of god",
    "assembly god": "assemblies of god",
    "assemblies god": "assemblies of god",
    # A district's alternative program, housed in one of its high schools ("Fort Worth Alternative Ctr").
    "alternative center": "alternative school",
    "alternative school": "alternative school",
    "alternative education": "alternative school",
}
# A trade's word in a phrase naming another business: a title company's "Title Insurance Company" sells no insurance
# as an agency does ("Chicago Title Insurance Company" is the map's "Chicago Title - Frisco"), nor does a roofer
# whose listing offers help with "Insurance Claims".
NOT_THE_TRADE = {"title insurance": "insurance", "insurance claim": "insurance", "insurance claims": "insurance",
                 # a pet's hotel or lodge is no traveller's
                 "pet hotel": "lodging", "pet lodge": "lodging", "dog hotel": "lodging",
                 # a maps category for a builder's office or a land developer's, no brokerage
                 "real estate developer": "real estate", "real estate development": "real estate"}  # fmt: skip
# A senior campus's levels of care, each licensed and listed apart at its address and line.
CARE_KINDS = frozenset({"nursing home", "assisted living", "memory care", "independent living", "adult day care"})
# The trades other than building homes: a name saying one is another firm than a name saying no kind at all
# ("Lennar Mortgage" is not "Lennar"), where a restaurant's room is not ("Ritz-Carlton Cafe" may be the hotel's
# only restaurant).
TRADE_KINDS = (
    frozenset(TRADE_WORDS.values())
    | {
        "truck rental",
        "garden center",
        "rv storage",
        "dog park",
        "home health",
        "home dialysis",
        "playground",
        "trailhead",
        "boat rental",
        "child care",
        "land development",
    }
) - {HOME_BUILDING}
# Compass directions as the USPS abbreviates them, and a one-letter one spelt out (a name's or a city's "N.").
DIRECTION_ABBREVIATIONS = {
    "north": "n", "south": "s", "east": "e", "west": "w",
    "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw",
}  # fmt: skip
SPELT_DIRECTIONS = {
    abbreviation: word for word, abbreviation in DIRECTION_ABBREVIATIONS.items() if len(abbreviation) == 1
}
NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
ABBREVIATIONS = {
    "bros": "brothers",
    "bro": "brothers",
    "mt": "mount",
    "mtn": "mountain",
    "mtns": "mountains",
    # A plat's parts as subdivision registers abbreviate them: "Hartwell Farms Ph 2", "Brighton Crossing Flg 4",
    # "Willow Creek Addn".
    "sec": "section",
    "sect": "section",
    "secs": "section",  # a district's "JUBILEE SECS 4-10"
    "sections": "section",
    "phases": "phase",
    "ph": "phase",
    "flg": "filing",
    "fil": "filing",  # a plat index's "MACANTA FIL 2"
    "addn": "addition",
    # A builder's words as permit and licence databases shorten them: "JOLLY BLDG GRP", "WILLAMETTE BLDRS", "HH
    # RESID GROUP", "ASHFORD CSTM HMS", a sales rep's "Ashford Cust Homes".
    "bldrs": "builder",
    "bldr": "builder",
    "homebuilders": "homebuilder",
    "homebuilding": "homebuilder",
    "homebldrs": "homebuilder",
    "hms": "home",
    "bldg": "building",
    "grp": "group",
    "const": "construction",
    "constr": "construction",
    "resid": "residential",
    "cstm": "custom",
    "cust": "custom",
    # A public register's shortened words for what a place is named for: "MEM PARK", "MEM HOSP".
    "mem": "memorial",
    "meml": "memorial",
    "chpl": "chapel",  # a funeral board's "MEM CHPL"
    "mech": "mechanical",  # a vendor master's "GULF COAST MECH"
    # A name's "St" is Saint ("St. Augustine College") or Street ("Elm St Grill"), its "Dr" Doctor or Drive: each
    # spelling reads as one word, so "Elm Street Grill" is "Elm St Grill". A street's own words are read by
    # parse_address.
    "st": "saint",
    "street": "saint",
    "doctor": "dr",
    "drive": "dr",
    "mister": "mr",
    "ave": "avenue",
    "av": "avenue",
    "blvd": "boulevard",
    "rd": "road",
    "ln": "lane",
    "pkwy": "parkway",
    "hwy": "highway",
    "bbq": "barbecue",
    "barbeque": "barbecue",
    # A number in a name, spelt or in digits: "Five Guys" / "5 Guys", "Seven Eleven" / "7-Eleven".
    **{word: str(n) for n, word in enumerate(NUMBER_WORDS, start=1)},
    "ft": "fort",
    "intl": "international",
    "natl": "national",
    "assn": "association",
    "assoc": "association",
    "mgmt": "management",
    "dev": "development",
    "devel": "development",
    "vlg": "village",
    "nbhd": "neighborhood",  # a parks inventory's "WALLER CREEK NBHD PARK"
    "rsv": "reserve",  # a plat list's "Cypress Creek Rsv Sec 2"
    "rnch": "ranch",  # ... "JORDAN RNCH SEC 15", USPS Publication 28's form
    "hts": "heights",
    "pk": "park",
    "lk": "lake",
    "est": "estates",
    "homes": "home",
    "builders": "builder",
    "communities": "community",
    "homeowners": "homeowner",
    "owners": "owner",
    "ctr": "center",
    "cntr": "center",
    "centre": "center",
    # Words organisations' names are shortened to in directories and licence lists, spelt out: "Chinese Amer Svc"
    # is "Chinese American Service". Only abbreviations that are no word or name of their own ("Med" may be a
    # Mediterranean grill, "Comm" a communications firm).
    "amer": "american",
    "rlty": "realty",  # an MLS roster's "LE RLTY GROUP"
    "sr": "senior",  # a licence register's "SILVER LAKE SR LIVING"
    "stes": "suites",  # a tax register's "BAYMONT INN & STES"
    "asst": "assisted",
    "svc": "service",
    "meth": "methodist",  # a county roll's "FIRST UNITED METH CH"
    "er": "emergency",  # a freestanding "Frontline ER", a hospital's "ER"
    "svcs": "services",
    "univ": "university",
    "inst": "institute",
    "hosp": "hospital",
    "vet": "veterinary",  # "Ponderosa Vet Clinic"; a veteran's is "Vets", "Veterans"
    "acad": "academy",
    "elem": "elementary",
    "sch": "school",
    "schl": "school",
    "dept": "department",
    "fdn": "foundation",
    "fndn": "foundation",
    "cmty": "community",
    "cmnty": "community",
    "chldrn": "children",
    "educ": "education",
    "lrng": "learning",
    "mfg": "manufacturing",
    # Trades as a CRM's or a licence list's accounts shorten them: "Chisholm Trail Elec Ltd", "Balcones Htg & Air".
    "elec": "electric",
    "plbg": "plumbing",
    "rfg": "roofing",
    "htg": "heating",
    "remod": "remodeling",
    "ldscp": "landscaping",
    "lndscp": "landscaping",
    "flrg": "flooring",
    # A licence list's "FAIRHAVEN MTG", "JOHN HILL INS AGCY" (its "INS" alone may be an institute's: "Young Scholars
    # Dev. Ins", read as insurance only before its agency, ``KIND_PHRASES``).
    "mtg": "mortgage",
    "agcy": "agency",
    "derm": "dermatology",  # a clinic list's "ADVANCED DERM"
    "peds": "pediatrics",
    "phcy": "pharmacy",  # a board of pharmacy's "KROGER PHCY 577"
    "pharm": "pharmacy",
    "bkry": "bakery",  # an inspection list's "CRUMB BKRY AND CAFE"
    "knls": "kennels",  # a county's kennel licence list, "WINDY HILL KNLS"
    "insp": "inspection",  # a state's inspection station list, "OAK HILL INSP STATION"
    # A car maker as dealers and a licence list shorten it: "LANDMARK CHEVY", "Sterling VW".
    "chevy": "chevrolet",
    "vw": "volkswagen",
    "bapt": "baptist",
    "luth": "lutheran",
    "presb": "presbyterian",
    "cath": "catholic",
    "epis": "episcopal",  # a county roll's "RESURRECTION EPIS CH"
    "episc": "episcopal",
    "evang": "evangelical",  # ... "TRINITY EVANG LUTH CH"
    **SPELT_DIRECTIONS,
}
# A word naming the kind of business run onto the name in CamelCase ("PulteGroup", "AcmeHomes"): split off, so
# it is dropped as it is from "Pulte Group". Only those words: "HomeTown" or "McDonald" stay one name.
_KINDS_OF_BUSINESS = {w for words in GENERIC_WORDS.values() for w in words}
# The builder's generic words, with the plurals and spellings ``ABBREVIATIONS`` reads as them ("builders").
_GENERIC_BUILDER_WORDS = GENERIC_WORDS["builder"] | {
    w for w, v in ABBREVIATIONS.items() if v in GENERIC_WORDS["builder"]
}
_LONG_GENERIC_BUILDER_WORDS = sorted(w for w in _GENERIC_BUILDER_WORDS if len(w) >= 8)
_KINDS_OF_BUSINESS |= {w for w, full in ABBREVIATIONS.items() if full in _KINDS_OF_BUSINESS}  # "Homes", "Builders"
# Not "Service": a brand's own word run onto another ("FirstService Residential", "ServiceMaster"), no kind of business.
_KINDS_OF_BUSINESS -= {"service", "services"}
_GLUED_GENERIC = re.compile(
    r"(?<=[a-z]{3})(?=(?:"
    + "|".join(sorted((w.capitalize() for w in _KINDS_OF_BUSINESS), key=len, reverse=True))
    + r")\b)"
)
# Street words as the USPS abbreviates them, so "Avenue" and "Ave." compare equal.
STREET_WORDS = {
    "avenue": "ave",
    "av": "ave",
    "aven": "ave",
    "avn": "ave",
    "street": "st",
    "str": "st",
    "strt": "st",
    "road": "rd",
    "drive": "dr",
    "drv": "dr",
    "boulevard": "blvd",
    "blv": "blvd",
    "bl": "blvd",
    "boul": "blvd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "parkway": "pkwy",
    "highway": "hwy",
    "freeway": "fwy",
    "frwy": "fwy",
    "expressway": "expy",
    "expwy": "expy",
    "exwy": "expy",
    "turnpike": "tpke",
    "route": "rte",
    "terrace": "ter",
    "circle": "cir",
    "trail": "trl",
    "square": "sq",
    "way": "way",
    **DIRECTION_ABBREVIATIONS,
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
    "eleventh": "11th",
    "twelfth": "12th",
    "thirteenth": "13th",
    "fourteenth": "14th",
    "fifteenth": "15th",
    "sixteenth": "16th",
    "seventeenth": "17th",
    "eighteenth": "18th",
    "nineteenth": "19th",
    "twentieth": "20th",
    "thirtieth": "30th",
    "fortieth": "40th",
    "fiftieth": "50th",
    "sixtieth": "60th",
    "seventieth": "70th",
    "eightieth": "80th",
    "ninetieth": "90th",
}
DIRECTIONS = frozenset(DIRECTION_ABBREVIATIONS.values())
# Street types as normalized ("ave", "st"): neither a direction nor a numbered street's ordinal ("5th").
STREET_TYPES = frozenset(v for v in STREET_WORDS.values() if not v[0].isdigit()) - DIRECTIONS
# Other ways of writing a street type, read only in the type's place after the street's name (usaddress's
# StreetNamePostType): "Claude La." is Claude Lane, but "La Salle St" opens with a name. From USPS
# Publication 28's table of suffixes and the forms partner files use; a type mistyped in full is read by
# mistyped_type.
POST_TYPE_VARIANTS = {
    "la": "ln",
    "lanes": "ln",
    "crt": "ct",
    "cts": "ct",
    "boulv": "blvd",
    "circ": "cir",
    "crcl": "cir",
    "driv": "dr",
    "hiway": "hwy",
    "hiwy": "hwy",
    "hway": "hwy",
    "pkway": "pkwy",
    "pky": "pkwy",
    "pkwys": "pkwy",
    "sqr": "sq",
    "sqre": "sq",
    "squ": "sq",
    "terr": "ter",
    "trls": "trl",
    "wy": "way",
    "exp": "expy",
    "expr": "expy",
    "express": "expy",
    "expw": "expy",
    "frway": "fwy",
    "lp": "loop",  # Texas writes its loops "Lp" ("189 Primrose Lp", "Lp 1604")
}
# A street type mistyped in full ("Steet", "Avenu"): this close (rapidfuzz ratio) to one type's full name.
POST_TYPE_TYPO_RATIO = 85.0
POST_TYPE_TYPO_LENGTH = 5  # shorter words are abbreviations, read only from the tables
US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
    "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
    "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY", "district of columbia": "DC",
}  # fmt: skip
US_STATE_CODES = frozenset(US_STATES.values())
# Canada's provinces and territories: a partner file's state column or city cell gives them as a US state's.
PROVINCES = {
    "alberta": "AB", "british columbia": "BC", "manitoba": "MB", "new brunswick": "NB",
    "newfoundland and labrador": "NL", "newfoundland": "NL", "nova scotia": "NS", "northwest territories": "NT",
    "nunavut": "NU", "ontario": "ON", "prince edward island": "PE", "quebec": "QC", "saskatchewan": "SK",
    "yukon": "YT",
    # Their older abbreviations, as Canadian style guides and registries still write them ("Ont.", "Que.", "P.E.I.").
    "alta": "AB", "man": "MB", "nfld": "NL", "ont": "ON", "pei": "PE", "que": "QC", "pq": "QC", "sask": "SK",
    "nwt": "NT", "yuk": "YT",
}  # fmt: skip
PROVINCE_CODES = frozenset(PROVINCES.values())
# The states' older abbreviations, as newspapers and some listings still write them ("Tex.", "Calif.").
STATE_ABBREVIATIONS = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO", "conn": "CT", "del": "DE",
    "fla": "FL", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS", "mass": "MA", "mich": "MI", "minn": "MN",
    "miss": "MS", "mont": "MT", "neb": "NE", "nebr": "NE", "nev": "NV", "okla": "OK", "ore": "OR", "penn": "PA",
    "tenn": "TN", "tex": "TX", "wash": "WA", "wva": "WV", "wis": "WI", "wisc": "WI", "wyo": "WY",
}  # fmt: skip
# Hosts shared by many businesses (social networks, site builders, directories, listings, link shorteners): their
# registered domain says nothing about who the page belongs to; the page does.
SHARED_HOSTS = frozenset(
    {"facebook.com", "instagram.com", "linkedin.com", "twitter.com", "x.com", "youtube.com", "tiktok.com",
     "pinterest.com", "nextdoor.com", "linktr.ee", "wixsite.com", "squarespace.com", "godaddysites.com", "weebly.com",
     "wordpress.com", "blogspot.com", "business.site", "square.site", "google.com", "yelp.com", "bbb.org",
     "yellowpages.com", "mapquest.com", "tripadvisor.com", "foursquare.com", "houzz.com", "zillow.com",
     "newhomesource.com", "realtor.com", "homes.com", "trulia.com", "redfin.com", "bit.ly", "goo.gl",
     # a dealer's page on a car classifieds site
     "cars.com", "autotrader.com", "cargurus.com", "carfax.com", "truecar.com", "edmunds.com", "kbb.com",
     # a professional's or a care provider's page on a directory
     "healthgrades.com", "zocdoc.com", "vitals.com", "angi.com", "homeadvisor.com", "thumbtack.com",
     "care.com", "winnie.com", "opentable.com", "grubhub.com", "doordash.com", "ubereats.com"}
)  # fmt: skip
# Mail providers: an email address in a website cell ("oakhomes@gmail.com") names the provider, no one's site.
_MAIL_HOSTS = frozenset(
    {"gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com", "live.com", "msn.com",
     "aol.com", "icloud.com", "me.com", "mac.com", "comcast.net", "att.net", "sbcglobal.net", "verizon.net",
     "bellsouth.net", "cox.net", "charter.net", "earthlink.net", "optonline.net", "rr.com", "centurylink.net",
     "windstream.net", "frontier.com", "juno.com", "netzero.net", "rocketmail.com", "mail.com", "gmx.com", "gmx.net",
     "zoho.com", "fastmail.com", "yandex.com", "proton.me", "protonmail.com", "yahoo.co.uk", "yahoo.ca",
     "hotmail.co.uk", "btinternet.com", "shaw.ca", "rogers.com", "sympatico.ca", "swbell.net", "pacbell.net",
     "prodigy.net", "ameritech.net", "flash.net", "snet.net", "suddenlink.net", "embarqmail.com", "centurytel.net",
     "twc.com", "cableone.net", "mchsi.com", "netscape.net", "wowway.com", "hughes.net", "frontiernet.net", "tds.net",
     "mediacombb.net", "ptd.net", "roadrunner.com", "xfinity.com", "spectrum.net", "mindspring.com", "aim.com",
     "pm.me", "duck.com", "tutanota.com", "web.de", "t-online.de", "orange.fr", "free.fr", "libero.it", "qq.com",
     "163.com", "naver.com", "mail.ru", "yandex.ru"}
)  # fmt: skip
# A site's front page, by its file's name: the site itself.
_INDEX_PAGES = frozenset({"index.html", "index.htm", "index.php", "default.aspx", "default.asp", "home"})
# A site's own pages about the business, which a crawler's url names: no location's page ("/contact-us/", "about.html").
_SITE_PAGES = frozenset({"contact", "contact-us", "contactus", "contact_us", "about", "about-us", "aboutus", "about_us",
                         "our-story", "our-company", "company", "who-we-are", "team", "our-team", "get-in-touch",
                         "locations", "find-us", "visit-us"})  # fmt: skip
# The prefixes of a shared host's name that name no site ("www.facebook.com", "m.yelp.com").
_HOST_PREFIX = re.compile(r"^(?:www|m|mobile|web)\.")
# A link to a place on a map: "google.com/maps/place/...", "maps.google.com/?cid=...", "maps.app.goo.gl/...".
_MAP_LINK = re.compile(r"^(?:www\.)?(?:google\.[a-z.]+/maps|maps\.google\.[a-z.]+|maps\.app\.goo\.gl|goo\.gl/maps)")
# A query parameter that names the page on a shared host ("profile.php?id=100064").
_PAGE_ID = re.compile(r"(?:^|&)(id=[^&]+)")

_NON_WORD = re.compile(r"[^a-z0-9]+")
_IP_HOST = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|\[?[0-9a-f]*:[0-9a-f:]+\]?")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# A manufactured home community's kind, which a licence list writes "MHP", "MOBILE HOME PK", "M/H PARK", "TRLR PK" or
# "MH & RV PARK" and a directory "Manufactured Home Community" or "MHC": no part of its name ("DEER RUN ESTATES M.H.P."
# is "Deer Run Estates").
_WITH_RV = r"(?:\s*(?:&|and|/)\s*r\.?v\.?)?"
_PARK_PLACE = r"(?:park|pk|community|communities|court|ct|village|resort|estates)"
_PARK_KIND = re.compile(
    rf"\b(?:(?:mobile|manufactured)\s+(?:homes?|housing){_WITH_RV}(?:\s+{_PARK_PLACE})?"
    rf"|m\s?[./]?\s?h\b\.?{_WITH_RV}\s+{_PARK_PLACE}"
    # not a travel trailer's park, an RV park (_RV_PARK)
    r"|m\.?\s?h\.?\s?[pc]\b\.?|(?<!trav )(?<!trav\. )(?<!travel )(?:trailer|trlr)\.?\s+(?:parks?|courts?|pk|ct))(?!\w)",
    re.IGNORECASE,
)
# A community's age restriction, no part of its name, which a guide writes and a builder leaves out ("Heritage Hills
# 55+", "Solera Active Adult Community"); a manufactured home park's as well ("55+ Community").
_AGE_RESTRICTED = re.compile(
    r"\b(?:(?:55|62)\s*(?:\+|plus\b|and\s+(?:over|older)\b)|active\s+adult)(?:\s+(?:community|communities|living))?"
    r"(?!\w)",
    re.IGNORECASE,
)
# The words a manufactured home community's name gives for its kind, where the other list gives "MHP": "Orange Blossom
# Creek Estates" is the licence's "ORANGE BLOSSOM CREEK MHP", not another place.
PARK_WORDS = frozenset({"estates", "village", "park", "resort", "community", "court"})
MANUFACTURED_HOMES = "manufactured homes"
# An RV park as a permit list and a camping app write it: "RV Resort", "TRAV TRLR PK", "TT PARK", "RV Campground".
_RV_PARK = re.compile(
    r"\b(?:r\.?\s?v\.?|travel\s+trailer|trav\.?\s+trlr\.?|tt)\s+(?:resort|park|pk|campground|kampground|camp)\b\.?",
    re.IGNORECASE,
)
# A club's "G&CC", its golf and country club.
_GOLF_AND_COUNTRY_CLUB = re.compile(r"\bG\s*&\s*CC\b", re.IGNORECASE)
# A school's level at the end of its name as a state's directory shortens it, in capitals: "L H PUGH EL", "HEIGHTS H
# S", "BLACKSHEAR MIDDLE", "OWENS INT", "MARSHALL J H", "DEZAVALA MS", "BOWIE PRI", "NORTH ECC".
_SCHOOL_LEVELS = (
    (re.compile(r"\s+EL\.?$"), " ELEMENTARY"),
    (re.compile(r"\s+H\.?\s?S\.?$"), " HIGH SCHOOL"),
    (re.compile(r"\s+J\.?\s?H\.?$"), " JUNIOR HIGH"),
    (re.compile(r"\s+INT\.?$"), " INTERMEDIATE"),
    (re.compile(r"\s+MIDDLE$"), " MIDDLE SCHOOL"),
    (re.compile(r"\s+M\.?\s?S\.?$"), " MIDDLE SCHOOL"),
    (re.compile(r"\s+PRI\.?$"), " PRIMARY"),
    (re.compile(r"\s+ECC$"), " EARLY CHILDHOOD CENTER"),
)


def _written_whole(word: str, name: str | None) -> bool:
    """A kind's word of two letters is written as one in the name ("Rx Express"), not a person's initials run
    together ("R X ANDERSON EL" is R. X. Anderson Elementary)."""
    return len(word) > 2 or re.search(rf"\b{re.escape(word)}\b", name or "", re.IGNORECASE) is not None


def _school_level_spelt(name: str) -> str:
    stripped = name.strip()
    for short, spelt in _SCHOOL_LEVELS:
        if short.search(stripped):
            return short.sub(spelt, stripped)
    return name


# A contractor's licence number a marketplace's name carries ("Lone Star Roofing - Lic #TACLB12345", "Desert Pools
# (ROC 123456)"): the licence's, not the business's name.
_LICENCE_IN_NAME = re.compile(
    r"[\s,;(|\u2013\u2014-]*\b(?:lic(?:en[cs]e)?|licensed|roc|cslb|usdot|dot|mc)\b\.?\s*(?:#|no\b\.?|number\b)?\s*:?\s*"
    r"[a-z]{0,6}[-\s]?\d[\w-]*\)?",
    re.IGNORECASE,
)
# A licensing board's number a listing's name ends with, the board's initials before it: "Armadillo Home Inspection
# Co. | TREC #IB25627", "Hill Electric - TDLR No. 31245": capitals, a number sign or "No." and four digits or more. Not
# a store's, a unit's or a truck's number ("KROGER - STORE #1234", "TACOS EL GUERO - TRUCK #2").
_BOARD_NUMBER = re.compile(
    r"\s+(?:\||[-\u2013\u2014])\s+(?!(?:STORE|UNIT|TRUCK|STE|SUITE|BLDG|LOT|SPACE|BOOTH)\b)[A-Z]{2,6}\s*(?:#|No\.?)\s*"
    r"[A-Za-z]{0,4}-?\d{4,}[\w-]*\s*$"
)
# A store's number after its name, written with a number sign or after "Store": "KROGER FOOD STORE #341", "Starbucks #
# 48290", "TORCHYS TACOS STORE 1137"; a food truck fleet's truck, "Engel's Burgers Truck 2".
_NUMBERED_STORE = re.compile(
    r"\s*#\s*0*\d+\b|(?<=\w)\s+(?:store|truck|trailer|cart)\s+(?:no\.?\s*|#\s*)?0*\d+\b", re.IGNORECASE
)
# What a listing says a place has, in parentheses after its name: "Bank of America (with Drive-thru ATM)" is the
# branch, no cash machine of its own.
_WHAT_IT_HAS = re.compile(r"\(\s*with\b[^)]*\)", re.IGNORECASE)
# A marketplace listing's tagline after its name, a bar or a spaced dash before it: "Kim Movers | Licensed & Insured",
# "Stormguard Roofing - Free Inspections", "Ace Plumbing - Family Owned & Operated".
_TAGLINE_WORDS = ("licensed", "insured", "bonded", "free", "estimates?", "inspections?", "quotes?", "family",
                  "locally", "veteran", "women", "woman", "minority", "owned", "operated", "and", "&", "since", r"\d+",
                  "years?", "experience", "24/7", "hours?", "same", "day", "emergency", "services?",
                  "available", "appointments?", "accepting", "new", "patients", "walk-ins?", "welcome", "open",
                  "now", "reports?",
                  # a venue's: "Morning Star Chapel - Event Venue", "Lone Star Ranch | Weddings & Events"
                  "events?", "venues?", "weddings?", "receptions?")  # fmt: skip
_TAGLINE = re.compile(
    rf"\s+(?:\||[-\u2013\u2014])\s+(?:(?:{'|'.join(_TAGLINE_WORDS)})[\s,-]*)+$",
    re.IGNORECASE,
)
# A state a builder's name ends with, as a qualifier: "Bradford Home Builders of NC", "Perry Homes of Texas",
# "Batts Custom Homes NC" (a state's code in capitals after the name). Not the codes that are English words ("IN",
# "OR", "ME", "OK", "HI", "DE").
_STATE_WORDS = "|".join(sorted((re.escape(name) for name in US_STATES), key=len, reverse=True))
_STATE_CODES = "|".join(sorted({c for c in US_STATES.values()} - {"IN", "OR", "ME", "OK", "HI", "DE"}))
# Written after the name with no "of", a state's name that is no one's name too: "FIRSTSERVICE RESIDENTIAL FLORIDA,
# INC." (not "George Washington", "Sweet Georgia").
_BARE_STATE_WORDS = "|".join(
    sorted((re.escape(name) for name in US_STATES if name not in ("washington", "georgia", "virginia")), key=len,
           reverse=True)
)  # fmt: skip
_STATE_QUALIFIER = re.compile(
    rf"(?:\s+(?i:of)\s+(?i:the\s+)?(?i:{_STATE_WORDS}|{_STATE_CODES})|\s+(?:{_STATE_CODES})|\s+(?i:{_BARE_STATE_WORDS}))\.?"
    r"(?i:\s*,?\s*(?:llc|l\.l\.c|inc|corp|co|ltd|lp|pllc)\.?)*\s*$"
)
# A community named as a part of another place: "The Bluffs at Harmony Ridge", "Parkland Village in Bridgeland"
# (a village, a section or a builder's enclave of a master plan).
# The kinds of building a business's name may say it is in, in parentheses: "Harlan Grill (Harlan Hotel)".
BUILDING_KINDS = frozenset({"hotel", "inn", "resort", "casino", "mall", "plaza", "tower", "airport", "terminal",
                             "galleria", "suites", "lodge", "elementary",
                             # a food hall's or a shared kitchen's vendors ("Bamboo Ramen - Mueller Market Hall")
                             "hall", "market", "marketplace", "commissary", "kitchens"})  # fmt: skip
# A spaced dash in a name, before the building a program or a counter is in ("Y School Age Care - Liberty
# Elementary") or a division's market ("Centex – Wilmington").
SPACED_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")
_ID_IN_PARENTHESES = re.compile(r"\s*\(\s*#?\s*[A-Za-z]{0,3}-?\d{5,}[A-Za-z]?\s*\)")
# A master plan's village named "Village of" ("The Woodlands Village of Creekside Park"); not its villages together.
_VILLAGE_OF = re.compile(r"^\s*(?:(?P<master>.*?\w.*?)\s+)?village\s+of\s+(?:the\s+)?(?P<village>\w.*)$", re.IGNORECASE)
_PART_OF = re.compile(r"^(.*?\w.*?)\s(?:at|in)\s+(?:the\s+)?(\w.*)$", re.IGNORECASE)
# A host a parenthesis names: "(at Red Rabbit)", "(inside Kroger)".
_HOSTED = re.compile(r"^\s*(?:at|inside|in)\s+(?=\w)", re.IGNORECASE)
# A community named with its builder after it: "Laurel Springs by Halstead Homes".
_BY_BUILDER = re.compile(r"^(.*?\w.*?)\s+by\s+(\w.*)$", re.IGNORECASE)
# The words a builder's name ends with: "Toll Brothers at Ellis Preserve" is the builder's offering at the place, as
# "Ellis Preserve by Toll Brothers" is, not a part of it named after it.
_BUILDER_NAME_ENDS = frozenset({"home", "builder", "homebuilder", "brothers", "communities", "construction", "company",
                                "group", "residential"})  # fmt: skip
# A lot width as builders write it after a community's name ("60' Homesites", "60ft", "60 ft", "60s", "65ft. lots"),
# read as the number alone, once folded (the foot mark is dropped as an apostrophe).
_LOT_WIDTH = re.compile(r"\b(\d+) ?(?:s|ft|foot|feet)? lots?\b|\b(\d+)(?:s|ft|foot|feet)\b|\b(\d+) (?:ft|foot|feet)\b")
_SINGLE_LETTERS = re.compile(r"\b(?:[a-z] )+[a-z]\b")
# An apostrophe however typed (a typewriter's, a typesetter's, a grave or acute accent, a prime), and escaped with
# a backslash as some exports write it: "Morton's", "Morton’s", "Morton`s" and "Morton\'s" are one word, not
# "morton" and an "s" read as "south".
_APOSTROPHES = "'\u2018\u2019\u02bc`\u00b4\u2032"
_APOSTROPHE = re.compile(rf"\\?[{_APOSTROPHES}]")
# A possessive written apart from its word, as tokenized text writes it (the entity-matching benchmarks' "arnie
# morton 's", "art \ 's"): joined to the word, or its "s" would read as "south".
_DETACHED_POSSESSIVE = re.compile(rf"(?<=\w)\s+(?:\\\s*)?[{_APOSTROPHES}]s\b", re.IGNORECASE)


def fold(text: str | None) -> str:
    """Lower case, accents removed, "&" read as "and", punctuation as spaces; an HTML character reference a page's
    structured data was scraped with read as its character ("Parker&#8217;s Bend", "Smith &amp; Sons")."""
    if not text:
        return ""
    if "&" in text and ";" in text:
        text = html.unescape(text)
    # A trademark's sign is no letters ("Trilogy™"; NFKD spells it "TM").
    text = text.replace("\u2122", " ").replace("\u2120", " ")
    text = unicodedata.normalize("NFKD", _APOSTROPHE.sub("", _DETACHED_POSSESSIVE.sub("s", text)))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ")
    text = _NON_WORD.sub(" ", text).strip()
    # "D. R. Horton" -> "d r horton" -> "dr horton"
    return _SINGLE_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)


@dataclass(frozen=True, slots=True)
class NormalizedName:
    key: str  # every meaningful word: "perry home"
    core: str  # without the words naming the kind of business or a qualifier in parentheses: "perry"
    tokens: tuple[str, ...]  # the key's words
    acronym: str = ""  # the core when it is written as initials ("DRB Homes", "D.R.B. Homes"): "drb"
    initialisms: frozenset[str] = frozenset()  # every word written as initials: "csc" of "Casa Central - CSC"
    kinds: frozenset[str] = frozenset()  # the kinds of place or trade a business's name says: "cafe", "roofing"
    # The place a community's name says it is part of: "harmony ridge" of "The Bluffs at Harmony Ridge"; the building
    # a business's says it is in: "harlan" of "The Copper Room at The Harlan", "harlan hotel" of "Grill (Harlan Hotel)".
    host: str = ""
    # The initials of every word, short ones too, where the key drops some: "pib" of "Partners in Building".
    spelt_initials: str = ""
    # The numbers the name writes in digits ("24" of "Studio 24"), not those it spells ("Two Birds" gives none).
    digits: frozenset[str] = frozenset()

    @property
    def generic(self) -> frozenset[str]:
        return frozenset(self.tokens) - frozenset(self.core.split())


# A town after a business's name, as a branch is listed: "SmileCare Dental of Winter Springs", "Coastal Mobile Auto
# Repair - Oviedo", "Lennar Homes: Houston" (the name, then "of", "in", a dash, a colon or a comma, then the town).
_TOWN_AFTER = re.compile(
    r"^(.*\w)(\s+(?:of|in)\s+|\s+[-\u2013\u2014]\s+|\s*[:,]\s*)(?:the\s+)?([^\W\d][\w .'-]*)$", re.IGNORECASE
)


# A builder's page title naming a place after its words for search engines, and perhaps its town after a bar: "New
# Homes in Meridiana | Iowa Colony, TX" is Meridiana's page ("New Homes in Leander, TX | Perry Homes" names a town).
_NEW_HOMES_IN_TITLE = re.compile(
    r"^\s*new\s+(?:construction\s+)?homes?\s+(?:for\s+sale\s+)?in\s+(?P<place>[^|,]+?)"
    r"(?P<town>\s*\|\s*[^|,]+,\s*[A-Za-z]{2}\.?)?\s*$",
    re.IGNORECASE,
)


def titled_for_search(name: str, town: str | None) -> str:
    """A community's name a listing titles for search engines, "New Homes in Lakes of Highland Ridge" in Cypress: the
    place after "in" where it is not the community's own town ("New Homes in Cypress" names no community), or where
    the title gives the town after a bar ("New Homes in Meridiana | Iowa Colony, TX")."""
    titled = _NEW_HOMES_IN_TITLE.match(name)
    if titled and (titled["town"] or (town and fold(spell_city(titled["place"])) != fold(spell_city(town)))):
        return titled["place"]
    return name


def without_its_town(name: str, town: str | None) -> str:
    """A community's name without its own town after a dash, a colon or a comma, as a listing site appends it
    ("Sendera Townhomes - Katy" in Katy): a qualifier, as in parentheses. After "of" or "in" it is the name's own
    ("Lakes of Katy")."""
    after = _TOWN_AFTER.match(name.strip()) if town and name else None
    if (
        after
        and after.group(2).strip().lower() not in ("of", "in")
        and fold(spell_city(after.group(3))) == fold(spell_city(town))
        and _name_words(after.group(1), "community")
    ):
        return after.group(1)
    return name


def _without_town(name: str, town: str | None) -> str:
    """The name without the town the record is in where it ends with it (``_TOWN_AFTER``): a qualifier, as one in
    parentheses is, not a word of the business's own. After "of" or "in", only after a name of two words or more:
    "Bank of Lake Mary" is the bank's name."""
    if not town:
        return name
    found = _TOWN_AFTER.match(name)
    if found and fold(spell_city(found.group(3))) == fold(spell_city(town)):
        if found.group(2).strip().lower() in ("of", "in") and len(_name_words(found.group(1))) < 2:
            return name
        return found.group(1)
    # Or straight after a name of two words or more, as a regional office is named: "FirstService Residential
    # Jacksonville".
    words, town_words = name.split(), len(town.split())
    before = " ".join(words[:-town_words])
    if fold(spell_city(" ".join(words[-town_words:]))) == fold(spell_city(town)) and len(_name_words(before)) >= 2:
        return before
    return name


def _without_run(words: list[str], run: list[str]) -> list[str]:
    """``words`` with the first run of ``run``'s words in them left out (a name without its town's name)."""
    for start in range(len(words) - len(run) + 1) if run else ():
        if words[start : start + len(run)] == run:
            return [*words[:start], *words[start + len(run) :]]
    return words


_TOWN_STATE_AFTER = re.compile(
    # the town's words run to the comma, never over a title's separator ("Solana Hills - Creekside - Hutto, TX")
    rf"\s+[-\u2013\u2014|]\s+[^\W\d](?:[\w.'-]|\s(?![-\u2013\u2014|]\s))*,"
    rf"\s*(?:{'|'.join(sorted({c for c in US_STATES.values()}))})\.?\s*$"
)

# A planning department's case type before or after the subdivision's name it is filed for: "Final Plat: CALICHE
# OAKS Sec 1", "SCP Lehman Commons Phase 2", "Zoning - Dacy Farms", "BUNTON TRAILS SECTION 2A PRELIMINARY PLAT". An
# abbreviation only in capitals ("SCP", "PP") and before a dash or two words, a name's own otherwise.
_CASE_TYPES = (
    r"(?:final|prelim(?:inary)?|amending|amended|minor|short|development)\s+plat|re-?plat|site\s+plan|site\s+development"
    r"\s+permit|(?:subdivision\s+)?construction\s+plans?|concept\s+plan|(?:re)?zoning(?:\s+change)?|annexation"
    r"|development\s+agreement|p\.?u?\.?d\.?\s+amend(?:ment)?|variance|(?:conditional|specific)\s+use\s+permit"
)
_CASE_ABBREVIATIONS = r"SCP|PP|FP|DA|ACC|CUP|SUP|ZC"
_PLANNING_CASE = re.compile(
    rf"^\s*(?:(?i:{_CASE_TYPES})|{_CASE_ABBREVIATIONS})\s*[:\-\u2013\u2014]\s*(?=\w)"
    rf"|^\s*(?:{_CASE_ABBREVIATIONS})\s+(?=\w+\s+\w)"  # "SCP Lehman Commons", not "SCP Ranch"
    # A replat of some lots of a block before the plat's name: "Replat of Lot 37, Block 2, Bella Creek Phase III".
    r"|^\s*(?i:(?:partial\s+)?re-?plat\s+of\s+lots?\s+[\w\s&,-]+?,\s*blocks?\s+\w+\s*,\s*)(?=\w)"
    rf"|[\s,:\-\u2013\u2014]+(?i:(?:final|prelim(?:inary)?)\s+plat(?:\s*\(revised\))?|site\s+plan|construction\s+plans)\s*$"
    # The plat's stage alone after a comma or a dash: "Brazos Hills Sec VIII, Final", "Oak Park - Prelim".
    r"|\s*[,\-\u2013\u2014]\s*(?i:final|prelim(?:inary)?)\s*$"
)

# Words a page title's trade description after a bar may hold beside a builder's generic words: "Custom Home Builder
# in Conroe, TX", "Quality Homes Since 1998"; and the work it offers in its own trade's words, "Clark Sprinkler Systems
# - Sprinkler Repair & Installation".
_TRADE_TAIL_WORDS = FILLER_WORDS | {"new", "quality", "since", "and", "luxury", "affordable"}
_WORK_OFFERED = frozenset({"repair", "repairs", "installation", "installations", "install", "maintenance", "removal",
                           "replacement", "trimming", "cleaning"})  # fmt: skip
# A description opening with the business's licence or its hours is a tagline whatever trade it names after them:
# "Brickell Lock Service | 24/7 Emergency Locksmith", "Rain Tech | Licensed Irrigator", "- 24 Hour Service", a board's
# initials before it, "| ISA Certified Arborists".
_TAGLINE_OPENING = re.compile(
    r"^\s*(?-i:[A-Z]{2,5}\s+)?(?:licensed|insured|bonded|certified|24\s*/\s*7|24\s*(?:-\s*)?(?:hours?|hrs?)\b"
    r"|free\s+estimates?\b)",
    re.IGNORECASE,
)
# What a page title puts between the name and its description: a bar, or a spaced dash (the last one).
_TITLE_SEPARATOR = re.compile(r"\s*\|\s*|\s+[-\u2013\u2014]\s+")
# Where the description says the trade is plied, a place and its state: "... in Toms River NJ", "in Prosper, TX".
_IN_A_PLACE = re.compile(rf"\s+in\s+[^\W\d][\w .'-]*?,?\s+(?:{_STATE_WORDS}|{_STATE_CODES})\.?\s*$", re.IGNORECASE)


def _without_trade_after_bar(name: str, town: str | None) -> str:
    """A builder's name without a page title's description of its trade after a bar or a spaced dash: "Harbor Point
    Custom Homes | Custom Home Builder", "Pecan Hollow Builders | Home Builder in Prosper, TX", "Premier Building Group
    - Luxury Custom Homes in Toms River NJ" are the builders' names alone, as is the name a site greets with, "Welcome
    to Costa Homes". A part after the bar with a word of its own (a division, "Perry Homes | Houston West", where the
    town is another) stays."""
    name = _GREETING.sub("", name)
    separators = list(_TITLE_SEPARATOR.finditer(name))
    if not separators:
        return name
    last = separators[-1]
    head, tail = name[: last.start()].strip(), _IN_A_PLACE.sub("", name[last.end() :])
    if not _name_words(head):
        return name
    if _TAGLINE_OPENING.match(tail):
        return head
    words = [w for w in re.split(r"[^\w']+", tail.lower()) if w and not w.isdigit()]
    # The name's own words describe the work it offers beside a word of work and no number; without one, they name a
    # site of an organisation's ("Carole Robertson Center For Learning - Carole Robertson Center 2929").
    offered = bool(_WORK_OFFERED.intersection(words)) and not any(c.isdigit() for c in tail)
    allowed = (
        GENERIC_WORDS["builder"]
        | _TRADE_TAIL_WORDS
        | set(_name_words(spell_city(town) if town else ""))
        | (_WORK_OFFERED | set(re.split(r"[^\w']+", head.lower())) if offered else set())
    )
    states = {w.lower() for w in US_STATES} | {c.lower() for c in US_STATES.values()}
    trade = all(w in allowed or w in states or w in ABBREVIATIONS and ABBREVIATIONS[w] in allowed for w in words)
    if "|" not in last.group() and not set(words) - states - set(_name_words(spell_city(town) if town else "")):
        return name  # a town alone after a dash is a branch's (``_without_town``), no trade
    return head.strip() if trade and words else name


@lru_cache(maxsize=200_000)
def normalize_name(name: str | None, entity_type: str = "builder", town: str | None = None) -> NormalizedName:
    """A name reduced to what identifies it: no case, accents, legal suffix, filler words or abbreviations.
    ``town``: the business's town; a name ending with it ("SmileCare Dental of Winter Springs") has it as a
    qualifier, part of the name but not of what identifies it."""
    name = _LICENCE_IN_NAME.sub(" ", _TAGLINE.sub("", _BOARD_NUMBER.sub("", _WHAT_IT_HAS.sub(" ", name or ""))))
    if entity_type == "builder":
        # A chain's store number ("SPROUTS #676", "CUBESMART 9291"), compared apart (``records.store_number``), no
        # word of its name.
        unnumbered = _NUMBERED_STORE.sub(" ", name)
        if store := bare_store_number(unnumbered):
            unnumbered = unnumbered[: store.end(1)]
        name = unnumbered if _name_words(unnumbered) else name
    # A place named for Dr. King, however written: "DR M L KING JR PARK", "MLK Park", "Martin Luther King Jr. Park".
    name = _MARTIN_LUTHER_KING.sub("Martin Luther King", name)
    if entity_type == "builder" and name.isupper():
        name = _school_level_spelt(name)
    if entity_type == "builder":
        name = _RV_PARK.sub("RV Park", name)
        name = _GOLF_AND_COUNTRY_CLUB.sub("Golf & Country Club", name)
        # A congregation's property held in its trustees' names, as an exemption roll lists its owner: "TRUSTEES OF
        # FIRST BAPTIST CHURCH OF KATY" is the church.
        name = _TRUSTEES_OF.sub("", name) or name
        # A denomination's church by its initials, as a tax roll or a church's own sign writes it: "BETHEL UMC".
        name = _DENOMINATION_INITIALS.sub(lambda m: _DENOMINATIONS_SPELT[_letters(m.group(0))], name)
        name = _CHURCH_SHORT.sub(lambda m: f"{_CONGREGATION_SHORT.get(m.group(1).lower(), m.group(1))} Church"
                                 if m.group(1) else "Church", name)  # fmt: skip
    # A number spelt in two words is the number: "Twenty-One Club" is "21 Club".
    name = _SPELT_COMPOUND_NUMBER.sub(lambda m: str(10 * _TENS[m.group(1).lower()] + _UNITS[m.group(2).lower()]), name)
    if entity_type == "community":
        # A register's id in parentheses after the name: a federal condominium list's "LIGHTHOUSE ROW (P8448979)".
        name = _ID_IN_PARENTHESES.sub(" ", name).strip() or name
    if entity_type == "community" and (titled := _NEW_HOMES_IN_TITLE.match(name)) and titled["town"]:
        name = titled["place"]
    if entity_type == "community":
        # A listing page's town and state after the name: "The Grove at Mueller - Austin, TX".
        name = _TOWN_STATE_AFTER.sub("", name) or name
        name = _PLANNING_CASE.sub("", name) or name
        if village_of := _VILLAGE_OF.match(name):
            # "WOODLANDS VILLAGE OF CREEKSIDE PARK" is the village Creekside Park in The Woodlands, as "Creekside Park
            # at The Woodlands" names it; "Village of Creekside Park" is Creekside Park.
            master = village_of.group("master") or ""
            name = village_of.group("village") + (f" at {master}" if _name_words(master, "community") else "")
    if entity_type == "community" and _name_words(unrestricted := _AGE_RESTRICTED.sub(" ", name)):
        name = unrestricted
    # A manufactured home park's kind, taken out of the name and kept among its kinds (``comparisons.compare_name``).
    unkinded = _PARK_KIND.sub(" ", name) if entity_type == "community" else name
    parked = unkinded != name and bool(_name_words(unkinded))
    if parked:
        name = unkinded
    if entity_type == "community" and _name_words(unsold := _SALES_STATUS.sub(" ", name).strip(" |:-\u2013\u2014")):
        name = unsold
    if entity_type == "community" and _name_words(unsloganed := _without_slogan(name)):
        name = unsloganed
    if entity_type == "community" and (legal := legal_description(name)) is not None and _name_words(legal[1]):
        # A lot's legal description in a permit's subdivision cell, "LOT 10 BLK 1 ZEPHYR SPGS SEC 2": its plat.
        name = legal[1]
    if entity_type == "community" and (tag := _PROJECT_TAG.search(name)) and tag.group(1).lower() not in _COMPASS:
        # A utility's project tag after the name, capitals with no vowel ("Sable Heights - FTTH"): no word of a place's
        # name, which has its vowels; a compass point ("- NW") is a village's.
        name = name[: tag.start()]
    if entity_type in ("community", "builder") and _name_words(
        untitled := _NEW_HOMES_IN.sub(" ", name).strip(" |-\u2013\u2014")
    ):
        # A builder's page title too: "JP Whitaker Homes - New Homes in Sugar Land, TX".
        name = untitled
    if entity_type == "builder":
        name = _without_trade_after_bar(name, town)
    by = _BY_BUILDER.match(name) if entity_type == "community" else None
    if by and (_name_words(by.group(2)) or [""])[-1] in _BUILDER_NAME_ENDS:
        name = by.group(1)  # "Laurel Springs by Halstead Homes": the community's name is what comes before its builder
    if entity_type == "community" and len(dashed := SPACED_DASH.split(name)) > 1:
        # Or after a dash: "Palmera Ridge - Tri Pointe Homes", a builder's name ending with its kind ("Homes").
        builder = _name_words(dashed[-1])
        head = " - ".join(dashed[:-1])
        if len(builder) >= 2 and builder[-1] in _BUILDER_NAME_ENDS and _name_words(head, "community"):
            name = head
    by = _BY_BUILDER.match(name) if entity_type == "builder" else None
    brand_words = _name_words(by.group(1)) if by else []
    if brand_words[-1:] and brand_words[-1] in _BUILDER_NAME_ENDS and set(brand_words) - GENERIC_WORDS["builder"]:
        # "Trailhead Homes by Ashford": a builder's brand, its parent after it ("Homes by Taber" stays whole).
        name = by.group(1) if by else name
    words = _name_words(name, entity_type)
    # A qualifier in parentheses ("Redbud (Houston)"), or a builder's state after its name, is part of the name but not
    # of what identifies it.
    generic = GENERIC_WORDS.get(entity_type, frozenset())
    # A community's number in parentheses is its own, a lot width or a section ("Lakeshore Commons (40' Homesites)"),
    # no qualifier; not a special district's that serves it, "Autumn Hollow (FBC MUD 137)".
    bare = _PARENTHESES.sub(
        lambda m: m.group(0) if entity_type == "community" and _own_number(m.group(0)) else " ", name or ""
    )
    if entity_type == "builder":
        bare = _without_site_road(bare)
    if entity_type == "builder" and set(_name_words(without_state := _STATE_QUALIFIER.sub("", bare))) - generic:
        bare = without_state  # not where the state is all the name says ("Homes of North Carolina")
    if entity_type == "builder" and set(_name_words(without_town := _without_town(bare.strip(), town))) - generic:
        bare = without_town  # nor where the town is ("Bank of Lake Mary")
    unqualified = _name_words(bare, entity_type) or words
    core = [w for w in unqualified if w not in generic] or unqualified
    initialisms = frozenset(_initialisms(name or "")) & frozenset(words)
    acronym = core[0] if len(core) == 1 and core[0] in initialisms else ""
    # A landmark a travel site locates a place by ("Hampton Inn Round Rock near Stadium") is not its kind.
    placed = words[: words.index("near")] if "near" in words[1:] else words
    if entity_type == "builder" and town:
        placed = _without_run(placed, _name_words(spell_city(town)))  # nor is its town: "Camp Bow Wow Cedar Park"
    kinds = (
        frozenset(BUSINESS_KINDS[w] for w in placed if w in BUSINESS_KINDS and _written_whole(w, name))
        if entity_type == "builder"
        else frozenset()
    )
    if entity_type == "builder":
        kinds |= {SHORTENED_ALSO[w] for w in placed if w in SHORTENED_ALSO}
    if entity_type == "builder" and _names_home_building(words):
        kinds |= {HOME_BUILDING}
    if parked:
        kinds |= {MANUFACTURED_HOMES}
    if entity_type == "builder":
        spaced = f" {' '.join(placed)} "
        kinds |= {kind for phrase, kind in KIND_PHRASES.items() if f" {phrase} " in spaced}
        kinds -= {kind for phrase, kind in NOT_THE_TRADE.items() if f" {phrase} " in spaced}
    part_of = _PART_OF.match(bare) if entity_type in ("community", "builder") else None
    if part_of and (_name_words(part_of.group(1)) or [""])[-1] in _BUILDER_NAME_ENDS:
        part_of = None  # a builder at the place
    if (
        part_of
        and entity_type == "builder"
        and set(_name_words(part_of.group(1))) - set(_name_words(part_of.group(2))) <= DEPARTMENT_WORDS
    ):
        part_of = None  # the business's own department: "Service Department at Orr Kia", "Kia Parts at Kia of Plano"
    host = [w for w in _name_words(part_of.group(2), entity_type) if w not in generic] if part_of else []
    if entity_type == "community" and not host:
        host = _master_plan_before(bare, generic)
    if entity_type == "builder" and not host:
        # A business's building in parentheses, or a host one names, or the building after a dash: "Harlan Grill
        # (Harlan Hotel)", a delivery app's virtual brand cooked in a restaurant's kitchen, "Smash Bros Burgers (at Red
        # Rabbit)", "Y School Age Care - Liberty Elementary" (a program in a school that runs its own).
        inside = next(
            (
                _HOSTED.sub("", m[1:-1])
                for m in _PARENTHESES.findall(name or "")
                if BUILDING_KINDS & set(_name_words(m)) or _HOSTED.match(m[1:-1])
            ),
            "",
        )
        dashed = SPACED_DASH.split(name or "")
        if not inside and len(dashed) > 1 and BUILDING_KINDS & set(_name_words(dashed[-1])):
            inside = dashed[-1]
        host = _name_words(inside)
    spelt = _name_words(name, entity_type, fillers=True)
    return NormalizedName(
        key=" ".join(words),
        core=" ".join(core),
        tokens=tuple(words),
        acronym=acronym,
        initialisms=initialisms,
        kinds=kinds,
        host=" ".join(host),
        spelt_initials="".join(w[0] for w in spelt) if len(spelt) > len(words) else "",
        digits=frozenset(n.lstrip("0") or "0" for n in _DIGITS.findall(fold(name))),
    )


_DIGITS = re.compile(r"\d+")
_PLAT_PARTS = frozenset({"section", "phase", "filing", "unit"})
# Words a list writes for what a plat is, no part of its name: "Cottonwood Bend Subd" is the roll's "COTTONWOOD BEND".
_PLAT_KIND_WORDS = frozenset({"subdivision", "subdiv", "subd", "sub", "sbdv", "addition", "addn"})
# An appraisal district's code of the plat before its name, "S7021" of "S7021 - COTTONWOOD BEND SEC 3" (a section is
# one or two digits: "S2 CYPRESS CREEK RANCH").
_PLAT_CODE = re.compile(r"[a-z]\d{3,}")
# The shortest word a typo is read in: "Cottonwod" is Cottonwood, "Highlands" Highland; "Oaks" is not "Oak".
_PLAT_TYPO_LENGTH = 5


@dataclass(frozen=True, slots=True)
class Plat:
    """A subdivision as a legal description or a builder's list names it: its name's words and its section."""

    words: frozenset[str]
    section: str | None
    head: str  # the name's first word: "fulbrook" of "Fulbrook on Fulshear Creek"
    spelt: tuple[str, ...] = ()  # its words in order, short ones left out: ("shadow", "creek", "ranch")

    def named_alike(self, other: Plat) -> bool:
        """One subdivision's name: one's words within the other's (a builder's "Cypress Creek Ranch 50'", its lot
        width, beside the county's "CYPRESS CREEK RANCH"), a word typed with a letter dropped, added, changed or two
        swapped ("Cottonwod Bend", "Highlands Springs"), or two words run together ("Stone Brook Crossing" /
        "Stonebrook Crossing")."""
        fewer, more = sorted((self, other), key=lambda plat: len(plat.words))
        if all(w in more.words or any(_plat_word_typed(w, v) for v in more.words) for w in fewer.words):
            return True
        return "".join(self.spelt) == "".join(other.spelt)

    def written_as(self, other: Plat) -> bool:
        """One name however a homeowner writes it: named alike, its words run together ("Marbella" / "Mar Bella"), or
        one written as the other's initials ("SCR" / "Shadow Creek Ranch")."""
        if self.named_alike(other) or "".join(self.spelt) == "".join(other.spelt):
            return True
        return any(
            len(x.spelt) == 1 and len(y.spelt) >= 2 and x.spelt[0] == "".join(w[0] for w in y.spelt)
            for x, y in ((self, other), (other, self))
        )

    def sections_differ(self, other: Plat) -> bool:
        return self.section is not None and other.section is not None and self.section != other.section


def plat_of(text: str | None) -> Plat | None:
    """The plat a subdivision's name and section give ("Cypress Creek Ranch Sec 2", "S2 CYPRESS CREEK RANCH",
    "SEC II"), or None where it names none. A legal description's "S2" is section 2, as a community's name reads it
    (``_section_letter``)."""
    tokens = normalize_name(text or "", "community").tokens
    section = next(
        (tokens[i + 1] for i, w in enumerate(tokens[:-1]) if w in _PLAT_PARTS and tokens[i + 1].isalnum()), None
    )
    own = [
        w
        for w in tokens
        if w not in _PLAT_PARTS and w not in _PLAT_KIND_WORDS and not w.isdigit() and w != section
        and not _PLAT_CODE.fullmatch(w)
    ]  # fmt: skip
    spelt = tuple(w for w in own if w not in FILLER_WORDS)
    head = spelt[0] if spelt else own[0] if own else ""
    return Plat(frozenset(own), section, head, spelt) if own else None


def _plat_word_typed(x: str, y: str) -> bool:
    """One word of a plat's name typed as another: long enough, one edit apart, the same first letter and no digit."""
    return (
        min(len(x), len(y)) >= _PLAT_TYPO_LENGTH
        and x[0] == y[0]
        and x.isalpha()
        and y.isalpha()
        and OSA.distance(x, y, score_cutoff=1) <= 1
    )


# A brand written with its parent's name after "by" ("Hampton by Hilton").
_BY_PARENT = re.compile(r"\s+by\s+", re.IGNORECASE)


def brand_key(brand: str | None) -> frozenset[str] | None:
    """A brand's own words, as a list's brand column gives it: not its parent's ("Hampton by Hilton" is {"hampton"}),
    nor the kind of building its hotels are ("Candlewood Suites" is {"candlewood"}, "Drury Hotels" {"drury"})."""
    own = _BY_PARENT.split(brand or "", maxsplit=1)[0]
    words = frozenset(
        w for w in normalize_name(own).core.split() if w not in BUILDING_KINDS and w.rstrip("s") not in BUILDING_KINDS
    )
    return words or None


def brand_by_parent(name: str) -> frozenset[str] | None:
    """The brand a name gives before its parent's: "Hampton Inn & Suites by Hilton Dallas Galleria Area" is
    {"hampton"}, "Tru by Hilton Dallas Galleria Area" {"tru"}; two brands of one parent at one building are two
    hotels, whatever the parent's name and the place after it share. None where the name names no parent."""
    own, *parent = _BY_PARENT.split(name, maxsplit=1)
    return brand_key(own) if parent and _name_words(parent[0]) else None


def without_its_builder(name: str, builder: str | None, *, named_alone: bool = False) -> str:
    """A community's name without the builder a list names it by, where the row's builder column names that one
    ("Briar Meadows by Taylor Morrison" beside "Taylor Morrison" is "Briar Meadows", "Pulte at Pecan Ridge" beside
    "Pulte Homes" "Pecan Ridge"); ``normalize_name`` drops a builder's name only where it says it is one ("by
    Halstead Homes"). ``named_alone``: a builder the record's own row does not name (another file's), whose whole
    core the part must be."""
    if not builder:
        return name
    given = set(normalize_name(builder).core.split())
    for part, rest, whole in builder_parts(name or ""):
        named = set(normalize_name(part).core.split())
        if named and given and (named == given if whole or named_alone else (named <= given or given <= named)):
            return rest
    return name


def builder_parts(name: str) -> list[tuple[str, str, bool]]:
    """Where a community's name may name its builder, in the order read: the part, the name without it, and whether
    the part must be the builder's whole name. After "by" ("Laurel Springs by Halstead Homes"); before "at", the
    builder alone ("Pulte at Pecan Ridge"; "The Woods at Avalon Village" is no offering of Ashton Woods'); a page
    title's last part or its first ("Summit Reserve | Halvorsen Homes")."""
    found = []
    if by := _BY_BUILDER.match(name):
        found.append((by.group(2), by.group(1), False))
    if at := _BUILDER_AT.match(name):
        found.append((at.group(1), at.group(2), True))
    parts = [p for p in _TITLE_SEPARATOR.split(name) if p.strip()]
    if len(parts) > 1:
        found += [(parts[-1], " - ".join(parts[:-1]), False), (parts[0], " - ".join(parts[1:]), False)]
    return found


# A builder's offering at a place, named builder first: "Lennar at Harvest Green".
_BUILDER_AT = re.compile(r"^(\w.*?)\s+at\s+(\w.*)$", re.IGNORECASE)
# What separates a web page's title's parts: "Summit Reserve | Halvorsen Homes", "Summit Reserve – Halvorsen Homes".
_TITLE_SEPARATOR = re.compile(r"\s*\|\s*|\s+[-\u2013\u2014]\s+")
# The words before a road's number, as a chain names a site by the road it is on ("Glide Car Wash - Hwy 71").
ROAD_WORDS = frozenset({"highway", "route", "rte", "fm", "rm", "sh", "sr", "cr", "us", "interstate", "ih", "i",
                        "loop", "spur", "road"})  # fmt: skip


# A number of four to six digits ending a business's name, after a word: a roll's "CUBESMART 9291".
_BARE_NUMBER = re.compile(r"([^\W\d_]+)\.?\s+0*(\d{4,6})\s*$")
# The words after which such a number is no store's: a road's ("FM 1093"), a suite's, a box's.
_NUMBERED_BY = ROAD_WORDS | {"suite", "ste", "unit", "box", "bldg", "building", "no", "number"}


def bare_store_number(name: str) -> re.Match[str] | None:
    """A chain's store number written after its name with no sign ("CUBESMART 9291", "7-Eleven 34512"); not a road's
    ("Storage - FM 1093") nor a suite's. The match's second group is the number."""
    found = _BARE_NUMBER.search(name)
    return found if found and found.group(1).lower() not in _NUMBERED_BY else None


def _without_site_road(name: str) -> str:
    """A chain's site named after its brand by the road it is on ("CubeSmart - Fairmont Pkwy", "Glide Car Wash - Hwy
    71"): a qualifier, part of the name but not of what identifies it, as a locator writes it where a tax roll writes
    the brand's kind ("CUBESMART SELF STORAGE")."""
    *named, site = _TITLE_SEPARATOR.split(name)
    words = _name_words(site)
    numbered_road = len(words) >= 2 and words[0] in ROAD_WORDS and words[-1].isdigit()
    typed_road = (
        2 <= len(words) <= 4
        and not words[0].isdigit()
        and (words[-1] in STREET_TYPES or STREET_WORDS.get(words[-1]) in STREET_TYPES)
    )
    if named and (numbered_road or typed_road) and _name_words(" ".join(named)):
        return " - ".join(named)
    return name


# A builder's page title's words for search engines, not the community's name: "New Homes in Leander, TX".
# Where a community's sales stand, as a portal writes it before or after its name: "Coming Soon: Harvest Green",
# "Harvest Green (Coming Soon)", "Harvest Green - Now Selling", "... - Closeout"; and a builder's campaign for it,
# "... - Interest List", "... | Quick Move-Ins", "Lot Release: ...". No part of its name.
_SALES_STATUS = re.compile(
    r"\s*[(\[]?\b(?:coming\s+soon|now\s+(?:selling|open|leasing|pre-?selling)|pre-?selling|grand\s+opening|"
    r"close-?out|final\s+opportunit(?:y|ies)|sold\s+out|interest\s+list|vip\s+list|quick\s+move[\s-]*ins?|"
    r"move[\s-]*in\s+ready(?:\s+homes)?|lot\s+release|open\s+house)\b[)\]!]?\s*:?"
    # and a rental listing's "… Townhomes for Rent", "… Apartments for Lease" at its end
    r"|\s+for\s+(?:rent|lease)\s*$",
    re.IGNORECASE,
)
# A community's site's slogan after its name, or its greeting before it: "Sage Reserve - Live. Play. Belong.", "… |
# Resort-Style Living", "Welcome to Sage Reserve", "The Official Site of Sage Reserve".
_SLOGAN_WORDS = frozenset({"live", "work", "play", "belong", "grow", "thrive", "stay", "shop", "dine", "relax",
                           "explore", "discover", "experience", "enjoy", "love", "call", "home", "living", "life",
                           "lifestyle", "style", "resort", "luxury", "amenities", "award", "winning", "where", "you",
                           "your", "our", "welcome", "family", "friendly", "better", "best", "is", "are", "begins",
                           "starts", "it", "all", "here", "more", "and", "naturally", "the", "of", "to", "a", "in",
                           "at", "place"})  # fmt: skip
# A slogan's way of living, its last word: "… - Hill Country Living", "… | Lakeside Lifestyle".
_WAYS_OF_LIVING = frozenset({"living", "lifestyle"})
_GREETING = re.compile(r"^\s*(?:welcome\s+to|(?:the\s+)?official\s+(?:web\s*)?site\s+(?:of|for))\s+", re.IGNORECASE)


# A tag of two to five capitals with no vowel after a spaced dash, a bar or a colon ending a community's name.
_PROJECT_TAG = re.compile(r"\s*(?:\s[-\u2013\u2014]|\||:)\s*([B-DF-HJ-NP-TV-XZ]{2,5})\s*$")
_COMPASS = frozenset(DIRECTION_ABBREVIATIONS.values())


def _without_slogan(name: str) -> str:
    """A community's name without its site's slogan after a bar or a spaced dash, every word of it a slogan's ("A Place
    to Grow"), or three words at most ending with a way of living ("Hill Country Living"), and without a greeting
    before it."""
    name = _GREETING.sub("", name)
    head, *tail = re.split(r"\s+[-\u2013\u2014|]\s+|\s*\|\s*", name, maxsplit=1)
    words = re.findall(r"[a-z]+", tail[0].lower()) if tail else []
    slogan = all(w in _SLOGAN_WORDS for w in words) or (len(words) <= 3 and words[-1] in _WAYS_OF_LIVING)
    return head if words and slogan else name


_NEW_HOMES_IN = re.compile(
    r"(?:^|\s*\|\s*|\s+[-\u2013\u2014]\s+|\s+)new\s+(?:construction\s+)?homes?\s+(?:for\s+sale\s+)?in\s+[^|\u2013\u2014]*?"
    r"(?=\s*\||\s+[-\u2013\u2014]\s+|$)"
    # and at a title's end alone: "Sable Point New Homes", "... New Homes for Sale"
    r"|\s+(?:[-\u2013\u2014|]\s+)?new\s+(?:construction\s+)?homes?(?:\s+for\s+sale)?\s*$",
    re.IGNORECASE,
)


def _names_home_building(words: list[str]) -> bool:
    """The name ends with "Homes", or with "Homes" and other trades: "Legacy Homes", "KB Home", "Smith Homes &
    Remodeling"; not "Home Run Inn Pizza"."""
    if "home" not in words[1:]:
        return False
    last = len(words) - 1 - words[::-1].index("home")
    if BUSINESS_KINDS.get(" ".join(words[last + 1 : last + 2])) in ("mortgage", "insurance", "inspection"):
        # A lender's, an insurer's or an inspector's trade: "Wells Fargo Home Mortgage", "Taylor Morrison Home
        # Funding", "Beckendorf Home Inspections".
        return False
    return all(w in BUSINESS_KINDS for w in words[last + 1 :])


# Initials as a name writes them: capitals in a name that has small letters too ("DRB Homes"), letters each with
# a period ("D.R.B."), or in a name all in capitals, where every word looks so, capitals with no vowel ("DRB
# HOMES", "KB HOME"): such a word is not one to say ("OAK HOMES" keeps its "Oak").
_CAPITALS = re.compile(r"\b[A-Z]{2,5}\b")
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.\s?){2,5}")
_VOWELS = frozenset("AEIOU")


# The most letters a name of one word in capitals has to be read as initials whatever its vowels: "BGE", "EHRA" (a
# firm's partners and its "& Associates"), "TDECU" (Texas Dow Employees Credit Union).
LONE_INITIALS = 5


def _initialisms(name: str) -> set[str]:
    capitals = [m.group(0) for m in _CAPITALS.finditer(name)]
    if not any(c.islower() for c in name) and not (
        len(capitals) == 1 == len(name.split()) and len(name.strip()) <= LONE_INITIALS
    ):
        # In a name all in capitals, a word with a vowel is a word ("KB HOME"), unless it is all the name is.
        capitals = [word for word in capitals if not _VOWELS & set(word)]
    dotted = {"".join(c for c in m.group(0) if c.isalpha()) for m in _DOTTED.finditer(name)}
    return {word.lower() for word in (*capitals, *dotted)}


# A plat's parts, read with their number ("Phase 2", "Section 12"); the number in Roman numerals after one is the
# number one listing writes in digits ("Bramble Bend - Phase II" / "Bramble Bend Phase 2").
# A place's words as plats and registers abbreviate them, spelt out in a community's name ("Redcreek Ests", "Cypress
# Xing", "Willow Crk"): USPS Publication 28's forms of its street suffixes that are no word (three letters or more and
# no vowel), and "Ests" and "Xing". Shorter forms ("Pt", "Dr", "Br") are too often initials or another word.
PLACE_ABBREVIATIONS = {
    form: suffix
    for suffix, forms in STREET_SUFFIX_FORMS.items()
    for form in forms
    if len(form) >= 3 and not re.search("[aeiouy]", form)
} | {
    "ests": "estates",
    "xing": "crossing",
    "stage": "phase",  # an Ontario project's "Stage 2" is its phase 2
    "trls": "trails",
    "pte": "pointe",  # a registry's "THE PTE AT SOUTHPARK"
    # A street type's Postal Service forms with a vowel, which the rule above leaves out, and a report's "Rch".
    "holw": "hollow",
    "holws": "hollows",
    "rch": "ranch",
    "cmns": "commons",  # the Postal Service's forms of "Commons", "Common"
    "vly": "valley",  # a co-op's development list, "CYPRESS VLY SEC 2"
    "pres": "preserve",  # "HARMONY PRES"
    "cmn": "common",
    "amnd": "amending",  # an appraisal list's "AMND PLAT"
    "rplt": "replat",  # a clerk's index, "CINCO RANCH RPLT SEC 1"
    "rp": "replat",  # an appraisal district's neighborhood list, "WILLOW FORK SEC 07 R/P"
    "plntn": "plantation",
    "sur": "survey",  # a Texas roll's abstract, "A0159 J CAVANAUGH SUR"
    # A compass point of two letters, which a name's initials rarely are in a subdivision's: "CINCO RANCH NW".
    **{abbreviation: word for word, abbreviation in DIRECTION_ABBREVIATIONS.items() if len(abbreviation) == 2},
    # a rental register's townhomes, "DORCHESTER LANDING II TWNHMS"
    "twnhms": "townhomes",
    "twnhm": "townhome",
    "twnhs": "townhomes",
    "wds": "woods",  # a county addressing list's "FALCON WDS"
    "sta": "station",  # a utility's build-out list, "CYPRESS STA PH 2"
}  # the Postal Service reads its "Trails" as "Trail"; a subdivision's name is its own
# A place's word as a federal property list shortens it at the end of a community's name ("SHELDON SQ", "OAK TERR"),
# where a word this short is no initials (within a name, "Pt" or "Ct" may be).
ENDING_PLACE_ABBREVIATIONS = {"sq": "square", "pl": "place", "terr": "terrace", "ter": "terrace", "ct": "court",
                              "pt": "point", "cv": "cove", "cir": "circle"}  # fmt: skip
# A plat's words around its number: "Redcreek Estates Sec 2 Partial Replat No 1", "Tract 31542", "Amending Plat".
PLAT_WORDS = frozenset({"section", "phase", "filing", "unit", "addition", "replat", "partial", "amending", "amended",
                        "plat", "resubdivision", "tract", "no",
                        # an Arizona master plan's parcels ("Eastmark Parcel 7-3")
                        "parcel"})  # fmt: skip


def _roman(number: int) -> str:
    tens, units = divmod(number, 10)
    return "x" * tens + ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")[units]


# A plat's part numbered in Roman numerals, as far as a master plan's sections run ("CROSS CREEK RANCH SEC XXIV").
ROMAN_NUMERAL_VALUES = {_roman(n): str(n) for n in range(1, 40)}


# The words plats of one state or another number their parts by: "Section 4", "Phase 4", "Filing 4", "Unit 4".
# Builders and portals name the part one way or another ("Mill Creek Ests Section 4" / "Mill Creek Estates Ph 4"),
# or by its number alone ("Pecan Crossing 4", "Providence Downs South III"): all read as "section 4".
_SECTION_WORDS = frozenset({"section", "phase", "filing", "unit"})
# A number at a name's end below this is a section's; a lot width ("Jubilee 50'") is one of 30 feet or more.
LOT_WIDTH_FROM = 30


def _section_number(word: str) -> bool:
    return word.isdigit() and int(word) < LOT_WIDTH_FROM


# The words that begin a plat's revision of a recorded one: "Partial Replat No 1", "Amending Plat".
_REPLAT_WORDS = frozenset({"partial", "replat", "amending", "amended", "amd", "amendment"})
# What may follow a revision's first word besides a plat's words: its number ("Partial Replat No 1"); and its ordinal
# before it ("1ST AMENDMENT").
_REVISED = re.compile(r"\d+")
_ORDINAL_WORD = re.compile(r"\d+(?:st|nd|rd|th)")


# A plat's kind before the name it plats, as a county clerk indexes it: "AMENDING PLAT OF", "PARTIAL REPLAT OF",
# "FINAL PLAT OF".
_PLAT_OF = frozenset({"partial", "final", "preliminary", "prelim", "minor", "amending", "amended", "revised", "replat",
                      "plat", "vacation", "vacating", "no"})  # fmt: skip
# The last word of a plat's kind before "of" and the name: "... PLAT OF", "VACATION OF", "PARTIAL REPLAT NO 1 OF".
_PLAT_OF_ENDS = frozenset({"plat", "replat", "vacation"})
# What a revision after a plat's name may add beside its words: "Replat and Extension".
_REVISION_EXTRAS = frozenset({"and", "extension"})


def _without_replat(words: list[str]) -> list[str]:
    """A plat's name without the revision after it ("Harmon Ranch Sec 7 Partial Replat No 1" is "Harmon Ranch Sec
    7") or the plat's kind before it ("AMENDING PLAT OF HARMON RANCH SEC 7"): a replat redraws lots of the section it
    names, one subdivision section. Only where nothing but a plat's words and numbers follows, and where a name
    follows the kind."""
    lead = next((i for i, w in enumerate(words) if w not in _PLAT_OF and not _REVISED.fullmatch(w)), len(words))
    kind = [w for w in words[:lead] if not _REVISED.fullmatch(w) and w != "no"]
    if kind and lead + 1 < len(words) and kind[-1] in _PLAT_OF_ENDS and words[lead] == "of":
        words = words[lead + 1 :]
    start = next((i for i, w in enumerate(words) if w in _REPLAT_WORDS), None)
    if start is not None and start > 1 and _ORDINAL_WORD.fullmatch(words[start - 1]):
        start -= 1  # its ordinal before it: "1ST AMENDMENT"
    revision = words[start:] if start else []
    if not revision or not all(
        w in PLAT_WORDS
        or w in _REPLAT_WORDS
        or w in _REVISION_EXTRAS
        or _REVISED.fullmatch(w)
        or _ORDINAL_WORD.fullmatch(w)
        for w in revision
    ):
        return words
    # A section its list gives in a column of its own is written after the revision ("CYPRESS CREEK RANCH AMENDING
    # PLAT" of section 9, csv_tool._with_section): the section's, kept.
    kept = [x for w, n in pairwise(revision) if w in _SECTION_WORDS and n.isdigit() for x in (w, n)]
    return words[:start] + kept


_LETTERED_PART = re.compile(r"\d+[a-z]?")


def _plat_parts(words: list[str]) -> list[str]:
    """A community name's section under one word, however the plat or the listing says it (``_SECTION_WORDS``).
    A name giving two parts ("Section 2 Phase 1") keeps both words. The number alone is read before an
    association's words ("Dove Hollow II HOA")."""
    # Its number lettered too, a plat's part split in two: "PH 2A", "Section 2B"; a Texas plat index's unit "UT-4"
    # ("PALOMINO UT-4"), no state's code before a number.
    parts = [
        i
        for i, w in enumerate(words[:-1])
        if (w in _SECTION_WORDS or w == "ut") and _LETTERED_PART.fullmatch(words[i + 1])
    ]
    if len(parts) == 1:
        return [*words[: parts[0]], "section", *words[parts[0] + 1 :]]
    end = len(words)
    while end > 2 and words[end - 1] in GENERIC_WORDS["community"]:
        end -= 1
    if not parts and end >= 2 and words[end - 2] not in PLAT_WORDS:
        last = ROMAN_NUMERAL_VALUES.get(words[end - 1], words[end - 1])
        if _section_number(last):
            return [*words[: end - 1], "section", last, *words[end:]]
    return words


# The words that make an owners' association's name ("Property Owners Association", "Home Owners Association",
# "Residential Association", "Condo Assn", "Community Association, Inc."), and those before them that say whose or
# which kind: at the name's end, no part of the community's name.
# A condominium's owners' "Council of Co-Owners" is one too, and so is a Texas "Community Improvement Association"
# ("CIA").
_ASSOCIATION_WORDS = frozenset({"association", "owner", "homeowner", "hoa", "poa", "council", "cia"})
# A village's own association within a master plan's, its "Sub-Association"; a roster's "Comm Assn".
_ASSOCIATION_OF = frozenset({"home", "property", "residential", "condominium", "condo", "maintenance", "community",
                             "comm", "civic", "master", "co", "improvement", "neighborhood", "neighbourhood",
                             "sub"})  # fmt: skip
# What an association's name may end with after the community's: its words, a legal form, a filler word.
_ASSOCIATION_ENDING = _ASSOCIATION_WORDS | _ASSOCIATION_OF | LEGAL_SUFFIXES | FILLER_WORDS


def _without_association(words: list[str]) -> list[str]:
    """A community's name without its association's words at its end: a registry's "Sienna Ridge Community
    Association, Inc.", "Copper Pointe Property Owners Assn" and "Sorrento HOA" name the communities "Sienna Ridge",
    "Copper Pointe" and "Sorrento". A name that is nothing else keeps its first word ("Community Association").
    Dropped as a legal form is, so the names are one name ("exact"), not one name and a kind of place ("core")."""
    end = len(words)
    while end > 1 and words[end - 1] in _ASSOCIATION_ENDING:
        end -= 1
    return words[:end] if _ASSOCIATION_WORDS & set(words[end:]) else words


# A special district's kind at the end of its name ("Harmony West Community Development District", "Timber Oaks
# CDD", "Cinco MUD No. 1", "Sterling Ranch Metropolitan District No. 2"): the district a community's owners pay for
# its roads and water, named for it. Its short forms, and the words before "District" that say which kind.
_DISTRICT_ABBREVIATIONS = frozenset({"cdd", "mud", "pid", "fwsd", "wcid", "cfd", "lid", "mmd"})
_DISTRICT = frozenset({"district", "dist"})
_DISTRICT_OF = frozenset({"community", "comm", "development", "dev", "devel", "stewardship", "special", "independent",
                          "dependent", "municipal", "utility", "utilities", "metropolitan", "metro", "public",
                          "improvement", "water", "control", "fresh", "supply", "facilities", "facility", "levee",
                          "management", "reclamation", "conservation", "no", "number", "and"})  # fmt: skip
_DISTRICT_ENDING = _DISTRICT_ABBREVIATIONS | _DISTRICT | _DISTRICT_OF
_NOT_A_KIND = frozenset({"no", "number", "and"})


def _own_number(parenthesis: str) -> bool:
    """A community's parenthesis gives a number of its own (a lot width, a section), not a special district's nor a
    road's it lies beside ("(N OF HWY 290)")."""
    words = set(_NON_WORD.split(parenthesis.lower()))
    return any(c.isdigit() for c in parenthesis) and not words & (
        _DISTRICT_ABBREVIATIONS | _DISTRICT | ROAD_WORDS | {"hwy", "fwy", "pkwy"}
    )


def _without_district(words: list[str]) -> list[str]:
    """A community's name without a special district's kind at its end, its number kept: "Harmony West Community
    Development District", "Harmony West Comm. Dev. Dist." and "Harmony West CDD" name the community "Harmony West",
    "Cinco MUD No. 1" is "Cinco 1". A district's own words say which kind ("Development District", "MUD"): a
    neighbourhood named "Warehouse District" is its name. So is a district's short kind before its number and a
    section: "Granite Reserve MUD 417 Ph 3" is "Granite Reserve 417 Section 3", as a utility's engineer keys it."""
    middle = next(
        (i for i in range(1, len(words) - 2) if words[i] in _DISTRICT_ABBREVIATIONS and words[i + 1].isdigit()), None
    )
    if middle is not None and words[middle + 2] in _PLAT_PARTS:
        return [*words[:middle], *words[middle + 1 :]]
    number = words[-1:] if len(words) > 2 and words[-1].isdigit() else []
    body = words[: len(words) - len(number)]
    end = len(body)
    while end > 1 and body[end - 1] in _DISTRICT_ENDING:
        end -= 1
    dropped = set(body[end:])
    kind_said = dropped & _DISTRICT_ABBREVIATIONS or (dropped & _DISTRICT and dropped & _DISTRICT_OF - _NOT_A_KIND)
    return [*body[:end], *number] if kind_said else words


# A grade as a name: "A+ Federal Credit Union" is "Aplus", not a name of no word of its own.
_LETTER_PLUS = re.compile(r"\b([A-Za-z])\s?\+(?!\w)")


# A master plan's name written before its village's or section's: "Paloma Ridge - Travisso Point", "Pomona Lakes: Heron
# Bay 50s".
_MASTER_PLAN_FIRST = re.compile(r"\s+[-\u2013\u2014]\s+|\s*:\s+")


def _master_plan_before(name: str, generic: frozenset[str]) -> list[str]:
    """The master plan's words a community's name gives before a dash or a colon and its own name: "Paloma Ridge -
    Travisso Point" is Travisso Point in Paloma Ridge, as "Travisso Point at Paloma Ridge" is. Not where what follows
    is no name of its own: a direction ("Cinco Ranch - West", a village of Cinco Ranch's by its compass), a lot width
    ("Jubilee - 55' Homesites"), a phase or section ("Stone Ridge - Phase I"), a builder's name, or its product line
    ("Cross Creek Ranch - Classic Collection")."""
    parts = _MASTER_PLAN_FIRST.split(name.strip(), maxsplit=1)
    if len(parts) != 2:
        return []
    master = [w for w in _name_words(parts[0], "community") if w not in generic]
    compass = DIRECTIONS | DIRECTION_ABBREVIATIONS.keys()
    own = [
        w
        for w in _name_words(parts[1], "community")
        if w not in generic and not w.isdigit() and w not in compass and w not in _PLAT_PARTS
    ]
    if not master or not own or own[-1] in _BUILDER_NAME_ENDS:
        return []
    if _name_words(parts[1], "community")[-1:] and _name_words(parts[1], "community")[-1] in PRODUCT_LINE_WORDS:
        return []  # a builder's product line in it, "Cross Creek Ranch - Classic Collection", no village
    return master


def _name_words(name: str | None, entity_type: str = "builder", *, fillers: bool = False) -> list[str]:
    """The name's words as compared; ``fillers``: with the short words ("of", "in") kept, as initials spell them."""
    folded = _LOT_WIDTH.sub(
        lambda m: next(g for g in m.groups() if g),
        fold(_GLUED_GENERIC.sub(" ", _LETTER_PLUS.sub(r"\1plus", name or ""))),
    )
    split = folded.split()
    if entity_type == "community":
        split = _section_letter(split)
    # A person's middle initial; a place's single letter is its compass ("TAMARRON W SEC 1" is Tamarron West's).
    initial = _middle_initial(split) if entity_type != "community" else None
    words = [w if i == initial else ABBREVIATIONS.get(w, w) for i, w in enumerate(split)]
    if entity_type == "builder":
        words = [_generic_mistyped(w) for w in words]
    if entity_type == "community":
        words = [PLACE_ABBREVIATIONS.get(w, w) for w in words]
        # Its last word (before a section's or its kind, "APTS") a street type's short form: "SHELDON SQ", "CYPRESS
        # CREEK PL SEC 2", "WELLS BRANCH SQ APTS"; and so the last before the place it is part of, "THE SQ AT MUELLER".
        generic = GENERIC_WORDS["community"]
        last = next(
            (
                i
                for i in range(len(words) - 1, -1, -1)
                if not words[i].isdigit() and words[i] not in PLAT_WORDS and words[i] not in generic
            ),
            None,
        )
        ending = {i for i in range(len(words) - 1) if words[i + 1] in ("at", "on")} | (
            {last} if last is not None else set()
        )
        for i in ending:
            words[i] = ENDING_PLACE_ABBREVIATIONS.get(words[i], words[i])
    words = [ROMAN_NUMERAL_VALUES.get(w, w) if i and words[i - 1] in PLAT_WORDS else w for i, w in enumerate(words)]
    if entity_type == "community":
        words = _plat_parts(_without_replat(_without_association(_without_district(words))))
        # A section's number written with a leading zero ("SEC 01") is the number ("Section 1").
        words = [(w.lstrip("0") or "0") if w.isdigit() else w for w in words]
    # An article stands before a word: "Le" ending a name or before "and" is a surname ("Mei Le", "Le & Associates").
    words = [
        w
        for i, w in enumerate(words)
        if (fillers or w not in FILLER_WORDS or (w in SURNAME_ARTICLES and words[i + 1 : i + 2] in ([], ["and"])))
        and w != "and"
    ]
    # Legal suffixes only at the end ("Co" inside "Co Op" stays), possibly stacked ("Homes Co Inc"), written short or
    # spelt out ("ALPINE HOMES LIMITED LIABILITY COMPANY"): a legal form two companies share says nothing of either.
    while len(words) > 1:
        spelt = next(
            (n for n in _SPELT_LEGAL_FORM_LENGTHS if len(words) > n and tuple(words[-n:]) in _SPELT_LEGAL_FORMS), 0
        )
        if spelt:
            del words[-spelt:]
        elif words[-1] in LEGAL_SUFFIXES:
            words.pop()
        else:
            break
    return words


# A company's legal form spelt out, as a state's register of entities writes it; a national bank's "National
# Association" ("Capital One, National Association").
_SPELT_LEGAL_FORMS = frozenset({
    ("limited", "liability", "company"), ("limited", "liability", "partnership"), ("limited", "partnership"),
    ("limited", "liability", "limited", "partnership"), ("professional", "limited", "liability", "company"),
    ("professional", "corporation"), ("national", "association"),
})  # fmt: skip
_SPELT_LEGAL_FORM_LENGTHS = sorted({len(form) for form in _SPELT_LEGAL_FORMS}, reverse=True)


# The shortest generic word whose typo is read as that word: a long word one letter or two neighbours off it is that
# word mistyped ("Buliders", "Constuction"), a short one ("Custom" / "Customs") often another.
MISTYPED_GENERIC = 8
SWAPPED_GENERIC = 5


@lru_cache(maxsize=65536)
def _generic_mistyped(word: str) -> str:
    """A builder's generic word mistyped, as that word ("stonecrest buliders" is Stonecrest Builders); any other word
    as it is."""
    if word in _GENERIC_BUILDER_WORDS or not word.isalpha():
        return word
    if len(word) < MISTYPED_GENERIC:
        # A short one with two neighbouring letters swapped, and nothing else: "Hmoes", "Hoems" are Homes (not one of
        # four letters or fewer: "RS Homes" is no senior's).
        swapped = next(
            (
                g
                for g in _GENERIC_BUILDER_WORDS
                if len(g) == len(word) >= SWAPPED_GENERIC and neighbours_swapped(word, g)
            ),
            None,
        )
        return ABBREVIATIONS.get(swapped, swapped) if swapped is not None else word
    for generic in _LONG_GENERIC_BUILDER_WORDS:
        if abs(len(generic) - len(word)) <= 1 and OSA.distance(word, generic) == 1:
            return ABBREVIATIONS.get(generic, generic)
    return word


# A plat index's or a legal description's section as "S" and its number: "CINCO RANCH S-1", "LOT 8 BLK 3 S2 CYPRESS
# CREEK RANCH".
_GLUED_SECTION = re.compile(r"s(\d{1,2})")
# A plat's part glued to its number as a purchase order or a stop list types it: "MAYFAIR - PH2", "VERANDA SEC13".
_PART_WORDS_WRITTEN = frozenset({"ph", "phase", "sec", "sect", "section", "unit", "ut", "flg", "fil", "filing"})
_GLUED_PART = re.compile(rf"({'|'.join(sorted(_PART_WORDS_WRITTEN, key=len, reverse=True))})(\d{{1,3}}[a-z]?)")


def _section_letter(words: list[str]) -> list[str]:
    """A community's words with a section written "S" and its number ("S 1", "S-1", "S2") read as "section", and a
    plat's part glued to its number ("PH2") as two words."""
    out: list[str] = []
    for i, w in enumerate(words):
        if glued := _GLUED_SECTION.fullmatch(w):
            out += ["section", glued[1]]
        elif part := _GLUED_PART.fullmatch(w):
            out += [part[1], part[2]]
        elif (
            w in ("no", "nr")
            and out
            and out[-1] in _PART_WORDS_WRITTEN
            and i + 1 < len(words)
            and words[i + 1][:1].isdigit()
        ):
            continue  # a Colorado plat's "Filing No. 18": the part's number after "No."
        elif w == "s" and i + 1 < len(words) and _GLUED_SECTION.fullmatch(f"s{words[i + 1]}"):
            out.append("section")  # "S-30" as "S30": a section of any two digits, no lot width
        else:
            out.append(w)
    return out


def _middle_initial(words: list[str]) -> int | None:
    """Where a name written as a person's, first name, middle initial, surname and perhaps a kind of business ("Amy W
    Lam", "John E Smith Builders"), has its initial: a compass letter there is no direction ("west")."""
    if (
        3 <= len(words) <= 4
        and len(words[1]) == 1
        and words[1] in SPELT_DIRECTIONS
        and all(len(w) > 1 and w.isalpha() and w not in DIRECTION_ABBREVIATIONS and w != "and" for w in words[::2])
    ):
        return 1
    return None


def website_key(url: str | None, page: bool = False) -> str | None:
    """The registered domain of a website ("perryhomes.com"). On a host many businesses share, the page:
    "linkedin.com/company/perry-homes", "oakhomes.wixsite.com" (``website_page``); the host alone ("facebook.com")
    names no one. A test server's (an IP or localhost) site is its first path segment.

    ``page``: for a place (a community, a home) a page of a site is its own, the site its builder's:
    "perryhomes.com/houston/bridgeland" is that community's page on Perry Homes' site, and every other Perry
    community has one there too. A site's root ("bridgelandtx.com") is the place's own domain."""
    if not url or not url.strip():
        return None
    url = url.strip().lower()
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return None
    if not host:
        return None
    extracted = _TLD(host)
    registered = extracted.top_domain_under_public_suffix or extracted.domain
    if not registered:
        return None
    if registered in _MAIL_HOSTS:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments and segments[-1] in _INDEX_PAGES:
        segments.pop()
    if len(segments) == 1 and segments[0].lower().rsplit(".", 1)[0] in _SITE_PAGES:
        segments.pop()
    if extracted.suffix and registered not in SHARED_HOSTS:
        # An office's site on its brand's domain ("legacy.kw.com", a franchise's) is that office's, not the brand's.
        site = _HOST_PREFIX.sub("", host)
        return f"{site}/{'/'.join(segments)}" if page and segments else site
    if _MAP_LINK.match(f"{host}{parts.path}"):
        return None  # a listing's place on a map names no website: a maps export's "url" beside its "site"
    if extracted.suffix:
        # A shared host: the page, its subdomain kept ("oakhomes.wixsite.com"), every segment of its path (a
        # directory's "/biz/", "/company/" or "/community/tx/" names no one), an id in its query.
        host = _HOST_PREFIX.sub("", host)
        page_id = _PAGE_ID.search(parts.query)
        path = "/".join(segments) + (f"?{page_id.group(1)}" if page_id else "")
        if not path:
            return host if host != registered else None
        return f"{host}/{path}"
    if host != "localhost" and not _IP_HOST.fullmatch(host):
        return None  # "yes", "n/a": not a website
    # A test server: the site is identified by its first path segment, a place's page by its whole path.
    return f"{registered}/{'/'.join(segments[: None if page else 1])}" if segments else registered


# An email address in a cell, its domain captured: the first when the cell holds several ("a@x.com; b@y.com").
_EMAIL = re.compile(r"[\w.+'-]+@((?:[\w-]+\.)+[a-z]{2,})", re.IGNORECASE)


def email_domain(cell: str | None) -> str | None:
    """The domain of the first email address in a cell ("info@chesmar.com" -> "chesmar.com"), as a website cell
    would give it; ``website_key`` reads a mail provider's domain as no one's site."""
    found = _EMAIL.search(cell or "")
    return found.group(1).lower() if found else None


def subsite(x: str, y: str) -> bool:
    """One website key is a site on the other's domain ("legacy.kw.com" / "kw.com"): an office's own site and its
    brand's, which directories give for one office alike."""
    return x.endswith("." + y) or y.endswith("." + x)


def website_page(key: str | None) -> bool:
    """Whether a website key names a page (of a shared host, of a site for a community, or a test server's site)
    rather than a site's own domain: two such pages that differ may be one business's (its Facebook page and its
    Yelp listing), so they are no evidence against."""
    return key is not None and "/" in key


# A phone or ZIP a spreadsheet stored as a number and wrote back as one ("7135550100.0", "77001.0").
_SPREADSHEET_NUMBER = re.compile(r"^\s*(\d{4,15})\.0+\s*$")
# A number written with the letters of its keypad ("1-800-FLOWERS"): the whole cell, with three letters at least, so
# "Tel: 713-555-0100" and an extension's "x" ("2125333350x") are none.
_VANITY_NUMBER = re.compile(
    r"\s*(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?(?=(?:[\d.-]*[A-Z]){3})[\dA-Z]{3}[\s.-]?[\dA-Z]{4,}\s*", re.IGNORECASE
)


def phone_e164(phone: str | None, region: str = "US") -> str | None:
    """The phone number in E.164 ("+17135550100"), or None when the cell holds no number that could be someone's
    (``callable_number``)."""
    if not phone or not phone.strip():
        return None
    phone = _SPREADSHEET_NUMBER.sub(r"\1", phone)
    if _VANITY_NUMBER.fullmatch(phone):
        phone = phonenumbers.convert_alpha_characters_in_number(phone)  # "1-800-FLOWERS", "713-LUV-0100"
    digits = re.sub(r"\D", "", phone)
    # Local seven-digit numbers (some public lists drop the area code) cannot be placed; keep them comparable.
    # An exchange begins with 2 to 9; one digit seven times ("999-9999") is a blank filled in.
    if len(digits) == 7:
        return f"local:{digits}" if digits[0] not in "01" and len(set(digits)) > 1 else None
    try:
        # More digits than any one number has (E.164's 15): two numbers, which parsed as one ran together into the
        # last ten digits ("(770) 343-3650 6784806603" read as 678-480-6603).
        parsed: phonenumbers.PhoneNumber | None = phonenumbers.parse(phone, region) if len(digits) <= 15 else None
    except phonenumbers.NumberParseException:
        parsed = None
    if len(digits) > 15:
        phone = _numbers_apart(phone)
    if parsed is None or not phonenumbers.is_possible_number(parsed) or not callable_number(parsed):
        # A cell with two numbers, or words beside the number ("713-555-0100 / 713-555-0101", "(713) 555 0100
        # Main"): its first number that could be someone's.
        parsed = next(_callable_numbers(phone, region), None)
    if parsed is None:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def callable_number(number: phonenumbers.PhoneNumber) -> bool:
    """Whether a number could be someone's, as far as its digits tell: not a blank a form made people fill in
    ("000-000-0000", "123-456-7890", "999-999-9999", "(713) 000-0000"). Two records sharing one share nothing,
    and it would count as a strong agreement.

    A North American number is judged by its shape (ten digits, an area code beginning 2 to 9 that is no N11
    service code, seven digits after it that are not one digit repeated), not by the library's list of numbers
    in service: a new overlay area code is dialled for months before that list knows it, and a file's made-up
    numbers ("555-123-4567") still tell its records apart and together. Other countries' numbers must be valid
    by the library's metadata.
    """
    if number.country_code != 1:
        return phonenumbers.is_valid_number(number)
    digits = str(number.national_number)
    return len(digits) == 10 and digits[0] not in "01" and digits[1:3] != "11" and len(set(digits[3:])) > 1


# A North American number as lists write it: "(770) 343-3650", "770.343.3650", "+1 770-343-3650", "7703433650".
_NANP_NUMBER = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")


def _numbers_apart(phone: str) -> str:
    """A cell with more digits than any one number has (E.164's 15) with its North American numbers written apart:
    two numbers side by side, a space between them, which the library's matcher splits wrongly ("(770) 343-3650
    6784806603" as 343-3650 and 678-480-6603)."""
    return _NANP_NUMBER.sub(r"\g<0> / ", phone)


def _callable_numbers(text: str, region: str) -> Iterator[phonenumbers.PhoneNumber]:
    """The numbers written in a text, in order, that could be someone's."""
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        if callable_number(match.number):
            yield match.number


@lru_cache(maxsize=100_000)
def toll_free(number: str) -> bool:
    """A toll-free number (800, 888, 877, ... by the library's metadata), as a chain's reservations or a company's
    customer line is: an organisation's, never one site's."""
    if number.startswith("local:"):
        return False
    try:
        return phonenumbers.number_type(phonenumbers.parse(number)) == phonenumbers.PhoneNumberType.TOLL_FREE
    except phonenumbers.NumberParseException:
        return False


_FAX = re.compile(r"fax\W*$", re.IGNORECASE)


# Fewer digits than a local number and a whole one cannot be two numbers: the cell is not searched again.
_TWO_NUMBERS_DIGITS = 17


def phone_numbers(phone: str | None, region: str = "US") -> tuple[str, ...]:
    """Every number a phone cell holds, in E.164, its first (``phone_e164``) first: "713-555-0100 /
    713-555-0199" holds +17135550199 too. A number written after "Fax" is not one to call, nor a short one after
    the first (a local number's digits)."""
    first = phone_e164(phone, region)
    digits = sum(c.isdigit() for c in phone or "")
    if first is None or phone is None or digits < _TWO_NUMBERS_DIGITS:
        return (first,) if first else ()
    if digits > 15:
        phone = _numbers_apart(phone)
    found = (
        phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        for match in phonenumbers.PhoneNumberMatcher(phone, region, leniency=phonenumbers.Leniency.POSSIBLE)
        if len(str(match.number.national_number)) >= 10
        and callable_number(match.number)
        and not _FAX.search(phone[: match.start])
    )
    return (first, *dict.fromkeys(number for number in found if number != first))


# A ZIP written after a state or a city ("TX 77002", "Houston, TX 77002-1234").
_ZIP_AFTER = re.compile(r"[\s,]+(\d{5})(?:-\d{4})?\s*$")
_COUNTRIES = (
    r"(?:usa|u\.s\.a\.|us|u\.s\.|united states(?: of america)?|canada|uk|united kingdom|great britain|england"
    r"|scotland|wales)\.?"
)
_COUNTRY = re.compile(_COUNTRIES, re.IGNORECASE)
# A Canadian postal code ("M5V 2T6") or a British postcode ("SW1A 2AA"), written with its space or without.
_POSTCODE = r"[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"
_FOREIGN_POSTAL = re.compile(rf"\s*({_POSTCODE})\s*", re.IGNORECASE)
_CANADIAN_POSTAL = re.compile(r"[A-Z]\d[A-Z]\d[A-Z]\d")
# A suite, a number or a letter, before a civic number and a hyphen: "201-764 rue Notre-Dame", "A-308 av. du Parc".
_SUITE_BEFORE_NUMBER = re.compile(r"\s*(\d{1,5}[a-z]?|[a-z])\s*-\s*(\d+[a-z]?),?\s+(?=[^\W\d])", re.IGNORECASE)
# Quebec's "rue" abbreviated after the civic number: "6950, r. Saint-Denis".
_RUE_ABBREVIATED = re.compile(r"(?<=\d)[,\s]+r\.\s*(?=[^\W\d])", re.IGNORECASE)
# Quebec's suite and apartment words: "1685, boulevard Industriel, bureau 301", "local 4", "app. 12".
_FRENCH_UNIT = re.compile(r"[,\s]+(?:bureau|bur\.|local|appartement|app\.)\s*(?=[\w-]*\d)", re.IGNORECASE)
# Quebec's "O" for Ouest ending the street ("rue Sherbrooke O"), which usaddress reads as a unit's letter.
_OUEST_ABBREVIATED = re.compile(r"([^\W\d]+)\s+O\.?(?=\s*(?:,|$))", re.IGNORECASE)


def _ouest(match: re.Match[str]) -> str:
    """ "Sherbrooke O" is Sherbrooke Ouest; a unit lettered O ("Unit O", "bureau O") stays."""
    word = match.group(1)
    return match.group(0) if word.lower() in (*_UNIT_WORDS, "bureau") else f"{word} Ouest"


# A French street's article written after the civic number in English order: "972 des Laurentides Blvd" is
# "boul. des Laurentides", whose type read first drops it (``_type_last``).
_ARTICLE_FIRST = re.compile(r"^(\s*\d+[a-z]?,?\s+)(?:de\s+la|des|du|de)\s+(?=[^\W\d])", re.IGNORECASE)
# One ending an address line after its town or province, a country perhaps after it. usaddress reads US ZIPs
# only: it took "SW1A 2AA" after "London" for a unit, and "M5V" of "ON M5V 2T6" for part of the province.
_FOREIGN_POSTAL_AFTER = re.compile(rf"(?<=[^\W\d_])[\s,]+({_POSTCODE})(?:[\s,]+{_COUNTRIES})?[\s.]*$", re.IGNORECASE)
# A country after a comma, ending a city cell: "Houston, TX, USA", "London, UK".
_COUNTRY_AFTER = re.compile(rf",\s*{_COUNTRIES}\s*$", re.IGNORECASE)


def normalize_state(state: str | None) -> str | None:
    """Two-letter state code from "TX", "tx", "Texas" or "Tex.", a ZIP after it left out ("TX 77002"); another
    region's name or code as written, in capitals ("ON")."""
    if not state or not state.strip():
        return None
    folded = fold(_ZIP_AFTER.sub("", state))
    if not re.search(r"[^\W\d_]", folded):
        return None  # no state is written in digits: a health department's region code ("03") in its REGION column
    return region_code(folded) or folded.upper()


# The words that say a unit of a building: a suite, a floor, a building of several, a room.
_UNIT_WORDS = ("ste", "suite", "space", "apt", "unit", "fl", "floor", "bldg", "building", "rm", "room")
# A unit column's value that names its kind ("Apt 4", "#4", "Bldg 1 Unit 202", "Homesite 22").
_UNIT_KIND_WORDS = (*_UNIT_WORDS, "apartment", "spc", "lot", "homesite", r"home\s+site", r"no\b")
_NAMES_ITS_KIND = re.compile(r"^\s*(?:#|" + "|".join(_UNIT_KIND_WORDS) + ")", re.IGNORECASE)


def unit_line(cell: object) -> str | None:
    """A unit column's value as an address line writes it: one that does not name its kind ("E", "4") is a unit
    all the same, "Unit E": after the street, "1445 Harbor View Way E" would read as a direction."""
    text = str(cell).strip() if cell is not None else ""
    parts = [part.strip() for part in re.split(r"[,;]", text) if part.strip()]
    if len(parts) > 1:
        # A label beside the unit, no number in it: a member roster's "San Antonio Division, Ste 167".
        text = ", ".join(p for p in parts if _NAMES_ITS_KIND.match(p) or re.search(r"\d", p))
    if not text or _NAMED_BUILDING.match(text):
        return None
    return text if _NAMES_ITS_KIND.match(text) else f"Unit {text}"


# A building named in the unit's column, with no number of a unit in it: a hospital campus's "Main Building", "North
# Tower", "East Wing". The street address places it; read as a unit, "Unit Main Building" became the street's name.
_NAMED_BUILDING = re.compile(
    r"^\s*(?:[^\W\d]+\s+)+(?:building|bldg|tower|pavilion|wing|annex|plaza|center|centre|hall|campus)\.?\s*$",
    re.IGNORECASE,
)


def with_unit(address: object, cell: object) -> str:
    """An address line with a unit column's unit after it (``unit_line``), unless the line already ends with that
    unit: a listing's UnparsedAddress "4410 Montrose Blvd #402" beside its UnitNumber "#402" is unit 402, not
    402402."""
    street = str(address).strip() if address is not None else ""
    line = unit_line(cell)
    if line and street and (unit := parse_address(street).unit) is not None and unit == parse_address(line).unit:
        return street
    return " ".join(p for p in (street, line) if p)


def numbers_the_house(cell: object, street: object) -> bool:
    """A home's unit cell that is its address line's house number: a landlord's roster codes each house of a
    scattered community by its number ("24101" beside "24101 Harmony Trail Ln"), no apartment in it."""
    number = parse_address(str(street)).number if street else None
    return bool(cell and number) and _NAMES_ITS_KIND.sub("", str(cell)).strip(" .").lower() == number


# A part of a building that usaddress reads as the city when it follows the street address ("Level One", "Suite
# 100", "Upper Level"), the whole of the place it read: "Upper Darby" and "Gate City" are towns.
_PART_OF_A_BUILDING = re.compile(
    rf"^\s*(?:(?:{'|'.join((*_UNIT_WORDS, 'level', 'apartment', 'concourse', 'terminal'))})(?:\s+\w+)?"
    r"|(?:upper|lower|main|ground|mezzanine)\s+(?:level|floor|concourse))\s*$",
    re.IGNORECASE,
)


def _listed_city(line: str, city: str | None, state: str | None) -> str | None:
    """The city an address line names, unless usaddress read a mall's level or an airport's terminal as one
    ("…, Level One, Dallas"). A neighbourhood written before it is not part of it ("The Strip, Las Vegas").

    usaddress reads a city's last word as the state when no state follows: "…, New Town, Edinburgh" (the city
    after a neighbourhood), "…, Mount Prospect" (one city's two words, no comma between). Neither a state's
    nor a province's name, it is the city, or the end of it."""
    written = _ZIP_AFTER.sub("", state or "").strip(" ,.")
    if written and not region_code(written) and not _COUNTRY.fullmatch(written) and not re.search(r"\d", written):
        if city and not re.search(rf"{re.escape(city)}\s*,", line):
            return normalize_city(f"{city} {written}")
        return normalize_city(written)
    if city is None or _PART_OF_A_BUILDING.match(city):
        return None
    places = [p for p in city.split(",") if p.strip() and not region_code(p) and not _COUNTRY.fullmatch(p.strip())]
    return normalize_city(places[-1] if places else city)


def _listed_state(state: str | None) -> str | None:
    """The state an address line ends with, when it is a US state: usaddress reads a city after a unit as the state
    ("8687 N Central Expy, Level One, Dallas": state "Dallas"), which compared as another state than "TX"."""
    return state_code(_ZIP_AFTER.sub("", state)) if state else None


def state_code(text: str) -> str | None:
    """A US state's two-letter code however the state is written ("TX", "Texas", "Tex."); None for anything else."""
    folded = fold(text)
    if len(folded) == 2:
        return folded.upper() if folded.upper() in US_STATE_CODES else None
    return US_STATES.get(folded) or STATE_ABBREVIATIONS.get(folded.replace(" ", ""))


def region_code(text: str) -> str | None:
    """A US state's or a Canadian province's two-letter code however it is written ("TX", "Texas", "ON", "Ontario");
    None for anything else."""
    folded = fold(text)
    if folded.upper() in PROVINCE_CODES:
        return folded.upper()
    return state_code(folded) or PROVINCES.get(folded)


# Abbreviated words of a city's name: "St. Louis", "Mt. Pleasant", "N. Richland Hills", "W. Palm Beach", "League Cty".
CITY_WORDS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "cty": "city", **SPELT_DIRECTIONS}


def normalize_city(city: str | None) -> str | None:
    """A city cell's city as compared (``spell_city``); a state (and ZIP) written after it is not part of it
    ("Houston, TX")."""
    return spell_city(split_city_state(city).city)


def spell_city(name: str | None) -> str | None:
    """A city's name folded, with its abbreviated words spelt out: "St. Louis" and "Saint Louis", "N Richland
    Hills" and "North Richland Hills" read alike."""
    folded = _TOWNS_ETJ.sub("", _MUNICIPALITY_OF.sub("", fold(name) or ""))
    if not folded or _NO_TOWN.match(folded) or _COUNTY_ALONE.search(folded):
        return None
    return " ".join(CITY_WORDS.get(w, w) for w in folded.split())


# A city cell saying the place is in no town: a state's list's "UNINCORPORATED", "Unincorporated Pinal County"; or a
# county alone, a school district's report's "Fort Bend Co" (its county column places it).
_NO_TOWN = re.compile(r"^(?:unincorporated|uninc)\b")
_COUNTY_ALONE = re.compile(r"\w \b(?:county|co|cnty)$")
# A town's extraterritorial jurisdiction, where its subdivisions outside its limits lie: "Katy ETJ" and a plat
# agenda's "ETJ - Montgomery" are Katy's and Montgomery's; and a town's area, as a new-home guide places a community
# outside its limits ("Sugar Land area").
_TOWNS_ETJ = re.compile(r"(?<=\w) (?:etj|area)$|^etj (?:of )?(?=\w)")


# A municipality's kind before its name, as a register writes it: "City of Kitchener", "Town of Innisfil", "Township of
# King", "Municipality of Clarington" are Kitchener, Innisfil, King and Clarington.
_MUNICIPALITY_OF = re.compile(r"^(?:city|town|township|municipality|village|borough|cite|ville) (?:of |de )(?=\w)")


@dataclass(frozen=True, slots=True)
class CityCell:
    """What a city cell holds: the city, and a state and ZIP written after it."""

    city: str | None
    state: str | None = None
    postal_code: str | None = None


def split_city_state(city: str | None) -> CityCell:
    """A city cell's city and the state and ZIP written after it, as partner files and listings give it:
    "Houston, TX", "Houston, Texas", "Houston TX 77002", "Houston TX" -> Houston, TX. A state is read after a comma,
    before a ZIP, or as a code in capitals: "Kansas City" and "Washington" stay cities, and so does "West LA" (Los
    Angeles, not Louisiana). A
    Canadian province and postal code are read as a state and ZIP ("Toronto, ON M5V 2T6"); a country after a comma
    is left out ("Houston, TX, USA"): read into the city, either made it another city than the one it names."""
    if not city:
        return CityCell(city)
    text = _COUNTRY_AFTER.sub("", city.strip())
    code_after = _ZIP_AFTER.search(text) or _FOREIGN_POSTAL_AFTER.search(text)
    postal = code_after.group(1) if code_after else None
    text = text[: code_after.start()].strip() if code_after else text
    head, comma, tail = text.rpartition(",")
    if comma and head.strip() and (state := region_code(tail)):
        return CityCell(head.strip(), state, postal)
    words = text.split()
    if postal and len(words) > 1 and len(code := fold(words[-1])) == 2 and (state := region_code(code)):
        return CityCell(" ".join(words[:-1]), state, postal)
    if (
        len(words) > 1
        and len(words[-1]) == 2
        and words[-1].isupper()
        and (state := region_code(words[-1]))
        and not (len(words) == 2 and fold(words[0]) in DIRECTION_ABBREVIATIONS)
    ):
        # A state's code in capitals after the town with no comma, "Katy TX"; not after a direction alone, "West LA".
        return CityCell(" ".join(words[:-1]), state, postal)
    return CityCell(text, None, postal if text else None)


PLACEHOLDER_ZIPS = frozenset({"00000", "99999"})


def normalize_postal(code: str | None) -> str | None:
    """The five-digit ZIP of a US postal code ("77001-1234" -> "77001"). A ZIP a spreadsheet stored as a number
    comes back as written: "77001.0", and "2134" for Boston's 02134 (its leading zero lost). A Canadian or British
    postal code is kept whole, in capitals without its space ("M5V 2T6" -> "M5V2T6")."""
    if not code:
        return None
    if foreign := _FOREIGN_POSTAL.fullmatch(str(code)):
        return foreign.group(1).replace(" ", "").upper()
    digits = re.sub(r"\D", "", _SPREADSHEET_NUMBER.sub(r"\1", str(code)))
    if len(digits) in (4, 8):
        digits = "0" + digits
    # A placeholder an export writes for a ZIP not known, "00000" or "99999": no ZIP.
    return digits[:5] if len(digits) >= 5 and digits[:5] not in PLACEHOLDER_ZIPS else None


def us_zip(code: str | None) -> bool:
    """A normalized postal code is a US ZIP, which the ZIP table places; a Canadian or British one is not."""
    return code is not None and code.isdigit()


def canadian_postal(code: str | None) -> bool:
    """A normalized postal code is a Canadian one ("M5V2T6")."""
    return code is not None and bool(_CANADIAN_POSTAL.fullmatch(code))


@dataclass(frozen=True, slots=True)
class AddressKey:
    number: str | None
    street: str | None  # directions and street type abbreviated: "s archer ave"
    unit: str | None
    postal_code: str | None
    city: str | None = None
    state: str | None = None
    # The second street of a corner a listing gives for its place, with no house number ("E 85th St & Lexington
    # Ave"): the two streets are filed in one order, so the corner written the other way round ("Lexington Ave & E
    # 85th St") is the same key.
    corner: str | None = None
    # The post office box a line gives in place of a street address ("P.O. Box 1234", "RR 2 Box 150"): "box 1234",
    # "rr 2 box 150". Set only when the line has no house number or street.
    box: str | None = None
    # The building a line names beside its street address, mostly before it, a resort's or a mall's ("The Venetian,
    # 3355 Las Vegas Blvd S"): where the listed business is inside. Never compared as the address.
    building: str | None = field(default=None, compare=False)

    @property
    def is_empty(self) -> bool:
        return self.number is None and self.street is None


# A unit designator one listing glues to the street: "3011 Gulden LnSte 107", "317 S BroadwaySte C-4-5", "240 W
# Gilman StFl 2", "3700 McKinney Ave.Suite 148", a floor or a number sign as well ("314 5th Ave2nd Fl", "12 Main St#4").
_GLUED_UNIT = re.compile(
    # Capitalised: "Celeste Dr" is no "Cele Ste", "McFly" no floor.
    rf"(?<=[a-z.])(?=(?:{'|'.join(w.capitalize() for w in (*_UNIT_WORDS, 'spc'))})(?![a-z]))"
    r"|(?<=[A-Za-z])(?=\d+(?i:st|nd|rd|th)\s+(?i:fl|floor)\b|#)"
)
_SPACE_ABBREVIATION = re.compile(r"\bSpc\b\.?", re.IGNORECASE)  # usaddress knows "Space", not "Spc"
# A number sign written apart from its unit, "490 FM 1626 # 450": usaddress read "# 450" into the road's name.
_SPACED_NUMBER_SIGN = re.compile(r"#\s+(?=\w)")
# A building's word spelt before its letter or number: usaddress read "Unit 203 Building A" as unit "203 Building A",
# where it reads "Bldg A" as the building.
_BUILDING_SPELT = re.compile(r"\bBuilding\s+(?=#?\s*(?:[a-z]|\d{1,3})\b)", re.IGNORECASE)
# A salon-suites building's studio, as its tenants and booking apps write their suite: "Studio 400" is "Ste 400",
# "Studio A" is "Suite A" (not "Studio City", a town).
_STUDIO_SUITE = re.compile(r"\bStudio\s*#?\s*(?=\d|[a-z]\d*\b)", re.IGNORECASE)
_UNIT_IN_STREET = re.compile(r"(.+?) (?:ste|suite|space|spc|apt|unit) ([a-z]?\d+[a-z]?|[a-z]\d*)")
_LETTERED_NUMBER = re.compile(r"(\d+) ?([a-z])")
# A homesite as builders list one before (or beside) its street address: "Lot 12 Oak Bend Dr", "Homesite 45",
# "Lot 7, Block 3". Its number is the lot's, not a house number (usaddress reads "Lot 12 Oak Bend Dr" as 12
# Oak Bend Dr), so it is cut from the text and kept as the unit ("lot12", "lot7block3"): another lot is
# another home, and a listing that gives both the lot and the house number still has its house number.
HOMESITE = "lot"  # the unit a homesite is kept as starts so


def homesite_parts(unit: str) -> tuple[str, str | None]:
    """The lot's number and the block of a homesite kept as a unit ("lot9block3" -> ("9", "3"), "lot9" -> ("9",
    None))."""
    lot, _word, block = unit.removeprefix(HOMESITE).partition("block")
    return lot, block or None


_LOT = re.compile(
    r"(?:^|(?<=[\s,(]))(?:(?:block|blk)\.?\s*#?\s*(?P<block_first>\w+)\s*,?\s*)?"
    r"(?:lot|homesite|home\s+site)\s*#?\s*(?P<lot>\d+[a-z]?)\b"
    r"(?:\s*,?\s*(?:block|blk)\.?\s*#?\s*(?P<block>\w+)\b)?\s*[-,:)]?",
    re.IGNORECASE,
)


# A home not yet addressed, known by its legal description in its address cell, lot and block in either order, the
# plat before or after them: "LOT 13 BLK 2 HERON RIDGE SEC 2", "LT 14 BLK 5 OAK HOLLOW PH 3", "HERON RIDGE SEC 2 LOT
# 15 BLK 3", "BLK B LT 7 SOMERSET MEADOWS".
_PLAT_ID = r"(?:[a-z]?\d+[a-z]?|[a-z])"
_LEGAL_LINE = re.compile(
    r"^(?P<before>.*?)\s*\b(?:"
    rf"(?:lot|lt)\.?\s*#?\s*(?P<lot>\d+[a-z]?)\s*[,;]?\s*(?:blk|block)\.?\s*#?\s*(?P<block>{_PLAT_ID})"
    rf"|(?:blk|block)\.?\s*#?\s*(?P<block_first>{_PLAT_ID})\s*[,;]?\s*(?:lot|lt)\.?\s*#?\s*(?P<lot_after>\d+[a-z]?)"
    r")\b\s*[,;]?\s*(?P<after>.*)$",
    re.IGNORECASE,
)


# The street types a lot's street ends with ("Lot 1 Block B Palomino Ln"), not a plat's name: a subdivision is often
# named as a street is ("Heron Ridge", "Somerset Meadows"), but seldom a lane, a drive or a court.
_STREET_TYPES = frozenset({"st", "street", "ave", "avenue", "rd", "road", "dr", "drive", "ln", "lane", "ct", "court",
                           "blvd", "boulevard", "way", "cir", "circle", "pl", "place", "trl", "trail", "cv", "cove",
                           "pkwy", "parkway", "ter", "terrace", "loop", "pass", "path", "hwy", "highway"})  # fmt: skip


# A clerk's shortest form of a lot and its block, "L12 B3", "L 12 B 3".
_COMPACT_PARCEL = re.compile(r"\bL\s*(\d+[a-z]?)\s*,?\s*B\s*([a-z]?\d+[a-z]?|[a-z])\b", re.IGNORECASE)


def spelt_parcel(text: str) -> str:
    """A legal description with a clerk's shortest form of its lot and block spelt out: "L12 B3 WILLOW BEND PH II" is
    "LOT 12 BLK 3 WILLOW BEND PH II"."""
    return _COMPACT_PARCEL.sub(r"LOT \1 BLK \2", text)


# A lot without its block before the plat's name: "LOT 26 SHADY OAKS RANCH".
_LOT_OF_PLAT = re.compile(r"^\s*(?:lot|lt)\.?\s*#?\s*(?P<lot>\d+[a-z]?)\s*[,;:-]?\s+(?P<plat>[a-z].*)$", re.IGNORECASE)


def legal_description(line: str, subdivision: str | None = None) -> tuple[str, str] | None:
    """An address cell that is a legal description, however a utility's or a county's report writes it: the homesite
    as an address line gives it, and the plat it names ("" where none). "LOT 13 BLK 2 HERON RIDGE SEC 2" is "Lot 13,
    Block 2" of Heron Ridge Sec 2, not a street named Heron Ridge with a unit 2; so is a lot without its block before
    the plat the row's subdivision names (a septic permit's "LOT 26 SHADY OAKS RANCH" beside "SHADY OAKS RANCH"),
    where "Lot 26 Oak Bend" alone may be its street. None for a line opening with a house number, a street address."""
    if line.lstrip()[:1].isdigit():
        return None
    found = _LEGAL_LINE.match(spelt_parcel(line))
    if found is None:
        if subdivision is None:
            return None
        lot_of_plat = _LOT_OF_PLAT.match(line)
        named = plat_of(lot_of_plat["plat"]) if lot_of_plat else None
        given = plat_of(subdivision)
        if lot_of_plat and named and given and named.named_alike(given):
            return f"Lot {lot_of_plat['lot']}", lot_of_plat["plat"].strip(" ,;-")
        return None
    before, after = found["before"].strip(" ,;-"), found["after"].strip(" ,;-")
    words = after.lower().replace(".", " ").split()
    if not before and words and words[-1] in _STREET_TYPES:
        return None  # the lot on its street, "Lot 1 Block B Palomino Ln", an address line of its own
    plat = " ".join(part for part in (before, after) if part)
    return f"Lot {found['lot'] or found['lot_after']}, Block {found['block'] or found['block_first']}", plat


def homesite_number(text: str | None) -> str | None:
    """The number of the homesite a text names ("Blk 1 Lot 3" -> "3", "Homesite #018" -> "18"), or None."""
    found = _LOT.search(text) if text else None
    return plat_number(found.group("lot")) if found else None


def plat_number(written: str) -> str:
    """A lot's or block's number as one: "018" is 18, as a plat numbers it; "0" stays."""
    return written.lower().lstrip("0") or "0"


def homesite_in(text: str | None) -> str | None:
    """The homesite a text names ("Magnolia (Plan 4031) - Homesite 24" -> "Homesite 24"), as an address line would
    give it, or None."""
    found = _LOT.search(text) if text else None
    return found.group(0).strip(" ,-:)") if found else None


# A building on several lots is listed by its range of numbers ("3012-16 E 92nd St": 3012 to 3016), folded to
# "3012 16". It is filed under its first number when the range is short and on one side of the street; a
# wider pair of numbers is a Queens house number, "37-12", which other listings write "3712": its digits joined.
# A Queens number's first part names a cross street, of at most three digits: after four or more, a range may
# span a whole block ("1333-45 W Argyle St", a school's frontage from 1333 to 1345).
_NUMBER_RANGE = re.compile(r"(\d+) (\d+)")
BUILDING_SPAN = 10  # the most house numbers one building's frontage spans where a Queens number could be meant
BLOCK_SPAN = 100  # the house numbers of one city block
# "St" right after the house number (and a direction) opens a street named for a saint ("4214 S St Lawrence"),
# which usaddress reads as a street "S" of type "St" in a town "Lawrence"; it is spelt out before parsing.
_SAINT = re.compile(
    r"(?<=\d )((?:[nsew]\.? |north |south |east |west )?)st\.?[ -]"
    r"(?!(?:ste|suite|apt|unit|fl|floor|rm|room|bldg|hwy|highway|road|route|rte)\b)"
    r"(?=[a-z]{3,})",
    re.IGNORECASE,
)
# A female saint's street hyphenated as Quebec writes it, "rue Ste-Catherine": not a suite, which a number or a
# letter follows ("Ste 100", "Ste-A").
_SAINTE = re.compile(r"\bste-(?=[^\W\d_]{3,})", re.IGNORECASE)
_ORDINAL_SUFFIX = {"1": "st", "2": "nd", "3": "rd"}
# A listing's directions after the street address ("2450 Broadway between 90th and 91st Sts", "156 2nd Ave at
# 10th St", "2 Harrison St near Hudson St"): not part of the address, and usaddress reads them into the street.
# Cut after "at", "off" or "@" only when what follows names a street (a type or a numbered street), not "1 Shops
# at Legacy"; "near" and "between" only ever give directions ("341 W Broadway near Grand"). Never right after
# the house number: "100 Near North Ave" is a street of that name.
_CROSS_STREET = re.compile(
    r"(?<=\S)\s+(?P<word>between|betw\.?|btwn\.?|at|near|nr\.?|off|corner of|@)\s+(?P<cross>\S.*)$",
    re.IGNORECASE,
)
_DIRECTIONS_ONLY = frozenset({"between", "betw", "btwn", "near", "nr", "corner of"})
_NAMES_A_STREET = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)|sts?|streets?|aves?|avenues?|rd|road|blvd|boulevard|dr|drive|pl|place|ln|lane|way|"
    r"pkwy|parkway|hwy|highway|fwy|freeway|expy|expressway|tollway|loop|trl|trail|ct|court|cir|circle)\b"
    # A numbered road: "FM 1960", "US-290", "SH 99", "I-45".
    r"|\b(?:fm|rm|rr|sh|us|cr|sr|ih|i)[\s-]*\d+\b",
    re.IGNORECASE,
)
_NUMBER_FIRST = re.compile(r"\s*\d+[a-z]?(?:-\d+)?\s+\S", re.IGNORECASE)

# Numbered roads are written many ways: "FM 1960 Rd" / "Farm to Market Road 1960" (Texas farm and ranch roads),
# "SH 6" / "State Hwy 6" / "Highway 6", "US-290" / "US Hwy 290", "IH 10" / "I-10" / "Interstate 10", "CR 123" /
# "County Road 123". Each is read as one form. A farm or ranch road spelt out is shortened before parsing,
# since usaddress reads its number as a unit; the rest is folded in the parsed street ("hwy" for a US or state
# highway alike: locally "Hwy 290" is US 290 and "Hwy 6" is SH 6).
# "Cty Rd K", "Cnty. Rd. 12": read by usaddress as a street "Cty" with unit K unless written out.
# A private road's number, however a county writes it ("PR 4521", "PVT RD 4521", "Private Road 4521"): usaddress reads
# the number after "Road" as a unit; written "PR-4521" it is the street's, read back as "private rd 4521".
_PRIVATE_ROAD = re.compile(r"\b(?:(?:private|priv|prvt|pvt)\.?\s+(?:rd|road)\.?|pr)\s*[-#]?\s*(?=\d+\b)", re.IGNORECASE)
_COUNTY_ROAD = re.compile(r"\b(?:cty|cnty|co)\.?\s+(?:rd|road)\b\.?(?=\s+\w)", re.IGNORECASE)
# "Interstate 35E": usaddress reads a lettered interstate's number as a unit after a street "Interstate".
_INTERSTATE = re.compile(r"\binterstate(?:\s+(?:hwy|highway))?[\s-]+(?=\d)", re.IGNORECASE)
# "9050 I 635", as a state's licence list writes an interstate: usaddress reads the "I" as a unit.
_SPACED_INTERSTATE = re.compile(r"^(\s*\d+[a-z]?\s+(?:[nsew]\.?\s+)?)I\s+(?=\d{1,3}[a-z]?\b)", re.IGNORECASE)
# A highway's frontage road is the highway as an address gives it: "1321 I-35 Frontage Rd", "1321 N I-35 Service Rd"
# and "1321 I-35 NB Access Rd" are 1321 I-35 N (usaddress reads "I-35 North Access Rd" as "N Access Rd", the highway
# lost).
_FRONTAGE_ROAD = re.compile(
    r"\b((?:interstate(?:\s+(?:hwy|highway))?|ih|i|us|hwy|highway|sh)[\s-]*\d+[a-z]?"
    r"(?:\s+(?:north|south|east|west|[nsew](?=b?\b)))?)(?:bound|b)?\s+(?:frontage|service|svc|access)(?:\s+(?:rd|road)\b\.?)?",
    re.IGNORECASE,
)
# A farm, ranch or county road's letters written apart or run into its number ("R R 620"), as a licence list or a permit
# writes them: "7623 F M 1902", "C R 2710", "CR131" (read as a street "Cr131" or as "C" and a unit).
_SPACED_ROUTE = re.compile(r"\b(?:([fr])\.?\s*(m)|([cr])\.?\s*(r))\.?(?:\s+|(?=\d{1,4}[a-z]?\b))(?=\d)", re.IGNORECASE)
# Texas's ranch road written "RR 1869", which usaddress reads as a rural route's box; a rural route's number is one
# or two digits ("RR 2 Box 150"), a ranch road's three or four.
_RANCH_ROAD_RR = re.compile(r"\bRR\s+(?=\d{3,4}\b(?!\s*box))", re.IGNORECASE)
# A rural site as a county's or a health department's permit gives it: "10 MI SW OF KERRVILLE ON CR 466B", "3 MI S ON
# FM 2673", "1.5 MILES EAST OF BLANCO ON FM 165": on the road, its house number unknown.
_MILES_FROM = re.compile(
    r"^\s*\d+(?:\.\d+)?\s*(?:mi|mis|mile|miles)\.?\s+(?:(?:north|south|east|west)(?:east|west)?|[nsew]{1,2})\.?"
    r"(?:\s+of\s+[^,]+?)?\s+(?:on|off|via|along)\s+(?P<road>.+)$",
    re.IGNORECASE,
)
# A site by the side of a road as an engineer's or a utility's request gives it: "N side of CR 59, approx 2 mi W of SH
# 6", on the road, its house number unknown; where along it, after a comma, no town.
_SIDE_OF = re.compile(
    r"^\s*(?:(?:north|south|east|west)|[nsew])\.?\s+side\s+of\s+(?P<road>[^,]+)(?P<rest>.*)$", re.IGNORECASE
)
_ALONG_IT = re.compile(
    r"^\s*,\s*(?:approx\.?|approximately|about|\d+(?:\.\d+)?\s*(?:mi|miles?|ft|feet)\b|(?:north|south|east|west|[nsew])"
    r"\.?\s+of\b)",
    re.IGNORECASE,
)
# A loop's number ("LOOP 1604"), read as the street's (``parse_address``).
_LOOP_NUMBER = re.compile(r"\b(loop|lp)\s+(\d{1,4})\b", re.IGNORECASE)
# A ranch road's "RM" after a house number (``parse_address``).
_RANCH_ROAD = re.compile(r"(?<=\d )((?:[nsew]\.?\s+)?)(?:RM|ranch\s+(?:road|rd)\.?)\s+(?=\d{1,4}\b)", re.IGNORECASE)
_FARM_OR_RANCH_ROAD = re.compile(
    r"\b(farm|ranch)(?:[\s-]+to[\s-]+market(?:[\s-]+(?:road|rd)\.?)?|[\s-]+(?:road|rd)\.?)[\s-]*(?=\d)",
    re.IGNORECASE,
)


def _routes_shortened(address: str) -> str:
    """A farm or ranch road spelt out, or its letters written apart, as its short form: "Ranch to Market Rd 1431" and
    "R M 1431" are "RM 1431"."""
    address = _FARM_OR_RANCH_ROAD.sub(lambda m: "FM " if m.group(1).lower() == "farm" else "RM ", address)
    return _SPACED_ROUTE.sub(lambda m: "".join(filter(None, m.groups())).upper() + " ", address)


# A house number spelt out at the start ("One Riverway, Suite 1700"), which usaddress reads as a building's
# name with no number or street; written in digits, as most listings write it, it parses.
_SPELT_NUMBERS = NUMBER_WORDS[:10]
# A fraction of a house number, "123 1/2 Oak St" ("123-1/2", "123½", "708 1/4"): a second home on the lot of 123,
# another house number. Taken off before parsing (usaddress reads "708 1/4" as one number, "708 1 4" once folded)
# and written after the number as one character.
_FRACTIONS = {"1/2": "½", "1/4": "¼", "3/4": "¾"}
FRACTION_MARKS = "".join(_FRACTIONS.values())
_FRACTION_NUMBER = re.compile(rf"^(\s*\d+)(?:\s*-\s*|\s+)?({'|'.join(_FRACTIONS)}|[{FRACTION_MARKS}])(?=[\s,])")
# Two house numbers a building stands on, joined ("100 & 102 Main St", "100 and 102"): filed under the first,
# as a range is. A range written with spaces ("100 - 102 Main St") is read as one written without them.
_JOINED_NUMBERS = re.compile(r"^(\s*\d+)\s*(?:&|\band\b)\s*\d+(?=\s+\D)", re.IGNORECASE)
_SPACED_RANGE = re.compile(r"^(\s*\d+)\s+-\s+(\d+)(?=\s+\D)")
# Churches by their denominations' initials, as a county's roll or a congregation's sign writes them.
_DENOMINATIONS_SPELT = {
    "umc": "United Methodist Church", "fumc": "First United Methodist Church",
    "ame": "African Methodist Episcopal", "cme": "Christian Methodist Episcopal",
    "fbc": "First Baptist Church", "mbc": "Missionary Baptist Church",
    "cogic": "Church of God in Christ",  # an exemption roll's "GREATER GRACE COGIC"
}  # fmt: skip
# A denomination's "Ch" is its church: "GRACE BAPT CH" (not "CH Robinson"); so is a community church's, "GRACE COMM
# CH", and a roll's "CH OF CHRIST" is the Church of Christ.
_CHURCH_SHORT = re.compile(
    r"\b(meth|methodist|bapt|baptist|luth|lutheran|presb|presbyterian|epis|episc|episcopal|christian|cath|catholic"
    r"|comm|community|bible|nazarene)\s+ch\b\.?|^\s*()ch\.?(?=\s+of\b)",
    re.IGNORECASE,
)
# A congregation's word a roll shortens only before its "Ch": "GRACE COMM CH" ("Comm" alone may be a firm's
# communications).
_CONGREGATION_SHORT = {"comm": "Community"}
_TRUSTEES_OF = re.compile(r"^\s*(?:the\s+)?(?:board\s+of\s+)?trustees\s+(?:of|for)\s+(?:the\s+)?(?=\w)", re.IGNORECASE)


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalpha())


# The initials written apart, as a roll spaces them: "BETHEL A M E CH", "ST PAUL C.M.E.".
_INITIALS_APART = "|".join(
    r"\.?\s?".join(initials) + r"\b\.?(?=\s+(?:ch|church|chapel)\b|\s*$)" for initials in _DENOMINATIONS_SPELT
)
_DENOMINATION_INITIALS = re.compile(rf"\b(?:{'|'.join(_DENOMINATIONS_SPELT)}|{_INITIALS_APART})(?!\w)", re.IGNORECASE)
# A street named for Martin Luther King Jr. is written many ways: "Dr. Martin Luther King Jr. Dr", "Martin Luther
# King Junior Blvd", "M.L. King Dr", "MLK Jr Blvd". Each is read as "Martin Luther King" before parsing ("M L" would be
# read as directions, the title "Dr" as a street type); "King Dr" alone may be another King's, and stays.
_MARTIN_LUTHER_KING = re.compile(
    r"\b(?:dr\.?\s+)?(?:martin\s+luther|m\.?\s*l\.?)\s+king\b(?:\s*,?\s*(?:jr\b\.?|junior\b))?"
    # its initials run together or spelt, "MLK", "M L K", "M.L.K." (a city's street file)
    r"|\bm\.?\s?l\.?\s?k\b\.?(?:\s*,?\s*(?:jr\b\.?|junior\b))?",
    re.IGNORECASE,
)
# A street named for a president known by his initials, as many are written ("LBJ Fwy", "JFK Blvd", "FDR Dr"): his
# name, then read by the surname as a name with its middle initial is ("Lyndon B Johnson Fwy" is "Johnson Fwy").
_INITIALLED_NAMES = {"lbj": "Lyndon B Johnson", "jfk": "John F Kennedy", "fdr": "Franklin D Roosevelt"}
_INITIALLED_NAME = re.compile(
    r"^(\s*\d+[A-Za-z]?\s+(?:[NSEW]\.?\s+)?)(" + "|".join(_INITIALLED_NAMES) + r")\b(?=\s+[A-Za-z])", re.IGNORECASE
)
# A street named for a person by given name and middle initial, which listings write in full or by the surname alone:
# "William F McClellan Hwy" / "McClellan Hwy", "John F Kennedy Blvd" / "Kennedy Blvd". Read by the surname. Not a
# road's own word before a letter ("Highway K", "County Road A"), nor a direction's letter ("George W Bush" stays).
_GIVEN_NAME_AND_INITIAL = re.compile(
    r"^(\s*\d+[A-Za-z]?\s+(?:[NSEW]\.?\s+)?)"
    r"(?!(?:saint|sainte|county|state|farm|ranch|road|highway|hwy|route|rte|avenue|ave|street|interstate|old|new|us|"
    r"loop|spur|camino|calle|via|rue|chemin|rang|lake|mount|fort|port|point)\b)[A-Za-z]{2,}\s+"
    r"(?![NSEW]\b)[A-Za-z]\.?\s+(?=[A-Za-z]{3,}\s+[A-Za-z])",
    re.IGNORECASE,
)
# A street address after a place's name: after a comma, a hyphen, or glued to the name's last word (address lines
# run together: "Memorial Union800 Langdon St"; a grid number's letter, "w12690", is no name).
_ADDRESS_AFTER_PLACE = re.compile(r"(?:,\s*|(?<=[a-z]{2})|(?<=[A-Za-z])\s*-\s*)(\d+[A-Za-z]?\s+\w)")
MAX_ADDRESS_LINE = 200
_SPELT_HOUSE_NUMBER = re.compile(rf"^\s*({'|'.join(_SPELT_NUMBERS)})(?=\s+[a-z])", re.IGNORECASE)
# A state's code before its road's number, as a map writes a state road ("IN-37"): four digits at most, never a ZIP.
_STATE_ROAD_CODES = "|".join(sorted(code.lower() for code in US_STATE_CODES))
# A map's state road after the house number, "2517 TX-29 #130": usaddress reads the code as a type and the suite as
# the street; written as a state highway it reads the suite as the suite.
_STATE_CODE_ROAD = re.compile(
    rf"^(\s*\d+[a-z]?\s+(?:[nsew]\.?\s+)?)(?:{_STATE_ROAD_CODES})-(?=\d{{1,4}}[a-z]?\b)", re.I
)
_NUMBERED_ROADS = (
    # Texas's farm and ranch roads are one numbering ("RM 620" is often written "FM 620", and "RR 620" as often as
    # "RM 620"): one road, whichever its listing calls it.
    (re.compile(r"\b(?:fm|fm rd|farm rd|rm|rm rd|ranch rd|rr)( \d+)(?: rd)?\b"), r"fm\1"),
    # A lettered route too: "I-35E", "IH 35E", "US 77A".
    (re.compile(r"\b(?:interstate hwy|interstate highway|interstate|ih|i)( \d+[a-z]?)\b"), r"i\1"),
    # A highway however its state or its listing names it, one numbering: "US-290" / "Hwy 290", Florida's "SR 434" /
    # "State Road 434" / "Hwy 434", Ohio's "State Rte 161", New Jersey's "Route 9", and a map's "IN-37" (a state's
    # code before its number).
    (
        re.compile(
            r"\b(?:us hwy|us rte|us rt|us|state hwy|st hwy|sh|hwy|state rte|state route|state rt|st route|st rte|st rt|"
            r"state rd|st rd|sr|rt|rte)"
            r"( \d+[a-z]?)\b"
        ),
        r"hwy\1",
    ),
    (
        re.compile(rf"^((?:[nsew]{{1,2}} )?)(?:{_STATE_ROAD_CODES})( \d{{1,4}}[a-z]?)\b"),
        r"\1hwy\2",
    ),
    (re.compile(r"\b(?:county rd|co rd|cnty rd|cty rd|cr)( \d+[a-z]?)\b"), r"county rd\1"),
    (re.compile(r"\b(?:prairie|pr)( \d+)\b"), r"private rd\1"),  # _PRIVATE_ROAD
    # A numbered road's business route, spelt or shortened: "E Business Interstate 20" / "E BUS IH 20".
    (re.compile(r"\bbusiness (?=(?:i|hwy|fm|rm) \d)"), "bus "),
    # ... or after the road's number: "US HWY 290 BUS" / "US-290 Business" is "Bus US 290".
    (re.compile(r"\b((?:i|hwy|fm|rm) \d+[a-z]?) (?:business|bus)\b"), r"bus \1"),
    # A highway's alternate route, by its letter or its word before or after the number: "US HIGHWAY 90A" / "US 90
    # Alt" / "Alt US 90" / "Hwy 90 Alternate".
    (re.compile(r"\b(hwy \d+) (?:alternate|alt)\b"), r"\1a"),
    (re.compile(r"\b(?:alternate|alt) hwy (\d+)\b"), r"hwy \1a"),
    # A county road known by letters ("County Rd K", "Cty Rd JJ"), as Wisconsin's are; not after a bare "Cr",
    # which may be a Circle.
    (re.compile(r"\b(?:county rd|co rd|cnty rd|cty rd)( [a-z]{1,2})$"), r"county rd\1"),
)

_NUMBERED_BUILDING = re.compile(r"(?P<number>\d+)\s+(?P<name>[^\d\s].*)")
_BUILDING_WORDS = {"ctr": "center", "cntr": "center", "twr": "tower", "plz": "plaza", "bldg": "building"}
# The street types spelt out in full ("street", "avenue"), against which a mistyped type is read.
_SPELT_TYPES = tuple(
    w for w, abbreviation in STREET_WORDS.items()
    if len(w) >= POST_TYPE_TYPO_LENGTH and not abbreviation[0].isdigit() and len(abbreviation) < len(w)
    and abbreviation not in DIRECTION_ABBREVIATIONS.values()
)  # fmt: skip
# The types' abbreviations of three letters or more, which a typist writes with two letters swapped ("Bvld", "Fwy");
# not a route's, written before its number, nor "Ter", whose swap is a name's word ("Via Tre").
_ABBREVIATED_TYPES = frozenset(
    a
    for a in STREET_WORDS.values()
    if len(a) >= 3 and a.isalpha() and a not in DIRECTION_ABBREVIATIONS.values() and a not in ("rte", "ter")
)
_STREET_PARTS = ("StreetNamePreDirectional", "StreetNamePreType", "StreetName", "StreetNamePostType")
_STREET_PARTS_ALL = (*_STREET_PARTS, "StreetNamePostDirectional")
# A corner given as the place, no house number: "E 85th St & Lexington Ave", "85th and Lexington", "39th St. @ 6th
# Ave.", "Main St at Elm St, Houston, TX". Each side is read as a street after a house number put before it, as
# usaddress reads a street best (alone, "85th" is a unit and "Broadway" a person); "@" and "at" join two streets only
# where both name one ("Shops at Legacy" is a place), and so does a slash, as a parks inventory writes its corner
# ("CHICON ST/PECAN BRK DR"). A side read as more than a street (a unit, a town, a house
# number inside it: "Barnes & Noble 123 Main St") is no street, and the line no corner. An "&" between two letters
# with no space beside it joins an initialism ("AT&T Center", "P&G Building", "H&M"), a single letter no street.
_CORNER = re.compile(r"\s*(@|(?<=\s)&|&(?=\s)|\band\b|\bat\b|/)\s*", re.IGNORECASE)
# What a line writes before a corner's streets: "Corner of", "NW corner of", "SEC of" (the south-east corner),
# "Intersection of".
_CORNER_OF = re.compile(
    r"^\s*(?:(?:(?:north|south)[\s-]?(?:east|west)|north|south|east|west|[ns][ew]|[nsew])\.?\s+)?(?:corner|cor\.)\s+of\s+"
    # Its side before the word, "SE corner Katy-Hockley Rd & Mueschke Rd", without "of" too.
    r"|^\s*(?:(?:north|south)[\s-]?(?:east|west)|[ns][ew])\.?\s+(?:corner|cor\.)\s+"
    r"|^\s*[ns][ew]c\s+(?:of\s+)?|^\s*intersection\s+of\s+",
    re.IGNORECASE,
)
# A street type written once, plural, after a corner's two streets.
_PLURAL_TYPES = {"sts": "St", "streets": "St", "aves": "Ave", "avenues": "Ave", "rds": "Rd", "roads": "Rd"}
_PLURAL_TYPE = re.compile(rf"\s+({'|'.join(_PLURAL_TYPES)})\.?\s*$", re.IGNORECASE)
_STREET_NUMBER = "100"  # put before a street for usaddress to read it as one (_tagged_as_street)
# The street types written before the name, as folded ("boulevard" and "boul" are "blvd" by then), and the type each
# is written after a name; the articles before such a name, and French directions.
_TYPES_WRITTEN_FIRST = {
    "rue": "st",
    "blvd": "blvd",
    "bd": "blvd",
    "ave": "ave",
    "chemin": "rd",
    "ch": "rd",
    "chem": "rd",
}
_ARTICLES = frozenset({"du", "de", "des", "la", "le", "l", "d", "of", "the"})  # "de la", "of the"
_FRENCH_DIRECTIONS = {"ouest": "w", "o": "w", "est": "e", "nord": "n", "sud": "s"}


# A numbered street spelt out in two words ("West Twenty-First Street", the hyphen folded to a space).
_TENS = {"twenty": 2, "thirty": 3, "forty": 4, "fifty": 5, "sixty": 6, "seventy": 7, "eighty": 8, "ninety": 9}
_UNIT_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                  "eighth": 8, "ninth": 9}  # fmt: skip
_UNITS = {word: n for n, word in enumerate(NUMBER_WORDS[:9], start=1)}
_SPELT_COMPOUND_NUMBER = re.compile(rf"\b({'|'.join(_TENS)})[\s-]({'|'.join(_UNITS)})\b", re.IGNORECASE)
_SPELT_COMPOUND_ORDINAL = re.compile(rf"\b({'|'.join(_TENS)}) ({'|'.join(_UNIT_ORDINALS)})\b")


# Every way of writing a USPS street suffix as one word: a common type's abbreviation ("avnue" -> "ave"), any other
# suffix spelt out ("cv" -> "cove", "pt" -> "point"). Spelt out, not abbreviated: one listing leaves out a type that
# ends a street's name ("Harbor Pt" / "Harbor Point Dr") or glues it on ("Northpoint"), as street_parts compares.
_SUFFIX_WORDS = {
    form: STREET_WORDS.get(name, name) for name, forms in STREET_SUFFIX_FORMS.items() for form in (name, *forms)
}


def _is_street_type(word: str) -> bool:
    """The word is a street's type, a common one however written ("Dr", "Drive") or any other of USPS Publication 28's
    suffixes ("Xing", "Cv")."""
    return street_type(word) in STREET_TYPES or fold(word) in _SUFFIX_WORDS


def _street_words(text: str) -> str:
    folded = _SPELT_COMPOUND_ORDINAL.sub(
        lambda m: _ordinal(str(10 * _TENS[m.group(1)] + _UNIT_ORDINALS[m.group(2)])), fold(text)
    )
    return " ".join(STREET_WORDS.get(w) or _SUFFIX_WORDS.get(w, w) for w in folded.split())


@lru_cache(maxsize=4096)
def street_type(text: str) -> str:
    """A street type as the USPS abbreviates it, however a listing writes it: "Avenue", "Ave.", "Av" -> "ave";
    "La" -> "ln"; mistyped in full, "Steet" -> "st". A word that is none of these is kept folded."""
    word = fold(text).replace(" ", "")
    if word in STREET_WORDS or word in POST_TYPE_VARIANTS:
        return STREET_WORDS.get(word) or POST_TYPE_VARIANTS[word]
    return mistyped_type(word) or word


def mistyped_type(word: str) -> str | None:
    """The abbreviation of the street type a folded word of five letters or more misspells, if any: a letter
    dropped, added or changed ("steet", "avenu"), not a longer word ("Streeter"); or an abbreviation written with
    two neighbouring letters swapped ("bvld", "wfy")."""
    if word in STREET_WORDS:
        return None
    if len(word) < POST_TYPE_TYPO_LENGTH:
        return next((a for a in _ABBREVIATED_TYPES if len(a) == len(word) and neighbours_swapped(word, a)), None)
    found = process.extractOne(word, _SPELT_TYPES, scorer=fuzz.ratio, score_cutoff=POST_TYPE_TYPO_RATIO)
    return STREET_WORDS[found[0]] if found is not None and abs(len(found[0]) - len(word)) <= 1 else None


def _ordinal(number: str) -> str:
    """ "113" -> "113th": a numbered street written with or without its ordinal ("E 113 St", "E 113th St")."""
    suffix = "th" if number[-2:] in ("11", "12", "13") else _ORDINAL_SUFFIX.get(number[-1], "th")
    return number + suffix


def _numbered_road(street: str) -> str:
    """The street with a numbered road written in its one form ("us hwy 290" -> "hwy 290")."""
    for road, form in _NUMBERED_ROADS:
        street = road.sub(form, street)
    return street


def _first_of_range(first: str, last: str) -> str | None:
    """The first number of a short range on one side of the street ("3012", "16" -> "3012"), else None.

    The last number may be written in full or by its final digits only, as in "3012-16".
    """
    end = int(first[: -len(last)] + last) if len(last) < len(first) else int(last)
    span = end - int(first)
    # A Queens number's second part has two digits; a last number written in full after a first of three digits or
    # more is a range's end ("749-847", an apartment complex's buildings along its street).
    widest = BLOCK_SPAN if len(first) > 3 or len(last) >= len(first) >= 3 else BUILDING_SPAN
    return first if 0 < span <= widest and span % 2 == 0 else None


_ORDINAL_UNIT = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
# The words for "number" before a unit's number.
_NUMBER_WORDS = ("number", "no", "nbr", "num")
# "No. 204", "Nbr 204": the word for "number" before a unit's number, which usaddress leaves in it.
_NUMBER_WORD = re.compile(rf"^(?:{'|'.join(_NUMBER_WORDS)})(?:\.\s*|\s+|(?=\d))(?=\w)", re.IGNORECASE)


# Words a builder's listing writes before or after a home's street address that usaddress reads as a unit's
# designator: "Plan 2501 - 123 Oak St", "Phase 2, 123 Oak St", "Model Home 4". A plan or phase is no unit of a
# building, and read as one it held the home apart from "123 Oak St".
_HOME_LISTING_WORDS = frozenset({"plan", "model", "phase", "section", "elevation"})
_PLAN_WORDS = frozenset({"plan", "model", "elevation"})


def _names_a_plan(text: str) -> bool:
    """A home's floor plan named where its street would be ("Plan 2042", "Cali Plan", "The Aspen Model"): a few words,
    a plan's word among them and no street type."""
    words = fold(text).replace("-", " ").split()
    return 0 < len(words) <= 4 and bool(_PLAN_WORDS & set(words)) and not STREET_TYPES & set(words)


def _titles_a_lot(before_lot: str) -> bool:
    """A listing's title before a dash and the lot that ends it ("The Mercer - Homesite 6"): a plan's or a product's
    name, a few words with no number and no street type, is no street."""
    if not before_lot.rstrip().endswith("-"):
        return False
    words = fold(before_lot).replace("-", " ").split()
    return 0 < len(words) <= 4 and not any(w[:1].isdigit() for w in words) and not STREET_TYPES & set(words)


def _names_a_unit(designator: str | None) -> bool:
    words = fold(designator).split()
    return not words or words[0] not in _HOME_LISTING_WORDS


# A unit's number zero-padded ("G01", "PH02", "0204"): the number, as another listing writes it ("G-1", "PH2").
_UNIT_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")
_PENTHOUSE = frozenset({"penthouse", "pent", "ph"})


def _unit(building: str | None, unit: str | None) -> str | None:
    """The unit as compared: "101", or "4/101" for unit 101 of building 4 ("Bldg 4 Unit 101", "Unit 4-101"), which
    is not unit 101 of building 5, nor unit 4101. A building alone is the unit."""
    if building is None and unit and (split := _BUILDING_DASH_UNIT.fullmatch(unit.strip())):
        building, unit = split.group(1), split.group(2)
    if building and unit:
        # A tower by its direction or its letter, as a building column gives it: "North Tower" is "n" ("N/1204").
        building = building_code(building) or building
    folded = [
        _UNIT_ZEROS.sub("", fold(_NUMBER_WORD.sub("", text)).replace(" ", "").lstrip("#"))
        for text in (building, unit)
        if text
    ]
    # A floor by its ordinal is its number: "2nd Floor" is "Fl 2".
    return "/".join(_ORDINAL_UNIT.sub(r"\1", part) for part in folded if part) or None


# A building as a complex letters or numbers it ("B", "12", "C2"); or by its name: its direction beside its word
# ("East Tower", "Post Oak Park - West Tower", "Tower North"), or its letter or number after it ("Tower 2",
# "Building C").
_BUILDING_CODE = re.compile(r"[a-z]?\d{0,3}[a-z]?")
_BUILDING_WORD = r"(?:tower|building|bldg|wing)"
_BUILDING_BY_NAME = re.compile(
    rf"\b(?P<before>north|south|east|west)\s+{_BUILDING_WORD}\b|\b{_BUILDING_WORD}\s+(?P<after>north|south|east|west)\b"
    rf"|\b{_BUILDING_WORD}\s*#?\s*(?P<code>\d{{1,3}}|[a-z])$"
)


def building_code(cell: object) -> str | None:
    """A building cell as its complex letters or numbers it ("East Tower" is "e", "Tower 2" "2"); None for a name
    that gives neither ("The Aurelia")."""
    text = fold(str(cell or "")).strip()
    if not text:
        return None
    if _BUILDING_CODE.fullmatch(text.replace(" ", "")):
        return text.replace(" ", "")
    found = _BUILDING_BY_NAME.search(text)
    if found is None:
        return None
    direction = found.group("before") or found.group("after")
    return DIRECTION_ABBREVIATIONS[direction] if direction else found.group("code")


def with_building(unit: str | None, building: str | None) -> str | None:
    """A unit with the building a list gives apart ("1902" of building "e" is "e/1902", "201" of building "2"
    "2/201"), unless the unit already names a building ("e1902", "4/101") or is a homesite's lot."""
    if not unit or not building or "/" in unit or unit.startswith(HOMESITE):
        return unit
    if building.isalpha() and unit.startswith(building):
        return unit  # "e1902": the building's letter is given
    return f"{building}/{unit}"


# A unit written with its building before a dash, as condominiums and townhome complexes number them: "2-203" is unit
# 203 of building 2, "3-4" unit 4 of building 3, which another listing gives as "Bldg 2 Unit 203", "Bldg 3 Unit 4",
# or as the unit alone. A building's number before a unit's: "A-1" and "B-12" are one unit's name however spaced
# ("A1").
_BUILDING_DASH_UNIT = re.compile(r"#?\s*(\d{1,3})\s*-\s*(\d+[a-z]?)", re.IGNORECASE)


# An address cell that says where a business works or how it is reached instead of where it is: a mobile vet's or a
# contractor's "Serving Newport and surrounding areas", "By appointment only", "House calls only".
_NO_PLACE = re.compile(
    r"^\W*(?:serving|serves|servicing|service\s+areas?\b|by\s+appointment|house\s+calls|call\s+for\s+"
    r"(?:address|location|directions)|mobile\s+(?:service|only)|online\s+only)",
    re.IGNORECASE,
)


# A street's hundred block, as a city's petition or a police report gives a place on it: "5900 BLK HUNTERS POND",
# "25300 Block of Cinco Lake Dr", a street and no house on it.
# "Block" spelt out says so before "of" or in a line of capitals ("1200 Block House Dr" is a street's name).
_HUNDRED_BLOCK = re.compile(r"^(\s*\d+)\s+(?:(?i:blk)\.?|(?i:block\s+of)|BLOCK(?:\s+OF)?)\s+(?=\S+\s+\S)")


@lru_cache(maxsize=200_000)
def parse_address(address: str | None, postal_code: str | None = None) -> AddressKey:
    """Number, street, unit and postal code of a US street address, parsed with usaddress; a Canadian or British
    postal code ending the line is read before it. A line saying where a business works (``_NO_PLACE``) gives its
    town, state and ZIP, no street address; a street's hundred block (``_HUNDRED_BLOCK``) its street alone."""
    block = _HUNDRED_BLOCK.match(address) if address else None
    if block is not None and address:
        # Read with the block's number as a house's, so a street written without its type is still a street, its
        # route or loop read as any line's; the number is dropped at the end.
        address = f"{block.group(1)} {address[block.end() :]}"
    key = _parse_address(address, postal_code)
    if key.street is None and address and _RANCH_ROAD.search(_RANCH_ROAD_RR.sub("RM ", _routes_shortened(address))):
        # usaddress reads a ranch road's "RM" as a room after some house numbers ("6000 RM 2222" as room 6000), and so
        # its name spelt out or its letters apart ("RANCH TO MARKET RD 1431", "r m 1431"): written "RM-2222" it is
        # the street's, read back as "fm 2222".
        key = _parse_address(address, postal_code, ranch_road=r"\1RM-")
    if key.street and key.unit and key.street.split()[-1] == "loop" and address and _LOOP_NUMBER.search(address):
        # A numbered loop in capitals, "6337 N LOOP 1604 E", which usaddress reads as a street "Loop" and a unit 1604E:
        # written "LOOP-1604" its number is the street's.
        key = _parse_address(_LOOP_NUMBER.sub(r"\1-\2", address), postal_code)
    if (
        address
        and (route := _ROUTE_AND_NUMBER.search(address))
        and route.group(2).lower() not in (key.street or "").split()
    ):
        # A route's number before a unit, "3077 FM 2920 BLDG 2", which usaddress reads as a street "FM 2" and a unit
        # 2920: written "FM-2920" the number is the street's.
        hyphenated = _parse_address(_ROUTE_AND_NUMBER.sub(_route_hyphenated, address), postal_code)
        if route.group(2).lower() in (hyphenated.street or "").split():
            key = hyphenated
    if key.unit and not key.state and address and (state := _STATE_ENDING_LINE.search(address)):
        # A state's code ending a line with no town or ZIP, "2120 Heron Ridge Dr TX", which usaddress reads as unit TX.
        before, code = address[: state.start(1)].split()[-1:], state.group(1).upper()
        if before and _is_street_type(before[0]) and key.unit.upper() == code and code in US_STATES.values():
            key = _parse_address(f"{address[: state.start(1)].rstrip()}, {state.group(1)}", postal_code)
    if key.state in _STATES_NAMED_AS_TYPES and address and (typed := _TYPE_BEFORE_ZIP.search(address)):
        # A court's or a lane's type straight before the ZIP, "4400 Cinnamon Teal Ct 77459", which usaddress reads as
        # Connecticut after a town "Teal": with a comma before the ZIP the type is the street's.
        before_zip = _parse_address(f"{address[: typed.end(1)]}, {address[typed.end(1) :].lstrip()}", postal_code)
        if key.street not in (None, before_zip.street) and (before_zip.street or "").split()[-1:] == [
            street_type(typed.group(1))
        ]:
            key = before_zip
    if address and _NO_PLACE.match(address):
        return replace(key, number=None, street=None, unit=None, corner=None, box=None, building=None)
    return replace(key, number=None) if block is not None and key.number and key.street else key


_STATE_ENDING_LINE = re.compile(r"\s([A-Za-z]{2})\.?\s*$")
# States whose codes are street types too: Connecticut's "CT" a court's "Ct", Louisiana's "LA" a lane's "La".
_STATES_NAMED_AS_TYPES = frozenset({"CT", "LA"})
_TYPE_BEFORE_ZIP = re.compile(r"\b(ct|la)\.?\s+(?=\d{5}(?:-\d{4})?\s*$)", re.IGNORECASE)


_ROUTE_AND_NUMBER = re.compile(
    r"\b(FM|RM|SH|SR|HWY|US|IH|CR|farm[\s-]+to[\s-]+market(?:\s+road)?|state\s+highway|county\s+road|highway)"
    r"\s+(\d+[A-Z]?)\b",
    re.IGNORECASE,
)
# A route's spelt name as its short form: "Farm-to-Market Road 2920" is "FM-2920".
_ROUTE_SHORT = {"farm": "FM", "state": "SH", "county": "CR", "highway": "HWY"}


def _route_hyphenated(route: re.Match[str]) -> str:
    name = route.group(1)
    return f"{_ROUTE_SHORT.get(name.split()[0].split('-')[0].lower(), name)}-{route.group(2)}"


# A model home's or a sales office's note after its street address or as its second line: "5076 Heron Court (Model)",
# "5076 Heron Loop" with "Sales Office", "1029 BLANCO RIVER SALES MODEL" (read as a unit, it held a listing's twin;
# after "Court", part of the street).
_SALES_NOTE = re.compile(
    r"[\s,;-]*\(?\b(?:(?:sales\s+)?model(?:\s+home)?|sales\s+(?:center|centre|office|trailer)|welcome\s+center|information\s+center)"
    r"\b\)?\s*$",
    re.IGNORECASE,
)


# A utility's note of the service it set, after the street address: "105 KESTREL WAY TMP SVC", "(TEMP POLE)",
# "CONST SVC", the builder's temporary power while the house is built (read as the street's words, another street),
# and a water meter's for the lawn, "IRR", "IRRIGATION" (read as the house's unit); where on the house the crew set
# the meter, "- MTR LEFT SIDE", "(meter at rear)".
_SERVICE_NOTE = re.compile(
    r"[\s,;-]*\(?\b(?:(?:temp|tmp|temporary)\b\.?(?:\s+(?:svc|service|meter|pole|power|const|construction)\b)?"
    r"|(?:const|construction)\b\.?\s+(?:svc|service|meter|pole|power)\b"
    r"|(?:mtr|meter)\s+(?:(?:on|at)\s+)?(?:the\s+)?(?:left|right|rear|back|front)(?:\s+(?:side|of\s+house))?\b"
    r"|(?:irr|irrig|irrigation)\b\.?(?:\s+(?:svc|service|meter)\b)?)\.?\)?\s*$",
    re.IGNORECASE,
)
# A customer's note for the crew after the street address, as a booking form takes it: "(gate code *2580)", "gate code
# 1234", "NEW CONSTR.", "(corner lot)" (read as a unit, or as the street's words, another street).
_VISITOR_NOTE = re.compile(
    r"[\s,;-]*\(?\b(?:gate\s*(?:code|cd|#|no\.?|number|:)\s*[:#]?\s*[*#]?\w+[*#]?"
    r"|new\s+(?:construction|constr|const|build|home)|corner\s+lot)\b\.?\)?\s*$",
    re.IGNORECASE,
)
# A townhome's unit letter hyphened to the street's type: "2101 Bluebonnet Blvd-C" (read as a street "Blvdc"). Not a
# lettered route's ("Hwy-A", Missouri's "Highway A").
_UNIT_HYPHENED_TO_TYPE = re.compile(r"\b([A-Za-z]{2,})-([A-Za-z]\d{0,3})(?=\s*(?:,|$))")
_LETTERED_ROUTE_TYPES = frozenset({"hwy", "rte", "loop", "spur"})
# Or glued to it in a homeowner's typing, the letter in capitals after the type's lower case: "2185 Bluebonnet BlvdC".
_UNIT_GLUED_TO_TYPE = re.compile(r"\b([A-Z][a-z]{1,3})([A-Z])(?=\s*(?:,|$))")


def _unit_after_type(found: re.Match[str]) -> str:
    word, unit = found.groups()
    # A type of USPS Publication 28's longer list too: "12366 Cedar Landing Xing-D".
    lettered = street_type(word) in _LETTERED_ROUTE_TYPES
    return f"{word} #{unit}" if _is_street_type(word) and not lettered else found.group()


# A clerk's pointer to the legal description, or to the lot's columns, in the address cell of a home not yet
# addressed: "TBD - SEE LEGAL", "TBD - SEE LOT", "See Lot/Blk".
_SEE_LEGAL = re.compile(
    r"[\s,;-]*\(?\bsee\s+(?:the\s+)?(?:legal(?:\s+desc(?:ription)?)?|lot(?:\s*(?:/|&|and)\s*(?:block|blk))?|plat)\b\.?\)?"
    r"(?=\s*(?:[,;]|$))",  # at the line's end or a comma's: no street named so
    re.IGNORECASE,
)


def _parse_address(address: str | None, postal_code: str | None = None, ranch_road: str = r"\1RM ") -> AddressKey:
    if not address or not address.strip():
        return AddressKey(None, None, None, normalize_postal(postal_code))
    if measured := _MILES_FROM.match(address):
        # A rural site given by its distance from a town along a road: the road, with no house number.
        address = measured.group("road")
    elif side := _SIDE_OF.match(address):
        address = side["road"] + ("" if _ALONG_IT.match(side["rest"]) else side["rest"])
    # No street address line is this long; a longer cell is pasted text, whose parsing (read again up to each
    # comma) grew with the square of its length: 2,000 comma-separated parts took 150 s.
    # Quote marks around the line, as some exports and tokenized benchmark files wrap values ("` 12 main st . '").
    listed = address = address[:MAX_ADDRESS_LINE].strip(_QUOTE_MARKS)
    # A note of what stands there, after the street address or in its unit's line: no unit of it.
    address = _SERVICE_NOTE.sub("", _SALES_NOTE.sub("", address) or address) or address
    address = _VISITOR_NOTE.sub("", address) or address
    address = _SEE_LEGAL.sub("", address)
    address = _UNIT_GLUED_TO_TYPE.sub(_unit_after_type, _UNIT_HYPHENED_TO_TYPE.sub(_unit_after_type, address))
    if "&" in address and ";" in address:
        # An HTML character reference a page was scraped with: "King&#8217;s Crossing Dr" is King's.
        listed = address = html.unescape(address)
    listed_postal = None
    if foreign := _FOREIGN_POSTAL_AFTER.search(address):
        listed_postal, address = normalize_postal(foreign.group(1)), address[: foreign.start()]
    address = _without_country(address)
    address = _CORNER_OF.sub("", address)
    canadian = canadian_postal(normalize_postal(listed_postal or postal_code))
    if canadian:
        address = _RUE_ABBREVIATED.sub(" rue ", address)  # Quebec's "6950, r. Saint-Denis"
        address = _ARTICLE_FIRST.sub(r"\1", _FRENCH_UNIT.sub(" Suite ", address))
        address = _OUEST_ABBREVIATED.sub(_ouest, address)
    if canadian and (suite_first := _SUITE_BEFORE_NUMBER.match(address)):
        # Canada writes a suite before the civic number: "201-764 rue Notre-Dame" (or "305-6950, rue Saint-Denis")
        # is suite 201 at 764, where New York's "37-12 Main St" is one house number.
        on_street, separator, place = address[suite_first.end() :].partition(",")
        address = f"{suite_first.group(2)} {on_street.strip()} #{suite_first.group(1)}{separator}{place}"
    if (cross := _CROSS_STREET.search(address)) and _gives_directions(address, cross):
        # Up to the comma after the directions: the city, state and ZIP follow it.
        comma = address.find(",", cross.start())
        address = address[: cross.start()] + (address[comma:] if comma >= 0 else "")
    lot = None
    if homesite := _LOT.search(address):
        block = homesite.group("block") or homesite.group("block_first")  # "Lot 12 Blk 3", "Blk 3 Lot 12"
        lot = HOMESITE + plat_number(homesite.group("lot")) + (f"block{plat_number(block)}" if block else "")
        before_lot, after_lot = address[: homesite.start()], address[homesite.end() :]
        segment = after_lot.strip(" ,").split(",")[0].split()
        if (
            not before_lot.strip(" ,-")
            and (homesite.group(0).rstrip().endswith(",") or after_lot.lstrip().startswith(","))
            and not (segment and street_type(segment[-1]) in STREET_TYPES)
        ):
            # The lot alone, its town, state and ZIP after a comma ("Lot 12 Blk 3, Katy, TX 77494"): no street, where
            # what follows is no typed street ("Lot 7, Block 3, Oak Bend Dr").
            placed = parse_address(after_lot.strip(" ,"), listed_postal or postal_code)
            return AddressKey(None, None, lot, placed.postal_code, placed.city, placed.state)
        lot_ends_line = (
            homesite.group(0).rstrip().endswith(",") or after_lot.lstrip().startswith(",") or not after_lot.strip()
        )
        if _names_a_plan(before_lot.strip(" ,-")) or (lot_ends_line and _titles_a_lot(before_lot)):
            # A home not yet addressed, known by its plan and its lot ("Plan 2042 - Lot 37", "Cali Plan - Lot 28", "The
            # Mercer - Homesite 6"): the plan is many homes', no street and no unit. After a comma, the town, state and
            # ZIP place the lot.
            if lot_ends_line:
                placed = parse_address(after_lot.strip(" ,"), listed_postal or postal_code)
                return AddressKey(None, None, lot, placed.postal_code, placed.city, placed.state)
            before_lot = ""  # its street follows: "Plan 2042 - Lot 37 Foxglove Ct"
        address = (before_lot + " " + after_lot).strip(" ,-")
        if _NO_STREET_YET.fullmatch(address):
            # A builder's "TBD" where the street will be ("Lot 1 TBD"): no street, or every such lot shares one.
            return AddressKey(None, None, lot, normalize_postal(listed_postal or postal_code))
    dwelling = None
    if found_dwelling := _ACCESSORY_DWELLING.search(address):
        dwelling = _ACCESSORY_NAMES.get(fold(found_dwelling.group(1)), fold(found_dwelling.group(1)))
        address = address[: found_dwelling.start()] + address[found_dwelling.end() :]
    address = _GLUED_UNIT.sub(" ", address)
    fraction = None
    if fractioned := _FRACTION_NUMBER.match(address):
        fraction = _FRACTIONS.get(fractioned.group(2), fractioned.group(2))
        address = fractioned.group(1) + address[fractioned.end() :]
    address = _SPACED_RANGE.sub(r"\1-\2", _JOINED_NUMBERS.sub(r"\1", address))
    address = _STUDIO_SUITE.sub("Ste ", _SPACE_ABBREVIATION.sub("Space", address))
    address = _BUILDING_SPELT.sub("Bldg ", address)
    address = _SPACED_NUMBER_SIGN.sub("#", address)
    address = _SAINTE.sub("Sainte ", _SAINT.sub(r"\1Saint ", address))
    address = _UNASSIGNED_NUMBER.sub("", address)
    address = _SPELT_HOUSE_NUMBER.sub(lambda m: str(_SPELT_NUMBERS.index(m.group(1).lower()) + 1), address)
    address = _routes_shortened(address)
    address = _RANCH_ROAD.sub(ranch_road, _RANCH_ROAD_RR.sub("RM ", address))
    address = _STATE_CODE_ROAD.sub(r"\1State Hwy ", address)
    address = _PRIVATE_ROAD.sub("PR-", _COUNTY_ROAD.sub("County Road", address))
    address = _SPACED_INTERSTATE.sub(r"\1IH ", _INTERSTATE.sub("IH ", address))
    address = _FRONTAGE_ROAD.sub(r"\1", address)
    address = _MARTIN_LUTHER_KING.sub("Martin Luther King", address)
    address = _INITIALLED_NAME.sub(lambda m: m.group(1) + _INITIALLED_NAMES[m.group(2).lower()], address)
    address = _GIVEN_NAME_AND_INITIAL.sub(r"\1", address)
    if not _NUMBER_FIRST.match(address) and (corner := _corner(address)):
        first_street, second_street, placed_line = corner
        placed = parse_address(placed_line, listed_postal or postal_code)  # the city, state and ZIP after it
        return AddressKey(None, first_street, None, placed.postal_code, placed.city, placed.state, corner=second_street)
    parts = _tagged(address)
    parts = _street_not_a_corner(parts)
    if lot and "StreetName" not in parts and "AddressNumber" not in parts:
        # What a homesite is given on is a street, written without its type ("Lot 3 Prairie Aster", as an appraisal
        # roll's situs columns give it), which alone usaddress reads as a building's name.
        parts = _tagged_as_street(address) or parts
    if "IntersectionSeparator" in parts and "AddressNumber" not in parts:
        # Two streets joined, to usaddress, that ``_corner`` found to be none: a place's name with an "&" in it
        # ("AT&T Stadium, Arlington, TX"). No street is known; the name is the building's, the town stays.
        parts = {label: text for label, text in parts.items() if label in _PLACE_LABELS}
        parts["BuildingName"] = address.split(",")[0]
    if _ORDINAL_UNIT.match(fold(parts.get("AddressNumber"))):
        # A numbered street without a house number ("1st Ave.", "5th Avenue"), which usaddress reads as house number
        # "1st" of a street "Ave".
        parts = _tagged_as_street(address) or parts
    parts = _street_named_by_direction(_street_ends_at_comma(parts))
    if parts.get("USPSBoxType", "").rstrip(".").lower() in _NUMBER_WORDS and "AddressNumber" in parts:
        # "100 Main St Number 204": usaddress reads a unit written "Number" as a post office box.
        parts.setdefault("OccupancyIdentifier", parts.pop("USPSBoxID", ""))
    if (
        "AddressNumber" not in parts
        and "StreetName" not in parts
        # Up to a comma: what follows is the city or the neighbourhood ("4 World Financial Center, New York").
        and (numbered_building := _NUMBERED_BUILDING.fullmatch(parts.get("BuildingName", "").split(",")[0]))
    ):
        # A building known by its number and name ("2 Allen Center", "One Galleria Tower"): usaddress reads it
        # as a building's name only; its number and name are compared as a house number and a street.
        words = [_BUILDING_WORDS.get(w, w) for w in fold(numbered_building.group("name")).split()]
        parts["AddressNumber"], parts["StreetName"] = numbered_building.group("number"), " ".join(words)
        del parts["BuildingName"]
    _spell_ordinal(parts)
    # A "number" without a digit is no house number: the street's first word when the listing gives none
    # ("Oak Bend Dr", usaddress's number "Oak"), or what is left of a lost number ("B Peachtree Rd").
    # A half alone ("1/2 Oak St") is the half lot before number 1, not number 12 ("1 2" read as a range).
    number = "½" if parts.get("AddressNumber", "").strip() in ("1/2", "½") else fold(parts.get("AddressNumber")) or None
    if number and not any(c.isdigit() for c in number) and number != "½":
        parts["StreetName"] = f"{parts['AddressNumber']} {parts.get('StreetName', '')}".strip()
        number = None
    # A house number's letter written apart: "4628 B Hollow Pine Dr" is half B of a duplex, as "4628B" writes it.
    # usaddress reads the letter as the number's suffix, or before more of a street's name as the name's first word
    # ("4628 A Hollow Pine Dr"); a lettered street ("210 C St") or a direction ("12 E Oak St") has no word after it.
    number_letter = fold(parts.get("AddressNumberSuffix"))
    name = parts.get("StreetName", "").split()
    if (
        number
        and not number_letter
        and len(name) > 1
        and len(name[0]) == 1
        and len(name[1]) >= 3
        and (fold(name[0]) not in DIRECTIONS)
    ):
        number_letter, parts["StreetName"] = fold(name[0]), " ".join(name[1:])
    number_letter = number_letter if len(number_letter) == 1 and number_letter not in DIRECTIONS else ""
    street = _street(parts)
    occupancy = parts.get("OccupancyIdentifier") if _names_a_unit(parts.get("OccupancyType")) else None
    if occupancy and fold(parts.get("OccupancyType")).rstrip(".") in _PENTHOUSE:
        occupancy = f"PH{occupancy}"  # "Penthouse 3" is "PH-3"
    unit = (
        _unit(parts.get("SubaddressIdentifier") if _names_a_unit(parts.get("SubaddressType")) else None, occupancy)
        or lot
    )
    unit = unit or dwelling
    if street and (inside := _UNIT_IN_STREET.fullmatch(street)):
        # A unit the parser left in the street ("s broadway space c45"): the street is what precedes it.
        street, unit = inside.group(1), unit or inside.group(2)
    if number and (spanned := _NUMBER_RANGE.fullmatch(number)):
        number = _first_of_range(spanned.group(1), spanned.group(2)) or spanned.group(1) + spanned.group(2)
    if number and (lettered := _LETTERED_NUMBER.fullmatch(number + number_letter)):
        # "608A W Verona Ave" is unit A of number 608, as "608 W Verona Ave Ste A" writes it.
        number, unit = lettered.group(1), unit or lettered.group(2)
    if number and number.isdigit():
        # "0123" is 123; "0" is no number: a lot not yet given one ("0 Sunny Meadow Ln", as land listings write it),
        # which every other such lot on the street shares.
        number = number.lstrip("0") or None
    if number and fraction:
        number += fraction
    box = None if number or street else _post_office_box(parts)
    if (
        not box
        and (not (number and street) or not number[0].isdigit())
        and (after := _ADDRESS_AFTER_PLACE.search(listed))
    ):
        # A place's name before the street address, which usaddress reads as a building it cannot place: "The Glen
        # Tower Center, 1880 Tower Drive", "Memorial Union800 Langdon St", "Hotel Monaco-225 N. Wabash Ave".
        found = parse_address(listed[after.start(1) :], postal_code)
        if found.number and found.street:
            return replace(found, building=found.building or _building(listed[: after.start(1)]))
    postal = _line_zip(parts) or listed_postal or normalize_postal(postal_code)
    return AddressKey(
        number=number,
        street=street,
        unit=None if box else unit,  # "POB 77": the box's number, which usaddress read as a unit's
        postal_code=postal,
        city=_listed_city(address, parts.get("PlaceName"), parts.get("StateName")),
        state=_listed_state(parts.get("StateName")),
        box=box,
        building=_building(parts.get("BuildingName") or parts.get("LandmarkName") or parts.get("Recipient")),
    )


# The states whose ZIPs begin with 0, the digit a spreadsheet drops ("Boston MA 2134" is 02134).
_ZERO_ZIP_STATES = frozenset({"CT", "MA", "ME", "NH", "NJ", "RI", "VT", "PR", "VI"})


def _line_zip(parts: dict[str, str]) -> str | None:
    """The ZIP ending an address line. Four digits are a ZIP that lost its leading zero only after a state whose ZIPs
    begin with one: a road's number ending a line of directions ("off SH 288, minutes from FM 1463") is no ZIP."""
    written = parts.get("ZipCode")
    if (
        written
        and len(re.sub(r"\D", "", written)) in (4, 8)
        and _listed_state(parts.get("StateName")) not in _ZERO_ZIP_STATES
    ):
        return None
    return normalize_postal(written)


# A rural route's or a highway contract route's name, however written, as its box is filed: "rr 2 box 150".
_BOX_ROUTES = {"rural route": "rr", "rr": "rr", "rte": "rr", "route": "rr", "highway contract": "hc", "hc": "hc"}


# A tract's other dwelling written after its street address, as a county's permit or a co-op's meter list gives it
# ("1234 CR 45 (MOBILE HOME)", "... GUEST HSE", "... GH"): a unit of the address (``linkage.ACCESSORY_UNITS``), not
# part of the street's name.
_ACCESSORY_DWELLING = re.compile(
    r"[\s,]+\(?\s*(guest\s*house|guest\s*hse|gh|mobile\s*home|m/?h|casita)\s*\)?\s*(?=,|$)", re.IGNORECASE
)
_ACCESSORY_NAMES = {"guest house": "guest", "guesthouse": "guest", "guest hse": "guest", "gh": "guest",
                    "mobile home": "mh", "mobilehome": "mh", "m h": "mh"}  # fmt: skip
# A house number not yet assigned, written in its place: "TBD Sunny Meadow Ln", "TBA Oak St", "N/A Elm Dr".
_NO_STREET_YET = re.compile(r"\s*(?:tbd|tba|n/?a|unknown|pending|not\s+(?:yet\s+)?assigned)\.?\s*", re.IGNORECASE)
_UNASSIGNED_NUMBER = re.compile(r"^\s*(?:tbd|tba|n/a)\b[\s,.-]*(?=\w)", re.IGNORECASE)


def _post_office_box(parts: dict[str, str]) -> str | None:
    """The box usaddress read in place of a street address, in one form however the line writes it: "box 1234" of
    "P.O. Box 1234", "Post Office Box 1234" and "POB 1234"; "drawer 5" of "PO Drawer 5"; "rr 2 box 150" of "Rural
    Route 2 Box 150"."""
    kind = fold(parts.get("USPSBoxType"))
    # "POB 77": usaddress reads the number as a unit's.
    ident = fold(parts.get("USPSBoxID") or (parts.get("OccupancyIdentifier") if kind else None)).replace(" ", "")
    if not ident:
        return None
    ident = ident.lstrip("0") or ident  # "PO Box 0042" is box 42
    box = f"{'drawer' if 'drawer' in kind else 'box'} {ident}"
    route = fold(parts.get("USPSBoxGroupType"))
    if route:
        box = f"{_BOX_ROUTES.get(route, route)} {fold(parts.get('USPSBoxGroupID')).replace(' ', '')} {box}"
    return box


_QUOTE_MARKS = " \t\"'`\u2018\u2019\u201c\u201d"
# usaddress's labels for the town, state and ZIP after a street address or a place's name.
_PLACE_LABELS = frozenset({"PlaceName", "StateName", "ZipCode"})


def _street(parts: dict[str, str]) -> str | None:
    """The street as compared, from usaddress's labelled parts: its type and directions abbreviated, a numbered road
    in one form ("s archer ave", "hwy 6")."""
    labelled = dict(parts)
    if "StreetNamePostType" in labelled:
        # Two type words ("Universal Terrace Parkway"): the last is the type, the one before it the name's.
        *named, last = labelled["StreetNamePostType"].split() or [""]
        if named:
            labelled["StreetName"] = " ".join([labelled.get("StreetName", ""), *named]).strip()
        labelled["StreetNamePostType"] = street_type(last)
    elif len(name := labelled.get("StreetName", "").split()) > 1 and (typed := mistyped_type(fold(name[-1]))):
        # usaddress reads a mistyped type as part of the name ("State Steet") unless more follows it.
        labelled["StreetName"], labelled["StreetNamePostType"] = " ".join(name[:-1]), typed
    # Each part folded on its own: "E N Ave" is East North Avenue, not a street "En" (single letters run together).
    spelt = (_street_words(labelled[p]) for p in _STREET_PARTS_ALL if p in labelled)
    return _numbered_road(_type_last(" ".join(w for w in spelt if w))) or None


def _type_last(street: str) -> str:
    """A street whose type is written before its name, as French writes every street ("rue Sherbrooke Ouest",
    "boul. Saint-Laurent", "Avenue du Mont-Royal E", "Chemin de la Cote-des-Neiges"), with its type after the name,
    as English writes it ("Sherbrooke St W", "Saint-Laurent Blvd"): the article before its name left out ("Avenue of
    the Americas", "Ave. of Americas"), a direction in French abbreviated, a direction before the type kept before
    the name ("S Avenue H" is "S H Ave"). A numbered road ("Route 117") or a street that also writes a type after
    its name stays."""
    before, words = ([], street.split())
    if len(words) > 2 and words[0] in DIRECTIONS:
        before, words = words[:1], words[1:]
    if len(words) < 2 or words[0] not in _TYPES_WRITTEN_FIRST or words[1][0].isdigit() or words[-1] in STREET_TYPES:
        return street
    street_type, name = _TYPES_WRITTEN_FIRST[words[0]], words[1:]
    direction = []
    if len(name) > 1 and (name[-1] in DIRECTIONS or name[-1] in _FRENCH_DIRECTIONS):
        direction = [_FRENCH_DIRECTIONS.get(name[-1], name[-1])]
        name = name[:-1]
    while len(name) > 1 and name[0] in _ARTICLES:
        name = name[1:]
    if len(name) > 1 and name[0] == "st":
        name = ["saint", *name[1:]]  # "boul. St-Laurent": a saint's name, as "3895 St-Laurent Blvd" is read
    return " ".join([*before, *name, street_type, *direction])


def _gives_directions(line: str, cross: re.Match[str]) -> bool:
    """What ``cross`` found are directions to the street before it, not part of the address: "between", "near"; after
    a house number and a street, "at", "@" or "off" and a street. Without a house number, "at" and "@" join a
    corner's two streets ("Main St at Elm St") and "corner of" is part of the corner."""
    word = cross.group("word").rstrip(".").lower()
    if not _NUMBER_FIRST.match(line):
        if word == "at" and _NAMES_A_STREET.search(line[: cross.start()]):
            # A road at a place no street names: "FM 2353 at Possum Kingdom Lake" is on FM 2353.
            return not _NAMES_A_STREET.search(cross.group("cross").partition(",")[0])
        return word in _DIRECTIONS_ONLY and word != "corner of"
    return len(line[: cross.start()].split()) >= 2 and (
        word in _DIRECTIONS_ONLY or bool(_NAMES_A_STREET.search(cross.group("cross")))
    )


def _corner(line: str) -> tuple[str, str, str] | None:
    """The two streets of a corner the line gives as its place, in one order whichever the line writes first, and the
    line with its first side as a street address, from which its city, state and ZIP are read. None when the line is
    no corner."""
    head, comma, rest = line.partition(",")
    sides = _CORNER.split(head, maxsplit=1)
    if len(sides) != 3 or _ADDRESS_AFTER_PLACE.search(line):
        return None
    first, joint, second = sides
    if plural := _PLURAL_TYPE.search(second):
        # "4th and Howard Sts.": the type, made plural, is each street's ("4th St", "Howard St").
        singular = _PLURAL_TYPES[plural.group(1).lower()]
        second = f"{second[: plural.start()]} {singular}"
        last_word = (first.split() or [""])[-1]
        first = first if street_type(last_word) in STREET_TYPES else f"{first} {singular}"
    if joint.lower() in ("@", "at", "/") and not (_NAMES_A_STREET.search(first) and _NAMES_A_STREET.search(second)):
        return None
    one, other = _corner_street(first), _corner_street(second)
    if one is None or other is None:
        return None
    # Ordered by the streets without their directions, which one listing writes and another leaves out: "W 4th St &
    # 6th Ave" and "6th Ave & 4th St" are filed alike.
    street, other_street = sorted((one, other), key=lambda s: [w for w in s.split() if w not in DIRECTIONS])
    return street, other_street, f"{_STREET_NUMBER} {first}{comma}{rest}"


def _corner_street(side: str) -> str | None:
    """One side of a corner as a street, as compared."""
    if len(side.strip()) < 2:
        return None
    labelled = _tagged_as_street(side)
    if labelled is None or not set(labelled) <= set(_STREET_PARTS_ALL):
        return None
    words = labelled.get("StreetName", "").split()
    if not words or (len(words) > 1 and any(word.isdigit() for word in words)):
        return None
    _spell_ordinal(labelled)
    return _street(labelled)


def _tagged_as_street(text: str) -> dict[str, str] | None:
    """usaddress's labels of a street given without a house number, read after one put before it (alone, "85th" is
    a unit to usaddress, "Broadway" a person, "1st Ave." house number "1st" of a street "Ave"), that number taken off
    again; None when usaddress does not read it back as the house number."""
    labelled = _tagged(f"{_STREET_NUMBER} {text.strip()}")
    return labelled if labelled.pop("AddressNumber", None) == _STREET_NUMBER else None


def _spell_ordinal(parts: dict[str, str]) -> None:
    """A street's bare number as the ordinal it names ("5" is "5th"), not a numbered road's ("Highway 6")."""
    if (numbered := parts.get("StreetName", "")).isdigit() and "StreetNamePreType" not in parts:
        parts["StreetName"] = _ordinal(numbered)


def _without_country(line: str) -> str:
    """An address line without the country written after its state or ZIP ("…, Houston, TX, USA"): usaddress read
    the state as the city and the country as the state. A town named like a country, no state before it, stays
    ("12 Main St, Wales")."""
    country = _COUNTRY_AFTER.search(line)
    if not country:
        return line
    head = line[: country.start()]
    last_part = head.rpartition(",")[2]
    last_word = (last_part.split() or [""])[-1]
    names_region = region_code(last_part) or (len(last_word) == 2 and region_code(last_word))
    return head if _ZIP_AFTER.search(head) or names_region else line


def _building(text: str | None) -> str | None:
    """A building's name as the line writes it, without the separators around it."""
    return (text or "").strip(" ,-") or None


def _street_ends_at_comma(parts: dict[str, str]) -> dict[str, str]:
    """A street written without its type, the city after a comma: usaddress reads the city into the street's name
    ("1019 N Gammon, Madison" -> "Gammon, Madison"). The street ends at the comma; what follows is the city."""
    name = parts.get("StreetName", "")
    if "," not in name:
        return parts
    street, _comma, place = name.partition(",")
    named = {**parts, "StreetName": street.strip()}
    if place.strip() and "PlaceName" not in parts:
        named["PlaceName"] = place.strip()
    return named


def _street_not_a_corner(parts: dict[str, str]) -> dict[str, str]:
    """Without a house number before it, usaddress may read a street's first word as "corner of" ("Forest Mist Dr",
    "Corner Oak Dr": a lot not yet numbered): it is the street's. "Corner of Main and Elm" says so with its "of"."""
    corner = parts.get("CornerOf")
    if corner is None or "StreetName" not in parts or "of" in fold(corner).split():
        return parts
    street = {**parts, "StreetName": f"{corner} {parts['StreetName']}"}
    del street["CornerOf"]
    return street


def _street_named_by_direction(parts: dict[str, str]) -> dict[str, str]:
    """A street whose name is a direction ("12 South St", "6037 South Blvd") as its name.

    usaddress reads the word as a direction after a street with no name, so it was compared after the type ("st
    s", not the "s st" of "12 South Street, New York"); and with no place after it, the house number as the
    street's name ("200 East Blvd"). A direction before the type after a name ("Las Vegas S Blvd") stays one.
    """
    labels = list(parts)
    if (
        "StreetNamePostDirectional" not in parts
        or "StreetNamePostType" not in parts
        or labels.index("StreetNamePostDirectional") > labels.index("StreetNamePostType")
    ):
        return parts
    name = parts.get("StreetName")
    if name and not (name.isdigit() and "AddressNumber" not in parts):
        return parts
    named = dict(parts)
    if name:
        named["AddressNumber"] = named.pop("StreetName")
    named["StreetName"] = named.pop("StreetNamePostDirectional")
    return named


_SUBADDRESS_AS_OCCUPANCY = {"SubaddressType": "OccupancyType", "SubaddressIdentifier": "OccupancyIdentifier"}


# A numbered road's house number, road and building or suite with no comma between them ("1200 FM 1869 Bldg C"),
# which usaddress reads as three units, or with the building's word in the road's name ("FM 1869 Building").
_UNIT_AFTER_ROAD = re.compile(
    r"^(?P<road>\s*\d+[a-z]?\s+[^,]*?\d+[a-z]?)\s+(?P<unit>(?:bldg|building|ste|suite|unit|apt|#)\b.*)$", re.IGNORECASE
)


# A manufactured home park's space after the street address ("4401 US Hwy 98 N Spc 10"), which usaddress reads as a
# second road ("Spc" a road's type, "10" its name) and drops: written with a number sign, it is a unit.
_SPACE_UNIT = re.compile(r"(?<=\s)(?:space|spc|sp)\.?\s*#?\s*(?=[a-z]?\d+[a-z]?\s*$)", re.IGNORECASE)


def _tagged(address: str) -> dict[str, str]:
    """usaddress's labelled parts of a one-line address; a numbered road's building or suite written straight after
    it is read after a comma, where usaddress tells it from the road."""
    address = _SPACE_UNIT.sub("#", address)
    parts = _tagged_line(address)
    if (
        parts.get("StreetNamePreType")
        and "StreetName" not in parts
        and "OccupancyType" not in parts
        and fold(parts.get("OccupancyIdentifier")).isdigit()
    ):
        # A numbered road's number read as a unit: "12450 County Road 2710" is County Road 2710, not unit 2710 of a
        # road with no name.
        parts["StreetName"] = parts.pop("OccupancyIdentifier")
    street_words = set(fold(parts.get("StreetName")).split())
    # A number sign read into the road's name ("15971 RM 620 #104, Austin": usaddress's street "104").
    signed = "#" in parts.get("StreetNamePreType", "") + parts.get("StreetName", "")
    if ("AddressNumber" not in parts or signed or street_words.intersection(_UNIT_WORDS)) and (
        split := _UNIT_AFTER_ROAD.match(address)
    ):
        unit = re.sub(r"^building\b", "Bldg", split.group("unit"), flags=re.IGNORECASE)
        retried = _tagged_line(f"{split.group('road')}, {unit}")
        if "AddressNumber" in retried and not set(fold(retried.get("StreetName")).split()).intersection(_UNIT_WORDS):
            return retried
    return parts


def _tagged_line(address: str) -> dict[str, str]:
    """usaddress's labelled parts of a one-line address.

    A line it reads one label into twice, as with the neighbourhood after "1020 N San Vicente Blvd., W. Hollywood"
    read as a second street, is read again without what follows its last comma, until it parses. With no comma
    left, each label keeps its first run of words: "San Vicente", not "San".
    """
    line = address
    while True:
        try:
            return dict(usaddress.tag(line)[0])
        except usaddress.RepeatedLabelError as exc:
            head, comma, _tail = line.rpartition(",")
            if comma and head.strip():
                line = head
                continue
            parts: dict[str, str] = {}
            closed: set[str] = set()
            previous = None
            for token, label in exc.parsed_string:
                if label in closed and _SUBADDRESS_AS_OCCUPANCY.get(label, label) not in parts:
                    # A building and its unit both read as a subaddress ("Bldg E Unit 1902"): the second is the unit.
                    label = _SUBADDRESS_AS_OCCUPANCY[label]
                if previous is not None and label != previous:
                    closed.add(previous)
                if label not in parts:
                    parts[label] = token
                elif label not in closed:
                    parts[label] += f" {token}"
                previous = label
            return parts


def neighbours_swapped(x: str, y: str) -> bool:
    """``y`` is ``x`` with two neighbouring, different characters swapped: "7564" / "7654", "Braode" / "Broade", the
    commonest typo of a house number, a ZIP or a street's name. One edit where a swap counts as one (optimal string
    alignment), two where it does not: a swap and nothing else."""
    return OSA.distance(x, y) == 1 and Levenshtein.distance(x, y) == 2


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
