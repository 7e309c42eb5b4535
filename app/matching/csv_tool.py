"""`artitec-collector match-csv`: link a partner's spreadsheet to the database or another file.

Every row of the input file comes out once, with the record it links to (if any), the confidence, a
decision at the configured thresholds (``match``, ``review``, ``new``), the method, the explanation
(each field's level and contribution) and the row's own columns, so a partner file round-trips.
Two-file linkage is one-to-one by default: the pairs kept are those of the greatest total match weight
(an exact assignment per connected group of candidate pairs), not each row's first best;
``--many`` lets several rows link to one record. Without ``--against`` or ``--against-db`` the file is
deduplicated: each row is written with its best partner among the file's other rows and its
``cluster_id``, the entity it belongs to (connected components of the pairs linked at the high threshold).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import dataclasses
import io
import itertools
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment
from tqdm import tqdm

from app.core.config import Settings, get_settings
from app.core.entities import EntityType
from app.core.files import written_whole
from app.matching.batch import score_many
from app.matching.blocking import CandidateIndex, candidate_rank
from app.matching.comparisons import (
    LEVELS,
    ONE_NAME,
    compare_name,
    lot_alone,
    lot_as_written,
    lots_differ,
    one_subdivision,
    place_as_written,
    site_key,
    street_as_written,
    street_types_differ,
    unit_key,
)
from app.matching.linkage import LinkageModel, Site, TermFrequencies, load_model, model_in_use, unit_site
from app.matching.normalize import (
    ROMAN_NUMERAL_VALUES,
    TRADE_KINDS,
    NormalizedName,
    brand_key,
    builder_parts,
    homesite_in,
    homesite_number,
    normalize_name,
    plat_of,
    spelt_parcel,
)
from app.matching.places import NEIGHBOURING_KM, km_apart
from app.matching.records import (
    NO_BUILDER_YET,
    MatchRecord,
    builders_in,
    category_kinds,
    point_only,
    practitioner,
    prepare,
    surname_first,
)
from app.matching.scorer import (
    MatchScore,
    ambiguous,
    bears_the_name_alone,
    held_confidence,
    kept_apart,
    records_fit,
    score_pair,
)

ENTITIES = {"builder": "builder", "community": "community", "property": "property"}
# A listing's, a licence's or a builder feed's number (BDX's "SubdivisionNumber", "SpecNumber"): a row's id only
# where every row's is its own (two rows may be one builder's two licences), else rows are numbered, as for an id
# header read by its words.
LISTED_IDS = ("listing_key", "listing_id", "listing_number", "mls", "mls_number", "mls_id", "license_number",
              "licence_number", "contractor_license_number", "registration_number", "permit_number",
              "subdivision_number", "subdivision_id", "community_number", "community_id", "spec_number", "spec_id",
              # A county address point's own number before its parcel's, which a building's points share.
              "address_id",
              "job_number", "zpid", "parcel_id", "parcel_number", "parcelnumb", "apn", "plat_number", "account_number",
              # An appraisal district's business personal property roll's "ACCOUNT".
              "account", "acct", "acct_number",
              "plat_id", "prop_id", "property_id", "dealer_number", "listing_ref",
              # A licensing agency's number for the place it licenses: a childcare centre, a clinic, a provider.
              "facility_number", "provider_number", "site_number", "location_number", "location_id",
              "establishment_number",
              # A merged list's "KEY": a row's only where it names each row once (a key may name a category).
              "key",
              # A health-care provider's national number, an individual's or an organisation's.
              "npi",
              # A tax-exempt organisations register's employer number; a map export's place.
              "ein", "place_id", "google_id", "google_place_id", "hud_id",
              # A federal postsecondary directory's institution.
              "unitid",
              # A banking regulator's unique number of each office ("UNINUM", "UNINUMBR"), beside its institution's.
              "uninum", "uninumbr")  # fmt: skip
# The name a business trades under ("doing business as"), read for builders before any other name column.
TRADE_NAME_ALIASES = (
    "dba_name",
    "dba",
    "doing_business_as",
    "trade_name",
    "operating_as",
    "operating_name",
    "trading_as",
    "trading_name",
    # A state's assumed name (its "doing business as") beside the entity's name.
    "assumed_name",
)
# A community's master plan: its name where a file gives no other, never in place of a section's blank name (the
# section would be read as the master plan itself).
MASTER_PLAN_ALIASES = ("master_plan", "master_planned_community")
# A mailing address: read only where a file gives no other address (``_column_map``), never where a row's own is blank.
MAILING_ALIASES = ("mailing_address",)
# Headers that name the record in a file of one entity type only, read after "name" and before the other aliases:
# a file of communities names them under "Community Name" beside its "Builder Name" or "Company" (the builder's),
# a file of builders the other way about, and a home's "Title" is its name where a builder's is a person's job.
ENTITY_NAME_ALIASES: dict[str, tuple[str, ...]] = {
    "builder": ("builder_name", "builder", "home_builder", "homebuilder", "builder_company", "brand_name"),
    "community": ("community_name", "community", "subdivision", "subdivision_name", "master_plan",
                  "master_planned_community", "development", "neighborhood", "neighbourhood", "association_name",
                  "hoa_name",
                  # an appraisal district's neighborhood code list, its description the subdivision's name
                  "neighborhood_name", "neighborhood_description", "nbhd_name", "nbhd_desc", "nbhd_description",
                  # an affordable housing database's project (HUD's LIHTC "PROJECT"), its owner's being its "COMPANY"
                  "project", "project_name",
                  # a special district registry's district, named for the community it serves ("Harmony West CDD")
                  "special_district_name", "district_name"),
    "property": ("title", "property_name", "home_name"),
}  # fmt: skip
# A places export's or a review site's flag that a business has closed for good ("permanentlyClosed", "is_closed":
# true or false), read as its status: "closed" where true, none where false. Not a temporary closing.
CLOSED_FLAGS = ("permanently_closed", "is_permanently_closed", "closed_permanently", "is_closed")
# A register's date a business closed, blank while it is open (a city's business tax account's "CLOSE DATE").
CLOSED_DATES = ("close_date", "closed_date", "date_closed", "closure_date", "out_of_business_date", "inactive_date")
_TRUE_CELLS = frozenset({"true", "t", "yes", "y", "1"})
# Accepted headers (any case, spaces or dashes for underscores) for each field the matcher reads, the first
# one a file has winning; ``--column FIELD=HEADER`` names any other.
ALIASES: dict[str, tuple[str, ...]] = {
    # An entry's number as an event's or a register's list heads it ("Entry #", "Record No.", "Ref #").
    "id": ("id", "row_id", "record_id", "external_id", "entry_id", "entry_number", "record_number", "reference_number",
           "ref_number", *LISTED_IDS,
           # a title company's or a photographer's order, a request's number ("Order #")
           "order_number", "order_id", "request_number", "request_id"),
    # The name a business trades under before its legal or company name: a licence list's "DBA Name" is the brand
    # a marketplace lists, its "Business Name" the company's ("Oak Creek Homes" of "Smith Construction LLC").
    # A place's own name before its operator's: a licence register's "Facility Name" before its "Licensee Name".
    "name": ("name", *TRADE_NAME_ALIASES, "company", "company_name",
             "business_name", "site_name", "practice_name", "property_name", "hotel_name", "store_name", "station_name",
             "restaurant_name", "facility_name", "place_name", "establishment_name", "provider_name", "organization",
             "organisation", "organization_name", "business", "entity_name",
             # a CRM's account, the business
             "account_name",
             "legal_name", "legal_entity_name", "licensee_name", "licensee", "registrant_name", "registrant",
             "permit_holder", "permittee", "license_holder", "licence_holder", "owner_name", "contractor_name",
             "contractor", "restaurant", "venue", "establishment", "merchant",
             # a franchisor's disclosure of its outlets: the outlet's franchisee, or its operator
             "franchisee", "franchisee_name", "franchise_owner", "operator", "operator_name",
             # A federal postsecondary directory's (IPEDS) institution name.
             "instnm"),
    "website": ("website", "url", "web", "site", "web_site", "website_url", "homepage", "community_website_url",
                "sub_website", "subdivision_website", "community_website", "webaddr"),
    "email": ("email", "e_mail", "email_address", "contact_email", "business_email", "company_email", "office_email",
              "sales_office_email"),
    # A community's builder: a builder's name as a list of builders heads it, a community list's "Company", or a
    # builder's page's structured data, which calls it the community's "brand".
    "builder": (*ENTITY_NAME_ALIASES["builder"], "builders", "builder_s", "company", "company_name", "brand"),
    # The business's own line before its contact person's: a show's exhibitor export gives "Company Phone" beside its
    # salesperson's "Contact Phone".
    "phone": ("phone", "phone_number", "telephone", "telephone_number", "tel", "phone1", "phone_1", "telephone_1",
              "main_phone", "company_phone", "business_phone", "office_phone", "hoa_contact_phone", "contact_phone",
              "primary_phone", "sales_phone", "sales_office_phone", "phne_number", "gentele"),
    # A phone number in parts, as a builder's BDX feed gives its sales office's: joined where a row's phone is blank.
    # A business's other lines in a column of their own, as a review bureau lists them ("Additional Phones"): each
    # agrees as the phone does, as several numbers in one phone cell do.
    "other_phones": ("additional_phones", "additional_phone", "other_phones", "other_phone", "alternate_phone",
                     "alternate_phones", "alt_phone", "secondary_phone"),
    "phone_area_code": ("phone_area_code", "area_code", "sales_office_phone_area_code"),
    "phone_prefix": ("phone_prefix", "phone_exchange", "sales_office_phone_prefix"),
    "phone_suffix": ("phone_suffix", "phone_line", "phone_line_number", "sales_office_phone_suffix"),
    # Where the record is before where its mail goes: an assessor's roll gives a home's own ("situs") address and
    # its owner's mailing address, a listing service a home's "unparsed" address line.
    "address": ("address", "street", "street_address", "address1", "address_1", "address_line_1", "address_line1",
                "address_line", "street1", "street_1",
                "addr", "addr1", "street_addr", "full_address", "unparsed_address", "full_street_address",
                "physical_address", "situs_address", "situs", "site_address", "property_address", "location_address",
                "sales_office_street1", "sales_office_street", "sales_office_address", "spec_street1", "spec_address",
                "site_addr", "situs_addr", "location", "physical_location", "site_location", "community_location",
                "address_street", "proj_add", "project_address", "mailing_address",
                # a federal provider file's ("ST_ADR", CMS's Provider of Services)
                "st_adr", "st_addr",
                # schema.org's PostalAddress flattened from a page's structured data ("address.streetAddress").
                "address_street_address"),
    # A street address given in parts, as listing services' (RESO's StreetNumber, StreetName, ...), assessors', map
    # data's (OpenStreetMap's "addr:housenumber", "addr:street") and NENA's NG9-1-1 address points' ("ADD_NUMBER",
    # "ST_PREMOD" "OLD", "ST_PRETYP" "COUNTY ROAD", "ST_POSTYP") exports give it: joined in this order into the
    # address where a row's address is blank.
    "street_number": ("street_number", "house_number", "st_number", "address_number", "situs_house_number",
                      "situs_street_number", "situs_number", "addr_housenumber", "saddno", "add_number", "addnum"),
    "street_dir_prefix": ("street_dir_prefix", "street_direction_prefix", "pre_direction", "predirection",
                          "dir_prefix", "pre_dir", "street_pre_direction", "situs_pre_direction", "situs_street_prefix",
                          "situs_street_prefx", "situs_dir_prefix", "saddpref", "st_predir",
                          # an MLS export's "Dir" beside its "Street Name" and "Street Sfx"
                          "dir", "street_dir", "st_dir"),
    "street_pre_modifier": ("street_pre_modifier", "st_premod"),
    "street_pre_type": ("street_pre_type", "st_pretyp", "st_pretype"),
    "street_name": ("street_name", "st_name", "situs_street_name", "situs_street", "street_name_only", "addr_street",
                    "saddstr", "full_street_name"),
    "street_suffix": ("street_suffix", "street_type", "st_type", "st_suffix", "situs_street_suffix",
                      "situs_street_sufix", "situs_street_type", "saddsttyp", "st_postyp", "st_postype",
                      "street_sfx", "st_sfx", "street_suf"),
    "street_dir_suffix": ("street_dir_suffix", "street_direction_suffix", "post_direction", "postdirection",
                          "dir_suffix", "post_dir", "street_post_direction", "situs_post_direction", "situs_dir_suffix",
                          "saddstsuf", "st_posdir"),
    "address2": ("address2", "address_2", "unit", "apt", "address_line_2", "address_line2", "addr2", "suite", "ste",
                 "apartment", "unit_number", "suite_number", "sales_office_street2", "spec_street2", "addr_unit",
                 "site_unit", "situs_unit", "sunit", "apt_number", "apartment_number",
                 # an office directory's floor, which a tenant's suite is on ("Suite/Floor": "21st Floor")
                 "floor", "suite_floor", "floor_suite",
                 # a manufactured home park's space, as its roster heads it
                 "space", "space_number", "spc", "lot_space", "site_space"),
    # A condominium's building in a column of its own, as a builder's inventory numbers it ("Bldg" 1, "Unit" 206):
    # read with the unit, which every building of the complex numbers alike.
    "building": ("building", "bldg", "building_number", "bldg_number", "building_id", "bldg_id", "building_name",
                 "bldg_name", "tower", "tower_name"),
    "city": ("city", "town", "locality", "municipality", "sales_office_city", "spec_city", "site_city", "situs_city",
             "addr_city", "scity", "address_city", "city_state_zip", "city_st_zip", "city_state", "proj_cty",
             "project_city", "address_address_locality", "post_comm"),
    "state": ("state", "st", "province", "region", "state_code", "us_state", "sales_office_state", "spec_state",
              "site_state", "situs_state", "addr_state", "state2", "address_state", "stalp", "stabr", "stabbr",
              "address_address_region", "proj_st",
              "project_state"),
    "postal_code": ("postal_code", "zip", "zip_code", "zipcode", "postcode", "postal", "zip5", "sales_office_zip",
                    "spec_zip", "site_zip", "situs_zip", "addr_postcode", "szip", "szip5", "address_zipcode",
                    "address_zip", "proj_zip", "project_zip", "post_code"),
    "latitude": ("latitude", "lat", "sub_geocode_latitude", "geocode_latitude"),
    "longitude": ("longitude", "lon", "lng", "long", "sub_geocode_longitude", "geocode_longitude", "longitud"),
    # Both in one cell, read where a file has no latitude and longitude columns (records._point).
    "coordinates": ("coordinates", "coords", "lat_long", "latlong", "lat_lng", "latlng", "lat_lon", "latlon",
                    "geolocation", "geo_location", "geopoint", "geo_point", "gps", "gps_coordinates", "point",
                    "the_geom", "geometry", "wkt"),
    # A plat list's section or phase in a column of its own ("SUBDIVISION" "CEDAR RIDGE", "SECTION" "3"): part of the
    # community's name, which without it names every section of the subdivision alike.
    "section": ("section", "sec", "phase", "filing", "section_number", "phase_number", "filing_number",
                "plat_section", "plat_phase"),
    # A home's lot in a column of its own, as a builder's inventory gives it before the house has a number ("Lot" 18,
    # "Street" Oak Bend Ct): a listing writes it "Lot 18 Oak Bend Ct".
    "lot": ("lot", "lot_number", "lot_no", "lot_num", "homesite", "homesite_number", "home_site", "legal_description",
            "legal_desc", "spec_lot"),
    # A home's subdivision, the plat its lot is in, as a builder's list names it beside the lot and block.
    # A home's owners' association, as its manager's requests name it ("Cross Creek Ranch Community Assn"): the
    # subdivision, its association's words set aside.
    "subdivision": ("subdivision", "subdivision_name", "community", "community_name", "plat_name", "neighborhood",
                    "association", "association_name", "hoa", "hoa_name", "subdiv"),
    # Its block, in a column of its own or in the legal description with its lot ("LT 1 BLK 3 SADDLEBROOK SEC 1").
    "block": ("block", "blk", "block_number", "block_no", "block_num", "spec_block"),
    # A community's county, where a list gives it (a county's plat list, which names no town outside town limits).
    "county": ("county", "county_name", "parish", "county_or_parish"),
    # A store's brand in a column of its own, as a chain's store locator gives it beside the store's own name
    # ("Bean & Ember Coffee", "Park Rd & 5th St"): part of the business's name.
    # A listing portal's office directory names each office's brokerage, its franchise ("Keller Williams Realty").
    "brand": ("brand", "brand_name", "chain_name", "banner", "brokerage", "brokerage_name", "franchise",
              "franchise_name", "chain_organization",
              # A charging station's network: a mall's ChargePoint and EVgo chargers are two networks' stations.
              "ev_network", "network"),
    # A chain's number of the store, where a list gives it apart from the name ("Store #" beside "KROGER PHARMACY").
    "store_number": ("store_number", "store_no", "store_nbr", "store_num", "store_id"),
    # What kind of place a business is, as a places export's category or a licence's type gives it ("Drug store",
    # "COMMUNITY PHARMACY (CLASS A)"): a store whose name says no kind may be the kind the other's name says.
    # Whether a licence, a permit or a listing is in force: a lapsed one is no rival to the one in force at its site.
    "status": ("status", "license_status", "licence_status", "permit_status", "business_status", "account_status",
               "registration_status", "reg_status", "facility_status", "site_status", "operating_status", "lic_status",
               # a child care licensing list's operation's
               "operation_status",
               # a county's address point's; an MLS's (RESO's) listing's
               "addr_status", "address_status", "point_status", "standard_status", "mls_status", "listing_status",
               # an insurer's policy on a home: a cancelled one and its rewrite in force, one home
               "policy_status",
               *CLOSED_FLAGS, *CLOSED_DATES),
    "category": ("category", "category_name", "categories", "main_category", "primary_category", "business_category",
                 "place_type", "business_type", "license_type", "licence_type", "facility_type", "prvdr_ctgry",
                 "provider_category", "provider_type", "operation_type",
                 # a contractor board's licence class ("PLUMBING", "AIR CONDITIONING")
                 "license_class", "licence_class", "license_classification", "licence_classification",
                 "classification"),
    # A business's other names, a directory's list of them ("Ivey Fine Homes; Ivey Homes"). Not an inspection
    # list's "AKA Name": the brand or the building a place is in ("MCDONALD'S", "PORTLAND INTL AIRPORT"), which
    # many places share.
    "other_names": ("alternate_names", "alternate_name", "alternative_names", "other_names", "former_names",
                    "former_name", "alternate_business_names", "alternate_business_name", "other_business_names",
                    "former_business_names", "ialias"),
}  # fmt: skip
# A header no alias names is read by the words in it ("Business ID", "Sales Phone", "Restaurant Name") when it
# is the file's only header with one of the field's words and none of the words that make it something else (a
# person's name, a brokerage's, a floor plan's, a fax, an email address). Two such headers ("Office Phone", "Cell
# Phone") leave the field unread for ``--column`` to choose; an id so read must be unique, else rows are numbered as
# with no id column.
# Whose place a header names when it is not the record's own: a registered agent's office (a law firm's, shared by
# many companies), an owner's or a bill's address. Never read by its words; a mailing address only where a file
# gives no other (an association's, a licensee's: often a management company's or a post office box).
MAILING_WORDS = frozenset({"mailing", "mail"})
# A tax permit's taxpayer is the owner of its outlets, a franchisee's company at its own office ("Taxpayer Name",
# "Taxpayer Address" beside "Outlet Name", "Outlet Address").
# Whose place a header names when it is not the record's: a registered agent's, an owner's, and one listing's an MLS's
# list of subdivisions gives as its "SampleAddress" (a home in it, not the community's sales office).
NOT_THE_RECORDS = (
    frozenset({"registered", "agent", "agents", "billing", "owner", "owners", "taxpayer", "taxpayers", "sample"})
    | MAILING_WORDS
)
PLACE_FIELDS = ("address", "city", "state", "postal_code")
HEADER_WORDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "id": (frozenset({"id", "uid", "identifier"}), frozenset()),
    "name": (frozenset({"name"}), frozenset({"contact", "owner", "director", "manager", "agent", "person", "first",
                                             # a vendor list's sales representative ("Rep Name")
                                             "rep", "representative",
                                             "host", "last", "middle", "file", "user", "street", "city", "taxpayer",
                                             # a place the record is in ("County Name", "Region Name")
                                             "county", "state", "country", "region", "regional", "district",
                                             "township", "parish", "borough", "metro",
                                             # a home's floor plan, which many homes share ("PlanName")
                                             "plan",
                                             # the system a listing came from ("OriginatingSystemName")
                                             "system", "source",
                                             # the kind of place, a maps export's "categoryName"
                                             "category", "categories", "type", "kind", "class"})),
    # Not the page a row was taken from ("source_url", "listing_url"): a portal's page, every row's site the portal's.
    "website": (frozenset({"website", "url", "homepage", "web"}),
                frozenset({"email", "image", "photo", "logo", "source", "listing", "scraped", "detail"})),
    # A community's builder by its words ("Vendor/Builder Legal Name"), not the builder's line or office.
    "builder": (frozenset({"builder", "builders"}), frozenset({"phone", "tel", "telephone", "fax", "email", "website",
                                                              "url", "web", "address", "street", "city", "state",
                                                              "zip", "postal", "code", "id", "number", "count",
                                                              "contact", "rep", "agent"})),
    "email": (frozenset({"email"}), frozenset()),
    # Not an owner's line ("OWNER_PHONE"), which every site of one owner's shares.
    "phone": (frozenset({"phone", "telephone", "tel"}),
              frozenset({"fax", "ext", "extension", "type"}) | NOT_THE_RECORDS),
    "address": (frozenset({"address", "street", "addr"}), frozenset({"email", "e", "ip", "web", "mac", "2", "city",
                                                                      "state", "zip", "name", "number", "no",
                                                                      # an address's other parts
                                                                      "zipcode", "postal", "postcode", "unit",
                                                                      "suite", "apt", "type", "suffix", "prefix",
                                                                      "sfx", "suf", "dir", "direction", "county",
                                                                      "country",
                                                                      # a listing's other street lines
                                                                      "cross", "additional", "info", "modifier",
                                                                      "intersection", "nearest", "previous",
                                                                      "former", "old", "prior", "3",
                                                                      # a review site's whole address as displayed
                                                                      "display",
                                                                      # facts about the address, not it: an address
                                                                      # point's "ADDR_STATUS", "ADDRESS_ID"
                                                                      "status", "id", "date", "source"})
                                                           | NOT_THE_RECORDS),
    "city": (frozenset({"city", "town"}), frozenset({"state", "zip", "code"}) | NOT_THE_RECORDS),
    # Not where a company was formed ("State of Formation", "State of Incorporation"): no place of its office.
    "state": (frozenset({"state"}),
              frozenset({"city", "zip", "status", "formation", "incorporation"}) | NOT_THE_RECORDS),
    # Not a ZIP+4's extension in a column of its own ("ZIP4", "Zip+4", "ZIP_EXT"): four digits of no town.
    "postal_code": (frozenset({"zip", "postal", "postcode", "zipcode"}),
                    frozenset({"city", "state", "4", "plus", "ext"}) | NOT_THE_RECORDS),
    "latitude": (frozenset({"latitude", "lat"}), frozenset()),
    "longitude": (frozenset({"longitude", "lng", "lon", "long"}), frozenset()),
}  # fmt: skip
# Fields read for some entity types only, and why not for the others (records.prepare).
ENTITY_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "email": (("builder",), "a community's or a home's email address names its builder's or its agent's site"),
    "builder": (("community",), "a builder's own name is its name, and a home is known by its street address"),
    "section": (("community", "property"), "a builder has no plat section"),
    "subdivision": (("property",), "a builder's or a community's subdivision is its name"),
    "lot": (("property",), "a builder or a community has no lot of its own"),
    "block": (("property",), "a builder or a community has no block of its own"),
    "building": (("property",), "a business's or a community's building is its street address"),
    "county": (("community",), "a county places a community whose list gives no town; a builder or a home has its own"),
    "brand": (("builder",), "a community's or a home's brand is its builder's"),
    "category": (("builder",), "a community or a home is no kind of business"),
    "store_number": (("builder",), "a community or a home is no chain's store"),
    "status": (("builder", "property"), "a community sold out is still the place it was"),
    "other_names": (("builder", "community"), "a home is known by its street address"),
    "other_phones": (("builder",), "a community's or a home's other line is its builder's or its agent's"),
}


def _reads(field: str, entity: str) -> bool:
    return entity in ENTITY_FIELDS.get(field, ((entity,), ""))[0]


_WORD = re.compile(r"[a-z]+|[0-9]+")
# A lot cell's number alone ("18", "#018"); after its word, ``homesite_number``; a listing's legal description
# abbreviates the word ("LT 51 BLK 2 BRIDGELAND CREEKLAND VILLAGE").
_BARE_LOT = re.compile(r"\s*#?\s*([0-9]+[a-z]?)\s*", re.IGNORECASE)
_LEGAL_LOT = re.compile(r"\blt\.?\s*#?\s*([0-9]+[a-z]?)\b", re.IGNORECASE)
# A rural tract, the lot of a ranch subdivision or of an abstract's survey as a Texas roll or permit writes it ("S5010 -
# WOLF CREEK ACRES, TRACT 14, ACRES 6.46", "TR 14"); three digits at most: California's "Tract 12345" is a plat.
_TRACT = r"\b(?:tract|tr)\.?\s*#?\s*([0-9]{1,3}[a-z]?)\b"
_LEGAL_TRACT = re.compile(_TRACT, re.IGNORECASE)
# A legal description's lot and block, what is left of it being its plat ("LT 11 BLK 2 SABLE CREEK SEC 4").
_LEGAL_PARCEL = re.compile(
    rf"(?:\b(?:lots?|lt|blk|block)\.?\s*#?\s*(?:[a-z]?[0-9]+[a-z]?|[a-z])\b|{_TRACT})[\s,;:-]*", re.IGNORECASE
)
_LEGAL_BLOCK = re.compile(r"\b(?:blk|block)\.?\s*#?\s*([a-z]?[0-9]+[a-z]?|[a-z])\b", re.IGNORECASE)
# A condominium's unit and building as its legal description gives them ("UNIT 204 BLDG 7 SAGEBROOK TOWNHOMES
# CONDOMINIUMS", "BLDG 3 UNIT 101 ...").
_LEGAL_UNIT = re.compile(r"\bunit\s*#?\s*([a-z]?[0-9]+[a-z]?|[a-z])\b", re.IGNORECASE)
_LEGAL_BUILDING = re.compile(r"\b(?:bldg|building)\.?\s*#?\s*([a-z]?[0-9]+[a-z]?|[a-z])\b", re.IGNORECASE)
_UNIT_MARKS = re.compile(r"^(?:unit|apt|ste|suite|#)\.?\s*#?\s*|^0+(?=\w)", re.IGNORECASE)


def _condo_unit_from_legal(values: dict[str, str | None], legal: str) -> None:
    """A home's unit and building read from its legal description where its row gives neither, or gives the same
    unit without its building: an appraisal roll's situs names the unit only, "UNIT 204 BLDG 7" its building too,
    which a builder's inventory gives in a column of its own."""
    unit = _LEGAL_UNIT.search(legal)
    if unit is None:
        return
    given = values.get("address2")
    if given and _UNIT_MARKS.sub("", given.strip()).casefold() != unit.group(1).lstrip("0").casefold():
        return  # another unit than the description's: the row's own is kept, and no building is guessed for it
    values["address2"] = given or unit.group(1)
    if not values.get("building") and (building := _LEGAL_BUILDING.search(legal)):
        values["building"] = building.group(1)


# An address with a house number, and the number "0" a listing gives a home not yet numbered ("0 Oak Bend Ct").
_NUMBERED = re.compile(r"\s*0*[1-9]")
_UNNUMBERED = re.compile(r"^\s*0+\s+")


# A tract's acreage in a roll's legal description ("…, TRACT 14, ACRES 6.46", "6.46 AC"): no word of its plat's name.
# A number before "ACRES" is not its acreage where one follows: "SEC 5 ACRES 0.138" keeps its section.
_ACREAGE = re.compile(
    r"\b(?:acres?|ac)\.?\s*\d+(?:\.\d+)?\b|\b\d+(?:\.\d+)?\s*(?:acres?|ac)\b\.?(?!\s*\d)", re.IGNORECASE
)
# Where a roll's legal description says the plat is recorded, the survey's abstract and the plat records' volume and
# page ("ABST 9 PAGE 1 WEST RANCH SEC 5 BLK 1 LT 8", "LAGO MAR SEC 8, ABST 2"): no words of its plat's name either.
_RECORDING = re.compile(
    r"\b(?:abst|abs|abstract|vol|volume|page|pg|cab|cabinet|slide)\.?\s*#?\s*[a-z]?[0-9]+[a-z]?\b", re.IGNORECASE
)


def _plat_named(cell: str) -> str | None:
    """The plat a legal description names beside its lot and block ("LT 11 BLK 2 SABLE CREEK SEC 4": "SABLE CREEK
    SEC 4"); None where a lot cell gives nothing else."""
    rest = _RECORDING.sub(" ", _ACREAGE.sub(" ", _LEGAL_PARCEL.sub(" ", cell))).strip(" ,;:-")
    return rest if any(c.isalpha() for c in rest) else None


def _with_legal_section(subdivision: str | None, legal: str | None) -> str | None:
    """A home's subdivision: the column's, or the plat its legal description names where the column is blank, or
    names the same plat with its section where the column gives none (an MLS's "Pecan Grove" beside "LT 12 BLK 3
    PECAN GROVE SEC 2": another section's lot 12 is another home)."""
    if not subdivision:
        return legal
    given, described = plat_of(subdivision), plat_of(legal)
    if given and described and described.section and not given.section and given.named_alike(described):
        return legal
    return subdivision


def _lot_number(cell: str | None) -> str | None:
    """The lot's number a lot cell gives ("018", "Blk 1 Lot 3", "Homesite #18", "LT 51 BLK 2 …", a tract's "TR 14"),
    without leading zeros; None where it gives none."""
    bare = _BARE_LOT.fullmatch(cell or "")
    legal = _LEGAL_LOT.search(cell or "") or _LEGAL_TRACT.search(cell or "")
    number = bare.group(1) if bare else homesite_number(cell) or (legal.group(1) if legal else None)
    return (number.lstrip("0") or None) if number else None


# What a file needs for each entity type: at least one column of each group.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "builder": (("name",),),
    "community": (("name",),),
    # A home by its street address, or by its lot where a clerk's index gives only the legal description.
    "property": (("address", "street_name", "lot"),),
}
STREET_PARTS = (
    "street_number",
    "street_dir_prefix",
    "street_pre_modifier",
    "street_pre_type",
    "street_name",
    "street_suffix",
    "street_dir_suffix",
)
PHONE_PARTS = ("phone_area_code", "phone_prefix", "phone_suffix")
OUTPUT_COLUMNS = ("left_id", "right_id", "confidence", "decision", "method", "explanation")
DEDUP_COLUMNS = (*OUTPUT_COLUMNS, "cluster_id")
CHUNK = 500
PROGRESS_MIN_ROWS = 1000


class CsvInputError(Exception):
    """A file the tool cannot use, with a message naming what is wrong."""


@dataclass
class InputFile:
    path: Path
    headers: list[str]
    columns: dict[str, str]  # the column each field is read from
    rows: list[dict[str, str]]
    records: list[MatchRecord]
    delimiter: str = ","
    overlong: list[int] = dataclasses.field(default_factory=list)  # lines of rows with more cells than the header
    single_quoted: bool = False  # values wrapped in single quotes, a backslash before a quote inside
    above_header: int = 0  # lines above the header (a title, a date), not read
    empty_rows: int = 0  # rows of blank cells: nothing to link, written as new
    # Other columns a field is read from, in order, where a row's cell is blank (``_fallbacks``).
    fallbacks: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    # A business's billing place columns, read where a row gives no place of its own (``_billing_columns``).
    billing: dict[str, str] = dataclasses.field(default_factory=dict)
    # Mailing columns read only on rows that give no street address or town of their own (``read_file``).
    mailing_beside_site: frozenset[str] = frozenset()
    # A person's first and last name columns, read as the name where a row gives none (``_person_name_columns``).
    person_name: tuple[str, str] | None = None

    def _read_from(self, field: str, column: str) -> str:
        if others := self.fallbacks.get(field):
            return f"{field} <- {column!r} (where blank: {', '.join(map(repr, others))})"
        return f"{field} <- {column!r}"

    def describe(self) -> str:
        """Which column each field was read from, which columns were not read, and rows whose cells outrun the
        header (a value with the separator in it, unquoted, shifts every cell after it)."""
        read = {*self.columns.values(), *(h for others in self.fallbacks.values() for h in others)}
        read |= set(self.billing.values()) | set(self.person_name or ())
        unread = [h for h in self.headers if h not in read]
        used = ", ".join(self._read_from(field, column) for field, column in self.columns.items())
        if self.mailing_beside_site & read:
            used += "; a mailing column only where a row gives no street address or town of its own"
        if self.billing:
            used += "; where a row gives no place of its own: " + ", ".join(
                f"{field} <- {column!r}" for field, column in self.billing.items()
            )
        if self.person_name:
            used += "; where a row gives no name: a person's, {!r} and {!r}".format(*self.person_name)
        dialect = [] if self.delimiter == "," else [f"{DELIMITERS[self.delimiter]}-separated"]
        if self.single_quoted:
            dialect.append("values in single quotes")
        separated = f" ({', '.join(dialect)})" if dialect else ""
        if self.above_header:
            separated += f" (header on line {self.above_header + 1}, the line(s) above it not read)"
        described = f"{self.path.name}{separated}: {used}" + (
            f"; not read: {', '.join(map(repr, unread))}" if unread else ""
        )
        if self.empty_rows:
            described += f"; {self.empty_rows} row(s) with every cell blank (written as new)"
        if self.overlong:
            lines = ", ".join(map(str, self.overlong[:10])) + (", ..." if len(self.overlong) > 10 else "")
            described += (
                f"; {len(self.overlong)} row(s) have more cells than the header, the extra cells not read nor "
                f"written (line {lines}): is a value with a {DELIMITERS[self.delimiter]} in it unquoted?"
            )
        return described


# Where a header written in camel case ("PostalCode", "StateOrProvince", "ZIPCode") begins a word.
_CAMEL_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
# An abbreviation written as letters between slashes or stops: "D/B/A", "D.B.A.", "A.K.A.".
_SPELT_LETTERS = re.compile(r"(?<![A-Za-z])[A-Za-z](?:[./][A-Za-z])+(?![A-Za-z])")


_NUMBER_ABBREVIATION = re.compile(r"(^|_)(?:no|nbr|num)$")


@lru_cache(maxsize=4096)
def _key(header: str) -> str:
    """A header as aliases are written: its words in lower case joined by "_" ("Postal Code", "postal-code" and
    "PostalCode" are "postal_code"), a number sign the word "number" ("House #" is "house_number", "MLS #"
    "mls_number"), and so are its abbreviations at a header's end ("Listing No.", "Permit Nbr", "St Num"); letters
    between slashes or stops are one word ("D/B/A" is "dba"); words run together in lower case read apart where
    no header is so written (``_glued_words``: an open data portal's "principalzipcode")."""
    spelt = _SPELT_LETTERS.sub(lambda m: re.sub(r"[./]", "", m.group()), header.strip()).replace("#", " number ")
    key = _NOT_ALPHANUMERIC.sub("_", _CAMEL_WORD.sub("_", spelt).lower()).strip("_")
    return _NUMBER_ABBREVIATION.sub(r"\1number", _glued_words(key))


# The shortest header read as words run together: "entityname", not "szip5" or "apn".
GLUED_HEADER = 8


def _glued_words(key: str) -> str:
    """A header of words run together in lower case, as an open data portal writes its columns ("entityname",
    "principaladdress1", "principalzipcode", "agentmailingcity"), as its words joined by "_", where every part is a
    word of the headers read ("entity_name", "principal_address_1"). A header written so among them ("zipcode",
    "saddno") stays as it is."""
    if "_" in key or len(key) < GLUED_HEADER or key in _HEADERS_READ:
        return key
    words: list[str] = []
    for part in _WORD.findall(key):
        split = part if part.isdigit() else _split_into_words(part)
        if split is None:
            return key
        words.extend(split.split())
    return "_".join(words) if len(words) > 1 else key


@lru_cache(maxsize=4096)
def _split_into_words(text: str) -> str | None:
    """``text`` as the fewest words of the headers read (``_HEADER_VOCABULARY``), spaced; None where it is none."""
    best: list[list[str] | None] = [[]] + [None] * len(text)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - _LONGEST_HEADER_WORD), end):
            before, found = best[start], best[end]
            if (
                before is not None
                and text[start:end] in _HEADER_VOCABULARY
                and (found is None or len(before) < len(found) - 1)
            ):
                best[end] = [*before, text[start:end]]
    found = best[len(text)]
    return " ".join(found) if found else None


# A home's own place in a permit's, an assessor's or a builder feed's spec home's columns: where the house is built,
# never its builder's office.
HOME_SITE_ALIASES = frozenset({
    "situs_address", "situs", "site_address", "property_address", "spec_street1", "spec_address", "site_addr",
    "situs_addr", "spec_street2", "spec_city", "site_city", "situs_city", "spec_state", "site_state", "situs_state",
    "spec_zip",
    "site_zip", "situs_zip", "situs_house_number", "situs_street_number", "situs_pre_direction",
    "situs_street_name", "situs_street_suffix", "situs_street_type", "situs_post_direction", "site_unit", "situs_unit",
    "situs_number", "situs_street_prefix", "situs_street_prefx", "situs_dir_prefix", "situs_street",
    "situs_street_sufix", "situs_dir_suffix", "sunit", "scity", "szip", "szip5", "state2", "saddno", "saddpref",
    "saddstr", "saddsttyp", "saddstsuf",
})  # fmt: skip
# A site's columns as a licence list or an inspection list heads the business's own place; a permit heads the home
# it is for so (``names_jobs``). The rest are a home's alone: a parcel's situs, a builder feed's spec home.
BUSINESS_SITE_ALIASES = frozenset({"site_address", "site_addr", "site_city", "site_state", "site_zip", "site_unit"})
# Never read for a business: the rest of a home's site columns, and an insurer's policy status (on a home a cancelled
# policy beside its rewrite in force ends as a listing does, ``records.listing_ended``; a business's cancelled policy
# says nothing of whether it trades).
HOMES_ONLY_ALIASES = (HOME_SITE_ALIASES - BUSINESS_SITE_ALIASES) | {"policy_status"}
# Words of a header that make a file's rows jobs: a permit's applicant or contractor, a home's lot, parcel or
# subdivision, a builder feed's spec home. Its site columns name the homes built, never a builder's office.
JOB_WORDS = frozenset({"applicant", "contractor", "permittee", "job", "lot", "homesite", "parcel", "apn",
                       "subdivision", "spec", "builder"})  # fmt: skip


def names_jobs(headers: Sequence[str]) -> bool:
    """The file's rows are jobs, a builder's or a contractor's at their sites (``JOB_WORDS``)."""
    return any(set(_WORD.findall(_key(h))) & JOB_WORDS for h in headers if h)


# Words of a header that make a roll's rows businesses: a business personal property or occupational tax roll's trade
# name and industry code. And words that make them land: a real property roll's parcel, its legal description, its
# acreage.
BUSINESS_ROLL_WORDS = frozenset({"dba", "naics", "sic"})
LAND_WORDS = frozenset({"geo", "legal", "acres", "acreage", "land", "deed", "improvement", "homestead", "block"})
# The field a site's column gives by its words: "SITUS_CITY", "SITUS_ZIP".
_SITE_FIELD_WORDS = (("city", "city"), ("zip", "postal_code"), ("postal", "postal_code"), ("state", "state"),
                     ("address", "address"), ("addr", "address"))  # fmt: skip


def business_roll_sites(headers: Sequence[str], entity: str, columns: dict[str, list[str]]) -> dict[str, list[str]]:
    """``columns`` with a business roll's situs columns as a builder's place: a county's business personal property
    roll gives each account's business where it is (``SITUS_ADDRESS``, ``SITUS_CITY``, ``SITUS_ZIP``; a city's hotel
    tax register its ``Property Address``) and its owner's head office under mailing headers. A real property roll's
    situs is a lot its owner builds on, never its office; a field named with --column stays as named."""
    words = [set(_WORD.findall(_key(h))) for h in headers if h]
    if entity != EntityType.builder or not any(w & BUSINESS_ROLL_WORDS for w in words):
        return columns
    if names_jobs(headers) or any(w & LAND_WORDS for w in words):
        return columns
    found = dict(columns)
    for header in headers:
        key_words = _WORD.findall(_key(header or ""))
        if "situs" not in key_words and "property" not in key_words:  # a tax register's "Property Address" too
            continue
        field = next((f for word, f in _SITE_FIELD_WORDS if word in key_words), None)
        if field is not None and field not in found:
            found[field] = [header]
    return found


# A permit's applicant, the contractor who builds the house: a builder's own name and office, read after a
# builder's usual columns (a stacked file's other sources); for a home they are its builder's.
APPLICANT_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("applicant_name", "applicant"),
    "phone": ("applicant_phone",),
    "address": ("applicant_address", "applicant_addr"),
    "city": ("applicant_city",),
    "state": ("applicant_state", "applicant_st"),
    "postal_code": ("applicant_zip", "applicant_zip_code", "applicant_postal_code"),
}


# A document's status, not a home's: a permit expired or a licence lapsed says nothing of whether the home's listing
# is current (``records.listing_ended``); several permits of one home, one expired, are all the home's.
DOCUMENT_STATUSES = frozenset(
    {"permit_status", "license_status", "licence_status", "lic_status", "registration_status", "reg_status"}
)


def _aliases(field: str, entity: str) -> tuple[str, ...]:
    if field != "name":
        if entity != EntityType.builder:
            # A home's "Close Date" is its sale's (``CLOSED_DATES``: a business's).
            return tuple(
                a for a in ALIASES[field] if field != "status" or (a not in CLOSED_DATES and a not in DOCUMENT_STATUSES)
            )
        return tuple(a for a in ALIASES[field] if a not in HOMES_ONLY_ALIASES) + APPLICANT_ALIASES.get(field, ())
    if entity == EntityType.builder:
        # A licence list's "name" beside its "dba" is the company's legal name ("NVR, Inc." doing business as "Ryan
        # Homes"): the name a builder trades under is the one a marketplace lists.
        rest = tuple(a for a in ALIASES["name"][1:] if a not in TRADE_NAME_ALIASES)
        return TRADE_NAME_ALIASES + ALIASES["name"][:1] + ENTITY_NAME_ALIASES[entity] + rest + APPLICANT_ALIASES["name"]
    if entity == EntityType.property:
        # A home's own title only: a permit's "CONTRACTOR_NAME", a feed's "Company", is its builder's.
        return ALIASES["name"][:1] + ENTITY_NAME_ALIASES[entity]
    # Not an owner's: a park's or an association's owner is its company, never the community ("OWNER NAME" beside a
    # licence's "PARK NAME").
    return (
        ALIASES["name"][:1]
        + ENTITY_NAME_ALIASES[entity]
        + tuple(a for a in ALIASES["name"][1:] if a not in BUSINESS_ONLY_NAMES)
    )


UNIT_ALONE = frozenset({"unit", "apt", "suite", "ste", "apartment", "unit_number", "suite_number", "apt_number",
                        "apartment_number"})  # fmt: skip
# A street address's fields, one or all of them given: one place.
STREET_FIELDS = ("address", *STREET_PARTS, "address2")


def _of_field(header: str, field: str, entity: str) -> bool:
    return _key(header) in ALIASES[field] or (field in HEADER_WORDS and _fits_words(field, header, entity))


def owners_place_columns(
    headers: Sequence[str], entity: str, rows: Sequence[dict[str, str]], named: dict[str, list[str]]
) -> set[str]:
    """A home's file's columns of its owner's place: an assessor's roll gives a home's own place under "situs"
    headers (``situs_num``, ``situs_street``, ``situs_city``) and its owner's mailing place under plain ones
    (``addr_line1``, ``addr_city``, ``addr_zip``, PACS's layout). Where the file gives a part of the home's own place
    (its street, city, state or ZIP), its other columns for that part are the owner's, never read for the home, not
    even where the home's cell is blank, nor on a land-only account, which gives no site yet. A stacked file's other
    source's columns, filled on its own rows, stay its place; so does a column named with --column.
    A builder's file of jobs (``names_jobs``, a permit list) gives the homes built at its site columns, never a
    builder's office."""
    given = {h for headers_named in named.values() for h in headers_named}
    if entity == EntityType.builder and names_jobs(headers):
        return {h for h in headers if h and _key(h) in BUSINESS_SITE_ALIASES and h not in given}
    if entity != EntityType.property:
        return set()
    site = [h for h in headers if h and (_key(h) in HOME_SITE_ALIASES or "situs" in _WORD.findall(_key(h)))]
    if not site:
        return set()
    candidates: set[str] = set()
    for group in (STREET_FIELDS, ("city",), ("state",), ("postal_code",)):
        if any(_of_field(h, field, entity) for h in site for field in group):
            candidates |= {h for h in headers if h and h not in site and h not in given
                           and any(_of_field(h, f, entity) for f in group)}  # fmt: skip
    # A column named for the unit alone ("Unit", "Apt") is the home's, beside a register's "Property Address": an
    # owner's mailing place gives its unit in a line of its own ("addr_line2").
    candidates -= {h for h in headers if h and _key(h) in UNIT_ALONE}
    # A stacked file's other source's rows give no site of the home's and fill columns of their own, which no row
    # with a site fills; a roll's land-only account, with no site yet, fills only the roll's own columns.
    sited = [row for row in rows if any(_filled(row, h) for h in site)]
    roll_columns = {h for row in sited for h in headers if h and _filled(row, h)}
    others_rows = [
        row
        for row in rows
        if not any(_filled(row, h) for h in site) and any(_filled(row, h) for h in headers if h not in roll_columns)
    ]
    return {h for h in candidates if not any(_filled(row, h) for row in others_rows)}


# Whose office a registry's address columns give when the record has none of its own: its registered agent's.
AGENTS_WORDS_OF_PLACE = frozenset({"registered", "agent", "agents"})


def _agents_street(headers: Sequence[str], entity: str) -> bool:
    """The file gives a registered agent's street address ("Registered Agent Address", "Agent Street"), or, for
    communities, a mailing one ("Mailing Address"): an association registry's is its manager's office."""
    streets = HEADER_WORDS["address"][0]
    whose = AGENTS_WORDS_OF_PLACE | (MAILING_WORDS if entity == EntityType.community else frozenset())
    return any((words := set(_WORD.findall(_key(h)))) & whose and words & streets for h in headers if h)


def _column_map(
    path: Path,
    headers: Sequence[str],
    entity: str,
    columns: dict[str, list[str]],
    owners: AbstractSet[str] = frozenset(),
    rows: Sequence[dict[str, str]] = (),
) -> tuple[dict[str, str], set[str]]:
    """Which of the file's columns each field is read from: ``columns`` (from ``--column``, the first the file
    has), else the first alias it has, else the one header with its words (``HEADER_WORDS``); and the
    fields read by words. ``owners``: columns of another's place, never read (``owners_place_columns``)."""
    by_key = {_key(h): h for h in headers if h and h not in owners}
    # A header in capitals with its words run together, as an inspection system exports them: "POSTALCODE",
    # "PHONENUMBER" are "postal_code" and "phone_number".
    glued = {key: h for key, h in by_key.items() if "_" not in key}
    mapping = {}
    fields = [field for field in ALIASES if _reads(field, entity)]
    # A shapefile's attribute table cuts a header at ten characters: a county's "SUBDIVISIO" is its "SUBDIVISION".
    cut = _cut_at_ten(by_key, [a for field in fields for a in _aliases(field, entity)])
    prefixed = _without_prefix(by_key)
    for header in headers:
        if (slashed := _slashed_key(header, entity, fields)) is not None:
            by_key.setdefault(slashed, header)
    # A column named with --column for a field is read for that field alone: a registry's "Filing Number" named as
    # its id is no plat's filing.
    named_for = {
        found: field
        for field, named_headers in columns.items()
        for header in named_headers
        if (found := _header_named(header, headers))
    }
    for field in fields:
        named = next((found for header in columns.get(field, ()) if (found := _header_named(header, headers))), None)
        if named is not None:
            mapping[field] = named
            continue
        aliases = tuple(a for a in _aliases(field, entity) if named_for.get(by_key.get(a, ""), field) == field)
        if field == "name" and PLACE_NAME_ALIASES.intersection(by_key):
            # A place's own name beside its chain's: a booking export's "HotelName" is the hotel, its "BrandName"
            # ("Hampton by Hilton") every hotel's of the chain, read as the brand.
            aliases = tuple(a for a in aliases if a not in ALIASES["brand"])
        if field == "name" and entity == EntityType.community and any(_fits_words(field, h, entity) for h in headers):
            # A place's own name read by its words before its operator's: a park register's "PARK NAME" is the
            # community, its "OPERATOR" the company running it.
            aliases = tuple(a for a in aliases if a not in OPERATOR_NAME_ALIASES)
        for alias in aliases:
            found = (
                by_key.get(alias)
                or glued.get(alias.replace("_", ""))
                or cut.get(alias)
                or (prefixed.get(alias) if field in (*STREET_PARTS, "address2") else None)
            )
            if found is not None and alias not in MAILING_ALIASES:
                mapping[field] = found
                break
    if (loose := mapping.get("address")) and "address" not in columns and _key(loose) in LOCATION_ALIASES:
        # A new-home guide's "Location" ("off SH 288, minutes from FM 1463") beside its "Model Address": a column
        # headed as a street address is the one that gives it, where there is one.
        streets = [h for h in headers if h and h != loose and h not in owners and _fits_words("address", h, entity)]
        if len(streets) == 1:
            mapping["address"] = streets[0]
    by_words = set()
    undecided: list[tuple[str, list[str]]] = []  # place fields several headers fit, before the others are known
    # Another entity type's name is not this one's: a listing service's "SubdivisionName" names a home's
    # community, a builder's "Community Name" one of its communities.
    others = {_key(a) for other, aliases in ENTITY_NAME_ALIASES.items() if other != entity for a in aliases}
    for field in HEADER_WORDS:
        if field in mapping or field not in fields:
            continue
        # A chain's store number names each row once where no other number does: the row's id too.
        taken = {c for f, c in mapping.items() if not (field == "id" and f == "store_number")} | owners
        fits = [
            h
            for h in headers
            if h and h not in taken and not (field == "name" and _key(h) in others) and _fits_words(field, h, entity)
        ]
        if field == "name" and len(fits) > 1:
            # A class-booking app's "Location Name" ("Upper Kirby", "Kingwood Floor") beside its "Studio Name": the
            # branch's part of town, not the business's name.
            fits = [h for h in fits if not set(_WORD.findall(_key(h))) & BRANCH_WORDS] or fits
        if field == "id":
            chains = [h for h in fits if set(_WORD.findall(_key(h))) & CHAIN_NUMBER_WORDS]
            if len(fits) > 1 or chains:
                # A school's "School Number" beside its district's "District Number": the one naming every row once.
                fits = [h for h in fits if _unique_ids(rows, h)]
            fits = [h for h in fits if h not in chains] or fits
        if len(fits) == 1:
            mapping[field] = fits[0]
            by_words.add(field)
        elif field == "name" and fits and (stacked := _stacked_column(fits, rows)) is not None:
            mapping[field] = stacked
            by_words.add(field)
        elif field in PLACE_FIELDS and (beside := _beside_place(fits, field, mapping)) is not None:
            mapping[field] = beside
            by_words.add(field)
        elif field in PLACE_FIELDS and len(fits) > 1:
            undecided.append((field, fits))
    for field, fits in undecided:
        # Chosen once the record's other place columns are known: a clerk's "Business Address" beside its "Business
        # City" and "Business Zip", not its registrant's "Residence Address".
        if (beside := _beside_place([h for h in fits if h not in mapping.values()], field, mapping)) is not None:
            mapping[field] = beside
            by_words.add(field)
    if "address" in mapping and "address2" in fields and "address2" not in mapping:
        # The street address's second line headed as its first is, with a 2: "BusinessAddress2" beside
        # "BusinessAddress", a review site's "location.address2" beside its "location.address1".
        first = re.sub(r"_?1$", "", _key(mapping["address"]))
        second = {f"{first}2", f"{first}_2"}
        if (line := next((h for h in headers if h and h not in owners and _key(h) in second), None)) is not None:
            mapping["address2"] = line
    if "address" not in mapping and _agents_street(headers, entity):
        # A district's or a company's registry gives the place of its registered agent alone ("Registered Agent
        # Address", then "City" and "Zip"), an association registry its manager's ("Mailing Address"): the town and
        # ZIP beside that street are the agent's office, shared by every district it serves, not where the record
        # is. Its county says that.
        for field in ("city", "postal_code"):
            if field in mapping and field not in columns:
                del mapping[field]
                by_words.discard(field)
    if "state" in mapping and "state" not in columns and (city := mapping.get("city")) is not None:
        # An appraisal roll's owner's "addr_state" beside its "addr_city", where the site's town is "situs_city": the
        # state of the owner's mailing place, no state of the home's.
        theirs, ours = (
            set(_WORD.findall(_key(h))) - HEADER_WORDS[f][0] for h, f in ((mapping["state"], "state"), (city, "city"))
        )
        other_city = any(
            set(_WORD.findall(_key(h))) - HEADER_WORDS["city"][0] == theirs != ours
            and set(_WORD.findall(_key(h))) & HEADER_WORDS["city"][0]
            for h in headers
            if h and h != city
        )
        if other_city:
            del mapping["state"]
            by_words.discard("state")
    if "state" in by_words and _coded(rows, mapping["state"]):
        # An appraisal roll's "STATE_CD" is the state's code of the property's class ("F1", "B2"), no state.
        del mapping["state"]
        by_words.discard("state")
    if "section" in mapping and "section" not in columns and not _plat_sections(rows, mapping["section"]):
        # A registry's "Filing Number" of codes ("HOA-2017-92579") is its filing's, no plat's section ("Filing 4").
        del mapping["section"]
        by_words.discard("section")
    if "builder" in by_words and _counts(rows, mapping["builder"]):
        # A survey's "No. of Builders" of "5", "6" and "TBD" counts a community's builders and names none.
        del mapping["builder"]
        by_words.discard("builder")
    if "subdivision" in mapping and "subdivision" not in columns and _flags(rows, mapping["subdivision"]):
        # An MLS's "HOA" or "Association" of "Y" and "N": whether the home has an association, not which.
        del mapping["subdivision"]
        by_words.discard("subdivision")
    if entity == EntityType.builder and "name" not in columns and (party := _places_party(headers, mapping)):
        # A building permit's "OWNER_NAME" is the landowner's, its "CONTRACTOR_PHONE" and "CONTRACTOR_ADDR" the
        # builder's: the name of the party whose line and office are read, "CONTRACTOR_NAME".
        mapping["name"] = party
    if "status" in mapping and "status" not in columns and _says_progress(rows, mapping["status"]):
        # A permit list's or a complaint register's status is its permit's or its complaint's (``_PROGRESS``).
        del mapping["status"]
        by_words.discard("status")
    if "name" not in mapping and "name" in fields and "name" in _WORD.findall(_key(mapping.get("brand", ""))):
        # A franchise's office locator names each office under "Franchise Name" ("Keller Williams Realty Memorial"),
        # its only name column: the office's name, not a brand many offices share.
        mapping["name"] = mapping.pop("brand")
        by_words.add("name")
    for field in PLACE_FIELDS if entity == EntityType.builder else ():
        # A business's mailing address, city, state or ZIP where the file gives no other ("Mailing Address", "Mailing
        # City"). A home's never: its owner's, a builder's head office; nor a community's: an association registry's
        # is its manager's office, which many communities far from it share.
        names = HEADER_WORDS[field][0]
        mailing = [h for h in headers if h and (words := set(_WORD.findall(_key(h)))) & names and words & MAILING_WORDS]
        # Its second line headed as its first with a 2, "MAILING ADDRESS 2" beside "MAILING ADDRESS", is read as the
        # second line, not a street of its own.
        second_lines = [h for h in mailing if any(_key(h) in (f"{_key(o)}2", f"{_key(o)}_2") for o in mailing)]
        mailing = [h for h in mailing if h not in second_lines]
        if field not in mapping and len(mailing) == 1 and field in fields:
            mapping[field] = mailing[0]
            if second_lines and field == "address" and "address2" in fields and "address2" not in mapping:
                mapping["address2"] = second_lines[0]
    if entity != EntityType.property and "name" not in mapping and (title := _place_title(headers, rows)):
        mapping["name"] = title
    if entity == EntityType.builder and "name" not in mapping:
        # A comptroller's franchise tax status list names each taxpayer alone, the business itself; beside an outlet's
        # name a taxpayer is the outlets' owner.
        taxpayer = [h for h in headers if h and h not in owners and _key(h) in TAXPAYER_NAME_ALIASES]
        if len(taxpayer) == 1:
            mapping["name"] = taxpayer[0]
    given = {
        field
        for field, found in mapping.items()
        if any(_header_named(h, headers) == found for h in columns.get(field, ()))
    }
    if "street_name" in given and "address" not in given:
        # A street address named in parts with --column (an exemption roll's "situs_num", "situs_street") is the row's:
        # a line read by its words beside it (the owner's mailing "addr_line1") is not, nor that line's second
        # ("addr_line2").
        mailing_line = mapping.pop("address", None)
        by_words.discard("address")
        second_line = mapping.get("address2")
        if (
            mailing_line
            and second_line
            and "address2" not in given
            and _key(second_line).split("_")[0] == _key(mailing_line).split("_")[0]
        ):
            del mapping["address2"]
    mapping = {field: mapping[field] for field in ALIASES if field in mapping}  # reported in the fields' order
    for group in REQUIRED[entity]:
        if group == ("name",) and _person_name_columns(headers, entity, set(mapping.values())):
            # A register of individuals alone (licensed sole practitioners): each row's name is the person's.
            continue
        if not any(field in mapping for field in group):
            wanted = ", ".join(a for field in group for a in _aliases(field, entity))
            named_by = " or ".join(sorted(w for field in group for w in HEADER_WORDS.get(field, ((),))[0]))
            found_by = f"the one header with the word {named_by} in it"
            if entity == EntityType.builder and "name" in group:
                found_by += f" or ending with {', '.join(sorted(BUSINESS_HEADER_ENDS))}"
            raise CsvInputError(
                f"{path}: no column for {' or '.join(group)} of a {entity} (accepted headers: {wanted}; or "
                f"{found_by}; or name it with --column {group[0]}=HEADER); the file's columns are: "
                f"{', '.join(headers) or '(none)'}"
            )
    return mapping, by_words


def _places_party(headers: Sequence[str], mapping: dict[str, str]) -> str | None:
    """Where the name is read from one party's column ("OWNER_NAME") and two or more of the phone and place columns
    read name another party ("CONTRACTOR_PHONE", "CONTRACTOR_ADDR"), that party's name column, or None."""
    name = mapping.get("name")
    if name is None or _key(name) not in OPERATOR_NAME_ALIASES:
        return None

    def party(header: str, field: str) -> frozenset[str]:
        return frozenset(_WORD.findall(_key(header))) - HEADER_WORDS[field][0]

    parties = Counter(party(mapping[f], f) for f in ("phone", *PLACE_FIELDS) if f in mapping)
    for words, count in parties.most_common():
        if count < 2 or not words or words == party(name, "name"):
            continue
        found = [h for h in headers if h and _key(h) in OPERATOR_NAME_ALIASES and party(h, "name") == words]
        if len(found) == 1:
            return found[0]
    return None


# The longest header a shapefile's dBASE attribute table keeps.
SHAPEFILE_HEADER_LENGTH = 10


def _slashed_key(header: str | None, entity: str, fields: Sequence[str]) -> str | None:
    """The usual header a header joining two by a slash is read as: two of one field, as a form heads a column either
    fills ("Community / Subdivision" is read as "Community" is), or a field's and a plat's part, a district report's
    "SUBDIVISION/SECTION" cell naming both ("Willow Fork Ranch Sec 7")."""
    parts = [_key(part) for part in (header or "").split("/") if part.strip()]
    if len(parts) < 2:
        return None
    one_field = any(all(p in _aliases(field, entity) for p in parts) for field in fields)
    with_section = "section" in fields and all(p in ALIASES["section"] for p in parts[1:])
    return parts[0] if one_field or with_section else None


def _cut_at_ten(by_key: dict[str, str], aliases: Sequence[str]) -> dict[str, str]:
    """Each alias longer than ten characters whose first ten, with or without its underscores, are a header's, and
    that header: the least cut of the aliases so cut ("SUBDIVISIO" is "subdivision", not "subdivision_website")."""
    found: dict[str, tuple[str, str]] = {}  # the header's key: the alias, the header
    for alias in sorted(aliases, key=len):
        if len(alias) <= SHAPEFILE_HEADER_LENGTH:
            continue
        for key in (alias[:SHAPEFILE_HEADER_LENGTH], alias.replace("_", "")[:SHAPEFILE_HEADER_LENGTH]):
            if key in by_key and key not in found:
                found[key] = (alias, by_key[key])
    return {alias: header for alias, header in found.values()}


# A tax list's taxpayer, the business's own name where the file names nothing else.
TAXPAYER_NAME_ALIASES = frozenset({"taxpayer_name", "taxpayer"})
# Address aliases a file may fill with directions or a part of town rather than a street address.
LOCATION_ALIASES = frozenset({"location", "physical_location", "site_location", "community_location"})
# A header's words naming a branch's part of town, not the business: "Location Name", "Branch Name".
BRANCH_WORDS = frozenset({"location", "branch", "neighborhood", "neighbourhood", "area"})
# Headers sharing a first word this many times or more share it as one place's prefix (``_without_prefix``).
PREFIXED_HEADERS = 3


def _without_prefix(by_key: dict[str, str]) -> dict[str, str]:
    """Each header's key without the first word several headers share, where no header read has that word: a
    utility's service address in parts, "SERV_HOUSE_NO", "SERV_STREET_NAME", "SERV_STREET_SFX", "SERV_UNIT", is
    "house_number", "street_name", "street_sfx", "unit". A word of the headers read says whose place it is
    ("OWNER_STREET_NAME", "MAIL_STREET_NAME", a food truck's "COMMISSARY_STREET_NAME") or is a part's own
    ("STREET_NAME", "STREET_SFX")."""
    others = NOT_THE_RECORDS.union(*OTHERS_PLACES.values())
    firsts = Counter(key.split("_", 1)[0] for key in by_key if "_" in key)
    return {
        rest: header
        for key, header in by_key.items()
        if "_" in key
        for prefix, rest in [key.split("_", 1)]
        if firsts[prefix] >= PREFIXED_HEADERS and prefix not in _HEADER_VOCABULARY | others and rest not in by_key
    }


def _beside_place(fits: Sequence[str], field: str, mapping: dict[str, str]) -> str | None:
    """Of several headers with a place field's words, the one named as the record's other place columns are: a motor
    carrier census's "PHY_STATE" beside its "PHY_STREET" and "PHY_CITY", not its officer's "OIC_STATE"."""
    own = HEADER_WORDS[field][0]
    placed = [set(_WORD.findall(_key(mapping[f]))) for f in PLACE_FIELDS if f != field and f in mapping]
    beside = [h for h in fits if (rest := set(_WORD.findall(_key(h))) - own) and any(rest < words for words in placed)]
    return beside[0] if len(beside) == 1 else None


def parse_columns(specs: Sequence[str] | None) -> dict[str, list[str]]:
    """``--column FIELD=HEADER`` options as each field's headers in the order given (one field may be named once per
    file: ``--column id=SOSID --column "id=Member ID"``); a CsvInputError names a malformed one or an unknown
    field."""
    columns: dict[str, list[str]] = {}
    for spec in specs or ():
        field, sep, header = spec.partition("=")
        field = _key(field)
        if not sep or not header.strip():
            raise CsvInputError(f"--column {spec!r}: expected FIELD=HEADER, e.g. --column name='Site name'")
        if field not in ALIASES:
            raise CsvInputError(f"--column {spec!r}: unknown field {field!r}; fields: {', '.join(ALIASES)}")
        columns.setdefault(field, []).append(header.strip())
    return columns


# How a spreadsheet program's own files begin: an .xlsx or .ods is a zip archive, an .xls an OLE2 compound file.
_WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
# A file compressed as partners send large exports (.csv.gz, .csv.bz2, .csv.xz).
_COMPRESSED_SIGNATURES = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz"}


_ENCODING_SAMPLE_BYTES = 4096
# Bytes no text file holds but by accident (every control character but tab, line feed, form feed and carriage
# return), and the share of them above which a file is binary data rather than text with a few stray ones.
_CONTROL_BYTES = tuple(byte for byte in range(32) if byte not in (9, 10, 12, 13))
_CONTROL_SHARE = 0.01
# Byte-order marks of the encodings a spreadsheet's "Unicode text" export writes (UTF-32's before UTF-16's: the
# little-endian UTF-32 mark begins with UTF-16's).
_UNICODE_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _text(path: Path) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark); UTF-16 or UTF-32 as a spreadsheet's "Unicode
    text" saves it (a byte-order mark, or without one every other byte zero); else Windows-1252 as spreadsheets
    export it. Binary data (control bytes) is refused; a few stray zero bytes are dropped."""
    data = path.read_bytes()
    if data.startswith(_WORKBOOK_SIGNATURES):
        raise CsvInputError(f"{path}: a spreadsheet workbook (.xlsx, .xls or .ods), not CSV: save the sheet as CSV")
    for signature, compression in _COMPRESSED_SIGNATURES.items():
        if data.startswith(signature):
            raise CsvInputError(
                f"{path}: a {compression}-compressed file, not CSV text: decompress it and give the CSV"
            )
    sample = data[:_ENCODING_SAMPLE_BYTES]
    encoding = next((name for mark, name in _UNICODE_MARKS if data.startswith(mark)), None)
    if encoding is None and b"\x00" in sample:
        encoding = _utf16_without_mark(sample)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            where = f"{exc.reason} at byte {exc.start}"
            raise CsvInputError(f"{path}: not valid {encoding.upper()} text ({where})") from None
    else:
        if sum(sample.count(byte) for byte in _CONTROL_BYTES) > _CONTROL_SHARE * len(sample):
            raise CsvInputError(f"{path}: binary data (control bytes), not CSV text: save the sheet as CSV")
        data = data.replace(b"\x00", b"")  # a few stray zero bytes (an export's padding) hold no value
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise CsvInputError(f"{path}: the file is empty; a CSV file begins with a header row naming its columns")
    if "\r" in text and "\n" not in text:
        # Lines ended by a carriage return alone, as a Mac spreadsheet's "CSV (Macintosh)" saves them.
        text = text.replace("\r", "\n")
    return text


def _utf16_without_mark(sample: bytes) -> str | None:
    """UTF-16 written without a byte-order mark: text of Latin letters has a zero in every other byte, the high
    byte of each character (first for big-endian, second for little-endian)."""
    pairs = len(sample) // 2
    if not pairs:
        return None
    for encoding, high in (("utf-16-le", 1), ("utf-16-be", 0)):
        if sample[high::2].count(0) >= 0.9 * pairs and sample[1 - high :: 2].count(0) <= 0.1 * pairs:
            return encoding
    return None


# What separates a file's columns, by name; a spreadsheet saved for another locale uses a semicolon.
DELIMITERS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "vertical bar"}
_QUOTED = re.compile(r'"[^"]*"')


def delimiter_of(text: str) -> str:
    """The delimiter the header line uses most, outside quotes; a comma when it uses none (one column)."""
    header = _QUOTED.sub("", text.split("\n", 1)[0])
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])  # the first of a tie: the comma before the others
    return best if counts[best] else ","


# Rows looked at to tell how a file quotes its values, and the share of a column's filled cells that must be
# wrapped in single quotes to read them so (a value with the separator in it, split, shifts a row's cells).
_QUOTING_SAMPLE_ROWS = 200
_QUOTING_SAMPLE_BYTES = 100_000
_SINGLE_QUOTED_SHARE = 0.9
_SINGLE_QUOTED_MIN_CELLS = 3


class SingleQuoted(csv.excel):
    """Values in single quotes, a backslash before a quote inside them."""

    quotechar = "'"
    escapechar = "\\"
    doublequote = False


def single_quoted(text: str, delimiter: str) -> bool:
    """Whether the file wraps its values in single quotes, a backslash before a quote inside ('arnie morton\\'s'),
    as some database exports and public benchmark files do: some column's filled cells are nearly all so wrapped.
    Read as a spreadsheet's file, each such value keeps its quotes and its backslash, and no street address or
    name reads as written. A file that quotes a value in double quotes is a spreadsheet's, whatever its values hold
    (`" '0'"`)."""
    if re.search(rf'(?:^|{re.escape(delimiter)})[ \t]*"', text[:_QUOTING_SAMPLE_BYTES], re.MULTILINE):
        return False
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(rows, None)  # the header
    filled: dict[int, int] = {}
    wrapped: dict[int, int] = {}
    for _, row in zip(range(_QUOTING_SAMPLE_ROWS), rows, strict=False):
        for column, cell in enumerate(row):
            cell = cell.strip()
            if cell:
                filled[column] = filled.get(column, 0) + 1
                if len(cell) > 1 and cell[0] == cell[-1] == "'":
                    wrapped[column] = wrapped.get(column, 0) + 1
    return any(
        wrapped.get(column, 0) >= max(_SINGLE_QUOTED_MIN_CELLS, _SINGLE_QUOTED_SHARE * count)
        for column, count in filled.items()
    )


# A site's navigation label a crawler took for the business's name: "Home", "Contact Us", "About Us".
PAGE_LABELS = frozenset({"home", "home page", "homepage", "contact", "contact us", "about", "about us", "welcome",
                         "menu", "index", "untitled", "page not found", "not found", "404 not found", "our team",
                         "our story", "blog", "news", "login", "sign in"})  # fmt: skip


def _cell(row: dict[str, str], field: str, column: str) -> str:
    """A row's cell of ``column`` read as ``field``: a closed flag's "true" as the status "closed", its "false" as
    no status (``CLOSED_FLAGS``); a date it closed on as "closed" (``CLOSED_DATES``); a page's navigation label as no
    name (``PAGE_LABELS``), so the row's name is read from the next column that gives one."""
    cell = (row.get(column) or "").strip()
    if field == "name" and " ".join(cell.casefold().replace("-", " ").split()).strip(" .!") in PAGE_LABELS:
        return ""
    if field in ("name", "other_names") and _NO_NAME.fullmatch(cell):
        # A permit's trade name written "NONE", "N/A" or "SAME" (as its holder's): no name of its own, so the row's
        # name is the holder's, and two rows writing "NONE" share nothing.
        return ""
    if field == "status" and _key(column) in CLOSED_FLAGS:
        return "closed" if cell.casefold() in _TRUE_CELLS else ""
    if field == "status" and _key(column) in CLOSED_DATES:
        return "closed" if any(ch.isdigit() for ch in cell) else ""
    if field in PLACE_FIELDS and _SAME_AS_MAILING.fullmatch(cell):
        # A registry's "PHYSICAL_ADDRESS" written "SAME": its mailing address, in the column of the same words.
        own = set(_WORD.findall(_key(column)))
        return next(
            (
                (row.get(h) or "").strip()
                for h in row
                if h and (words := set(_WORD.findall(_key(h)))) & MAILING_WORDS and words - MAILING_WORDS <= own
            ),
            "",
        )
    return cell


# A name cell naming nothing: "NONE", "N/A", "SAME", "Same as above", "Unknown", "-".
_NO_NAME = re.compile(
    r"\s*(?:none|n/?a|same(?:\s+as\s+(?:above|owner|legal(?:\s+name)?))?|unknown|not\s+applicable|-+)\.?\s*",
    re.IGNORECASE,
)
# A place's cell saying it is the mailing one: "SAME", "Same as mailing", "SAME AS ABOVE".
_SAME_AS_MAILING = re.compile(r"same(?:\s+as\s+(?:mailing(?:\s+address)?|above|mail))?\.?", re.IGNORECASE)


def read_file(path: Path, entity: str, columns: dict[str, list[str]] | None = None) -> InputFile:
    """The file's rows and their records; a record's id is the ``id`` column, else the 1-based row number."""
    if not path.is_file():
        raise CsvInputError(f"{path}: file not found")
    text = _text(path)
    above, text = _header_start(path, text, entity, columns or {})
    delimiter = delimiter_of(text)
    quoting = single_quoted(text, delimiter)
    dialect = SingleQuoted if quoting else csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect, delimiter=delimiter)
    headers = list(reader.fieldnames or [])
    _refuse_repeated_headers(path, headers)
    _column_map(path, headers, entity, columns or {})  # a header naming no column needed is refused before any row
    columns = business_roll_sites(headers, entity, columns or {})
    rows = []
    overlong = []
    empty = 0
    last_row_line = 0  # counted from the header: an unclosed quote's value runs to the end in the last row
    for line, row in _rows(path, reader, above):
        last_row_line = line
        if None in row:  # DictReader's key for the cells past the header's
            overlong.append(above + reader.line_num)
        empty += _blank(row)  # a spreadsheet's trailing ",,,": nothing to link, written back as it came
        rows.append(row)
    if rows and _quote_left_open(text, last_row_line, dialect, delimiter):
        raise CsvInputError(
            f"{path}: line {above + last_row_line}: a quoted value in the row that begins on this line is never "
            f"closed, so every line after it would be read as one value of that row: close the quote or remove it"
        )
    owners = owners_place_columns(headers, entity, rows, columns or {})
    mapping, by_words = _column_map(path, headers, entity, columns or {}, owners, rows)
    id_columns: list[str] = []  # the id columns after the first, read where a row's is blank
    if "id" in mapping and "id" not in by_words and not _unique_ids(rows, mapping["id"]):
        # Another id column that names every row ("record_id" beside a map export's "@id", blank on other rows).
        named = [h for h in (columns or {}).get("id", ()) if h in headers and h != mapping["id"]]
        others = [*named, *(h for h in headers if h and h != mapping["id"] and _of_field(h, "id", entity))]
        mapping["id"] = next((h for h in others if _unique_ids(rows, h)), mapping["id"])
        if not _unique_ids(rows, mapping["id"]):
            # Or several that together do, each on its own source's rows: a stacked file's feeds' "record_id" and
            # its map export's "@id".
            together = list(dict.fromkeys([mapping["id"], *others]))
            if _unique_ids(rows, *together):
                id_columns = together[1:]
    listed_id = "id" in mapping and _key(mapping["id"]) in LISTED_IDS
    named_id = "id" in mapping and mapping["id"] in (columns or {}).get("id", ())
    if ("id" in by_words or listed_id) and not (named_id or id_columns or _unique_ids(rows, mapping["id"])):
        # A header with "id" in it that does not name each row ("Category ID"), or a listing's or a licence's number
        # that two rows share (a builder licensed twice): rows are numbered instead. Never a column named with
        # --column: the user's own choice, refused where it must name each record once (``_refuse_repeated_ids``).
        del mapping["id"]
    fallbacks = _fallbacks(headers, entity, mapping, columns or {}, owners, rows)
    # Where a point may be given: the address's columns, and a "Location" column beside the street address's.
    point_columns = [c for c in (mapping.get("address"), *fallbacks.get("address", ())) if c]
    point_columns += [h for h in headers if h and _key(h) in LOCATION_ALIASES and h not in point_columns]
    if "state" in fallbacks:  # nor where blank: a roll's "STATE_CD" beside its "MAIL_ST" (``_coded``)
        fallbacks["state"] = [c for c in fallbacks["state"] if not _coded(rows, c)]
    if id_columns:
        fallbacks["id"] = id_columns
    billing = _billing_columns(headers, entity, mapping)
    person_name = _person_name_columns(headers, entity, {*mapping.values(), *billing.values()})
    # A business's names: every usual name column a row fills (a licence's legal name beside its DBA). Not a column
    # read by its words where blank: an inspection list's "AKA Name" is a brand or the building a place is in, which
    # many places share.
    usual_names = set(_aliases("name", entity))
    other_names = mapping.get("other_names") if "other_names" in (columns or {}) else None
    if entity == EntityType.builder and "name" in mapping and other_names and _key(other_names) in usual_names:
        # A usual name column named as the other names (a licence's "Legal Entity Name" beside its DBA) is still a name
        # column: a row whose DBA is blank trades under its legal name, as where the file's headers alone say so. Not
        # a column of another's name (a tax roll's "TAXPAYER_NAME", the owner's holding company).
        fallbacks["name"] = [*(c for c in fallbacks.get("name", ()) if c != other_names), other_names]
    name_columns = [
        c
        for c in (mapping.get("name"), *fallbacks.get("name", ()))
        if c and (c == mapping["name"] or _key(c) in usual_names)
    ]
    chains_operators = _chains_operators(rows, entity, mapping, name_columns)
    named_columns = {h for headers_named in (columns or {}).values() for h in headers_named}
    mailing = _mailing_columns(headers) - named_columns  # a column named with --column is read as named
    own_place = [
        c for f in ("address", "city") for c in (mapping.get(f), *fallbacks.get(f, ())) if c and c not in mailing
    ]
    if not any(c for c in (mapping.get("address"), *fallbacks.get("address", ())) if c and c not in mailing):
        # A licence list whose only street column is its mailing one ("Mailing Address", then "City" and "Zip"):
        # the town beside it is that address's, and the street is read on every row.
        own_place = []
    records = []
    for number, row in enumerate(rows, start=1):
        # A business's mailing place is read only where its row gives no street address or town of its own: a
        # licence's registrant known by its post office box. Beside its site, a blank site ZIP or state is not its
        # head office's (a chain's in another state).
        unread = mailing if any((row.get(c) or "").strip() for c in own_place) else frozenset()
        values: dict[str, Any] = {
            f: next(
                (
                    cell
                    for c in (col, *fallbacks.get(f, ()))
                    if c not in unread and (cell := _cell(row, f, c)) and not (f == "address" and point_only(cell))
                ),
                None,
            )
            for f, col in mapping.items()
        }
        if mailing and entity != EntityType.property:
            # A licensee's mailing address, its owner's house or a post office box as often as its office: agreeing,
            # it places the business; not, it says nothing (``comparisons.compare``).
            columns_given = (
                c for c in (mapping.get("address"), *fallbacks.get("address", ())) if c and c not in unread
            )
            values["mailing"] = next((c for c in columns_given if _cell(row, "address", c)), None) in mailing
        if not values.get("coordinates") and not values.get("latitude"):
            # A register's "Location" cell that is a position, "(30.2672, -97.7431)", places the row; it is no address.
            address_cells = ((row.get(c) or "").strip() for c in point_columns)
            values["coordinates"] = next((cell for cell in address_cells if point_only(cell)), None)
        if entity == EntityType.builder and "name" in mapping:
            # A placeholder trade name ("SAME", "NONE") says the place trades under the holder's name: no operator.
            filled = [(c, cell) for c in name_columns if (cell := (row.get(c) or "").strip())]
            names = [cell for _c, cell in filled]
            if operator_named(mapping["name"], filled) or (
                filled and filled[0][0] != mapping["name"] and filled[0][1].upper() in chains_operators
            ):
                # A place's own name blank ("Practice Name"), its operator's ("Licensee Name") is another's: a licence
                # board's practitioner, "Priya Le, DDS", or a care home's operating company. Compared as the name it
                # sank the place's street address and suite; as another name it agrees only where written again.
                values["name"], names = None, ["", *names]
            elif not filled and _key(mapping["name"]) in PLACE_NAME_ALIASES and practitioner(values.get("name") or ""):
                # A practice's blank name, its dentist's from a column read by its words in its stead ("Dr. Mei Le",
                # "Hector Kim, DMD"): one of the practice's people, not the practice.
                values["name"], names = None, ["", values["name"]]
            values["other_names"] = [
                *names[1:],
                *([values["other_names"]] if values.get("other_names") and values["other_names"] not in names else []),
            ]
        if person_name and not values.get("name") and (given := _person_named(row, person_name)):
            # A register of practitioners and their practices (a health-care provider file): an individual's row
            # gives only the person's first and last names. Unnamed, it was its group's twin at their one address.
            values |= {"name": given, "person": True}
        if billing and not any(values.get(f) for f in PLACE_FIELDS):
            values |= {f: (row.get(column) or "").strip() or None for f, column in billing.items()}
        parts = [values.pop(part, None) for part in STREET_PARTS]
        house_number = parts[STREET_PARTS.index("street_number")]
        if not values.get("address") and parts[STREET_PARTS.index("street_name")]:
            values["address"] = " ".join(part for part in parts if part)
        elif (
            house_number
            and values.get("address")
            and not values["address"][:1].isdigit()
            and values["address"].split()[0].casefold() != house_number.casefold()  # "TBD" in both
        ):
            # A builder's export gives the house number apart and the street in the address column ("House #",
            # "Street"): without it, every house of a street is one street address.
            values["address"] = f"{house_number} {values['address']}"
        # A clerk's "L12 B3" is lot 12 of block 3.
        lot_cell = spelt_parcel(written) if (written := values.pop("lot", None)) else None
        lot = _lot_number(lot_cell)
        if lot and entity == EntityType.property and not values.get("block"):
            values["block"] = block.group(1) if (block := _LEGAL_BLOCK.search(lot_cell or "")) else None
        if lot and entity == EntityType.property:
            values["subdivision"] = _with_legal_section(values.get("subdivision"), _plat_named(lot_cell or ""))
        if (
            lot
            and values.get("address")
            and not _NUMBERED.match(values["address"])
            and not homesite_in(values["address"])
        ):
            # A home not yet numbered, known by its lot on its street, as a listing writes it ("Lot 18 Oak Bend Ct";
            # "0 Oak Bend Ct", a number not yet given). An address cell naming the lot itself ("Homesite 10" beside
            # the lot column's 10) says it already.
            values["address"] = f"Lot {lot} {_UNNUMBERED.sub('', values['address'])}"
        elif lot and entity == EntityType.property:
            # Beside a house number the lot is no part of the address: the number places the home. It is still the
            # lot a listing of the home before it was numbered gives ("0 Sable Ridge Ln", "LT 9 BLK 3 …").
            values["homesite"] = lot
        if entity == EntityType.property and lot_cell and not lot:
            # A condominium's unit; beside a lot, a plat's "UNIT 6" is its section ("LOT 4 BLK 2 PINE FOREST UNIT 6").
            _condo_unit_from_legal(values, lot_cell)
        phone_parts = [values.pop(part, None) for part in PHONE_PARTS]
        if not values.get("phone") and all(phone_parts):
            values["phone"] = "-".join(phone_parts)
        if other_phones := values.pop("other_phones", None):
            values["phone"] = " / ".join(p for p in (values.get("phone"), other_phones) if p)
        section = values.pop("section", None)
        if section and entity == EntityType.property and values.get("subdivision"):
            values["subdivision"] = _with_section(values["subdivision"], section)
        elif section and values.get("name"):
            values["name"] = _with_section(values["name"], section)
        brand = values.pop("brand", None)
        # Not a flag ("Y"), a plan or several ("PPO;HMO"), none; nor the chain's company (``_parent_company``).
        if brand and not _no_brand(brand) and not _parent_company(brand):
            values["name"] = _with_brand(values.get("name"), brand)
            values["brand"] = brand  # compared too (``comparisons.brands_differ``)
        if entity == EntityType.property:
            values["address1"] = values.pop("address", None)
            values["title"] = values.pop("name", None)
        # A row whose id cell is blank, in a file with ids, is named by its row so it cannot take another's id.
        record_id = values.pop("id", None) or (f"row {number}" if "id" in mapping else str(number))
        records.append(prepare(entity, values, record_id))
    records = _without_owners_names(records)
    # A category column says each row's kind itself, where it says kinds.
    if "category" not in mapping or not _says_kinds(rows, mapping["category"]):
        records = _of_the_files_trade(records)
    return InputFile(
        path,
        headers,
        mapping,
        rows,
        records,
        delimiter,
        overlong,
        quoting,
        above,
        empty,
        fallbacks,
        billing,
        mailing if own_place else frozenset(),
        person_name,
    )


# The share of a file's named rows saying one trade that makes it a list of that trade.
FILE_TRADE_SHARE = 1 / 3


def _says_kinds(rows: Sequence[dict[str, str]], column: str) -> bool:
    """A file's category column says a kind for most rows that fill it: not a licence's class ("COMMUNITY (CLASS A)",
    "INSTITUTIONAL (CLASS C)", a pharmacy board's), which says what kind of licence the board issued, no kind of
    business (``_of_the_files_trade`` then reads the file's names)."""
    filled = Counter(cell for row in rows if (cell := (row.get(column) or "").strip()))
    return 2 * sum(count for cell, count in filled.items() if category_kinds(cell)) >= filled.total()


def _of_the_files_trade(records: list[MatchRecord]) -> list[MatchRecord]:
    """A file whose names say one trade a third of the time or more is a list of that trade, with no category column
    of its own: an MLS's office roster names half its brokerages "... Realty" and the rest by their brand alone
    ("KELLER WILLIAMS LEGACY"), which is no builder beside "Keller Williams Realty Legacy" (``kinds_differ``)."""
    named = [r for r in records if r.entity_type == EntityType.builder and r.name_norm.key]
    said = Counter(kind for r in named for kind in r.name_norm.kinds & TRADE_KINDS)
    trades = frozenset(kind for kind, count in said.items() if count >= FILE_TRADE_SHARE * len(named))
    for record in named if trades else ():
        if not record.name_norm.kinds and not record.extra.get("kinds"):
            record.extra["kinds"] = trades
    return records


def _without_owners_names(records: list[MatchRecord]) -> list[MatchRecord]:
    """A legal name that a file's rows trading under other names, or at other places, share is their owner's ("PULTE
    HOME COMPANY, LLC" of Pulte Homes, Centex and Del Webb at one office; "COSTCO WHOLESALE CORPORATION" of each
    warehouse's pharmacy): no other name of theirs, or every brand and store of one owner would be one business."""
    holders: defaultdict[str, set[tuple[object, ...]]] = defaultdict(set)
    for record in records:
        place = (record.address.number, record.address.street) if record.address else record.city_key
        for other in record.other_names:
            holders[other.key].add((record.name_norm.key, place))
    owners = {key for key, held in holders.items() if len(held) > 1}

    def owned(record: MatchRecord, other: NormalizedName) -> bool:
        # A trade name the record's name cell lists is its own, whichever of its branches list it too.
        return other.key in owners and other.key not in record.extra.get("listed_names", frozenset())

    return [
        dataclasses.replace(record, other_names=tuple(o for o in record.other_names if not owned(record, o)))
        if any(owned(record, o) for o in record.other_names)
        else record
        for record in records
    ]


def _with_section(name: str, section: str) -> str:
    """A community's name with its plat section from a column of its own: "Cedar Ridge" and "3" are "Cedar Ridge
    Section 3", and so are a part split in two, "1A", and a number with words after it, "2 (Replat)"; "SEC 4" or
    "Phase II" is written as given; a name that already ends with it is kept, not one ending with a replat's own
    number ("MAPLE RIDGE REPLAT NO 1" of section 1)."""
    words = name.lower().split()
    if words[-1:] == section.lower().split()[-1:] and words[-2:-1] not in (["no"], ["no."]):
        return name
    if coded := _PART_CODE.fullmatch(section.strip()):
        return f"{name} Section {coded[1]}"  # an engineering list's "F7", "FIL 2": the part's number after its letters
    first = section.split()[0]
    if any(c.isalpha() for c in section) and not _ROMAN.fullmatch(first) and not _NUMBERED_PART.fullmatch(first):
        return f"{name} {section}"  # it says which part: "Phase II"
    return f"{name} Section {section}"


_NUMBERED_PART = re.compile(r"\d+[a-z]?", re.IGNORECASE)
_PART_CODE = re.compile(r"(?:[a-z]{1,7}\.?\s*(?:no\.?\s*)?)-?\s*(\d+[a-z]?)", re.IGNORECASE)


_FLAGS = frozenset({"y", "n", "yes", "no", "true", "false", "t", "f", "1", "0", "x"})
# An insurer's directory's plan network in a "Network" column: every practice's in it, no brand of one; a dental
# insurer's too ("DHMO", "DPPO").
_PLAN_NETWORKS = frozenset({"ppo", "hmo", "epo", "pos", "hdhp", "medicare", "medicaid", "medicare advantage", "dhmo",
                            "dppo", "depo", "indemnity", "chip", "tricare"})  # fmt: skip
# A brand column's word for a business of no brand: "Independent", "None", "N/A".
_NO_BRAND = frozenset({"independent", "independently owned", "none", "n/a", "na", "no brand", "unbranded", "other",
                       "-", "unknown",
                       # a car site's brand column for a dealer of used cars, of no make
                       "used", "pre-owned", "preowned", "used cars", "multi-brand"})  # fmt: skip


def _no_brand(cell: str) -> bool:
    """A brand cell naming no brand: a flag, "Independent", or an insurer's plan networks, one or several ("PPO;HMO",
    "HMO, PPO")."""
    value = cell.strip().lower()
    if value in _FLAGS | _NO_BRAND:
        return True
    parts = [p.strip() for p in re.split(r"[;,/|]|\s+and\s+", value) if p.strip()]
    return bool(parts) and all(p in _PLAN_NETWORKS for p in parts)


# The words a chain's company is named by, not a brand its stores bear: a travel site's "chain_name" gives "Marriott
# International", "Hilton Worldwide", "IHG Hotels & Resorts" for a hotel whose name gives its brand, "TownePlace
# Suites Austin-Downtown". Before the name ("Marriott International - TownePlace Suites") it sank the name.
PARENT_COMPANY_WORDS = frozenset({"international", "worldwide", "corporation", "corp", "inc", "incorporated", "llc",
                                  "holdings", "hospitality", "companies", "enterprises", "hotels", "resorts",
                                  "brands"})  # fmt: skip


def _parent_company(brand: str) -> bool:
    return bool(PARENT_COMPANY_WORDS.intersection(_WORD.findall(brand.lower())))


def _with_brand(name: str | None, brand: str) -> str:
    """A store's name with its brand before it where the name does not give it: a locator's "Park Rd & 5th St" of
    "Bean & Ember Coffee" is "Bean & Ember Coffee - Park Rd & 5th St"; a name saying its brand's own words
    (``brand_key``: "Hampton by Hilton" of "Hampton Inn & Suites", "Drury Hotels" of "Drury Inn & Suites") is kept."""
    if not name:
        return brand
    if (brand_key(brand) or frozenset()) <= set(normalize_name(name).tokens):
        return name
    return f"{brand} - {name}"


_ROMAN = re.compile(r"[ivxIVX]+")


BILLING_WORDS = frozenset({"billing"})


def _billing_columns(headers: Sequence[str], entity: str, mapping: dict[str, str]) -> dict[str, str]:
    """A business's billing street, city, state and ZIP ("Billing Street", "Billing City", as a CRM exports an
    account), read as a whole where a row gives none of its own place: a business's own, often its accountant's or its
    head office's. Never a home's or a community's (an owner's, a manager's); never one cell of it beside another
    place's (a shipping city with a billing street)."""
    if entity != EntityType.builder:
        return {}
    taken = set(mapping.values())
    found = {}
    for field in PLACE_FIELDS:
        names, excluded = HEADER_WORDS[field]
        fits = [
            h
            for h in headers
            if h
            and h not in taken
            and (words := set(_WORD.findall(_key(h)))) & BILLING_WORDS
            and words & names
            and not words & (excluded - NOT_THE_RECORDS)
        ]
        if len(fits) == 1:
            found[field] = fits[0]
    return found


# A header's words naming one part of a person's name: its first, its last.
_FIRST_NAME_WORDS, _LAST_NAME_WORDS = frozenset({"first", "given"}), frozenset({"last", "family", "surname"})


def _person_name_columns(headers: Sequence[str], entity: str, taken: AbstractSet[str]) -> tuple[str, str] | None:
    """A builder file's one column of a person's first name and one of their last ("Provider First Name", "Provider
    Last Name (Legal Name)"), read as a row's name where it gives no other: a sole practitioner, whose business is
    the person. Not a contact's, an owner's or an agent's name: the person at a business, not the business."""
    if entity != EntityType.builder:
        return None

    def part(words: frozenset[str]) -> list[str]:
        return [
            h
            for h in headers
            if h
            and h not in taken
            and (said := set(_WORD.findall(_key(h)))) & words
            and ("name" in said or "surname" in said)
            and not said & (PERSON_WORDS - _FIRST_NAME_WORDS - _LAST_NAME_WORDS)
        ]

    first, last = part(_FIRST_NAME_WORDS), part(_LAST_NAME_WORDS)
    return (first[0], last[0]) if len(first) == 1 and len(last) == 1 else None


def _person_named(row: dict[str, str], columns: tuple[str, str]) -> str | None:
    """The person's name a row gives in its first and last name columns, first name first; None without both."""
    first, last = ((row.get(c) or "").strip() for c in columns)
    return f"{first} {last}" if first and last else None


def _flags(rows: Sequence[dict[str, str]], column: str) -> bool:
    """Most of the column's filled cells are flags ("Y", "No", "TRUE"), no names."""
    cells = [cell.casefold() for row in rows if (cell := (row.get(column) or "").strip())]
    return sum(cell in _FLAGS for cell in cells) * 2 > len(cells)


def _coded(rows: Sequence[dict[str, str]], column: str) -> bool:
    """Most of the column's filled cells have a digit in them: codes, not the places its header's words say."""
    cells = [cell for row in rows if (cell := (row.get(column) or "").strip())]
    return sum(any(ch.isdigit() for ch in cell) for cell in cells) * 2 > len(cells)


# A plat's section as a column gives it: "3", "03", "2A", "IV", "B", "1-5", "SEC 4", "Phase II", "Filing No. 4", an
# engineering list's "F7" or "FIL 2".
_PLAT_SECTION = re.compile(
    r"(?:(?:sec|section|ph|phase|filing|fil|flg|f|unit|village|no|number)\.?\s*|#\s*)*"
    r"(?:\d{1,3}[a-z]?|[ivx]+|[a-z])(?:\s*(?:-|&|,|/|and|thru|to)\s*(?:\d{1,3}[a-z]?|[ivx]+|[a-z]))*",
    re.IGNORECASE,
)


def _plat_sections(rows: Sequence[dict[str, str]], column: str) -> bool:
    """Most of the column's filled cells are a plat's sections (``_PLAT_SECTION``), not a filing's codes."""
    cells = [cell for row in rows if (cell := (row.get(column) or "").strip())]
    return sum(bool(_PLAT_SECTION.fullmatch(cell)) for cell in cells) * 2 >= len(cells)


# The words of a job's or a case's progress: a building permit's "FINALED", "IN REVIEW", "CO ISSUED"; a complaint's
# "Mediation", "Closed - Resolved", "Referred to BBB". A column saying them is the document's, not whether the
# business is in force: its "EXPIRED" permit or "Closed" complaint is one of many of a business still trading.
_PROGRESS = re.compile(
    r"\b(?:final(?:ed|ized)?|in review|under review|plan review|plan check|inspections?|co issued|"
    r"certificate of occupancy|resolved|unresolved|mediation|referred|no response|in progress|under investigation|"
    r"applied|submitted|awaiting)\b",
    re.IGNORECASE,
)


def _says_progress(rows: Sequence[dict[str, str]], column: str) -> bool:
    """At least one in ten of the column's filled cells says a job's or a case's progress (``_PROGRESS``)."""
    cells = [cell for row in rows if (cell := (row.get(column) or "").strip())]
    return sum(bool(_PROGRESS.search(cell.replace("_", " "))) for cell in cells) * 10 >= len(cells) > 0


def _mailing_columns(headers: Sequence[str]) -> frozenset[str]:
    """The file's columns of a mailing place ("Mailing City", "MAIL_ZIP")."""
    return frozenset(h for h in headers if h and set(_WORD.findall(_key(h))) & MAILING_WORDS)


def _fallbacks(
    headers: Sequence[str],
    entity: str,
    mapping: dict[str, str],
    named_columns: dict[str, list[str]],
    owners: AbstractSet[str] = frozenset(),
    rows: Sequence[dict[str, str]] = (),
) -> dict[str, list[str]]:
    """For each field, the columns read in order where a row's cell in its own is blank: another column of the same
    header in another case or spacing ("City" beside "city"), the other columns ``--column`` names for it, then the
    field's other usual headers the file has after its own ("Zip" before "SalesOffice_ZIP" and "addr:postcode"), or
    all of them after a column ``--column`` named: exports stacked in one file, each filling its own columns. For
    the name, the other columns that name the record (``_name_fallbacks``). Not an id (two columns number rows
    alike), nor a mailing address (an owner's, a licensee's)."""
    found = {}
    taken = set(mapping.values()) | set(owners)  # a home's owner's place (``owners_place_columns``)
    by_key: dict[str, list[str]] = defaultdict(list)  # "Phone" and "phone", two exports' columns of one header
    fields = [field for field in ALIASES if _reads(field, entity)]
    for header in headers:
        if header:
            by_key[_slashed_key(header, entity, fields) or _key(header)].append(header)
    # An owner's mailing address is not a home's, and a licensee's (a post office box, another company's office)
    # linked a builder's sister brands at their shared office: a record's own address only.
    skipped = MAILING_ALIASES
    for field, column in mapping.items():
        if field == "id":
            continue
        others = [h for h in by_key[_key(column)] if h != column]
        others += [h for h in named_columns.get(field, ()) if h in headers and h != column and h not in others]
        aliases = _aliases(field, entity)
        if field == "name":
            named = "name" in named_columns
            others += [h for h in _name_fallbacks(headers, entity, mapping, named, rows) if h not in others]
            aliases = ()
        elif column in named_columns.get(field, ()):
            pass  # named with --column: every usual header after it
        elif _key(column) in aliases:
            aliases = aliases[aliases.index(_key(column)) + 1 :]
        else:
            aliases = ()  # read by its words: the file's only such column
        others += [
            header
            for a in aliases
            if a not in skipped
            for header in by_key.get(a, ())
            if header not in taken and header not in others and header != column
        ]
        if field in (*PLACE_FIELDS, "phone"):
            # A stacked file's other sources' place and phone columns by their words ("Office City" beside "City",
            # a grantee list's "Center Phone" beside a directory's "Phone").
            others += [h for h in headers if h and h not in taken and h not in others and h != column
                       and _fits_words(field, h, entity)]  # fmt: skip
        if entity == EntityType.builder and field in PLACE_FIELDS and field != "address":
            # A business's mailing town where its row gives none of its own: a licence list's registrant known only
            # by a post office box is in that box's town. Never its mailing street, the box or another's office.
            names = HEADER_WORDS[field][0]
            others += [h for h in headers if h and h not in taken and h not in others and h != column
                       and (words := set(_WORD.findall(_key(h)))) & names and words & MAILING_WORDS]  # fmt: skip
        named_here = named_columns.get(field, ())
        if field in (*PLACE_FIELDS, "phone") and (column in named_here or _fits_words(field, column, entity)):
            # Each stacked source fills its own column: one a row fills beside the field's own column (named with
            # --column, or read by its words) is another place's, a management company's office beside the
            # community's own place, unless named too; a business's mailing town is read where its row gives no
            # place of its own (below). Not beside a column a row may fill with no such value (a register's
            # "Location" giving a point).
            others = [
                h
                for h in others
                if h in named_here or set(_WORD.findall(_key(h))) & MAILING_WORDS or _filled_apart(rows, column, h)
            ]
        if others:
            found[field] = others
    return found


# Whose place a header names in a file of one entity type when it is not the record's: a listing's brokerage's office
# ("ListOfficeCity") or a home's builder's; a community's builder's or its manager's; a builder's job sites.
OTHERS_PLACES: dict[str, frozenset[str]] = {
    "property": frozenset({"office", "broker", "brokerage", "buyer", "builder", "company", "school", "association",
                           "management", "manager", "contact", "lender", "applicant", "contractor", "permittee"}),
    # A community's owner's ("CO_TEL", "CO_ZIP": its company's), and an association registry's contact's or
    # manager's ("Contact Address", "Manager Phone"): its management company's office, which many communities share.
    "community": frozenset({"builder", "corporate", "management", "manager", "contact", "company", "co", "developer",
                            "owner", "sponsor"}),
    # A food truck's commissary, where it is kept and many trucks are: not where it trades. A parade of homes'
    # "Model Address": the builder's model home in a community, no office of the builder.
    "builder": frozenset({"community", "subdivision", "project", "job", "lot", "commissary", "model"}),
}  # fmt: skip


# Whose name a header names in a file of one entity type when it is not the record's: a listing's or a community's
# schools ("Elementary School Name"). A business's list names a school as the business itself ("School Name").
SCHOOL_WORDS = frozenset({"school", "elementary", "middle", "high"})
# A home's list names its builder, its permit's applicant and contractor, a utility's or a deed's parties (the
# account's customer, the buyer), none of them the home.
# A listing's brokerage ("ListOfficeName") names a home's or a community's agent; a register's "Office Name" names
# a business, its office.
AGENTS_WORDS = frozenset({"office", "broker", "brokerage"})
OTHERS_NAMES: dict[str, frozenset[str]] = {
    "property": SCHOOL_WORDS
    | AGENTS_WORDS
    | {
        "contractor",
        "applicant",
        "permittee",
        "builder",
        "company",
        "business",
        "customer",
        "cust",  # a field app's "Cust Name"
        "account",
        "buyer",
        "seller",
        "purchaser",
        "grantee",
        "grantor",
        "tenant",
        "occupant",
        # an insurer's policyholder, a warranty desk's homeowner, a lender's borrower: the home's people
        "insured",
        "policyholder",
        "homeowner",
        "owner",
        "borrower",
        "client",
    },
    "community": SCHOOL_WORDS | AGENTS_WORDS,
    # A building directory's "Building Name" beside its "Tenant Name": the tower a business is in; a food truck's
    # permit's "COMMISSARY_NAME", where many trucks are kept.
    "builder": frozenset({"building", "tower", "commissary"}),
}


# Whom a builder builds for, as a lender's or a warranty desk's file names them beside the builder: "Borrower Name".
BUILDERS_CUSTOMERS = frozenset({"borrower", "borrowers", "homeowner", "homeowners", "buyer", "buyers", "purchaser"})


# A business's name as a roster or a CRM heads it without the word name: the header ends with the kind of thing the
# row is ("Member Company", "Account Business"), and no other company's ("Parent Company", "Management Company").
BUSINESS_HEADER_ENDS = frozenset({"company", "business", "organization", "organisation", "firm"})
OTHER_COMPANIES = frozenset({"parent", "holding", "management", "insurance", "mortgage", "title", "lender"})


# A register's own number of each row ("Instrument Number", "School Number", "Premises Permit No."), read as the id
# where it is the file's only such header or the only one naming every row once; not a number of the place, a line
# or a count ("House Number", "Phone Number", "Number of Units").
NOT_A_ROWS_NUMBER = frozenset({
    "phone", "tel", "telephone", "fax", "cell", "mobile", "ext", "extension", "house", "street", "unit", "units",
    "suite", "apt", "lot", "block", "building", "bldg", "zip", "postal", "route", "box", "section", "phase", "of",
    "parcel", "tax", "ein", "license", "licence",
})  # fmt: skip
# A chain's store number is a row's id only where it names every row once and no other number of the row's own is
# given: a fuel licence list's "Store Number" beside its "License No." repeats where a store holds two licences.
CHAIN_NUMBER_WORDS = frozenset({"store"})


_CITY_STATE_ZIP = frozenset({"city_state_zip", "city_st_zip"})


def _fits_words(field: str, header: str, entity: str) -> bool:
    """The header has one of the field's words and none that make it something else (``HEADER_WORDS``); not another
    record's place or name (``OTHERS_PLACES``, ``OTHERS_NAMES``), and for a builder not a home's own
    (``HOMES_ONLY_ALIASES``). A builder's name may be headed as the business itself (``BUSINESS_HEADER_ENDS``)."""
    names, excluded = HEADER_WORDS[field]
    found = _WORD.findall(_key(header))
    if field in PLACE_FIELDS or field == "phone":
        # A parade list's "Builder Phone" is the builder's office, an association's "Management Company Phone" its
        # manager's, whom many communities share: neither is the community's line. A "Sales Contact Phone" is its
        # sales office's.
        excluded |= OTHERS_PLACES.get(entity, frozenset()) - ({"contact"} if "sales" in found else set())
    if field == "name":
        excluded |= OTHERS_NAMES.get(entity, frozenset())
    words = set(found)
    if field == "city" and "_".join(found[-3:]) in _CITY_STATE_ZIP:
        # One cell of the town, its state and ZIP, headed by whose place it is: a licence list's "BUSINESS CITY, STATE
        # ZIP", read as the field's usual "City, State Zip" is.
        words -= {"state", "st", "zip"}
    if field == "id" and found[-1:] == ["number"] and not words & names:
        return not words & NOT_A_ROWS_NUMBER
    business = (
        field == "name"
        and entity == EntityType.builder
        and bool(found)
        and found[-1] in BUSINESS_HEADER_ENDS
        and not words & OTHER_COMPANIES
        # "Years in Business", "Type of Business", "Line of Business": a fact of the business, not its name.
        and not (len(found) > 1 and found[-2] in ("in", "of"))
    )
    return (
        (bool(words & names) or business)
        and not words & excluded
        and not (entity == EntityType.builder and _key(header) in HOMES_ONLY_ALIASES)
    )


def _filled_apart(rows: Sequence[dict[str, str]], column: str, other: str) -> bool:
    """No row fills both columns: two stacked sources' columns of one field, not two places a row gives."""
    return not any(_filled(row, column) and _filled(row, other) for row in rows)


def _stacked_column(headers: Sequence[str], rows: Sequence[dict[str, str]]) -> str | None:
    """Of several columns of one field, each another source's in a stacked file ("Member Name" of a roster's rows,
    "Office Name" of a register's), the one most rows fill, the others read where it is blank; None where a row fills
    two (which is the record's would be a guess). Before the rows are read, the first."""
    if not rows:
        return headers[0]
    filled = {h: 0 for h in headers}
    for row in rows:
        given = [h for h in headers if _filled(row, h)]
        if len(given) > 1:
            return None
        for h in given:
            filled[h] += 1
    return max(headers, key=lambda h: filled[h])


# Name headers of a business's own list only: an owner's name is a permittee's or a taxpayer's, the business itself.
BUSINESS_ONLY_NAMES = frozenset({"owner_name"})
# A place's own name, as a licence board, an inspection list or a booking export heads it, and its operator's.
PLACE_NAME_ALIASES = frozenset({"site_name", "practice_name", "property_name", "hotel_name", "store_name",
                                "station_name", "restaurant_name", "facility_name", "place_name", "establishment_name",
                                "provider_name"})  # fmt: skip
# A permit's or a roll's owner is its permittee or taxpayer, the business itself where it trades under no other name
# (a federal alcohol permit's blank "OPERATING_NAME" beside its "OWNER_NAME" LLC).
OPERATOR_NAME_ALIASES = frozenset({"legal_name", "legal_entity_name", "licensee_name", "licensee", "permit_holder",
                                   "permittee", "license_holder", "licence_holder", "owner_name", "contractor_name",
                                   "contractor", "franchisee", "franchisee_name", "franchise_owner", "operator",
                                   "operator_name"})  # fmt: skip


# Words of a name that make it a company's, not a person's: its legal form.
COMPANY_WORDS = frozenset({"llc", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "lp",
                           "llp", "pllc", "pc", "group", "holdings", "enterprises", "partners", "trust"})  # fmt: skip


def _chains_operators(
    rows: Sequence[dict[str, str]], entity: str, mapping: dict[str, str], name_columns: Sequence[str]
) -> frozenset[str]:
    """The operators' names (in capitals) a file whose name is a trade name ("DBA Name") gives in an operator's column
    ("Licensee Name") at three street addresses or more: a chain's operating company, a vet board's "MEDICAL
    MANAGEMENT INTERNATIONAL INC" beside many Banfield hospitals' blank DBA, the name of no one place. A licensee at one
    address trades under its own name where its DBA is blank."""
    address = mapping.get("address")
    if entity != EntityType.builder or address is None or _key(mapping.get("name", "")) not in TRADE_NAME_ALIASES:
        return frozenset()
    operators = [c for c in name_columns[1:] if _key(c) in OPERATOR_NAME_ALIASES]
    sites: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for column in operators:
            if cell := (row.get(column) or "").strip():
                sites[cell.upper()].add((row.get(address) or "").strip().upper())
    return frozenset(name for name, at in sites.items() if len(at - {""}) >= 3)


def operator_named(name_column: str, filled: Sequence[tuple[str, str]]) -> bool:
    """The row's first filled name column (``filled``: column and cell) is an operator's where the place's own name
    column is blank; and an owner's that names a person, not a company, wherever it stands in for the name (a food
    truck's permit's "TORRES, ROSA" beside its blank business name)."""
    if not filled or filled[0][0] == name_column:
        return False
    column, cell = filled[0]
    if _key(column) == "owner_name" and not set(_WORD.findall(cell.lower())) & COMPANY_WORDS:
        return True
    if _key(column) in OPERATOR_NAME_ALIASES and surname_first(cell):
        # A licensee written as a person is ("FOSTER, ERIC A" beside a blank "Business Name"): a sole proprietor,
        # whose listing names the business, "Affordable Plumbing & Repair".
        return True
    return _key(name_column) in PLACE_NAME_ALIASES and _key(column) in OPERATOR_NAME_ALIASES


def _name_fallbacks(
    headers: Sequence[str], entity: str, mapping: dict[str, str], named: bool, rows: Sequence[dict[str, str]] = ()
) -> list[str]:
    """The file's other columns that name the record, in the aliases' order after the one the name is read from:
    for a builder every business-name header ("Business Name" after "DBA Name"), for a community or a home its
    own ("Subdivision" after "Community Name"; a community list's "Company" is its builder's); all of them after a
    column named with ``--column``, as for every field, or read by its words."""
    by_key: dict[str, list[str]] = defaultdict(list)  # "Facility Name" and "facility_name", two sources' columns
    for header in headers:
        if header:
            by_key[_key(header)].append(header)
    aliases = _aliases("name", entity) if entity == EntityType.builder else ("name", *ENTITY_NAME_ALIASES[entity])
    chosen = _key(mapping.get("name", ""))
    taken = set(mapping.values())
    # Read by its words, the name's column is a stacked file's one source's (``_stacked_column``) or the only one.
    after = aliases if named or chosen not in aliases else aliases[aliases.index(chosen) + 1 :]
    found = [h for a in after if a not in MASTER_PLAN_ALIASES for h in by_key.get(a, ()) if h not in taken]
    # A stacked file's other sources' name columns by their words ("Member Name" beside "Business Name"), never
    # another entity type's ("Builder Name" in a community list) nor a master plan's.
    others = {_key(a) for other, aliases in ENTITY_NAME_ALIASES.items() if other != entity for a in aliases}
    found += [
        h
        for h in headers
        if h
        and h not in taken
        and h not in found
        and _key(h) not in others.union(MASTER_PLAN_ALIASES)
        and _fits_words("name", h, entity)
        and not set(_WORD.findall(_key(h))) & BRANCH_WORDS  # a branch's part of town names no business
        # Beside the builder's own name column, a loan's borrower or a home's buyer is the builder's customer.
        and not (entity == EntityType.builder and set(_WORD.findall(_key(h))) & BUILDERS_CUSTOMERS)
    ]
    if entity != EntityType.property and (title := _place_title(headers, rows)) and title not in taken:
        found.append(title)
    # A column of codes is no name, whatever its header: a register's "ORGANIZATION" gives its kind, 1 to 5.
    return [h for h in found if not _numbers_only(rows, h)]


def _counts(rows: Sequence[dict[str, str]], header: str) -> bool:
    """Every cell of the column that names a builder, where one is named yet, is a number."""
    cells = [
        cell
        for row in rows
        if (cell := (row.get(header) or "").strip().lower().strip(".")) and cell not in NO_BUILDER_YET
    ]
    return bool(cells) and all(cell.isdigit() for cell in cells)


def _numbers_only(rows: Sequence[dict[str, str]], header: str) -> bool:
    cells = [cell for row in rows if (cell := (row.get(header) or "").strip())]
    return bool(cells) and all(cell.replace(".", "").replace("-", "").isdigit() for cell in cells)


# The words of a header naming a person, whose "Title" is a job's.
PERSON_WORDS = frozenset({"contact", "first", "last", "person", "director", "manager", "agent", "principal", "officer",
                          "employee", "representative", "owner"})  # fmt: skip


PAGE_TITLE_ALIASES = ("title", "page_title", "html_title", "site_title")


# Every header read as it is written, and the words of all of them: a header of words run together is read apart
# into these (``_glued_words``), with a register's words of whose place a column gives ("principal", "entity").
_HEADERS_READ = frozenset(
    {*(a for field in (*ALIASES.values(), *ENTITY_NAME_ALIASES.values(), *APPLICANT_ALIASES.values()) for a in field),
     *HOME_SITE_ALIASES, *LISTED_IDS, *TRADE_NAME_ALIASES, *CLOSED_FLAGS, *CLOSED_DATES, *PLACE_NAME_ALIASES,
     *OPERATOR_NAME_ALIASES, *PAGE_TITLE_ALIASES}
)  # fmt: skip
_HEADER_VOCABULARY = frozenset(
    word
    for word in (
        *(w for header in _HEADERS_READ for w in header.split("_")),
        *(w for words, others in HEADER_WORDS.values() for w in words | others),
        *MAILING_WORDS, *AGENTS_WORDS_OF_PLACE, *JOB_WORDS, *PERSON_WORDS, *LAND_WORDS, *BILLING_WORDS,
        "principal", "entity", "organization", "country",
    )
    if len(word) > 1 and word.isalpha()
)  # fmt: skip
_LONGEST_HEADER_WORD = max(map(len, _HEADER_VOCABULARY))


def _place_title(headers: Sequence[str], rows: Sequence[dict[str, str]] = ()) -> str | None:
    """A map export's "title", or a crawler's "page_title", the place's name, read as a builder's or a community's
    where the file names no person: beside a contact's name it is the contact's job, unless no row fills both (a map
    export stacked with a roster, each source filling its own columns)."""
    by_key = {_key(h): h for h in headers if h}
    title = next((by_key[key] for key in PAGE_TITLE_ALIASES if key in by_key), None)
    if title is None:
        return None
    people = [h for key, h in by_key.items() if set(_WORD.findall(key)) & PERSON_WORDS]
    if not people:
        return title
    beside_a_person = any(_filled(row, title) and any(_filled(row, h) for h in people) for row in rows)
    return title if rows and not beside_a_person else None


def _filled(row: dict[str, str], header: str) -> bool:
    return bool((row.get(header) or "").strip())


# Lines above the header looked through for it: a report's title, its date, a spreadsheet's "sep=;" line.
_HEADER_SEARCH_LINES = 10


def _cells(line: str, delimiter: str) -> list[str]:
    """One line's cells; none when the csv module cannot read it alone (a carriage return inside it, a quote
    that closes on a later line): such a line is no header."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _filled_cells(line: str, delimiter: str) -> int:
    return sum(1 for cell in _cells(line, delimiter) if cell.strip())


def _header_start(path: Path, text: str, entity: str, columns: dict[str, list[str]]) -> tuple[int, str]:
    """The lines above the header, if any, and the text from the header on.

    The header is the first line unless that line names no column the entity needs and a line below it, among
    the first few, does, every line above that one having fewer filled cells than it has: a title ("Builders,
    December 2026"), a date, a blank line or a spreadsheet's "sep=;" line above a header. A data row is never
    taken for the header: the real header above it has as many cells as it."""
    lines = [line.rstrip("\r\n") for line in itertools.islice(io.StringIO(text, newline="\n"), _HEADER_SEARCH_LINES)]
    for above, line in enumerate(lines):
        delimiter = delimiter_of(line)
        headers = _cells(line, delimiter)
        try:
            _column_map(path, headers, entity, columns)
        except CsvInputError:
            continue
        if above == 0:
            return 0, text
        cells = _filled_cells(line, delimiter)
        if all(_filled_cells(earlier, delimiter) < cells for earlier in lines[:above]):
            return above, text.split("\n", above)[above]
        break
    return 0, text  # the first line is the header: its error names its columns


def _rows(path: Path, reader: csv.DictReader[str], above: int) -> Iterator[tuple[int, dict[str, str]]]:
    """The reader's rows, each with the line it begins on (a blank line before it counted as its first); a row
    the csv module cannot read is named by that line."""
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            hint = ": is a quote left open?" if "field limit" in str(exc) else ""
            raise CsvInputError(f"{path}: line {above + line}: {exc}{hint}") from None
        yield line, row


def _quote_left_open(text: str, row_line: int, dialect: type[csv.Dialect], delimiter: str) -> bool:
    """Whether the file's last row, read from the line it begins on, ends inside a quoted value: a quote opened
    and never closed takes every line after it as one value, and those rows would be lost unseen."""
    tail = "".join(itertools.islice(io.StringIO(text, newline=""), row_line - 1, None))
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), dialect=dialect, delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _blank(row: dict[Any, Any]) -> bool:
    """Every cell of the row blank (cells past the header's, under None, are a list)."""
    return not any(
        cell.strip() if isinstance(cell, str) else any(c.strip() for c in cell or ()) for cell in row.values()
    )


def _refuse_repeated_headers(path: Path, headers: Sequence[str]) -> None:
    """A header written twice names two columns by one name: which one a field is read from is a guess, and the
    output, which writes each row's own columns back, would hold one column's cells twice and lose the other's."""
    positions: dict[str, list[int]] = {}
    for number, header in enumerate(headers, start=1):
        if header.strip():  # blank headers (a spreadsheet's trailing separators) name nothing read
            positions.setdefault(header, []).append(number)
    repeated = [f"{header!r} (columns {', '.join(map(str, at))})" for header, at in positions.items() if len(at) > 1]
    if repeated:
        raise CsvInputError(f"{path}: a header is written more than once: {'; '.join(repeated)}; rename one of each")


def _unique_ids(rows: Sequence[dict[str, str]], *columns: str) -> bool:
    """Every row has an id, and no two the same: its first of ``columns`` it fills. A row of blank cells (a
    spreadsheet's trailing ",,,") is none of them: it is written back as it came."""
    ids = [next((cell for c in columns if (cell := (row.get(c) or "").strip())), "") for row in rows if not _blank(row)]
    return all(ids) and len(set(ids)) == len(ids)


def _header_named(named: str, headers: Sequence[str]) -> str | None:
    """The file's header ``--column`` names: as written, or with the spaces an export left around it
    (" RegAddress.AddressLine2", as a companies register writes it)."""
    if named in headers:
        return named
    return next((header for header in headers if header and header.strip() == named.strip()), None)


def read_inputs(
    path: Path, against: Path | None, entity: str, column_specs: Sequence[str] | None
) -> tuple[InputFile, InputFile | None]:
    """The file, and the file it is linked against if any, read with the ``--column`` options; the columns each
    was read from are printed on stderr. A header named by ``--column`` that no file has is an error (a typo
    would otherwise go unseen)."""
    columns = parse_columns(column_specs)
    for field in columns:
        if not _reads(field, entity):
            readers, why = ENTITY_FIELDS[field]
            raise CsvInputError(f"--column {field}: read for a {' or '.join(readers)} only, not a {entity} ({why})")
    partner = read_file(path, entity, columns)
    other = read_file(against, entity, columns) if against is not None else None
    files = [f for f in (partner, other) if f is not None]
    if entity == EntityType.community:
        cells = {cell for f in files for r in f.records if (cell := r.extra.get("builder_cell"))}
        # Each builder by its core's words, the longer name of two with one core ("Perry Homes" before "Perry").
        builders = {
            words: builder
            for builder in sorted({b for cell in cells for b in builders_in(cell)}, key=len)
            if (words := frozenset(normalize_name(builder).core.split()))
        }
        for f in files:
            f.records[:] = [named_for_a_builder(record, builders) for record in f.records]
    found = [header for f in files for header in f.headers]
    missing = [
        f"{field}={header!r}"
        for field, headers in columns.items()
        for header in headers
        if _header_named(header, found) is None
    ]
    if missing:
        raise CsvInputError(f"--column {', '.join(missing)}: no input file has such a column")
    for f in files:
        print(f.describe(), file=sys.stderr)
    return partner, other


def named_for_a_builder(record: MatchRecord, builders: Mapping[frozenset[str], str]) -> MatchRecord:
    """A community whose row names no builder, named for one the files' builder columns name (``builders``: each by
    its core's words): a maps place's "Pulte at Pecan Ridge" or "Sunterra - LENNAR" is Pulte's or Lennar's offering at
    the community, not a part of it named after it; its name is the community's and its builder the one named, by
    its whole name (``normalize.builder_parts``)."""
    if record.extra.get("builder") is not None or not builders:
        return record
    for part, rest, _whole in builder_parts(record.name):
        if (builder := builders.get(frozenset(normalize_name(part).core.split()))) is not None:
            return dataclasses.replace(
                record,
                name_norm=normalize_name(rest, EntityType.community),
                extra={**record.extra, "builder": normalize_name(builder, EntityType.builder), "builder_cell": builder},
            )
    return record


def _repeated_id(records: list[MatchRecord]) -> Any:
    """The first id two records share, None where each is its own."""
    seen: set[Any] = set()
    for record in records:
        if record.id in seen:
            return record.id
        seen.add(record.id)
    return None


def _refuse_repeated_ids(path: Path, records: list[MatchRecord], role: str) -> None:
    """An id two records share names neither: an output row names its partner by id."""
    if (repeated := _repeated_id(records)) is not None:
        raise CsvInputError(f"{path}: id {repeated!r} appears twice; {role} needs unique ids")


def same_file(path: Path, records: list[MatchRecord]) -> list[MatchRecord]:
    """The file's records as the reference of its own deduplication: a row is never its own partner."""
    _refuse_repeated_ids(path, records, "a file deduplicated")
    for record in records:
        record.extra["same_table"] = True
    return records


def read_parameters(path: Path, entity: str) -> LinkageModel:
    """A model written by ``match-train --out``, checked to be of the entity type."""
    if not path.is_file():
        raise CsvInputError(f"--parameters {path}: file not found; write one with match-train --out")
    try:
        model = LinkageModel.from_json(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CsvInputError(f"{path}: not linkage parameters ({exc})") from exc
    if model.entity_type != entity:
        raise CsvInputError(f"{path}: parameters of a {model.entity_type}, not of a {entity}")
    return model


def records_from_db(entity: str) -> list[MatchRecord]:
    """Every record of the entity type in the database, prepared for matching."""
    from app.core.db import session_scope
    from app.matching.repository import load_all

    with session_scope() as session:
        return load_all(session, entity)


@dataclass(frozen=True, slots=True)
class Link:
    left: int  # position in the left records
    right: MatchRecord
    score: MatchScore


def _chunks(records: Sequence[MatchRecord], size: int) -> Iterator[Sequence[MatchRecord]]:
    for start in range(0, len(records), size):
        yield records[start : start + size]


def candidate_links(
    left: Sequence[MatchRecord],
    right: Sequence[MatchRecord],
    *,
    link_threshold: float,
    min_confidence: float,
    progress: bool | None = None,
    index: CandidateIndex | None = None,
) -> list[list[Link]]:
    """For each left record, its blocked candidates at or above min_confidence, best first. ``index``: the right
    records' index, when it is built already."""
    index = index or CandidateIndex(right, frequencies=TermFrequencies.of(right, queries=left))
    show = len(left) >= PROGRESS_MIN_ROWS if progress is None else progress
    result: list[list[Link]] = []
    with tqdm(total=len(left), unit="row", disable=not show, file=sys.stderr, desc="matching") as bar:
        for chunk in _chunks(left, CHUNK):
            for candidates in index.match_many(
                chunk,
                link_threshold=link_threshold,
                min_confidence=min_confidence,
                review_threshold=get_settings().match_low_threshold,
            ):
                position = len(result)
                result.append([Link(position, c.record, c.score) for c in candidates])
            bar.update(len(chunk))
    return result


def links_within(
    records: Sequence[MatchRecord],
    *,
    link_threshold: float,
    min_confidence: float,
    progress: bool | None = None,
    index: CandidateIndex | None = None,
) -> list[list[Link]]:
    """For each record of one file, the file's other records it may be, best first: ``candidate_links`` of the
    file against itself, with each pair scored once and given to both its records (the scorer is symmetric).
    ``index``: the file's own index (``within_index``), when it is built already.

    A pair is compared when either record's blocks hold the other, as when each row was looked up in turn.
    """
    index = index or within_index(records)
    later: list[set[int]] = [set() for _ in records]
    for start, chunk in zip(range(0, len(records), CHUNK), _chunks(records, CHUNK), strict=True):
        for offset, ids in enumerate(index.candidate_ids(chunk)):
            for other in ids:
                first, second = sorted((start + offset, other))
                if first != second:
                    later[first].add(second)
    found: list[list[Link]] = [[] for _ in records]
    show = len(records) >= PROGRESS_MIN_ROWS if progress is None else progress
    with tqdm(total=len(records), unit="row", disable=not show, file=sys.stderr, desc="matching") as bar:
        for position, others in enumerate(later):
            bar.update(1)
            if not others:
                continue
            # Each pair once, from its earlier record; both records' lists stay in row order before sorting.
            scored = score_many(
                records[position], index.columns, np.array(sorted(others), dtype=np.intp),
                link_threshold=link_threshold, min_confidence=min_confidence,
            )  # fmt: skip
            for other, score in scored:
                found[position].append(Link(position, records[other], score))
                found[other].append(Link(other, records[position], score))
    review_floor = get_settings().match_low_threshold
    for position, links in enumerate(found):
        links.sort(
            key=lambda link: candidate_rank(records[position], link.right, link.score, link_threshold, review_floor),
            reverse=True,
        )
    return found


def within_index(records: Sequence[MatchRecord]) -> CandidateIndex:
    """A file's index of its own records, each row's own values counted out of the frequencies."""
    return CandidateIndex(records, frequencies=TermFrequencies.of(records, counts_queries=True))


# Between links of one match weight, the names more alike as written are preferred: a hotel's "Cafe" and
# "Dining Room" at its address and phone both contain the hotel's name; and the ZIP and town written alike
# (``comparisons.place_as_written``): a home's twin in its own town before its namesake in the next. A weight is a
# sum of values rounded to thousandths of a bit, so these never outweigh a real difference (together under 1e-3).
NAME_TIEBREAK = 5e-5
PLACE_TIEBREAK = 5e-5
# Before them both, the house number, street and unit written alike, then the house number and street, its type too,
# and that before a street one side gives no type (``comparisons.street_as_written``, 3, 2 or 1).
STREET_TIEBREAK = 6e-5
# Before them, the lot both homes' lists give (``comparisons.lot_as_written``): the parcel a feed's lot names before
# an association's reserve at the situs of the lot beside it.
LOT_TIEBREAK = 2e-4
# Before all of them, a home's current listing before its expired or withdrawn one (a relisting's new listing number,
# written more loosely, say without its ZIP, is still the listing that carries the sale).
CURRENT_TIEBREAK = 4e-4


# What a link at the high threshold weighs beyond its match weight in the assignment: more than any weight a pair
# not linked there can have, so the assignment first links what it can at the threshold, then orders the rest.
LINKED_FIRST = 1000.0


# What a pair written for review weighs beyond its match weight for each degree its records fit
# (``scorer.records_fit``): more than any weight, so a row's record whose builder agrees is assigned before one whose
# builder is not given, and that before one whose builder or kind the records say is another.
RECORDS_FIT = 100.0


def assignment_weight(score: MatchScore, link_threshold: float, *, in_force: bool = True, fit: int = 1) -> float:
    """A pair's match weight as the assignment weighs it: a pair linked at the high threshold before any pair that
    is not (held back from a match, or below it), which are ordered among themselves by their match weights. A pair
    of which one side's licence lapsed or listing closed (``in_force`` false) counts as one not linked: the one in
    force at its site takes the partner first (a change of owner's old and new licences, alike in every field).
    "12305 Sunny Meadow Ln" against "12305 Sunny Meadow Ct" weighs as much on the street address as each against its
    own twin, so the two rows could be given each other's twins; held at review for the street types, the pair
    counts after the pairs that agree. Two homes without an address, each held for review, go to their nearest
    candidates, not to any candidate a held pair might reach (a cap on held pairs' weights made them all alike).
    Below the threshold, a pair written for review counts before one not by how its records fit (``RECORDS_FIT``
    for each degree of ``fit``, ``scorer.records_fit``)."""
    if in_force and score.confidence >= link_threshold:
        return score.weight + LINKED_FIRST
    reviewed = score.confidence >= get_settings().match_low_threshold
    return score.weight + (RECORDS_FIT * fit if reviewed else 0.0)


def assignment_fit(link: Link, row: MatchRecord, link_threshold: float) -> int:
    """How a pair below the link threshold fits (``scorer.records_fit``) as the assignment weighs it: a lapsed
    licence or a closed listing under another name than its partner's (no ``ONE_NAME``) fits least, the business
    before this one at its site (a hotel's old flag, whose line the listing kept, beside the account in force under
    the brand the listing names), after every pair in force, even one whose records fit least (a builder's brokerage
    licence in force, held for its trade, before its lapsed one). Under its partner's very name it is the one named (a
    stale listing)."""
    if not (in_force(row) and in_force(link.right)) and link.score.levels.get("name") not in ONE_NAME:
        return -1  # at the threshold too: a lapsed one's link counts as one not linked (``assignment_weight``)
    return records_fit(row, link.right) if link.score.confidence < link_threshold else 1


def listing_current(a: MatchRecord, b: MatchRecord) -> bool:
    """Neither home's listing ended (an MLS's expired or withdrawn listing, ``records.listing_ended``)."""
    return not (a.extra.get("listing_ended") or b.extra.get("listing_ended"))


def in_force(record: MatchRecord) -> bool:
    """The record stands for its business or home now: no lapsed licence or closed listing (its status), and no
    person's licence under a business's name (a journeyman's or a master plumber's beside the company's own, which
    the business is)."""
    return not (record.extra.get("inactive") or record.extra.get("personal_licence"))


def names_alike(a: MatchRecord, b: MatchRecord) -> float:
    """How alike two records' names are as written, 0..1: each name of either (a licence's licensee beside its
    business name) against the other's name, on average. Of a contractor board's two licences under one business
    name at one address, the company's ("CHAVEZ BROTHERS PLUMBING INC") is the business a directory lists, not its
    master plumber's own ("CHAVEZ, DAVID"), whose name is his even where other rows share it
    (``_without_owners_names``). The two records' own names count first (nine parts in ten): a directory's "Zink
    Funeral Home" is the funeral home's licence, whose licensee is a person, before the crematory's beside it, whose
    licensee, "ZINK FUNERAL HOME INC", bears the directory's name."""

    def keys(record: MatchRecord) -> list[str]:
        named = [name.key for name in record.names]
        return named + [key for key in sorted(record.extra.get("persons_names", ())) if key not in named]

    # The first pair is the two records' own names.
    pairs = [(key, b.name_norm.key) for key in keys(a)] + [(a.name_norm.key, key) for key in keys(b)[1:]]
    ratios = [fuzz.token_sort_ratio(x, y) for x, y in pairs]
    return (9 * ratios[0] / 100 + sum(ratios) / (100 * len(ratios))) / 10


def assign_one_to_one(
    candidates: list[list[Link]], left: Sequence[MatchRecord], link_threshold: float
) -> list[Link | None]:
    """At most one link per record on each side, of the greatest total match weight (ties to the names more
    alike), the links at the high threshold first (``assignment_weight``).

    The candidate pairs form a bipartite graph; each connected group is solved exactly with
    scipy's linear_sum_assignment (groups are small after blocking).
    """
    parent: dict[tuple[str, Any], tuple[str, Any]] = {}

    def find(node: tuple[str, Any]) -> tuple[str, Any]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for links in candidates:
        for link in links:
            parent[find(("l", link.left))] = find(("r", id(link.right)))
    groups: dict[tuple[str, Any], list[Link]] = defaultdict(list)
    for links in candidates:
        for link in links:
            groups[find(("l", link.left))].append(link)
    chosen: list[Link | None] = [None] * len(candidates)
    for links in groups.values():
        lefts = sorted({link.left for link in links})
        rights = list(dict.fromkeys(id(link.right) for link in links))
        row_of = {position: i for i, position in enumerate(lefts)}
        col_of = {key: j for j, key in enumerate(rights)}
        # Every kept pair's benefit is positive (weight above the group's lowest), absent pairs are 0.
        # A home's ended listing (expired, withdrawn) linked at the high threshold counts as one not linked too: its
        # relisting, written more loosely (no ZIP, and so held for review), still takes the home.
        weights = {
            id(link): assignment_weight(
                link.score,
                link_threshold,
                in_force=in_force(left[link.left])
                and in_force(link.right)
                and listing_current(left[link.left], link.right),
                fit=assignment_fit(link, left[link.left], link_threshold),
            )
            for link in links
        }
        floor = min(weights.values()) - 1.0
        benefit = np.zeros((len(lefts), len(rights)))
        by_cell = {}
        for link in links:
            cell = (row_of[link.left], col_of[id(link.right)])
            alike = names_alike(left[link.left], link.right)
            placed = place_as_written(left[link.left], link.right)
            street = street_as_written(left[link.left], link.right)
            lot = lot_as_written(left[link.left], link.right)
            current = listing_current(left[link.left], link.right)
            benefit[cell] = (
                weights[id(link)]
                - floor
                + NAME_TIEBREAK * alike
                + STREET_TIEBREAK * street
                + LOT_TIEBREAK * lot
                + PLACE_TIEBREAK * placed
                + CURRENT_TIEBREAK * current
            )
            by_cell[cell] = link
        for row, col in zip(*linear_sum_assignment(benefit, maximize=True), strict=True):
            assigned = by_cell.get((int(row), int(col)))
            if assigned is not None:
                chosen[assigned.left] = assigned
    return chosen


def clusters(
    ids: Sequence[Any], links: Iterable[tuple[Any, Any]], apart: Callable[[Any, Any], bool] | None = None
) -> dict[Any, Any]:
    """Each id's cluster: the connected components of the links (union-find), taken in their order, named by the
    first member's id; a link that would put two ids ``apart`` says are two records in one cluster is left out.

    A listing linked to two others that do not score high together (a third address form) is still one
    entity with them; a map's "Rivergate Commons Manors", linked to two builders' sections of that name, does not
    make them one. A cluster's id is the id of its first row in ``ids``, so a run gives the same ids.
    """
    order = {record_id: position for position, record_id in enumerate(ids)}
    parent = list(range(len(ids)))
    members: dict[int, list[Any]] = {}

    def root(position: int) -> int:
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    for a, b in links:
        ra, rb = root(order[a]), root(order[b])
        if ra == rb:
            continue
        group_a, group_b = members.get(ra, [ids[ra]]), members.get(rb, [ids[rb]])
        if apart is not None and any(apart(x, y) for x in group_a for y in group_b):
            continue
        # The earlier row stays the root, so the root is the cluster's first row.
        first, second = min(ra, rb), max(ra, rb)
        parent[second] = first
        members[first] = group_a + group_b
        members.pop(second, None)
    return {record_id: ids[root(position)] for record_id, position in order.items()}


def decision(confidence: float | None, settings: Settings) -> str:
    """``match`` at the high threshold, ``review`` at the low one, else ``new``."""
    if confidence is not None and confidence >= settings.match_high_threshold:
        return "match"
    if confidence is not None and confidence >= settings.match_low_threshold:
        return "review"
    return "new"


def link_rows(
    left: Sequence[MatchRecord],
    right: Sequence[MatchRecord],
    *,
    link_threshold: float,
    min_confidence: float,
    many: bool = False,
    top: int = 1,
    progress: bool | None = None,
) -> tuple[list[list[Link]], dict[int, str]]:
    """For each left record, the links written for it: one-to-one by default (a row whose best record another row
    took at the threshold held for review, ``passed_over``), its best ``top`` with ``many``; and for a row left
    with none though it had candidates, why."""
    index = CandidateIndex(right, frequencies=TermFrequencies.of(right, queries=left))
    candidates = candidate_links(
        left, right, link_threshold=link_threshold, min_confidence=min_confidence, progress=progress, index=index
    )
    unmatched = [position for position, links in enumerate(candidates) if not links]
    notes = nearest_below(left, unmatched, index, link_threshold=link_threshold, min_confidence=min_confidence)
    if many:
        rows = [hold_ambiguous(links, link_threshold, index.columns.frequencies, top) for links in candidates]
    else:
        chosen = assign_one_to_one(candidates, left, link_threshold)
        written = held_on_a_tie(candidates, chosen, link_threshold, index.columns.frequencies)
        taken, passed = passed_over(candidates, chosen, left, link_threshold)
        rows = [[link] if link is not None else [taken[p]] if p in taken else [] for p, link in enumerate(written)]
        notes = passed | notes
    rows = held_beside_in_force(candidates, rows, left, right, link_threshold)
    rows = held_beside_its_address(candidates, rows, left, link_threshold)
    rows = held_beside_its_sister(rows, left, right, link_threshold)
    rows = held_beside_its_name(candidates, rows, left, link_threshold, many)
    transposed = number_transposed(left, right, rows, link_threshold, min_confidence, many)
    rows = [[transposed[p]] if p in transposed else links for p, links in enumerate(rows)]
    ties = noted_ties(candidates, rows, left, link_threshold, many)
    return ties, {p: note for p, note in notes.items() if p not in transposed}


def noted_ties(
    candidates: list[list[Link]],
    rows: list[list[Link]],
    left: Sequence[MatchRecord],
    link_threshold: float,
    many: bool = False,
) -> list[list[Link]]:
    """A row written for review below the threshold whose record another candidate fits at the very same weight and
    as well (``records_fit``: not another builder's community of the name where the row's builder's is written),
    one no row took at the threshold (one-to-one; with ``many`` a record another row took is still this one's to
    have) nor its notes name, names it, ``tied_with ID``: the files do not tell the two apart (a permit's "2128
    Bluebonnet" beside a court's and a drive's, an MLS's "Unit 102" beside the unit in three buildings), and the
    record written was chosen by no evidence. A reviewer sees both."""
    taken = (
        set()
        if many
        else {id(links[0].right) for links in rows if links and links[0].score.confidence >= link_threshold}
    )
    noted = []
    for row, links, found in zip(left, rows, candidates, strict=True):
        best = links[0] if links else None
        if best is not None and best.score.confidence < link_threshold:
            fit = records_fit(row, best.right)
            tie = next(
                (
                    other.right
                    for other in found
                    if other.right is not best.right
                    and id(other.right) not in taken
                    and other.right.id not in best.score.explanation.notes.values()
                    and math.isclose(other.score.weight, best.score.weight, abs_tol=1e-9)
                    and records_fit(row, other.right) >= fit
                ),
                None,
            )
            if tie is not None:
                links = [with_note(best, "tied_with", tie.id), *links[1:]]
        noted.append(links)
    return noted


def with_note(link: Link, note: str, other: Any) -> Link:
    """``link`` with a note naming another record added to its explanation, its confidence as it was."""
    notes = dict(link.score.explanation.notes)
    score = dataclasses.replace(link.score, _explanation=None)
    score.explanation.notes.update(notes | {note: other})
    return Link(link.left, link.right, score)


def held_beside_its_address(
    candidates: list[list[Link]], rows: list[list[Link]], left: Sequence[MatchRecord], link_threshold: float
) -> list[list[Link]]:
    """A home's link by its lot to a homesite with no house number ("Homesite 10" in its subdivision) held for review
    where the other file also lists a home at the row's very street address and unit, a candidate of it, noted
    ``ambiguous_with`` that one: the homesite may be another lot of the number, the home listed at its address
    linked to another row (a warranty company's home enrolled twice)."""
    review_floor = get_settings().match_low_threshold
    held = []
    for position, links in enumerate(rows):
        best = links[0] if links else None
        row = left[position]
        if (
            best is not None
            and best.score.confidence >= link_threshold
            and lot_alone(best.right) is not None
            and (site := unit_site(row)) is not None
        ):
            other = next(
                (
                    link.right
                    for link in candidates[position]
                    if link.right is not best.right
                    and link.score.confidence >= review_floor
                    and unit_site(link.right) == site
                ),
                None,
            )
            if other is not None:
                links = [held_for_review(best, link_threshold, "ambiguous_with", other.id), *links[1:]]
        held.append(links)
    return held


def held_beside_its_name(
    candidates: list[list[Link]],
    rows: list[list[Link]],
    left: Sequence[MatchRecord],
    link_threshold: float,
    many: bool = False,
) -> list[list[Link]]:
    """A business's link at the threshold whose names are not one (``ONE_NAME``), held for review where another row at
    the row's very street address and unit names the record as one name, a candidate of it too, named in the note
    ``ambiguous_with``: a church's after-school licence and its preschool's at one office and line, the directory's
    "St. Mark Catholic Church Child Development Center" the preschool's very name. Their shared line and address
    say which building, not which of the two; the name does. With ``many``, not beside a row naming the row's own
    business, typed again, mistyped or in short: a complaint register's "Buckeye Roofing" beside its "Buckeye Roofing
    & Siding", one business's two complaints. One-to-one, a restaurant's "GREEN OLIVE CAFE COMMISSARY" permit beside
    its "GREEN OLIVE CAFE" waits: only one of them is the listing's."""
    if not left or left[0].entity_type != EntityType.builder:
        return rows
    review_floor = get_settings().match_low_threshold
    rows_of: dict[int, list[Link]] = defaultdict(list)  # each record's candidate pairs, by the record
    for links in candidates:
        for link in links:
            if link.score.confidence >= review_floor and link.score.levels.get("name") in ONE_NAME:
                rows_of[id(link.right)].append(link)
    held = []
    for position, links in enumerate(rows):
        best = links[0] if links else None
        if (
            best is not None
            and best.score.confidence >= link_threshold
            and best.score.levels.get("name") not in (None, *ONE_NAME)
            and (site := unit_site(left[position])) is not None
        ):
            other = next(
                (
                    o
                    for o in rows_of[id(best.right)]
                    if o.left != position
                    and unit_site(left[o.left]) == site
                    and not (many and _one_business(left[position], left[o.left]))
                ),
                None,
            )
            if other is not None:
                links = [held_for_review(best, link_threshold, "ambiguous_with", left[other.left].id), *links[1:]]
        held.append(links)
    return held


# Name levels at which two rows of one file name one business: typed again, mistyped, or one contained in the other.
_ONE_BUSINESS = frozenset({*ONE_NAME, "similar", "contained"})


def _one_business(a: MatchRecord, b: MatchRecord) -> bool:
    return compare_name(a.name_norm, b.name_norm, a.entity_type) in _ONE_BUSINESS


# A plat's part its name says by a word before its number ("SABLE VILLAGE Section II", "Oak Hollow Ph. 2").
_SECTION_WRITTEN = re.compile(
    r"\b(?:sec(?:tion)?s?|ph(?:ase)?|filing|unit)\.?\s*(?:[0-9]+[a-z]?|[ivx]+)\b", re.IGNORECASE
)


def _sister_stem(record: MatchRecord) -> str | None:
    """The name's key without the number it ends with alone ("Sable Village II" -> "sable village"), or None: a
    number read as the section it may be, or a sister's name beside the name without it."""
    words = (record.name or "").split()
    if len(words) < 2 or _SECTION_WRITTEN.search(record.name or ""):
        return None
    last = words[-1].strip(".,;:()").lower()
    if not ROMAN_NUMERAL_VALUES.get(last, last).isdigit():
        return None
    stem = _READ_AS_SECTION.fullmatch(record.name_norm.key)
    return stem.group(1) if stem is not None else None


_READ_AS_SECTION = re.compile(r"(.+) section \d+")


def _names_in_towns(records: Sequence[MatchRecord]) -> dict[tuple[str, str], MatchRecord]:
    """Each community by its name's key in its town and at its ZIP."""
    found: dict[tuple[str, str], MatchRecord] = {}
    for record in records:
        if record.name_norm.key:
            for place in {record.city_key or "", record.postal_code or ""} - {""}:
                found.setdefault((record.name_norm.key, place), record)
    return found


def held_beside_its_sister(
    rows: list[list[Link]], left: Sequence[MatchRecord], right: Sequence[MatchRecord], link_threshold: float
) -> list[list[Link]]:
    """A community's link by one name, of which one side writes the plat's part by its word ("SABLE VILLAGE Section
    II") and the other by its number alone ("Sable Village II"), held for review where the file of the second lists
    the name without the number in its town too ("Sable Village"), named in the note ``sister_listed``: there the
    number is a sister subdivision's name, and the section the other's. Where no such name is listed, "Pecan Crossing
    4" is section 4 of Pecan Crossing."""
    if not left or left[0].entity_type != EntityType.community:
        return rows
    listed = (_names_in_towns(left), _names_in_towns(right))
    held = []
    for position, links in enumerate(rows):
        best = links[0] if links else None
        if best is not None and best.score.confidence >= link_threshold and best.score.levels.get("name") == "exact":
            for bare, written, names in (
                (best.right, left[position], listed[1]),
                (left[position], best.right, listed[0]),
            ):
                stem = _sister_stem(bare)
                if stem is None or not _SECTION_WRITTEN.search(written.name or ""):
                    continue
                places = {bare.city_key or "", bare.postal_code or ""} - {""}
                sister = next((r for p in places if (r := names.get((stem, p))) is not None and r is not bare), None)
                if sister is not None:
                    links = [held_for_review(best, link_threshold, "sister_listed", sister.id), *links[1:]]
                    break
        held.append(links)
    return held


# Name levels from the closest ("exact") on: a row names one record more closely than another.
_NAME_RANK = {level: rank for rank, level in enumerate(LEVELS["name"])}


def _name_rank(link: Link) -> int:
    """How closely the pair's names agree, 0 the closest; a name not compared after every level."""
    return _NAME_RANK.get(link.score.levels.get("name") or "", len(_NAME_RANK))


def held_beside_in_force(
    candidates: list[list[Link]],
    rows: list[list[Link]],
    left: Sequence[MatchRecord],
    right: Sequence[MatchRecord],
    link_threshold: float,
) -> list[list[Link]]:
    """A row's best link at the threshold held for review where one side's licence lapsed or listing closed and a
    record or row in force is a candidate of the other side too, or at its very street address and unit, named in
    the note ``in_force_beside``: a change of owner's surrendered licence bears the name a stale directory still lists
    at the site, where the new owner's licence, under its own name, is the business now (a chain that bought a body
    shop registers it under the chain's name, the shop's old registration cancelled). Which of the two the listing
    is, the files do not say. A home's link to a record that no longer stands for a home (a county's address point
    retired when its street was renamed) is held for review alone, noted ``retired``: its home has another address."""
    rows_of: dict[int, list[Link]] = defaultdict(list)  # each record's candidate pairs, by the record
    for links in candidates:
        for link in links:
            rows_of[id(link.right)].append(link)
    rows_at, records_at = _in_force_at(left), _in_force_at(right)

    review_floor = get_settings().match_low_threshold

    def fits(other: Link) -> bool:
        # A candidate that would be written for review at least: not one a lowered --min-confidence lets in.
        return other.score.confidence >= review_floor

    def at_site(in_force_at: dict[Site | None, list[MatchRecord]], record: MatchRecord) -> list[MatchRecord]:
        # Not one placed in another town: "600 E Palm Valley Blvd Ste 4" recurs in town after town.
        return [
            other
            for other in in_force_at.get(unit_site(record), ())
            if (apart := km_apart(record, other)) is None or apart <= NEIGHBOURING_KM
        ]

    def at_lapsed_suite(in_force_at: dict[Site | None, list[MatchRecord]], lapsed: MatchRecord) -> list[MatchRecord]:
        # The one in force at the lapsed one's very suite, where the other side gives the street address alone: a
        # studio's new owner registered at "STE 150" under its own name, the listing giving no suite.
        site = unit_site(lapsed)
        return at_site(in_force_at, lapsed) if site is not None and site[2] is not None else []

    def in_force_beside(link: Link) -> Any:
        row, record = left[link.left], link.right
        # The one in force at the very site named first, then the other side's candidates most alike: a street's
        # other bar sharing a word of the name is no rival of the licence in force at the lapsed one's address.
        if in_force(row) == in_force(record):
            # Both in force, or both lapsed: a closed listing of the closed licence's very business is its twin.
            return None
        if not in_force(row):
            rivals = sorted((o for o in rows_of[id(record)] if fits(o)), key=lambda o: -o.score.weight)
            others = [*at_site(rows_at, record), *at_lapsed_suite(rows_at, row), *(left[o.left] for o in rivals)]
        else:
            others = [
                *at_site(records_at, row),
                *at_lapsed_suite(records_at, record),
                *(o.right for o in candidates[link.left] if fits(o)),
            ]
        rival = next((other for other in others if in_force(other)), None)
        return rival.id if rival is not None else None

    def named_lapsed(link: Link) -> Link | None:
        """A lapsed licence or closed listing at the very site of the row's record in force that the row names more
        closely: a stale directory's row under the old owner's name, the new owner's licence under its own."""
        if not (in_force(left[link.left]) and in_force(link.right)) or (site := unit_site(link.right)) is None:
            return None
        rank = _name_rank(link)
        return next(
            (
                other
                for other in candidates[link.left]
                if not in_force(other.right)
                and other.score.confidence >= link_threshold
                and unit_site(other.right) == site
                and _name_rank(other) < rank
            ),
            None,
        )

    def retired(link: Link) -> Any:
        """The home's record of the two that no longer stands for a home (an address point retired)."""
        if link.right.entity_type != EntityType.property:
            return None
        record = next((r for r in (left[link.left], link.right) if r.extra.get("inactive")), None)
        return record.id if record is not None else None

    held = []
    for links in rows:
        best = links[0] if links else None
        if best is not None and best.score.confidence >= link_threshold:
            if other := in_force_beside(best):
                links = [held_for_review(best, link_threshold, "in_force_beside", other), *links[1:]]
            elif lapsed := named_lapsed(best):
                # Written as the lapsed one's link is where the row names it: for review, beside the one in force.
                links = [held_for_review(lapsed, link_threshold, "in_force_beside", best.right.id), *links[1:]]
            elif gone := retired(best):
                links = [held_for_review(best, link_threshold, "retired", gone), *links[1:]]
        held.append(links)
    return held


def _in_force_at(records: Sequence[MatchRecord]) -> dict[Site | None, list[MatchRecord]]:
    """The records in force (no lapsed licence, no closed listing) at each very street address (``unit_site``)."""
    found: dict[Site | None, list[MatchRecord]] = defaultdict(list)
    for record in records:
        if in_force(record) and (site := unit_site(record)) is not None:
            found[site].append(record)
    return found


def held_on_a_tie(
    candidates: list[list[Link]], chosen: list[Link | None], link_threshold: float, frequencies: TermFrequencies | None
) -> list[Link | None]:
    """A row's assigned link held for review where another record fits it as well (``hold_ambiguous``) and the
    assignment chose between the two by nothing the files say: no row took that record at the threshold, or the row
    that took it fits this row's record as well, so the two rows could swap. A registry's "Windmill Estates Master
    HOA" fits the master plan's "Windmill Estates" and a builder's "Windmill Estates by Landmark Homes" alike; two
    homes a feed knows by "Homesite 10" alone fit the lot-10 permits of two blocks alike. A record another row took
    by its own evidence was chosen against (one taken for review was not: a "Filing No. 4" association given the
    master plan's listing left the master association the builder's)."""
    taker = {
        id(link.right): position
        for position, link in enumerate(chosen)
        if link is not None and link.score.confidence >= link_threshold
    }

    def could_swap(position: int, link: Link, other: Link) -> bool:
        """The row that took ``other``'s record fits ``link``'s as well as its own."""
        other_row = taker.get(id(other.right))
        if other_row is None:
            return True
        theirs = chosen[other_row]
        mine = next((c for c in candidates[other_row] if c.right is link.right), None)
        return (
            other_row != position
            and theirs is not None
            and mine is not None
            and ambiguous(sorted([theirs.score, mine.score], key=lambda s: -s.weight), link_threshold)
        )

    written = []
    for position, (link, links) in enumerate(zip(chosen, candidates, strict=True)):
        if link is not None and link.score.confidence >= link_threshold:
            rivals = [other for other in links if other is not link and could_swap(position, link, other)]
            if rivals:
                link = hold_ambiguous([link, *rivals], link_threshold, frequencies)[0]
        written.append(link)
    return written


def number_transposed(
    left: Sequence[MatchRecord],
    right: Sequence[MatchRecord],
    rows: list[list[Link]],
    link_threshold: float,
    min_confidence: float,
    many: bool = False,
) -> dict[int, Link]:
    """For each home left with no link, the one home the other file lists on its street at its ZIP or in its town whose
    house number is the row's with two neighbouring digits swapped ("8073" typed for "8037"), where the other file
    lists no home at the row's own number and no other row is linked to that home: written for review at the review
    threshold, noted ``number_transposed``. A house number typed so is a home added twice; two houses whose numbers
    are so alike on one street are both listed, or the typed one is. With ``many``, rows linked to that home leave
    it free: a homeowner's second warranty request typing the number right, an open-house schedule's Sunday row typed
    as Saturday's."""
    if not left or left[0].entity_type != EntityType.property:
        return {}
    street = {key: [(number, right[i]) for number, i in homes] for key, homes in _homes_by_street(right).items()}
    linked = set() if many else {id(link.right) for links in rows for link in links}
    floor = max(min_confidence, get_settings().match_low_threshold)
    found = {}
    for position, links in enumerate(rows):
        row = left[position]
        site = site_key(row)
        if links or site is None or not (row.postal_code or row.city_key):
            continue
        # At the row's ZIP, and in the town both write (a homeowner's "Cypress 77429" for the ledger's Cypress 77433).
        here = list(street.get((site[1], row.postal_code or ""), []))
        here += street.get((site[1], row.city_key or ""), [])
        if any(number == site[0] for number, _record in here):
            continue  # the row's own number is another home of the street
        # Not a home whose lot, block or section the row's list says is another's (a title file's lot 7 of block 2 is
        # not the feed's lot 9 at the swapped number).
        swapped = list(
            {
                id(r): r
                for number, r in here
                if _transposed(site[0], number)
                and id(r) not in linked
                and not street_types_differ(row, r)
                and not lots_differ(row, r)
                and not _two_lots(row, r)
                and not _two_units(row, r)
            }.values()
        )
        if len(swapped) == 1:
            score = score_pair(row, swapped[0], link_threshold=link_threshold)
            score = dataclasses.replace(score, confidence=floor, _explanation=None)
            score.explanation.notes["number_transposed"] = swapped[0].id
            found[position] = Link(position, swapped[0], score)
            if not many:
                linked.add(id(swapped[0]))
    return found


def _two_units(a: MatchRecord, b: MatchRecord) -> bool:
    """Both give the home's unit, and not one: a booking's "1453 ... Unit B" is not unit C at the swapped number."""
    x, y = (a.address.unit if a.address else None), (b.address.unit if b.address else None)
    return x is not None and y is not None and unit_key(x) != unit_key(y)


def _two_lots(a: MatchRecord, b: MatchRecord) -> bool:
    """Both lists give the home's lot, or its block, and not one: a roll's lot 11 of block D is not a feed's lot 2 at
    the swapped number, whatever its block. Not evidence enough to keep two numbers apart (a builder may number its
    lots its own way), but against a number read as mistyped."""
    blocks = a.extra.get("block"), b.extra.get("block")
    return (a.homesite is not None and b.homesite is not None and a.homesite != b.homesite) or (
        None not in blocks and blocks[0] != blocks[1]
    )


def transposed_within(
    records: Sequence[MatchRecord], written: list[list[Link]], link_threshold: float, min_confidence: float
) -> dict[int, Link]:
    """In a file deduplicated, each home left with no partner and the one other row on its street at its ZIP (or
    town) whose house number is the row's with two neighbouring digits swapped and that gives its very lot in its
    block or plat: written for review at the review threshold, noted ``number_transposed``. Both rows are in the file,
    so the lot, not a number missing from it (``number_transposed``), says the two are one home: an MLS's "405 Pecan
    Mill Way" and "450 Pecan Mill Way", both lot 7 of block 2."""
    if not records or records[0].entity_type != EntityType.property:
        return {}
    street = _homes_by_street(records)
    floor = max(min_confidence, get_settings().match_low_threshold)
    found = {}
    for position, record in enumerate(records):
        site = site_key(record)
        if written[position] or site is None:
            continue
        places = {record.postal_code or "", record.city_key or ""} - {""}
        swapped = {
            other
            for place in places
            for number, other in street.get((site[1], place), ())
            if _transposed(site[0], number) and _one_lot(record, records[other])
        }
        if len(swapped) == 1:
            other = records[swapped.pop()]
            score = score_pair(record, other, link_threshold=link_threshold)
            score = dataclasses.replace(score, confidence=floor, _explanation=None)
            score.explanation.notes["number_transposed"] = other.id
            found[position] = Link(position, other, score)
    return found


def _homes_by_street(records: Sequence[MatchRecord]) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """Each home's house number and position, by its street and ZIP and by its street and town: a permit without its
    ZIP names the town, a listing beside it the ZIP too."""
    street: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for position, record in enumerate(records):
        if (site := site_key(record)) is not None:
            for place in {record.postal_code or "", record.city_key or ""} - {""}:
                street[site[1], place].append((site[0], position))
    return street


def _one_lot(a: MatchRecord, b: MatchRecord) -> bool:
    """Both homes give one lot, in one block both give or one plat both name (``lot_as_written``)."""
    block = a.extra.get("block")
    placed = (block is not None and block == b.extra.get("block")) or one_subdivision(a, b)
    return lot_as_written(a, b) and placed


def _transposed(number: str, other: str) -> bool:
    """Two house numbers, one the other with two neighbouring digits swapped: "8037" / "8073"."""
    if len(number) != len(other) or number == other or not (number.isdigit() and other.isdigit()):
        return False
    differ = [i for i, (x, y) in enumerate(zip(number, other, strict=True)) if x != y]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and (number[differ[0]], number[differ[1]]) == (other[differ[1]], other[differ[0]])
    )


def nearest_below(
    records: Sequence[MatchRecord],
    positions: Sequence[int],
    index: CandidateIndex,
    *,
    link_threshold: float,
    min_confidence: float,
) -> dict[int, str]:
    """For each row at ``positions`` (none of its candidates reached ``min_confidence``), its best candidate below it
    with the explanation, so a row written ``new`` says what came nearest and why it fell short (a restaurant that
    moved and changed its phone leaves only its name). A row the index holds is not its own candidate."""
    notes = {}
    for start in range(0, len(positions), CHUNK):
        chunk = positions[start : start + CHUNK]
        found = index.match_many([records[p] for p in chunk], link_threshold=link_threshold, min_confidence=0.0)
        for position, candidates in zip(chunk, found, strict=True):
            best = next((c for c in candidates if c.record is not records[position]), None)
            if best is not None:
                notes[position] = (
                    f"nearest candidate {best.record.id} ({best.score.confidence:.4f}), below "
                    f"{min_confidence:g}: {best.score.explanation.summary()}"
                )
    return notes


# Holds saying the pair is two businesses, places or homes (a builder's lender at its office, a sister street's house):
# a row so held whose record another row took is another entity, `new`, not the record listed again.
HELD_AS_TWO = frozenset({
    "names_differ", "store_numbers_differ", "brands_differ", "towns_in_names_differ", "kinds_differ",
    "legal_names_differ", "websites_differ", "names_agree_on_building", "names_share_a_word", "units_differ",
    "sections_differ", "builders_differ", "apartments_beside_homes", "amenity_beside_community", "sub_association",
    "street_types_differ", "lots_differ",
})  # fmt: skip


def passed_over(
    candidates: list[list[Link]], chosen: list[Link | None], left: Sequence[MatchRecord], link_threshold: float
) -> tuple[dict[int, Link], dict[int, str]]:
    """For each row one-to-one assignment left with no partner though it had candidates (every one went to another
    row: a record left free would have added to the total), the row that took its best. Where that best reached
    the link threshold, or was held back from it for a doubt about one entity (not ``HELD_AS_TWO``), the row is a
    listing entered twice, or a look-alike the files do not tell apart: its best is held for review, noted
    ``taken_by`` that row (written ``new``, the row would be added as a record a second time).
    Otherwise, or where the row's licence lapsed (an old owner's, its record taken by the licence in force), a note
    naming them, so the row does not read as if nothing had fitted it."""
    taken_by = {id(link.right): left[link.left].id for link in chosen if link is not None}
    held, notes = {}, {}
    for position, links in enumerate(candidates):
        if chosen[position] is not None or not links:
            continue
        best, row = links[0], taken_by[id(links[0].right)]
        held_as_one = best.score.held_back is not None and best.score.held_back not in HELD_AS_TWO
        if (best.score.confidence >= link_threshold or held_as_one) and in_force(left[position]):
            held[position] = held_for_review(best, link_threshold, "taken_by", row)
        else:
            notes[position] = f"best candidate {best.right.id} ({best.score.confidence:.4f}) linked to row {row}"
    return held, notes


def held_for_review(link: Link, link_threshold: float, note: str, other: Any) -> Link:
    """``link`` held back from a match: its confidence just below the threshold, higher the more match weight it
    has (``held_confidence``), and its explanation noting why, with the other record or row it names."""
    score = dataclasses.replace(
        link.score, confidence=held_confidence(link.score.weight, link_threshold), _explanation=None
    )
    score.explanation.notes[note] = other
    return Link(link.left, link.right, score)


def hold_ambiguous(
    links: list[Link], link_threshold: float, frequencies: TermFrequencies | None = None, top: int = 1
) -> list[Link]:
    """A row two records fit at the link threshold (``scorer.ambiguous``) is matched to neither, as discovery
    holds it: each such link is written for review, its explanation naming the other record. Not where every
    record that fits is the best one listed again (each linked to it at the threshold: a home relisted under a new
    listing number, a community a site lists twice): the row's entity is known; a record bearing the row's very name
    beside a best that does not is no listing again (``bears_the_name_alone``). Where the best leads clearly, a
    runner-up that also reached the threshold and is not the best listed again (``--top``'s second link: a sister
    brand with a site of its own, "Tradewinds Signature Series" beside "Tradewinds Homes" at one office) is written
    for review, naming the best: a row is one entity, matched once. One-to-one assignment needs no hold: it gives
    each record one partner of the greatest total weight. The row's best ``top`` links are returned; runners-up not
    written are not compared with the best."""
    contenders = links
    live = [link for link in links if in_force(link.right)]
    if live and live[0].score.confidence >= link_threshold and len(live) < len(links):
        # A licence lapsed or a listing closed beside the one in force at the row's site is no rival: the row is the
        # one in force, whichever scored higher (a change of owner's old and new licence at one address).
        contenders = live
        links = [*live, *(link for link in links if not in_force(link.right))]
    is_ambiguous = ambiguous([link.score for link in contenders[:2]], link_threshold)
    compared = contenders[1:] if is_ambiguous else contenders[1:top]
    rivals = [
        link
        for link in compared
        if link.score.confidence >= link_threshold
        and (
            bears_the_name_alone(link.score, contenders[0].score)
            or not listed_again(contenders[0].right, link.right, link_threshold, frequencies)
        )
    ]
    if not rivals:
        return links[:top]
    if is_ambiguous:
        notes = {id(link): ("ambiguous_with", (contenders[1] if i == 0 else contenders[0]).right.id) for i, link in
                 enumerate(contenders) if link.score.confidence >= link_threshold}  # fmt: skip
    else:
        notes = {id(link): ("second_to", contenders[0].right.id) for link in rivals}
    held = [held_for_review(link, link_threshold, *notes[id(link)]) if id(link) in notes else link for link in links]
    return held[:top]


def listed_again(
    best: MatchRecord, other: MatchRecord, link_threshold: float, frequencies: TermFrequencies | None
) -> bool:
    """The other record is the best one listed again: the two linked to each other at the threshold."""
    return score_pair(best, other, frequencies, link_threshold=link_threshold).confidence >= link_threshold


def register(subparsers: Any) -> None:
    """Add the ``match-csv`` subcommand to the CLI."""
    parser = subparsers.add_parser(
        "match-csv",
        help="link a CSV of builders, communities or homes to the database or another CSV",
        description="Writes every input row once: left_id, right_id, confidence (0..1), decision "
        "(match/review/new), method, explanation, then the row's own columns.",
    )
    parser.add_argument("file", type=Path, help="CSV with a header row (e.g. id,name,website,phone,city,state)")
    parser.add_argument("--entity", required=True, choices=sorted(ENTITIES), help="what the rows are")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--against-db", action="store_true", help="match against the records in the database")
    target.add_argument("--against", type=Path, metavar="FILE2", help="match against another CSV")
    parser.add_argument("--parameters", type=Path, default=None, help="linkage parameters written by match-train --out")
    add_column_option(parser)
    parser.add_argument("--out", type=Path, required=True, help="where to write the linked rows (CSV)")
    parser.add_argument(
        "--min-confidence",
        type=confidence,
        default=None,
        help="lowest confidence linked, 0 to 1 (default: the review threshold)",
    )
    parser.add_argument("--many", action="store_true", help="let several rows link to one record (default: one-to-one)")
    parser.add_argument("--top", type=int, default=1, help="with --many, links written per row, best first")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar")
    parser.set_defaults(func=run)


def add_column_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--column",
        action="append",
        metavar="FIELD=HEADER",
        help=f"read FIELD from the column HEADER, in every file that has it (repeatable); fields: {', '.join(ALIASES)}",
    )


def _output_headers(columns: Sequence[str], headers: Sequence[str]) -> list[str]:
    # The row's own columns follow; one named like an output column is written as input_<name>.
    return [*columns, *(f"input_{h}" if h in columns else h for h in headers)]


def _write_links(
    out: Path,
    partner: InputFile,
    links: list[list[Link]],
    settings: Settings,
    found: Clusters | None = None,
    notes: dict[int, str] | None = None,
) -> tuple[dict[str, int], Counter[str]]:
    """Every input row once (or once per link with ``--many --top``), with its cluster when the file is
    deduplicated and, in the explanation of a row linked to nothing, its note (``passed_over``); the count of each
    decision, and of each reason a pair is held for review. A CsvInputError names an output that could not be
    written."""
    counts = {"match": 0, "review": 0, "new": 0}
    reasons: Counter[str] = Counter()
    cluster_of, apart = found if found is not None else (None, None)
    columns = OUTPUT_COLUMNS if cluster_of is None else DEDUP_COLUMNS
    members: dict[Any, list[MatchRecord]] = defaultdict(list)  # each cluster's records, for ``_kept_out``
    if cluster_of is not None:
        for r in partner.records:
            members[cluster_of[r.id]].append(r)
    with writing(out), written_whole(out) as fh:
        writer = csv.writer(fh)
        writer.writerow(_output_headers(columns, partner.headers))
        for position, (record, row, row_links) in enumerate(zip(partner.records, partner.rows, links, strict=True)):
            own = [row.get(h, "") for h in partner.headers]
            cluster = [] if cluster_of is None else [cluster_of[record.id]]
            if not row_links:
                counts["new"] += 1
                note = (notes or {}).get(position, "")
                writer.writerow([record.id, "", "", "new", "", note, *cluster, *own])
            for link in row_links:
                verdict = decision(link.score.confidence, settings)
                explanation = link.score.explanation.summary()
                if apart and cluster_of and verdict == "match" and cluster_of[record.id] != cluster_of[link.right.id]:
                    if kept_out := _kept_out(record, link.right, cluster_of, members, apart):
                        # A match its clusters do not join is no match a consumer of the decision may act on.
                        verdict, explanation = "review", explanation + kept_out
                        reasons["not_clustered"] += 1
                elif verdict == "review":
                    reasons[review_reason(link.score)] += 1
                counts[verdict] += 1
                writer.writerow([
                    record.id, link.right.id, f"{link.score.confidence:.4f}", verdict, link.score.method,
                    explanation, *cluster, *own,
                ])  # fmt: skip
    return counts, reasons


def _kept_out(
    record: MatchRecord,
    partner: MatchRecord,
    cluster_of: dict[Any, Any],
    members: dict[Any, list[MatchRecord]],
    apart: Callable[[Any, Any], bool],
) -> str:
    """Why a row linked at the high threshold is in another cluster than its partner: the link would have put two
    records kept apart in one cluster (``clusters``), named so a reviewer can judge them. ``members``: each
    cluster's records."""
    pair = next(
        (
            (x.id, y.id)
            for x in members[cluster_of[record.id]]
            for y in members[cluster_of[partner.id]]
            if apart(x.id, y.id)
        ),
        None,
    )
    if pair is None:
        return ""
    return f"; not clustered with {partner.id}: it would join {pair[0]} and {pair[1]}, kept apart"


def review_reason(score: MatchScore) -> str:
    """Why a pair written for review is not a match: the rule that held it back, another record fitting as well,
    or a confidence below the high threshold."""
    for note in (
        "ambiguous_with",
        "second_to",
        "taken_by",
        "in_force_beside",
        "retired",
        "number_transposed",
        "sister_listed",
    ):
        if note in score.explanation.notes:
            return note
    return score.held_back or "below the high threshold"


# A deduplicated file's clusters (each row's cluster id) and the test of two rows no chain of links may join.
Clusters = tuple[dict[Any, Any], Callable[[Any, Any], bool]]


def deduplicate(
    records: Sequence[MatchRecord], *, high: float, min_confidence: float, top: int = 1, progress: bool | None = None
) -> tuple[list[list[Link]], Clusters, dict[int, str]]:
    """Each row's best ``top`` partners among the file's other rows; each row's cluster: the connected components
    of every pair linked at or above ``high`` (not only each row's best), with the test of two rows kept apart; and
    for a row with no partner, its nearest candidate below ``min_confidence`` (``nearest_below``)."""
    # The clusters need every pair at high even when the rows written start above it; the strongest join first, so
    # a weaker link is the one left out where two would join rows kept apart.
    index = within_index(records)
    candidates = links_within(
        records, link_threshold=high, min_confidence=min(min_confidence, high), progress=progress, index=index
    )
    linked = sorted(
        ((link.score.weight, record.id, link.right.id) for record, links in zip(records, candidates, strict=True)
         for link in links if link.score.confidence >= high),
        key=lambda pair: -pair[0],
    )  # fmt: skip
    by_id = {record.id: record for record in records}
    written = [[link for link in links if link.score.confidence >= min_confidence][:top] for links in candidates]
    direct = {frozenset((a, b)) for _weight, a, b in linked}

    def apart(x: Any, y: Any) -> bool:
        # Two rows linked to each other at the high threshold are one entity, whatever the rules for joins through
        # others say of them.
        return frozenset((x, y)) not in direct and kept_apart(by_id[x], by_id[y])

    cluster_of = clusters([r.id for r in records], ((a, b) for _weight, a, b in linked), apart)
    for position, link in transposed_within(records, written, high, min_confidence).items():
        written[position] = [link]
    alone = [position for position, links in enumerate(written) if not links]
    notes = nearest_below(records, alone, index, link_threshold=high, min_confidence=min_confidence)
    return written, (cluster_of, apart), notes


def confidence(text: str) -> float:
    """An argparse type: a confidence from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text!r} is not a confidence from 0 to 1")
    return value


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """An output that fails as it is written (no permission, a full disk) raises a CsvInputError naming it."""
    try:
        yield
    except OSError as exc:
        raise CsvInputError(f"--out {path}: {exc.strerror or exc}") from exc


def check_output(path: Path, inputs: Iterable[Path | None] = ()) -> None:
    """Refuse, before any work, an output path that cannot be written (a missing folder, or a folder) or that is
    one of the inputs: writing it would replace the partner's file with the links."""
    if path.is_dir():
        raise CsvInputError(f"--out {path}: is a folder; name the file to write")
    if not path.parent.is_dir():
        raise CsvInputError(f"--out {path}: the folder {path.parent} does not exist")
    for source in inputs:
        if source is not None and path.exists() and source.exists() and path.samefile(source):
            raise CsvInputError(f"--out {path}: is an input file ({source}); writing it would replace the input")


def run(args: argparse.Namespace) -> int:
    """Run ``match-csv``; prints a clear error and returns 2 when an input cannot be used."""
    entity = ENTITIES[args.entity]
    settings = get_settings()  # the subcommand's entry point
    min_confidence = args.min_confidence if args.min_confidence is not None else settings.match_low_threshold
    if args.top < 1 or (args.top > 1 and not args.many):
        print("error: --top must be at least 1, and above 1 only with --many", file=sys.stderr)
        return 2
    try:
        check_output(args.out, (args.file, args.against, args.parameters))
        model = read_parameters(args.parameters, entity) if args.parameters else load_model(entity)
        partner, against = read_inputs(args.file, args.against, entity, args.column)
        if args.against_db:
            right = records_from_db(entity)
        elif against is not None:
            _refuse_repeated_ids(args.against, against.records, "a file linked against")
            right = against.records
        else:
            right = same_file(args.file, partner.records)
    except CsvInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if right is not partner.records and (repeated := _repeated_id(partner.records)) is not None:
        # The partner's own ids, as its column (named with --column) gives them: its rows are written in its order,
        # but an id two of them share names neither alone.
        print(f"note: {args.file}: id {repeated!r} appears more than once; rows sharing an id are told apart only "
              f"by their order and their own columns in the output", file=sys.stderr)  # fmt: skip
    # The explanations are written from the model too: the whole run is inside the block.
    try:  # only writing the output can fail here
        with model_in_use(model):
            if right is partner.records:
                # Within one file a record may be the best partner of several rows.
                links, found, notes = deduplicate(
                    right, high=settings.match_high_threshold, min_confidence=min_confidence, top=args.top,
                    progress=args.progress,
                )  # fmt: skip
                counts, reasons = _write_links(args.out, partner, links, settings, found, notes)
            else:
                links, notes = link_rows(
                    partner.records,
                    right,
                    link_threshold=settings.match_high_threshold,
                    min_confidence=min_confidence,
                    many=args.many,
                    top=args.top,
                    progress=args.progress,
                )
                counts, reasons = _write_links(args.out, partner, links, settings, notes=notes)
    except CsvInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    reference = "the database" if args.against_db else str(args.against or "the file itself")
    entities = f" in {len(set(found[0].values()))} clusters" if right is partner.records else ""
    print(
        f"{len(partner.records)} rows against {len(right)} records of {reference}: {counts['match']} match, "
        f"{counts['review']} review, {counts['new']} new{entities} -> {args.out}"
    )
    if reasons:
        print("review, why: " + ", ".join(f"{n} {reason}" for reason, n in reasons.most_common()))
    return 0
