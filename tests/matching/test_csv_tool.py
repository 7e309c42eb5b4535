"""`artitec-collector match-csv`: pairs written, missing columns explained, the database as the other side."""

from __future__ import annotations

import csv
import gzip
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.cli import main
from app.core.config import get_settings
from app.matching.csv_tool import link_rows, parse_columns, read_file
from app.matching.linkage import TermFrequencies
from app.matching.records import prepare
from app.matching.scorer import block_unconfirmed, score_pair
from tests.factories import make_builder


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write_stacked(path: Path, headers: list[str], rows: list[dict[str, str]]) -> Path:
    """Several sources' rows under one header, each filling its own columns and leaving the others blank."""
    return _write(path, [{h: row.get(h, "") for h in headers} for row in rows])


def _read_from(err: str, field: str) -> str:
    """The columns stderr says ``field`` is read from: "name <- 'Name' (where blank: 'title')"."""
    return err.split(f"{field} <-")[1].split(";")[0]


def test_pairs_between_two_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    partner = _write(
        tmp_path / "partner.csv",
        [
            {
                "ID": "p1",
                "Company Name": "Perry Homes LLC",
                "Phone": "(713) 555-0100",
                "City": "Houston",
                "State": "TX",
            },
            {"ID": "p2", "Company Name": "Toll Bros.", "Phone": "", "City": "Dallas", "State": "TX"},
            {"ID": "p3", "Company Name": "Nobody Like Us Construction", "Phone": "", "City": "Austin", "State": "TX"},
        ],
    )
    ours = _write(
        tmp_path / "ours.csv",
        [
            {"id": "10", "name": "Perry Homes", "phone": "713-555-0100", "city": "Houston", "state": "TX"},
            {"id": "11", "name": "Toll Brothers", "phone": "", "city": "Dallas", "state": "TX"},
            {"id": "12", "name": "Highland Homes", "phone": "", "city": "Dallas", "state": "TX"},
        ],
    )
    out = tmp_path / "pairs.csv"

    code = main(["match-csv", str(partner), "--entity", "builder", "--against", str(ours), "--out", str(out)])

    assert code == 0
    rows = _read(out)
    # Every input row once: the one without a match too (a partner file round-trips).
    assert [(r["left_id"], r["right_id"], r["decision"]) for r in rows] == [
        ("p1", "10", "match"),
        ("p2", "11", "match"),
        ("p3", "", "new"),
    ]
    assert rows[0]["method"] == "name_exact" and float(rows[0]["confidence"]) >= 0.9
    assert rows[0]["Company Name"] == "Perry Homes LLC" and "name=exact" in rows[0]["explanation"]
    assert "3 rows against 3 records" in capsys.readouterr().out


def test_missing_name_column_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(tmp_path / "bad.csv", [{"id": "1", "town": "Katy"}])
    out = tmp_path / "pairs.csv"

    code = main(["match-csv", str(bad), "--entity", "community", "--against", str(bad), "--out", str(out)])

    assert code == 2
    err = capsys.readouterr().err
    assert "no column for name" in err and "id, town" in err
    assert not out.exists()


def test_a_header_written_twice_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two columns called "name": reading either is a guess, and the output would lose one column's cells.
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("id,name,phone,name,,\n1,Perry Homes,713-555-0100,Perry Homes LLC,,\n")
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(repeated), "--entity", "builder", "--out", str(out)]) == 2
    assert "'name' (columns 2, 4)" in capsys.readouterr().err
    assert not out.exists()
    # Blank headers repeated (a spreadsheet's trailing separators) are no such column.
    blanks = tmp_path / "blanks.csv"
    blanks.write_text("id,name,,\n1,Perry Homes,,\n")
    assert main(["match-csv", str(blanks), "--entity", "builder", "--out", str(out)]) == 0


def test_missing_file_and_missing_address_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    homes = _write(tmp_path / "homes.csv", [{"id": "1", "name": "Lot 4"}])
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(tmp_path / "nope.csv"), "--entity", "property", "--against", str(homes),
                 "--out", str(out)]) == 2  # fmt: skip
    assert "file not found" in capsys.readouterr().err
    assert main(["match-csv", str(homes), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 2
    assert "no column for address" in capsys.readouterr().err


def test_a_workbook_or_an_empty_file_is_named_for_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tmp_path / "builders.xlsx"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(workbook), "--entity", "builder", "--out", str(out)]) == 2
    assert "builders.xlsx: a spreadsheet workbook (.xlsx, .xls or .ods), not CSV" in capsys.readouterr().err
    assert main(["match-csv", str(empty), "--entity", "builder", "--out", str(out)]) == 2
    assert "empty.csv: the file is empty" in capsys.readouterr().err
    assert main(["match-train", str(workbook), "--entity", "builder", "--out", str(tmp_path / "m.json")]) == 2
    assert "not CSV" in capsys.readouterr().err
    compressed = tmp_path / "builders.csv.gz"
    compressed.write_bytes(gzip.compress(b"id,name\n1,Oak Homes\n"))
    assert main(["match-csv", str(compressed), "--entity", "builder", "--out", str(out)]) == 2
    assert "builders.csv.gz: a gzip-compressed file, not CSV text: decompress it" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "m.json").exists()


# Two listings of one restaurant, each file with its own headers for the same fields.
LISTED = {"Site name": "Hill Country Delicatessen", "addr": "2450 Broadway between 90th and 91st Sts.",
          "Tel": "212/362-2200", "Town": "New York"}  # fmt: skip
ALSO_LISTED = {"name": "Hill Country Deli", "street_address": "2450 Broadway", "phone": "212-362-2200",
               "city": "New York"}  # fmt: skip


def test_common_headers_are_read_and_the_columns_used_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    left = _write(tmp_path / "left.csv", [{"id": "a1", **LISTED, "cuisine": "delis"}])
    right = _write(tmp_path / "right.csv", [{"id": "b1", **ALSO_LISTED}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "name <- 'Site name'" in err and "address <- 'addr'" in err and "phone <- 'Tel'" in err
    assert "not read: 'cuisine'" in err
    (row,) = _read(out)
    assert row["right_id"] == "b1" and row["decision"] == "match"
    assert "address=same" in row["explanation"]  # the cross streets after the address are not its street


@pytest.mark.parametrize(
    ("name", "phone"), [("Restaurant Name", "Phone No"), ("DBA Name", "Business Phone"), ("Franchisee", "Phone")]
)
def test_a_listings_own_headers_for_name_and_phone_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, phone: str
) -> None:
    left = _write(tmp_path / "left.csv", [{"id": "a1", name: "Katz's Delicatessen", phone: "212-254-2246"}])
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Katz's Deli", "phone": "(212) 254-2246"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    assert f"name <- '{name}'" in capsys.readouterr().err
    (row,) = _read(out)
    assert row["right_id"] == "b1" and "phone=same" in row["explanation"]


@pytest.mark.parametrize(("entity", "name_column"), [("community", "Community"), ("builder", "Builder")])
def test_a_column_named_for_the_entity_type_is_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entity: str, name_column: str
) -> None:
    # A file of communities lists each one's builder beside it, and a file of builders each one's community.
    partner = _write(
        tmp_path / "partner.csv",
        [{"Community": "Bridgeland", "Builder": "Perry Homes", "City": "Cypress", "State": "TX"}],
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(partner), "--entity", entity, "--against", str(partner), "--out", str(out)]) == 0

    assert f"name <- {name_column!r}" in capsys.readouterr().err
    (row,) = _read(out)
    assert row["decision"] == "match" and "name=exact" in row["explanation"]


@pytest.mark.parametrize(
    ("entity", "headers", "name_column"),
    [
        # A community list names each one's builder beside it, as its name or its company: not the community's.
        ("community", ("Builder Name", "Community Name", "City"), "Community Name"),
        ("community", ("Company", "Community", "City"), "Community"),
        ("builder", ("Community Name", "Builder Name", "City"), "Builder Name"),
        # A builder's "Title" is a person's job; a home's is its name.
        ("builder", ("Builder", "Contact Name", "Title", "City"), "Builder"),
        ("property", ("Title", "Address", "City"), "Title"),
    ],
)
def test_a_name_column_of_another_entity_type_is_not_the_records_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entity: str, headers: tuple[str, ...], name_column: str
) -> None:
    # Two communities (or builders) of one builder (or community) in one town: read by the other's column, one.
    values = {"Builder Name": "Perry Homes", "Company": "Perry Homes", "Builder": "Perry Homes", "Community Name":
              "Bridgeland", "Community": "Bridgeland", "Contact Name": "Jane Doe", "Title": "Sales Manager",
              "Address": "12 Main St", "City": "Cypress"}  # fmt: skip
    others = {"Builder Name": "Coventry Homes", "Community Name": "Towne Lake", "Community": "Towne Lake",
              "Builder": "Coventry Homes", "Title": "Sales Manager", "Address": "14 Main St"}  # fmt: skip
    rows = [{h: values[h] for h in headers}, {h: others.get(h, values[h]) for h in headers}]
    partner = _write(tmp_path / "partner.csv", rows)
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(partner), "--entity", entity, "--out", str(out)]) == 0

    assert f"name <- {name_column!r}" in capsys.readouterr().err
    assert [row["decision"] for row in _read(out)] == ["new", "new"]


@pytest.mark.parametrize(
    ("company", "trade"), [("Business Name", "DBA Name"), ("name", "dba"), ("Legal Entity Name", "D/B/A")]
)
def test_a_licence_lists_trade_name_is_the_builders_name_and_its_company_name_where_blank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], company: str, trade: str
) -> None:
    # A licence list names each builder twice: the company ("Business Name", or just "name") and the brand it
    # trades under ("DBA Name"), which is the name a marketplace lists; a builder trading under its company's name
    # leaves DBA blank.
    licences = _write(
        tmp_path / "licences.csv",
        [
            {"License Number": "L1", company: "Smith Construction LLC", trade: "Oak Creek Homes",
             "City": "Austin", "State": "TX"},
            {"License Number": "L2", company: "Perry Homes LLC", trade: "", "City": "Houston", "State": "TX"},
        ],
    )  # fmt: skip
    ours = _write(
        tmp_path / "ours.csv",
        [
            {"id": "b1", "name": "Oak Creek Homes", "city": "Austin", "state": "TX"},
            {"id": "b2", "name": "Perry Homes", "city": "Houston", "state": "TX"},
        ],
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(ours), "--out", str(out)]) == 0

    assert f"id <- 'License Number', name <- '{trade}' (where blank: '{company}')" in capsys.readouterr().err
    assert [(r["left_id"], r["right_id"], r["decision"]) for r in _read(out)] == [
        ("L1", "b1", "match"),
        ("L2", "b2", "match"),
    ]
    # Named on the command line, the column is read first, and the name's usual headers where a row's is blank (a
    # stacked file's other sources keep their names).
    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(ours), "--out", str(out),
                 "--column", f"name={company}"]) == 0  # fmt: skip
    assert f"name <- '{company}' (where blank: '{trade}')" in capsys.readouterr().err


def test_a_licence_number_two_rows_share_is_no_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # One builder licensed for two trades under one number: the rows are numbered, and the file still deduplicates.
    rows = [{"License Number": "L1", "Business Name": "Oak Homes", "Trade": "General"},
            {"License Number": "L1", "Business Name": "Oak Homes", "Trade": "Remodel"}]  # fmt: skip
    licences = _write(tmp_path / "licences.csv", rows)
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(licences), "--entity", "builder", "--out", str(out)]) == 0

    assert "id <-" not in capsys.readouterr().err
    assert [(r["left_id"], r["right_id"]) for r in _read(out)] == [("1", "2"), ("2", "1")]


def test_a_community_without_its_name_never_takes_its_builders(tmp_path: Path) -> None:
    # A community list's "Company" is the builder's name: a row with a blank community name stays unnamed, and a
    # community's own other name column ("Subdivision") stands in for it.
    perry = {"Company": "Perry Homes", "City": "Cypress"}
    rows = [{"Community Name": "", "Subdivision": "", **perry},
            {"Community Name": "", "Subdivision": "Bridgeland", **perry},
            {"Community Name": "Bridgeland", "Subdivision": "", **perry}]  # fmt: skip
    partner = _write(tmp_path / "partner.csv", rows)
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(partner), "--entity", "community", "--out", str(out)]) == 0

    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("", "new"), ("3", "match"), ("2", "match")]


def test_the_first_of_two_numbered_phone_columns_is_the_phone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Phone 1" and "Phone 2" both have the word: read by words alone, neither would be read.
    left = _write(tmp_path / "left.csv", [{"id": "1", "name": "Perry Homes", "Phone 1": "713-555-0100", "Phone 2": ""}])
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Perry Homes LLC", "phone": "(713) 555-0100"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    assert "phone <- 'Phone 1'" in capsys.readouterr().err
    (row,) = _read(out)
    assert "phone=same" in row["explanation"]


def test_a_suite_in_a_column_of_its_own_is_part_of_a_businesss_street_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two tenants of one mall, their suites in a "Suite" column: one building, not one business.
    mall = {"address": "2200 Eastridge Loop", "city": "San Jose"}
    left = _write(tmp_path / "left.csv", [{"id": "1", "name": "Angkorian Express", **mall, "Suite": "1105"}])
    right = _write(
        tmp_path / "right.csv", [{"id": "b1", "name": "Chinese Gourmet Express", **mall, "Suite": "Ste 9203"}]
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    printed = capsys.readouterr()
    assert "address2 <- 'Suite'" in printed.err
    (row,) = _read(out)
    assert row["decision"] != "match" and "held back: units_differ" in row["explanation"]
    assert "review, why: 1 units_differ" in printed.out  # the summary counts why pairs wait for review


def test_headers_no_alias_names_are_read_by_their_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = {"Business ID": "biz-17", "Contact Name": "Ann Lee", "Venue Name": "Hill Country Delicatessen",
              "Street Address 1": "2450 Broadway", "Business City": "New York",
              "Sales Phone": "212/362-2200"}  # fmt: skip
    left = _write(tmp_path / "left.csv", [listed])
    right = _write(tmp_path / "right.csv", [{"Listing ID": "L-9", **ALSO_LISTED}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert (
        "id <- 'Business ID', name <- 'Venue Name', phone <- 'Sales Phone', address <- 'Street Address 1', "
        "city <- 'Business City'; not read: 'Contact Name'" in err
    )  # a person's name is not the business's
    assert "id <- 'Listing ID'" in err
    (row,) = _read(out)
    # The partner's own ids, not row numbers: the output joins back to both files.
    assert (row["left_id"], row["right_id"], row["decision"]) == ("biz-17", "L-9", "match")
    assert "phone=same" in row["explanation"] and "address=same" in row["explanation"]


def test_a_header_read_by_words_is_not_guessed_between_two_nor_taken_as_an_id_when_not_unique(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [{"Category ID": "7", "Venue Name": name, "Work Phone": "212-362-2200", "Cell Phone": "917-555-0100"}
            for name in ("Hill Country Delicatessen", "Katz's Delicatessen")]  # fmt: skip
    left = _write(tmp_path / "left.csv", rows)
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "left.csv: name <- 'Venue Name'; not read: 'Category ID', 'Work Phone', 'Cell Phone'" in err
    assert [r["left_id"] for r in _read(out)] == ["1", "2"]  # numbered rows, as with no id column


def test_a_whole_address_in_one_column_links_to_one_split_in_columns(tmp_path: Path) -> None:
    left = _write(tmp_path / "left.csv", [{"id": "a1", "Business Name": "Hill Country Delicatessen",
                                           "Full Address": "400 Elm Ave Suite 5, Dallas, TX 75201",
                                           "Phone": "214.555.0102"}])  # fmt: skip
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Hill Country Deli", "street": "400 Elm Avenue Ste 5",
                                             "city": "Dallas", "state": "Texas", "zip": "75201",
                                             "telephone": "(214) 555-0102"}])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    (row,) = _read(out)
    assert row["right_id"] == "b1" and row["decision"] == "match"
    assert "address=same" in row["explanation"] and "postal_code" not in row["explanation"]  # implied by it


def test_a_column_named_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = {"Facility Label": LISTED["Site name"], "Where": LISTED["addr"], "Tel": LISTED["Tel"]}
    left = _write(tmp_path / "left.csv", [{"id": "a1", **odd}])
    right = _write(tmp_path / "right.csv", [{"id": "b1", **ALSO_LISTED}])
    out = tmp_path / "pairs.csv"
    base = ["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]

    assert main(base) == 2  # no name column it knows, and the error says how to name one
    assert "--column name=HEADER" in capsys.readouterr().err
    assert main([*base, "--column", "name=Facility Label", "--column", "address=Where"]) == 0
    assert "address <- 'Where'" in capsys.readouterr().err
    (row,) = _read(out)
    assert row["right_id"] == "b1" and "address=same" in row["explanation"]

    for bad, message in (
        ("address=Wher", "address='Wher': no input file has such a column"),
        ("colour=Where", "unknown field 'colour'"),
        ("name", "expected FIELD=HEADER"),
    ):
        assert main([*base, "--column", "name=Facility Label", "--column", bad]) == 2
        assert message in capsys.readouterr().err


def test_a_spreadsheet_saved_as_windows_1252_is_read(tmp_path: Path) -> None:
    left = tmp_path / "left.csv"
    left.write_bytes("id,name,phone\r\na1,Caf\u00e9 Ol\u00e9,713-555-0100\r\n".encode("cp1252"))
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Cafe Ole", "phone": "(713) 555-0100"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    (row,) = _read(out)
    assert row["name"] == "Caf\u00e9 Ol\u00e9" and row["right_id"] == "b1"


@pytest.mark.parametrize(
    ("encoding", "mark"),
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""), ("utf-16-be", b""),
     ("utf-32-le", b"\xff\xfe\x00\x00")],
    ids=["utf-16-le", "utf-16-be", "utf-16-le-unmarked", "utf-16-be-unmarked", "utf-32-le"],
)  # fmt: skip
def test_a_spreadsheets_unicode_text_is_read(tmp_path: Path, encoding: str, mark: bytes) -> None:
    # A spreadsheet's "Unicode text" export: UTF-16 with its byte-order mark, tab-separated; some tools write it
    # without the mark.
    left = tmp_path / "left.txt"
    left.write_bytes(mark + "id\tname\tphone\r\na1\tCaf\u00e9 Ol\u00e9\t713-555-0100\r\n".encode(encoding))
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Cafe Ole", "phone": "(713) 555-0100"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    (row,) = _read(out)
    assert row["name"] == "Caf\u00e9 Ol\u00e9" and row["right_id"] == "b1" and row["decision"] == "match"


def test_binary_data_or_broken_unicode_text_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pairs.csv"
    binary = tmp_path / "export.csv"
    binary.write_bytes(b"id,name\n" + bytes(range(256)) * 4)
    assert main(["match-csv", str(binary), "--entity", "builder", "--out", str(out)]) == 2
    assert "export.csv: binary data (control bytes), not CSV text" in capsys.readouterr().err
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe" + "id\tname\n1\tOak".encode("utf-16-le") + b"\x00\xd8")  # half a surrogate pair
    assert main(["match-csv", str(broken), "--entity", "builder", "--out", str(out)]) == 2
    assert "broken.txt: not valid UTF-16 text" in capsys.readouterr().err
    # A few stray zero bytes (an export's padding) in a text file are no value of it: the file is read.
    padded = tmp_path / "padded.csv"
    padded.write_bytes(b"name,city\nPerry Homes,Houston\n" + b"Oak Homes,Katy\n" * 200 + b"\x00\x00\x00")
    assert main(["match-csv", str(padded), "--entity", "builder", "--out", str(out)]) == 0
    assert [r["name"] for r in _read(out)][:2] == ["Perry Homes", "Oak Homes"]
    out.unlink()
    marked_empty = tmp_path / "empty.txt"
    marked_empty.write_bytes(b"\xff\xfe" + "\r\n".encode("utf-16-le"))
    assert main(["match-csv", str(marked_empty), "--entity", "builder", "--out", str(out)]) == 2
    assert "empty.txt: the file is empty" in capsys.readouterr().err
    assert not out.exists()


def test_a_title_above_the_header_is_passed_over_and_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A report's title, its date and a blank line, or a spreadsheet's "sep=;" line, above the header.
    left = tmp_path / "left.csv"
    left.write_text(
        "Builder list, Houston region\r\nExported 2026-12-01\r\n\r\nid,name,phone\r\n"
        "a1,Perry Homes,713-555-0100\r\na2,Oak Homes,713-555-0199,extra\r\n",
        encoding="utf-8",
    )
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text("sep=;\nid;name;phone\nc1;Perry Homes LLC;(713) 555-0100\n", encoding="utf-8")
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Perry Homes", "phone": "(713) 555-0100"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "left.csv (header on line 4, the line(s) above it not read): id <- 'id', name <- 'name'" in err
    assert "(line 6)" in err  # a row's line is the file's, the lines above the header counted
    assert [(r["left_id"], r["right_id"]) for r in _read(out)] == [("a1", "b1"), ("a2", "")]
    assert main(["match-csv", str(semicolons), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0
    assert "semicolons.csv (semicolon-separated) (header on line 2" in capsys.readouterr().err
    assert [(r["left_id"], r["right_id"]) for r in _read(out)] == [("c1", "b1")]


def test_a_data_row_is_never_taken_for_the_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The header names no name column; a row below it that a header's words would fit is a row, not the header.
    rows = tmp_path / "rows.csv"
    rows.write_text("id,town\n1,Company Name Holdings\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(rows), "--entity", "builder", "--out", str(out)]) == 2
    assert "no column for name" in capsys.readouterr().err and not out.exists()


def test_rows_of_blank_cells_are_counted_and_a_row_without_its_id_takes_no_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A spreadsheet's trailing ",,," rows, and rows whose id cell was left blank beside rows with ids 2 and 3.
    left = tmp_path / "left.csv"
    left.write_text("id,name,phone\n1,Perry Homes,713-555-0100\n,Oak Homes,\n2,Elm Homes,\n3,,\n,,\n , ,\n")
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Perry Homes", "phone": "7135550100"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    assert "phone <- 'phone'; 2 row(s) with every cell blank (written as new)" in capsys.readouterr().err
    # Every row once, in the file's order (a partner file round-trips), each under an id no other row has.
    assert [(r["left_id"], r["name"], r["decision"]) for r in _read(out)] == [
        ("1", "Perry Homes", "match"), ("row 2", "Oak Homes", "new"), ("2", "Elm Homes", "new"), ("3", "", "new"),
        ("row 5", "", "new"), ("row 6", " ", "new"),
    ]  # fmt: skip
    # Deduplicated, the file's ids are its own: no row's number is taken for another's id.
    assert main(["match-csv", str(left), "--entity", "builder", "--out", str(out)]) == 0
    assert sorted(r["left_id"] for r in _read(out)) == ["1", "2", "3", "row 2", "row 5", "row 6"]


def test_a_job_number_names_its_rows_beside_a_row_of_blank_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A sales office's spec sheet: its title lines, "Job #" as each home's id, and a trailing row of blank cells.
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "Spec Inventory,,\nJob #,Address,Zip\nHOU-41102,1262 Orchard Gate Dr,77406\n"
        "HOU-41093,3334 Songbird Glen Dr,77386\n,,\n"
    )
    listings = _write(tmp_path / "mls.csv", [{"ListingId": "19033979", "Address": "1262 Orchard Gate Dr",
                                              "PostalCode": "77406"}])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(sheet), "--entity", "property", "--against", str(listings), "--out", str(out)]) == 0
    assert "id <- 'Job #'" in capsys.readouterr().err
    assert [(r["left_id"], r["right_id"]) for r in _read(out)] == [
        ("HOU-41102", "19033979"), ("HOU-41093", ""), ("row 3", ""),
    ]  # fmt: skip
    # A job number two rows share is numbered over when the file's headers chose it; named with --column, it is the
    # user's id, and a file deduplicated refuses it by name rather than numbering its rows unasked.
    sheet.write_text("Job #,Address,Zip\nHOU-1,1262 Orchard Gate Dr,77406\nHOU-1,3334 Songbird Glen Dr,77386\n")
    assert main(["match-csv", str(sheet), "--entity", "property", "--out", str(out)]) == 0
    assert sorted(r["left_id"] for r in _read(out)) == ["1", "2"]
    capsys.readouterr()
    assert main(["match-csv", str(sheet), "--entity", "property", "--column", "id=Job #", "--out", str(out)]) == 2
    assert "id 'HOU-1' appears twice; a file deduplicated needs unique ids" in capsys.readouterr().err
    # Linked against another file, its rows are written under the ids it gives, and the repeat is said.
    argv = ["match-csv", str(sheet), "--entity", "property", "--against", str(listings), "--column", "id=Job #"]
    assert main([*argv, "--out", str(out)]) == 0
    assert "note: " in (err := capsys.readouterr().err) and "id 'HOU-1' appears more than once" in err
    assert [r["left_id"] for r in _read(out)] == ["HOU-1", "HOU-1"]


def test_a_quote_left_open_is_named_by_its_line_before_rows_are_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An unclosed quote would take every line after it as one value: two rows gone, with nothing said.
    left = tmp_path / "left.csv"
    left.write_text('Builders\nid,name,phone\n1,"Oak Homes,713-555-0100\n2,Elm Homes,\n3,Ash Homes,\n')
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Oak Homes"}])
    out = tmp_path / "pairs.csv"

    for target in (["--against", str(right)], []):
        assert main(["match-csv", str(left), "--entity", "builder", *target, "--out", str(out)]) == 2
        assert "left.csv: line 3: a quoted value in the row that begins on this line is never closed" in (
            capsys.readouterr().err
        )
        assert not out.exists()
    # A value longer than the csv module reads (an open quote in a large file) is named by its line too.
    huge = tmp_path / "huge.csv"
    huge.write_text(f'id,name\n1,Oak Homes\n2,"{"x" * 200_000}"\n')
    assert main(["match-csv", str(huge), "--entity", "builder", "--out", str(out)]) == 2
    assert "huge.csv: line 3: field larger than field limit (131072): is a quote left open?" in capsys.readouterr().err
    # A value on two lines, its quote closed, is one value (a street address and its suite, say).
    closed = tmp_path / "closed.csv"
    closed.write_text('id,name,address\n1,Oak Homes,"12 Main St\nSuite 4"\n2,"Elm\nHomes",\n')
    assert main(["match-csv", str(closed), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0
    assert [(r["left_id"], r["address"]) for r in _read(out)] == [("1", "12 Main St\nSuite 4"), ("2", "")]


def test_a_file_linked_against_needs_unique_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two records under one id: an output row's right_id would name neither.
    left = _write(tmp_path / "left.csv", [{"id": "1", "name": "Perry Homes"}])
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Perry Homes"}, {"id": "b1", "name": "Perry"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 2
    assert "right.csv: id 'b1' appears twice; a file linked against needs unique ids" in capsys.readouterr().err
    assert not out.exists()


def test_an_output_that_is_an_input_is_refused_and_the_input_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    left = _write(tmp_path / "left.csv", [{"id": "1", "name": "Perry Homes"}])
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Perry Homes"}])
    kept = {path: path.read_bytes() for path in (left, right)}
    monkeypatch.chdir(tmp_path)

    for command in (
        ["match-csv", "left.csv", "--entity", "builder", "--against", str(right), "--out", str(left)],
        ["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", "./right.csv"],
        ["match-csv", str(left), "--entity", "builder", "--out", "left.csv"],
        ["match-train", str(left), "--entity", "builder", "--out", "left.csv"],
    ):
        assert main(command) == 2
        assert "is an input file" in capsys.readouterr().err
    assert {path: path.read_bytes() for path in (left, right)} == kept


def test_one_target_at_most(tmp_path: Path) -> None:
    # No target deduplicates the file itself (tests/matching/test_dedup.py); two targets are refused.
    with pytest.raises(SystemExit):
        main(["match-csv", str(tmp_path / "x.csv"), "--entity", "builder", "--against", str(tmp_path / "y.csv"),
              "--against-db", "--out", str(tmp_path / "o.csv")])  # fmt: skip


@pytest.mark.parametrize("value", ["2", "-0.1", "nan", "high"])
def test_a_min_confidence_outside_0_to_1_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    partner = _write(tmp_path / "partner.csv", [{"name": "Perry Homes"}])
    with pytest.raises(SystemExit) as exit_:
        main(["match-csv", str(partner), "--entity", "builder", "--out", str(tmp_path / "o.csv"),
              "--min-confidence", value])  # fmt: skip
    assert exit_.value.code == 2
    assert f"--min-confidence: {value!r} is not a confidence from 0 to 1" in capsys.readouterr().err


def test_an_output_that_cannot_be_written_is_named_before_or_as_it_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partner = _write(tmp_path / "partner.csv", [{"name": "Perry Homes"}, {"name": "Perry Homes Inc"}])
    base = ["match-csv", str(partner), "--entity", "builder", "--out"]

    missing = tmp_path / "missing"
    assert main([*base, str(missing / "o.csv")]) == 2
    assert f"the folder {missing} does not exist" in capsys.readouterr().err
    assert main([*base, str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main([*base, "/dev/full"]) == 2  # a full disk: written, then refused
    assert "No space left on device" in capsys.readouterr().err
    assert main(["match-train", str(partner), "--entity", "builder", "--out", str(missing / "p.json")]) == 2
    assert f"the folder {missing} does not exist" in capsys.readouterr().err


def test_a_run_that_fails_as_it_writes_leaves_the_earlier_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    partner = _write(
        tmp_path / "partner.csv", [{"id": "1", "name": "Perry Homes"}, {"id": "2", "name": "Perry Homes Inc"}]
    )
    out = tmp_path / "pairs.csv"
    out.write_text("left_id,right_id\n1,9\n")

    def disk_full(*_args: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.matching.csv_tool.decision", disk_full)  # fails after the header is written
    assert main(["match-csv", str(partner), "--entity", "builder", "--out", str(out)]) == 2

    assert "No space left on device" in capsys.readouterr().err
    assert out.read_text() == "left_id,right_id\n1,9\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.csv", "partner.csv"]


def test_against_the_database(session: Session, tmp_path: Path) -> None:
    perry = make_builder(session, name="Perry Homes", phone="(713) 555-0100")
    partner = _write(tmp_path / "partner.csv", [{"name": "Perry Homes, Inc.", "phone": "7135550100"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(partner), "--entity", "builder", "--against-db", "--out", str(out)]) == 0

    rows = _read(out)
    assert [(r["left_id"], r["right_id"]) for r in rows] == [("1", str(perry.id))]


def test_a_builders_email_domain_is_its_site_in_a_file_and_in_the_database(
    session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A licence list gives builders' email addresses, the marketplace their websites. "Legacy Homes" is a name
    # builders in many states have: the domain tells them apart, and a mail provider's tells nothing.
    chesmar = make_builder(session, name="Chesmar Homes", website="https://www.chesmar.com/", city=None, state=None)
    legacy = make_builder(session, name="Legacy Homes", website=None, email="sales@legacyhomesaz.com", city=None,
                          state=None)  # fmt: skip
    partner = _write(
        tmp_path / "partner.csv",
        [
            {"id": "1", "Builder Name": "Chesmar Homes LLC", "Email Address": "info@chesmar.com"},
            {"id": "2", "Builder Name": "Legacy Homes", "Email Address": "Office: office@legacyhomestx.com"},
            {"id": "3", "Builder Name": "Chesmar Homes", "Email Address": "chesmarhomes@gmail.com"},
        ],
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(partner), "--entity", "builder", "--against-db", "--many", "--out", str(out)]) == 0

    assert "email <- 'Email Address'" in capsys.readouterr().err
    rows = {r["left_id"]: r for r in _read(out)}
    assert rows["1"]["right_id"] == str(chesmar.id) and "website=same" in rows["1"]["explanation"]
    assert rows["2"]["right_id"] in ("", str(legacy.id)) and rows["2"]["decision"] != "match"
    assert "website=different" in rows["2"]["explanation"]
    assert rows["3"]["right_id"] == str(chesmar.id) and "website=" not in rows["3"]["explanation"]


@pytest.mark.parametrize(
    ("url", "website"),
    [
        ("https://carusocustomhomesnj.com/about/", "website=same"),  # the site's own page, a crawler's url
        ("https://carusocustomhomesnj.com/contact-us.html", "website=same"),
        ("https://carusocustomhomesnj.com/locations/edison", None),  # a location's page: the company's mail is not it
    ],
)
def test_a_builders_email_domain_is_the_site_of_a_crawled_contact_page(
    tmp_path: Path, url: str, website: str | None
) -> None:
    # A warranty enrollment list gives a builder's email address, a crawler the page it read the builder's details
    # from: the site's about or contact page was taken for a location's, and no website compared.
    enrollment = _write(tmp_path / "enrollment.csv", [
        {"Registration No.": "065497", "Builder Name": "CARUSO CUSTOM HOMES", "City": "Edison", "State": "NJ",
         "Email": "office@carusocustomhomesnj.com"},
    ])  # fmt: skip
    crawl = _write(tmp_path / "crawl.csv", [
        {"crawl_id": "c1612", "url": url, "company_name": "Caruso Custom Homes", "locality": "Edison", "region": "NJ"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(enrollment), "--entity", "builder", "--against", str(crawl), "--out", str(out)]) == 0
    row = _read(out)[0]
    assert row["right_id"] == "c1612"
    assert (website in row["explanation"]) if website else "website=" not in row["explanation"]


@pytest.mark.parametrize(
    ("company_name", "page_title"),
    [
        ("Contact Us", "Costa Homes | Custom Home Builder in Edison NJ"),  # a navigation label is no name
        ("", "Welcome to Costa Homes"),  # a greeting
        ("", "Costa Homes - Luxury Custom Homes in Toms River NJ"),  # a trade described after a dash
    ],
)
def test_a_crawled_pages_title_names_the_builder_where_its_name_field_does_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], company_name: str, page_title: str
) -> None:
    # A crawler exports the page's title beside a company-name field it filled from a menu ("Contact Us"), or not at
    # all: the label was read as the builder's name (-5.9 against "COSTA HOMES LLC"), the title not read.
    enrollment = _write(tmp_path / "enrollment.csv", [
        {"Registration No.": "044120", "Builder Name": "COSTA HOMES LLC", "City": "Edison", "State": "NJ"},
    ])  # fmt: skip
    crawl = _write(tmp_path / "crawl.csv", [
        {"crawl_id": "c1", "url": "https://costahomesnj.com/contact/", "page_title": page_title,
         "company_name": company_name, "locality": "Edison", "region": "NJ"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(enrollment), "--entity", "builder", "--against", str(crawl), "--out", str(out)]) == 0
    assert "name <- 'company_name' (where blank: 'page_title')" in capsys.readouterr().err
    row = _read(out)[0]
    assert row["right_id"] == "c1" and "name=exact" in row["explanation"]


def test_an_email_address_names_no_site_of_a_community(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two communities of one builder in one town, the builder's sales address on both: not one community.
    sales = {"City": "Cypress", "Email": "sales@perryhomes.com"}
    rows = [{"id": "1", "Community Name": "Bridgeland", **sales}, {"id": "2", "Community Name": "Towne Lake", **sales}]
    partner = _write(tmp_path / "partner.csv", rows)
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(partner), "--entity", "community", "--out", str(out)]) == 0

    assert "email <-" not in capsys.readouterr().err
    assert all("website=" not in row["explanation"] for row in _read(out))
    assert prepare("community", {"name": "Bridgeland", "email": "sales@perryhomes.com"}).website is None
    # Named on the command line, it is refused rather than silently left unread.
    assert main(["match-csv", str(partner), "--entity", "community", "--column", "email=Email", "--out", str(out)]) == 2
    assert "--column email: read for a builder only, not a community" in capsys.readouterr().err


def test_a_street_address_given_in_parts_is_read_as_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A listing service's export (RESO's field names, in camel case): the street address in five columns and the
    # unit in a sixth; the marketplace's homes with the address in one line.
    listings = _write(
        tmp_path / "listings.csv",
        [
            {"ListingId": "A1", "StreetNumber": "21814", "StreetDirPrefix": "", "StreetName": "Sunny Meadow",
             "StreetSuffix": "Ln", "StreetDirSuffix": "", "UnitNumber": "", "City": "Cypress",
             "StateOrProvince": "TX", "PostalCode": "77433", "ListPrice": "350000"},
            {"ListingId": "A2", "StreetNumber": "123", "StreetDirPrefix": "N", "StreetName": "Oak",
             "StreetSuffix": "St", "StreetDirSuffix": "", "UnitNumber": "5", "City": "Katy",
             "StateOrProvince": "TX", "PostalCode": "77494", "ListPrice": "250000"},
        ],
    )  # fmt: skip
    homes = _write(
        tmp_path / "homes.csv",
        [
            {"id": "h1", "address": "21814 Sunny Meadow Lane", "city": "Cypress", "state": "TX", "zip": "77433"},
            {"id": "h2", "address": "123 N Oak St Unit 6", "city": "Katy", "state": "TX", "zip": "77494"},
            {"id": "h3", "address": "123 N Oak St Unit 5", "city": "Katy", "state": "TX", "zip": "77494"},
        ],
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(listings), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    for read in ("id <- 'ListingId'", "street_number <- 'StreetNumber'", "street_name <- 'StreetName'",
                 "address2 <- 'UnitNumber'", "state <- 'StateOrProvince'", "postal_code <- 'PostalCode'"):  # fmt: skip
        assert read in err
    assert [(r["left_id"], r["right_id"], r["decision"]) for r in _read(out)] == [
        ("A1", "h1", "match"),
        ("A2", "h3", "match"),
    ]


@pytest.mark.parametrize(
    ("entity", "header", "value"),
    [
        ("property", "SubdivisionName", "Sunny Meadow"),  # a listing service's: the home's community
        ("property", "Builder Name", "Perry Homes"),
    ],
)
def test_another_entity_types_name_is_not_read_as_the_records_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entity: str, header: str, value: str
) -> None:
    row = {"id": "1", "address": "21814 Sunny Meadow Ln", "city": "Cypress", "zip": "77433", header: value}
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(_write(tmp_path / "in.csv", [row])), "--entity", entity, "--out", str(out)]) == 0

    err = capsys.readouterr().err
    # A listing's subdivision is read as the plat its lot is in, never as the home's name.
    read_as_plat = f"subdivision <- {header!r}" in err
    assert f"name <- {header!r}" not in err and (read_as_plat or f"'{header}'" in err.split("not read:")[1])


@pytest.mark.parametrize("header", ["ListOfficeName", "Broker Name", "Elementary School Name", "PlanName"])
def test_a_listings_brokerage_or_school_is_not_read_as_the_homes_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    # A listing service's export beside its community's name: the only other "name" is the listing office's.
    row = {"ListingKey": "1", "address": "21814 Sunny Meadow Ln", "SubdivisionName": "Sunny Meadow", header: "X"}
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(_write(tmp_path / "in.csv", [row])), "--entity", "property", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "name <-" not in err and f"'{header}'" in err.split("not read:")[1]


def test_a_builder_file_with_only_its_communities_names_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A builder's list of where it builds: the community's name is not the builder's.
    rows = [{"Community Name": "Bridgeland", "Phone": "713-555-0100", "City": "Cypress"}]
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(_write(tmp_path / "in.csv", rows)), "--entity", "builder", "--out", str(out)]) == 2

    assert "no column for name of a builder" in capsys.readouterr().err


def test_two_exports_stacked_in_one_file_are_read_from_each_ones_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A builder's feed and a listing service's export stacked under one header: each fills its own "city"/"City",
    # "zip"/"Zip" and leaves the other's blank. Read from one column only, half the rows had no place.
    header = ["id", "address", "city", "zip", "City", "Zip"]
    rows = [
        dict(zip(header, ["b1", "4100 Harbor View Ct", "Lakewood Ranch", "34211", "", ""], strict=True)),
        dict(zip(header, ["m1", "4100 Harbor View Court", "", "", "Lakewood Ranch", "34211"], strict=True)),
    ]
    out = tmp_path / "dedup.csv"

    assert (
        main(["match-csv", str(_write(tmp_path / "stacked.csv", rows)), "--entity", "property", "--out", str(out)]) == 0
    )

    err = capsys.readouterr().err
    assert "city <- 'City' (where blank: 'city')" in err and "postal_code <- 'Zip' (where blank: 'zip')" in err
    assert "not read" not in err
    assert [(r["left_id"], r["right_id"], r["decision"]) for r in _read(out)] == [
        ("b1", "m1", "match"),
        ("m1", "b1", "match"),
    ]


def test_three_exports_stacked_in_one_file_are_read_from_each_ones_usual_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A marketplace's list, a builder's BDX feed and a map export stacked under one header, each filling its own
    # columns. Only the marketplace's were read: the feed's and the map's rows had no place, phone or website.
    header = ["record_id", "Community Name", "Address", "City", "Zip", "Phone", "SubdivisionName",
              "SalesOffice_Street1", "SalesOffice_City", "SalesOffice_ZIP", "SalesOffice_Phone", "SubWebsite",
              "name", "addr:housenumber", "addr:street", "addr:city", "addr:postcode"]  # fmt: skip
    cells = [
        ["M1", "Clover Grove", "533 Twin Oaks Lane", "Fishers", "46037", "(463) 555-0128", *[""] * 11],
        ["B1", "", "", "", "", "", "Clover Grove", "533 Twin Oaks Ln", "Fishers", "46037", "463-555-0128",
         "https://trailmarkhomes.com/clover-grove", *[""] * 5],
        ["O1", *[""] * 11, "Clover Grove", "533", "Twin Oaks Lane", "Fishers", "46037"],
    ]  # fmt: skip
    rows = [dict(zip(header, row, strict=True)) for row in cells]
    out = tmp_path / "dedup.csv"

    stacked = str(_write(tmp_path / "stacked.csv", rows))
    assert main(["match-csv", stacked, "--entity", "community", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "postal_code <- 'Zip' (where blank: 'SalesOffice_ZIP', 'addr:postcode')" in err
    assert "not read" not in err
    assert {(r["left_id"], r["decision"], r["cluster_id"]) for r in _read(out)} == {
        ("M1", "match", "M1"),
        ("B1", "match", "M1"),
        ("O1", "match", "M1"),
    }


def test_a_builder_feeds_sales_office_phone_in_parts_is_one_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A BDX feed gives its sales office's phone as area code, prefix and suffix, and its builder as its brand.
    feed = _write(tmp_path / "feed.csv", [
        {"SubdivisionNumber": "659694", "SubdivisionName": "Sable Heights", "BrandName": "Meridian Homes",
         "SalesOffice_Phone_AreaCode": "727", "SalesOffice_Phone_Prefix": "555", "SalesOffice_Phone_Suffix": "0191",
         "SalesOffice_City": "Riverview", "SalesOffice_State": "FL"},
    ])  # fmt: skip
    listed = _write(tmp_path / "listed.csv", [
        {"id": "NH1", "Community Name": "Sable Heights", "Builder Name": "Meridian Homes", "Phone": "(727) 555-0191",
         "City": "Riverview", "State": "FL"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(listed), "--against", str(feed), "--entity", "community", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "phone_area_code <- 'SalesOffice_Phone_AreaCode'" in err and "builder <- 'BrandName'" in err
    assert "builder <- 'Builder Name'" in err
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("659694", "match") and "phone=same" in row["explanation"]


def test_a_builder_column_is_read_for_communities_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"id": "1", "name": "Perry Homes", "Builder Name": "Perry Homes", "city": "Houston"}]
    out = tmp_path / "pairs.csv"
    path = str(_write(tmp_path / "in.csv", rows))

    assert main(["match-csv", path, "--entity", "builder", "--column", "builder=Builder Name", "--out", str(out)]) == 2

    assert "--column builder: read for a community only, not a builder" in capsys.readouterr().err


def test_a_count_of_builders_is_no_builder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A homebuilders' council's survey of two years counts each community's builders ("No. of Builders"), "TBD" where
    # none has bought lots yet: no builder's name, and two counts are no two builders.
    survey = _write(tmp_path / "survey.csv", [
        {"Record ID": "2023-1", "Community Name": "Mustang Lakes", "Developer": "Republic Property Group",
         "No. of Builders": "5", "City": "Celina", "ZIP": "75009"},
        {"Record ID": "2024-1", "Community Name": "MUSTANG LAKES", "Developer": "Republic Property Group",
         "No. of Builders": "6", "City": "Celina", "ZIP": "75009"},
        {"Record ID": "2024-2", "Community Name": "Tavolo Park", "Developer": "Tellus Group",
         "No. of Builders": "TBD", "City": "Fort Worth", "ZIP": ""},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(survey), "--entity", "community", "--out", str(out)]) == 0

    assert "builder <- 'No. of Builders'" not in capsys.readouterr().err
    decisions = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decisions["2024-1"] == ("2023-1", "match") or decisions["2023-1"] == ("2024-1", "match")


def test_a_loans_borrower_is_no_builders_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A bank's construction loans name the builder and the borrower, the homeowner the builder builds for: a loan whose
    # builder is "N/A" names none, not its borrower.
    loans = _write(tmp_path / "loans.csv", [
        {"Loan #": "L1", "Borrower Name": "Karen Spielman", "Builder Name": "N/A", "Builder City": "Frederick"},
        {"Loan #": "L2", "Borrower Name": "Dan Ortiz", "Builder Name": "Spielman Construction Inc",
         "Builder City": "Frederick"},
    ])  # fmt: skip
    registry = _write(tmp_path / "registry.csv", [
        {"Registration Number": "R1", "Business Name": "SPIELMAN CONSTRUCTION INC", "City": "Frederick"},
    ])  # fmt: skip
    out = tmp_path / "links.csv"

    argv = ["match-csv", str(loans), "--entity", "builder", "--against", str(registry), "--many", "--out", str(out)]
    assert main(argv) == 0

    assert "Borrower Name" not in _read_from(capsys.readouterr().err, "name")
    decided = {r["left_id"]: r["right_id"] for r in _read(out)}
    assert decided == {"L1": "", "L2": "R1"}


def test_a_subdivision_and_section_header_is_a_stacked_reports_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two utility districts' reports stacked: one names the subdivision and its section apart, the other in one cell
    # headed "SUBDIVISION/SECTION".
    reports = _write_stacked(
        tmp_path / "districts.csv",
        ["record_id", "Subdivision", "Section", "SUBDIVISION/SECTION", "Zip"],
        [  # fmt: skip
            {"record_id": "A1", "Subdivision": "Willow Fork Ranch", "Section": "7", "Zip": "77494"},
            {"record_id": "B1", "SUBDIVISION/SECTION": "WILLOW FORK RANCH SEC 7", "Zip": "77494"},
        ],
    )
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(reports), "--entity", "community", "--out", str(out)]) == 0

    assert "'SUBDIVISION/SECTION'" in _read_from(capsys.readouterr().err, "name")
    rows = {r["left_id"]: r for r in _read(out)}
    assert "B1" in (rows["A1"]["right_id"], rows["B1"]["right_id"])


def test_a_contractor_registry_and_a_review_sites_location_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A registry's "Contractor Name" where its DBA is blank, its "Registration No." as the id; a review site's one
    # "Location" cell for the address.
    registry = _write(tmp_path / "registry.csv", [
        {"Registration No.": "RC-27783", "Contractor Name": "ABBOTT BUILT HOMES", "DBA": "", "Phone": "",
         "Address": "5014 184TH PKWY", "City": "LOVELAND", "State": "OH"},
        {"Registration No.": "RC-27790", "Contractor Name": "BECK CONSTRUCTION LLC", "DBA": "Beck Homes",
         "Phone": "", "Address": "88 Main St", "City": "Mason", "State": "OH"},
    ])  # fmt: skip
    reviews = _write(tmp_path / "reviews.csv", [
        {"Builder": "Abbott Built Homes", "Location": "5014 184th Parkway, Loveland, OH 45140"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(registry), "--against", str(reviews), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "id <- 'Registration No.'" in err and "(where blank: 'Contractor Name')" in err
    assert "address <- 'Location'" in err
    rows = _read(out)
    assert (rows[0]["left_id"], rows[0]["right_id"], rows[0]["decision"]) == ("RC-27783", "1", "match")
    assert "address=same" in rows[0]["explanation"]


def test_the_id_column_that_names_every_row_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A map export's "@id" fills its own rows only; the stacked file's "record_id" names every row.
    rows = [
        {"@id": "way/1", "record_id": "OSM-1", "name": "Heron Run", "city": "Mesa", "state": "AZ"},
        {"@id": "", "record_id": "MKT-1", "name": "Heron Run", "city": "Mesa", "state": "AZ"},
    ]
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(_write(tmp_path / "in.csv", rows)), "--entity", "community", "--out", str(out)]) == 0

    assert "id <- 'record_id'" in capsys.readouterr().err
    assert [r["left_id"] for r in _read(out)] == ["OSM-1", "MKT-1"]


def test_a_sections_blank_name_is_not_read_from_its_master_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [{"id": "1", "Community Name": "", "Master Plan": "Harpeth Crossing", "city": "Franklin"}]
    out = tmp_path / "out.csv"

    assert main(["match-csv", str(_write(tmp_path / "in.csv", rows)), "--entity", "community", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "name <- 'Community Name'," in err and "'Master Plan'" in err.split("not read:")[1]


def test_columns_named_for_one_field_are_read_in_turn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A stacked file whose sources use their own headers: each named column fills where the one before is blank,
    # and the file's usual header after them.
    header = ["id", "street_address", "SITE_ADDR", "SpecStreet1", "town", "SITE_CITY"]
    cells = [
        ["m1", "4100 Harbor View Ct", "", "", "Lakewood Ranch", ""],
        ["p1", "", "4100 HARBOR VIEW CT", "", "", "Lakewood Ranch"],
        ["b1", "", "", "4100 Harbor View Court", "Lakewood Ranch", ""],
    ]
    rows = [dict(zip(header, row, strict=True)) for row in cells]
    out = tmp_path / "dedup.csv"
    args = ["--column", "address=street_address", "--column", "address=SITE_ADDR", "--column", "city=SITE_CITY"]

    path = str(_write(tmp_path / "stacked.csv", rows))
    assert main(["match-csv", path, "--entity", "property", *args, "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "address <- 'street_address' (where blank: 'SITE_ADDR', 'SpecStreet1')" in err
    assert "city <- 'SITE_CITY' (where blank: 'town')" in err
    assert {r["cluster_id"] for r in _read(out)} == {"m1"}


def test_a_stacked_builder_files_sources_each_give_their_phone_city_and_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An association's only phone is its "Office Phone", a lender's city, state and ZIP one cell; "Phone" and "phone"
    # are two exports' columns.
    header = ["id", "Licensee Name", "Address", "Phone", "Company Name", "Street Address", "Office Phone",
              "City/State/Zip", "name", "phone"]  # fmt: skip
    cells = [
        ["LIC-1", "DAHL CONSTRUCTION", "3214 Hwy 280", "5414418070", "", "", "", "Redmond, OR 97756", "", ""],
        ["HBA-1", "", "", "", "Dahl Construction", "3214 Highway 280", "(541) 441-8070", "Redmond, OR 97756", "", ""],
        ["MAP-1", "", "", "", "", "", "", "Redmond, OR 97756", "Dahl Construction", "+1 541-441-8070"],
    ]  # fmt: skip
    rows = [dict(zip(header, row, strict=True)) for row in cells]
    out = tmp_path / "dedup.csv"

    path = str(_write(tmp_path / "stacked.csv", rows))
    assert main(["match-csv", path, "--entity", "builder", "--column", "phone=Office Phone", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "phone <- 'Office Phone' (where blank: 'Phone', 'phone')" in err
    assert "address <- 'Address' (where blank: 'Street Address')" in err and "city <- 'City/State/Zip'" in err
    assert {r["cluster_id"] for r in _read(out)} == {"LIC-1"}


def test_one_field_named_with_column_for_each_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A registry's ids are "SOSID", an association's "Member ID": each file reads the one it has. The second option
    # replaced the first, and the registry's rows were numbered.
    registry = _write(tmp_path / "sos.csv", [{"SOSID": "S-1", "Entity Name": "Yandle Homes", "City": "Columbia"}])
    roster = _write(tmp_path / "hba.csv", [{"Member ID": "M-9", "Member": "Yandle Homes", "City": "Columbia"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(registry), "--entity", "builder", "--against", str(roster), "--out", str(out),
                 "--column", "id=SOSID", "--column", "id=Member ID", "--column", "name=Entity Name",
                 "--column", "name=Member"]) == 0  # fmt: skip

    err = capsys.readouterr().err
    assert "id <- 'SOSID', name <- 'Entity Name'" in err and "id <- 'Member ID', name <- 'Member'" in err
    assert [(r["left_id"], r["right_id"], r["decision"]) for r in _read(out)] == [("S-1", "M-9", "match")]
    # Each header must still be in some file.
    assert main(["match-csv", str(registry), "--entity", "builder", "--against", str(roster), "--out", str(out),
                 "--column", "id=SOSID", "--column", "id=Member No", "--column", "name=Entity Name",
                 "--column", "name=Member"]) == 2  # fmt: skip
    assert "--column id='Member No': no input file has such a column" in capsys.readouterr().err


def test_a_homes_own_address_is_read_before_its_owners_mailing_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An assessor's roll: the home's own ("situs") address and its owner's mailing address, a box in another town.
    roll = _write(
        tmp_path / "roll.csv",
        [{"Parcel": "P1", "Mailing Address": "PO Box 55, Dallas, TX 75201", "Situs Address": "21814 Sunny Meadow Ln",
          "Situs City": "Cypress", "Situs Zip": "77433"}],
    )  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [{"id": "h1", "address": "21814 Sunny Meadow Lane", "zip": "77433"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(roll), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 0

    assert "address <- 'Situs Address'" in capsys.readouterr().err
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("h1", "match")]


def test_a_point_in_one_column_places_a_community(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A community list with its map point in one "Lat/Long" column, against one with two columns.
    left = _write(
        tmp_path / "left.csv", [{"id": "1", "Community": "Bluebonnet Ridge", "Lat/Long": "30.3632, -97.9795"}]
    )
    right = _write(
        tmp_path / "right.csv",
        [{"id": "c1", "name": "Bluebonnet Ridge", "latitude": "30.3633", "longitude": "-97.9796"}],
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "community", "--against", str(right), "--out", str(out)]) == 0

    assert "coordinates <- 'Lat/Long'" in capsys.readouterr().err
    (row,) = _read(out)
    assert "distance=within_0_2km" in row["explanation"] and row["decision"] == "match"


def test_headers_written_in_camel_case_are_read_by_their_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partner = _write(
        tmp_path / "partner.csv",
        [{"BusinessName": "Perry Homes", "PhoneNumber": "713-555-0100", "WebsiteURL": "perryhomes.com",
          "ZIPCode": "77002", "StreetAddress": "9000 Gulf Fwy"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(partner), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    for read in ("name <- 'BusinessName'", "website <- 'WebsiteURL'", "phone <- 'PhoneNumber'",
                 "address <- 'StreetAddress'", "postal_code <- 'ZIPCode'"):  # fmt: skip
        assert read in err


def test_headers_in_lower_case_with_their_words_run_together_are_read_by_their_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An open data portal's register of business entities: its columns' words run together in lower case.
    filings = _write(
        tmp_path / "filings.csv",
        [{"entityid": "19999843217", "entityname": "ELK CREEK HOME BUILDERS LLC",
          "principaladdress1": "7568 W Alameda Ave", "principalcity": "Pueblo", "principalstate": "CO",
          "principalzipcode": "81008", "mailingcity": "Pueblo", "jurisdictonofformation": "CO"},
         {"entityid": "20038626262", "entityname": "Elk Creek Homes", "principaladdress1": "7568 West Alameda Avenue",
          "principalcity": "Pueblo", "principalstate": "CO", "principalzipcode": "81008", "mailingcity": "Pueblo",
          "jurisdictonofformation": "CO"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(filings), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    for read in ("id <- 'entityid'", "name <- 'entityname'", "address <- 'principaladdress1'",
                 "city <- 'principalcity'", "postal_code <- 'principalzipcode'"):  # fmt: skip
        assert read in err
    assert "'jurisdictonofformation'" in err.split("not read:")[1]  # a misspelt word: no header's words
    assert {(r["left_id"], r["decision"]) for r in _read(out)} == {("19999843217", "match"), ("20038626262", "match")}


def test_a_town_state_and_zip_cell_headed_by_whose_place_it_is_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A cosmetology board's "BUSINESS CITY, STATE ZIP"; an owner's is not the business's place.
    board = tmp_path / "board.csv"
    board.write_text(
        'LICENSE NO,BUSINESS NAME,BUSINESS ADDRESS,"BUSINESS CITY, STATE ZIP",OWNER CITY STATE ZIP\n'
        '1,Hair by Rosa,100 Main St Ste 108,"Houston, TX 77002","Katy, TX 77494"\n'
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(board), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "city <- 'BUSINESS CITY, STATE ZIP'" in err and "'OWNER CITY STATE ZIP'" in err.split("not read:")[1]


def test_a_companys_phone_is_read_before_its_contact_persons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A home show's exhibitor export: the salesperson's "Contact Phone" first, the builder's "Company Phone" after it.
    exhibitors = _write(tmp_path / "exhibitors.csv", [
        {"Exhibitor ID": "EX1", "Company Name": "Milford Homes", "Contact Phone": "832-555-0199",
         "Company Phone": "713-555-0140", "City": "Houston"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(exhibitors), "--entity", "builder", "--out", str(out)]) == 0

    assert "phone <- 'Company Phone'" in capsys.readouterr().err
    assert read_file(exhibitors, "builder").records[0].phone == "+17135550140"


def test_headers_in_capitals_with_their_words_run_together_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A food inspection system's export: "PHONENUMBER" and "POSTALCODE" were not read, and no phone or ZIP compared.
    permits = _write(
        tmp_path / "permits.csv",
        [{"PERMIT_ID": "F1", "DBA_NAME": "HAZEL CAFE", "ADDRESS1": "3574 FORESTVILLE RD", "CITY": "RALEIGH",
          "POSTALCODE": "27616", "PHONENUMBER": "(919) 942-8264", "ZIPCODE4": "4203"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(permits), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "phone <- 'PHONENUMBER'" in err and "postal_code <- 'POSTALCODE'" in err


def test_an_appraisal_rolls_account_is_its_rows_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A business personal property roll numbers its accounts "ACCOUNT": unread, a row was known by its line number.
    roll = _write(tmp_path / "roll.csv", [
        {"ACCOUNT": "2447197296268", "DBA": "LIFE STORAGE", "SITUS_ADDRESS": "4735 BARKER CYPRESS RD",
         "SITUS_CITY": "HOUSTON", "SITUS_ZIP": "77084"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(roll), "--entity", "builder", "--out", str(out)]) == 0
    assert "id <- 'ACCOUNT'" in capsys.readouterr().err
    assert _read(out)[0]["left_id"] == "2447197296268"


def test_homes_match_on_address_and_unit(tmp_path: Path) -> None:
    left = _write(tmp_path / "l.csv", [{"id": "a", "address": "500 Elm St Apt 4B", "zip": "77002"}])
    right = _write(
        tmp_path / "r.csv",
        [
            {"id": "x", "address1": "500 Elm Street", "unit": "Apt 5C", "zip": "77002"},
            {"id": "y", "address1": "500 Elm Street", "unit": "#4b", "zip": "77002"},
        ],
    )
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(left), "--entity", "property", "--against", str(right), "--out", str(out)]) == 0
    assert [(r["right_id"], r["method"]) for r in _read(out)] == [("y", "address_match")]


def test_progress_bar_on_large_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    right = [prepare("community", {"name": f"Community {n}", "city": "Katy", "state": "TX"}, n) for n in range(50)]
    left = [
        prepare("community", {"name": f"Community {n % 50}", "city": "Katy", "state": "TX"}, n) for n in range(1200)
    ]

    links, passed_over = link_rows(
        left, right, min_confidence=0.9, many=True, link_threshold=get_settings().match_high_threshold
    )

    assert len(links) == 1200 and passed_over == {}
    assert all(record.id % 50 == found[0].right.id for record, found in zip(left, links, strict=True))
    assert "1200/1200" in capsys.readouterr().err


@pytest.mark.parametrize(("delimiter", "named"), [("\t", "tab"), (";", "semicolon"), ("|", "vertical bar")])
def test_a_file_separated_by_another_delimiter_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], delimiter: str, named: str
) -> None:
    left = tmp_path / "left.txt"
    # A quoted value holding commas does not make the file comma-separated.
    header = delimiter.join(["id", '"Site name"', "address", "phone"])
    row = delimiter.join(["a1", '"Oak Homes, Inc."', "12 Main St", "713-555-0100"])
    left.write_text(f"{header}\n{row}\n", encoding="utf-8")
    right = _write(tmp_path / "right.csv", [{"id": "b1", "name": "Oak Homes", "address": "12 Main Street"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    assert f"left.txt ({named}-separated): id <- 'id', name <- 'Site name'" in capsys.readouterr().err
    (pair,) = _read(out)
    assert pair["Site name"] == "Oak Homes, Inc." and pair["right_id"] == "b1"


def test_a_one_column_file_is_read_as_comma_separated(tmp_path: Path) -> None:
    left = tmp_path / "left.csv"
    left.write_text("name\nOak Homes\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(left), "--out", str(out)]) == 0
    (pair,) = _read(out)
    assert pair["name"] == "Oak Homes"


def test_lines_ended_by_a_carriage_return_alone_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A Mac spreadsheet's "CSV (Macintosh)": every line ends in a carriage return alone, a street address in two
    # lines inside its quotes; the header's name cell ends in a no-break space.
    partner = tmp_path / "partner.csv"
    partner.write_bytes(
        b'ID,Name\xc2\xa0,Address,Phone\r1,Perry Homes,"9000 Gulf Fwy\rHouston, TX 77017",713-555-0100\r'
        b'2,Perry Homes LLC,"9000 Gulf Freeway, Houston TX 77017",(713) 555-0100\r'
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(partner), "--entity", "builder", "--out", str(out)]) == 0

    assert "name <- 'Name\\xa0'" in capsys.readouterr().err
    rows = _read(out)
    assert [(r["left_id"], r["right_id"], r["decision"]) for r in rows] == [("1", "2", "match"), ("2", "1", "match")]
    assert "address=same" in rows[0]["explanation"]


def test_a_line_the_csv_module_cannot_read_alone_is_no_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A title line with a carriage return inside it, above the header: passed over, not a traceback.
    partner = tmp_path / "partner.csv"
    partner.write_bytes(b"Builders\rDecember\nid,name\n1,Oak Homes\n")
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(partner), "--entity", "builder", "--out", str(out)]) == 0

    assert "header on line 2" in capsys.readouterr().err
    assert [r["name"] for r in _read(out)] == ["Oak Homes"]


def test_values_wrapped_in_single_quotes_are_read_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A database export's dialect: each text value in single quotes, a backslash before a quote inside, a comma
    # inside a value not a separator.
    left = tmp_path / "left.csv"
    left.write_text(
        "id,name,addr,city,phone\n"
        "1,'arnie morton\\'s of chicago','435 s. la cienega blv.','los angeles',310/246-1501\n"
        "2,'pisces','95 ave. a at 6th st.','new york',212/260-6660\n"
        "3,'smith, jones & co','12 main st.','houston',713/555-0100\n",
        encoding="utf-8",
    )
    right = _write(
        tmp_path / "right.csv",
        [
            {"id": "a", "name": "Arnie Morton's of Chicago", "address": "435 S. La Cienega Blvd.", "phone": ""},
            {"id": "b", "name": "Pisces", "address": "95 Avenue A", "phone": ""},
            {"id": "c", "name": "Smith, Jones & Co", "address": "12 Main Street", "phone": ""},
        ],
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--against", str(right), "--out", str(out)]) == 0

    assert "left.csv (values in single quotes): id <- 'id', name <- 'name'" in capsys.readouterr().err
    rows = _read(out)
    assert [(r["left_id"], r["right_id"], r["decision"]) for r in rows] == [
        ("1", "a", "match"),
        ("2", "b", "match"),
        ("3", "c", "match"),
    ]
    # The row's own cells are written back as the values they hold, without the export's quoting.
    assert rows[0]["name"] == "arnie morton's of chicago" and rows[2]["name"] == "smith, jones & co"
    assert "name=exact" in rows[0]["explanation"]


def test_apostrophes_in_a_spreadsheets_file_are_not_its_quoting(tmp_path: Path) -> None:
    left = tmp_path / "left.csv"
    left.write_text(
        "id,name,address\n"
        "1,'Til Midnight,12 Main St\n"
        "2,O'Malley's Pub,14 Main St\n"
        "3,'Round the Corner',16 Main St\n"  # one value quoted so: a column is not
        "4,Joe's,18 Main St\n",
        encoding="utf-8",
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--out", str(out)]) == 0

    assert [r["name"] for r in _read(out)] == ["'Til Midnight", "O'Malley's Pub", "'Round the Corner'", "Joe's"]


def test_a_file_quoting_in_double_quotes_is_a_spreadsheets_whatever_its_values_hold(tmp_path: Path) -> None:
    # Every cell of a column holds a value in single quotes, but the file quotes its cells in double quotes.
    left = tmp_path / "left.csv"
    left.write_text(
        '"name","addr","class"\n"arnie morton\'s","435 s. la cienega blv."," \'0\'"\n'
        '"arnie morton\'s","435 s. la cienega blvd."," \'0\'"\n"spago","1114 horn ave."," \'1\'"\n',
        encoding="utf-8",
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--out", str(out)]) == 0

    rows = _read(out)
    assert [r["name"] for r in rows] == ["arnie morton's", "arnie morton's", "spago"]
    assert [r["class"] for r in rows] == [" '0'", " '0'", " '1'"]
    assert rows[0]["right_id"] == "2" and rows[0]["decision"] == "match"


def test_rows_with_more_cells_than_the_header_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An unquoted comma in a name shifts the row's cells: the phone column then holds the rest of the name.
    left = tmp_path / "left.csv"
    left.write_text("id,name,phone\na1,Oak Homes,713-555-0100\na2,Smith, Jones & Co,713-555-0101\n", "utf-8")
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(left), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "1 row(s) have more cells than the header" in err and "(line 3)" in err and "comma" in err
    assert [row["id"] for row in _read(out)] == ["a1", "a2"]  # every row still written once


def test_with_many_a_row_two_records_fit_is_held_for_review_naming_the_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The partner names no builder, and our file holds two builders' sections of Harvest Green on the master plan's
    # line: linking the row to either could write the other's facts.
    place = {"Phone": "(281) 555-0190", "City": "Richmond", "Zip": "77406"}
    partner = _write(tmp_path / "p.csv", [{"id": "p1", "Community": "Harvest Green", **place},
                                          {"id": "p2", "Community": "Aliana", "Phone": "(281) 555-0144",
                                           "City": "Richmond", "Zip": "77407"}])  # fmt: skip
    ours = _write(tmp_path / "o.csv", [
        {"id": "o1", "Community": "Harvest Green", "Builder": "Perry Homes", **place},
        {"id": "o2", "Community": "Harvest Green", "Builder": "Highland Homes", **place},
        {"id": "o3", "Community": "Aliana", "Builder": "", "Phone": "281-555-0144", "City": "Richmond", "Zip": "77407"},
    ])  # fmt: skip
    out = tmp_path / "out.csv"
    argv = ["match-csv", str(partner), "--entity", "community", "--against", str(ours), "--out", str(out), "--many"]

    assert main([*argv, "--top", "2"]) == 0
    assert "review, why: 2 ambiguous_with" in capsys.readouterr().out
    rows = _read(out)
    sections = [r for r in rows if r["left_id"] == "p1"]
    assert sorted(r["right_id"] for r in sections) == ["o1", "o2"]
    assert all(r["decision"] == "review" for r in sections)
    assert all(float(r["confidence"]) < get_settings().match_high_threshold for r in sections)
    for row in sections:
        other = "o2" if row["right_id"] == "o1" else "o1"
        assert row["explanation"].endswith(f"; held back: ambiguous_with {other}")
    # A row only one record fits is matched as before.
    assert [(r["right_id"], r["decision"]) for r in rows if r["left_id"] == "p2"] == [("o3", "match")]
    assert "held back" not in next(r for r in rows if r["left_id"] == "p2")["explanation"]


@pytest.mark.parametrize("many", [[], ["--many"]])
def test_a_street_without_its_type_waits_where_the_files_give_that_name_two_types(
    tmp_path: Path, many: list[str]
) -> None:
    # The subdivision has an Oak Bend Dr and an Oak Bend Ct; the listings hold 1232 on the Ct only. "1232 Oak Bend" may
    # be a house on the Dr not listed. Bluff Haven is one street, Bluff Haven Dr.
    place = {"City": "Cypress", "Zip": "77433"}
    feed = _write(tmp_path / "feed.csv", [{"HomeID": "h1", "Address": "1232 Oak Bend", **place},
                                          {"HomeID": "h2", "Address": "4574 Bluff Haven", **place}])  # fmt: skip
    listings = _write(tmp_path / "mls.csv", [
        {"ListingKey": "m1", "Address": "1232 Oak Bend Ct", **place},
        {"ListingKey": "m2", "Address": "1300 Oak Bend Dr", **place},
        {"ListingKey": "m3", "Address": "4574 Bluff Haven Dr", **place},
    ])  # fmt: skip
    out = tmp_path / "out.csv"

    argv = ["match-csv", str(feed), "--entity", "property", "--against", str(listings), "--out", str(out), *many]
    assert main(argv) == 0

    rows = {row["left_id"]: row for row in _read(out)}
    assert (rows["h1"]["right_id"], rows["h1"]["decision"]) == ("m1", "review")
    assert rows["h1"]["explanation"].endswith("held back: street_type_unconfirmed")
    assert (rows["h2"]["right_id"], rows["h2"]["decision"]) == ("m3", "match")


def test_with_many_a_record_far_likelier_than_the_other_is_matched(tmp_path: Path) -> None:
    # Two divisions of one builder share its name and site, each at its own office. The partner gives the name, the
    # site and the Winston-Salem division's line: the Greensboro division fits on the name and the site alone.
    site = {"website": "https://www.hartleyhomes.com", "state": "NC"}
    partner = _write(tmp_path / "p.csv", [{"id": "p1", "name": "Hartley Homes", "phone": "336-555-0190", **site}])
    ours = _write(tmp_path / "o.csv", [
        {"id": "o1", "name": "Hartley Homes", "phone": "(336) 555-0190", "address": "380 Knollwood St",
         "city": "Winston-Salem", "zip": "27103", **site},
        {"id": "o2", "name": "Hartley Homes", "phone": "(336) 555-0144", "address": "2100 W Cornwallis Dr",
         "city": "Greensboro", "zip": "27408", **site},
    ])  # fmt: skip
    out = tmp_path / "out.csv"
    argv = ["match-csv", str(partner), "--entity", "builder", "--against", str(ours), "--out", str(out), "--many"]

    assert main([*argv, "--top", "2"]) == 0

    rows = {row["right_id"]: row for row in _read(out)}
    assert rows["o1"]["decision"] == "match" and "held back" not in rows["o1"]["explanation"]
    # The sister reached the threshold too; a row is one builder, so the second link waits for review naming the best.
    assert rows["o2"]["decision"] == "review" and rows["o2"]["explanation"].endswith("held back: second_to o1")
    assert float(rows["o2"]["confidence"]) < get_settings().match_high_threshold


def test_with_top_a_second_entity_at_the_rows_address_is_not_matched_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One company's two brands at its office, on its line, each with its own site: the licence's own brand is the
    # row's match; the sister brand reaches the threshold too and was written as a second match of one row.
    office = {"phone": "(512) 555-0177", "address": "1401 Ranch Rd 620 S", "city": "Lakeway", "state": "TX"}
    licences = _write(tmp_path / "l.csv", [{"id": "L1", "name": "Tradewinds Homes LLC", **office}])
    brands = _write(tmp_path / "b.csv", [
        {"id": "B1", "name": "Tradewinds Homes", "website": "https://tradewindshomes.com", **office},
        {"id": "B2", "name": "Tradewinds Signature Series", "website": "https://twsignature.com", **office},
    ])  # fmt: skip
    out = tmp_path / "out.csv"
    argv = ["match-csv", str(licences), "--entity", "builder", "--against", str(brands), "--out", str(out), "--many"]

    assert main([*argv, "--top", "2"]) == 0

    assert "review, why: 1 second_to" in capsys.readouterr().out
    rows = _read(out)
    assert [(r["right_id"], r["decision"]) for r in rows] == [("B1", "match"), ("B2", "review")]
    assert rows[1]["explanation"].endswith("; held back: second_to B1")


def test_with_many_a_record_listed_twice_is_no_ambiguity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The listing service holds one home twice (expired, then relisted under a new number), and a directory one
    # builder twice: each copy is the row's entity, and both are matched.
    place = {"City": "Cypress", "Zip": "77433"}
    feed = _write(tmp_path / "feed.csv", [{"HomeID": "h1", "Address": "513 N Maple Glen Way", **place}])
    listings = _write(tmp_path / "mls.csv", [
        {"ListingKey": "m1", "Address": "513 N Maple Glen Way", "ListPrice": "389900", **place},
        {"ListingKey": "m2", "Address": "513 N. Maple Glen Way", "ListPrice": "379900", **place},
        {"ListingKey": "m3", "Address": "517 N Maple Glen Way", "ListPrice": "379900", **place},
    ])  # fmt: skip
    out = tmp_path / "out.csv"
    argv = ["match-csv", str(feed), "--entity", "property", "--against", str(listings), "--out", str(out), "--many"]

    assert main([*argv, "--top", "2"]) == 0
    assert sorted((r["right_id"], r["decision"]) for r in _read(out)) == [("m1", "match"), ("m2", "match")]
    cedar = {"phone": "(713) 555-0123", "address": "2200 Westheimer Rd", "city": "Houston"}
    partner = _write(tmp_path / "p.csv", [{"id": "p1", "name": "Cedar Homes", **cedar}])
    ours = _write(tmp_path / "o.csv", [
        {"id": "o1", "name": "Cedar Homes", **cedar, "address": "2200 Westheimer Road"},
        {"id": "o2", "name": "Cedar Homes Inc", **cedar, "phone": "713-555-0123"},
    ])  # fmt: skip
    argv = ["match-csv", str(partner), "--entity", "builder", "--against", str(ours), "--out", str(out), "--many"]
    assert main(argv) == 0
    (row,) = _read(out)
    assert row["decision"] == "match" and row["right_id"] in ("o1", "o2") and "held back" not in row["explanation"]


def test_with_many_the_record_bearing_the_rows_very_name_is_matched_beside_its_sister_brand(tmp_path: Path) -> None:
    # Two brands of one parent at its office, on its line: the licence's "Piedmont Homes LLC" is "Piedmont Homes".
    office = {"phone": "(336) 555-0140", "address": "400 N Elm St Ste 300", "city": "Greensboro", "state": "NC"}
    licences = _write(tmp_path / "l.csv", [{"id": "L1", "name": "PIEDMONT HOMES LLC", **office}])
    brands = _write(tmp_path / "b.csv", [{"id": "B1", "name": "Piedmont Land & Homes", **office},
                                         {"id": "B2", "name": "Piedmont Homes", **office}])  # fmt: skip
    out = tmp_path / "out.csv"
    argv = ["match-csv", str(licences), "--entity", "builder", "--against", str(brands), "--out", str(out), "--many"]
    assert main(argv) == 0
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("B2", "match") and "held back" not in row["explanation"]


def test_a_house_number_in_its_own_column_begins_the_street_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A builder's quick move-in export: "House #" apart from "Street". Read without it, every house of a street was
    # one street address, and none found its listing.
    export = _write(
        tmp_path / "qmi.csv",
        [{"Job #": "J-1", "House #": "4418", "Street": "Canyon Wren Dr", "City": "Buckeye", "Zip": "85396"},
         {"Job #": "J-2", "House #": "4422", "Street": "Canyon Wren Dr", "City": "Buckeye", "Zip": "85396"}],
    )  # fmt: skip
    listings = _write(
        tmp_path / "mls.csv",
        [{"ListingKey": "L9", "UnparsedAddress": "4422 Canyon Wren Drive", "StreetNumber": "4422",
          "City": "Buckeye", "PostalCode": "85396"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(export), "--entity", "property", "--against", str(listings), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "id <- 'Job #'" in err and "street_number <- 'House #'" in err
    assert [(r["left_id"], r["right_id"], r["decision"]) for r in _read(out)] == [
        ("J-1", "", "new"),
        ("J-2", "L9", "match"),
    ]


@pytest.mark.parametrize(
    ("header", "read"),
    [
        ("Member Company", True),
        ("Account Business", True),
        ("Parent Company", False),
        ("Company Phone", False),
        ("Years in Business", False),
    ],
)
def test_a_rosters_business_headed_without_the_word_name_is_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str, read: bool
) -> None:
    # An association's roster heads its members' names "Member Company"; a parent's name is another company's.
    roster = _write(tmp_path / "roster.csv", [{"Member ID": "M1", header: "Wakefield Custom Homes",
                                               "Contact": "Megan Hill", "City": "Raleigh"}])  # fmt: skip
    out = tmp_path / "out.csv"
    code = main(["match-csv", str(roster), "--entity", "builder", "--out", str(out)])
    err = capsys.readouterr().err
    assert (code == 0 and f"name <- '{header}'" in err) is read
    if not read:
        assert code == 2 and "no column for name of a builder" in err
        assert "or ending with business, company, firm" in err  # the error says what a header may be


@pytest.mark.parametrize(
    ("entity", "header"),
    [("community", "Builder Phone"), ("community", "Management Company Phone"), ("builder", "Community Phone")],
)
def test_another_records_phone_is_not_read_by_its_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entity: str, header: str
) -> None:
    # A parade of homes lists each entry's community with its builder's office line, which every community the
    # builder builds in shares: read as the community's phone, it said two of them were one.
    entries = _write(tmp_path / "entries.csv", [
        {"Entry #": "12", "Name": "Sedona Lakes", header: "281-555-0140", "City": "Manvel"},
        {"Entry #": "13", "Name": "Meridiana", header: "281-555-0140", "City": "Manvel"},
    ])  # fmt: skip
    out = tmp_path / "out.csv"

    assert main(["match-csv", str(entries), "--entity", entity, "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "phone <-" not in err and repr(header) in err.split("not read")[1]
    assert [row["cluster_id"] for row in _read(out)] == ["12", "13"]


def test_an_association_registrys_manager_line_and_office_are_not_the_communities(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A state's association registry: each community by its association's legal name and county, with its manager's
    # mailing office and line, which the manager gives for every community it manages. The marketplace lists each
    # community with its sales office's own line.
    manager = {
        "Management Company": "Crest Management Company",
        "Mailing Address": "17171 Park Row Ste 310",
        "Mailing City": "Houston",
        "Mailing State": "TX",
        "Mailing Zip": "77084",
        "Phone": "(281) 579-0761",
    }
    registry = _write(tmp_path / "registry.csv", [
        {"Registration ID": "HOA-1", "Association Name": "Sienna Ridge Community Association, Inc.",
         "County": "Montgomery", **manager},
        {"Registration ID": "HOA-2", "Association Name": "Sorrento HOA", "County": "Guadalupe", **manager},
        {"Registration ID": "HOA-3", "Association Name": "Laurel Springs Homeowners Association",
         "County": "Fort Bend", **manager},
    ])  # fmt: skip
    marketplace = _write(tmp_path / "marketplace.csv", [
        {"SubdivisionNumber": "100262", "SubdivisionName": "Sienna Ridge", "SalesOffice_City": "Conroe",
         "SalesOffice_State": "TX", "SalesOffice_ZIP": "77304", "SalesOffice_Phone": "(936) 555-0142"},
        {"SubdivisionNumber": "100939", "SubdivisionName": "Sorrento", "SalesOffice_City": "Cibolo",
         "SalesOffice_State": "TX", "SalesOffice_ZIP": "78108", "SalesOffice_Phone": "(210) 555-0177"},
        {"SubdivisionNumber": "100411", "SubdivisionName": "Laurel Springs", "SalesOffice_City": "Richmond",
         "SalesOffice_State": "TX", "SalesOffice_ZIP": "77406", "SalesOffice_Phone": "(281) 555-0190"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(registry), "--entity", "community", "--against", str(marketplace), "--out", str(out)]

    assert main(argv) == 0

    err = capsys.readouterr().err
    assert "county <- 'County'" in err and "city <-" not in err.split("registry.csv: ")[1].split("\n")[0]
    linked = {row["left_id"]: (row["right_id"], row["decision"]) for row in _read(out)}
    assert linked == {"HOA-1": ("100262", "match"), "HOA-2": ("100939", "match"), "HOA-3": ("100411", "match")}
    assert all("phone=" not in row["explanation"] for row in _read(out))  # the manager's line is no evidence


def test_an_inventorys_building_column_is_read_with_its_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A condominium complex's buildings at one street address number their units alike: the builder gives the
    # building in a column of its own, a listing runs it into the unit ("1-206") or leaves it out ("#206").
    inventory = _write(tmp_path / "inventory.csv", [
        {"Job #": "J1", "Bldg": "1", "Unit": "206", "Address": "100 Sable Point Dr", "City": "Austin", "Zip": "78745"},
        {"Job #": "J2", "Bldg": "3", "Unit": "206", "Address": "100 Sable Point Dr", "City": "Austin", "Zip": "78745"},
    ])  # fmt: skip
    listings = _write(tmp_path / "mls.csv", [
        {"ListingKey": "K1", "UnparsedAddress": "100 Sable Point Dr", "UnitNumber": "1-206", "City": "Austin",
         "PostalCode": "78745"},
        {"ListingKey": "K2", "UnparsedAddress": "100 Sable Point Dr #206", "City": "Austin", "PostalCode": "78745"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(inventory), "--entity", "property", "--against", str(listings), "--out", str(out)]

    assert main([*argv, "--many"]) == 0

    assert "building <- 'Bldg'" in capsys.readouterr().err
    rows = {row["left_id"]: row for row in _read(out)}
    assert (rows["J1"]["right_id"], rows["J1"]["decision"]) == ("K1", "match")
    # Building 3's unit 206 is not building 1's; "#206" with no building is either: held for a reviewer.
    assert rows["J2"]["decision"] != "match" and "unit_unconfirmed" in rows["J2"]["explanation"]


def test_a_permits_contractor_and_applicant_are_not_the_homes_name_or_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A city's permit export: the site's address is the home's; its applicant (the builder's office) and contractor
    # (a plumber, the builder) name others, which many homes share.
    permits = _write(tmp_path / "permits.csv", [
        {"PERMIT_NO": "P1", "SITE_ADDR": "113 OAK BEND DR", "SITE_CITY": "LEANDER", "SITE_ZIP": "78641",
         "APPLICANT_NAME": "ASHCROFT HOMES LLC", "APPLICANT_STATE": "TX", "CONTRACTOR_NAME": "HILL COUNTRY PLUMBING"},
        {"PERMIT_NO": "P2", "SITE_ADDR": "117 OAK BEND DR", "SITE_CITY": "LEANDER", "SITE_ZIP": "78641",
         "APPLICANT_NAME": "ASHCROFT HOMES LLC", "APPLICANT_STATE": "TX", "CONTRACTOR_NAME": "HILL COUNTRY PLUMBING"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(permits), "--entity", "property", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "name <-" not in err and "state <-" not in err
    assert all(f"'{h}'" in err.split("not read")[1] for h in ("CONTRACTOR_NAME", "APPLICANT_NAME", "APPLICANT_STATE"))
    assert [row["cluster_id"] for row in _read(out)] == ["P1", "P2"]


def test_a_utilitys_customer_is_not_the_homes_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An electric utility's meter-set report: the account's customer is the builder's company, whose homes are many.
    meters = _write(tmp_path / "meters.csv", [
        {"SO_NUMBER": "SO1", "SERVICE_ADDRESS": "113 OAK BEND DR", "SVC_CITY": "LEANDER", "SVC_ZIP": "78641",
         "CUSTOMER_NAME": "ASHCROFT HOMES LLC"},
        {"SO_NUMBER": "SO2", "SERVICE_ADDRESS": "117 OAK BEND DR", "SVC_CITY": "LEANDER", "SVC_ZIP": "78641",
         "CUSTOMER_NAME": "ASHCROFT HOMES LLC"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(meters), "--entity", "property", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "name <-" not in err and "'CUSTOMER_NAME'" in err.split("not read")[1]
    assert [row["cluster_id"] for row in _read(out)] == ["SO1", "SO2"]


def test_an_inventorys_lot_column_places_a_home_not_yet_numbered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A builder's inventory gives a home's lot apart ("Lot" 18, "House #" blank); a listing writes "Lot 18 Oak Bend Ct".
    inventory = _write(tmp_path / "inv.csv", [
        {"Job #": "OBE-018", "Lot": "018", "House #": "", "Street": "Oak Bend Ct", "City": "Katy", "Zip": "77494"},
        {"Job #": "OBE-006", "Lot": "Blk 1 Lot 6", "House #": "2117", "Street": "Oak Bend Dr", "City": "Katy",
         "Zip": "77494"},
    ])  # fmt: skip
    listings = _write(tmp_path / "mls.csv", [
        {"ListingKey": "K1", "UnparsedAddress": "Lot 18 Oak Bend Ct", "City": "Katy", "PostalCode": "77494"},
        {"ListingKey": "K2", "UnparsedAddress": "Lot 18 Oak Bend Dr", "City": "Katy", "PostalCode": "77494"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(listings), "--entity", "property", "--against", str(inventory), "--out", str(out)]
    assert main([*argv, "--many"]) == 0
    assert "lot <- 'Lot'" in capsys.readouterr().err
    decisions = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decisions["K1"] == ("OBE-018", "match")
    # Lot 18 of Oak Bend Dr is another street's lot: held for a reviewer at most, never linked.
    assert decisions["K2"][1] != "match"


def test_a_listings_legal_description_gives_the_lot_of_a_home_numbered_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A listing service gives a home not yet numbered the StreetNumber 0 and its lot in the legal description only.
    listings = _write(tmp_path / "mls.csv", [
        {"MLS #": "M1", "StreetNumber": "0", "StreetName": "Oak Bend", "StreetSuffix": "Ct", "City": "Katy",
         "PostalCode": "77494", "LegalDescription": "LT 18 BLK 2 CINCO RANCH SW SEC 4"},
        {"MLS #": "M2", "StreetNumber": "2117", "StreetName": "Oak Bend", "StreetSuffix": "Ct", "City": "Katy",
         "PostalCode": "77494", "LegalDescription": "LT 6 BLK 2 CINCO RANCH SW SEC 4"},
    ])  # fmt: skip
    inventory = _write(tmp_path / "inv.csv", [
        {"Job #": "OBE-018", "Lot": "Blk 2 Lot 18", "Street": "Oak Bend Ct", "City": "Katy", "Zip": "77494"},
        {"Job #": "OBE-019", "Lot": "Blk 2 Lot 19", "Street": "Oak Bend Ct", "City": "Katy", "Zip": "77494"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(listings), "--entity", "property", "--against", str(inventory), "--out", str(out)]
    assert main(argv) == 0
    assert "lot <- 'LegalDescription'" in capsys.readouterr().err
    decisions = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decisions["M1"] == ("OBE-018", "match")
    # A home with its house number is placed by it, not by its lot: no lot 6 is listed, and no link is made.
    assert decisions["M2"][1] != "match"


def test_a_home_listed_by_its_lot_before_it_was_numbered_is_its_numbered_listing(tmp_path: Path) -> None:
    # The listing service had the home at "0 Sable Ridge Ln", lot 9 in its legal description; the builder's feed has
    # it numbered, 1333, with its lot in a column of its own. Lot 11 of the street is another home.
    listings = _write(tmp_path / "mls.csv", [
        {"ListingKey": "M1", "StreetNumber": "0", "StreetName": "Sable Ridge", "StreetSuffix": "Ln", "City": "Cypress",
         "PostalCode": "77433", "LegalDescription": "LT 9 BLK 3 OAK BEND SEC 2"},
        {"ListingKey": "M2", "StreetNumber": "0", "StreetName": "Sable Ridge", "StreetSuffix": "Ln", "City": "Cypress",
         "PostalCode": "77433", "LegalDescription": "LT 11 BLK 3 OAK BEND SEC 2"},
    ])  # fmt: skip
    feed = _write(tmp_path / "feed.csv", [
        {"HomeID": "H1", "Address": "1333 Sable Ridge Lane", "City": "Cypress", "Zip": "77433", "Lot": "Lot 9 Blk 3"},
        {"HomeID": "H2", "Address": "1345 Sable Ridge Lane", "City": "Cypress", "Zip": "77433", "Lot": "Lot 12 Blk 3"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    argv = ["match-csv", str(listings), "--entity", "property", "--against", str(feed), "--out", str(out)]
    assert main(argv) == 0

    decisions = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decisions["M1"] == ("H1", "match")
    assert decisions["M2"][1] == "new"  # lot 11 against lots 9 and 12: another lot, another home


def test_a_home_listed_by_its_lot_in_another_section_of_its_subdivision_is_another_home(tmp_path: Path) -> None:
    # One subdivision's sections number their lots alike: lot 11 of block 1 in section 1 is not lot 11 of block 1
    # in section 2, however the street and the lot agree.
    listings = _write(tmp_path / "mls.csv", [
        {"ListingKey": "M1", "StreetNumber": "0", "StreetName": "Cedar Hollow", "StreetSuffix": "Dr", "City": "Katy",
         "PostalCode": "77494", "LegalDescription": "LT 11 BLK 1 CEDAR HOLLOW SEC 1"},
    ])  # fmt: skip
    feed = _write(tmp_path / "feed.csv", [
        {"SpecID": "S2", "SpecAddress": "2833 Cedar Hollow Dr", "SpecCity": "Katy", "SpecZIP": "77494", "Lot": "11",
         "Block": "1", "Community": "Cedar Hollow Sec 2"},
        {"SpecID": "S1", "SpecAddress": "2901 Cedar Hollow Dr", "SpecCity": "Katy", "SpecZIP": "77494", "Lot": "11",
         "Block": "1", "Community": "Cedar Hollow Section 1"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(listings), "--entity", "property", "--against", str(feed), "--out", str(out), "--many",
            "--top", "2", "--min-confidence", "0.1"]  # fmt: skip
    assert main(argv) == 0
    decisions = {r["right_id"]: r["decision"] for r in _read(out)}
    assert decisions.get("S1") == "match" and decisions.get("S2") != "match"


def test_a_lot_that_places_a_home_is_not_counted_again_as_its_unit(tmp_path: Path) -> None:
    # A builder's feed gives one spec home by its lot alone ("TBD" where the street will be) and another, the listed
    # home, by its street address and lot: the lot agreeing placed the first as its address, and counted again as
    # its unit it outweighed the second's whole street address.
    listings = _write(tmp_path / "mls.csv", [
        {"ListingKey": "M1", "StreetNumber": "2833", "StreetName": "Cedar Hollow", "StreetSuffix": "Dr",
         "City": "Katy", "PostalCode": "77494", "LegalDescription": "LT 9 BLK 1 CEDAR HOLLOW SEC 3"},
    ])  # fmt: skip
    feed = _write(tmp_path / "feed.csv", [
        {"SpecID": "TBD-9", "SpecAddress": "TBD", "SpecCity": "Katy", "SpecZIP": "77494", "Lot": "9", "Block": "1",
         "Community": "Cedar Hollow"},
        {"SpecID": "S-2833", "SpecAddress": "2833 Cedar Hollow Dr", "SpecCity": "Katy", "SpecZIP": "77494", "Lot": "9",
         "Block": "1", "Community": "Cedar Hollow Sec 3"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(listings), "--entity", "property", "--against", str(feed), "--out", str(out), "--many",
            "--top", "2", "--min-confidence", "0.1"]  # fmt: skip
    assert main(argv) == 0
    rows = {r["right_id"]: r for r in _read(out)}
    assert "unit=" not in rows["TBD-9"]["explanation"]
    assert float(rows["S-2833"]["confidence"]) >= float(rows["TBD-9"]["confidence"])


def test_a_tax_permits_outlet_is_the_business_and_its_taxpayer_the_owner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A sales tax permit list gives the taxpayer (a chain's company at its head office, a franchisee's LLC) and the
    # outlet, the store itself: read by the taxpayer's columns, every store of a chain was one head office.
    permits = _write(tmp_path / "permits.csv", [
        {"Taxpayer Number": "1", "Taxpayer Name": "WALGREEN CO", "Taxpayer Address": "200 WILMOT RD",
         "Taxpayer City": "DEERFIELD", "Taxpayer State": "IL", "Outlet Number": "4521",
         "Outlet Name": "WALGREENS #4521", "Outlet Address": "2501 S LAMAR BLVD", "Outlet City": "AUSTIN",
         "Outlet State": "TX"},
    ])  # fmt: skip
    out = tmp_path / "out.csv"
    assert main(["match-csv", str(permits), "--entity", "builder", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "name <- 'Outlet Name'" in err and "address <- 'Outlet Address'" in err and "city <- 'Outlet City'" in err
    assert "'Taxpayer Name'" in err.split("not read:")[1]


def test_a_stacked_files_ids_and_a_map_exports_title_name_each_sources_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Builder feeds' rows ("record_id", "SubdivisionName") stacked with a map export's ("@id", "title"): each source
    # fills its own id and name columns.
    headers = ["record_id", "SubdivisionName", "BrandName", "SalesOffice_Street1", "SalesOffice_City", "@id", "title",
               "addr:street", "addr:housenumber", "addr:city"]  # fmt: skip
    rows = [
        {"record_id": "HAL-1", "SubdivisionName": "Briar Bend", "BrandName": "Halstead Homes",
         "SalesOffice_Street1": "2210 Briar Bend Dr", "SalesOffice_City": "Conroe"},
        {"@id": "node/77", "title": "Briar Bend", "addr:street": "Briar Bend Drive", "addr:housenumber": "2210",
         "addr:city": "Conroe"},
        {"@id": "node/78", "title": "Laurel Springs by Halstead Homes", "addr:street": "Coral Bean Road",
         "addr:housenumber": "29241", "addr:city": "Magnolia"},
    ]  # fmt: skip
    stacked = _write_stacked(tmp_path / "stacked.csv", headers, rows)
    out = tmp_path / "clusters.csv"
    assert main(["match-csv", str(stacked), "--entity", "community", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "'title'" in _read_from(err, "name")
    written = _read(out)
    assert [row["left_id"] for row in written] == ["HAL-1", "node/77", "node/78"]
    assert written[0]["cluster_id"] == written[1]["cluster_id"] != written[2]["cluster_id"]


def test_a_stacked_files_ids_read_by_their_words_name_each_sources_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A review site's export ("listing_id") stacked with a booking site's ("PropertyID"), each filling its own.
    headers = ["PropertyID", "Name", "Address1", "City", "listing_id", "business_name", "street_address", "city"]
    rows = [
        {"PropertyID": "841665", "Name": "Hampton Inn Laredo", "Address1": "7903 San Dario Ave", "City": "Laredo"},
        {"listing_id": "TXG-1", "business_name": "Hampton Inn", "street_address": "7903 San Dario Avenue",
         "city": "Laredo"},
    ]  # fmt: skip
    stacked = _write_stacked(tmp_path / "stacked.csv", headers, rows)
    out = tmp_path / "clusters.csv"
    assert main(["match-csv", str(stacked), "--entity", "builder", "--out", str(out)]) == 0
    assert "id <- 'listing_id' (where blank: 'PropertyID')" in capsys.readouterr().err
    assert [row["left_id"] for row in _read(out)] == ["841665", "TXG-1"]


def test_two_usual_headers_joined_by_a_slash_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A parade of homes' entry form heads the community's name "Community / Subdivision".
    entry = {"Entry #": "101", "Builder": "Sandlin Homes", "Community / Subdivision": "Kinder Ranch", "City": "Conroe"}
    entries = _write(tmp_path / "entries.csv", [entry])
    out = tmp_path / "clusters.csv"
    assert main(["match-csv", str(entries), "--entity", "community", "--out", str(out)]) == 0
    assert "name <- 'Community / Subdivision'" in capsys.readouterr().err


def test_a_house_number_not_yet_assigned_in_both_columns_is_read_once(tmp_path: Path) -> None:
    # A listing of a home not yet numbered writes "TBD" in its StreetNumber and at the head of its UnparsedAddress:
    # read twice, "TBD TBD W Bluebonnet Trl" was another street.
    listing = {"ListingKey": "L1", "UnparsedAddress": "TBD W Bluebonnet Trl", "StreetNumber": "TBD", "City": "Katy",
               "PostalCode": "77494"}  # fmt: skip
    listings = _write(tmp_path / "mls.csv", [listing])
    inventory = _write(tmp_path / "inv.csv", [{"Job #": "J-1", "House #": "", "Street": "W Bluebonnet Trl",
                                               "City": "Katy", "Zip": "77494"}])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(listings), "--entity", "property", "--against", str(inventory), "--out", str(out)]
    assert main([*argv, "--min-confidence", "0"]) == 0
    (row,) = _read(out)
    assert "address=same_street" in row["explanation"]


def test_a_registered_agents_office_is_not_the_companys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A state's business entity export gives the principal office and the registered agent's (a law firm's, shared by
    # many companies): the first is the company's; a mailing address only where a file gives no other.
    registry = _write(
        tmp_path / "sos.csv",
        [{"SOSID": "1", "Legal Name": "Carolina Custom Homes LLC", "Principal Office Address": "410 Hillsborough St",
          "Principal Office City": "Raleigh", "Principal Office Zip": "27603",
          "Registered Office Address": "150 Fayetteville St", "Registered Office City": "Raleigh",
          "Registered Office Zip": "27601", "Mailing Address": "PO Box 77"}],
    )  # fmt: skip
    roster = _write(
        tmp_path / "roster.csv",
        [{"id": "b1", "name": "Carolina Custom Homes", "address": "410 Hillsborough Street", "city": "Raleigh"}],
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(registry), "--entity", "builder", "--against", str(roster), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "address <- 'Principal Office Address'" in err and "city <- 'Principal Office City'" in err
    assert "postal_code <- 'Principal Office Zip'" in err
    (row,) = _read(out)
    assert row["decision"] == "match" and "address=same" in row["explanation"]


@pytest.mark.parametrize(
    ("entity", "headers", "read"),
    [
        ("community", ("Association Name", "Sales Center Address", "Mailing Address"), "Sales Center Address"),
        # An association registry's mailing address is its manager's office, which communities far from it share.
        ("community", ("Association Name", "Mailing Address", "Mailing City", "Mailing Zip"), None),
        ("builder", ("Business Name", "Mailing Address", "Mailing City", "Mailing Zip"), "Mailing Address"),
    ],
)
def test_a_mailing_address_is_read_only_for_a_business_and_only_where_a_file_gives_no_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entity: str, headers: tuple[str, ...], read: str | None
) -> None:
    values = {"Association Name": "Dovecreek", "Business Name": "Dovecreek Homes",
              "Sales Center Address": "2207 Dove Creek Ln", "Mailing Address": "PO Box 4410", "Mailing City": "Katy",
              "Mailing Zip": "77494"}  # fmt: skip
    registry = _write(tmp_path / "hoa.csv", [{h: values[h] for h in headers}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(registry), "--entity", entity, "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert (f"address <- {read!r}" in err) if read else ("address <-" not in err and "Mailing" in err)
    assert ("city <- 'Mailing City'" in err) == (read == "Mailing Address")


def test_a_licence_rosters_mailing_address_and_its_second_line_are_read_where_they_are_its_only_street(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A state board's roster heads its only street "MAILING ADDRESS" and its suite "MAILING ADDRESS 2": two headers
    # of mailing addresses, neither was read, and every roster row lost its office to the booking site's listing.
    roster = _write(tmp_path / "roster.csv", [
        {"LICENSE NUMBER": "10160", "BUSINESS NAME": "BRAZOS INSPECTION SERVICES",
         "MAILING ADDRESS": "1240 E BRUSHY CREEK DR", "MAILING ADDRESS 2": "STE 250", "CITY": "PEARLAND",
         "STATE": "TX", "ZIP": "77581", "PHONE": "(281) 555-1487"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"listing_id": "BK-1", "Company Name": "Brazos Inspections", "Street Address": "1240 E Brushy Creek Dr #250",
         "City": "Pearland", "Zip": "77581", "Phone": ""},
    ])  # fmt: skip
    out = tmp_path / "links.csv"
    assert main(["match-csv", str(listings), "--entity", "builder", "--against", str(roster), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "address <- 'MAILING ADDRESS', address2 <- 'MAILING ADDRESS 2'" in err
    (row,) = _read(out)
    assert row["right_id"] == "10160" and "address=same" in row["explanation"]


def test_a_builder_known_only_by_its_post_office_box_is_in_the_boxs_town(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A licence list gives a registrant's physical address where it has one and a mailing address always: a row with
    # no place of its own reads its mailing town, never its box; a row with its own keeps its own.
    registry = _write(
        tmp_path / "registry.csv",
        [{"Registration Number": "R1", "Registrant Name": "Stonefield Homes Inc", "Physical Address": "",
          "Physical City": "", "Physical Zip": "", "Mailing Address": "PO Box 1180", "Mailing City": "Katy",
          "Mailing Zip": "77492", "Phone": "(281) 555-0143"},
         {"Registration Number": "R2", "Registrant Name": "Larkin Custom Homes LLC", "Physical Address": "9 Elm St",
          "Physical City": "Conroe", "Physical Zip": "77301", "Mailing Address": "PO Box 12", "Mailing City": "Katy",
          "Mailing Zip": "77492", "Phone": "(936) 555-0190"}],
    )  # fmt: skip
    marketplace = _write(
        tmp_path / "marketplace.csv",
        [{"BuilderID": "B1", "BrandName": "Stonefield Homes", "OfficeCity": "Katy", "SalesPhone": "281-555-0199"},
         {"BuilderID": "B2", "BrandName": "Larkin Custom Homes", "OfficeCity": "Katy", "SalesPhone": "281-555-0177"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(registry), "--entity", "builder", "--against", str(marketplace), "--out", str(out)]

    assert main([*argv, "--min-confidence", "0"]) == 0

    err = capsys.readouterr().err
    assert "city <- 'Physical City' (where blank: 'Mailing City')" in err
    assert "address <- 'Physical Address'" in err and "'Mailing Address'" in err.split("not read:")[1]
    boxed, placed = _read(out)
    assert boxed["right_id"] == "B1" and "city=same" in boxed["explanation"]
    assert placed["right_id"] == "B2" and "city=other_city" in placed["explanation"]


def test_a_site_given_its_blank_zip_and_state_are_not_its_head_offices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A county licence gives each facility's site and its operator's mailing address, often a chain's head office in
    # another state: a site with no ZIP is not in the head office's ZIP, nor in its state.
    licences = _write(
        tmp_path / "licences.csv",
        [{"LICENSE_NO": "SS-1", "DBA_NAME": "Cubework Storage", "SITE_ADDRESS": "8410 Gessner Rd",
          "SITE_CITY": "Houston", "SITE_ZIP": "", "MAIL_ADDRESS": "1100 Lincoln Ave", "MAIL_CITY": "Malvern",
          "MAIL_STATE": "PA", "MAIL_ZIP": "19355", "PHONE": "713-555-0143"},
         {"LICENSE_NO": "SS-2", "DBA_NAME": "Lakeside Storage", "SITE_ADDRESS": "", "SITE_CITY": "", "SITE_ZIP": "",
          "MAIL_ADDRESS": "PO Box 12", "MAIL_CITY": "Conroe", "MAIL_STATE": "TX", "MAIL_ZIP": "77301",
          "PHONE": "936-555-0190"}],
    )  # fmt: skip
    listing = _write(
        tmp_path / "listing.csv",
        [{"id": "F1", "name": "Cubework Storage", "address": "8410 Gessner Rd", "city": "Houston", "state": "TX",
          "zip": "77040", "phone": "(713) 555-0143"},
         {"id": "F2", "name": "Lakeside Storage", "city": "Conroe", "state": "TX", "phone": "936-555-0190"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(listing), "--out", str(out)]) == 0

    assert "a mailing column only where a row gives no street address or town of its own" in capsys.readouterr().err
    sited, boxed = _read(out)
    assert sited["right_id"] == "F1" and sited["decision"] == "match"
    assert "postal_code" not in sited["explanation"] and "state" not in sited["explanation"]
    assert boxed["right_id"] == "F2" and "city=same" in boxed["explanation"]


@pytest.mark.parametrize(
    ("headers", "read"),
    [
        # An appraisal roll's state code of the property's class, no state.
        ({"STATE_CD": "F1"}, None),
        ({"STATE_CD": "TX"}, "STATE_CD"),
    ],
)
def test_a_state_column_of_codes_is_no_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], headers: dict[str, str], read: str | None
) -> None:
    rows = [{"Business Name": f"Grace Church {n}", "Address": f"{n} Main St", "City": "Katy", **headers}
            for n in range(1, 4)]  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(_write(tmp_path / "roll.csv", rows)), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert ("state <- 'STATE_CD'" in err) is (read is not None)


def test_a_franchise_locators_only_name_column_is_each_offices_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locator = _write(
        tmp_path / "locator.csv",
        [{"Location ID": "L1", "Franchise Name": "Keller Williams Realty Memorial", "Street": "1220 Augusta Dr",
          "City": "Houston", "Phone": "713-555-0143"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(locator), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "name <- 'Franchise Name'" in err and "brand <-" not in err


def test_an_association_registrys_contact_and_manager_are_not_the_community(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A registry gives the association's contact, its management company's office and line, which many
    # communities far from it share.
    registry = _write(
        tmp_path / "registry.csv",
        [{"Association Name": "Riverstone Master Community Association, Inc.",
          "Contact Address": "5 Tech Ln Ste 200", "Contact City": "Denver", "Contact Zip": "80202", "City": "Aurora",
          "Zip": "", "Manager Phone": "303-555-0143"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(registry), "--entity", "community", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "city <- 'City'" in err and "Contact City" not in err.split("not read:")[0]
    assert all(f"'{h}'" in err.split("not read:")[1] for h in ("Contact Address", "Contact Zip", "Manager Phone"))


def test_a_permits_job_site_is_not_its_builders_office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A permit names the applicant, the builder, at its office, and the house it builds at the site: two permits of
    # one builder at two sites are one builder, and the site is no builder's address.
    permits = _write(
        tmp_path / "permits.csv",
        [{"PERMIT_NO": f"B-{n}", "APPLICANT_NAME": "Tradewinds Homes LLC", "APPLICANT_ADDR": "880 W Main St",
          "APPLICANT_CITY": "Boise", "APPLICANT_ZIP": "83702", "SITE_ADDR": site, "SITE_ZIP": "83646"}
         for n, site in ((1, "5512 N Bluebird Ave"), (2, "5530 N Bluebird Ave"))],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(permits), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert (
        "name <- 'APPLICANT_NAME'" in err
        and "address <- 'APPLICANT_ADDR'" in err
        and "SITE_ADDR" not in err.split("not read")[0]
    )
    first, second = _read(out)
    assert first["cluster_id"] == second["cluster_id"] and "address=same" in first["explanation"]


def test_a_stacked_files_name_columns_are_each_sources_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A chamber roster ("Member Name" beside its contact), an agents' register ("Office Name") and a map export
    # ("title") stacked in one file, each filling its own columns: each row is named by its source's column.
    header = ["record_id", "Member Name", "Contact", "Office Name", "title", "Address", "City", "Phone"]
    place = {"Address": "8300 N MoPac Expy Ste 120", "City": "Austin"}
    rows = [
        {"record_id": "c1", "Member Name": "Lopez Insurance Agency", "Contact": "Maria Lopez", **place},
        {"record_id": "r1", "Office Name": "LOPEZ INSURANCE AGENCY INC", **place, "Phone": "512-555-0140"},
        {"record_id": "m1", "title": "Lopez Insurance Agency", **place, "Phone": "(512) 555-0140"},
        {"record_id": "m2", "title": "Ybarra Tax Service", **place, "Phone": "(512) 555-0140"},
    ]
    directory = _write(tmp_path / "directory.csv", [{h: row.get(h, "") for h in header} for row in rows])
    out = tmp_path / "out.csv"

    assert main(["match-csv", str(directory), "--entity", "builder", "--out", str(out)]) == 0

    assert "name <- 'Member Name' (where blank: 'Office Name', 'title')" in capsys.readouterr().err
    clusters = {row["record_id"]: row["cluster_id"] for row in _read(out)}
    assert clusters["c1"] == clusters["r1"] == clusters["m1"] != clusters["m2"]
    # Where a roster row gives its contact's job, "title" is the job, never the name.
    rows[0]["title"] = "Owner"
    directory = _write(tmp_path / "directory.csv", [{h: row.get(h, "") for h in header} for row in rows])
    assert main(["match-csv", str(directory), "--entity", "builder", "--out", str(out)]) == 0
    assert "name <- 'Member Name' (where blank: 'Office Name')" in capsys.readouterr().err


def test_a_licence_lists_site_columns_are_the_business_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A county's business licences give each store at its site: without it a chain's name is all a row has.
    licences = _write(tmp_path / "licences.csv", [
        {"LICENSE_NO": "L-1", "DBA_NAME": "SPEEDWAY #7711", "LEGAL_NAME": "SPEEDWAY LLC",
         "SITE_ADDRESS": "1001 N HIGH ST", "SITE_CITY": "COLUMBUS", "SITE_ZIP": "43201", "PHONE": ""},
        {"LICENSE_NO": "L-2", "DBA_NAME": "SPEEDWAY #7790", "LEGAL_NAME": "SPEEDWAY LLC",
         "SITE_ADDRESS": "4400 KENNY RD", "SITE_CITY": "COLUMBUS", "SITE_ZIP": "43220", "PHONE": ""},
    ])  # fmt: skip
    places = _write(tmp_path / "places.csv", [
        {"place_id": "P1", "title": "Speedway", "address": "4400 Kenny Rd", "city": "Columbus", "postal_code": "43220"},
        {"place_id": "P2", "title": "Speedway", "address": "1001 N High St", "city": "Columbus",
         "postal_code": "43201"},
    ])  # fmt: skip
    out = tmp_path / "linked.csv"

    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(places), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "address <- 'SITE_ADDRESS'" in err and "city <- 'SITE_CITY'" in err and "postal_code <- 'SITE_ZIP'" in err
    assert [(row["right_id"], row["decision"]) for row in _read(out)] == [("P2", "match"), ("P1", "match")]


def test_a_parcel_exports_situs_columns_and_not_its_owners_mailing_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A parcel export: the home's situs city and ZIP ("scity", "szip"), the owner's (a builder's head office) in
    # "mail_city", "mail_zip"; a listing scrape whose one-cell address is blank on some rows gives "addressStreet".
    parcels = _write(
        tmp_path / "parcels.csv",
        [{"parcelnumb": "R1", "address": "1227 WILD PRAIRIE LN", "scity": "KATY", "szip": "77493-5971",
          "state2": "TX", "mail_city": "HOUSTON", "mail_zip": "77017", "owner": "Trailstone Homes LLC"}],
    )  # fmt: skip
    listings = _write(
        tmp_path / "zillow.csv",
        [{"zpid": "Z9", "address": "", "addressStreet": "1227 Wild Prairie Lane", "addressCity": "Katy",
          "addressState": "TX", "addressZipcode": "77493"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(parcels), "--entity", "property", "--against", str(listings), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "city <- 'scity'" in err and "postal_code <- 'szip'" in err and "mail_city" not in err.split("not read")[0]
    assert "(where blank: 'addressStreet')" in err
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("Z9", "match")


def test_an_appraisal_rolls_situs_parts_are_the_homes_place_and_its_plain_address_columns_the_owners(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An appraisal district's roll as PACS exports it: the home's own street in parts ("situs_num", "situs_street",
    # "situs_street_sufix"), its owner's mailing place under plain headers ("addr_line1", "addr_city", "addr_zip"):
    # a builder's office or box, which every lot it owns shares. A lot not yet given its situs ZIP stays without one.
    roll = _write(tmp_path / "roll.csv", [
        {"prop_id": "284102", "geo_id": "438707-01-00001", "situs_num": "20106", "situs_street_prefx": "",
         "situs_street": "BLUEBONNET RIDGE", "situs_street_sufix": "DR", "situs_city": "SPRING", "situs_zip": "77386",
         "owner_name": "SUMMIT RIDGE HOMES LLC", "addr_line1": "PO BOX 4410", "addr_city": "HOUSTON",
         "addr_zip": "77210"},
        {"prop_id": "284103", "geo_id": "438707-01-00002", "situs_num": "20110", "situs_street_prefx": "",
         "situs_street": "BLUEBONNET RIDGE", "situs_street_sufix": "DR", "situs_city": "SPRING", "situs_zip": "",
         "owner_name": "SUMMIT RIDGE HOMES LLC", "addr_line1": "PO BOX 4410", "addr_city": "HOUSTON",
         "addr_zip": "77210"},
        {"prop_id": "284104", "geo_id": "438707-01-00003", "situs_num": "", "situs_street_prefx": "",
         "situs_street": "", "situs_street_sufix": "", "situs_city": "SPRING", "situs_zip": "",
         "owner_name": "SUMMIT RIDGE HOMES LLC", "addr_line1": "PO BOX 4410", "addr_city": "HOUSTON",
         "addr_zip": "77210"},
        # A land-only account, given no site yet: its owner's box is still not its place.
        {"prop_id": "284105", "geo_id": "438707-01-00004", "situs_num": "", "situs_street_prefx": "",
         "situs_street": "", "situs_street_sufix": "", "situs_city": "", "situs_zip": "",
         "owner_name": "SUMMIT RIDGE HOMES LLC", "addr_line1": "PO BOX 4410", "addr_city": "HOUSTON",
         "addr_zip": "77210"},
    ])  # fmt: skip
    inventory = _write(tmp_path / "qmi.csv", [
        {"SpecID": "QMI-1", "SpecStreet1": "20106 Bluebonnet Ridge Drive", "SpecCity": "Spring", "SpecZIP": "77386"},
        {"SpecID": "QMI-2", "SpecStreet1": "20110 Bluebonnet Ridge Drive", "SpecCity": "Spring", "SpecZIP": "77386"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    argv = ["match-csv", str(inventory), "--entity", "property", "--against", str(roll), "--out", str(out)]
    assert main(argv) == 0

    err = capsys.readouterr().err
    roll_columns = err.split("roll.csv: ")[1]
    assert "id <- 'prop_id'" in roll_columns and "street_name <- 'situs_street'" in roll_columns
    assert "street_number <- 'situs_num'" in roll_columns and "street_suffix <- 'situs_street_sufix'" in roll_columns
    assert all(f"'{owner}'" in roll_columns.split("not read")[1] for owner in ("addr_line1", "addr_city", "addr_zip"))
    linked = {row["left_id"]: (row["right_id"], row["decision"]) for row in _read(out)}
    assert linked == {"QMI-1": ("284102", "match"), "QMI-2": ("284103", "match")}
    # The roll alone: the lots are not one by their owner's box.
    assert main(["match-csv", str(roll), "--entity", "property", "--out", str(out)]) == 0
    assert len({row["cluster_id"] for row in _read(out)}) == 4


def test_a_permits_unit_column_keeps_a_townhome_buildings_units_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    permits = _write(
        tmp_path / "permits.csv",
        [{"PERMIT_NO": f"P{n}", "SITE_ADDR": "4410 N Ten Mile Rd", "SITE_UNIT": unit, "SITE_ZIP": "83646",
          "CONTRACTOR": "Hubble Homes"} for n, unit in enumerate(("12A", "12B", "13C"))],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(permits), "--entity", "property", "--out", str(out)]) == 0

    assert "address2 <- 'SITE_UNIT'" in capsys.readouterr().err
    assert len({row["cluster_id"] for row in _read(out)}) == 3


def test_a_stacked_files_other_place_columns_and_a_map_places_title_are_read_where_blank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A licence board's rows, a map export's ("title", the place's name) and a marketplace's ("Office City", "Office
    # Zip"), stacked: two divisions of one national builder share its name and website, and each row's own town keeps
    # them apart; read without it, a marketplace row joined the Raleigh and Wilmington divisions.
    headers = ["source", "record_id", "Licensee Name", "City", "Zip", "title", "city", "postalCode", "website",
               "Builder Name", "Office City", "Office Zip", "Website URL"]  # fmt: skip
    rows = [
        {"source": "map", "record_id": "G1", "title": "D.R. Horton", "city": "Apex", "postalCode": "27502",
         "website": "drhorton.com"},
        {"source": "marketplace", "record_id": "M1", "Builder Name": "D.R. Horton", "Office City": "Wilmington",
         "Office Zip": "28405", "Website URL": "https://www.drhorton.com"},
        {"source": "licence", "record_id": "L1", "Licensee Name": "D R HORTON INC", "City": "Wilmington",
         "Zip": "28405"},
    ]  # fmt: skip
    stacked = _write_stacked(tmp_path / "stacked.csv", headers, rows)
    out = tmp_path / "clusters.csv"

    assert main(["match-csv", str(stacked), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "'Office City'" in _read_from(err, "city")
    assert "'title'" in _read_from(err, "name")
    clusters = {row["record_id"]: row["cluster_id"] for row in _read(out)}
    assert clusters["G1"] != clusters["M1"]
    # Beside a contact's name, a "Title" is the contact's job.
    contacts = _write(tmp_path / "contacts.csv", [{"Builder": "Oak Homes", "Contact Name": "Jane Doe",
                                                   "Title": "Sales Manager"}])  # fmt: skip
    assert main(["match-csv", str(contacts), "--entity", "builder", "--out", str(out)]) == 0
    assert "'Title'" not in capsys.readouterr().err.split("not read")[0]


def test_a_stacked_files_school_name_and_center_phone_are_read_for_businesses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A school district's rows ("School Name", "Main Phone") and a Head Start grantee's ("Center Name", "Center
    # Phone") stacked with a directory's: read without them, a school row had no name and a centre row no phone, and a
    # street address alone joined the school and the centre in its building.
    headers = ["record_id", "Name", "Phone", "Address", "School Name", "Main Phone", "Center Name", "Center Phone"]
    rows = [
        {"record_id": "D1", "Name": "Edison PreK-8", "Phone": "937-542-3300", "Address": "228 N Broadway St"},
        {"record_id": "S1", "School Name": "Edison, Thomas A. PreK-8 School", "Main Phone": "(937) 542-3300",
         "Address": "228 N Broadway St"},
        {"record_id": "C1", "Center Name": "MVCDC Edison Head Start", "Center Phone": "(937) 278-6925",
         "Address": "228 N Broadway St"},
    ]  # fmt: skip
    stacked = _write_stacked(tmp_path / "stacked.csv", headers, rows)
    out = tmp_path / "clusters.csv"

    assert main(["match-csv", str(stacked), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "'School Name'" in _read_from(err, "name")
    assert "'Center Phone'" in _read_from(err, "phone")
    clusters = {row["record_id"]: row["cluster_id"] for row in _read(out)}
    assert clusters["D1"] == clusters["S1"] != clusters["C1"]
    # A listing's or a community's schools are never its name.
    homes = _write(tmp_path / "homes.csv", [{"ListingKey": "K1", "UnparsedAddress": "12 Oak Ln",
                                             "Elementary School Name": "Edison"}])  # fmt: skip
    assert main(["match-csv", str(homes), "--entity", "property", "--out", str(out)]) == 0
    assert "'Elementary School Name'" not in capsys.readouterr().err.split("not read")[0]


def test_a_listings_brokerage_office_is_never_read_as_the_homes_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A listing export gives the listing office's address beside the home's; where a home's own is blank, its broker's
    # office is no stand-in.
    listings = _write(
        tmp_path / "mls.csv",
        [{"ListingKey": "A1", "UnparsedAddress": "", "City": "Katy", "PostalCode": "77494",
          "ListOfficeAddress1": "1 Riverway Ste 100", "ListOfficeCity": "Houston", "ListOfficePostalCode": "77056"},
         {"ListingKey": "A2", "UnparsedAddress": "24318 Spring Ridge Ln", "City": "Katy", "PostalCode": "77494",
          "ListOfficeAddress1": "1 Riverway Ste 100", "ListOfficeCity": "Houston", "ListOfficePostalCode": "77056"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(listings), "--entity", "property", "--out", str(out)]) == 0

    read = capsys.readouterr().err.split("not read")[0]
    assert "ListOffice" not in read


def test_a_listings_cross_street_and_additional_street_line_are_not_its_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A RESO export with its address line blank gives the address in parts, and its cross street and an additional
    # line ("Lot 12") beside them: the parts are the address.
    listings = _write(
        tmp_path / "mls.csv",
        [{"ListingKey": "A1", "UnparsedAddress": "", "StreetNumber": "24318", "StreetName": "Spring Ridge",
          "StreetSuffix": "Ln", "CrossStreet": "Katy Fwy & Pin Oak", "StreetAdditionalInfo": "Lot 12",
          "City": "Katy", "PostalCode": "77494"}],
    )  # fmt: skip
    ours = _write(tmp_path / "ours.csv", [{"id": "h1", "address": "24318 Spring Ridge Lane", "zip": "77494"}])
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(listings), "--entity", "property", "--against", str(ours), "--out", str(out)]) == 0

    read = capsys.readouterr().err.split("not read")[0]
    assert "CrossStreet" not in read and "StreetAdditionalInfo" not in read
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("h1", "match")]


def test_a_stacked_files_other_name_column_is_read_by_its_words_where_blank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A chamber's roster ("Member Name") stacked on a directory's listings ("Business Name"): each row names its
    # business in its own source's column. Read from one alone, a chamber row had no name.
    headers = ["record_id", "source", "Member Name", "Contact", "Street", "City", "Business Name", "Address", "Phone"]
    rows = [
        {"record_id": "C1", "source": "chamber", "Member Name": "Sawtooth Boutique", "Contact": "Ann Lee",
         "Street": "6893 W Alameda Ave", "City": "Lakewood", "Phone": "(303) 555-0141"},
        {"record_id": "D1", "source": "directory", "Business Name": "Sawtooth Boutique",
         "Address": "6893 W Alameda Ave, Lakewood, CO 80226", "Phone": "303-555-0141"},
        {"record_id": "C2", "source": "chamber", "Member Name": "Lakewood Tire & Auto", "Contact": "Raj Patel",
         "Street": "6893 W Alameda Ave", "City": "Lakewood", "Phone": "(303) 555-0177"},
    ]  # fmt: skip
    stacked = _write_stacked(tmp_path / "stacked.csv", headers, rows)
    out = tmp_path / "clusters.csv"

    assert main(["match-csv", str(stacked), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "name <- 'Business Name' (where blank: 'Member Name')" in err
    assert "'Contact'" in err.split("not read")[1]
    clusters = {row["record_id"]: row["cluster_id"] for row in _read(out)}
    assert clusters["C1"] == clusters["D1"] != clusters["C2"]


@pytest.mark.parametrize(
    "header",
    [
        "Listing No.",
        "Permit Nbr",
        "Listing #",
        "Entry #",
        "Record No.",
        "Ref #",
        "UNINUM",
        "Instrument Number",
        "Premises Permit No.",
        "Store #",
    ],
)
def test_a_listing_number_abbreviated_in_its_header_is_the_rows_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    guide = _write(tmp_path / "guide.csv", [{header: "10402", "Restaurant Name": "Moto Ramen"},
                                            {header: "10403", "Restaurant Name": "Figleaf Coffee"}])  # fmt: skip
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(guide), "--entity", "builder", "--out", str(out)]) == 0

    assert f"id <- {header!r}" in capsys.readouterr().err
    assert [row["left_id"] for row in _read(out)] == ["10402", "10403"]


def test_a_chains_store_number_is_no_id_beside_a_licence_number_nor_where_it_repeats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A fuel licence list: a store holding two licences is listed twice under its store number.
    licences = _write(tmp_path / "licences.csv", [
        {"License No.": "FD-1", "Store Number": "2799", "Business Name": "Circle K Store 2799"},
        {"License No.": "FD-2", "Store Number": "2799", "Business Name": "Circle K Store 2799"},
        {"License No.": "FD-3", "Store Number": "2801", "Business Name": "Circle K Store 2801"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"
    assert main(["match-csv", str(licences), "--entity", "builder", "--out", str(out)]) == 0
    assert "id <- 'License No.'" in capsys.readouterr().err
    # Each store's number given once beside a licence's: still the licence's.
    once = _write(tmp_path / "once.csv", [
        {"Store #": "2799", "License No.": "FD-1", "Business Name": "Circle K Store 2799"},
        {"Store #": "2801", "License No.": "FD-3", "Business Name": "Circle K Store 2801"},
    ])  # fmt: skip
    assert main(["match-csv", str(once), "--entity", "builder", "--out", str(out)]) == 0
    assert "id <- 'License No.'" in capsys.readouterr().err
    # The store number alone, repeated: no id, the rows are numbered.
    repeated = _write(tmp_path / "repeated.csv", [
        {"Store Number": "2799", "Business Name": "Circle K Store 2799"},
        {"Store Number": "2799", "Business Name": "Circle K"},
    ])  # fmt: skip
    assert main(["match-csv", str(repeated), "--entity", "builder", "--out", str(out)]) == 0
    assert "id <-" not in capsys.readouterr().err
    assert [row["left_id"] for row in _read(out)] == ["1", "2"]


def test_an_operating_name_is_the_trade_name_and_a_portals_brokerage_its_brand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A warranty program's directory: a numbered company, the brand it operates as in a column of its own.
    directory = _write(tmp_path / "directory.csv", [
        {"Licence #": "B41872", "Builder/Vendor Name": "2456789 Ontario Inc.", "Operating As": "Lakeview Homes",
         "City": "Barrie", "Province": "ON", "Telephone": "(705) 555-0134"},
        {"Licence #": "B41873", "Builder/Vendor Name": "Braemar Developments Ltd.", "Operating As": "",
         "City": "Guelph", "Province": "ON", "Telephone": "519.555.0188"},
    ])  # fmt: skip
    marketplace = _write(tmp_path / "marketplace.csv", [
        {"builder_name": "Lakeview Homes", "city": "Barrie", "province": "Ont.", "phone": "705-555-0134"},
        {"builder_name": "Braemar Developments", "city": "Guelph", "province": "Ontario", "phone": "519-555-0188"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(directory), "--entity", "builder", "--against", str(marketplace), "--out", str(out)]
    assert main(argv) == 0
    assert "name <- 'Operating As' (where blank: 'Builder/Vendor Name')" in capsys.readouterr().err
    linked = {row["left_id"]: (row["right_id"], row["decision"]) for row in _read(out)}
    assert linked == {"B41872": ("1", "match"), "B41873": ("2", "match")}
    # An office directory names each office's brokerage: a register's "KELLER WILLIAMS REALTY FRISCO" is its
    # "Keller Williams Frisco" of "Keller Williams Realty", not another trade's firm.
    register = _write(tmp_path / "register.csv", [
        {"LICENSE_NUMBER": "2657927", "DBA_NAME": "KELLER WILLIAMS REALTY FRISCO STONEBRIAR",
         "ADDRESS_1": "5358 LEGACY DR SUITE 110", "CITY": "FRISCO", "ZIP": "75034", "PHONE": "9725550110"},
    ])  # fmt: skip
    offices = _write(tmp_path / "offices.csv", [
        {"Office Name": "Keller Williams Frisco Stonebriar", "Brokerage": "Keller Williams Realty",
         "Street": "5358 Legacy Dr", "Suite": "#110", "City": "Frisco", "Zip": "75034", "Office Phone": "972-555-0110"},
    ])  # fmt: skip
    argv = ["match-csv", str(register), "--entity", "builder", "--against", str(offices), "--out", str(out)]
    assert main(argv) == 0
    assert "brand <- 'Brokerage'" in capsys.readouterr().err
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("1", "match"), row["explanation"]


def test_a_zip_plus_four_extension_is_no_zip_and_a_directorys_stabr_is_the_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A public library survey's outlets: the ZIP and its +4 extension in two columns, the state's code as STABR.
    outlets = _write(tmp_path / "outlets.csv", [
        {"LIBID": "TX0207-006", "BRANCH_NAME": "RUIZ BRANCH", "ADDRESS": "9203 N BERRY DR", "CITY": "AUSTIN",
         "STABR": "TX", "ZIP": "78740", "ZIP4": "4702"},
        {"LIBID": "TX0207-007", "BRANCH_NAME": "YARBOROUGH BRANCH", "ADDRESS": "2200 HANCOCK DR", "CITY": "AUSTIN",
         "STABR": "TX", "ZIP": "", "ZIP4": "1318"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"
    assert main(["match-csv", str(outlets), "--entity", "builder", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "postal_code <- 'ZIP';" in err or "postal_code <- 'ZIP'\n" in err or err.count("postal_code <- 'ZIP'") == 1
    assert "'ZIP4'" in err.split("not read:")[1] and "state <- 'STABR'" in err


def test_a_condominiums_legal_description_gives_its_units_building(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An appraisal roll gives a condominium's situs unit without its building; its legal description names both. A
    # builder's inventory gives the building in a column of its own.
    inventory = _write(tmp_path / "inventory.csv", [
        {"Job #": "SB-1", "Bldg": "7", "Unit": "204", "Address": "1249 Sagebrook Ln", "City": "Pflugerville",
         "Zip": "78660"},
        {"Job #": "SB-2", "Bldg": "3", "Unit": "204", "Address": "1249 Sagebrook Ln", "City": "Pflugerville",
         "Zip": "78660"},
        {"Job #": "SB-3", "Bldg": "3", "Unit": "105", "Address": "1249 Sagebrook Ln", "City": "Pflugerville",
         "Zip": "78660"},
    ])  # fmt: skip
    roll = _write(tmp_path / "roll.csv", [
        {"PROP_ID": "419366", "SITUS_NUM": "1249", "SITUS_STREET": "SAGEBROOK", "SITUS_STREET_SUFFIX": "LN",
         "SITUS_UNIT": "204", "SITUS_CITY": "PFLUGERVILLE", "SITUS_ZIP": "78660",
         "LEGAL_DESC": "UNIT 204 BLDG 7 SAGEBROOK TOWNHOMES CONDOMINIUMS PLUS 1.562 % INT IN COM ELEM"},
        {"PROP_ID": "419367", "SITUS_NUM": "1249", "SITUS_STREET": "SAGEBROOK", "SITUS_STREET_SUFFIX": "LN",
         "SITUS_UNIT": "", "SITUS_CITY": "PFLUGERVILLE", "SITUS_ZIP": "78660",
         "LEGAL_DESC": "BLDG 3 UNIT 204 SAGEBROOK TOWNHOMES CONDOMINIUMS"},
        {"PROP_ID": "419368", "SITUS_NUM": "1249", "SITUS_STREET": "SAGEBROOK", "SITUS_STREET_SUFFIX": "LN",
         "SITUS_UNIT": "106", "SITUS_CITY": "PFLUGERVILLE", "SITUS_ZIP": "78660",
         "LEGAL_DESC": "UNIT 105 BLDG 3 SAGEBROOK TOWNHOMES CONDOMINIUMS"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(inventory), "--entity", "property", "--against", str(roll), "--out", str(out)]
    assert main(argv) == 0, capsys.readouterr().err
    linked = {row["left_id"]: (row["right_id"], row["decision"]) for row in _read(out)}
    assert linked["SB-1"] == ("419366", "match") and linked["SB-2"] == ("419367", "match")
    # A situs unit the description contradicts keeps its own and no building: no link to unit 105.
    assert linked["SB-3"][1] != "match"
    # A title company's closing of a townhome lettered, its unit in the legal description alone.
    closings = _write(tmp_path / "closings.csv", [
        {"File #": "GF1", "Property Address": "2130 BLUESTEM WAY", "City": "SPRING", "Zip": "77386",
         "Legal Description": "UNIT C BLDG 4 BLUESTEM TOWNHOMES"},
    ])  # fmt: skip
    sold = _write(
        tmp_path / "sold.csv",
        [
            {
                "Job #": f"BT-{u}",
                "Bldg": "4",
                "Address": f"2130 Bluestem Way Unit {u}",
                "City": "Spring",
                "Zip": "77386",
            }
            for u in "ABCD"
        ],
    )
    assert main(["match-csv", str(closings), "--entity", "property", "--against", str(sold), "--out", str(out)]) == 0
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("BT-C", "match")]


@pytest.mark.parametrize(
    ("other_situs", "decision"),
    [(None, "match"), ("1249 E AVERY RIDGE DR", "review"), ("1255 AVERY RIDGE DR W", "match")],
)
def test_a_streets_direction_left_out_is_the_one_the_files_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], other_situs: str | None, decision: str
) -> None:
    # A builder leaves out the W of "W Avery Ridge Dr"; the roll writes the street with the W only, before its name or
    # after it: the home is that one. Where the files write an E Avery Ridge Dr too, the home may be either: a
    # reviewer decides.
    inventory = _write(tmp_path / "inventory.csv", [
        {"Job #": "J1", "Address": "1249 Avery Ridge Dr", "City": "Leander", "Zip": "78641"},
    ])  # fmt: skip
    parcels = [{"PROP_ID": "P1", "SITUS_ADDR": "1249 W AVERY RIDGE DR", "CITY": "LEANDER", "ZIP": "78641"},
               {"PROP_ID": "P2", "SITUS_ADDR": "1301 W AVERY RIDGE DR", "CITY": "LEANDER", "ZIP": "78641"}]  # fmt: skip
    if other_situs:
        parcels.append({"PROP_ID": "P3", "SITUS_ADDR": other_situs, "CITY": "LEANDER", "ZIP": "78641"})
    roll = _write(tmp_path / "roll.csv", parcels)
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(inventory), "--entity", "property", "--against", str(roll), "--out", str(out)]
    assert main(argv) == 0, capsys.readouterr().err
    (row,) = _read(out)
    assert (row["right_id"] in ("P1", "P3"), row["decision"]) == (True, decision), row["explanation"]
    assert decision == "match" or "direction_unconfirmed" in row["explanation"]


def test_a_builders_structured_data_flattened_is_read_by_its_schema_org_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A builder's community pages' structured data, flattened: schema.org's PostalAddress and GeoCoordinates, and
    # the builder as the community's "brand".
    feed = _write(tmp_path / "feed.csv", [
        {"@id": "https://h.example/sr", "name": "Summit Reserve", "brand": "Halvorsen Homes",
         "telephone": "512-555-0142", "address.streetAddress": "", "address.addressLocality": "Leander",
         "address.addressRegion": "TX", "address.postalCode": "78641", "geo.latitude": "30.6126",
         "geo.longitude": "-97.8100"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"
    assert main(["match-csv", str(feed), "--entity", "community", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "builder <- 'brand'" in err and "city <- 'address.addressLocality'" in err
    assert "address <- 'address.streetAddress'" in err and "state <- 'address.addressRegion'" in err


def test_a_county_address_points_nena_columns_are_the_homes_street_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A county's NG9-1-1 address points, as NENA's data model heads them: the pre-modifier and pre-type are part of
    # the street ("OLD" San Marcos Rd, "COUNTY ROAD" 123), the postal community the town.
    points = _write(tmp_path / "points.csv", [
        {"ADDRESS_ID": "A1", "ADD_NUMBER": "1204", "ST_PREMOD": "OLD", "ST_PREDIR": "", "ST_PRETYP": "",
         "ST_NAME": "SAN MARCOS", "ST_POSTYP": "RD", "ST_POSDIR": "", "UNIT": "", "POST_COMM": "MANOR",
         "ZIP": "78653"},
        {"ADDRESS_ID": "A2", "ADD_NUMBER": "1204", "ST_PREMOD": "", "ST_PREDIR": "", "ST_PRETYP": "",
         "ST_NAME": "SAN MARCOS", "ST_POSTYP": "RD", "ST_POSDIR": "", "UNIT": "", "POST_COMM": "MANOR",
         "ZIP": "78653"},
        {"ADDRESS_ID": "A3", "ADD_NUMBER": "88", "ST_PREMOD": "", "ST_PREDIR": "", "ST_PRETYP": "COUNTY ROAD",
         "ST_NAME": "123", "ST_POSTYP": "", "ST_POSDIR": "", "UNIT": "", "POST_COMM": "MANOR", "ZIP": "78653"},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"id": "H1", "address": "1204 Old San Marcos Rd", "city": "Manor", "zip": "78653"},
        {"id": "H2", "address": "88 CR 123", "city": "Manor", "zip": "78653"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(homes), "--entity", "property", "--against", str(points), "--out", str(out)]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "street_number <- 'ADD_NUMBER'" in err and "street_pre_modifier <- 'ST_PREMOD'" in err
    assert "city <- 'POST_COMM'" in err
    linked = {row["left_id"]: (row["right_id"], row["decision"]) for row in _read(out)}
    assert linked == {"H1": ("A1", "match"), "H2": ("A3", "match")}


def test_a_column_named_without_the_spaces_its_header_was_exported_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A companies register's export heads its columns ", RegAddress.AddressLine1": the header keeps its leading space.
    register = tmp_path / "register.csv"
    register.write_text("CompanyName, CompanyNumber, RegAddress.AddressLine1, RegAddress.PostCode\n"
                        "BELLWAY HOMES LIMITED,00670176,Seaton Burn House,NE13 6BE\n")  # fmt: skip
    out = tmp_path / "dedup.csv"
    argv = ["match-csv", str(register), "--entity", "builder", "--out", str(out),
            "--column", "address=RegAddress.AddressLine1", "--column", "postal_code= RegAddress.PostCode"]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "address <- ' RegAddress.AddressLine1'" in err and "postal_code <- ' RegAddress.PostCode'" in err
    # A header no file has, however spaced, is still named as an error.
    assert main([*argv[:-4], "--column", "address=RegAddress.AddressLine9"]) == 2
    assert "no input file has such a column" in capsys.readouterr().err


@pytest.mark.parametrize(("id_header", "other"), [("LOCATION_ID", "METER_NO"), ("ADDRESS_ID", "ESN")])
def test_a_location_or_address_point_id_is_the_rows_beside_another_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], id_header: str, other: str
) -> None:
    # A co-op's service locations beside their meters' numbers, a county's address points beside their ESNs: each
    # row's own id is its location's.
    rows = _write(tmp_path / "rows.csv", [
        {id_header: "L-1", other: "7001", "SERVICE_ADDRESS": "1234 CR 45"},
        {id_header: "L-2", other: "7002", "SERVICE_ADDRESS": "88 CR 123"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"
    assert main(["match-csv", str(rows), "--entity", "property", "--out", str(out)]) == 0
    assert f"id <- {id_header!r}" in capsys.readouterr().err
    assert [row["left_id"] for row in _read(out)] == ["L-1", "L-2"]


def test_a_plats_section_column_is_part_of_the_communitys_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A county's plat list gives the section in a column of its own; a portal names it in the community's name, or
    # names only the master plan. Without the section, every plat of the subdivision was "Cedar Ridge".
    plats = _write(
        tmp_path / "plats.csv",
        [{"PLAT_NO": "COL-0073", "SUBDIVISION": "CEDAR RIDGE", "SECTION": "SECTION 3", "CITY": "Celina"},
         {"PLAT_NO": "COL-0074", "SUBDIVISION": "CEDAR RIDGE", "SECTION": "4", "CITY": "Celina"},
         {"PLAT_NO": "COL-0075", "SUBDIVISION": "CEDAR RIDGE", "SECTION": "", "CITY": "Celina"},
         {"PLAT_NO": "COL-0076", "SUBDIVISION": "SUTTON PARK", "SECTION": "II", "CITY": "Celina"}],
    )  # fmt: skip
    portal = _write(
        tmp_path / "portal.csv",
        [{"Community": "Cedar Ridge Section III", "City": "Celina"},
         {"Community": "Cedar Ridge Ph 4", "City": "Celina"},
         {"Community": "Sutton Park Phase 2", "City": "Celina"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(plats), "--entity", "community", "--against", str(portal), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "id <- 'PLAT_NO'" in err and "section <- 'SECTION'" in err
    linked = {row["left_id"]: (row["right_id"], row["decision"]) for row in _read(out)}
    assert linked["COL-0073"] == ("1", "match") and linked["COL-0074"] == ("2", "match")
    assert linked["COL-0076"] == ("3", "match")
    assert linked["COL-0075"][1] != "match"  # the subdivision, no section of it


def test_a_sections_number_beside_a_sister_named_by_it_waits_for_review(tmp_path: Path) -> None:
    # A district's bond filing lists each subdivision's sections in a column; the marketplace lists "Sable Village"
    # and its sister "Sable Village II". Section II of Sable Village was "sable village section 2" on both sides and
    # matched the sister at 0.999. "2 (Replat)" and "1A" were written as given, no section of the name.
    filing = _write(tmp_path / "filing.csv", [
        {"Row ID": "F1", "Subdivision": "SABLE VILLAGE", "Section": "II", "City": "Houston"},
        {"Row ID": "F2", "Subdivision": "Cypress Trls", "Section": "2 (Replat)", "City": "Brookshire"},
        {"Row ID": "F3", "Subdivision": "Pecan Crossing", "Section": "4", "City": "Manvel"},
        {"Row ID": "F4", "Subdivision": "Silver Ranch", "Section": "1A", "City": "Manvel"},
    ])  # fmt: skip
    pages = _write(tmp_path / "pages.csv", [
        {"id": "C1", "name": "New Homes in Sable Village", "city": "Houston"},
        {"id": "C2", "name": "New Homes in Sable Village II", "city": "Houston"},
        {"id": "C3", "name": "Cypress Trails by Chesmar Homes", "city": "Brookshire"},
        {"id": "C4", "name": "Cypress Trails II", "city": "Brookshire"},
        # No "Pecan Crossing" beside it: its 4 is the section.
        {"id": "C5", "name": "Pecan Crossing 4", "city": "Manvel"},
        {"id": "C6", "name": "Silver Ranch 55'", "city": "Manvel"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(filing), "--entity", "community", "--against", str(pages), "--out", str(out),
                 "--many"]) == 0  # fmt: skip
    decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in _read(out)}
    assert decided["F1"][:2] == ("C2", "review") and decided["F1"][2].endswith("held back: sister_listed C1")
    assert decided["F2"][:2] == ("C4", "review") and decided["F2"][2].endswith("held back: sister_listed C3")
    assert decided["F3"][:2] == ("C5", "match")
    assert decided["F4"][:2] == ("C6", "review") and "name=plat" in decided["F4"][2]


def test_an_engineering_lists_coded_filing_is_the_plats_filing(tmp_path: Path) -> None:
    # A county's engineering list gives each subdivision's filing in a column of its own, coded "F4" or "FIL 2"; the
    # planning list names the filing in the plat's title, "Filing No. 18" as Colorado titles it.
    engineering = _write(tmp_path / "engineering.csv", [
        {"id": "E1", "Subdivision": "RED HAWK", "Filing": "F4", "Zip": "80104"},
        {"id": "E2", "Subdivision": "MACANTA", "Filing": "FIL 2", "Zip": "80108"},
        {"id": "E3", "Subdivision": "CRYSTAL VALLEY RANCH", "Filing": "F18", "Zip": "80104"},
    ])  # fmt: skip
    planning = _write(tmp_path / "planning.csv", [
        {"id": "P1", "Subdivision": "Red Hawk Filing 4", "Zip": "80104"},
        {"id": "P2", "Subdivision": "Red Hawk Filing 5", "Zip": "80104"},
        {"id": "P3", "Subdivision": "Macanta Filing 2", "Zip": "80108"},
        {"id": "P4", "Subdivision": "Crystal Valley Ranch Filing No. 18", "Zip": "80104"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(engineering), "--entity", "community", "--against", str(planning), "--out", str(out)]
    assert main(argv) == 0
    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided == {"E1": ("P1", "match"), "E2": ("P3", "match"), "E3": ("P4", "match")}


def test_a_block_cell_writing_its_word_is_the_block(tmp_path: Path) -> None:
    # A builder's takedown schedule writes "Blk A" in its block column; the county's letter gives "A" and no address
    # yet. Read as a block "blk a", lot 1 of block A was another block's.
    letters = _write(tmp_path / "letters.csv", [
        {"id": "L1", "Subdivision": "Sunfield Ph 5", "Block": "A", "Lot": "1", "Address": "", "Zip": "78610"},
    ])  # fmt: skip
    schedule = _write(tmp_path / "schedule.csv", [
        {"Job": "S1", "Community": "Sunfield Ph 5", "Block": "Blk A", "Lot": "1", "Address": "", "Zip": "78610"},
        {"Job": "S2", "Community": "Sunfield Ph 5", "Block": "Blk B", "Lot": "1", "Address": "", "Zip": "78610"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(letters), "--entity", "property", "--against", str(schedule), "--out", str(out),
            "--column", "id=Job"]  # fmt: skip
    assert main(argv) == 0
    assert (_read(out)[0]["right_id"], _read(out)[0]["decision"]) == ("S1", "match")


def test_a_row_written_new_names_its_nearest_candidate_and_why_it_fell_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A restaurant that moved to the next town and changed its phone leaves only its name: below the review threshold,
    # and the row says so rather than leaving its explanation empty.
    guide = _write(tmp_path / "guide.csv", [
        {"id": "g1", "name": "Nonna Rosa Trattoria", "address": "5770 W Anderson Ln", "city": "Austin",
         "phone": "(737) 912-6116"},
        {"id": "g2", "name": "Quartz Noodle Bar", "address": "12 Elm St", "city": "Austin", "phone": "512-555-0110"},
    ])  # fmt: skip
    app = _write(tmp_path / "app.csv", [
        {"id": "a1", "name": "Nonna Rosa Trattoria", "address": "262 S Lamar Blvd", "city": "San Marcos", "phone": ""},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    for many in ([], ["--many"]):
        argv = ["match-csv", str(guide), "--entity", "builder", "--against", str(app), "--out", str(out), *many]
        assert main(argv) == 0
        rows = {row["left_id"]: row for row in _read(out)}
        assert rows["g1"]["decision"] == "new" and rows["g1"]["right_id"] == ""
        assert rows["g1"]["explanation"].startswith("nearest candidate a1 (0.")
        assert ", below 0.6: prior(" in rows["g1"]["explanation"] and "name=exact" in rows["g1"]["explanation"]
        assert rows["g2"]["explanation"] == ""  # no candidate at all
    # Deduplicated, a row is never its own nearest candidate.
    both = _write(tmp_path / "both.csv", [*_read(guide), *_read(app)])
    assert main(["match-csv", str(both), "--entity", "builder", "--out", str(out)]) == 0
    rows = {row["left_id"]: row for row in _read(out)}
    assert rows["g1"]["explanation"].startswith("nearest candidate a1 (0.")
    assert rows["a1"]["explanation"].startswith("nearest candidate g1 (0.")
    assert rows["g2"]["explanation"] == ""


def test_a_plat_lists_county_places_a_subdivision_it_gives_no_town(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plats = _write(
        tmp_path / "plats.csv",
        [{"PLAT_NO": "COL-0063", "SUBDIVISION": "LIGHT FARMS", "SECTION": "V", "CITY": "", "COUNTY": "COLLIN",
          "STATE": "TX"},
         {"PLAT_NO": "DEN-0011", "SUBDIVISION": "MUSTANG LAKES", "SECTION": "5", "CITY": "", "COUNTY": "DENTON",
          "STATE": "TX"}],
    )  # fmt: skip
    portal = _write(
        tmp_path / "portal.csv",
        [{"Community": "Light Farms Sec. 5", "City": "Prosper", "State": "TX", "Zip": "75078"},
         {"Community": "Mustang Lakes Sec. 5", "City": "Celina", "State": "TX", "Zip": "75009"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(plats), "--entity", "community", "--against", str(portal), "--out", str(out)]) == 0

    assert "county <- 'COUNTY'" in capsys.readouterr().err
    linked = {row["left_id"]: row for row in _read(out)}
    assert linked["COL-0063"]["decision"] == "match" and linked["COL-0063"]["right_id"] == "1"
    # Celina's ZIP lies in Collin County, not Denton: nothing places the pair.
    assert linked["DEN-0011"]["decision"] == "review"
    assert linked["DEN-0011"]["explanation"].endswith("held back: location_unconfirmed")


def test_a_crm_accounts_billing_place_is_read_where_a_row_gives_none_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A CRM's accounts: one business entered twice, once with its shipping address and once with its billing address
    # alone; and a chain's two locations whose rows name the brand and its one website.
    headers = ["Account ID", "Account Name", "Billing Street", "Billing City", "Billing State/Province",
               "Billing Zip/Postal Code", "Shipping Street", "Shipping City", "Shipping State/Province",
               "Shipping Zip/Postal Code", "Phone", "Website"]  # fmt: skip
    rows = [
        {"Account ID": "A1", "Account Name": "Magnolia Orthopedic Associates LLC",
         "Billing Street": "Attn: Accounts Payable\n4723 COMMERCE PKWY", "Billing City": "CHANDLER",
         "Billing State/Province": "Arizona", "Billing Zip/Postal Code": "85226", "Phone": "602.712.7251"},
        {"Account ID": "A2", "Account Name": "Magnolia Orthopedic Associates", "Shipping Street": "4723 Commerce Pkwy",
         "Shipping City": "Chandler", "Shipping State/Province": "AZ", "Shipping Zip/Postal Code": "85226",
         "Phone": "(480) 542-8023"},
        {"Account ID": "P1", "Account Name": "Pollo Bravo", "Billing Street": "11152 E Baseline Rd",
         "Billing City": "Scottsdale", "Billing State/Province": "AZ", "Billing Zip/Postal Code": "85260",
         "Phone": "480-488-0539", "Website": "pollobravo.com"},
        {"Account ID": "P2", "Account Name": "Pollo Bravo", "Shipping Street": "5115 Industrial Blvd",
         "Shipping City": "Mesa", "Shipping State/Province": "AZ", "Shipping Zip/Postal Code": "85210",
         "Phone": "480-555-0142", "Website": "www.pollobravo.com"},
    ]  # fmt: skip
    accounts = _write_stacked(tmp_path / "accounts.csv", headers, rows)
    out = tmp_path / "clusters.csv"

    assert main(["match-csv", str(accounts), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "where a row gives no place of its own: address <- 'Billing Street', city <- 'Billing City'" in err
    assert "not read" not in err  # every column is read
    written = {row["left_id"]: row for row in _read(out)}
    assert written["A1"]["cluster_id"] == written["A2"]["cluster_id"]
    assert "address=same" in written["A1"]["explanation"]
    # The chain's locations: the website and the name agree, and two towns' street addresses keep them apart.
    assert written["P1"]["cluster_id"] != written["P2"]["cluster_id"]
    # A community's billing place is its manager's: never read.
    assert main(["match-csv", str(accounts), "--entity", "community", "--column", "name=Account Name",
                 "--out", str(out)]) == 0  # fmt: skip
    assert "'Billing Street'" in capsys.readouterr().err.split("not read")[1]


@pytest.mark.parametrize(
    ("row", "read"),
    [
        # A licence board's practitioner is a person; the practice is the business.
        ({"LICENSE_NO": "D-1", "LICENSEE_NAME": "JOHN H PARK", "PRACTICE_NAME": "Park Family Dentistry"},
         "id <- 'LICENSE_NO', name <- 'PRACTICE_NAME' (where blank: 'LICENSEE_NAME')"),
        ({"PropertyID": "H-1", "PropertyName": "Hampton Inn Austin North"},
         "id <- 'PropertyID', name <- 'PropertyName'"),
        ({"DEALER_NUMBER": "P21611", "DEALER_NAME": "LUTE RILEY HONDA"},
         "id <- 'DEALER_NUMBER', name <- 'DEALER_NAME'"),
        # A childcare licence list's centre; its county is no name, even where the centre's is blank.
        ({"Facility Number": "386214233", "Facility Name": "REDWOOD PRESCHOOL", "County Name": "TRAVIS"},
         "id <- 'Facility Number', name <- 'Facility Name', "),
        ({"Listing Ref": "RSR0-02", "Facility Name": "REDWOOD PRESCHOOL", "Region Name": "CENTRAL TEXAS"},
         "id <- 'Listing Ref', name <- 'Facility Name', "),
        # A tax-exempt organisations register: its "ORGANIZATION" is a code of its kind, no name.
        ({"EIN": "353568140", "NAME": "TRINITY COMMUNITY CHURCH INC", "ORGANIZATION": "5"},
         "id <- 'EIN', name <- 'NAME', "),
        ({"place_id": "ChIJwcpt5eS7", "google_id": "0x886c5e3", "name": "Helmsburg Elementary School"},
         "id <- 'place_id', name <- 'name'"),
    ],
)  # fmt: skip
def test_a_businesss_own_name_and_number_are_read_by_their_usual_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: dict[str, str], read: str
) -> None:
    listed = _write(tmp_path / "listed.csv", [{**row, "Address": "1201 E Parmer Ln", "City": "Austin"}])
    out = tmp_path / "out.csv"

    assert main(["match-csv", str(listed), "--entity", "builder", "--out", str(out)]) == 0

    assert read in capsys.readouterr().err
    assert _read(out)[0]["cluster_id"] == next(iter(row.values()))


def test_a_store_locators_brand_column_is_part_of_the_stores_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A chain's store locator names a store by its corner or area, its brand in a column of its own; a listing
    # vendor names it by its brand, with a flag column saying it is a chain.
    locator = _write(tmp_path / "locator.csv", [
        {"Location ID": "L17", "Brand": "Bean & Ember Coffee", "Store Name": "Park Rd & 5th St",
         "Address Line 1": "2210 Park Rd", "City": "Charlotte", "State": "NC", "Phone": "(704) 555-0117"},
        {"Location ID": "L18", "Brand": "Meridian Federal Bank", "Store Name": "Meridian Federal Bank - Buckley",
         "Address Line 1": "9757 S Buckley Rd", "City": "Aurora", "State": "CO", "Phone": "(303) 555-0118"},
        # A brand written with its parent's name: the store's name gives it by its own.
        {"Location ID": "L19", "Brand": "Hampton by Hilton", "Store Name": "Hampton Inn & Suites Austin-North",
         "Address Line 1": "1201 E Parmer Ln", "City": "Austin", "State": "TX", "Phone": "(512) 555-0119"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"Listing ID": "D1", "Name": "Bean & Ember Coffee", "Address": "2210 Park Road, Charlotte, NC 28203",
         "Phone": "704-555-0117", "Chain": "Y"},
        {"Listing ID": "D2", "Name": "Meridian Federal Bank", "Address": "9757 S Buckley Road, Aurora, CO 80012",
         "Phone": "303.555.0118", "Chain": "Y"},
        {"Listing ID": "D3", "Name": "Hampton Inn & Suites Austin-North", "Address": "1201 E Parmer Lane, Austin, TX",
         "Phone": "512-555-0119", "Chain": "Y"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(locator), "--entity", "builder", "--against", str(listings), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "brand <- 'Brand'" in err and "'Chain'" in err.split("listings.csv")[1].split("not read")[1]
    linked = {row["left_id"]: row for row in _read(out)}
    assert linked["L17"]["right_id"] == "D1" and linked["L17"]["decision"] == "match"
    assert "name=contained" in linked["L17"]["explanation"]
    assert linked["L18"]["right_id"] == "D2" and linked["L18"]["decision"] == "match"
    assert linked["L19"]["right_id"] == "D3" and linked["L19"]["decision"] == "match"


def test_a_shapefiles_header_cut_at_ten_characters_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A county's address points exported from a shapefile: "SUBDIVISIO" was not read, and homes the builder sells
    # under a neighbouring town were held for review, though their subdivision, lot and block agree.
    points = _write(tmp_path / "points.csv", [
        {"ADDRESS_ID": "FB1", "ADD_NUMBER": "27003", "ST_NAME": "HERON CREST", "ST_POSTYP": "DR",
         "POST_COMM": "FULSHEAR", "POST_CODE": "77441", "SUBDIVISIO": "HERON RIDGE SEC 3", "BLOCK": "1", "LOT": "1"},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"id": "J1", "Address": "27003 Heron Crest Dr", "City": "Katy", "Zip": "77494", "Community": "Heron Ridge",
         "Section": "3", "Block": "1", "Lot": "1"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(points), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "subdivision <- 'SUBDIVISIO'" in err and "website <-" not in err
    assert (_read(out)[0]["right_id"], _read(out)[0]["decision"]) == ("J1", "match")


def test_a_parent_and_its_subsidiary_licensed_at_one_office_are_two_clusters(tmp_path: Path) -> None:
    # A state's licences, an association's directory and a review site stacked in one file: "Dunmore Group" and its
    # subsidiary "Dunmore Homes" share an office and a line. Their licences, no website on either, linked at `core`
    # and joined the two firms' rows into one cluster.
    office = {"Address": "347 Skibo Rd", "City": "Greensboro", "State": "NC", "Zip": "27410", "Phone": "3365550177"}
    rows = _write(tmp_path / "builders.csv", [
        {"id": "L1", "Name": "DUNMORE GROUP INC", "Website": "", **office},
        {"id": "L2", "Name": "DUNMORE HOMES LLC", "Website": "", **office},
        {"id": "H1", "Name": "Dunmore Group", "Website": "", **office},
        {"id": "H2", "Name": "Dunmore Homes", "Website": "www.dunmorehomes.com", **office},
        {"id": "R1", "Name": "Dunmore Homes | Custom Home Builder", "Website": "https://www.dunmorehomes.com/",
         **office},
    ])  # fmt: skip
    out = tmp_path / "clusters.csv"
    assert main(["match-csv", str(rows), "--entity", "builder", "--out", str(out)]) == 0
    decided = {r["left_id"]: r for r in _read(out)}
    assert decided["L1"]["cluster_id"] == decided["H1"]["cluster_id"]
    assert decided["L2"]["cluster_id"] == decided["H2"]["cluster_id"] == decided["R1"]["cluster_id"]
    assert decided["L1"]["cluster_id"] != decided["L2"]["cluster_id"]


@pytest.mark.parametrize("many", [False, True])
def test_a_link_at_a_shared_office_waits_where_another_row_there_bears_the_records_name(
    tmp_path: Path, many: bool
) -> None:
    # A church holds two child-care licences at one office and line; the directory lists its preschool by its very
    # name. The after-school licence, its line agreeing, outweighed the preschool's (phone blank) and was matched at
    # 1.0000 on the shared line and address.
    site = {"ADDRESS": "10186 LOUETTA RD", "CITY": "CYPRESS", "ZIP": "77433"}
    licences = _write(tmp_path / "licences.csv", [
        {"OPERATION_ID": "793726", "OPERATION_NAME": "ST MARK CATHOLIC CHURCH AFTER SCHOOL PROGRAM",
         "PHONE": "(832) 389-2843", **site},
        {"OPERATION_ID": "242685", "OPERATION_NAME": "ST MARK CATHOLIC CHURCH CHILD DEVELOPMENT CENTER", "PHONE": "",
         **site},
    ])  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [
        {"id": "L1", "name": "St. Mark Catholic Church Child Development Center", "address": "10186 Louetta Road",
         "city": "Cypress", "zip": "77433", "phone": "832-389-2843"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(directory), "--out", str(out),
                 *(["--many"] if many else [])]) == 0  # fmt: skip
    decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in _read(out)}
    assert decided["793726"][:2] == ("L1", "review")
    assert decided["793726"][2].endswith("held back: ambiguous_with 242685")
    assert decided["242685"][:2] == ("L1", "match" if many else "review")  # one-to-one, taken by the other


def test_rows_naming_one_business_at_its_address_are_all_linked_with_many(tmp_path: Path) -> None:
    # A complaint register: a complainant's short form beside another's full name of one roofer at its address. The
    # short form's link was held for review beside the row bearing the directory's very name: one business's two
    # complaints.
    site = {"Business Address": "4410 Cleveland Ave", "Business City": "Columbus", "Business Phone": "6145550142"}
    complaints = _write(tmp_path / "complaints.csv", [
        {"Complaint Number": "CP-1", "Business Name": "Buckeye Roofing", **site},
        {"Complaint Number": "CP-2", "Business Name": "Buckeye Roofing & Siding", **site},
    ])  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [
        {"id": "B1", "name": "Buckeye Roofing & Siding", "address": "4410 Cleveland Avenue", "city": "Columbus",
         "phone": "(614) 555-0142"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(complaints), "--entity", "builder", "--against", str(directory), "--out", str(out),
                 "--many"]) == 0  # fmt: skip
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("B1", "match"), ("B1", "match")]
    # One-to-one, only one of them is the listing's: the one bearing its very name (a restaurant's permit, not its
    # commissary's "GREEN OLIVE CAFE COMMISSARY").
    assert main(["match-csv", str(complaints), "--entity", "builder", "--against", str(directory), "--out",
                 str(out)]) == 0  # fmt: skip
    decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in _read(out)}
    assert decided["CP-2"][:2] == ("B1", "match")
    assert decided["CP-1"][1] != "match"


def test_a_parade_entrys_model_address_is_not_the_builders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A parade of homes lists each entry's model home: read as the builder's street address, it disagreed with every
    # builder's office (-4.9 bits) and held each entry for review, names and websites agreeing.
    entries = _write(tmp_path / "entries.csv", [
        {"Entry #": "1001", "Entrant Company": "CastleRock Communities", "Model Address": "1922 Redbud Rd (Model)",
         "City": "Bee Cave", "Zip": "78738", "Website": "www.c-rock.com"},
    ])  # fmt: skip
    builders = _write(tmp_path / "builders.csv", [
        {"id": "B1", "name": "CastleRock Communities", "website": "https://www.c-rock.com",
         "address": "2000 E Whitestone Blvd", "city": "Cedar Park", "zip": "78613"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(entries), "--entity", "builder", "--against", str(builders), "--out", str(out),
                 "--many"]) == 0  # fmt: skip
    assert "'Model Address'" in capsys.readouterr().err.split("not read")[1]
    assert "address=" not in _read(out)[0]["explanation"]


def test_a_chains_operator_in_a_blank_dba_s_stead_is_no_name_of_the_place(tmp_path: Path) -> None:
    # A vet board leaves the DBA blank where a hospital trades under the chain's brand, its licence the operating
    # company's. Compared as the name, "MEDICAL MANAGEMENT INTERNATIONAL INC" sank each hospital's street address and
    # line (-5.9 bits): written new, or held names_differ. A licensee at one address trades under its own name.
    def premise(number: str, dba: str, licensee: str, address: str, phone: str) -> dict[str, str]:
        return {"License Number": number, "Licensee Name": licensee, "DBA Name": dba, "Address Line 1": address,
                "City": "JACKSONVILLE", "Zip": "32216", "Phone": phone}  # fmt: skip

    mmi = "MEDICAL MANAGEMENT INTERNATIONAL INC"
    board = _write(tmp_path / "board.csv", [
        premise("PR1", "", mmi, "16197 S NEWBERRY RD", "(904) 920-8719"),
        premise("PR2", "", mmi, "15690 E GLADES ROAD", ""),
        premise("PR3", "BANFIELD PET HOSPITAL #0277", mmi, "655 W CLEVELAND AVE", "9047911643"),
        premise("PR4", "", "SAN MARCO ANIMAL HOSPITAL INC", "6163 NOVA RD", ""),
    ])  # fmt: skip
    app = _write(tmp_path / "app.csv", [
        {"listing_id": "L1", "clinic_name": "Banfield Pet Hospital", "street": "16197 S Newberry Road",
         "city": "Jacksonville", "zip": "32216", "phone": "+19049208719"},
        {"listing_id": "L2", "clinic_name": "Banfield Pet Hospital", "street": "15690 E Glades Road",
         "city": "Jacksonville", "zip": "32216", "phone": "(904) 496-4495"},
        {"listing_id": "L4", "clinic_name": "San Marco Animal Hospital", "street": "6163 Nova Road",
         "city": "Jacksonville", "zip": "32216", "phone": ""},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(board), "--entity", "builder", "--against", str(app), "--out", str(out)]) == 0
    decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in _read(out)}
    assert decided["PR1"][:2] == ("L1", "match") and "name=" not in decided["PR1"][2]
    assert decided["PR2"][:2] == ("L2", "review")  # its street address alone: the name unknown
    assert decided["PR4"][:2] == ("L4", "match") and "name=exact" in decided["PR4"][2]


def test_a_licences_legal_name_and_a_directorys_alternate_names_are_the_businesss_names_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A licence board gives the legal name beside the DBA; a directory lists other names in one cell; an
    # inspection list's "AKA Name" is the building a stand is in, which other stands share.
    licences = _write(tmp_path / "licences.csv", [
        {"License Number": "R-1001", "Business Name": "KINSLEY CONSTRUCTION LLC", "DBA": "TRILLIUM HOMEBUILDERS",
         "Address": "77 Elm St", "City": "Dublin", "State": "OH", "Phone": "614-555-0171"},
        {"License Number": "R-1002", "Business Name": "PRAIRIE BUILDING GROUP LLC", "DBA": "",
         "Address": "410 Hillsborough St", "City": "Raleigh", "State": "NC", "Phone": "919-555-0150"},
    ])  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [
        {"Business ID": "D1", "Business Name": "Kinsley Construction", "Alternate Names": "",
         "Street": "77 Elm Street", "City": "Dublin", "State": "OH", "Phone": "(614) 555-0171"},
        {"Business ID": "D2", "Business Name": "Ivey Fine Homes",
         "Alternate Names": "Prairie Building Group; Ivey Homes", "Street": "410 Hillsborough Street",
         "City": "Raleigh", "State": "NC", "Phone": "(919) 555-0150"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    argv = ["match-csv", str(licences), "--entity", "builder", "--against", str(directory), "--out", str(out)]
    assert main(argv) == 0

    assert "other_names <- 'Alternate Names'" in capsys.readouterr().err
    linked = {row["left_id"]: row for row in _read(out)}
    assert linked["R-1001"]["right_id"] == "D1" and linked["R-1001"]["decision"] == "match"
    assert linked["R-1002"]["right_id"] == "D2" and linked["R-1002"]["decision"] == "match"
    # The legal name named with --column as the other names: a row whose DBA is blank trades under it all the same.
    legal = tmp_path / "legal.csv"
    legal.write_text(licences.read_text().replace("Business Name", "Legal Entity Name"))
    argv[1] = str(legal)
    assert main([*argv, "--column", "name=DBA", "--column", "other_names=Legal Entity Name"]) == 0
    assert [(r["right_id"], r["decision"], r["explanation"].split()[1]) for r in _read(out)] == [
        ("D1", "match", "name=exact(+10.0)"),
        ("D2", "match", "name=exact(+10.0)"),
    ]
    # A tax roll's taxpayer, the owner's holding company, named so is no name of a row whose DBA is blank.
    taxpayer = tmp_path / "taxpayer.csv"
    taxpayer.write_text(licences.read_text().replace("Business Name", "TAXPAYER_NAME"))
    argv[1] = str(taxpayer)
    assert main([*argv, "--column", "name=DBA", "--column", "other_names=TAXPAYER_NAME"]) == 0
    assert "name=" not in _read(out)[1]["explanation"]
    # An airport's two stands, each listed with the airport as its "AKA Name", are two.
    stands = _write(tmp_path / "inspections.csv", [
        {"License #": "1", "DBA Name": "ROSE CITY PUB", "AKA Name": "PORTLAND INTL AIRPORT",
         "Address": "7000 NE AIRPORT WAY", "City": "PORTLAND"},
        {"License #": "2", "DBA Name": "CASCADE ROASTERS - CONCOURSE C", "AKA Name": "PORTLAND INTL AIRPORT",
         "Address": "7000 NE AIRPORT WAY", "City": "PORTLAND"},
    ])  # fmt: skip
    assert main(["match-csv", str(stands), "--entity", "builder", "--out", str(out)]) == 0
    assert {row["cluster_id"] for row in _read(out)} == {"1", "2"}


def test_a_registers_location_point_places_the_row_and_is_no_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A city's licence register: a "Location" column of points beside the business's address; an account number as
    # its id. A guide's "Restaurant" column is the name.
    register = _write(tmp_path / "register.csv", [
        {"Account Number": "0001234567", "Business Name": "Fischer Plumbing LLC",
         "Business Address": "641 SE Hawthorne Blvd", "City": "Portland", "State": "OR", "ZIP": "97214",
         "Location": "(45.5122, -122.6587)"},
        {"Account Number": "0001234568", "Business Name": "Carrow Hardware", "Business Address": "",
         "City": "Denver", "State": "CO", "ZIP": "80211", "Location": "(39.7761, -105.0436)"},
    ])  # fmt: skip
    guide = _write(tmp_path / "guide.csv", [
        {"Restaurant": "Fischer Plumbing", "Address": "641 SE Hawthorne Blvd", "City": "Portland"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(register), "--entity", "builder", "--against", str(guide), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "id <- 'Account Number'" in err and "name <- 'Restaurant'" in err
    (first, second) = _read(out)
    assert first["left_id"] == "0001234567" and first["decision"] == "match" and "address=same" in first["explanation"]
    records = read_file(register, "builder").records
    assert records[0].address is not None and records[0].address.number == "641"
    assert records[1].address is None and (records[1].latitude, records[1].longitude) == (39.7761, -105.0436)


def test_a_registrys_physical_location_is_the_communitys_place_not_its_managers_mailing_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = _write(tmp_path / "hoa.csv", [
        {"Registration No.": "TX-1", "Association Name": "Pecan Run Homeowners Association, Inc.",
         "Mailing Address": "20405 State Hwy 249 Ste 700", "Physical Location": "2697 Aspen Glade Dr",
         "City": "Katy", "Zip": "77494"},
    ])  # fmt: skip
    out = tmp_path / "out.csv"

    assert main(["match-csv", str(registry), "--entity", "community", "--out", str(out)]) == 0

    assert "address <- 'Physical Location'" in capsys.readouterr().err


def test_a_management_exports_office_is_no_fallback_for_the_community_columns_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A management company's portfolio gives each association its managing office and the community's own place,
    # both filled on most rows: named with --column, the community's columns are read, and the office's never stand
    # in where a community's cell is blank.
    office = {"Office Address": "1700 Round Rock Ave Ste 210", "Office City": "Round Rock", "Office Zip": "78681"}
    portfolio = _write(tmp_path / "portfolio.csv", [
        {"Assoc #": "A1", "Community": "Falcon Fields", **office, "Community Address": "", "Community City": "Manor",
         "Community Zip": ""},
        {"Assoc #": "A2", "Community": "Pomona Lakes", **office, "Community Address": "2000 Lake Pointe Dr",
         "Community City": "Hutto", "Community Zip": "78634"},
    ])  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [
        {"Listing ID": "C1", "Community Name": "Falcon Fields", "City": "Manor", "Zip": "78653"},
        {"Listing ID": "C2", "Community Name": "Pomona Lakes", "City": "Hutto", "Zip": "78634"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(portfolio), "--against", str(directory), "--entity", "community",
                 "--column", "address=Community Address", "--column", "city=Community City",
                 "--column", "postal_code=Community Zip", "--out", str(out)]) == 0  # fmt: skip
    err = capsys.readouterr().err.split("\n")[0]
    for field, column in (("address", "Community Address"), ("city", "Community City"),
                          ("postal_code", "Community Zip")):  # fmt: skip
        assert f"{field} <- {column!r}," in err or f"{field} <- {column!r};" in err  # no column where blank
    written = {row["left_id"]: row for row in _read(out)}
    assert (written["A1"]["right_id"], written["A1"]["decision"]) == ("C1", "match")
    assert written["A2"]["right_id"] == "C2"


def test_a_stores_pharmacy_is_not_the_store_unless_the_stores_listing_says_it_is_a_pharmacy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A board of pharmacy's licences against a places export: the grocer's pharmacy shares the grocer's address and
    # main line, and the grocer is listed too; a drugstore is its pharmacy, whichever of its listings is linked.
    licences = _write(tmp_path / "licences.csv", [
        {"LICENSE_NUMBER": "32332", "FACILITY_NAME": "KROGER TEXAS L.P.", "DBA_NAME": "KROGER PHARMACY #3867",
         "LICENSE_TYPE": "COMMUNITY PHARMACY (CLASS A)", "ADDRESS1": "6011 W PARKER RD", "CITY": "PLANO",
         "ZIP": "75024", "PHONE": "(972)579-1730"},
        {"LICENSE_NUMBER": "25653", "FACILITY_NAME": "WALGREEN CO", "DBA_NAME": "WALGREENS #10913",
         "LICENSE_TYPE": "COMMUNITY PHARMACY (CLASS A)", "ADDRESS1": "1392 W MCDERMOTT DR", "CITY": "ALLEN",
         "ZIP": "75013", "PHONE": "(972)572-2594"},
    ])  # fmt: skip
    places = _write(tmp_path / "places.csv", [
        {"place_id": "G1", "name": "Kroger", "category": "Grocery store", "street": "6011 W Parker Rd",
         "city": "Plano", "postal_code": "75024", "phone": "+1 972-579-1730"},
        {"place_id": "G2", "name": "Walgreens Pharmacy", "category": "Pharmacy", "street": "1392 W McDermott Dr",
         "city": "Allen", "postal_code": "75013", "phone": "+1 972-572-2594"},
        {"place_id": "G3", "name": "Walgreens", "category": "Drug store", "street": "1392 W McDermott Dr",
         "city": "Allen", "postal_code": "75013", "phone": "+1 972-572-2594"},
        {"place_id": "G4", "name": "Kroger Pharmacy", "category": "Pharmacy", "street": "6011 W Parker Rd",
         "city": "Plano", "postal_code": "75024", "phone": "+1 972-987-1318"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(places), "--many",
                 "--out", str(out)]) == 0  # fmt: skip

    err = capsys.readouterr().err
    assert "category <- 'LICENSE_TYPE'" in err and "category <- 'category'" in err
    written = {row["left_id"]: row for row in _read(out)}
    assert (written["32332"]["right_id"], written["32332"]["decision"]) == ("G4", "match")
    assert written["25653"]["decision"] == "match"
    # The places export alone: the grocer and its pharmacy are two places, the drugstore's two listings one.
    assert main(["match-csv", str(places), "--entity", "builder", "--out", str(out)]) == 0
    clusters = {row["left_id"]: row["cluster_id"] for row in _read(out)}
    assert clusters["G2"] == clusters["G3"] and clusters["G1"] != clusters["G4"]


def test_a_legal_name_that_rows_trading_under_other_names_share_is_their_owners(tmp_path: Path) -> None:
    # A state's home-builder registrations: one company registers each of its brands at its division's office, under
    # its one legal name; one brand is registered twice (two states' lists stacked).
    office = {"Address": "1741 Six Forks Blvd Ste 440", "City": "Leland", "State": "NC", "Zip": "28451",
              "Phone": "(910) 252-3277", "Email": "licensing@pulte.com"}  # fmt: skip
    registrations = _write(tmp_path / "registrations.csv", [
        {"Registration No.": "50454", "Legal Name": "PULTE HOME COMPANY, LLC", "DBA": "PULTE HOMES", **office},
        {"Registration No.": "89892", "Legal Name": "PULTE HOME COMPANY, LLC", "DBA": "CENTEX", **office},
        {"Registration No.": "79945", "Legal Name": "PULTE HOME COMPANY, LLC", "DBA": "DEL WEBB", **office},
        {"Registration No.": "RBB-1", "Legal Name": "Pulte Home Company, LLC", "DBA": "Del Webb", **office},
    ])  # fmt: skip
    out = tmp_path / "clusters.csv"

    assert main(["match-csv", str(registrations), "--entity", "builder", "--out", str(out)]) == 0

    clusters = {row["left_id"]: row["cluster_id"] for row in _read(out)}
    assert clusters["79945"] == clusters["RBB-1"]
    assert len({clusters["50454"], clusters["89892"], clusters["79945"]}) == 3
    # A legal name one row alone gives is still that business's other name: a directory lists it by it.
    directory = _write(tmp_path / "directory.csv", [{"Listing ID": "D1", "Business Name": "Pulte Home Company",
                                                     **office}])  # fmt: skip
    single = _write(tmp_path / "single.csv", [
        {"Registration No.": "50454", "Legal Name": "PULTE HOME COMPANY, LLC", "DBA": "PULTE HOMES", **office},
    ])  # fmt: skip
    assert main(["match-csv", str(single), "--entity", "builder", "--against", str(directory), "--out", str(out)]) == 0
    assert "name=exact" in _read(out)[0]["explanation"]


def test_a_complexs_towers_named_in_a_column_of_their_own_keep_their_units_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two towers at one street address number their units alike. The builder's inventory names each tower; the
    # listing service gives it in "BuildingName" beside the unit in the address, or as a letter run into the unit.
    tower = {"Street Address": "1200 Post Oak Blvd", "City": "Houston", "ZIP": "77056"}
    inventory = _write(tmp_path / "inventory.csv", [
        {"Unit ID": "POP-ET-1703", "Building": "East Tower", "Unit": "1703", **tower},
        {"Unit ID": "POP-WT-1703", "Building": "West Tower", "Unit": "1703", **tower},
        {"Unit ID": "POP-ET-501", "Building": "East Tower", "Unit": "501", **tower},
        {"Unit ID": "POP-WT-501", "Building": "West Tower", "Unit": "501", **tower},
        # A garden complex's buildings by number, their units numbered from the building's.
        {"Unit ID": "KR-2-201", "Building": "2", "Unit": "201", **tower, "Street Address": "15500 Kuykendahl Rd"},
        {"Unit ID": "KR-1-201", "Building": "1", "Unit": "201", **tower, "Street Address": "15500 Kuykendahl Rd"},
    ])  # fmt: skip
    listings = _write(tmp_path / "mls.csv", [
        {"ListingKey": "K1", "UnparsedAddress": "1200 Post Oak Blvd Unit 1703", "UnitNumber": "",
         "BuildingName": "Post Oak Park - West Tower", "City": "Houston", "PostalCode": "77056"},
        {"ListingKey": "K2", "UnparsedAddress": "1200 Post Oak Blvd Unit E-1703", "UnitNumber": "",
         "BuildingName": "", "City": "Houston", "PostalCode": "77056"},
        {"ListingKey": "K3", "UnparsedAddress": "1200 Post Oak Blvd Bldg E Unit 501", "UnitNumber": "",
         "BuildingName": "", "City": "Houston", "PostalCode": "77056"},
        # No tower given: either tower's 501.
        {"ListingKey": "K4", "UnparsedAddress": "1200 Post Oak Blvd #501", "UnitNumber": "", "BuildingName": "",
         "City": "Houston", "PostalCode": "77056"},
        {"ListingKey": "K5", "UnparsedAddress": "15500 Kuykendahl Rd #201", "UnitNumber": "", "BuildingName": "",
         "City": "Houston", "PostalCode": "77056"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(listings), "--entity", "property", "--against", str(inventory), "--many",
                 "--out", str(out)]) == 0  # fmt: skip

    assert "building <- 'BuildingName'" in capsys.readouterr().err
    linked = {row["left_id"]: (row["right_id"], row["decision"]) for row in _read(out)}
    assert linked["K1"] == ("POP-WT-1703", "match")
    assert linked["K2"] == ("POP-ET-1703", "match")
    assert linked["K3"] == ("POP-ET-501", "match")
    assert linked["K4"][1] == linked["K5"][1] == "review"


def test_a_builder_feeds_spec_lot_is_the_homes_lot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A BDX feed flattened: a home not yet numbered is its plan's on its lot; a portal lists it by plan and lot.
    feed = _write(tmp_path / "feed.csv", [
        {"SpecID": "S1", "SpecStreet1": "0 Foxglove Ct", "SpecCity": "Celina", "SpecZIP": "75009", "SpecLot": "37"},
        {"SpecID": "S2", "SpecStreet1": "0 Foxglove Ct", "SpecCity": "Celina", "SpecZIP": "75009", "SpecLot": "38"},
    ])  # fmt: skip
    portal = _write(tmp_path / "portal.csv", [
        {"zpid": "Z1", "streetAddress": "Plan 2042 - Lot 37", "city": "Celina", "zipcode": "75009"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(portal), "--entity", "property", "--against", str(feed), "--out", str(out)]) == 0

    assert "lot <- 'SpecLot'" in capsys.readouterr().err
    (row,) = _read(out)
    assert row["right_id"] == "S1" and row["decision"] in ("match", "review")
    assert "unit=same" in row["explanation"]


def test_a_maps_exports_category_and_a_registers_licensee_and_region_are_not_the_records_name_or_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A maps export gives each place's kind as "categoryName" beside its "title"; a licence register its facility's
    # name beside its operating company's, and a health department's region code where a state would be.
    places = _write(
        tmp_path / "places.csv",
        [
            {"title": "Aldergrove Dallas", "categoryName": "Assisted living facility", "street": "4100 Maple Ave",
             "city": "Dallas", "state": "TX", "postalCode": "75219", "placeId": "ChIJ1"},
            {"title": "Citibank", "categoryName": "Bank", "street": "19243 Josey Ln", "city": "Carrollton",
             "state": "TX", "postalCode": "75007", "placeId": "ChIJ2"},
        ],
    )  # fmt: skip
    register = _write(
        tmp_path / "register.csv",
        [
            {"LICENSE_NO": "188387", "FACILITY_NAME": "ALDERGROVE DALLAS", "LICENSEE_NAME": "AG DALLAS TENANT LLC",
             "ADDRESS": "4100 MAPLE AVE", "CITY": "DALLAS", "ZIP": "75219", "REGION": "03"},
            {"LICENSE_NO": "190001", "FACILITY_NAME": "", "LICENSEE_NAME": "CITIBANK, N.A.",
             "ADDRESS": "19243 JOSEY LN", "CITY": "CARROLLTON", "ZIP": "75007", "REGION": "03"},
        ],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"
    args = ["match-csv", str(places), "--entity", "builder", "--against", str(register), "--out", str(out)]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "name <- 'title', " in err and "category <- 'categoryName'" in err
    assert "name <- 'FACILITY_NAME' (where blank: 'LICENSEE_NAME')" in err
    rows = {row["id"] if "id" in row else row["placeId"]: row for row in _read(out)}
    assert rows["ChIJ1"]["right_id"] == "188387" and rows["ChIJ1"]["decision"] == "match"
    assert rows["ChIJ2"]["right_id"] == "190001" and rows["ChIJ2"]["decision"] == "match"
    assert "other_state" not in rows["ChIJ1"]["explanation"]  # "03" is no state


def test_a_lot_is_compared_with_its_block_where_both_lists_give_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A plat numbers its lots block by block: lot 1 of block C and lot 1 of block D face each other across a street.
    # A builder's inventory gives the lot and block apart ("TBD" where the street is not named yet); a city's permits
    # give them in the legal description, a permit issued before the address was assigned by its lot alone.
    inventory = _write(tmp_path / "inv.csv", [
        {"Job #": "HH-1170", "Lot": "1", "Block": "C", "Address": "500 Palomino Lane", "City": "Georgetown",
         "Zip": "78628"},
        {"Job #": "HH-1171", "Lot": "1", "Block": "D", "Address": "501 Palomino Lane", "City": "Georgetown",
         "Zip": "78628"},
        {"Job #": "HH-1180", "Lot": "1", "Block": "B", "Address": "TBD", "City": "Georgetown", "Zip": "78628"},
        {"Job #": "HH-1181", "Lot": "1", "Block": "E", "Address": "TBD", "City": "Georgetown", "Zip": "78628"},
    ])  # fmt: skip
    permits = _write(tmp_path / "permits.csv", [
        {"PERMIT_NUM": "BLD-147", "SITE_ADDR": "0 PALOMINO LN", "SITE_CITY": "GEORGETOWN", "SITE_ZIP": "78628",
         "LEGAL_DESC": "SADDLEBROOK SEC 2, BLOCK D, Lot 1"},
        {"PERMIT_NUM": "BLD-148", "SITE_ADDR": "0 PALOMINO LN", "SITE_CITY": "GEORGETOWN", "SITE_ZIP": "78628",
         "LEGAL_DESC": "LT 1 BLK C SADDLEBROOK SEC 2"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(permits), "--entity", "property", "--against", str(inventory), "--out", str(out)]
    assert main([*argv, "--many"]) == 0
    assert "block <- 'Block'" in capsys.readouterr().err
    decisions = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decisions == {"BLD-147": ("HH-1171", "match"), "BLD-148": ("HH-1170", "match")}
    # The inventory's two lots 1 whose street is not named yet are two homes: "TBD" is no street they share.
    dedup = tmp_path / "dedup.csv"
    assert main(["match-csv", str(inventory), "--entity", "property", "--out", str(dedup)]) == 0
    assert len({r["cluster_id"] for r in _read(dedup)}) == 4


def test_a_registers_unit_column_beside_its_property_address_is_the_homes_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A city's short-term rental register heads a home's own place "Property Address" and its unit "Unit": the unit
    # is the home's, as it is beside "Address" (an owner's mailing unit comes in a line of its own).
    permits = _write(tmp_path / "permits.csv", [
        {"Permit Number": "STR-1", "Property Address": "54 RAINEY ST", "Unit": "#402", "ZIP Code": "78701"},
        {"Permit Number": "STR-2", "Property Address": "54 RAINEY ST", "Unit": "#403", "ZIP Code": "78701"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"listing_id": "L1", "street": "54 Rainey Street Unit 403", "city": "Austin", "zipcode": "78701"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(listings), "--entity", "property", "--against", str(permits), "--out", str(out)]
    assert main(argv) == 0
    assert "address2 <- 'Unit'" in capsys.readouterr().err
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("STR-2", "match")


def test_two_rows_linked_to_each_other_at_the_high_threshold_share_a_cluster(tmp_path: Path) -> None:
    # A name and its initials after one word ("Shiloh ALF" / "Shiloh Assisted Living Facility") read as one name
    # written two ways; the rule that keeps a section apart from its place when a third row bridges them must not part
    # the two rows linked to each other.
    place = {"Street Address": "3065 County Road 331", "City": "Rosenberg", "State": "TX", "Zip": "77471"}
    directory = _write(tmp_path / "directory.csv", [
        {"Community ID": "C1", "Community Name": "Shiloh ALF", **place},
        {"Community ID": "C2", "Community Name": "Shiloh Assisted Living Facility", **place},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"
    assert main(["match-csv", str(directory), "--entity", "community", "--out", str(out)]) == 0
    rows = {row["left_id"]: row for row in _read(out)}
    assert rows["C1"]["decision"] == "match" and rows["C1"]["right_id"] == "C2"
    assert rows["C1"]["cluster_id"] == rows["C2"]["cluster_id"] == "C1"
    assert "not clustered" not in rows["C1"]["explanation"]


def test_two_hotels_of_one_building_whose_brands_differ_are_held_and_a_brand_named_by_its_hotels_is_given(
    tmp_path: Path,
) -> None:
    # A travel agency's export gives each property's brand in a column of its own. A dual-branded building has two
    # hotels at one address and one front desk, named alike after their brands; a brand named by the kind of its
    # buildings ("Drury Hotels") is given by a name saying its own word ("Drury Inn & Suites").
    place = {"street": "10110 SeaWorld Dr", "city": "San Antonio", "state": "TX", "postal_code": "78251",
             "phone": "(210) 555-0188"}  # fmt: skip
    agency = _write(tmp_path / "ota.csv", [
        {"property_id": "P1", "property_name": "Candlewood Suites San Antonio/SeaWorld", "brand": "Candlewood Suites",
         **place},
        {"property_id": "P2", "property_name": "Holiday Inn Express & Suites San Antonio SeaWorld",
         "brand": "Holiday Inn Express", **place},
        {"property_id": "P3", "property_name": "Drury Inn & Suites Temple-North", "brand": "Drury Hotels",
         "street": "4 N General Bruce Dr", "city": "Temple", "state": "TX", "postal_code": "76504"},
        {"property_id": "P4", "property_name": "DRURY INN & STES TEMPLE NORTH", "brand": "Drury Hotels",
         "street": "4 N General Bruce Dr", "city": "Temple", "state": "TX", "postal_code": "76504"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"
    assert main(["match-csv", str(agency), "--entity", "builder", "--out", str(out)]) == 0
    rows = {row["left_id"]: row for row in _read(out)}
    assert rows["P1"]["cluster_id"] != rows["P2"]["cluster_id"]
    assert rows["P1"]["decision"] != "match" and rows["P1"]["explanation"].endswith("held back: brands_differ")
    assert rows["P3"]["right_id"] == "P4" and rows["P3"]["decision"] == "match"
    assert rows["P3"]["cluster_id"] == rows["P4"]["cluster_id"]
    # A fuel licence's brand is the fuel its station sells; a name giving the other's brand is that store.
    licences = _write(tmp_path / "licences.csv", [
        {"LICENSE_NO": "F1", "BUSINESS_NAME": "CIRCLE K STORE 2799 / MOBIL", "BRAND": "MOBIL",
         "ADDRESS": "1639 S MASON RD", "CITY": "KATY", "ZIP": "77450"},
    ])  # fmt: skip
    places = _write(tmp_path / "places.csv", [
        {"place_id": "G1", "title": "Circle K", "brand": "Circle K", "address": "1639 S Mason Rd", "city": "Katy",
         "postalCode": "77450"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(places), "--entity", "builder", "--against", str(licences), "--out", str(out)]
    assert main(argv) == 0
    (row,) = _read(out)
    assert "brands_differ" not in row["explanation"] and row["right_id"] == "F1"


def test_a_communitys_former_name_links_a_guide_that_still_writes_it(tmp_path: Path) -> None:
    # A relocation guide still lists a renamed community by its old name; the marketplace keeps it in an "aka" column.
    # Refused for a community ("compared by one name"), the guide's row was written new. An aka agreeing only in part
    # is no link: "Oak Hollow" is not "Oak Hollow Estates" by its former name.
    guide = _write(tmp_path / "guide.csv", [
        {"Guide Ref": "G1", "Community": "Sienna Plantation", "City": "Missouri City"},
        {"Guide Ref": "G2", "Community": "Oak Hollow", "City": "Conroe"},
    ])  # fmt: skip
    listed = _write(tmp_path / "communities.csv", [
        {"community_id": "C1", "community_name": "Sienna", "aka": "Sienna Plantation", "city": "Missouri City"},
        {"community_id": "C2", "community_name": "Ridgewood", "aka": "Oak Hollow Estates", "city": "Conroe"},
    ])  # fmt: skip
    out = tmp_path / "links.csv"
    argv = ["match-csv", str(guide), "--entity", "community", "--against", str(listed), "--out", str(out),
            "--column", "other_names=aka", "--column", "id=Guide Ref"]  # fmt: skip
    assert main(argv) == 0
    decisions = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decisions["G1"] == ("C1", "match")
    assert decisions["G2"][1] == "new"


def test_a_review_bureaus_alternate_business_names_are_other_names_and_a_hosts_name_is_no_homes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bureau = _write(tmp_path / "bureau.csv", [
        {"Business ID": "B1", "Business Name": "Brightwater Homes",
         "Alternate Business Names": "Heritage Oaks Homes | Brightwater Homes LLC", "Street": "12 Elm St",
         "City": "Katy", "State": "TX", "Phone": "281-555-0101"},
    ])  # fmt: skip
    marketplace = _write(tmp_path / "builders.csv", [
        {"builder_id": "M1", "builder_name": "Heritage Oaks Homes", "office_street": "12 Elm Street", "city": "Katy",
         "zip": "77494", "phone": "(281) 555-0101"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(bureau), "--entity", "builder", "--against", str(marketplace), "--out", str(out)]
    assert main(argv) == 0
    assert "other_names <- 'Alternate Business Names'" in capsys.readouterr().err
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("M1", "match")
    # A short-term rental register's host is a person, never the home's name.
    permits = _write(tmp_path / "permits.csv", [
        {"Permit Number": "STR-1", "Property Address": "1204 ELM ST", "ZIP Code": "78704", "Host Name": "James Walker"},
    ])  # fmt: skip
    assert main(["match-csv", str(permits), "--entity", "property", "--out", str(tmp_path / "dedup.csv")]) == 0
    err = capsys.readouterr().err
    assert "'Host Name'" in err.split("not read:")[1]


def test_two_listings_of_a_towers_street_address_neither_naming_its_unit_are_held(tmp_path: Path) -> None:
    # A booking site's listings of one condominium tower: some give the unit, others the tower's street address
    # alone. Two of the latter, by two hosts, say nothing of which homes they are; a house's two listings do, beside
    # its accessory unit's.
    listings = _write(tmp_path / "listings.csv", [
        {"listing_id": "L1", "street": "54 Rainey St Unit 402", "city": "Austin", "zipcode": "78701"},
        {"listing_id": "L2", "street": "54 Rainey St #1105", "city": "Austin", "zipcode": "78701"},
        {"listing_id": "L3", "street": "54 Rainey Street", "city": "Austin", "zipcode": "78701"},
        {"listing_id": "L4", "street": "54 Rainey St", "city": "Austin", "zipcode": "78701"},
        {"listing_id": "L5", "street": "1488 Elm St", "city": "Austin", "zipcode": "78704"},
        {"listing_id": "L6", "street": "1488 Elm Street", "city": "Austin", "zipcode": "78704"},
        # The house's garage apartment and its duplex unit beside: the address alone is still the house.
        {"listing_id": "L7", "street": "1488 Elm St Rear", "city": "Austin", "zipcode": "78704"},
        {"listing_id": "L8", "street": "1488 Elm St Unit 2", "city": "Austin", "zipcode": "78704"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"
    assert main(["match-csv", str(listings), "--entity", "property", "--out", str(out)]) == 0
    rows = {row["left_id"]: row for row in _read(out)}
    assert rows["L3"]["decision"] == "review" and rows["L3"]["explanation"].endswith("held back: unit_unconfirmed")
    assert rows["L3"]["cluster_id"] != rows["L4"]["cluster_id"]
    assert rows["L5"]["decision"] == "match" and rows["L5"]["cluster_id"] == rows["L6"]["cluster_id"]


def test_a_deed_known_by_its_legal_description_alone_links_to_the_builders_lot_in_that_plat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A county clerk's index gives many deeds no address: the legal description names the lot, its block and the plat
    # (its section as "S2" or "SEC II"). A builder's closings give the community, its section, the lot and the block.
    closings = _write(tmp_path / "closings.csv", [
        {"Job #": "J1", "Community": "Cypress Creek Ranch 50'", "Section": "Sec 2", "Lot": "8", "Block": "3",
         "Address": "14226 Amber Hollow Ct", "City": "Cypress", "Zip": "77433"},
        {"Job #": "J2", "Community": "Cypress Creek Ranch 50'", "Section": "Sec 2", "Lot": "8", "Block": "2",
         "Address": "14231 Amber Hollow Ct", "City": "Cypress", "Zip": "77433"},
        {"Job #": "J3", "Community": "Cypress Creek Ranch 50'", "Section": "Sec 3", "Lot": "8", "Block": "3",
         "Address": "14402 Ridge Spring Trl", "City": "Cypress", "Zip": "77433"},
    ])  # fmt: skip
    deeds = _write(tmp_path / "deeds.csv", [
        {"Instrument Number": "RP-1", "Legal Description": "LOT 8 BLK 3 S2 CYPRESS CREEK RANCH",
         "Property Address": "", "City": "", "Zip Code": ""},
        {"Instrument Number": "RP-2", "Legal Description": "LT 8 BLK 3 CYPRESS CREEK RANCH SEC III",
         "Property Address": "", "City": "", "Zip Code": ""},
        {"Instrument Number": "RP-3", "Legal Description": "LOTS 1-8 BLK 2 S1 MAGNOLIA TRACE",
         "Property Address": "", "City": "", "Zip Code": ""},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(deeds), "--entity", "property", "--against", str(closings), "--out", str(out),
            "--column", "id=Instrument Number"]  # fmt: skip
    assert main(argv) == 0
    assert "subdivision <- 'Community'" in capsys.readouterr().err
    decisions = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decisions["RP-1"] == ("J1", "match")
    assert decisions["RP-2"] == ("J3", "match")
    assert decisions["RP-3"][1] == "new"  # a takedown of eight lots is no one home


def test_a_rural_tract_is_the_lot_of_its_ranch_subdivision_or_its_survey(tmp_path: Path) -> None:
    # A Texas appraisal roll's legal description numbers a rural home's parcel as a tract of a ranch subdivision or of
    # an abstract's survey, its acreage after it; a septic permit issued before the home had an address gives the
    # subdivision or survey and "TR 14", or its lot and plat in the address cell. Another survey's tract of one number,
    # on one county road, is another home.
    roll = _write(tmp_path / "roll.csv", [
        {"prop_id": "R1", "situs_num": "140", "situs_street": "LONGHORN LOOP", "situs_zip": "78659",
         "legal_desc": "S5010 - WOLF CREEK ACRES, TRACT 14, ACRES 6.46"},
        {"prop_id": "R2", "situs_num": "200", "situs_street": "LONGHORN LOOP", "situs_zip": "78659",
         "legal_desc": "S5010 - WOLF CREEK ACRES, TRACT 15, ACRES 6.46"},
        {"prop_id": "R3", "situs_num": "7765", "situs_street": "COUNTY ROAD 45", "situs_zip": "78957",
         "legal_desc": "A0159 J CAVANAUGH SUR, TRACT 6, ACRES 27.949"},
        {"prop_id": "R4", "situs_num": "", "situs_street": "COUNTY ROAD 45", "situs_zip": "78957",
         "legal_desc": "A0233 B MANLOVE SUR, TRACT 6, ACRES 35.382"},
        {"prop_id": "R5", "situs_num": "951", "situs_street": "RED BUD CT", "situs_zip": "78602",
         "legal_desc": "SHADY OAKS RANCH, LOT 26"},
    ])  # fmt: skip
    permits = _write(tmp_path / "permits.csv", [
        {"Permit #": "P1", "Site Address": "", "Zip": "78659", "Subdivision": "WOLF CREEK ACRES", "Lot": "TR 14"},
        {"Permit #": "P2", "Site Address": "", "Zip": "78659", "Subdivision": "WOLF CREEK ACRES", "Lot": "15"},
        {"Permit #": "P3", "Site Address": "", "Zip": "78957", "Subdivision": "A0159 J CAVANAUGH SURVEY",
         "Lot": "TR 6"},
        {"Permit #": "P4", "Site Address": "TBD CR45", "Zip": "78957", "Subdivision": "ABS 159", "Lot": "TR 6"},
        {"Permit #": "P5", "Site Address": "LOT 26 SHADY OAKS RANCH", "Zip": "78602",
         "Subdivision": "SHADY OAKS RANCH", "Lot": "26"},
    ])  # fmt: skip
    out = tmp_path / "links.csv"
    argv = ["match-csv", str(permits), "--entity", "property", "--against", str(roll), "--many", "--out", str(out)]
    assert main(argv) == 0
    decisions = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decisions["P1"] == ("R1", "match")
    assert decisions["P2"] == ("R2", "match")
    assert decisions["P3"] == ("R3", "match")
    assert decisions["P4"][1] == "new"  # tract 6 of the survey numbered 159, not of Manlove's on its road
    assert decisions["P5"] == ("R5", "match")


def test_a_home_giving_its_town_alone_is_found_among_homes_giving_their_zips(tmp_path: Path) -> None:
    # A cable installer's drop writes the subdivision and the town, no ZIP, the street mistyped; the MLS gives every
    # listing its ZIP. Filed under its ZIP alone, the listing at that number was never a candidate.
    mls = _write(tmp_path / "mls.csv", [
        {"MLS #": str(n), "Street #": str(n), "Street Name": "Bluebonnet Bend", "Street Sfx": "Dr", "City": "Fulshear",
         "Zip": "77441", "Subdivision": "Cross Creek Ranch"}
        for n in (26744, 31164, 24220, 32516, 12160, *range(100, 1600, 7))
    ])  # fmt: skip
    drops = _write(tmp_path / "drops.csv", [
        {"WO#": "WO1", "Service Address": "26744 Blubonnet Bend Drive", "City": "Fulshear",
         "Subdiv": "cross creek ranch", "Cust Name": "DAVID MOORE"},
    ])  # fmt: skip
    out = tmp_path / "links.csv"
    argv = ["match-csv", str(drops), "--entity", "property", "--against", str(mls), "--many", "--out", str(out)]
    assert main(argv) == 0
    assert _read(out)[0]["right_id"] == "26744"


def test_a_rolls_abstract_page_and_acreage_are_no_words_of_the_plat(tmp_path: Path) -> None:
    # A Gulf Coast roll opens its legal description with the survey's abstract and the plat records' page and ends it
    # with the acreage ("ABST 9 PAGE 1 WEST RANCH SEC 5 BLK 1 LT 8 ACRES 0.138"), or gives the abstract after the
    # plat; a surveyor's elevation certificate names the subdivision, section, block and lot in columns of their own.
    # The section before the acreage is the plat's, and the same lot at the same address is one home.
    roll = _write(tmp_path / "roll.csv", [
        {"prop_id": "R1", "situs_num": "1129", "situs_street": "SADDLE CREEK", "situs_street_sufix": "DR",
         "situs_zip": "77546", "legal_desc": "ABST 9 PAGE 1 WEST RANCH SEC 5 BLK 1 LT 8 ACRES 0.138"},
        {"prop_id": "R2", "situs_num": "2310", "situs_street": "LAGOON SHORE", "situs_street_sufix": "DR",
         "situs_zip": "77591", "legal_desc": "LAGO MAR SEC 8 (2022), ABST 2, BLOCK 2, LOT 3"},
    ])  # fmt: skip
    certificates = _write(tmp_path / "certificates.csv", [
        {"Job No.": "C1", "Lot": "8", "Block": "1", "Subdivision": "WEST RANCH", "Section": "5",
         "Address": "1129 Saddle Creek DR", "Zip": "77546"},
        {"Job No.": "C2", "Lot": "3", "Block": "2", "Subdivision": "Lago Mar", "Section": "8",
         "Address": "2310 Lagoon Shore Dr", "Zip": "77591"},
    ])  # fmt: skip
    out = tmp_path / "links.csv"
    argv = ["match-csv", str(certificates), "--entity", "property", "--against", str(roll), "--out", str(out)]
    assert main(argv) == 0
    decisions = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decisions == {"C1": ("R1", "match"), "C2": ("R2", "match")}


@pytest.mark.parametrize(
    "subdivision",
    ["Cottonwood Bend Subd", "Cottonwod Bend", "COTTONWOOD BEND SUBDIVISION", "Cotton Wood Bend"],
)
def test_a_plat_written_otherwise_than_the_rolls_still_gives_the_lot(tmp_path: Path, subdivision: str) -> None:
    # A pest control company's certificate, issued before the home had a number, names the lot, block and subdivision
    # as its crew wrote them; the roll's legal description puts the district's code of the plat before its name. The
    # plat's kind ("Subd"), a letter dropped and a word split are one subdivision, and its lot is the home; the lot of
    # that number in another block, and another plat's, are not.
    roll = _write(tmp_path / "roll.csv", [
        {"prop_id": "R1", "situs_num": "529", "situs_street": "COTTON GIN", "situs_street_sufix": "TRL",
         "situs_city": "HUTTO", "situs_zip": "78634", "legal_desc": "S7021 - COTTONWOOD BEND SEC 3, BLOCK B, LOT 8"},
        {"prop_id": "R2", "situs_num": "533", "situs_street": "COTTON GIN", "situs_street_sufix": "TRL",
         "situs_city": "HUTTO", "situs_zip": "78634", "legal_desc": "S7021 - COTTONWOOD BEND SEC 3, BLOCK C, LOT 8"},
        {"prop_id": "R3", "situs_num": "101", "situs_street": "PRAIRIE", "situs_street_sufix": "LN",
         "situs_city": "HUTTO", "situs_zip": "78634", "legal_desc": "S7100 - COTTON CREEK SEC 3, BLOCK B, LOT 8"},
    ])  # fmt: skip
    certificates = _write(tmp_path / "certificates.csv", [
        {"Cert No": "PT-1", "Subdivision": subdivision, "Section": "SEC 3", "Lot": "8", "Block": "B",
         "Job Address": "Lot 8", "City": "Hutto", "Zip": "78634"},
    ])  # fmt: skip
    out = tmp_path / "links.csv"
    argv = ["match-csv", str(certificates), "--entity", "property", "--against", str(roll), "--many", "--out", str(out)]
    assert main(argv) == 0
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("R1", "match")]


@pytest.mark.parametrize(("town", "zip_code", "linked"), [("Pflugerville", "78653", False), ("Leander", "78641", True)])
def test_one_subdivisions_name_in_another_county_is_another_subdivision(
    tmp_path: Path, town: str, zip_code: str, linked: bool
) -> None:
    # A termite company's certificate for lot 3 of block A of Highland Springs section 2 in Manor's area (Travis
    # County, 78653), and the Williamson County roll's Highland Springs in Liberty Hill (78642), 50 km away: one
    # plat's name placed them as one town would, and another subdivision's lot was linked at the high threshold. A
    # certificate written with the neighbouring post office of the same county is still the roll's lot.
    roll = _write(tmp_path / "roll.csv", [
        {"prop_id": "R1", "situs_num": "308", "situs_street": "QUARTZ HOLLOW", "situs_city": "LIBERTY HILL",
         "situs_zip": "78642", "legal_desc": "HIGHLAND SPRINGS PH 2, BLOCK A, Lot 3"},
    ])  # fmt: skip
    certificates = _write(tmp_path / "certificates.csv", [
        {"Cert No": "PT-1", "Subdivision": "HIGHLAND SPRINGS", "Section": "2", "Lot": "3", "Block": "A",
         "Job Address": "", "City": town, "Zip": zip_code},
    ])  # fmt: skip
    out = tmp_path / "links.csv"
    argv = ["match-csv", str(certificates), "--entity", "property", "--against", str(roll), "--many", "--out", str(out)]
    assert main(argv) == 0
    (row,) = _read(out)
    assert (row["right_id"] == "R1" and row["decision"] == "match") is linked, row["explanation"]


@pytest.mark.parametrize("cell", ["TBD - SEE LEGAL", "TBD - SEE LOT", "TBD (see lot/blk)"])
def test_a_clerks_see_legal_in_the_address_cell_is_no_street(tmp_path: Path, cell: str) -> None:
    # "TBD - SEE LEGAL" was read as a street named "See Legal": every candidate's address disagreed and the lot, block
    # and plat, which agree, were never compared. A pointer to the lot's columns is none either.
    feed = _write(tmp_path / "feed.csv", [
        {"Job #": "J1", "Community": "Heron Ridge", "Section": "Sec 3", "Lot": "10", "Block": "1",
         "Address": "3138 Wading Bird Ln", "City": "Fulshear", "Zip": "77441"},
    ])  # fmt: skip
    closings = _write(tmp_path / "closings.csv", [
        {"File No.": "F1", "Property Address": cell, "City": "Fulshear", "Zip": "77441",
         "Legal Description": "LOT 10 BLK 1 HERON RIDGE SEC 3"},
    ])  # fmt: skip
    out = tmp_path / "links.csv"
    assert main(["match-csv", str(closings), "--entity", "property", "--against", str(feed), "--out", str(out)]) == 0
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("J1", "match")]


def test_a_deed_index_with_no_address_column_is_read_by_its_legal_descriptions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Some clerks' indexes have no address column at all: a home's lot, block and plat are all they give.
    closings = _write(tmp_path / "closings.csv", [
        {"Job #": "J1", "Community": "Cypress Creek Ranch", "Section": "Sec 2", "Lot": "8", "Block": "3",
         "Address": "14226 Amber Hollow Ct", "City": "Cypress", "Zip": "77433"},
        {"Job #": "J2", "Community": "Cypress Creek Ranch", "Section": "Sec 2", "Lot": "9", "Block": "3",
         "Address": "14222 Amber Hollow Ct", "City": "Cypress", "Zip": "77433"},
    ])  # fmt: skip
    deeds = _write(tmp_path / "deeds.csv", [
        {"Instrument Number": "RP-1", "Grantor": "SAND HOMES LLC",
         "Legal Description": "LT 9 BLK 3 CYPRESS CREEK RANCH SEC 2"},
        {"Instrument Number": "RP-2", "Grantor": "SAND HOMES LLC", "Legal Description": "LT 4 BLK 1 MAGNOLIA TRACE"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(deeds), "--entity", "property", "--against", str(closings), "--out", str(out),
            "--column", "id=Instrument Number"]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    assert "lot <- 'Legal Description'" in capsys.readouterr().err
    decisions = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decisions == {"RP-1": ("J2", "match"), "RP-2": ("", "new")}
    # A file with neither an address nor a lot is still refused, naming both.
    lots = _write(tmp_path / "names.csv", [{"id": "1", "name": "Lot 4"}])
    assert main(["match-csv", str(lots), "--entity", "property", "--against", str(closings), "--out", str(out)]) == 2
    assert "no column for address or street_name or lot" in capsys.readouterr().err


def test_an_affordable_housing_databases_project_columns_are_the_communitys_and_its_owners_are_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # HUD's LIHTC database heads a project's own name and place PROJECT, PROJ_ADD, PROJ_CTY, PROJ_ST, PROJ_ZIP, and
    # its owner's COMPANY, CO_ADD, CO_ZIP, CO_TEL: the owner's office and line, which many projects share.
    lihtc = _write(tmp_path / "lihtc.csv", [
        {"HUD_ID": "TXA2003047", "PROJECT": "PALM COURT APTS", "PROJ_ADD": "5475 E WALNUT TRL",
         "PROJ_CTY": "SAN MARCOS", "PROJ_ST": "TX", "PROJ_ZIP": "78666", "COMPANY": "NEW HOPE SENIOR HOUSING LP",
         "CO_ADD": "300 W 6TH ST STE 1540", "CO_CTY": "AUSTIN", "CO_ZIP": "78701", "CO_TEL": "512-628-0900"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"ListingID": "L1", "PropertyName": "Palm Court Apartments", "Street": "5475 E Walnut Trail",
         "City": "San Marcos", "State": "TX", "Zip": "78666", "Phone": "(512) 555-0142"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(listings), "--entity", "community", "--against", str(lihtc), "--out", str(out)]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "id <- 'HUD_ID', name <- 'PROJECT'" in err and "address <- 'PROJ_ADD'" in err
    assert all(f"'{owner}'" in err.split("not read:")[-1] for owner in ("CO_ADD", "CO_ZIP", "CO_TEL"))
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("TXA2003047", "match")


def test_of_two_number_columns_the_one_naming_every_row_once_is_the_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A state's school directory numbers each campus and its district; the district's repeats.
    directory = _write(tmp_path / "directory.csv", [
        {"District Number": "101912", "School Number": "101912101", "School Name": "Pugh Elementary"},
        {"District Number": "101912", "School Number": "101912102", "School Name": "Heights High School"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"
    assert main(["match-csv", str(directory), "--entity", "builder", "--out", str(out)]) == 0
    assert "id <- 'School Number'" in capsys.readouterr().err
    assert [row["left_id"] for row in _read(out)] == ["101912101", "101912102"]


def test_a_business_other_lines_in_a_column_of_their_own_agree_as_its_phone_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A review bureau gives a profile's call-tracking number as its phone and its office line among "Additional
    # Phones".
    bureau = _write(tmp_path / "bureau.csv", [
        {"Business ID": "B1", "Business Name": "Holloway Custom Homes", "Phone": "(512) 555-0190",
         "Additional Phones": "(512) 555-0147; (512) 555-0148", "City": "Austin", "State": "TX"},
    ])  # fmt: skip
    marketplace = _write(tmp_path / "builders.csv", [
        {"builder_id": "M1", "builder_name": "Holloway Custom Homes LLC", "phone": "512-555-0148", "city": "Austin"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(bureau), "--entity", "builder", "--against", str(marketplace), "--out", str(out)]
    assert main(argv) == 0
    assert "other_phones <- 'Additional Phones'" in capsys.readouterr().err
    (row,) = _read(out)
    assert "phone=same" in row["explanation"] and (row["right_id"], row["decision"]) == ("M1", "match")


def test_a_places_blank_name_is_unknown_not_its_operators(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A dental board gives each licensee's practice; where the practice name is blank, the licensee ("Priya Le,
    # DDS") was read as the practice's name and, compared with the map's, sank the same street address and suite.
    board = _write(tmp_path / "board.csv", [
        {"License Number": "D1", "Licensee Name": "Priya Le, DDS", "Practice Name": "",
         "Address": "1200 Binz St Ste 300", "City": "Houston", "Zip": "77004", "Phone": "713-555-0140"},
    ])  # fmt: skip
    places = _write(tmp_path / "places.csv", [
        {"place_id": "G1", "name": "Bright Smiles Family Dentistry", "address": "1200 Binz St #300",
         "city": "Houston", "zip": "77004", "phone": "(713) 555-0140"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(board), "--entity", "builder", "--against", str(places), "--out", str(out)]) == 0

    assert "name <- 'Practice Name' (where blank: 'Licensee Name')" in capsys.readouterr().err
    (row,) = _read(out)
    assert row["right_id"] == "G1" and "name=" not in row["explanation"]  # no name compared: it is unknown
    assert row["decision"] == "match"  # the line and the suite agree


def test_a_home_known_by_its_lot_meets_its_numbered_listing_pinned_beside_it(tmp_path: Path) -> None:
    # A new-home portal lists a home by its lot before it is numbered, a general portal by its street number; the
    # pins lie 3 m apart. Neither the address nor the lot gave a block the two shared: the home had no candidate.
    portal = _write(tmp_path / "portal.csv", [
        {"id": "P1", "address": "Lot 7 Block 2", "city": "Katy", "state": "TX", "zip": "77494",
         "latitude": "29.781203", "longitude": "-95.824410"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"id": "L1", "address": "2833 Cedar Hollow Dr", "city": "Katy", "state": "TX", "zip": "77494",
         "latitude": "29.781228", "longitude": "-95.824400"},
        {"id": "L2", "address": "2901 Cedar Hollow Dr", "city": "Katy", "state": "TX", "zip": "77494",
         "latitude": "29.790100", "longitude": "-95.833000"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(portal), "--entity", "property", "--against", str(listings), "--out", str(out),
                 "--min-confidence", "0.1"]) == 0  # fmt: skip

    (row,) = _read(out)
    assert row["right_id"] == "L1" and "distance=within_0_2km" in row["explanation"]
    assert row["decision"] != "match"  # no street address or lot agrees: a reviewer decides


@pytest.mark.parametrize(
    ("roster_names", "linked"),
    [
        # An MLS's roster of brokerages: half name the trade, the rest their brand alone.
        (
            ["Keller Williams Legacy", "Bluebonnet Realty", "Gulf Coast Real Estate Group", "Harbor Realty Partners"],
            True,
        ),
        # A builder's list: a mortgage lender's name beside its builder's is an affiliate, not the builder.
        (["Keller Williams Legacy", "Bluebonnet Homes", "Gulf Coast Builders", "Harbor Custom Homes"], False),
    ],
)
def test_a_file_of_one_trade_names_its_rows_of_that_trade(
    tmp_path: Path, roster_names: list[str], linked: bool
) -> None:
    place = {"Address": "1220 Augusta Dr", "City": "Houston", "Phone": "713-555-0143"}
    roster = _write(
        tmp_path / "roster.csv",
        [{"Office ID": f"M{n}", "Office Name": name, **(place if n == 0 else {"City": "Houston"})}
         for n, name in enumerate(roster_names)],
    )  # fmt: skip
    locator = _write(
        tmp_path / "locator.csv", [{"Location ID": "L1", "Name": "Keller Williams Realty Legacy", **place}]
    )
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(roster), "--entity", "builder", "--against", str(locator), "--out", str(out)]) == 0

    office = _read(out)[0]
    assert office["right_id"] == "L1"
    assert (office["decision"] == "match") is linked
    assert office["explanation"].endswith("held back: kinds_differ") is not linked


def test_a_licence_class_is_no_kind_so_a_boards_names_say_its_trade(tmp_path: Path) -> None:
    # A pharmacy board's LICENSE_TYPE gives each licence's class: no kind of business, so the board's names say the
    # trade, and a chain's licence named by its store number alone is the locator's pharmacy, not another trade's.
    board = _write(tmp_path / "licenses.csv", [
        {"LICENSE_NBR": "23457", "LICENSE_TYPE": "COMMUNITY (CLASS A)", "PHARMACY_NAME": "WALGREENS #07669",
         "ADDRESS1": "4410 W Lovers Ln", "CITY": "DALLAS", "ZIP": "75209", "PHONE": "(214) 555-0140"},
        {"LICENSE_NBR": "24623", "LICENSE_TYPE": "COMMUNITY (CLASS A)", "PHARMACY_NAME": "KROGER PHARMACY #715",
         "ADDRESS1": "28523 Hwy 6 S", "CITY": "PLANO", "ZIP": "75093", "PHONE": "(972) 555-0116"},
        {"LICENSE_NBR": "25001", "LICENSE_TYPE": "INSTITUTIONAL (CLASS C)",
         "PHARMACY_NAME": "BAYLOR MEDICAL CENTER PHARMACY", "ADDRESS1": "3500 Gaston Ave", "CITY": "DALLAS",
         "ZIP": "75246", "PHONE": "(214) 555-0177"},
    ])  # fmt: skip
    locator = _write(tmp_path / "locator.csv", [
        {"Location ID": "L1", "Location Name": "Walgreens Pharmacy", "Category": "Pharmacy",
         "Street Address": "4410 W Lovers Ln", "City": "Dallas", "Postal Code": "75209", "Phone": "214-555-0140"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(locator), "--entity", "builder", "--against", str(board), "--out", str(out)]) == 0
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("23457", "match")]


@pytest.mark.parametrize(
    ("other_row", "held"),
    [
        (None, True),  # nothing in the files chooses between the master plan's listing and the builder's section
        # A "Filing No. 4" association given the master plan's listing for review chose nothing at the threshold.
        ("Windmill Estates Filing No. 4 Homeowners Association", True),
        # The master plan's own row, at its listing's street address, takes it: the builder's section is the one left.
        ("Windmill Estates", False),
    ],
)
def test_one_to_one_holds_a_row_two_free_records_fit_alike(tmp_path: Path, other_row: str | None, held: bool) -> None:
    place = {"City": "Thornton", "State": "CO", "Zip": "80602"}
    rows = [{"Registration No.": "HOA-1", "Association Name": "Windmill Ests Master Homeowners Association, Inc.",
             "Physical Location": "", **place}]  # fmt: skip
    if other_row:
        at = "" if held else "27753 Shadow Dr"
        rows.append({"Registration No.": "HOA-2", "Association Name": other_row, "Physical Location": at, **place})
    registry = _write(tmp_path / "registry.csv", rows)
    marketplace = _write(
        tmp_path / "marketplace.csv",
        [{"community_id": "C1", "community_name": "Windmill Estates", "sales_center_address": "27753 Shadow Dr",
          "phone": "(303) 642-0600", **place},
         {"community_id": "C2", "community_name": "Windmill Estates by Landmark Homes",
          "sales_center_address": "2121 E Estates Cir", "phone": "(303) 509-2659", **place}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(registry), "--entity", "community", "--against", str(marketplace), "--out", str(out)]

    assert main(argv) == 0

    master = _read(out)[0]
    assert master["decision"] == ("review" if held else "match")
    assert ("held back: ambiguous_with" in master["explanation"]) is held


def test_a_mailing_column_named_with_column_is_read_beside_a_rows_own_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An appraisal roll gives its parcels' situs with no state, its owners' mail with one, and a class code in STATE_CD:
    # the state a user names is read, and the class code never, not even where the named one is blank.
    roll = _write(
        tmp_path / "roll.csv",
        [{"ACCOUNT": "A1", "OWNER_NAME": "FIRST BAPTIST CHURCH OF KATY", "SITUS_ADDRESS": "1 Church St",
          "SITUS_CITY": "Katy", "MAIL_ST": "TX", "STATE_CD": "F1"},
         {"ACCOUNT": "A2", "OWNER_NAME": "GRACE CHURCH", "SITUS_ADDRESS": "9 Elm St", "SITUS_CITY": "Katy",
          "MAIL_ST": "", "STATE_CD": "F1"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"
    named = ["--column", "name=OWNER_NAME", "--column", "address=SITUS_ADDRESS", "--column", "state=MAIL_ST"]

    assert main(["match-csv", str(roll), "--entity", "builder", "--out", str(out), *named]) == 0

    assert "state <- 'MAIL_ST'" in capsys.readouterr().err
    records = read_file(roll, "builder", {"name": ["OWNER_NAME"], "address": ["SITUS_ADDRESS"], "state": ["MAIL_ST"]})
    assert [r.state for r in records.records] == ["TX", None]


def test_homes_a_feed_knows_by_their_lot_alone_wait_for_review_one_to_one(tmp_path: Path) -> None:
    # A builder's feed gives homes not yet addressed by their homesite, in the address cell, the lot column or both; a
    # county's permits give each lot 10 of three blocks. Nothing tells which home is which permit's.
    feed = _write(
        tmp_path / "feed.csv",
        [{"Home ID": "X1", "Community": "Harvest Oaks", "Address": "Homesite 10", "Homesite": "10", "Zip": "77406"},
         {"Home ID": "X2", "Community": "Harvest Oaks", "Address": "Homesite 10", "Homesite": "", "Zip": "77406"},
         {"Home ID": "X3", "Community": "Harvest Oaks", "Address": "Pecos (Plan 2210) - Homesite 10", "Homesite": "",
          "Zip": "77406"}],
    )  # fmt: skip
    permits = _write(
        tmp_path / "permits.csv",
        [{"PERMIT_NO": f"P{block}", "SITE_ADDR": street, "SITE_ZIP": "77406", "SUBDIVISION": "HARVEST OAKS SEC 4",
          "BLOCK": str(block), "LOT": "10"}
         for block, street in ((1, "2138 HERITAGE OAK LN"), (2, "7739 HARVEST MOON DR"), (3, "7838 SORGHUM CT"))],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(feed), "--entity", "property", "--against", str(permits), "--out", str(out)]) == 0

    rows = _read(out)
    assert [row["decision"] for row in rows] == ["review"] * 3
    # Each is held for the block it leaves out (the plat's lot 10 is in three blocks), before any tie between them.
    assert all("held back: block_unconfirmed" in row["explanation"] for row in rows)
    assert read_file(feed, "property").records[0].address.unit == "lot10"  # "Homesite 10" beside its lot column's 10


def test_a_directorys_floor_a_boards_licence_class_and_a_towers_name_are_read_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = _write(
        tmp_path / "registry.csv",
        [{"Firm Name": "Fenwick Tax & Accounting", "Address Line 1": "2200 Ross Ave", "Suite/Floor": "19th Floor",
          "LICENSE CLASS": "ACCOUNTING", "City": "Dallas"}],
    )  # fmt: skip
    directory = _write(
        tmp_path / "directory.csv",
        [{"Tenant Name": "Irwin Tax & Accounting", "Building Name": "Ross Tower", "Street": "2200 Ross Ave",
          "Suite": "4525", "City": "Dallas"}],
    )  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert (
        main(["match-csv", str(registry), "--entity", "builder", "--against", str(directory), "--out", str(out)]) == 0
    )

    err = capsys.readouterr().err
    assert "address2 <- 'Suite/Floor'" in err and "category <- 'LICENSE CLASS'" in err
    assert "name <- 'Tenant Name'" in err and "'Building Name'" in err.split("not read:")[-1]
    assert _read(out)[0]["decision"] != "match"  # two tenants of one tower, on two floors


def test_a_federal_provider_files_columns_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # CMS's Provider of Services file, as it heads its columns.
    pos = _write(
        tmp_path / "pos.csv",
        [{"PRVDR_NUM": "450068", "FAC_NAME": "MEMORIAL HERMANN HOSPITAL", "ST_ADR": "6411 FANNIN ST",
          "CITY_NAME": "HOUSTON", "STATE_CD": "TX", "ZIP_CD": "77030", "PHNE_NUM": "7137043000",
          "PRVDR_CTGRY": "HOSPITAL"}],
    )  # fmt: skip

    assert main(["match-csv", str(pos), "--entity", "builder", "--out", str(tmp_path / "out.csv")]) == 0

    err = capsys.readouterr().err
    for read in ("id <- 'PRVDR_NUM'", "address <- 'ST_ADR'", "phone <- 'PHNE_NUM'", "state <- 'STATE_CD'",
                 "category <- 'PRVDR_CTGRY'"):  # fmt: skip
        assert read in err


@pytest.mark.parametrize("land", [False, True])
def test_a_business_rolls_situs_is_where_the_business_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], land: bool
) -> None:
    # A county's business personal property roll: each account's car wash where it is, under situs headers, and its
    # owner's head office in another state under mailing ones. A real property roll's situs (its legal description
    # says so) is a lot its owner builds on, never its office.
    hq = {"MAIL_ADDR_1": "2900 E CAMELBACK RD STE 400", "MAIL_CITY": "PHOENIX", "MAIL_STATE": "AZ",
          "MAIL_ZIP": "85016"}  # fmt: skip
    extra = {"LEGAL_DESC": "LOT 4 BLK 2 BEE CAVE WEST"} if land else {"NAICS_CODE": "811192"}
    roll = _write(tmp_path / "roll.csv", [
        {"ACCOUNT_NO": "804885", "OWNER_NAME": "BLUE WAVE EXPRESS TX LLC", "DBA_NAME": "BLUE WAVE EXPRESS CAR WASH",
         "SITUS_ADDRESS": "547 W SH 71", "SITUS_CITY": "", "SITUS_ZIP": "78738", **hq, **extra},
        {"ACCOUNT_NO": "804886", "OWNER_NAME": "BLUE WAVE EXPRESS TX LLC", "DBA_NAME": "BLUE WAVE EXPRESS CAR WASH",
         "SITUS_ADDRESS": "11647 WELLS BRANCH PKWY", "SITUS_CITY": "AUSTIN", "SITUS_ZIP": "78728", **hq, **extra},
    ])  # fmt: skip
    places = _write(tmp_path / "places.csv", [
        {"place_id": "P1", "name": "Blue Wave Express Car Wash - Bee Cave",
         "full_address": "547 W State Hwy 71, Bee Cave, TX 78738", "phone": "(512) 555-0101"},
        {"place_id": "P2", "name": "Blue Wave Express Car Wash",
         "full_address": "11647 Wells Branch Pkwy, Austin, TX 78728", "phone": "(512) 555-0102"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(places), "--entity", "builder", "--against", str(roll), "--many", "--out",
                 str(out)]) == 0  # fmt: skip

    err = capsys.readouterr().err
    assert ("address <- 'SITUS_ADDRESS'" in err) is not land
    assert ("postal_code <- 'SITUS_ZIP'" in err) is not land
    links = {row["left_id"]: (row["right_id"], row["decision"]) for row in _read(out)}
    if not land:
        assert links == {"P1": ("804885", "match"), "P2": ("804886", "match")}
    else:
        assert all(decision != "match" for _right, decision in links.values())


def test_a_permits_owner_is_the_business_where_it_trades_under_no_other_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A federal alcohol permit list leaves the operating name blank where the permittee trades under its own name; an
    # inspection list's owner beside a blank facility name is its operator, and the place's name stays unknown.
    permits = _write(tmp_path / "permits.csv", [
        {"PERMIT_NUMBER": "BR-TX-1", "OWNER_NAME": "CEDAR BREWING LLC", "OPERATING_NAME": "",
         "STREET": "100 MAIN ST", "CITY": "AUSTIN", "STATE": "TX", "ZIP": "78701"},
        {"PERMIT_NUMBER": "BR-TX-2", "OWNER_NAME": "YAMADA BREWING VENTURES LLC", "OPERATING_NAME": "SKYLINE BEER CO",
         "STREET": "200 ELM ST", "CITY": "AUSTIN", "STATE": "TX", "ZIP": "78702"},
    ])  # fmt: skip
    places = _write(tmp_path / "places.csv", [
        {"place_id": "P1", "name": "Cedar Brewing Co.", "address": "100 Main St, Austin, TX 78701"},
        {"place_id": "P2", "name": "Skyline Beer Company", "address": "200 Elm St, Austin, TX 78702"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(places), "--entity", "builder", "--against", str(permits), "--out", str(out)]) == 0

    assert "name <- 'OPERATING_NAME' (where blank: 'OWNER_NAME')" in capsys.readouterr().err
    assert {row["left_id"]: (row["right_id"], row["decision"]) for row in _read(out)} == {
        "P1": ("BR-TX-1", "match"),
        "P2": ("BR-TX-2", "match"),
    }
    inspections = _write(tmp_path / "inspections.csv", [
        {"Facility Name": "", "Owner Name": "PRIYA SHAH", "Address": "100 Main St", "City": "Austin"},
    ])  # fmt: skip
    (record,) = read_file(inspections, "builder").records
    assert record.name == "" and [n.key for n in record.other_names] == ["priya shah"]
    # A food truck's permit: a person owning it is no business's name, and its commissary, where many trucks are
    # kept, is no place of its own.
    trucks = _write(tmp_path / "trucks.csv", [
        {"PERMIT_NUMBER": "MFV-1", "BUSINESS_NAME": "", "OWNER_NAME": "TORRES, ROSA", "COMMISSARY_NAME": "CHEF HUB",
         "COMMISSARY_ADDRESS": "4811 E CESAR CHAVEZ ST", "COMMISSARY_CITY": "AUSTIN", "COMMISSARY_ZIP": "78702"},
    ])  # fmt: skip
    (truck,) = read_file(trucks, "builder").records
    assert truck.name == "" and [n.key for n in truck.other_names] == [
        "rosa torres"
    ]  # as she is called, first name first
    assert truck.address is None and truck.city is None and truck.postal_code is None


def test_a_place_fields_column_is_the_one_named_as_the_records_other_place_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A motor carrier census: the carrier's physical place under "PHY_", its mail under "MAILING_", and its officer's
    # state under "OIC_". Two headers with "state" in them and no mailing word: the one beside "PHY_CITY".
    census = _write(tmp_path / "census.csv", [
        {"DOT_NUMBER": "1001", "LEGAL_NAME": "ATLAS MOVING SERVICES LLC", "PHY_STREET": "100 MAIN ST",
         "PHY_CITY": "DENVER", "PHY_STATE": "CO", "PHY_ZIP": "80202", "MAILING_STREET": "PO BOX 9",
         "MAILING_CITY": "AUSTIN", "MAILING_STATE": "TX", "MAILING_ZIP": "78701", "OIC_STATE": "TX"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(census), "--entity", "builder", "--out", str(out)]) == 0

    assert _read_from(capsys.readouterr().err, "state").startswith(" 'PHY_STATE'")
    (record,) = read_file(census, "builder").records
    assert record.state == "CO"
    # A clerk's assumed-name index: its "Business Address" beside its "Business City" and "Business Zip", not the
    # registrant's "Residence Address", whichever column comes first.
    index = _write(tmp_path / "dba.csv", [
        {"Instrument Number": "1996-032947", "Assumed Name": "ALLEN REMODELING", "Registrant Residence Address":
         "9599 GOSLING RD", "Business Address": "23335 WALDEN RD", "Business City": "Willis", "Business Zip": "77378"},
    ])  # fmt: skip
    assert main(["match-csv", str(index), "--entity", "builder", "--out", str(out)]) == 0
    assert _read_from(capsys.readouterr().err, "address").startswith(" 'Business Address'")


def test_a_federal_postsecondary_directorys_columns_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # IPEDS heads its institutions' columns in its own short names.
    directory = _write(tmp_path / "hd.csv", [
        {"UNITID": "225511", "INSTNM": "University of Houston", "IALIAS": "UH | U of H", "ADDR": "4800 Calhoun Rd",
         "CITY": "Houston", "STABBR": "TX", "ZIP": "77204-2018", "WEBADDR": "www.uh.edu", "GENTELE": "7137431000",
         "LATITUDE": "29.7199", "LONGITUD": "-95.3422"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(directory), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    for field, header in (("id", "UNITID"), ("name", "INSTNM"), ("website", "WEBADDR"), ("phone", "GENTELE"),
                          ("state", "STABBR"), ("longitude", "LONGITUD"), ("other_names", "IALIAS")):  # fmt: skip
        assert _read_from(err, field).startswith(f" '{header}'")
    (record,) = read_file(directory, "builder").records
    assert record.website == "uh.edu" and [n.key for n in record.other_names] == ["uh", "u h"]


def test_a_lapsed_licence_is_no_rival_to_the_one_in_force_at_its_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A change of owner: the state's list keeps the old licence, expired, beside the new one at one address and line.
    site = {"ADDRESS": "4100 Gardenia Ln", "CITY": "Temple", "ZIP": "76502", "PHONE": "(254) 555-0140"}
    licences = _write(tmp_path / "licences.csv", [
        {"LICENSE_NO": "L-OLD", "FACILITY_NAME": "CARENOW URGENT CARE - TEMPLE", "LICENSE_STATUS": "EXPIRED", **site},
        {"LICENSE_NO": "L-NEW", "FACILITY_NAME": "CARENOW URGENT CARE TEMPLE", "LICENSE_STATUS": "ACTIVE", **site},
    ])  # fmt: skip
    places = _write(tmp_path / "places.csv", [
        {"place_id": "P1", "name": "CareNow Urgent Care - Temple", "address": "4100 Gardenia Lane",
         "city": "Temple", "zip": "76502", "phone": "254-555-0140"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(places), "--entity", "builder", "--against", str(licences), "--many",
                 "--out", str(out)]) == 0  # fmt: skip

    assert "status <- 'LICENSE_STATUS'" in capsys.readouterr().err
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("L-NEW", "match")
    # The old licence scores higher (its name is the listing's, written alike): without the status it is the row's.
    unknown = _write(tmp_path / "unknown.csv", [
        {k: v for k, v in r.items() if k != "LICENSE_STATUS"} for r in _read(licences)
    ])  # fmt: skip
    assert main(["match-csv", str(places), "--entity", "builder", "--against", str(unknown), "--many",
                 "--out", str(out)]) == 0  # fmt: skip
    (row,) = _read(out)
    assert row["right_id"] == "L-OLD"


@pytest.mark.parametrize("named", [[], ["--column", "id=ADDRESS_ID"]])
def test_a_county_address_points_own_number_is_its_id_and_its_status_no_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], named: list[str]
) -> None:
    # An address point export: each point's number, its parcel's (which a building's points share), and whether the
    # point is in use. Naming the id read the status column as every point's street address.
    points = _write(tmp_path / "points.csv", [
        {"ADDRESS_ID": "1005571", "HOUSE_NUM": "29474", "STREET_NAME": "SILVER MAPLE", "STREET_TYPE": "CIR",
         "CITY": "FULSHEAR", "ZIP": "77441", "PARCEL_ID": "5297-03-004-0032-901", "ADDR_STATUS": "ACTIVE"},
        {"ADDRESS_ID": "1005572", "HOUSE_NUM": "29478", "STREET_NAME": "SILVER MAPLE", "STREET_TYPE": "CIR",
         "CITY": "FULSHEAR", "ZIP": "77441", "PARCEL_ID": "5297-03-004-0033-901", "ADDR_STATUS": "PROPOSED"},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"listing_id": "H1", "address": "29474 Silver Maple Circle", "city": "Fulshear", "zip": "77441"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(homes), "--entity", "property", "--against", str(points), *named, "--out",
                 str(out)]) == 0  # fmt: skip

    report = capsys.readouterr().err.split("points.csv:")[1]
    assert _read_from(report, "id").startswith(" 'ADDRESS_ID'") and _read_from(report, "status") == " 'ADDR_STATUS'"
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("1005571", "match")


def test_a_registrys_assumed_name_and_a_charging_networks_column_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A state's registry names the entity and the name it trades under; a station locator names each station's network.
    registry = _write(tmp_path / "registry.csv", [
        {"Filing Number": "801", "Entity Name": "ABC LEARNING LLC", "Assumed Name": "Kumon Math and Reading Center",
         "City": "Cypress"},
    ])  # fmt: skip
    stations = _write(tmp_path / "stations.csv", [
        {"Station Name": "WALMART 5432", "Street Address": "100 Main St", "City": "Katy", "EV Network": "ChargePoint"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(registry), "--entity", "builder", "--out", str(out)]) == 0
    assert _read_from(capsys.readouterr().err, "name").startswith(" 'Assumed Name' (where blank: 'Entity Name')")
    assert main(["match-csv", str(stations), "--entity", "builder", "--out", str(out)]) == 0
    assert _read_from(capsys.readouterr().err, "brand").startswith(" 'EV Network'")


def test_an_mls_lists_sample_address_is_no_communitys_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An MLS's subdivision names with one listing's address each: a home in the community, not its sales office.
    subdivisions = _write(tmp_path / "subdivisions.csv", [
        {"SubdivisionName": "TOWNE LAKE SEC 40", "City": "Cypress", "StateOrProvince": "TX", "PostalCode": "77433",
         "CountyOrParish": "Harris", "SampleAddress": "10315 Sandy Cove Ln"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(subdivisions), "--entity", "community", "--out", str(out)]) == 0

    report = capsys.readouterr().err
    assert "'SampleAddress'" in report.split("not read")[1] and _read_from(report, "county") == " 'CountyOrParish'"


def test_a_sales_contacts_phone_is_a_communitys_own_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A tour vendor's export gives each home's sales office line as "Sales Contact Phone", a contact's of its own.
    tours = _write(tmp_path / "tours.csv", [
        {"Property ID": "T1", "Community": "Painted Ridge", "Property Address": "1 Wren Autumn Cv", "City": "Frisco",
         "Sales Contact Phone": "(214) 555-0100"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(tours), "--entity", "community", "--out", str(out)]) == 0

    assert _read_from(capsys.readouterr().err, "phone").startswith(" 'Sales Contact Phone'")


def test_an_appraisal_rolls_full_street_name_is_the_street(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A commercial roll gives an apartment complex's house number and its street's whole name in two columns.
    roll = _write(tmp_path / "roll.csv", [
        {"ACCOUNT_NUM": "859047", "STREET_NUM": "13021", "FULL_STREET_NAME": "FERGUSON RD", "PROPERTY_CITY": "IRVING",
         "PROPERTY_ZIPCODE": "75062", "PROPERTY_NAME": "AUTUMN SQUARE"},
    ])  # fmt: skip
    (record,) = read_file(roll, "community").records
    assert record.address is not None and (record.address.number, record.address.street) == ("13021", "ferguson rd")


def test_a_parks_owner_is_no_communitys_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A state's licence list of manufactured home parks: the park's name, and its owner company's.
    licences = _write(tmp_path / "licences.csv", [
        {"LICENSE NUMBER": "58-1", "PARK NAME": "EGRET PALMS MHP", "OWNER NAME": "SUNSHINE HOLDINGS LLC",
         "SITE ADDRESS": "100 Egret Way", "SITE CITY": "OCALA"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(licences), "--entity", "community", "--out", str(out)]) == 0

    assert _read_from(capsys.readouterr().err, "name").startswith(" 'PARK NAME'")


def test_a_licensees_mailing_address_on_another_street_says_nothing(tmp_path: Path) -> None:
    # A contractor board gives each licensee's mailing address alone: its owner's house as often as its office. Scored
    # as the business's own place it sank the builder's exact name (-4.9 bits) and its licence was written new; at
    # the office's street address it still places the licence.
    board = _write(tmp_path / "board.csv", [
        {"License No": "ROC1", "Business Name": "HIGH SPRINGS HOME COMPANY LTD", "Mailing Address":
         "31412 PALO VERDE DR", "City": "SCOTTSDALE", "Zip": "85258"},
        {"License No": "ROC2", "Business Name": "FALCON PARK BUILDERS LLC", "Mailing Address": "4410 N 40TH ST",
         "City": "PHOENIX", "Zip": "85018"},
    ])  # fmt: skip
    directory = _write(tmp_path / "builders.csv", [
        {"id": "B1", "name": "High Springs Home Company", "address": "7000 E Shea Blvd", "city": "Scottsdale",
         "zip": "85260"},
        {"id": "B2", "name": "Falcon Park Builders", "address": "4410 N 40th St", "city": "Phoenix", "zip": "85018"},
    ])  # fmt: skip
    out = tmp_path / "links.csv"
    argv = ["match-csv", str(board), "--entity", "builder", "--against", str(directory), "--many", "--out", str(out)]
    assert main(argv) == 0
    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["ROC1"]["right_id"], rows["ROC1"]["decision"]) == ("B1", "review")
    assert "address=" not in rows["ROC1"]["explanation"]  # the owner's house is no evidence against
    assert (rows["ROC2"]["right_id"], rows["ROC2"]["decision"]) == ("B2", "match")
    assert "address=same" in rows["ROC2"]["explanation"]
    (licence,) = [r for r in read_file(board, "builder").records if r.id == "ROC1"]
    office = prepare("builder", {"name": "High Springs Home Company", "address": "7000 E Shea Blvd",
                                 "city": "Scottsdale", "postal_code": "85260"}, "B1")  # fmt: skip
    assert score_pair(licence, office, link_threshold=0.9).levels["address"] is None
    assert score_pair(office, licence, link_threshold=0.9).levels["address"] is None


def test_an_mls_exports_street_parts_and_a_title_companys_order_number(tmp_path: Path) -> None:
    # "Street Sfx" was read as the whole street address and "Dir" left out; "Order #" was no id.
    mls = _write(tmp_path / "mls.csv", [
        {"MLS #": "49915564", "Street #": "400", "Dir": "E", "Street Name": "NASA", "Street Sfx": "Pkwy",
         "Unit #": "308", "City": "Houston", "Zip": "77058"},
    ])  # fmt: skip
    orders = _write(tmp_path / "orders.csv", [
        {"Order #": "RC-25003", "Property Address": "400 E NASA Pkwy #308", "City": "Houston", "Zip": "77058"},
    ])  # fmt: skip
    mapping = read_file(mls, "property").columns
    assert (mapping["street_suffix"], mapping["street_dir_prefix"], mapping["street_name"]) == (
        "Street Sfx", "Dir", "Street Name")  # fmt: skip
    assert "address" not in mapping
    assert read_file(orders, "property").columns["id"] == "Order #"
    out = tmp_path / "links.csv"
    assert main(["match-csv", str(orders), "--entity", "property", "--against", str(mls), "--out", str(out)]) == 0
    assert [(r["left_id"], r["right_id"], r["decision"]) for r in _read(out)] == [("RC-25003", "49915564", "match")]


def test_a_hotel_tax_registers_property_address_and_a_travel_sites_chain_company(tmp_path: Path) -> None:
    # A city's occupancy tax register gives each hotel's "Property Address" beside its taxpayer's mailing address; a
    # travel site's "chain_name" the company whose brand the hotel bears ("Marriott International"), which written
    # before the hotel's name sank it.
    register = _write(tmp_path / "register.csv", [
        {"Account Number": "HOT-1", "Taxpayer Name": "SHREE GANESH HOSPITALITY GROUP LLC",
         "DBA Name": "TOWNEPLACE SUITES - DOWNTOWN", "Property Address": "501 W 4TH ST", "Property City": "AUSTIN",
         "Property Zip": "78701", "Taxpayer Mailing Address": "8276 BEE CAVES RD STE 200, HOUSTON TX 77056"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"property_id": "EXP-1", "property_name": "TownePlace Suites Austin-Downtown",
         "chain_name": "Marriott International", "street_address": "501 West 4th Street", "city": "Austin",
         "postal_code": "78701"},
    ])  # fmt: skip
    assert read_file(register, "builder").columns["address"] == "Property Address"
    (listing,) = read_file(listings, "builder").records
    assert "marriott" not in listing.name_norm.tokens
    out = tmp_path / "links.csv"
    argv = ["match-csv", str(listings), "--entity", "builder", "--against", str(register), "--out", str(out)]
    assert main(argv) == 0
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("HOT-1", "match")]


def test_a_parks_operator_is_no_communitys_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A housing department's register heads the company running a park "OPERATOR", a franchisor's heading for an
    # outlet's name: for a community, the park's own name read by its words comes first.
    register = _write(tmp_path / "register.csv", [
        {"LICENSE NO": "18-MHP-12904", "PARK NAME": "LAKESIDE SHORES MHP", "OPERATOR": "CAL-AM PROPERTIES INC",
         "SITE ADDRESS": "1449 TANGERINE AVE", "CITY": "ELLENTON", "ZIP": "34222"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(register), "--entity", "community", "--out", str(out)]) == 0

    assert _read_from(capsys.readouterr().err, "name").startswith(" 'PARK NAME'")


def test_the_trade_names_a_cell_lists_are_a_branchs_own_whichever_branches_list_them(tmp_path: Path) -> None:
    # A state's builder registrations: each division lists the company's brands in its DBA cell; a legal name the
    # divisions share is their owner's, the brands they list their own.
    company = {"Legal Name": "PULTE HOME COMPANY, LLC", "DBA": "PULTE HOMES; CENTEX HOMES; DEL WEBB"}
    registrations = _write(tmp_path / "registrations.csv", [
        {"Registration No.": "R1", **company, "Address": "1100 Kinwest Pkwy", "City": "Irving"},
        {"Registration No.": "R2", **company, "Address": "9811 S Interstate 35", "City": "Austin"},
    ])  # fmt: skip
    for record in read_file(registrations, "builder").records:
        assert record.name == "PULTE HOMES"
        assert [n.key for n in record.other_names] == ["centex home", "del webb"]


def test_a_federal_provider_files_provider_name_is_the_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A nursing home's federal listing gives its own name and its operator's legal name, two headers with "Name".
    providers = _write(tmp_path / "providers.csv", [
        {"CMS Certification Number (CCN)": "455001", "Provider Name": "HERITAGEHAVEN SKILLED NURSING",
         "Legal Business Name": "HERITAGE OPERATIONS LLC", "Provider Address": "4100 Gardenia Ln",
         "City/Town": "Temple"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(providers), "--entity", "builder", "--out", str(out)]) == 0

    assert _read_from(capsys.readouterr().err, "name").startswith(" 'Provider Name'")


def test_a_hotels_own_name_is_read_before_its_brands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A booking export names each hotel and its chain: read as the name, "Hampton by Hilton" made every Hampton of a
    # city one name, and two of them on one toll-free line one hotel.
    header = ["HotelID", "HotelName", "BrandName", "Address1", "City", "PostalCode", "Phone"]
    rows = [
        ["h1", "Hampton Inn & Suites Austin-Airport", "Hampton by Hilton", "7712 E Riverside Dr", "Austin", "78744",
         "(800) 426-7866"],
        ["h2", "Hampton Inn Austin-North", "Hampton by Hilton", "7619 I-35 N", "Austin", "78752", "(800) 426-7866"],
    ]  # fmt: skip
    path = _write(tmp_path / "hotels.csv", [dict(zip(header, row, strict=True)) for row in rows])
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(path), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "name <- 'HotelName', " in err and "brand <- 'BrandName'" in err
    assert [r["decision"] for r in _read(out)] == ["new", "new"]


def test_a_stacked_files_place_name_columns_come_before_a_members_company(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An association's "Facility Name" beside its "Member Company" (the owner), stacked with a licence list's
    # "DBA_NAME" and a listing site's "facility_name": the two facility name columns are one header in two
    # spellings, read before the owner's (which took the association's rows apart from their facilities').
    header = [
        "record_id",
        "DBA_NAME",
        "Member Company",
        "Facility Name",
        "Address 1",
        "Zip",
        "facility_name",
        "address",
        "zip",
    ]
    rows = [
        dict(zip(header, ["a1", "", "Hill Country Storage Holdings LP", "Oak Hill Self Storage", "6800 W US-290",
                          "78735", "", "", ""], strict=True)),
        dict(zip(header, ["s1", "", "", "", "", "", "Oak Hill Self Storage", "6800 W Hwy 290", "78735"],
                 strict=True)),
    ]  # fmt: skip
    out = tmp_path / "dedup.csv"

    assert (
        main(["match-csv", str(_write(tmp_path / "storage.csv", rows)), "--entity", "builder", "--out", str(out)]) == 0
    )

    err = capsys.readouterr().err
    assert _read_from(err, "name").index("'Facility Name'") < _read_from(err, "name").index("'Member Company'")
    assert [(r["left_id"], r["right_id"], r["decision"]) for r in _read(out)] == [
        ("a1", "s1", "match"),
        ("s1", "a1", "match"),
    ]


@pytest.mark.parametrize("lapsed_first", [True, False])
def test_one_to_one_gives_a_listing_to_the_licence_in_force_not_the_lapsed_one(
    tmp_path: Path, lapsed_first: bool
) -> None:
    # A change of owner on a board's list linked to a directory one-to-one: the old and new licences agree on every
    # field the listing gives, so the assignment chose between them by nothing, and the licence in force was "new".
    site = {"DBA": "Hillcrest Pharmacy", "ADDRESS": "2210 W Adams Ave", "CITY": "Temple", "ZIP": "76504",
            "PHONE": "(254) 555-0177"}  # fmt: skip
    licences = [
        {"LICENSE_NO": "L-OLD", "STATUS": "INACTIVE", **site},
        {"LICENSE_NO": "L-NEW", "STATUS": "ACTIVE", **site},
    ]
    board = _write(tmp_path / "board.csv", licences if lapsed_first else licences[::-1])
    directory = _write(tmp_path / "directory.csv", [
        {"id": "4512345", "Pharmacy Name": "Hillcrest Pharmacy", "Address": "2210 W Adams Avenue",
         "City": "Temple", "Zip": "76504", "Phone": "254-555-0177"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(board), "--entity", "builder", "--against", str(directory), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided["L-NEW"] == ("4512345", "match")
    assert decided["L-OLD"] == ("", "new")


def test_a_review_sites_closed_flag_is_read_as_its_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A review site's export flags a shop closed for good ("is_closed": true) and gives its street in
    # "location.address1" beside "location.address2"/"address3" and the whole address as displayed.
    header = [
        "id",
        "name",
        "location.address1",
        "location.address2",
        "location.address3",
        "location.city",
        "location.zip_code",
        "location.display_address",
        "phone",
        "is_closed",
    ]
    rows = [
        ["y-old", "Precision Auto Care", "5120 Florin Rd", "", "", "Sacramento", "95823",
         "['5120 Florin Rd', 'Sacramento, CA 95823']", "+19165550142", "true"],
        ["y-new", "Precision Auto Care", "5120 Florin Rd", "Ste B", "", "Sacramento", "95823",
         "['5120 Florin Rd Ste B', 'Sacramento, CA 95823']", "+19165550142", "false"],
    ]  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [dict(zip(header, row, strict=True)) for row in rows])
    registrations = _write(tmp_path / "registrations.csv", [
        {"Registration Number": "ARD 281234", "DBA Name": "PRECISION AUTO CARE", "Address": "5120 FLORIN RD STE B",
         "City": "SACRAMENTO", "Zip": "95823", "Phone": "(916) 555-0142"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(registrations), "--entity", "builder", "--against", str(listings), "--many",
                 "--out", str(out)]) == 0  # fmt: skip

    err = capsys.readouterr().err
    assert "address <- 'location.address1'" in err and "status <- 'is_closed'" in err
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("y-new", "match")


def test_a_homesite_without_its_block_is_held_where_the_plat_has_that_lot_in_several_blocks(
    tmp_path: Path,
) -> None:
    # A county's permits give each lot's block; a builder's feed knows a home not yet addressed by "Homesite 16"
    # alone. The plat has a lot 16 in blocks B, C and D: the lot agreeing said +10 bits, a street address's weight,
    # and linked the feed's home to another block's permit.
    permits = _write(tmp_path / "permits.csv", [
        {"PERMIT_NO": f"BLD-{block}", "SITE_ADDR": "", "SUBDIVISION": "BIRCHWOOD PRESERVE", "BLOCK": block,
         "LOT": "16", "SITE_CITY": "WESLEY CHAPEL", "SITE_ZIP": "33545"}
        for block in ("B", "C", "D")
    ] + [
        {"PERMIT_NO": "BLD-E7", "SITE_ADDR": "", "SUBDIVISION": "BIRCHWOOD PRESERVE", "BLOCK": "E", "LOT": "7",
         "SITE_CITY": "WESLEY CHAPEL", "SITE_ZIP": "33545"},
    ])  # fmt: skip
    feed = _write(tmp_path / "feed.csv", [
        {"SpecID": "WB-16", "SpecStreet1": "Homesite 16", "SubdivisionName": "Birchwood Preserve",
         "SpecCity": "Wesley Chapel", "SpecZIP": "33545"},
        {"SpecID": "WB-7", "SpecStreet1": "Homesite 7", "SubdivisionName": "Birchwood Preserve",
         "SpecCity": "Wesley Chapel", "SpecZIP": "33545"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    argv = ["match-csv", str(feed), "--entity", "property", "--against", str(permits), "--many", "--out", str(out)]
    assert main(argv) == 0

    rows = {r["left_id"]: r for r in _read(out)}
    assert rows["WB-16"]["decision"] == "review" and "held back: block_unconfirmed" in rows["WB-16"]["explanation"]
    # Lot 7 is in one block only: the lot is the home's.
    assert (rows["WB-7"]["right_id"], rows["WB-7"]["decision"]) == ("BLD-E7", "match")


def test_a_villas_unit_letter_is_no_lot_placing_a_home_with_no_house_number(tmp_path: Path) -> None:
    # Paired villas: every building of the street has a unit A and a B. A permit with no house number yet ("0 CHAPEL
    # PARK DR", unit A) agreed with another building's unit A on the street, and linked at the unit alone.
    permits = _write(tmp_path / "permits.csv", [
        {"PERMIT_NO": "BLD-5504", "SITE_ADDR": "0 CHAPEL PARK DR", "SITE_UNIT": "A", "SITE_CITY": "WESLEY CHAPEL",
         "SITE_ZIP": "33545"},
    ])  # fmt: skip
    feed = _write(tmp_path / "feed.csv", [
        {"SpecID": "MER-1", "SpecStreet1": "29930 Chapel Park Dr Unit A", "SpecCity": "Wesley Chapel",
         "SpecZIP": "33545"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(permits), "--entity", "property", "--against", str(feed), "--out", str(out)]) == 0

    (row,) = _read(out)
    assert row["decision"] != "match"


def test_an_animal_hospitals_emergency_centre_next_door_is_another_place(tmp_path: Path) -> None:
    # A state's premises permits: the practice's emergency centre two doors from its hospital, under the practice's
    # company and on its line. Its legal name agreed with the hospital's name exactly and joined the two clusters.
    header = ["PERMIT_NO", "DBA", "LEGAL_NAME", "ADDR1", "CITY", "ZIP", "PHONE"]
    rows = [
        ["PRM-32", "SOUTHTOWNE VETERINARY EMERGENCY CENTER", "SOUTHTOWNE VETERINARY HOSPITAL PC",
         "8834 SE SUNNYSIDE RD", "CLACKAMAS", "97015", "(503) 555-0188"],
        ["PRM-33", "SOUTHTOWNE VETERINARY HOSPITAL", "", "8832 SE SUNNYSIDE RD", "CLACKAMAS", "97015",
         "(503) 555-0188"],
        ["WEB-7", "Southtowne Veterinary Hospital", "", "8832 SE Sunnyside Road", "Clackamas", "97015",
         "503-555-0188"],
        # The list's other premises: a third of its names saying "emergency" would make it a list of that trade.
        ["PRM-40", "OAK GROVE ANIMAL CLINIC", "", "14301 SE MCLOUGHLIN BLVD", "MILWAUKIE", "97267", "(503) 555-0140"],
        ["PRM-41", "HAPPY VALLEY PET HOSPITAL", "", "12055 SE 162ND AVE", "HAPPY VALLEY", "97086", "(503) 555-0171"],
        ["PRM-42", "CANBY VETERINARY CLINIC", "", "280 NE 2ND AVE", "CANBY", "97013", "(503) 555-0102"],
    ]  # fmt: skip
    path = _write(tmp_path / "premises.csv", [dict(zip(header, row, strict=True)) for row in rows])
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(path), "--entity", "builder", "--out", str(out)]) == 0

    clusters = {r["left_id"]: r["cluster_id"] for r in _read(out)}
    assert clusters["PRM-33"] == clusters["WEB-7"] != clusters["PRM-32"]


def test_a_pharmacy_boards_store_column_and_permit_holder_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A board of pharmacy's list gives a chain's store number in a "Store #" column beside the name, and an
    # independent's name as its "Permit Holder" where its DBA is blank: neither was read, so the independent had no
    # name and a directory's sister store of another number was no other store.
    board = _write(tmp_path / "board.csv", [
        {"License Number": "PHY-1", "Permit Holder": "THE KROGER CO", "DBA": "KROGER PHARMACY", "Store #": "00144",
         "Address Line 1": "9042 ARAPAHO RD", "City": "DALLAS", "Zip": "75248", "Phone": "(972) 555-0144"},
        {"License Number": "PHY-2", "Permit Holder": "MEDICAL ARTS PHARMACY INC", "DBA": "", "Store #": "",
         "Address Line 1": "2300 N FIELD ST", "City": "DALLAS", "Zip": "75201", "Phone": "(214) 555-0177"},
    ])  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [
        {"id": "D-541", "Pharmacy Name": "Kroger Pharmacy #541", "Address 1": "9042 Arapaho Road", "City": "Dallas",
         "ZIP Code": "75248", "Phone": "972-555-0144"},
        {"id": "D-77", "Pharmacy Name": "Medical Arts Pharmacy", "Address 1": "2300 N Field St", "City": "Dallas",
         "ZIP Code": "75201", "Phone": "214-555-0177"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(board), "--entity", "builder", "--against", str(directory), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "name <- 'DBA' (where blank: 'Permit Holder')" in err and "store_number <- 'Store #'" in err
    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["PHY-2"]["right_id"], rows["PHY-2"]["decision"]) == ("D-77", "match")
    # Store 144 is not store 541, however alike the rest.
    assert rows["PHY-1"]["decision"] == "review" and "store_numbers_differ" in rows["PHY-1"]["explanation"]


def test_a_restaurants_catering_and_a_gyms_kids_club_are_places_of_their_own(tmp_path: Path) -> None:
    # A city's inspections license a restaurant's catering apart at its address and line; a booking app lists a
    # gym's child-watch room apart from the gym. Read as the business itself, each was linked to it.
    inspections = _write(tmp_path / "inspections.csv", [
        {"License #": "L-1", "DBA Name": "ANGELAS TRATTORIA CATERING", "Address": "1820 W Taylor St", "Zip": "60612",
         "Phone": "(312) 555-0191"},
        {"License #": "L-2", "DBA Name": "TOWNLAKE YMCA KIDS CLUB", "Address": "1100 W 1st St", "Zip": "78703",
         "Phone": "(512) 555-0120"},
    ])  # fmt: skip
    app = _write(tmp_path / "app.csv", [
        {"store_id": "S-1", "name": "Angela's Trattoria", "address": "1820 W Taylor St", "zip": "60612",
         "phone": "312-555-0191"},
        {"store_id": "S-2", "name": "TownLake YMCA", "address": "1100 W 1st St", "zip": "78703",
         "phone": "512-555-0120"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    argv = ["match-csv", str(inspections), "--entity", "builder", "--against", str(app), "--out", str(out)]
    assert main(argv) == 0

    rows = {r["left_id"]: r for r in _read(out)}
    assert all(r["decision"] != "match" and "kinds_differ" in r["explanation"] for r in rows.values())


def test_the_second_line_headed_as_the_first_with_a_2_is_the_address2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A contractor board's "BusinessAddress1"/"BusinessAddress2": the second line holds the suite, not read before.
    licences = _write(tmp_path / "licences.csv", [
        {"LicenseNumber": "ROC-1", "DBAName": "Sonoran Custom Homes", "BusinessAddress1": "7150 E Camelback Rd",
         "BusinessAddress2": "Suite 444", "City": "Scottsdale", "ZipCode": "85251"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(licences), "--entity", "builder", "--out", str(out)]) == 0

    assert "address <- 'BusinessAddress1', address2 <- 'BusinessAddress2'" in capsys.readouterr().err


def test_a_legal_descriptions_section_is_read_beside_a_subdivision_column_without_one(tmp_path: Path) -> None:
    # An MLS's closed sales give "Pecan Grove" in a Subdivision column and "LT 12 BLK 3 PECAN GROVE SEC 2" in the
    # legal description: read from the column alone, a builder's closing of section 1's lot 12, not yet addressed,
    # was the same home.
    mls = _write(tmp_path / "mls.csv", [
        {"MLS #": "M-1", "Address": "412 Pecan Grove Ln", "Zip": "78660", "Subdivision": "Pecan Grove",
         "Legal Description": "LT 12 BLK 3 PECAN GROVE SEC 2"},
    ])  # fmt: skip
    closings = _write(tmp_path / "closings.csv", [
        {"id": "J-1", "Address": "", "Zip": "78660", "Subdivision": "Pecan Grove Sec 1", "Lot": "12", "Block": "3"},
        {"id": "J-2", "Address": "", "Zip": "78660", "Subdivision": "Pecan Grove Sec 2", "Lot": "12", "Block": "3"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    argv = ["match-csv", str(mls), "--entity", "property", "--against", str(closings), "--many", "--top", "2",
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 0

    linked = {r["right_id"] for r in _read(out) if r["decision"] != "new"}
    assert linked == {"J-2"}


def test_a_licensee_written_as_a_person_beside_a_blank_business_name_leaves_the_name_unknown(tmp_path: Path) -> None:
    # A sole proprietor's licence: "Business Name" blank, "Licensee Name" the plumber's own, surname first. Compared
    # as the business's name it said "different" (-5.9) and sank the plumber's line agreeing with his listing's.
    board = _write(tmp_path / "board.csv", [
        {"License Number": "PL-1", "Business Name": "", "Licensee Name": "FOSTER, ERIC A", "City": "EDMOND",
         "Zip": "73013", "Phone": "(405) 555-0163"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"Pro ID": "P-1", "Business Name": "Affordable Plumbing & Repair", "City": "Edmond", "Zip": "73013",
         "Phone": "405-555-0163"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(board), "--entity", "builder", "--against", str(listings), "--out", str(out)]) == 0

    (row,) = _read(out)
    assert row["right_id"] == "P-1" and "name=different" not in row["explanation"]


def test_a_vendor_lists_rep_is_no_name_and_an_insurers_plan_network_no_brand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A builder's approved-vendor list names each vendor beside its sales rep: two name headers made the run stop.
    vendors = _write(tmp_path / "vendors.csv", [
        {"Vendor No": "V-1", "Vendor Name": "Ferguson Enterprises", "Rep Name": "Mike Mitchell",
         "Branch Address": "9101 Clay Rd", "ZIP": "77080"},
    ])  # fmt: skip
    assert main(["match-csv", str(vendors), "--entity", "builder", "--out", str(tmp_path / "v.csv")]) == 0
    assert "name <- 'Vendor Name'" in capsys.readouterr().err
    # An insurer's directory lists a practice once for each plan network: one practice, not two brands'.
    directory = _write(tmp_path / "directory.csv", [
        {"id": "D-1", "Practice Name": "Austin Pediatrics", "Network": "PPO", "Address": "1301 W 38th St Ste 110",
         "Zip": "78705", "Phone": "512-555-0110"},
        {"id": "D-2", "Practice Name": "Austin Pediatrics", "Network": "HMO", "Address": "1301 W 38th St Ste 110",
         "Zip": "78705", "Phone": "512-555-0110"},
        # ... or once for several ("PPO;HMO"), no brand either
        {"id": "D-3", "Practice Name": "Austin Pediatrics", "Network": "PPO;HMO", "Address": "1301 W 38th St Ste 110",
         "Zip": "78705", "Phone": "512-555-0110"},
        # ... a dental insurer's plans too ("PPO;DHMO", "DPPO")
        {"id": "D-4", "Practice Name": "Austin Pediatrics", "Network": "PPO;DHMO", "Address": "1301 W 38th St Ste 110",
         "Zip": "78705", "Phone": "512-555-0110"},
        {"id": "D-5", "Practice Name": "Austin Pediatrics", "Network": "DPPO", "Address": "1301 W 38th St Ste 110",
         "Zip": "78705", "Phone": "512-555-0110"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"
    assert main(["match-csv", str(directory), "--entity", "builder", "--out", str(out)]) == 0
    assert len({r["cluster_id"] for r in _read(out)}) == 1


def test_a_practitioners_first_and_last_names_are_its_name_where_the_row_gives_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A provider register: a group practice's row names the organisation; each practitioner's row gives only their
    # first and last names, at the group's suite and line. Unnamed, every practitioner was the group's twin.
    site = {"Provider First Line Business Practice Location Address": "1200 W MAIN ST STE 100",
            "Provider Business Practice Location Address City Name": "FRISCO",
            "Provider Business Practice Location Address Postal Code": "750341234",
            "Provider Business Practice Location Address Telephone Number": "9725550100"}  # fmt: skip

    def provider(npi: str, organisation: str = "", last: str = "", first: str = "") -> dict[str, str]:
        return {"NPI": npi, "Provider Organization Name (Legal Business Name)": organisation,
                "Provider Last Name (Legal Name)": last, "Provider First Name": first, **site}  # fmt: skip

    register = _write(tmp_path / "npi.csv", [
        provider("1003000001", "SMILE DENTAL GROUP PLLC"),
        provider("1003000002", last="LE", first="PRIYA"),
        provider("1003000003", last="NGUYEN", first="DAVID"),
        provider("1003000005", last="Le", first="Priya"),  # entered again
    ])  # fmt: skip
    out = tmp_path / "clusters.csv"

    assert main(["match-csv", str(register), "--entity", "builder", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "id <- 'NPI'" in err
    assert "where a row gives no name: a person's, 'Provider First Name' and 'Provider Last Name (Legal Name)'" in err
    cluster = {r["left_id"]: r["cluster_id"] for r in _read(out)}
    assert cluster["1003000002"] == cluster["1003000005"]
    assert len({cluster["1003000001"], cluster["1003000002"], cluster["1003000003"]}) == 3


def test_a_register_of_individuals_alone_is_named_by_each_persons_first_and_last_name(tmp_path: Path) -> None:
    # A licence board's register of sole practitioners gives no business name column at all: it was refused ("no
    # column for name") though every row names its person.
    def practitioner(number: str, last: str, first: str, street: str, phone: str) -> dict[str, str]:
        return {"License Number": number, "Last Name": last, "First Name": first, "Address": street,
                "City": "Austin", "Phone": phone}  # fmt: skip

    register = _write(tmp_path / "register.csv", [
        practitioner("RI-1001", "GARZA", "ELENA", "410 W 6th St", "512-555-0101"),
        practitioner("RI-1002", "Garza", "Elena", "410 West 6th Street", "(512) 555-0101"),  # entered again
        practitioner("RI-1003", "GARZA", "MARCO", "88 Red River St", "512-555-0177"),
    ])  # fmt: skip
    out = tmp_path / "clusters.csv"

    assert main(["match-csv", str(register), "--entity", "builder", "--out", str(out)]) == 0

    cluster = {r["left_id"]: r["cluster_id"] for r in _read(out)}
    assert cluster["RI-1001"] == cluster["RI-1002"] != cluster["RI-1003"]


def test_a_contacts_first_and_last_names_are_no_business_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A vendor list's contact at each company: where the company's name is blank, the contact is still not it.
    vendors = _write(tmp_path / "vendors.csv", [
        {"Company": "Ridgeline Roofing", "Contact First Name": "Ana", "Contact Last Name": "Ruiz",
         "Phone": "(512) 555-0140", "City": "Austin"},
        {"Company": "", "Contact First Name": "Ana", "Contact Last Name": "Ruiz", "Phone": "(512) 555-0140",
         "City": "Austin"},
    ])  # fmt: skip

    assert main(["match-csv", str(vendors), "--entity", "builder", "--out", str(tmp_path / "out.csv")]) == 0

    err = capsys.readouterr().err
    assert "a person's" not in err and "'Contact First Name'" in err.split("not read:")[1]


def test_a_rosters_unit_code_that_is_the_house_number_is_no_apartment(tmp_path: Path) -> None:
    # A landlord's roster of a scattered community codes each house by its number in its "Unit" column; the rental
    # portal lists the house by its street address alone. Read as an apartment, every house waited for review.
    roster = _write(tmp_path / "roster.csv", [
        {"Unit ID": "HT-1", "Unit": "24101", "Address1": "24101 Harmony Trail Ln", "City": "Katy", "Zip": "77494"},
        {"Unit ID": "HT-2", "Unit": "#24103", "Address1": "24103 Harmony Trail Ln", "City": "Katy", "Zip": "77494"},
        {"Unit ID": "VV-7", "Unit": "7", "Address1": "2425 W Deer Valley Rd", "City": "Phoenix", "Zip": "85027"},
    ])  # fmt: skip
    portal = _write(tmp_path / "portal.csv", [
        {"Listing ID": "L1", "Street Address": "24101 Harmony Trail Lane", "City": "Katy", "Zip": "77494"},
        {"Listing ID": "L2", "Street Address": "24103 Harmony Trail Ln", "City": "Katy", "Zip": "77494"},
        {"Listing ID": "L3", "Street Address": "2425 W Deer Valley Rd", "City": "Phoenix", "Zip": "85027"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(roster), "--entity", "property", "--against", str(portal), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided["HT-1"] == ("L1", "match") and decided["HT-2"] == ("L2", "match")
    # An apartment's unit is still one: its building's listing does not say which.
    assert decided["VV-7"] == ("L3", "review")


@pytest.mark.parametrize("many", [False, True])
def test_a_home_goes_to_its_twin_in_its_own_town_before_a_namesake_in_the_next(tmp_path: Path, many: bool) -> None:
    # One street address in two neighbouring towns, each with its own ZIP: a neighbouring town under one street
    # address is no disagreement (a builder sells a town's homes under its neighbour's name), so the two listings
    # weigh the same, and the one placed as the row writes it is the row's.
    roster = _write(tmp_path / "roster.csv", [
        {"Unit ID": "CPG-22", "Address1": "213 Hickory Nut Way", "City": "Georgetown", "Zip": "78626"},
    ])  # fmt: skip
    portal = _write(tmp_path / "portal.csv", [
        {"Listing ID": "L-LEANDER", "Street Address": "213 Hickory Nut Way", "City": "Leander", "Zip": "78641"},
        {"Listing ID": "L-GEORGETOWN", "Street Address": "213 Hickory Nut Way", "City": "Georgetown", "Zip": "78626"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(roster), "--entity", "property", "--against", str(portal), "--out", str(out),
                 *(["--many"] if many else [])]) == 0  # fmt: skip

    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("L-GEORGETOWN", "match")]


def test_an_association_registrys_manager_mailing_place_is_not_where_its_community_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A county's register of homeowners' association certificates gives each association's plat and county, and the
    # managing company's mailing address, city and ZIP, shared by every association it manages. Read as the
    # community's town, a Houston office sank Pearland's community; a plat's section beside the builder's name of
    # the community ("Cottonwood Estates PH 1") is a part of it, in its county.
    manager = {"Management Company": "Lonestar Association Services", "Mailing Address": "10200 Richmond Ave Ste 250",
               "City": "Houston", "State": "TX", "Zip": "77042"}  # fmt: skip
    register = _write(tmp_path / "certificates.csv", [
        {"Instrument Number": "2022298342", "Subdivision Name": "PINTO RIDGE", **manager, "County": "Brazoria"},
        {"Instrument Number": "2021100455", "Subdivision Name": "COTTONWOOD ESTATES PH 1", **manager,
         "County": "Galveston"},
        {"Instrument Number": "2019000311", "Subdivision Name": "COTTONWOOD ESTATES PH 1", **manager,
         "County": "Travis"},  # another county's namesake
    ])  # fmt: skip
    communities = _write(tmp_path / "communities.csv", [
        {"Community ID": "C1077", "Community Name": "Pinto Ridge", "City": "Pearland", "State": "TX", "Zip": "77584"},
        {"Community ID": "C1191", "Community Name": "Cottonwood Estates", "City": "League City", "State": "TX",
         "Zip": "77573"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(register), "--entity", "community", "--against", str(communities), "--out",
                 str(out), "--many"]) == 0  # fmt: skip

    line = capsys.readouterr().err.split("certificates.csv: ")[1].split("\n")[0]
    assert "county <- 'County'" in line and "'City', 'Zip'" in line.split("not read:")[1]
    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided["2022298342"] == ("C1077", "match")
    assert decided["2021100455"] == ("C1191", "review")  # a section of it: which, the files do not say
    assert decided["2019000311"][1] == "new"


def test_a_retired_address_point_is_no_homes_address_now(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A county's address points keep those it retired: a replat gave a lot's old number to another lot, a renamed
    # street's points were replaced. The builder's list still writes an old address; an MLS's "Closed" is a home sold,
    # still the home it was.
    def point(point_id: str, number: str, street: str, status: str) -> dict[str, str]:
        return {"ADDRESS_ID": point_id, "ADD_NUMBER": number, "ST_NAME": street, "ST_POSTYP": "DR",
                "POST_COMM": "LIBERTY HILL", "POST_CODE": "78642", "ADDR_STATUS": status}  # fmt: skip

    points = _write(tmp_path / "points.csv", [
        point("604215", "135", "AGARITA PASS", "RETIRED"),  # the replat's old point
        point("605215", "135", "AGARITA PASS", "CURRENT"),
        point("604119", "1100", "SUNFLOWER", "RETIRED"),  # renamed, its new point on another street
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"Job #": "SRM2-8457", "Address": "135 Agarita Pass Dr", "City": "Liberty Hill", "Zip": "78642",
         "Status": "Closed", "Close Date": "10/24/2025"},
        {"Job #": "BRY4-3167", "Address": "1100 Sunflower Dr", "City": "Liberty Hill", "Zip": "78642",
         "Status": "Under Construction"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(homes), "--entity", "property", "--against", str(points), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "status <- 'ADDR_STATUS'" in err and "'Close Date'" in err.split("homes.csv: ")[1].split("not read:")[1]
    # Another thing's status is not the record's: a review bureau's accreditation revoked, the builder still building.
    profiles = _write(tmp_path / "profiles.csv", [
        {"Business Name": "Cedar Homes", "Accreditation Status": "Revoked", "City": "Katy", "Phone": "281-555-0101"},
    ])  # fmt: skip
    assert main(["match-csv", str(profiles), "--entity", "builder", "--out", str(tmp_path / "profiles_out.csv")]) == 0
    assert "'Accreditation Status'" in capsys.readouterr().err.split("not read:")[1]
    decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in _read(out)}
    assert decided["SRM2-8457"][:2] == ("605215", "match")  # the point in force; the home's sale is no matter
    assert decided["BRY4-3167"][:2] == ("604119", "review")
    assert decided["BRY4-3167"][2].endswith("held back: retired 604119")


def test_a_special_district_registry_links_each_district_to_its_community_by_name_and_county(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A state's special district registry: each district by its legal name, its county, and its registered agent's
    # office and line (the district manager's, shared by every district it serves). The marketplace lists each
    # community at its sales centre.
    agent = {"Registered Agent": "Jane Gaarlandt", "Registered Agent Address": "475 West Town Place, Suite 114",
             "City": "St. Augustine", "State": "FL", "Zip": "32092", "Phone": "(904) 940-5850"}  # fmt: skip
    registry = _write(tmp_path / "registry.csv", [
        {"Special District ID": "9182", "Special District Name": "Timber Oaks CDD", **agent, "County": "Pasco"},
        {"Special District ID": "6277", "Special District Name": "Wiregrass Cove Community Development District",
         **agent, "County": "Sumter"},
        {"Special District ID": "2878", "Special District Name": "Pine Creek Comm. Development Dist.", **agent,
         "County": "Manatee"},
        {"Special District ID": "3301", "Special District Name": "Pine Creek Community Development District",
         **agent, "County": "Orange"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"Listing ID": "N1", "Community Name": "Timber Oaks", "City": "Wesley Chapel", "State": "FL", "ZIP": "33545",
         "Phone": "(813) 555-0101"},
        {"Listing ID": "N2", "Community Name": "Wiregrass Cove by Toll Brothers", "City": "Bushnell", "State": "FL",
         "ZIP": "33513", "Phone": "(407) 210-2232"},
        {"Listing ID": "N3", "Community Name": "Pine Creek", "City": "Ellenton", "State": "FL", "ZIP": "34222",
         "Phone": "(941) 555-0133"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    argv = ["match-csv", str(listings), "--entity", "community", "--against", str(registry), "--out", str(out)]
    assert main([*argv, "--many"]) == 0

    err = capsys.readouterr().err
    registry_line = err.split("registry.csv: ")[1].split("\n")[0]
    assert "name <- 'Special District Name'" in registry_line and "county <- 'County'" in registry_line
    assert "'City', 'Zip'" in registry_line.split("not read:")[1]  # the agent's town and ZIP
    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    # Pine Creek in Manatee County, not its namesake in Orange County.
    assert decided == {"N1": ("9182", "match"), "N2": ("6277", "match"), "N3": ("2878", "match")}
    assert all("phone=" not in r["explanation"] for r in _read(out))  # the agent's line is no community's


@pytest.mark.parametrize("kind", ["Roofing", "Builders"])
def test_a_sole_proprietors_licence_links_to_the_business_named_for_him(tmp_path: Path, kind: str) -> None:
    # A roofing board's licence in a person's name, surname first, with no DBA, its mailing address the only street
    # it gives; the marketplace lists the business he named for himself at that street, with a call-tracking line.
    board = _write(tmp_path / "board.csv", [
        {"License Number": "80017757", "Licensee Name": "MITCHELL, EDGAR E", "DBA": "",
         "Mailing Address": "20236 W MEMORIAL RD", "City": "CLAREMORE", "State": "OK", "Zip": "74017",
         "Phone": "9184302626"},
        {"License Number": "80017758", "Licensee Name": "FOSTER, ERIC A", "DBA": "",
         "Mailing Address": "1410 N ELM PL", "City": "BROKEN ARROW", "State": "OK", "Zip": "74012",
         "Phone": "9185550177"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        # "Edgar Mitchell Builders": his name the whole of its core, which the name-contained rule did not count.
        {"Listing ID": "HA-1", "Business Name": f"Edgar Mitchell {kind}", "Street Address": "20236 West Memorial Road",
         "City": "Claremore", "State": "OK", "Phone": "+1 918-810-1111"},
        # Another's business in his town, named for a Foster too.
        {"Listing ID": "HA-2", "Business Name": "Foster Roofing & Gutters", "Street Address": "88 S Main St",
         "City": "Broken Arrow", "State": "OK", "Phone": "(918) 555-0190"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(board), "--entity", "builder", "--against", str(listings), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided["80017757"] == ("HA-1", "match")
    assert decided["80017758"][1] == "new"  # his surname alone is no name of his


def test_a_permits_contractor_is_the_builder_where_its_line_and_office_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A county's building permits: the owner is the landowner, the contractor's line and office the builder's. The
    # owner was read as the name beside the contractor's place: a homeowner's name against every builder.
    permits = _write(tmp_path / "permits.csv", [
        {"PERMIT_NUM": "BR-1", "SITE_ADDR": "2746 EGRET DR", "OWNER_NAME": "TAYLOR CARLOS",
         "CONTRACTOR_NAME": "TAYLOR WELLS HMS", "CONTRACTOR_PHONE": "", "CONTRACTOR_ADDR": "151 SOUTHHALL LN STE 200",
         "CONTRACTOR_CITY": "MAITLAND", "CONTRACTOR_ZIP": "32751"},
        {"PERMIT_NUM": "BR-2", "SITE_ADDR": "18 HERON CT", "OWNER_NAME": "NGUYEN LINH & AN",
         "CONTRACTOR_NAME": "PARKVIEW HOMES", "CONTRACTOR_PHONE": "8638742189", "CONTRACTOR_ADDR": "",
         "CONTRACTOR_CITY": "WINTER HAVEN", "CONTRACTOR_ZIP": ""},
    ])  # fmt: skip
    builders = _write(tmp_path / "builders.csv", [
        {"id": "B1", "name": "Taylor Wells Homes", "phone": "(407) 555-0110", "address": "151 Southhall Ln, Suite 200",
         "city": "Maitland", "zip": "32751"},
        {"id": "B2", "name": "Parkview Homes", "phone": "(863) 874-2189", "address": "120 Avenue A Nw",
         "city": "Winter Haven", "zip": "33881"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(permits), "--entity", "builder", "--against", str(builders), "--out", str(out),
                 "--many"]) == 0  # fmt: skip
    assert "name <- 'CONTRACTOR_NAME'" in capsys.readouterr().err
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("B1", "match"), ("B2", "match")]


@pytest.mark.parametrize(
    ("header", "statuses"),
    [
        # A county's building permits: an expired permit is a job's, its contractor trading still.
        ("PERMIT_STATUS", ["EXPIRED", "FINALED", "IN REVIEW", "ISSUED", "CO ISSUED"]),
        # An attorney general's complaints: a closed complaint is the case's.
        ("Status", ["Closed - Resolved", "Mediation", "Closed - No Response", "Open", "Referred to BBB"]),
    ],
)
def test_a_status_saying_a_jobs_or_a_cases_progress_is_not_the_business_s(
    tmp_path: Path, header: str, statuses: list[str]
) -> None:
    # Read as the business's, every "EXPIRED" permit or "Closed" complaint was held for review beside another row of
    # the same business in force: 25 and 105 perfect links in two partner files.
    rows = [
        {"CASE_NO": f"P{i}", "CONTRACTOR_NAME": "HERITAGE BUILDERS LLC", "CONTRACTOR_PHONE": "(863) 555-0142",
         "CONTRACTOR_ADDRESS": "2805 E Edgewood Dr", "CONTRACTOR_CITY": "Lakeland", header: status}
        for i, status in enumerate(statuses)
    ]  # fmt: skip
    events = _write(tmp_path / "events.csv", rows)
    builders = _write(tmp_path / "builders.csv", [
        {"id": "B1", "name": "Heritage Builders", "phone": "863-555-0142", "address": "2805 E Edgewood Dr",
         "city": "Lakeland"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(events), "--entity", "builder", "--against", str(builders), "--out", str(out),
                 "--many"]) == 0  # fmt: skip
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("B1", "match")] * len(statuses)


@pytest.mark.parametrize("many", [False, True])
def test_a_surrendered_licence_under_the_name_a_directory_still_lists_is_held_beside_the_licence_in_force(
    tmp_path: Path, many: bool
) -> None:
    # A funeral home changed owners: the board lists the old owner's surrendered licence and the new owner's active
    # one at the same chapel and line; the directory still lists the chapel under the old name.
    chapel = {"ADDRESS": "410 N Main St", "CITY": "Lima", "ZIP": "45801", "PHONE": "(419) 555-0160"}
    board = _write(tmp_path / "board.csv", [
        {"LICENSE_NO": "FH-1022", "NAME": "Harmon Funeral Home", "STATUS": "SURRENDERED", **chapel},
        {"LICENSE_NO": "FH-2290", "NAME": "Kessler-Ward Funeral Chapel", "STATUS": "ACTIVE", **chapel},
        {"LICENSE_NO": "FH-0870", "NAME": "Bauer Funeral Home", "STATUS": "EXPIRED", "ADDRESS": "12 Elm St",
         "CITY": "Wapakoneta", "ZIP": "45895", "PHONE": "(419) 555-0188"},
    ])  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [
        {"id": "D1", "Business Name": "Harmon Funeral Home", "Address": "410 North Main Street", "City": "Lima",
         "Phone": "419-555-0160"},
        # A closed home's listing and its lapsed licence, nothing in force beside them: one business.
        {"id": "D2", "Business Name": "Bauer Funeral Home", "Address": "12 Elm Street", "City": "Wapakoneta",
         "Phone": "419-555-0188"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(board), "--entity", "builder", "--against", str(directory), "--out", str(out),
                 *(["--many"] if many else [])]) == 0  # fmt: skip

    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["FH-1022"]["right_id"], rows["FH-1022"]["decision"]) == ("D1", "review")
    assert rows["FH-1022"]["explanation"].endswith("held back: in_force_beside FH-2290")
    assert rows["FH-2290"]["decision"] != "match"
    assert (rows["FH-0870"]["right_id"], rows["FH-0870"]["decision"]) == ("D2", "match")


def test_a_utility_reports_legal_description_in_its_address_cell_places_the_home_by_lot_block_and_plat(
    tmp_path: Path,
) -> None:
    # A water utility's meter sets name a home not yet addressed by its legal description, written several ways; the
    # builder's start list gives each lot and block in columns of their own, with the address once assigned.
    taps = _write(tmp_path / "taps.csv", [
        {"ACCOUNT NO": "0411326-01", "SERVICE ADDRESS": "LOT 13 BLK 2 HERON RIDGE SEC 2", "ZIP": "78628"},
        {"ACCOUNT NO": "0413091-01", "SERVICE ADDRESS": "LT 14 BLK 5 OAK HOLLOW PH 3", "ZIP": "78633"},
        {"ACCOUNT NO": "0415550-01", "SERVICE ADDRESS": "HERON RIDGE SEC 2 LOT 15 BLK 3", "ZIP": "78628"},
        {"ACCOUNT NO": "0415551-01", "SERVICE ADDRESS": "BLK B LT 7 SOMERSET MEADOWS", "ZIP": "78626"},
        # Another subdivision's lot 13 of block 2: none of the builder's.
        {"ACCOUNT NO": "0415552-01", "SERVICE ADDRESS": "LOT 13 BLK 2 BRUSHY CREEK ESTATES", "ZIP": "78628"},
    ])  # fmt: skip
    starts = _write(tmp_path / "starts.csv", [
        {"Job #": "HR2-1013", "Community": "Heron Ridge Sec. 2", "Lot": "13", "Block": "2", "Address": "TBD",
         "Zip": "78628"},
        {"Job #": "OH3-1040", "Community": "Oak Hollow Ph 3", "Lot": "14", "Block": "5", "Address": "104 Post Oak Cv",
         "Zip": "78633"},
        {"Job #": "HR2-1015", "Community": "Heron Ridge Sec. 2", "Lot": "15", "Block": "3",
         "Address": "308 Kestrel Ct", "Zip": "78628"},
        {"Job #": "SM-1007", "Community": "Somerset Meadows", "Lot": "7", "Block": "B", "Address": "225 Bluestem Dr",
         "Zip": "78626"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(taps), "--entity", "property", "--against", str(starts), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided["0411326-01"] == ("HR2-1013", "match")
    assert decided["0413091-01"] == ("OH3-1040", "match")
    assert decided["0415550-01"] == ("HR2-1015", "match")
    assert decided["0415551-01"] == ("SM-1007", "match")
    assert decided["0415552-01"][1] == "new"


def test_a_master_plumbers_own_licence_at_the_company_does_not_take_its_listing(tmp_path: Path) -> None:
    # A plumbing board licenses the company and its responsible master plumber under one business name, address and
    # phone; only the licensee and the licence type differ. The directory's listing is the company's: which row took
    # it was file order.
    def licence(number: str, kind: str, licensee: str) -> dict[str, str]:
        return {"LICENSE NUMBER": number, "LICENSE TYPE": kind, "LICENSEE NAME": licensee,
                "BUSINESS NAME": "CHAVEZ BROTHERS PLUMBING", "ADDRESS": "5177 OLTORF ST STE 303", "CITY": "AUSTIN",
                "ZIP": "78758", "PHONE": "(512) 265-3108"}  # fmt: skip

    listing = {"Listing ID": "YLP-1", "Business Name": "Chavez Brothers Plumbing", "Address": "5177 Oltorf St Ste 303",
               "City": "Austin", "Phone": "(512) 417-5959"}  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [listing])
    for order in ((0, 1), (1, 0)):
        rows = [licence("M-21654", "Master Plumber", "CHAVEZ, DAVID"),
                licence("PC-11498", "Plumbing Contractor", "CHAVEZ BROTHERS PLUMBING INC")]  # fmt: skip
        # The master plumber qualifies a second firm too: his name, on two firms' rows, is read as no other name of
        # either (an owner's), and still says his licence is his.
        second = {**rows[0], "LICENSE NUMBER": "M-21655", "BUSINESS NAME": "LONE STAR DRAIN", "ADDRESS": "9 ELM ST"}
        board = _write(tmp_path / "board.csv", [*(rows[i] for i in order), second])
        out = tmp_path / "pairs.csv"

        assert main(["match-csv", str(board), "--entity", "builder", "--against", str(directory), "--out",
                     str(out)]) == 0  # fmt: skip

        decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in _read(out)}
        assert decided["PC-11498"][:2] == ("YLP-1", "match")
        # The master plumber's own licence, a person's grade, is no rival for the company's listing: written new,
        # naming the row that took it.
        assert decided["M-21654"][1] == "new" and "linked to row PC-11498" in decided["M-21654"][2]


def test_a_crms_account_name_is_the_builders_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A CRM export names each builder's account "Account Name" beside its sales office's name; it was refused ("no
    # column for name": two headers with the word name).
    accounts = _write(tmp_path / "accounts.csv", [
        {"Account ID": "001A", "Account Name": "Perry Homes", "Sales Office Name": "Bridgeland Sales Center",
         "Billing City": "Houston"},
    ])  # fmt: skip
    assert main(["match-csv", str(accounts), "--entity", "builder", "--out", str(tmp_path / "out.csv")]) == 0
    assert "name <- 'Account Name'" in capsys.readouterr().err


def test_an_owners_phone_is_no_sites_phone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A weights-and-measures registry gives each fuel site's owner company and the owner's line, which all of its
    # sites share; the app lists each store's own number. Read as the site's, it sank every chain store.
    registry = _write(tmp_path / "registry.csv", [
        {"REG_NO": "WM-1", "BUSINESS_NAME": "KWIK STOP #12", "SITE_ADDRESS": "633 W SLAUGHTER LN",
         "SITE_CITY": "AUSTIN", "OWNER_COMPANY": "PATEL ENTERPRISES LLC", "OWNER_PHONE": "7373405652"},
    ])  # fmt: skip
    assert main(["match-csv", str(registry), "--entity", "builder", "--out", str(tmp_path / "out.csv")]) == 0
    err = capsys.readouterr().err
    assert "phone <-" not in err and "'OWNER_PHONE'" in err.split("not read:")[1]


def test_a_deed_takes_its_homes_closed_listing_before_a_sister_streets_available_one(tmp_path: Path) -> None:
    # A builder's feed marks a home sold "Closed": its sale, which the county's deed records, not a listing ended
    # unsold. Beside it the sister street's home at that number, another block, still for sale: the deed was written
    # for review with that one and the very home it conveys left unlinked.
    feed = _write(tmp_path / "feed.csv", [
        {"Job #": "CT", "Community": "Oak Hollow", "Address": "1218 Oak Bend Ct", "Lot": "5", "Block": "2",
         "City": "Conroe", "Zip": "77304", "Status": "Closed"},
        {"Job #": "DR", "Community": "Oak Hollow", "Address": "1218 Oak Bend Dr", "Lot": "5", "Block": "1",
         "City": "Conroe", "Zip": "77304", "Status": "Available"},
    ])  # fmt: skip
    deeds = _write(tmp_path / "deeds.csv", [
        {"INSTRUMENT_NO": "D1", "SITUS_ADDRESS": "1218 OAK BEND CT", "SITUS_CITY": "CONROE", "SITUS_ZIP": "77304",
         "LEGAL_DESCRIPTION": "OAK HOLLOW PHASE 2 LOT 5 BLK 2"},
    ])  # fmt: skip
    out = tmp_path / "links.csv"
    assert main(["match-csv", str(deeds), "--entity", "property", "--against", str(feed), "--out", str(out)]) == 0
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("CT", "match")]


def test_a_homes_current_listing_takes_it_before_its_expired_one(tmp_path: Path) -> None:
    # An MLS relists a home under a new number; its expired listing, identical in every field the files compare,
    # took the builder's record as often as not (file order), the active one held for review.
    def listing(listing_id: str, status: str) -> dict[str, str]:
        return {"ListingId": listing_id, "StreetNumber": "2271", "StreetName": "Hollow Pine", "StreetSuffix": "Dr",
                "City": "Katy", "PostalCode": "77494", "StandardStatus": status}  # fmt: skip

    homes = _write(tmp_path / "homes.csv", [{"Job #": "H1", "Address": "2271 Hollow Pine Dr", "City": "Katy",
                                             "Zip": "77494"}])  # fmt: skip
    for rows in (
        [listing("M1", "Expired"), listing("M2", "Active")],
        [listing("M2", "Active"), listing("M1", "Expired")],
    ):
        mls = _write(tmp_path / "mls.csv", rows)
        out = tmp_path / "pairs.csv"
        assert main(["match-csv", str(mls), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 0
        decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
        assert decided == {"M2": ("H1", "match"), "M1": ("H1", "review")}
    # The relisting written more loosely (no ZIP, a state spelt out on the expired one): still the current listing,
    # one-to-one and with --many. A certificate of occupancy given to the expired listing attaches to a dead record.
    certificate = _write(tmp_path / "co.csv", [{"CO_NUMBER": "CO1", "SITE_ADDR": "2271 HOLLOW PINE DR",
                                                "SITE_CITY": "KATY", "SITE_ZIP": "77494"}])  # fmt: skip
    mls = _write(tmp_path / "mls.csv", [listing("M1", "Expired"), {**listing("M2", "Active"), "PostalCode": ""}])
    for many in ([], ["--many"]):
        out = tmp_path / "pairs.csv"
        assert main(["match-csv", str(certificate), "--entity", "property", "--against", str(mls), "--out", str(out),
                     *many]) == 0  # fmt: skip
        assert _read(out)[0]["right_id"] == "M2", many
    # A Fulshear home a portal files under Katy: its expired listing kept the ZIP, the relisting gives none and waits
    # for review (location_unconfirmed). The expired one's link at the high threshold took the home one-to-one.
    feed = _write(tmp_path / "feed.csv", [{"Job #": "H1", "Address": "2271 Hollow Pine Dr", "City": "Fulshear",
                                           "Zip": "77441"}])  # fmt: skip
    mls = _write(tmp_path / "mls.csv", [{**listing("M1", "Expired"), "PostalCode": "77441"},
                                        {**listing("M2", "Active"), "PostalCode": ""}])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(feed), "--entity", "property", "--against", str(mls), "--out", str(out)]) == 0
    (row,) = _read(out)
    assert row["right_id"] == "M2", row["explanation"]


def test_a_house_number_with_two_digits_swapped_is_written_for_review(tmp_path: Path) -> None:
    # A rating registry's rater typed 8073 for 8037; the builder lists no home at 8073. Written new, the home would
    # be added twice. Where the builder lists the typed number too, that is the row's home; a number one digit off
    # is the house next door; a home another row links to is that row's.
    def home(home_id: str, number: str) -> dict[str, str]:
        return {"id": home_id, "address": f"{number} Oak Bend Dr", "city": "Katy", "zip": "77494"}

    ratings = _write(tmp_path / "ratings.csv", [home("R1", "8073"), home("R2", "8045"), home("R3", "8103"),
                                                home("R4", "8130"), home("R5", "8310")])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [home("H1", "8037"), home("H2", "8045"), home("H3", "8054"),
                                            home("H4", "8013"), home("H5", "8301")])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(ratings), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in _read(out)}
    assert decided["R1"][:2] == ("H1", "review") and decided["R1"][2].endswith("held back: number_transposed H1")
    assert decided["R2"][:2] == ("H2", "match")
    assert decided["R3"][:2] == ("H4", "review")  # 8103 / 8013
    assert decided["R4"][1] == "new"  # 8130: no home at 8103 or 8310, and 8013 is two swaps away
    assert decided["R5"][:2] == ("H5", "review")  # 8310 / 8301


def test_a_swapped_house_number_is_not_offered_a_home_of_another_lot(tmp_path: Path) -> None:
    # A title company's closing of a home the builder's feed does not list: its number is another feed home's with two
    # digits swapped, but both files give the lot and block, and they are another lot's.
    def home(home_id: str, number: str, lot: str) -> dict[str, str]:
        return {"id": home_id, "address": f"{number} Oak Bend Dr", "city": "Katy", "zip": "77494",
                "subdivision": "Oak Hollow", "lot": lot, "block": "2"}  # fmt: skip

    closings = _write(tmp_path / "closings.csv", [home("C1", "8073", "7"), home("C2", "8103", "4")])
    feed = _write(tmp_path / "feed.csv", [home("F1", "8037", "9"), home("F2", "8013", "4")])
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(closings), "--entity", "property", "--against", str(feed), "--out", str(out)]) == 0
    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided["C1"][1] == "new"  # lot 7 is not the feed's lot 9
    assert decided["C2"] == ("F2", "review")  # lot 4 both: the number typed with two digits swapped


def test_a_swapped_house_number_is_not_offered_a_home_on_a_sister_street(tmp_path: Path) -> None:
    # An insurer's policy on 2816 Bluebonnet Ct, a home the marketplace does not list; it lists 2861 Bluebonnet Dr.
    policies = _write(tmp_path / "policies.csv", [
        {"POLICY_NO": "HO1", "INSURED_NAME": "WILSON, WILLIAM", "RISK_ADDRESS": "2816 BLUEBONNET CT",
         "RISK_CITY": "FULSHEAR", "RISK_ZIP": "77441"},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"listing_id": "AH-1", "title": "Comal Plan", "address": "2861 Bluebonnet Dr", "city": "Fulshear",
         "zip": "77441"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(policies), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 0
    assert _read(out)[0]["decision"] == "new"


def test_a_physical_address_written_same_is_the_mailing_address_and_reg_status_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A builder registry writes "SAME" where the physical address is the mailing one: read as a street, the row was
    # placed nowhere. Its "REG_STATUS" was not read: an expired registration beside the active one took the listing.
    def registration(number: str, status: str, physical: str) -> dict[str, str]:
        return {"REG_NO": number, "REGISTRANT_LEGAL_NAME": "HILLBROOK CONST LLC", "DBA": "", "REG_STATUS": status,
                "MAILING_ADDRESS": "1250 OAK BLVD STE 204", "MAILING_CITY": "WALL", "MAILING_ZIP": "07719",
                "PHYSICAL_ADDRESS": physical, "PHYSICAL_CITY": "", "PHYSICAL_ZIP": "", "PHONE": ""}  # fmt: skip

    registry = _write(tmp_path / "registry.csv", [
        registration("040033", "EXPIRED", "SAME"), registration("051200", "ACTIVE", "Same as mailing"),
    ])  # fmt: skip
    builders = _write(tmp_path / "builders.csv", [
        {"id": "B1", "name": "Hillbrook Construction", "address": "1250 Oak Blvd Suite 204", "city": "Wall",
         "zip": "07719"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(registry), "--entity", "builder", "--against", str(builders), "--out", str(out)]) == 0
    assert "status <- 'REG_STATUS'" in capsys.readouterr().err
    decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in _read(out)}
    assert decided["051200"][:2] == ("B1", "match") and "address=same" in decided["051200"][2]
    assert decided["040033"][1] != "match"


def test_a_stylists_licence_in_a_salon_suites_building_takes_the_studio_at_its_suite(tmp_path: Path) -> None:
    # A licence under the stylist's own name, its suite in the address line: two studios of the building fit it at
    # one weight (the name unknown), and the one at another suite was written.
    licences = _write(tmp_path / "licences.csv", [
        {"LICENSE_NUMBER": "BFN-1", "OWNER_NAME": "SCHMIDT, PRIYA", "TRADE_NAME": "",
         "SERVICE_ADDRESS": "1000 S COLORADO BLVD STE 106", "ZIP": "80222"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"id": "L1", "name": "Root & Ritual", "address": "1000 South Colorado Boulevard, Suite 131", "zip": "80222"},
        {"id": "L2", "name": "Blonde Theory", "address": "1000 S Colorado Boulevard #106", "zip": "80222"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(listings), "--out", str(out)]) == 0
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("L2", "review")


def test_the_page_a_row_was_taken_from_is_not_its_website(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Three portals scraped into one file: each row's "source_url" is the portal's page, read as the community's
    # website, so every row of one portal shared a site.
    rows = _write(tmp_path / "communities.csv", [
        {"record_id": "N1", "community_name": "Sienna", "city": "Missouri City",
         "source_url": "https://www.newbuildtx.com/c/sienna"},
    ])  # fmt: skip
    assert main(["match-csv", str(rows), "--entity", "community", "--out", str(tmp_path / "out.csv")]) == 0
    err = capsys.readouterr().err
    assert "website <-" not in err and "'source_url'" in err.split("not read")[1]


def test_a_rewritten_policy_in_force_takes_the_home_before_the_cancelled_one(tmp_path: Path) -> None:
    # An insurer cancelled a home's policy and rewrote it; both rows give the home's address alike. Its POLICY_STATUS
    # unread, the cancelled policy took the home by its place in the file.
    policies = _write(tmp_path / "policies.csv", [
        {"POLICY_NO": "HO1", "RISK_ADDRESS": "2816 BLUEBONNET DR", "RISK_CITY": "FULSHEAR", "RISK_ZIP": "77441",
         "POLICY_STATUS": "CANCELLED - REWRITTEN"},
        {"POLICY_NO": "HO2", "RISK_ADDRESS": "2816 BLUEBONNET DR", "RISK_CITY": "FULSHEAR", "RISK_ZIP": "77441",
         "POLICY_STATUS": "IN FORCE"},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"listing_id": "AH-1", "address": "2816 Bluebonnet Dr", "city": "Fulshear", "zip": "77441"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(policies), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 0
    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided["HO2"] == ("AH-1", "match") and decided["HO1"][1] != "match"


def test_a_homes_insured_or_homeowner_is_not_its_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An insurer's "INSURED_NAME" and a warranty desk's "Homeowner Name" were read as the home's name: -1.1 bits on
    # every pair against a listing's title.
    for header in ("INSURED_NAME", "Homeowner Name", "POLICYHOLDER"):
        rows = _write(tmp_path / "rows.csv", [{"id": "P1", header: "WILSON, WILLIAM", "address": "2816 Bluebonnet Dr",
                                               "city": "Fulshear", "zip": "77441"}])  # fmt: skip
        assert main(["match-csv", str(rows), "--entity", "property", "--out", str(tmp_path / "out.csv")]) == 0
        err = capsys.readouterr().err
        assert "name <-" not in err and f"'{header}'" in err.split("not read")[1]


def test_a_swapped_house_number_is_not_offered_a_lot_of_another_number_where_one_list_gives_no_block(
    tmp_path: Path,
) -> None:
    # A county roll's legal description gives lot 11 of block D; the builder's feed lists the neighbour at the number
    # with two digits swapped, its lot 2 and no block. Read as one lot only with one block both give, it was offered.
    roll = _write(tmp_path / "roll.csv", [
        {"id": "R1", "situs": "1440 SABLE RIDGE LN", "zip": "78642",
         "legal_desc": "SANTA RITA RANCH SOUTH PH 3 SEC 2, BLOCK D, LOT 11"},
    ])  # fmt: skip
    feed = _write(tmp_path / "feed.csv", [
        {"id": "H1", "address": "1404 Sable Ridge Ln", "city": "Liberty Hill", "zip": "78642", "lot": "2"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(roll), "--entity", "property", "--against", str(feed), "--out", str(out)]) == 0
    assert _read(out)[0]["decision"] == "new"


def test_a_journeymans_licence_with_the_shops_line_does_not_take_the_contractors_listing(tmp_path: Path) -> None:
    # An HVAC board's contractor licence gives no phone; its journeyman's gives the shop's line and so outscores it.
    # Both licensees are people. The directory's listing is the contractor's, the business.
    def licence(number: str, grade: str, licensee: str, phone: str) -> dict[str, str]:
        return {"LICENSE_NO": number, "LICENSE_CLASS": grade, "LICENSEE_NAME": licensee,
                "COMPANY_NAME": "RED OAK HEATING & AIR", "ADDRESS_LINE1": "1200 TEXAS AVE", "CITY": "BRYAN",
                "ZIP": "77803", "PHONE": phone}  # fmt: skip

    board = _write(tmp_path / "board.csv", [
        licence("JM17135E", "Journeyman", "DAVIS, MATTHEW", "979-931-8315"),
        licence("TACLA1001C", "Contractor", "PEREZ, JUAN C", ""),
    ])  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [
        {"Listing ID": "HD-1", "Business Name": "Red Oak Heating & Air", "Street Address": "1200 Texas Ave",
         "City": "Bryan", "Phone": "(979) 931-8315"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(board), "--entity", "builder", "--against", str(directory), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided == {"TACLA1001C": ("HD-1", "match"), "JM17135E": ("", "new")}


def test_an_individuals_licence_at_the_shop_does_not_take_the_shops_listing(tmp_path: Path) -> None:
    # A county's locksmith licences: the shop's own under its name, and its employee's personal one ("LOCKSMITH -
    # INDIVIDUAL") under his name at the shop's address and line. The map's listing is the shop's.
    licences = _write(tmp_path / "licences.csv", [
        {"LICENSE_NUMBER": "LI21-011007", "LICENSE_TYPE": "LOCKSMITH - INDIVIDUAL", "LICENSEE_NAME": "CRUZ, REINALDO E",
         "BUSINESS_ADDRESS": "18939 BISCAYNE BLVD", "CITY": "AVENTURA", "ZIP": "33180", "PHONE": "786-407-3572",
         "STATUS": "ACTIVE"},
        {"LICENSE_NUMBER": "LK23-010099", "LICENSE_TYPE": "LOCKSMITH",
         "LICENSEE_NAME": "TOTAL LOCKSMITH SERVICES LLC", "BUSINESS_ADDRESS": "18939 BISCAYNE BLVD",
         "CITY": "AVENTURA", "ZIP": "33180", "PHONE": "", "STATUS": "EXPIRED"},
    ])  # fmt: skip
    maps = _write(tmp_path / "maps.csv", [
        {"place_id": "M1", "name": "Total Locksmith Services", "address": "18939 Biscayne Blvd, Aventura, FL 33180",
         "phone": "(786) 407-3572"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(maps), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided["LK23-010099"][0] == "M1"
    assert decided["LI21-011007"] == ("", "new")


def test_a_business_tax_accounts_close_date_says_it_closed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A city's business tax accounts give no status, only the date an account closed: a shop sold and reopened under
    # a new owner's account at its address, under its old name. The map's listing is the shop open now.
    def account(number: str, owner: str, closed: str) -> dict[str, str]:
        return {"ACCOUNT NUMBER": number, "DBA": "Spoke & Pedal", "LEGAL OWNER": owner, "CLOSE DATE": closed,
                "LOCATION ADDRESS": "1420 S Broadway", "CITY": "Denver", "ZIP": "80210"}  # fmt: skip

    accounts = _write(tmp_path / "accounts.csv", [
        account("BT-100217", "SPOKE AND PEDAL LLC", "03/31/2021"),
        account("BT-204455", "BROADWAY CYCLES LLC", ""),
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"place_id": "M1", "name": "Spoke & Pedal", "address": "1420 S Broadway, Denver, CO 80210",
         "phone": "(303) 555-0144"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(listings), "--entity", "builder", "--against", str(accounts), "--out", str(out),
                 "--many"]) == 0  # fmt: skip

    assert "status <- 'CLOSE DATE'" in capsys.readouterr().err
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("BT-204455", "match")


def test_a_lowered_min_confidence_lets_in_no_rival_in_force(tmp_path: Path) -> None:
    # A roofer's expired registration is the one a directory lists; another roofer's registration in force in its
    # ZIP, sharing words of its name, scores 0.4. With --min-confidence 0.05 it became a candidate, and held the link
    # "in force beside" it: a lowered floor writes more candidates, and decides nothing else.
    registry = _write(tmp_path / "registry.csv", [
        {"Reg No": "R-1", "Registrant": "Summit Roofing LLC", "Address": "410 W Main St", "City": "Norman",
         "Zip": "73069", "Phone": "405-555-0101", "Status": "Expired"},
        {"Reg No": "R-2", "Registrant": "Summit Roofing and Gutters LLC", "Address": "9 Elm St", "City": "Norman",
         "Zip": "73069", "Phone": "405-555-0199", "Status": "Active"},
    ])  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [
        {"Listing": "D-1", "Business Name": "Summit Roofing", "Address": "410 W Main St", "City": "Norman",
         "Zip": "73069", "Phone": "(405) 555-0101"},
    ])  # fmt: skip
    for floor in ("0.6", "0.05"):
        out = tmp_path / f"pairs_{floor}.csv"
        assert main(["match-csv", str(directory), "--entity", "builder", "--against", str(registry), "--out",
                     str(out), "--min-confidence", floor]) == 0  # fmt: skip
        (row,) = _read(out)
        assert (row["right_id"], row["decision"]) == ("R-1", "match")


def test_a_cancelled_registration_is_held_beside_the_one_in_force_at_its_very_address(tmp_path: Path) -> None:
    # A chain bought a body shop and registered it under its own name and line; the shop's old registration is
    # cancelled, and the insurer's roster still lists the shop's old name. Nothing but the address ties the roster's
    # row to the chain's registration, which is no candidate; a shop in the same centre under another suite is none.
    roster = _write(tmp_path / "roster.csv", [
        {"Shop ID": "S1", "Shop Name": "Hillside Body Works", "Address": "2207 W Anderson Ln", "City": "Austin",
         "Zip": "78757", "Phone": "(512) 555-0133"},
        {"Shop ID": "S2", "Shop Name": "Miller Paint & Body", "Address": "600 E Palm Valley Blvd Ste 4",
         "City": "Round Rock", "Zip": "78664", "Phone": "(512) 555-0150"},
    ])  # fmt: skip
    registry = _write(tmp_path / "registry.csv", [
        {"Registration Number": "R-100", "Name": "HILLSIDE BODY WORKS", "Status": "CANCELLED",
         "Address": "2207 W ANDERSON LN", "City": "AUSTIN", "Zip": "78757", "Phone": "5125550133"},
        {"Registration Number": "R-200", "Name": "CALIBER COLLISION", "Status": "ACTIVE",
         "Address": "2207 W ANDERSON LN", "City": "AUSTIN", "Zip": "78757", "Phone": "8005550199"},
        {"Registration Number": "R-300", "Name": "MILLER PAINT & BODY", "Status": "EXPIRED",
         "Address": "600 E PALM VALLEY BLVD STE 4", "City": "ROUND ROCK", "Zip": "78664", "Phone": "5125550150"},
        {"Registration Number": "R-400", "Name": "PALM VALLEY TIRE", "Status": "ACTIVE",
         "Address": "600 E PALM VALLEY BLVD STE 6", "City": "ROUND ROCK", "Zip": "78664", "Phone": "5125550177"},
        # The very street address in a town 800 km away is no other business at the site.
        {"Registration Number": "R-500", "Name": "DESERT AUTO GLASS", "Status": "ACTIVE",
         "Address": "600 E PALM VALLEY BLVD STE 4", "City": "EL PASO", "Zip": "79901", "Phone": "9155550110"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(roster), "--entity", "builder", "--against", str(registry), "--out", str(out)]) == 0

    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["S1"]["right_id"], rows["S1"]["decision"]) == ("R-100", "review")
    assert rows["S1"]["explanation"].endswith("held back: in_force_beside R-200")
    assert (rows["S2"]["right_id"], rows["S2"]["decision"]) == ("R-300", "match")
    # A roster that marks the shop closed too: the closed registration is its twin, whoever trades there now.
    closed = _write(tmp_path / "closed.csv", [
        {"Shop ID": "S1", "Shop Name": "Hillside Body Works", "Status": "Closed", "Address": "2207 W Anderson Ln",
         "City": "Austin", "Zip": "78757", "Phone": "(512) 555-0133"},
    ])  # fmt: skip
    assert main(["match-csv", str(registry), "--entity", "builder", "--against", str(closed), "--out", str(out)]) == 0
    assert [(r["right_id"], r["decision"]) for r in _read(out)][:2] == [("S1", "match"), ("", "new")]


def test_an_operator_column_saying_independent_gives_no_brand(tmp_path: Path) -> None:
    # A flex-space feed and a maps export of one independent centre: the feed's "Operator" column says "Independent",
    # the maps export gives none; read as a brand, "Independent" was a word of one name only.
    spaces = _write(tmp_path / "spaces.csv", [
        {"id": "F-1", "Space Name": "The Hive Cowork", "Brand": "Independent", "Address": "1800 Guadalupe St Ste 200",
         "City": "Austin", "Phone": "(512) 555-0171"},
        {"id": "M-1", "Space Name": "The Hive Cowork", "Brand": "", "Address": "1800 Guadalupe St Suite 200",
         "City": "Austin", "Phone": "(512) 555-0171"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(spaces), "--entity", "builder", "--out", str(out)]) == 0

    rows = _read(out)
    assert len({r["cluster_id"] for r in rows}) == 1
    assert all("name=exact" in r["explanation"] for r in rows)  # one name, no brand's word before one of them


def test_a_parks_space_is_the_homes_unit_however_the_roster_and_the_roll_write_it(tmp_path: Path) -> None:
    # A manufactured home park's roster gives each home's space in a column of its own; the county's roll runs it
    # into the situs as "SPC 10" or "LOT 20" after the park's street address, which a parser read as a second road.
    roster = _write(tmp_path / "roster.csv", [
        {"Resident ID": "R-10", "Space": "Space 10", "Address": "4401 US Hwy 98 N", "City": "Lakeland", "Zip": "33809"},
        {"Resident ID": "R-12", "Space": "Sp 12", "Address": "4401 US Hwy 98 N", "City": "Lakeland", "Zip": "33809"},
        {"Resident ID": "R-20", "Space": "20", "Address": "4401 US Hwy 98 N", "City": "Lakeland", "Zip": "33809"},
    ])  # fmt: skip
    roll = _write(tmp_path / "roll.csv", [
        {"Account Number": "MH-1", "Situs": "4401 US HWY 98 N SPC 10", "City": "LAKELAND", "ZIP": "33809"},
        {"Account Number": "MH-2", "Situs": "4401 US HWY 98 N SPC 12", "City": "LAKELAND", "ZIP": "33809"},
        {"Account Number": "MH-3", "Situs": "4401 US HWY 98 N LOT 20", "City": "LAKELAND", "ZIP": "33809"},
        {"Account Number": "MH-4", "Situs": "4401 US HWY 98 N SPC 30", "City": "LAKELAND", "ZIP": "33809"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(roster), "--entity", "property", "--against", str(roll), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided == {"R-10": ("MH-1", "match"), "R-12": ("MH-2", "match"), "R-20": ("MH-3", "match")}


def test_a_deeds_legal_description_in_a_clerks_shortest_form_gives_its_lot_and_block(tmp_path: Path) -> None:
    # A county clerk's deed index writes "L12 B3" for lot 12 of block 3; the builder's closings give each apart.
    deeds = _write(tmp_path / "deeds.csv", [
        {"Instrument Number": "RP-1", "Legal Description": "L12 B3 WILLOW BEND PH II", "Situs Address": ""},
        {"Instrument Number": "RP-2", "Legal Description": "L 12 B 2 WILLOW BEND PH II", "Situs Address": ""},
    ])  # fmt: skip
    closings = _write(tmp_path / "closings.csv", [
        {"Job #": "HH-1", "Community": "Willow Bend", "Section": "Phase 2", "Lot": "12", "Block": "3",
         "Street Address": "2857 Pelican Bay Ct", "City": "Katy", "ZIP": "77494"},
        {"Job #": "HH-2", "Community": "Willow Bend", "Section": "Phase 2", "Lot": "12", "Block": "2",
         "Street Address": "2901 Pelican Bay Ct", "City": "Katy", "ZIP": "77494"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(deeds), "--entity", "property", "--against", str(closings), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided == {"RP-1": ("HH-1", "match"), "RP-2": ("HH-2", "match")}


def test_an_ontario_project_register_links_to_the_marketplaces_communities(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A warranty programme's registered projects: one row per stage, the builder's legal vehicle (often a numbered
    # company) in a column read by its words, the municipality as its register writes it. The marketplace names the
    # community with its product ("Towns") and the town.
    projects = _write(tmp_path / "projects.csv", [
        {"Project ID": "P-1", "Project Name": "Riverside Stage 2", "Vendor/Builder Legal Name": "2451873 Ontario Inc.",
         "Municipality": "City of Kitchener"},
        {"Project ID": "P-2", "Project Name": "Oak Hills", "Vendor/Builder Legal Name": "Mattamy (Kitchener) Limited",
         "Municipality": "City of Kitchener"},
        {"Project ID": "P-3", "Project Name": "Oak Hills", "Vendor/Builder Legal Name": "Fusion Homes Inc.",
         "Municipality": "City of Kitchener"},
    ])  # fmt: skip
    communities = _write(tmp_path / "communities.csv", [
        {"id": "C-1", "Community Name": "Riverside Towns - Phase 2", "Builder": "Activa", "City": "Kitchener",
         "Province": "ON"},
        {"id": "C-2", "Community Name": "Oak Hills", "Builder": "Fusion Homes", "City": "Kitchener", "Province": "ON"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(communities), "--entity", "community", "--against", str(projects), "--out", str(out),
                 "--many"]) == 0  # fmt: skip

    assert "builder <- 'Vendor/Builder Legal Name'" in capsys.readouterr().err
    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided == {"C-1": ("P-1", "match"), "C-2": ("P-3", "match")}


def test_a_county_road_numbered_like_a_unit_and_a_plats_unit_beside_a_lot(tmp_path: Path) -> None:
    # A county appraisal district's new improvements against a builder's closings on county roads: "County Road
    # 2710" was read as unit 2710 of a road with no name, and a plat's "UNIT 6" beside the lot as the home's unit.
    roll = _write(tmp_path / "roll.csv", [
        {"PROP_ID": "R1", "SITUS": "12450 CR 2710", "ZIP": "77868", "LEGAL_DESC": "A0123 J SMITH SURVEY, ACRES 5.2"},
        {"PROP_ID": "R2", "SITUS": "4410 CR 2711", "ZIP": "77868", "LEGAL_DESC": ""},
        {"PROP_ID": "R3", "SITUS": "305 PINE FOREST DR", "ZIP": "77868",
         "LEGAL_DESC": "LOT 4 BLK 2 PINE FOREST UNIT 6"},
    ])  # fmt: skip
    closings = _write(tmp_path / "closings.csv", [
        {"Job #": "J1", "Address": "12450 County Road 2710", "Zip": "77868"},
        {"Job #": "J2", "Address": "4410 County Road 2711", "Zip": "77868"},
        {"Job #": "J3", "Address": "305 Pine Forest Drive", "Zip": "77868"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(roll), "--entity", "property", "--against", str(closings), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided == {"R1": ("J1", "match"), "R2": ("J2", "match"), "R3": ("J3", "match")}


def test_coordinates_a_feed_gives_many_homes_are_no_homes_place(tmp_path: Path) -> None:
    # A builder's feed pins every home at its community's centre; two builders there each have a "Homesite 2". The
    # MLS lists one builder's lot 2 beside the centre: only the shared pin put the other's homesite within 200 m.
    centre = {"geo.latitude": "29.540200", "geo.longitude": "-95.540100", "address.postalCode": "77459"}
    feed = _write(tmp_path / "feed.csv", [
        {"url": "h1", "name": "The Elm - Homesite 7", "address.streetAddress": "2224 Sweetgum Court", **centre},
        {"url": "h2", "name": "The Juniper - Homesite 1", "address.streetAddress": "2200 Sweetgum Court", **centre},
        {"url": "h3", "name": "The Cypress - Homesite 5", "address.streetAddress": "24517 Brazos Bend Ln", **centre},
        {"url": "h4", "name": "Llano Plan - Homesite 2", "address.streetAddress": "TBD", **centre},
    ])  # fmt: skip
    mls = _write(tmp_path / "mls.csv", [
        {"ListingId": "M1", "UnparsedAddress": "2224 Sweetgum Ct", "PostalCode": "77459", "Latitude": "29.54098",
         "Longitude": "-95.54001"},
        {"ListingId": "M2", "UnparsedAddress": "Lot 2 Sweetgum Ct", "PostalCode": "77459", "Latitude": "29.54031",
         "Longitude": "-95.54022"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(feed), "--entity", "property", "--against", str(mls), "--out", str(out)]) == 0

    rows = {r["url"]: r for r in _read(out)}
    assert (rows["h1"]["right_id"], rows["h1"]["decision"]) == ("M1", "match")
    assert rows["h4"]["decision"] != "match" and "distance=" not in rows["h4"]["explanation"]


def test_a_stale_row_naming_the_lapsed_licence_is_held_beside_the_one_in_force(tmp_path: Path) -> None:
    # A county list still names the closed centre the new owner took over with its line: the new owner's licence in
    # force shares only "Learning Center" with the row, the closed one is its very name. Matched to the one in
    # force it wrote another business's facts; now written for review on the closed one, naming the other.
    county = _write(tmp_path / "county.csv", [
        {"Provider ID": "FC-1", "Provider Name": "Kids Korner Learning Center", "Address": "5590 N High St",
         "City": "Columbus", "Zip": "43220", "Phone": "614-987-5923"},
        {"Provider ID": "FC-2", "Provider Name": "Little Acorns Preschool", "Address": "410 E Main St",
         "City": "Columbus", "Zip": "43215", "Phone": "614-555-0101"},
    ])  # fmt: skip
    state = _write(tmp_path / "state.csv", [
        {"License Number": "L-1", "Program Name": "PRECIOUS EARLY LEARNING CENTER", "Status": "Active",
         "Address": "5590 N HIGH ST", "City": "COLUMBUS", "Zip": "43220", "Phone": "(614) 987-5923"},
        {"License Number": "L-2", "Program Name": "KIDS KORNER LEARNING CENTER", "Status": "Closed",
         "Address": "5590 N HIGH ST", "City": "COLUMBUS", "Zip": "43220", "Phone": "(614) 987-5923"},
        {"License Number": "L-3", "Program Name": "LITTLE ACORNS PRESCHOOL", "Status": "Closed",
         "Address": "410 E MAIN ST", "City": "COLUMBUS", "Zip": "43215", "Phone": "(614) 555-0101"},
        {"License Number": "L-4", "Program Name": "LITTLE ACORNS PRESCHOOL", "Status": "Active",
         "Address": "410 E MAIN ST", "City": "COLUMBUS", "Zip": "43215", "Phone": "(614) 555-0101"},
    ])  # fmt: skip
    for many in ([], ["--many"]):
        out = tmp_path / "pairs.csv"
        assert main(["match-csv", str(county), "--entity", "builder", "--against", str(state), "--out", str(out),
                     *many]) == 0  # fmt: skip
        rows = {r["left_id"]: r for r in _read(out)}
        assert (rows["FC-1"]["right_id"], rows["FC-1"]["decision"]) == ("L-2", "review")
        assert rows["FC-1"]["explanation"].endswith("held back: in_force_beside L-1")
        # Closed and licensed again under one name: the licence in force is the row's, as before.
        assert (rows["FC-2"]["right_id"], rows["FC-2"]["decision"]) == ("L-4", "match")


def test_a_practice_s_blank_name_beside_its_dentist_is_unknown(tmp_path: Path) -> None:
    # A directory's row with no practice name and its dentist in the fallback column: read as the name, the
    # dentist's sank the practice's street address, suite and line (names_differ).
    directory = _write(tmp_path / "dental.csv", [
        {"Record ID": "D1", "Practice Name": "Champions Dental Studio", "Dentist Name": "Mei Le, DDS",
         "Address": "3335 Kirby Dr", "Suite": "#200", "City": "Dallas", "State": "TX", "ZIP": "75201",
         "Phone": "(214) 555-1205"},
        {"Record ID": "D2", "Practice Name": "", "Dentist Name": "Dr. Mei Le", "Address": "3335 KIRBY DR",
         "Suite": "Ste 200", "City": "Dallas", "State": "TX", "ZIP": "75201", "Phone": "214.555.1205"},
    ])  # fmt: skip
    out = tmp_path / "clusters.csv"
    assert main(["match-csv", str(directory), "--entity", "builder", "--out", str(out)]) == 0
    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["D2"]["right_id"], rows["D2"]["decision"]) == ("D1", "match")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # "Le" ending a name or before "and" is a surname: dropped, "Le & Associates" was "Associates Dentistry".
        ("Le & Associates Dentistry", "le associates dentistry"),
        ("Dr. Mei Le", "dr mei le"),
        ("Tony La", "tony la"),
        # Before a word it is an article, as before.
        ("Les Habitations Lacroix", "habitations lacroix"),
        ("Panaderia La Reyna", "panaderia reyna"),
    ],
)
def test_an_article_that_is_a_surname(name: str, key: str) -> None:
    assert prepare("builder", {"name": name}, "x").name_norm.key == key


def test_between_held_homes_of_one_weight_the_street_as_written_and_the_current_listing_come_first(
    tmp_path: Path,
) -> None:
    # A pool permit at "2128 BLUEBONNET CT" with its ZIP and no town: the listing of that court gives its town and no
    # ZIP, its sister street's, "2128 Bluebonnet Dr.", the ZIP. Both held at one weight, the drive came first on the
    # ZIP written alike. And a home listed twice, withdrawn and listed again, at one weight: the withdrawn came first.
    permits = _write(tmp_path / "permits.csv", [
        {"PERMIT_NO": "P1", "SITE_ADDR": "2128 BLUEBONNET CT", "SITE_ZIP": "78641"},
        {"PERMIT_NO": "P2", "SITE_ADDR": "2264 STONE MASON DR", "SITE_ZIP": "78641"},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"Listing ID": "H1", "Address": "2128 Bluebonnet Dr.", "City": "Leander", "ZIP": "78641", "Status": ""},
        {"Listing ID": "H2", "Address": "2128 Bluebonnet Ct", "City": "Leander", "ZIP": "", "Status": ""},
        {"Listing ID": "H3", "Address": "2264 Stone Mason Dr", "City": "Leander", "ZIP": "78641",
         "Status": "Withdrawn"},
        {"Listing ID": "H4", "Address": "2264 Stone Mason Dr.", "City": "Leander", "ZIP": "78641",
         "Status": "Available"},
    ])  # fmt: skip
    for many in ([], ["--many"]):
        out = tmp_path / "pairs.csv"
        assert main(["match-csv", str(permits), "--entity", "property", "--against", str(homes), "--out", str(out),
                     *many]) == 0  # fmt: skip
        rows = {r["left_id"]: r for r in _read(out)}
        assert rows["P1"]["right_id"] == "H2", many
        assert (rows["P2"]["right_id"], rows["P2"]["decision"]) == ("H4", "match"), many


def test_between_held_homes_of_one_weight_a_street_with_no_type_before_one_of_another_type(tmp_path: Path) -> None:
    # A subdivision with a Bluebonnet Ct and a Bluebonnet Dr: the clerk wrote one court house's permit with no street
    # type. At one weight, the court's listing went to the drive's permit, whose type disagrees, and the typeless
    # permit was written new.
    permits = _write(tmp_path / "permits.csv", [
        {"PERMIT_NO": "P1", "SITE_ADDR": "2125 BLUEBONNET DR", "SITE_ZIP": "78626"},
        {"PERMIT_NO": "P2", "SITE_ADDR": "2125 BLUEBONNET", "SITE_ZIP": "78626"},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"Listing ID": "H1", "Address": "2125 Bluebonnet Court", "City": "Georgetown", "ZIP": "78626"},
    ])  # fmt: skip
    for many in ([], ["--many"]):
        out = tmp_path / "pairs.csv"
        assert main(["match-csv", str(permits), "--entity", "property", "--against", str(homes), "--out", str(out),
                     *many]) == 0  # fmt: skip
        rows = {r["left_id"]: r for r in _read(out)}
        assert rows["P2"]["right_id"] == "H1", (many, rows["P2"]["explanation"])
        assert rows["P2"]["decision"] in ("match", "review"), many


def test_a_homesite_beside_a_listing_at_the_row_s_own_address_is_held(tmp_path: Path) -> None:
    # A warranty company enrolled one home twice, once with its lot. The listing at its street address went to the
    # enrollment without a lot; the one with it was matched to "Homesite 10", a listing with no street, on its lot.
    enrollments = _write(tmp_path / "enrollments.csv", [
        {"Enrollment ID": "WE1", "Property Address": "2351 LARKSPUR MEADOW LN", "Lot": "10", "Block": "3",
         "Subdivision": "CYPRESS CREEK RANCH SEC 7", "City": "CYPRESS", "State": "TX", "ZIP": "77433"},
        {"Enrollment ID": "WE2", "Property Address": "2351 LARKSPUR MEADOW LN", "Lot": "", "Block": "3",
         "Subdivision": "CYPRESS CREEK RANCH SEC 7", "City": "CYPRESS", "State": "TX", "ZIP": "77433"},
        {"Enrollment ID": "WE3", "Property Address": "TBD OAK BEND DR", "Lot": "5", "Block": "2",
         "Subdivision": "WILLOW BEND SEC 2", "City": "KATY", "State": "TX", "ZIP": "77493"},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"home_id": "H1", "address": "Homesite 10, Cypress, TX 77433", "community_name": "Cypress Creek Ranch"},
        {"home_id": "H2", "address": "2351 Larkspur Meadow Ln, Cypress, TX 77433",
         "community_name": "Cypress Creek Ranch"},
        {"home_id": "H3", "address": "Homesite 5, Katy, TX 77493", "community_name": "Willow Bend"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(enrollments), "--entity", "property", "--against", str(homes), "--out",
                 str(out)]) == 0  # fmt: skip
    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["WE2"]["right_id"], rows["WE2"]["decision"]) == ("H2", "match")
    assert (rows["WE1"]["right_id"], rows["WE1"]["decision"]) == ("H1", "review")
    assert rows["WE1"]["explanation"].endswith("held back: ambiguous_with H2")
    # A homesite with no listing at the row's address is its lot, as before.
    assert (rows["WE3"]["right_id"], rows["WE3"]["decision"]) == ("H3", "match")


def test_an_inspection_station_s_name_before_its_owner_s(tmp_path: Path) -> None:
    # A state's station list gives the station's name and its owner's: read by its owner's ("RODRIGUEZ, MARIA"),
    # the station's name only where the owner's was blank, it matched less than half a directory's shops.
    stations = _write(tmp_path / "stations.csv", [
        {"STATION_NUMBER": "107569", "STATION_NAME": "CENTRAL TEXAS AUTO & TIRE", "OWNER_NAME": "RODRIGUEZ, MARIA",
         "ADDRESS": "7182 WILLIAM CANNON DR STE A", "CITY": "AUSTIN", "ZIP": "78749", "PHONE": "5124342805"},
    ])  # fmt: skip
    shops = _write(tmp_path / "shops.csv", [
        {"listing_id": "L1", "shop_name": "Central Texas Auto & Tire", "address": "7182 William Cannon Dr Ste A",
         "city": "Austin", "phone": "(512) 434-2805"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(stations), "--entity", "builder", "--against", str(shops), "--out", str(out)]) == 0
    row = _read(out)[0]
    assert (row["right_id"], row["decision"]) == ("L1", "match") and "name=exact" in row["explanation"]


def test_a_replat_s_section_from_its_own_column_is_kept(tmp_path: Path) -> None:
    # A county's plat list names a replat by the subdivision and the revision, its section in a column: written after
    # the revision, the section was dropped with it, and section 9's amending plat matched section 8's replat.
    plats = _write(tmp_path / "plats.csv", [
        {"record_id": "A", "name": "CYPRESS CREEK RANCH AMENDING PLAT", "section": "9", "county": "HARRIS"},
        {"record_id": "B", "name": "CYPRESS CREEK RANCH PARTIAL REPLAT NO 1", "section": "8", "county": "HARRIS"},
        {"record_id": "C", "name": "CYPRESS CREEK RANCH", "section": "9", "county": "HARRIS"},
        {"record_id": "D", "name": "CYPRESS CREEK RANCH SEC 8 PARTIAL REPLAT NO 1", "section": "", "county": "HARRIS"},
    ])  # fmt: skip
    out = tmp_path / "clusters.csv"
    assert main(["match-csv", str(plats), "--entity", "community", "--out", str(out)]) == 0
    cluster = {r["left_id"]: r["cluster_id"] for r in _read(out)}
    assert cluster["A"] == cluster["C"] != cluster["B"] == cluster["D"]


def test_a_replat_s_own_number_is_no_section_its_column_gives(tmp_path: Path) -> None:
    # "MAPLE RIDGE REPLAT NO 1" of section 1: the name ending with the column's number was read as naming the section
    # already, the replat's number dropped with it, and the row was the subdivision's with no section (`plat`, held).
    plats = _write(tmp_path / "plats.csv", [
        {"record_id": "A", "name": "MAPLE RIDGE REPLAT NO 1", "section": "SEC 1", "city": "ROSENBERG"},
        {"record_id": "B", "name": "MAPLE RIDGE SEC 1", "section": "", "city": "ROSENBERG"},
    ])  # fmt: skip
    out = tmp_path / "clusters.csv"
    assert main(["match-csv", str(plats), "--entity", "community", "--out", str(out)]) == 0
    row = next(r for r in _read(out) if r["left_id"] == "A")
    assert row["right_id"] == "B" and row["decision"] == "match" and "name=exact" in row["explanation"]


def test_a_homesite_beside_lots_of_its_number_in_two_sections_waits_for_review(tmp_path: Path) -> None:
    # A builder's feed gives "Homesite 14" in its community, no section; the appraisal district's roll has lot 14 of
    # block 1 in section 1 and in section 2. It was matched to section 1's on its lot alone.
    feed = _write(tmp_path / "feed.csv", [
        {"Home ID": "X1", "Community": "Heron Ridge", "Address": "Homesite 14", "Zip": "77406"},
    ])  # fmt: skip
    roll = _write(tmp_path / "roll.csv", [
        {"PROP_ID": f"R{section}", "SITUS": "", "LEGAL_DESC": f"LOT 14 BLK 1 HERON RIDGE SEC {section}",
         "SITUS_ZIP": "77406"}
        for section in (1, 2)
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(feed), "--entity", "property", "--against", str(roll), "--out", str(out)]) == 0
    row = _read(out)[0]
    other = ({"R1", "R2"} - {row["right_id"]}).pop()  # the lot of the other section, named beside it
    assert row["decision"] == "review" and row["explanation"].endswith(
        f"held back: block_unconfirmed, tied_with {other}"
    )


def test_a_homesite_s_lot_in_two_sections_is_unconfirmed_whichever_record_is_asked_about(tmp_path: Path) -> None:
    # The feed names its community "The Reserve at Heron Ridge", the roll the plat "HERON RIDGE SEC 1" and "SEC 2":
    # the lot's places were looked up under the first record's name of its subdivision only, so the hold depended on
    # which of the two was scored against which.
    feed = _write(tmp_path / "feed.csv", [
        {"Home ID": "X1", "Community": "The Reserve at Heron Ridge", "Address": "Homesite 14", "Zip": "77406"},
    ])  # fmt: skip
    roll = _write(tmp_path / "roll.csv", [
        {"PROP_ID": f"R{section}", "LEGAL_DESC": f"LOT 14 BLK 1 HERON RIDGE SEC {section}", "SITUS_ZIP": "77406"}
        for section in (1, 2)
    ])  # fmt: skip
    (homesite,), (lot, _other) = read_file(feed, "property").records, read_file(roll, "property").records
    frequencies = TermFrequencies.of([lot, _other], queries=[homesite])
    assert block_unconfirmed(homesite, lot, frequencies) and block_unconfirmed(lot, homesite, frequencies)


def test_a_lot_written_without_its_section_beside_the_same_lot_with_it_is_one_place(tmp_path: Path) -> None:
    # Deduplicating MLS and builder feeds: the MLS's legal description gives "LT 2 BLK 1 MAR BELLA SEC 3", the
    # builder's row lot 2 of block 1 and no section. Counted as two places of lot 2, the one lot held the pair for
    # review; a second section's lot 2 still does.
    def listings(*sections: str) -> Path:
        return _write(tmp_path / "listings.csv", [
            {"record_id": "B1", "title": "Napa - Homesite 2", "address": "", "city": "League City", "zip": "77573",
             "subdivision": "Mar Bella", "legal_description": "", "lot": "2", "block": "1"},
            *({"record_id": f"M{section}", "title": "", "address": f"20{section}4 Harbor Mist Dr",
               "city": "League City", "zip": "77573", "subdivision": "Mar Bella",
               "legal_description": f"LT 2 BLK 1 MAR BELLA SEC {section}", "lot": "", "block": ""}
              for section in sections),
        ])  # fmt: skip

    out = tmp_path / "clusters.csv"
    assert main(["match-csv", str(listings("3")), "--entity", "property", "--out", str(out)]) == 0
    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["B1"]["right_id"], rows["B1"]["decision"]) == ("M3", "match"), rows["B1"]["explanation"]
    assert main(["match-csv", str(listings("3", "4")), "--entity", "property", "--out", str(out)]) == 0
    rows = {r["left_id"]: r for r in _read(out)}
    assert rows["B1"]["decision"] == "review" and "block_unconfirmed" in rows["B1"]["explanation"]


def test_a_homesite_on_its_plat_s_lot_under_the_builder_s_marketing_town(tmp_path: Path) -> None:
    # A builder sells Cross Creek Ranch (Fulshear 77441) as "Katy 77494". Its row gives the lot and block and no
    # street; the MLS's legal description names the plat and the lot. The two ZIPs were counted against the lot
    # (-9.9 bits): the batch read the lot as the home's place after it had looked at the ZIPs.
    listings = _write(tmp_path / "listings.csv", [
        {"record_id": "B1", "title": "Bellflower - Homesite 13", "address": "", "city": "Katy", "state": "TX",
         "zip": "77494", "subdivision": "Cross Creek Ranch", "legal_description": "", "lot": "13", "block": "2"},
        {"record_id": "M1", "title": "", "address": "2300 Pecan Run Dr", "city": "Fulshear", "state": "TX",
         "zip": "77441", "subdivision": "Cross Creek Ranch",
         "legal_description": "LT 13 BLK 2 CROSS CREEK RANCH SEC 12", "lot": "", "block": ""},
    ])  # fmt: skip
    out = tmp_path / "clusters.csv"
    assert main(["match-csv", str(listings), "--entity", "property", "--out", str(out)]) == 0
    rows = {r["left_id"]: r for r in _read(out)}
    assert rows["B1"]["right_id"] == "M1" and rows["B1"]["decision"] in ("match", "review"), rows["B1"]["explanation"]
    assert "postal_code" not in rows["B1"]["explanation"]
    builder, mls = read_file(listings, "property").records
    assert score_pair(builder, mls, link_threshold=0.9).levels["postal_code"] is None  # the scalar path agrees


def test_a_lapsed_licence_is_held_beside_the_licence_in_force_at_its_own_address(tmp_path: Path) -> None:
    # A bar sold: the old owner's surrendered licence and the new owner's, one trade name at one address. The held
    # link named as the licence in force a bar down the street sharing one word of the name.
    licences = _write(tmp_path / "licences.csv", [
        {"LICENSE_ID": "MB1", "LICENSE_STATUS": "SURRENDERED", "LICENSEE_NAME": "ELLISON CONCEPTS INC",
         "DBA_NAME": "JOLLY WHEEL PUB", "PREMISES_ADDRESS": "601 E CESAR CHAVEZ ST", "PREMISES_CITY": "AUSTIN",
         "PREMISES_ZIP": "78702-1747", "PHONE": "5124590567"},
        {"LICENSE_ID": "MB2", "LICENSE_STATUS": "ACTIVE", "LICENSEE_NAME": "HOLLIS PARTNERS LP",
         "DBA_NAME": "SILVER WHEEL TAPROOM", "PREMISES_ADDRESS": "2461 E CESAR CHAVEZ ST", "PREMISES_CITY": "AUSTIN",
         "PREMISES_ZIP": "78702-6710", "PHONE": "5129218799"},
        {"LICENSE_ID": "MB3", "LICENSE_STATUS": "ACTIVE", "LICENSEE_NAME": "LANDRY RESTAURANT GROUP LLC",
         "DBA_NAME": "JOLLY WHEEL PUB", "PREMISES_ADDRESS": "601 E CESAR CHAVEZ ST", "PREMISES_CITY": "AUSTIN",
         "PREMISES_ZIP": "78702", "PHONE": "5124590567"},
    ])  # fmt: skip
    guide = _write(tmp_path / "guide.csv", [
        {"guide_id": "G1", "Venue Name": "Jolly Wheel Pub", "Street Address": "601 E Cesar Chavez St",
         "City": "Austin", "ZIP": "78702", "Phone": "", "Category": "Pub"},
        {"guide_id": "G2", "Venue Name": "Silver Wheel Taproom", "Street Address": "736 Colorado St.",
         "City": "Austin", "ZIP": "78701", "Phone": "(512) 921-8799", "Category": "Brewpub"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(guide), "--out", str(out),
                 "--many"]) == 0  # fmt: skip
    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["MB3"]["right_id"], rows["MB3"]["decision"]) == ("G1", "match")
    assert rows["MB1"]["decision"] == "review"
    assert rows["MB1"]["explanation"].endswith("held back: in_force_beside MB3"), rows["MB1"]["explanation"]


def test_a_section_is_offered_its_own_builder_s_page_before_another_builder_s(tmp_path: Path) -> None:
    # A utility's register of plats names each section's builder; a master plan's builders each have a page of its
    # name. The page writing the register's town and ZIP ranked first although its builder is another: held for
    # review as builders_differ, Perry's own page third.
    register = _write(tmp_path / "register.csv", [
        {"SUBDIV_ID": "WS-1", "SUBDIVISION_NAME": "FALCON PRAIRIE SEC 10", "DEVELOPER_NAME":
         "FALCON PRAIRIE DEVELOPMENT LTD", "BUILDER_NAME": "PERRY HOMES LLC", "COUNTY": "FORT BEND",
         "SERVICE_ZIP": "77441"},
    ])  # fmt: skip
    pages = _write(tmp_path / "pages.csv", [
        {"community_id": "C1", "community_name": "Falcon Prairie", "builder": "Coventry Homes",
         "sales_office_address": "5750 Falcon Prairie Pkwy", "city": "Fulshear", "zip": "77441"},
        {"community_id": "C2", "community_name": "Falcon Prairie", "builder": "Taylor Morrison",
         "sales_office_address": "11330 Falcon Bend Trl", "city": "Katy", "zip": ""},
        {"community_id": "C3", "community_name": "Falcon Prairie 55ft", "builder": "Perry Homes",
         "sales_office_address": "19756 Prairie Meadow Dr", "city": "Fulshear", "zip": "77441"},
    ])  # fmt: skip
    for many in ([], ["--many"]):
        out = tmp_path / "pairs.csv"
        assert main(["match-csv", str(register), "--entity", "community", "--against", str(pages), "--out", str(out),
                     "--column", "id=SUBDIV_ID", "--column", "id=community_id", *many]) == 0  # fmt: skip
        (row,) = _read(out)
        assert (row["right_id"], row["decision"]) == ("C3", "review"), (many, row["explanation"])


def test_a_section_is_offered_its_builder_s_page_before_its_master_plan_s(tmp_path: Path) -> None:
    # The master plan's page lists its builders and writes the register's ZIP; the section's builder has a page of
    # its own, its sales office in the next ZIP. The master plan's page ranked first.
    register = _write(tmp_path / "register.csv", [
        {"SUBDIV_ID": "WS-1", "SUBDIVISION_NAME": "ROSALIND PK", "SECTION": "6", "DEVELOPER_NAME": "ROSALIND PARK LP",
         "BUILDER_NAME": "TRI POINTE HOMES TEXAS, INC.", "COUNTY": "FT BEND", "SERVICE_ZIP": "77441"},
    ])  # fmt: skip
    pages = _write(tmp_path / "pages.csv", [
        {"community_id": "C1", "community_name": "Rosalind Park - Master Planned Community",
         "builder": "Perry Homes / Tri Pointe Homes / Westin Homes", "sales_office_address": "8814 Rosalind Park Blvd",
         "city": "Fulshear", "zip": "77441"},
        {"community_id": "C2", "community_name": "Rosalind Park by Tri Pointe Homes", "builder": "Tri Pointe Homes",
         "sales_office_address": "22366 Park Glen Ln", "city": "Katy", "zip": "77494"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(register), "--entity", "community", "--against", str(pages), "--out", str(out),
                 "--column", "id=SUBDIV_ID", "--column", "id=community_id"]) == 0  # fmt: skip
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("C2", "review"), row["explanation"]


def test_a_house_number_with_two_digits_swapped_where_the_row_gives_no_zip(tmp_path: Path) -> None:
    # A permit without its ZIP names the town; the listing gives both. Looked for only at the row's ZIP, the swapped
    # number was never found.
    permits = _write(tmp_path / "permits.csv", [
        {"id": "P1", "address": "357 KESTREL BEND DR", "city": "GEORGETOWN", "zip": ""},
        {"id": "P2", "address": "412 KESTREL BEND DR", "city": "LIBERTY HILL", "zip": ""},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"id": "H1", "address": "375 Kestrel Bend Dr", "city": "Georgetown", "zip": "78628"},
        {"id": "H2", "address": "421 Kestrel Bend Dr", "city": "Georgetown", "zip": "78628"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(permits), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 0
    rows = _read(out)
    decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in rows}
    assert decided["P1"][:2] == ("H1", "review") and decided["P1"][2].endswith("held back: number_transposed H1")
    assert decided["P2"][1] == "new"  # another town's street
    # A home has no name: what placed it is its address, however written ("name_fuzzy" told a reviewer otherwise).
    assert [r["method"] for r in rows if r["right_id"]] == ["address_match"]


def test_with_many_rows_typing_a_homes_number_swapped_are_all_offered_it(tmp_path: Path) -> None:
    # An open-house schedule's Saturday and Sunday rows of one home, both typing its number with two digits swapped:
    # the first took the home for review and the second, "no other row linked to it", was written new. So was a
    # homeowner's second warranty request typing the number swapped, its first typing it right.
    schedule = _write(tmp_path / "schedule.csv", [
        {"id": "E1", "address": "3590 Creekside Bluff Ln", "city": "Magnolia", "zip": "77354"},
        {"id": "E2", "address": "3590 Creekside Bluff Ln", "city": "Magnolia", "zip": ""},
        {"id": "E3", "address": "4812 Heron Landing Ct", "city": "Houston", "zip": "77055"},
        {"id": "E4", "address": "4821 Heron Landing Ct", "city": "Houston", "zip": "77055"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"id": "H1", "address": "3509 Creekside Bluff Ln", "city": "Magnolia", "zip": "77354"},
        {"id": "H2", "address": "4812 Heron Landing Ct", "city": "Houston", "zip": "77055"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(schedule), "--entity", "property", "--against", str(listings), "--out", str(out),
                 "--many"]) == 0  # fmt: skip
    decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in _read(out)}
    for row in ("E1", "E2"):
        assert decided[row][:2] == ("H1", "review") and decided[row][2].endswith("held back: number_transposed H1")
    assert decided["E3"][:2] == ("H2", "match")
    assert decided["E4"][:2] == ("H2", "review") and decided["E4"][2].endswith("held back: number_transposed H2")


def test_a_house_number_with_two_digits_swapped_in_the_town_both_write_under_two_zips(tmp_path: Path) -> None:
    # A homeowner's warranty claim writes the ledger's town with the town's other ZIP: looked for only at the claim's
    # ZIP, or in its town where one side gave none, the swapped number was never found.
    claims = _write(tmp_path / "claims.csv", [
        {"id": "W1", "address": "18318 Lakeland Heights Dr", "city": "Cypress", "zip": "77429"},
        {"id": "W2", "address": "9463 Harvest Moon Ln", "city": "Katy", "zip": "77494"},
    ])  # fmt: skip
    ledger = _write(tmp_path / "ledger.csv", [
        {"id": "H1", "address": "18138 Lakeland Heights Dr", "city": "Cypress", "zip": "77433"},
        {"id": "H2", "address": "9436 Harvest Moon Ln", "city": "Richmond", "zip": "77406"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(claims), "--entity", "property", "--against", str(ledger), "--out", str(out)]) == 0
    decided = {r["left_id"]: (r["right_id"], r["decision"], r["explanation"]) for r in _read(out)}
    assert decided["W1"][:2] == ("H1", "review") and decided["W1"][2].endswith("held back: number_transposed H1")
    assert decided["W2"][1] == "new"  # another town's street


def test_a_zip_mistyped_beside_a_neighbouring_town_in_one_subdivision(tmp_path: Path) -> None:
    # The MLS agent wrote the neighbouring town and mistyped the ZIP: one street address in one subdivision both name,
    # counted -9.9 bits and written new.
    closings = _write(tmp_path / "closings.csv", [
        {"Job #": "J1", "Community": "Heron Ridge", "Section": "2", "Lot": "5", "Block": "2",
         "Address": "27320 EGRET BAY LN", "City": "KATY", "ST": "TX", "Zip": "77494"},
    ])  # fmt: skip
    sold = _write(tmp_path / "sold.csv", [
        {"MLS #": "M1", "UnparsedAddress": "27320 Egret Bay Ln", "City": "Fulshear", "StateOrProvince": "TX",
         "PostalCode": "77497", "SubdivisionName": "Heron Ridge Sec 2"},
        {"MLS #": "M2", "UnparsedAddress": "27320 Egret Bay Ln", "City": "Sugar Land", "StateOrProvince": "TX",
         "PostalCode": "77479", "SubdivisionName": "Telfair"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(closings), "--entity", "property", "--against", str(sold), "--out", str(out)]) == 0
    (row,) = _read(out)
    assert row["right_id"] == "M1" and row["decision"] in ("match", "review"), row["explanation"]


def test_between_candidates_of_one_weight_the_nearer_division_comes_first(tmp_path: Path) -> None:
    # A council's Waco division row against a state roster listing the builder's Houston division first and its Waco
    # one second, both ZIPs other than the row's: at one weight, the first listed was offered.
    council = _write(tmp_path / "council.csv", [
        {"id": "RBC-1", "name": "Stonecrest Communities Waco", "city": "Waco", "state": "TX", "zip": "76710"},
    ])  # fmt: skip
    roster = _write(tmp_path / "roster.csv", [
        {"id": "S-HOU", "name": "Stonecrest Communities", "city": "Houston", "state": "TX", "zip": "77057"},
        {"id": "S-WACO", "name": "Stonecrest Communities", "city": "Hewitt", "state": "TX", "zip": "76643"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(council), "--entity", "builder", "--against", str(roster), "--out", str(out),
                 "--many"]) == 0  # fmt: skip
    (row,) = _read(out)
    assert row["right_id"] == "S-WACO", row["explanation"]


def test_a_station_named_by_its_brand_and_its_store_is_no_tenant_of_the_store(tmp_path: Path) -> None:
    # A fuel app lists the station by its brand column beside its store's name, "Corner Market 2": read as "Phillips
    # 66" in a market hall named "Corner Market 2", the register's "CORNER MARKET 2" at its address was held.
    register = _write(tmp_path / "register.csv", [
        {"LICENSE_NO": "WM1", "OWNER_NAME": "PATEL GROUP LLC", "STATION_NAME": "CORNER MARKET 2",
         "SITE_ADDRESS": "479 N BEACH ST", "SITE_CITY": "FORT WORTH", "SITE_ZIP": "76137"},
    ])  # fmt: skip
    app = _write(tmp_path / "app.csv", [
        {"station_id": "GB1", "brand": "Phillips 66", "name": "Corner Market 2", "address": "479 N Beach St",
         "city": "Fort Worth", "state": "TX", "zip": "76137", "category": "Gas Station"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(register), "--entity", "builder", "--against", str(app), "--out", str(out)]) == 0
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("GB1", "match"), row["explanation"]


def test_a_home_in_an_unincorporated_area_placed_by_its_town_s_zip(tmp_path: Path) -> None:
    # The county's address point names no town ("UNINCORPORATED") and gives the ZIP; the builder's feed gives the
    # postal town, Cypress, and no ZIP: held location_unconfirmed, though Cypress is 77433's town.
    feed = _write(tmp_path / "feed.csv", [
        {"Job #": "J1", "Address": "20415 Larkspur Meadow Ln", "City": "Cypress", "State": "TX", "Zip": ""},
    ])  # fmt: skip
    points = _write(tmp_path / "points.csv", [
        {"ADDRESS_ID": "P1", "FULL_ADDRESS": "20415 LARKSPUR MEADOW LN", "CITY": "UNINCORPORATED", "STATE": "TX",
         "ZIP": "77433", "ADDR_STATUS": "ACTIVE"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(feed), "--entity", "property", "--against", str(points), "--out", str(out)]) == 0
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("P1", "match"), row["explanation"]


def test_a_chain_s_store_by_its_legal_name_and_number_beside_its_locator_s(tmp_path: Path) -> None:
    # A permit list names the store by the chain's legal name and its number; the locator by the town and the same
    # number. Sharing one word at one address, the pair was held (names_share_a_word).
    permits = _write(tmp_path / "permits.csv", [
        {"PERMIT": "P1", "OUTLET_NAME": "LOWES HOME CENTERS LLC #2234", "OUTLET_ADDRESS": "19935 KATY FWY",
         "CITY": "KATY", "ZIP": "77450"},
    ])  # fmt: skip
    locator = _write(tmp_path / "locator.csv", [
        {"dealer_id": "L1", "dealer_name": "Lowe's of Katy", "store_number": "2234", "address": "19935 Katy Fwy",
         "city": "Katy", "zip": "77450"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(permits), "--entity", "builder", "--against", str(locator), "--out", str(out),
                 "--column", "name=OUTLET_NAME", "--column", "address=OUTLET_ADDRESS"]) == 0  # fmt: skip
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("L1", "match"), row["explanation"]


def test_a_record_bearing_the_rows_very_name_beside_its_sister_brand_is_no_listing_again(tmp_path: Path) -> None:
    # A brokerage's own page, "Walzel Properties", against the commission's licences: its sister brand at its office
    # shares its line and a name containing the page's; the licence bearing the page's very name gives no line. The
    # two licences agree with each other on their building and a name contained in the other, yet the row names the
    # second: two records fit it, and a reviewer chooses.
    page = _write(tmp_path / "page.csv", [
        {"Office ID": "LOC-1", "Office Name": "Walzel Properties", "Address": "16068 Lovers Ln", "City": "Houston",
         "State": "TX", "Zip": "77019", "Phone": "(713) 312-4219"},
    ])  # fmt: skip
    licences = _write(tmp_path / "licences.csv", [
        {"License #": "3803054", "License Name": "WALZEL COMMERCIAL PROPERTIES LLC", "Address": "16068 LOVERS LN",
         "Suite": "STE B", "City": "HOUSTON", "State": "TX", "Zip": "77019", "Phone": "713-312-4219"},
        {"License #": "6955276", "License Name": "WALZEL PROPERTIES LLC", "Address": "16068 LOVERS LN", "Suite": "",
         "City": "HOUSTON", "State": "TX", "Zip": "77019-1422", "Phone": ""},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(page), "--entity", "builder", "--against", str(licences), "--many", "--top", "2",
                 "--out", str(out)]) == 0  # fmt: skip
    best, second = _read(out)
    assert (best["right_id"], best["decision"]) == ("3803054", "review")
    assert best["explanation"].endswith("held back: ambiguous_with 6955276")
    assert (second["right_id"], second["decision"]) == ("6955276", "review")


def test_a_listing_under_the_new_operators_brand_goes_to_the_account_in_force_for_review(tmp_path: Path) -> None:
    # A hotel reflagged: the city's closed account still gives the old flag's name and the line the listing kept; the
    # account in force names the new brand, with the new operator's line. Both are held for review; the listing naming
    # the new brand is offered to the account in force, not to the closed one of another name.
    site = {"Location Address": "1220 N Interstate 35", "City": "Austin", "Zip": "78701"}
    accounts = _write(tmp_path / "accounts.csv", [
        {"id": "OLD", "Property Name": "LA QUINTA INN AUSTIN DWTN", "Status": "INACTIVE",
         "Phone": "512-476-1166", **site},
        {"id": "NEW", "Property Name": "BAYMONT INN & SUITES AUSTIN", "Status": "ACTIVE",
         "Phone": "512-555-0199", **site},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"id": "H1", "Hotel Name": "Baymont by Wyndham Austin-Downtown", "Address": "1220 N IH-35",
         "City": "Austin", "Zip": "78701", "Phone": "(512) 476-1166"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(accounts), "--entity", "builder", "--against", str(listings), "--out", str(out)]) == 0

    decided = {r["left_id"]: (r["right_id"], r["decision"]) for r in _read(out)}
    assert decided["NEW"] == ("H1", "review")
    assert decided["OLD"] == ("", "new")


def test_a_chain_s_closed_store_under_another_number_takes_no_listing_from_the_store_in_force(tmp_path: Path) -> None:
    # A pharmacy chain moved a store down its road: the board's closed licence at the old premises kept the line the
    # locator still gives; the licence in force is at the listing's address under the listing's store number. The
    # chain's name on every row is worth little, the line much: both pairs fall below the link threshold.
    others = [(f"0{7300 + i}", f"{1000 + 100 * i} WESTHEIMER RD", f"71355502{10 + i}") for i in range(8)]
    licences = _write(tmp_path / "licences.csv", [
        {"LIC_NO": "23445", "DBA": "CVS PHARMACY #06698", "STORE_NBR": "06698", "STATUS": "CLOSED",
         "ADDRESS": "3386 MEMORIAL DR", "CITY": "HOUSTON", "ZIP": "77055", "PHONE": "8329569534"},
        {"LIC_NO": "23458", "DBA": "CVS PHARMACY #07255", "STORE_NBR": "07255", "STATUS": "ACTIVE",
         "ADDRESS": "14709 MEMORIAL DR", "CITY": "HOUSTON", "ZIP": "77055", "PHONE": "7132563147"},
        *({"LIC_NO": f"3{n}", "DBA": f"CVS PHARMACY #{n}", "STORE_NBR": n, "STATUS": "ACTIVE", "ADDRESS": street,
           "CITY": "HOUSTON", "ZIP": "77006", "PHONE": phone} for n, street, phone in others),
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"id": "LOC-1", "name": "CVS Pharmacy #7255", "address": "14709 Memorial Dr", "city": "Houston",
         "zip": "77055", "phone": "(832) 956-9534"},
        *({"id": f"LOC-{n}", "name": f"CVS Pharmacy #{int(n)}", "address": street.title(), "city": "Houston",
           "zip": "77006", "phone": phone} for n, street, phone in others),
        # the locator's independent pharmacies, each its own name
        *({"id": f"IND-{i}", "name": f"{word} {kind}", "address": f"{200 + i} Main St", "city": "Houston",
           "zip": "77002", "phone": f"71355503{i:02d}"}
          for i, (word, kind) in enumerate((w, k) for w in ("Oak", "Elm", "Pecan", "Cedar", "Bayou", "River", "Prairie",
                                                              "Heights", "Garden", "Lakeside", "Meadow", "Summit",
                                                              "Willow", "Cypress", "Magnolia", "Live Oak", "Bluebonnet",
                                                              "Laurel", "Aspen", "Harbor")
                                           for k in ("Drug", "Apothecary", "Pharmacy"))),
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(listings), "--out", str(out)]) == 0

    rows = {r["left_id"]: r for r in _read(out)}
    assert rows["23458"]["right_id"] == "LOC-1" and rows["23458"]["decision"] in ("match", "review")
    assert rows["23445"]["decision"] == "new"


def test_a_homes_lot_agreeing_beside_its_street_address_ranks_first_among_parcels_at_that_address(
    tmp_path: Path,
) -> None:
    # An appraisal roll gives an association's reserve the situs of the lot beside it; the builder's feed gives the
    # home's street address and its lot. Both parcels weigh alike on the street address (the reserve writes the town
    # the lot's row leaves blank): the lot the feed gives says which parcel the home is.
    roll = _write(tmp_path / "roll.csv", [
        {"prop_id": "490000", "situs_num": "4856", "situs_street": "LARKSPUR MEADOW", "situs_street_sufix": "LN",
         "situs_city": "FULSHEAR", "situs_zip": "77441",
         "legal_desc": "LARKSPUR MEADOW SEC 1, BLOCK 1, RESTRICTED RESERVE A (LANDSCAPE/OPEN SPACE)"},
        {"prop_id": "484520", "situs_num": "4856", "situs_street": "LARKSPUR MEADOW", "situs_street_sufix": "LN",
         "situs_city": "", "situs_zip": "77441", "legal_desc": "LARKSPUR MEADOW SEC 1, BLOCK 1, LOT 15"},
    ])  # fmt: skip
    feed = _write(tmp_path / "feed.csv", [
        {"SpecID": "WV-3323", "Community": "Larkspur Meadow", "SpecStreet1": "4856 Larkspur Meadow Ln",
         "SpecCity": "Fulshear", "SpecState": "TX", "SpecZIP": "77441", "SpecLot": "15"},
    ])  # fmt: skip
    for many in ([], ["--many"]):
        out = tmp_path / "pairs.csv"
        arguments = ["match-csv", str(feed), "--entity", "property", "--against", str(roll), "--out", str(out)]
        assert main(arguments + many) == 0
        (row,) = _read(out)
        assert row["right_id"] == "484520", (many, row["explanation"])


def test_a_street_address_named_in_parts_is_read_before_a_line_read_by_its_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An exemption roll gives each parcel's situs in parts and the owner's mailing lines: a church's sanctuary and its
    # parsonage share the church office's mailing line. Named with --column, the situs is each parcel's street
    # address; the mailing line read by its words made the parsonage the sanctuary's twin.
    roll = _write(tmp_path / "roll.csv", [
        {"prop_id": "7701", "owner_name": "SUGAR LAND BIBLE CHURCH INC", "situs_num": "222", "situs_street": "AUSTIN",
         "situs_street_sufix": "PKWY", "situs_zip": "77478", "addr_line1": "222 AUSTIN PKWY", "addr_city": "SUGAR LAND",
         "addr_zip": "77478"},
        {"prop_id": "7702", "owner_name": "SUGAR LAND BIBLE CHURCH INC", "situs_num": "310", "situs_street": "ELDRIDGE",
         "situs_street_sufix": "RD", "situs_zip": "77478", "addr_line1": "222 AUSTIN PKWY", "addr_city": "SUGAR LAND",
         "addr_zip": "77478"},
    ])  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [
        {"listing_id": "CF-1", "Church Name": "Sugar Land Bible Church", "Address": "310 Eldridge Rd",
         "City": "Sugar Land", "Zip": "77478"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    parts = ["street_number=situs_num", "street_name=situs_street", "street_suffix=situs_street_sufix",
             "postal_code=situs_zip"]  # fmt: skip

    arguments = ["match-csv", str(directory), "--entity", "builder", "--against", str(roll), "--out", str(out)]
    assert main(arguments + [a for part in parts for a in ("--column", part)]) == 0

    assert "address <- 'addr_line1'" not in capsys.readouterr().err
    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("7702", "match"), row["explanation"]


def test_a_listing_goes_to_the_licence_bearing_its_name_before_the_sister_licence_its_owner_names(
    tmp_path: Path,
) -> None:
    # A funeral board licenses the home (its licensee a person) and its crematory (its licensee the home's company,
    # whose name is the directory's) at one address and line: both link the listing by name, one as its own, the
    # other through its licensee; the crematory took it.
    licences = _write(tmp_path / "licences.csv", [
        {"LICENSE_NO": "CR.000109", "NAME": "ZINK FUNERAL HOME CREMATORY", "LICENSEE": "ZINK FUNERAL HOME INC",
         "ADDRESS": "2242 HAMILTON RD", "CITY": "MARYSVILLE", "ZIP": "43040", "PHONE": "937-515-4989"},
        {"LICENSE_NO": "FH.001021", "NAME": "ZINK FUNERAL HOME", "LICENSEE": "ZINK, MARY J",
         "ADDRESS": "2242 HAMILTON RD", "CITY": "MARYSVILLE", "ZIP": "43040", "PHONE": "937-515-4989"},
    ])  # fmt: skip
    directory = _write(tmp_path / "directory.csv", [
        {"id": "OBD-1", "name": "Zink Funeral Home", "address": "2242 Hamilton Rd", "city": "Marysville",
         "zip": "43040", "phone": "(937) 515-4989"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert (
        main(["match-csv", str(directory), "--entity", "builder", "--against", str(licences), "--out", str(out)]) == 0
    )

    (row,) = _read(out)
    assert row["right_id"] == "FH.001021", row["explanation"]


def test_a_permits_status_is_the_documents_not_the_homes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A city's permits of one home: its building permit expired at its very address, its electrical permit finaled
    # under the street's wrong type. Read as an ended listing, the expired permit gave the builder's home to the held
    # one, one-to-one.
    permits = _write(tmp_path / "permits.csv", [
        {"PERMIT_NO": "BLD-1", "SITE_ADDR": "2128 HERON RIDGE DR", "SITE_CITY": "LEAGUE CITY", "SITE_ZIP": "77573",
         "PERMIT_STATUS": "EXPIRED"},
        {"PERMIT_NO": "ELE-1", "SITE_ADDR": "2128 HERON RIDGE CT", "SITE_CITY": "LEAGUE CITY", "SITE_ZIP": "77573",
         "PERMIT_STATUS": "FINALED"},
    ])  # fmt: skip
    sales = _write(tmp_path / "sales.csv", [{"Job #": "HR-1024", "Address": "2128 Heron Ridge Dr",
                                             "City": "League City", "Zip": "77573"}])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(permits), "--entity", "property", "--against", str(sales), "--out", str(out)]) == 0

    assert "'PERMIT_STATUS'" in capsys.readouterr().err.split("not read:")[1]
    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["BLD-1"]["right_id"], rows["BLD-1"]["decision"]) == ("HR-1024", "match")


def test_a_registrys_filing_number_is_no_plats_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A state's association registry numbers each filing ("HOA-2017-92579"): its id, never a section of the plat
    # the association's community is ("Sage Meadows Section HOA-2017-92579" was no community's name).
    registry = _write(tmp_path / "registry.csv", [
        {"Filing Number": "HOA-2017-92579", "Association Name": "Sage Meadows HOA, Inc.", "County": "Brazoria"},
        {"Filing Number": "HOA-2012-03800", "Association Name": "Vista Grove Homeowners Association, Inc.",
         "County": "Fort Bend"},
    ])  # fmt: skip
    communities = _write(tmp_path / "communities.csv", [
        {"Community ID": "C1", "Community Name": "Sage Meadows", "City": "Alvin", "State": "TX", "Zip": "77511"},
        {"Community ID": "C2", "Community Name": "Vista Grove", "City": "Richmond", "State": "TX", "Zip": "77469"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(registry), "--entity", "community", "--against", str(communities), "--out", str(out)]

    assert main(argv) == 0
    assert "section <-" not in capsys.readouterr().err
    assert [(r["right_id"], r["explanation"].split()[1]) for r in _read(out)] == [
        ("C1", "name=exact(+10.0)"),
        ("C2", "name=exact(+10.0)"),
    ]
    # Named as the id, a filing number of section-like numbers is the id alone.
    numbered = _write(tmp_path / "numbered.csv", [
        {"Filing Number": "17", "Association Name": "Sage Meadows HOA, Inc.", "County": "Brazoria"},
        {"Filing Number": "18", "Association Name": "Vista Grove Homeowners Association, Inc.", "County": "Fort Bend"},
    ])  # fmt: skip
    argv[1] = str(numbered)
    assert main([*argv, "--column", "id=Filing Number"]) == 0
    assert "section <-" not in capsys.readouterr().err
    assert [(r["left_id"], r["right_id"]) for r in _read(out)] == [("17", "C1"), ("18", "C2")]


def test_a_development_reports_sections_reach_review_beside_their_community(tmp_path: Path) -> None:
    # A school district's demographer lists each section of a subdivision, abbreviated, its ZIP blank or the
    # neighbouring town's; the marketplace lists the community once. A section is a plat of the community's name:
    # which listing it is a reviewer says (a marketplace may list sections apart), so review, not new; a namesake's
    # section 300 km away stays new.
    report = _write(tmp_path / "report.csv", [
        {"Dev ID": "D1", "Development": "AUTUMN VLG SEC 03", "ZIP": ""},
        {"Dev ID": "D2", "Development": "AUTUMN VILLAGE PH 1", "ZIP": "77493"},
        {"Dev ID": "D3", "Development": "SPUR SPRINGS SECTION 1", "ZIP": "78660"},
    ])  # fmt: skip
    communities = _write(tmp_path / "communities.csv", [
        {"Community ID": "C1", "Community Name": "Autumn Village", "City": "Katy", "State": "TX", "Zip": "77494"},
        {"Community ID": "C2", "Community Name": "Spur Springs", "City": "Katy", "State": "TX", "Zip": "77494"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(report), "--entity", "community", "--against", str(communities), "--out", str(out),
                 "--many"]) == 0  # fmt: skip

    rows = {r["left_id"]: r for r in _read(out)}
    assert [(rows[i]["right_id"], rows[i]["decision"]) for i in ("D1", "D2")] == [("C1", "review"), ("C1", "review")]
    assert all("name=plat(" in rows[i]["explanation"] for i in ("D1", "D2"))
    assert rows["D3"]["decision"] == "new"


def test_a_house_number_typed_with_two_digits_swapped_is_offered_within_a_file(tmp_path: Path) -> None:
    # An MLS export: the builder's agent and a second agent list one home, one of them typing "450" for "405"; both
    # give its lot in its block. Two neighbours whose numbers are so alike give two lots.
    listings = _write(tmp_path / "mls.csv", [
        {"ListingId": "M1", "UnparsedAddress": "405 Pecan Mill Way", "City": "Richmond", "PostalCode": "77406",
         "LegalDescription": "LT 7 BLK 2 PECAN MILL SEC 1"},
        {"ListingId": "M2", "UnparsedAddress": "450 Pecan Mill Way", "City": "Richmond", "PostalCode": "77406",
         "LegalDescription": "LT 7 BLK 2 PECAN MILL SEC 1"},
        {"ListingId": "M3", "UnparsedAddress": "1204 Sable Ridge Ln", "City": "Richmond", "PostalCode": "77406",
         "LegalDescription": "LT 3 BLK 1 PECAN MILL SEC 1"},
        {"ListingId": "M4", "UnparsedAddress": "1240 Sable Ridge Ln", "City": "Richmond", "PostalCode": "77406",
         "LegalDescription": "LT 12 BLK 1 PECAN MILL SEC 1"},
    ])  # fmt: skip
    out = tmp_path / "dedup.csv"

    assert main(["match-csv", str(listings), "--entity", "property", "--out", str(out)]) == 0

    rows = {r["left_id"]: r for r in _read(out)}
    for row, other in (("M1", "M2"), ("M2", "M1")):
        assert (rows[row]["right_id"], rows[row]["decision"]) == (other, "review")
        assert rows[row]["explanation"].endswith(f"held back: number_transposed {other}")
    assert [rows[r]["decision"] for r in ("M3", "M4")] == ["new", "new"]
    assert len({rows[r]["cluster_id"] for r in rows}) == 4  # for review: no cluster joins them


def test_a_maps_place_named_for_its_builder_is_the_builders_community(tmp_path: Path) -> None:
    # A maps export names a sales center by its builder and its community; the builders' pages name the community and
    # give the builder in a column of their own. The builder's name is no village of the community, and says whose
    # page the place is.
    places = _write(tmp_path / "places.csv", [
        {"placeId": "P1", "title": "Pulte at Pecan Ridge", "street": "2100 Pecan Ridge Blvd", "city": "Katy",
         "postalCode": "77494"},
        {"placeId": "P2", "title": "Sunterra - LENNAR", "street": "3200 Sunterra Shores Dr", "city": "Katy",
         "postalCode": "77493"},
        # A word of a builder's name is no builder: "The Woods" is no offering of Ashton Woods'.
        {"placeId": "P3", "title": "The Woods at Avalon Village", "street": "3459 Woods Way", "city": "Georgetown",
         "postalCode": "78633"},
    ])  # fmt: skip
    pages = _write(tmp_path / "pages.csv", [
        {"Community ID": "C1", "Community Name": "Pecan Ridge", "Builder": "Perry Homes",
         "Sales Center Address": "2100 Pecan Ridge Blvd", "City": "Katy", "Zip": "77494"},
        {"Community ID": "C2", "Community Name": "Pecan Ridge", "Builder": "Pulte Homes",
         "Sales Center Address": "2100 Pecan Ridge Blvd", "City": "Katy", "Zip": "77494"},
        {"Community ID": "C3", "Community Name": "Sunterra", "Builder": "Lennar",
         "Sales Center Address": "3200 Sunterra Shores Dr", "City": "Katy", "Zip": "77493"},
        {"Community ID": "C4", "Community Name": "The Woods at Avalon Village", "Builder": "Westin Homes",
         "Sales Center Address": "3459 Woods Way", "City": "Georgetown", "Zip": "78633"},
        {"Community ID": "C5", "Community Name": "Avalon Village", "Builder": "Ashton Woods",
         "Sales Center Address": "100 Avalon Blvd", "City": "Georgetown", "Zip": "78633"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(places), "--entity", "community", "--against", str(pages), "--out", str(out)]) == 0

    rows = {r["left_id"]: r for r in _read(out)}
    assert [(rows[p]["right_id"], rows[p]["decision"]) for p in ("P1", "P2", "P3")] == [
        ("C2", "match"),
        ("C3", "match"),
        ("C4", "match"),
    ]
    assert all(rows[p]["explanation"].split()[1] == "name=exact(+10.0)" for p in ("P1", "P2", "P3"))


def test_an_appraisal_rolls_owner_state_and_a_feeds_spec_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An appraisal roll gives the home's situs and its owner's mailing place ("addr_city", "addr_state"); a builder's
    # spec feed gives the lot's block as "SpecBlock" beside its "SpecLot".
    roll = _write(tmp_path / "roll.csv", [
        {"prop_id": "R1", "situs_num": "30810", "situs_street": "SADDLE RIDGE", "situs_city": "FULSHEAR",
         "situs_zip": "77441", "addr_line1": "PO BOX 9", "addr_city": "DENVER", "addr_state": "CO", "addr_zip": "80202",
         "legal_desc": "LT 4 BLK 2 SADDLE RIDGE SEC 1"},
    ])  # fmt: skip
    feed = _write(tmp_path / "feed.csv", [
        {"SpecID": "S1", "SpecStreet1": "30810 Saddle Ridge Dr", "SpecCity": "Fulshear", "SpecZIP": "77441",
         "SpecLot": "4", "SpecBlock": "2", "Community": "Saddle Ridge"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(feed), "--entity", "property", "--against", str(roll), "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert "block <- 'SpecBlock'" in err and "state <-" not in err.split("roll.csv: ")[1].split("not read")[0]
    assert [(r["right_id"], r["decision"]) for r in _read(out)] == [("R1", "match")]


@pytest.mark.parametrize("many", [False, True])
def test_a_review_row_two_records_fit_at_one_weight_names_the_other(tmp_path: Path, many: bool) -> None:
    # A permit's "2128 Bluebonnet", no street type, beside a court's and a drive's listing at that number: held for
    # review with one of the two, chosen by nothing the files say, and the other was not named.
    permits = _write(tmp_path / "permits.csv", [
        {"id": "P1", "address": "2128 Bluebonnet", "city": "Katy", "postal_code": "77493"},
        {"id": "P2", "address": "40 Oak Bend Dr", "city": "Katy", "postal_code": "77493"},
    ])  # fmt: skip
    listings = _write(tmp_path / "listings.csv", [
        {"id": "L1", "address": "2128 Bluebonnet Ct", "city": "Katy", "postal_code": "77493"},
        {"id": "L2", "address": "2128 Bluebonnet Dr", "city": "Katy", "postal_code": "77493"},
        {"id": "L3", "address": "40 Oak Bend Dr", "city": "Katy", "postal_code": "77493"},
        {"id": "L4", "address": "40 Oak Bend Ct", "city": "Katy", "postal_code": "77493"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    args = ["match-csv", str(permits), "--entity", "property", "--against", str(listings), "--out", str(out)]
    assert main([*args, *(["--many"] if many else [])]) == 0
    rows = {r["left_id"]: r for r in _read(out)}
    tied = rows["P1"]
    assert tied["decision"] == "review"
    other = ({"L1", "L2"} - {tied["right_id"]}).pop()
    assert tied["explanation"].endswith(f"held back: street_type_unconfirmed, tied_with {other}")
    # A row linked by its street type written is no tie: the other street is another.
    assert rows["P2"]["right_id"] == "L3" and "tied_with" not in rows["P2"]["explanation"]


def test_with_many_a_tied_record_another_row_took_is_still_named(tmp_path: Path) -> None:
    # A sign permit for a townhome building's model, no unit given, beside two builders' models in units 12 and 14;
    # another permit names unit 14. One-to-one, unit 14 is that permit's; with --many it is still this row's to have,
    # and the tie was not named.
    permits = _write(tmp_path / "permits.csv", [
        {"id": "P1", "address": "1400 RYEGRASS LN", "city": "Leander", "postal_code": "78641"},
        {"id": "P2", "address": "1400 RYEGRASS LN UNIT 14", "city": "Leander", "postal_code": "78641"},
    ])  # fmt: skip
    models = _write(tmp_path / "models.csv", [
        {"id": "M12", "address": "1400 Ryegrass Ln Unit 12", "city": "Leander", "postal_code": "78641"},
        {"id": "M14", "address": "1400 Ryegrass Ln Unit 14", "city": "Leander", "postal_code": "78641"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    argv = ["match-csv", str(permits), "--entity", "property", "--against", str(models), "--many", "--out", str(out)]
    assert main(argv) == 0
    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["P2"]["right_id"], rows["P2"]["decision"]) == ("M14", "match")
    tied = rows["P1"]
    other = ({"M12", "M14"} - {tied["right_id"]}).pop()
    assert tied["decision"] == "review" and tied["explanation"].endswith(f"tied_with {other}"), tied["explanation"]


def test_a_condos_building_from_its_legal_description_is_settled_where_no_other_building_has_the_unit(
    tmp_path: Path,
) -> None:
    # A homestead application gives "402", the title company's legal description "UNIT 402 BLDG B": the building known
    # on one side held every such pair for review. Where the files list unit 402 in no other building at the street
    # address, no other home is meant; where building A has a 402 too, it stays for review.
    applications = _write(tmp_path / "applications.csv", [
        {"Application Number": "A1", "Situs Address": "1300 Imperial Grove Dr", "Unit": "402", "ZIP": "77479"},
        {"Application Number": "A2", "Situs Address": "1400 Imperial Grove Dr", "Unit": "402", "ZIP": "77479"},
    ])  # fmt: skip
    closings = _write(tmp_path / "closings.csv", [
        {"File Number": "F1", "Property Address": "1300 Imperial Grove Dr, Unit 402", "Zip": "77479",
         "Legal Description": "UNIT 402 BLDG B VANTAGE AT IMPERIAL CONDOS"},
        {"File Number": "F2", "Property Address": "1400 Imperial Grove Dr, Unit 402", "Zip": "77479",
         "Legal Description": "UNIT 402 BLDG B VANTAGE WEST CONDOS"},
        {"File Number": "F3", "Property Address": "1400 Imperial Grove Dr, Unit 402", "Zip": "77479",
         "Legal Description": "UNIT 402 BLDG A VANTAGE WEST CONDOS"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["match-csv", str(applications), "--entity", "property", "--against", str(closings),
                 "--out", str(out)]) == 0  # fmt: skip
    rows = {r["left_id"]: r for r in _read(out)}
    assert (rows["A1"]["right_id"], rows["A1"]["decision"]) == ("F1", "match")
    assert rows["A2"]["decision"] == "review" and "unit_unconfirmed" in rows["A2"]["explanation"]


def test_a_street_address_in_parts_under_one_prefix_is_read_where_the_whole_line_is_blank(tmp_path: Path) -> None:
    # A utility's meter sets: the service address in one cell, or in parts under "SERV_", which a row fills where it
    # leaves the whole line blank. Unread, such a row was `new`, a home added twice.
    meters = _write(tmp_path / "meters.csv", [
        {"PREMISE_ID": "41", "SERVICE_ADDRESS": "5154 EGRET HOLLOW TRL", "SERV_HOUSE_NO": "", "SERV_PRE_DIR": "",
         "SERV_STREET_NAME": "", "SERV_STREET_SFX": "", "SERV_UNIT": "", "SERV_CITY": "CYPRESS", "SERV_ZIP": "77433",
         "OWNER_STREET_NAME": "MAIN"},
        {"PREMISE_ID": "42", "SERVICE_ADDRESS": "", "SERV_HOUSE_NO": "12354", "SERV_PRE_DIR": "N",
         "SERV_STREET_NAME": "HARVEST MOON", "SERV_STREET_SFX": "LN", "SERV_UNIT": "B", "SERV_CITY": "ROSENBERG",
         "SERV_ZIP": "77471", "OWNER_STREET_NAME": "MAIN"},
    ])  # fmt: skip
    first, second = read_file(meters, "property").records
    assert first.address is not None and (first.address.number, first.address.street) == ("5154", "egret hollow trl")
    assert second.address is not None
    assert (second.address.number, second.address.street, second.address.unit) == ("12354", "n harvest moon ln", "b")


@pytest.mark.parametrize("placeholder", ["NONE", "N/A", "SAME", "Same as above", "-"])
def test_a_trade_name_cell_naming_nothing_leaves_the_holders_name(tmp_path: Path, placeholder: str) -> None:
    # Two cities' food truck permits: a truck trading under its holder's name writes "NONE" as its trade name; read
    # as a name, every such truck shared it.
    permits = _write(tmp_path / "permits.csv", [
        {"Permit": "MV-1", "DBA Name": placeholder, "Legal Name": "Rosa's Kitchen LLC", "Address": "12 Main St",
         "City": "Austin"},
    ])  # fmt: skip
    (truck,) = read_file(permits, "builder").records
    assert truck.name_norm.key == "rosas kitchen"


def test_a_listings_location_name_is_no_name_beside_its_studio_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A class-booking app names each studio and, apart, its part of town; with two headers naming something it
    # stopped, asking which is the name.
    studios = _write(tmp_path / "studios.csv", [
        {"Listing ID": "L1", "Studio Name": "Atlas Movement", "Location Name": "Upper Kirby",
         "Address": "3305 Richmond Ave", "City": "Houston", "Zip": "77098"},
        {"Listing ID": "L2", "Studio Name": "", "Location Name": "Heights", "Address": "400 W 19th St",
         "City": "Houston", "Zip": "77008"},
    ])  # fmt: skip
    atlas, unnamed = read_file(studios, "builder").records
    assert atlas.name == "Atlas Movement" and unnamed.name == ""


def test_a_column_headed_as_a_street_address_is_read_before_a_location_of_directions(tmp_path: Path) -> None:
    # A new-home guide: "Location" gives directions ("off SH 288, minutes from FM 1463"), "Model Address" the
    # community's model home. A register's "Location" of points still places its rows.
    guide = _write(tmp_path / "guide.csv", [
        {"Item ID": "N1", "Community": "Sunterra", "City": "Katy", "Location": "off SH 288, minutes from FM 1463",
         "Model Address": "9506 Misty Bluff Trl"},
    ])  # fmt: skip
    (item,) = read_file(guide, "community").records
    assert item.address is not None and (item.address.number, item.address.street) == ("9506", "misty bluff trl")
    assert item.postal_code is None


def test_a_link_to_a_lapsed_registration_waits_where_one_in_force_holds_its_very_suite(tmp_path: Path) -> None:
    # A county's fitness-centre register: the old owner's "PURE BARRE" at suite 150, closed on a change of owner, and
    # the new owner's "PB CINCO RANCH" in force at that suite. The booking app gives the street address alone, under
    # the brand's name: linked to the closed registration at 0.999, the new owner's was never seen.
    registry = _write(tmp_path / "registry.csv", [
        {"Registration No.": "R-1", "Facility Name": "PURE BARRE", "Facility Address": "8572 CINCO RANCH BLVD STE 150",
         "Facility City": "KATY", "Facility Zip": "77494", "Registration Status": "CHANGE OF OWNERSHIP"},
        {"Registration No.": "R-2", "Facility Name": "PB CINCO RANCH",
         "Facility Address": "8572 CINCO RANCH BLVD STE 150", "Facility City": "KATY", "Facility Zip": "77494",
         "Registration Status": "ACTIVE"},
        {"Registration No.": "R-3", "Facility Name": "BARRE BODY", "Facility Address": "900 MAIN ST STE 2",
         "Facility City": "KATY", "Facility Zip": "77494", "Registration Status": "EXPIRED"},
        {"Registration No.": "R-4", "Facility Name": "BLUE LOTUS YOGA", "Facility Address": "900 MAIN ST STE 3",
         "Facility City": "KATY", "Facility Zip": "77494", "Registration Status": "ACTIVE"},
    ])  # fmt: skip
    studios = _write(tmp_path / "studios.csv", [
        {"Listing ID": "L1", "Studio Name": "Pure Barre", "Address": "8572 Cinco Ranch Blvd", "City": "Katy",
         "Zip": "77494"},
        {"Listing ID": "L2", "Studio Name": "Barre Body", "Address": "900 Main St", "City": "Katy", "Zip": "77494"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(studios), "--entity", "builder", "--against", str(registry), "--many",
                 "--out", str(out)]) == 0  # fmt: skip

    rows = {row["left_id"]: row for row in _read(out)}
    assert rows["L1"]["right_id"] == "R-1" and rows["L1"]["decision"] == "review"
    assert rows["L1"]["explanation"].endswith("held back: in_force_beside R-2")
    # One in force at another suite of its building is no successor.
    assert (rows["L2"]["right_id"], rows["L2"]["decision"]) == ("R-3", "match")


def test_another_builders_community_of_the_name_is_no_tie_beside_the_rows_builders(tmp_path: Path) -> None:
    # A new-home guide's "Sienna by KB HOME", held for review with KB Home's "Sienna" at the very weight of Caldwell
    # Homes' "Sienna" of the master plan: the builders tell the two apart, so no tie is named.
    guide = _write(tmp_path / "guide.csv", [
        {"Item ID": "N1", "Community": "Sienna by KB HOME", "Builder(s)": "KB HOME", "City": "Missouri City",
         "Model Address": "16503 Windy Sky Dr"},
    ])  # fmt: skip
    communities = _write(tmp_path / "communities.csv", [
        {"community_id": "C-CALDWELL", "community_name": "Sienna", "builder": "Caldwell Homes",
         "address": "20206 Cedar Pines Pl", "city": "Missouri City", "state": "TX"},
        {"community_id": "C-KB", "community_name": "Sienna by KB Home", "builder": "KB Home",
         "address": "5279 Hidden Meadow Trl", "city": "Missouri City", "state": "TX"},
        {"community_id": "C-LENNAR", "community_name": "Sienna", "builder": "Lennar",
         "address": "24785 Golden Pines Trl", "city": "Missouri City", "state": "TX"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(guide), "--entity", "community", "--against", str(communities), "--many",
                 "--out", str(out)]) == 0  # fmt: skip

    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("C-KB", "review")
    assert "tied_with" not in row["explanation"], row["explanation"]


def test_a_swapped_house_number_is_not_offered_another_unit(tmp_path: Path) -> None:
    # A moving company's bookings: one typed "1453 Oak Glen Ln Unit B" for the townhome 1435 Unit B, which another
    # booking took; the swapped number was offered unit C, and two bookings' homes were swapped.
    bookings = _write(tmp_path / "bookings.csv", [
        {"Booking ID": "M1", "Address": "1435 Oak Glen Ln Unit B", "City": "Katy", "Zip": "77494"},
        {"Booking ID": "M2", "Address": "1453 Oak Glen Ln Unit B", "City": "Katy", "Zip": "77494"},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"Home ID": "H-B", "Address": "1435 Oak Glen Ln Unit B", "City": "Katy", "Zip": "77494"},
        {"Home ID": "H-C", "Address": "1435 Oak Glen Ln Unit C", "City": "Katy", "Zip": "77494"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(bookings), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 0

    rows = {row["left_id"]: row for row in _read(out)}
    assert (rows["M1"]["right_id"], rows["M1"]["decision"]) == ("H-B", "match")
    assert rows["M2"]["right_id"] != "H-C", rows["M2"]["explanation"]


def test_an_appraisal_districts_neighborhood_list_is_read_by_its_description_and_key(tmp_path: Path) -> None:
    # Two counties' neighborhood code lists merged: "KEY" names each row, "NBHD_DESC" the subdivision. Without a name
    # column the run stopped.
    codes = _write(tmp_path / "codes.csv", [
        {"KEY": "HCAD:1352.06", "NBHD_CD": "1352.06", "NBHD_DESC": "WILLOW  FORK SEC 07 R/P", "COUNTY": "HARRIS",
         "ZIP": "77494"},
        {"KEY": "FBCAD:W170", "NBHD_CD": "W170", "NBHD_DESC": "Willow Fork Section 7", "COUNTY": "FORT BEND",
         "ZIP": "77494"},
    ])  # fmt: skip
    first, second = read_file(codes, "community").records
    assert (first.id, second.id) == ("HCAD:1352.06", "FBCAD:W170")
    assert first.name_norm.key == second.name_norm.key == "willow fork section 7"
    # A "Key" two rows share names a category, no row: the rows are numbered, and a deduplication runs.
    shared = _write(tmp_path / "shared.csv", [
        {"Key": "HARRIS", "NBHD_DESC": "WILLOW FORK SEC 7"}, {"Key": "HARRIS", "NBHD_DESC": "Willow Fork Section 7"},
    ])  # fmt: skip
    assert [r.id for r in read_file(shared, "community").records] == ["1", "2"]


def test_a_lapsed_licence_under_another_name_is_assigned_after_one_in_force_however_it_fits(tmp_path: Path) -> None:
    # A real estate commission's brokerages: a builder's brokerage licence in force, held for its trade, and its
    # expired one at the builder's office and line, held for its trade too. The expired licence's greater weight took
    # the builder, and the licence in force was written `new`.
    licences = _write(tmp_path / "licences.csv", [
        {"License Number": "2618551", "License Holder Name": "LOCKHART HOMES REALTY LP", "License Status": "ACTIVE",
         "Office Address": "14081 BEE CAVE PKWY", "City": "ROUND ROCK", "Zip": "78664", "Phone": "(512) 555-0199"},
        {"License Number": "8009862", "License Holder Name": "LOCKHART HOMES REALTY INC", "License Status": "EXPIRED",
         "Office Address": "14081 BEE CAVE PKWY", "City": "ROUND ROCK", "Zip": "78664", "Phone": "(512) 721-8235"},
    ])  # fmt: skip
    builders = _write(tmp_path / "builders.csv", [
        {"builder_id": "B17", "name": "Lockhart Homes", "address": "14081 Bee Cave Pkwy", "city": "Round Rock",
         "zip": "78664", "phone": "512-721-8235"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(licences), "--entity", "builder", "--against", str(builders), "--out", str(out)]) == 0

    rows = {row["left_id"]: row for row in _read(out)}
    assert (rows["2618551"]["right_id"], rows["2618551"]["decision"]) == ("B17", "review")
    assert rows["8009862"]["decision"] == "new", rows["8009862"]["explanation"]


def test_a_franchise_tax_lists_taxpayer_is_the_business_where_it_names_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A comptroller's franchise tax status list: each row a taxpayer, its registered agent's name beside it, and the
    # state it was formed in. With no name column the run stopped; the state of formation is no place of the office.
    status = _write(tmp_path / "status.csv", [
        {"Taxpayer Number": "32090189489", "Taxpayer Name": "VILLARREAL BUILDERS LP",
         "Mailing Address": "PO BOX 61351 KATY, TX 77494-2150", "State of Formation": "DE",
         "Registered Agent Name": "LANGLEY & BANACK INC"},
    ])  # fmt: skip
    (taxpayer,) = read_file(status, "builder").records
    assert taxpayer.name == "VILLARREAL BUILDERS LP" and taxpayer.state != "DE"
    # Beside an outlet's name, the taxpayer is the outlets' owner.
    permits = _write(tmp_path / "permits.csv", [
        {"Taxpayer Name": "AKSHAR HOTEL GROUP II LLC", "Outlet Name": "QUALITY INN GALVESTON",
         "Outlet Address": "129 BEE CAVE RD", "Outlet City": "GALVESTON"},
    ])  # fmt: skip
    (outlet,) = read_file(permits, "builder").records
    assert outlet.name == "QUALITY INN GALVESTON"


def test_a_homes_owners_association_is_its_subdivision(tmp_path: Path) -> None:
    # An HOA manager's architectural review requests name each home's association and no town: unread, no home was
    # placed, and every request waited as `location_unconfirmed`.
    requests = _write(tmp_path / "requests.csv", [
        {"Request #": "ARC-1", "Association": "Cross Creek Ranch Community Assn",
         "Property Address": "404 Pecan Mill Way"},
    ])  # fmt: skip
    homes = _write(tmp_path / "homes.csv", [
        {"Job #": "CCR-1", "Community": "Cross Creek Ranch", "Address": "404 Pecan Mill Way", "City": "Fulshear",
         "Zip": "77441"},
        {"Job #": "OTH-1", "Community": "Harvest Green", "Address": "404 Pecan Mill Way", "City": "Richmond",
         "Zip": "77406"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(requests), "--entity", "property", "--against", str(homes), "--out", str(out)]) == 0

    (row,) = _read(out)
    assert (row["right_id"], row["decision"]) == ("CCR-1", "match"), row["explanation"]


def test_a_row_whose_held_record_another_row_took_waits_for_review(tmp_path: Path) -> None:
    # A brokerage's list of a master plan's sections, one-to-one against the marketplace's one page for it: each
    # section's pair is held for review (a section beside its master plan). The section given the page is written
    # for review; the others were `new`, each to be added as a community of its own.
    sections = _write(tmp_path / "sections.csv", [
        {"id": "S12", "Subdivision": "MAVERA SEC 12", "Zip": "77304"},
        {"id": "S13", "Subdivision": "MAVERA SEC 13", "Zip": "77304"},
    ])  # fmt: skip
    communities = _write(tmp_path / "communities.csv", [
        {"community_id": "C1", "community_name": "Mavera", "city": "Conroe", "zip": "77304"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(sections), "--entity", "community", "--against", str(communities),
                 "--out", str(out)]) == 0  # fmt: skip

    rows = {row["left_id"]: row for row in _read(out)}
    assert {(row["right_id"], row["decision"]) for row in rows.values()} == {("C1", "review")}
    (waiting,) = (row for row in rows.values() if "taken_by" in row["explanation"])
    assert waiting["explanation"].endswith(f"taken_by {'S12' if waiting['left_id'] == 'S13' else 'S13'}")


def test_a_street_address_named_in_parts_leaves_the_mailing_lines_second_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An exemption roll: the parcel's situs named in parts with --column; the owner's mailing "addr_line1" and its
    # second line "addr_line2" (the mailing street beneath a care-of line) are the owner's, not the parcel's unit.
    roll = _write(tmp_path / "roll.csv", [
        {"prop_id": "1", "owner_name": "FIRST BAPTIST CHURCH OF KATY", "addr_line1": "% TREASURER",
         "addr_line2": "9681 PIN OAK RD", "situs_num": "9681", "situs_street": "PIN OAK", "situs_street_sufix": "RD",
         "situs_city": "KATY"},
    ])  # fmt: skip
    read = read_file(roll, "builder", parse_columns([
        "street_number=situs_num", "street_name=situs_street", "street_suffix=situs_street_sufix"
    ]))  # fmt: skip
    assert "addr_line2" not in read.describe().split("not read")[0]
    (parcel,) = read.records
    assert parcel.address is not None
    assert (parcel.address.number, parcel.address.street, parcel.address.unit) == ("9681", "pin oak rd", None)


@pytest.mark.parametrize("brand", ["Used", "Pre-Owned", ""])
def test_a_car_sites_used_brand_is_no_brand_of_the_dealer(tmp_path: Path, brand: str) -> None:
    # A car-shopping site lists a used-car lot under the brand "Used": read as a brand, "Sam's Auto Sales" became
    # "Sam's Auto Sales Used", only `contained` in its licence's very name.
    dealers = _write(tmp_path / "dealers.csv", [
        {"Dealer ID": "D1", "Dealer Name": "Sam's Auto Sales", "Brand": brand, "Address": "100 Main St",
         "City": "Katy"},
    ])  # fmt: skip
    (dealer,) = read_file(dealers, "builder").records
    assert dealer.name_norm.key == "sams auto sales"


def test_a_row_held_as_another_business_whose_record_another_row_took_stays_new(tmp_path: Path) -> None:
    # A business bureau's profiles: the builder's division and its mortgage company at the division's office and line.
    # The lender's pair is held as another trade; written for review as the division listed again, it read as a
    # duplicate of the builder.
    profiles = _write(tmp_path / "profiles.csv", [
        {"Business ID": "P1", "Business Name": "Taylor Morrison", "Street Address": "20796 Langtree St",
         "City": "Fort Mill", "State": "SC", "Phone": "(704) 580-3239"},
        {"Business ID": "P2", "Business Name": "Taylor Morrison Home Funding, Inc.",
         "Street Address": "20796 Langtree St", "City": "Fort Mill", "State": "SC", "Phone": "(704) 580-3239"},
    ])  # fmt: skip
    builders = _write(tmp_path / "builders.csv", [
        {"builder_id": "B1", "name": "Taylor Morrison", "address": "20796 Langtree St", "city": "Fort Mill",
         "state": "SC", "phone": "704-580-3239"},
    ])  # fmt: skip
    out = tmp_path / "pairs.csv"

    assert main(["match-csv", str(profiles), "--entity", "builder", "--against", str(builders), "--out", str(out)]) == 0

    rows = {row["left_id"]: row for row in _read(out)}
    assert (rows["P1"]["right_id"], rows["P1"]["decision"]) == ("B1", "match")
    assert rows["P2"]["decision"] == "new", rows["P2"]["explanation"]


def test_an_association_column_of_flags_is_no_subdivision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An MLS export's "HOA" says whether a home has an association, "Y" or "N": read as its subdivision, every home
    # with one was in a subdivision "Y", another than its builder's.
    listings = _write(tmp_path / "listings.csv", [
        {"MLS #": "1", "Address": "404 Pecan Mill Way", "City": "Fulshear", "HOA": "Y"},
        {"MLS #": "2", "Address": "12 Elm St", "City": "Fulshear", "HOA": "N"},
    ])  # fmt: skip
    file = read_file(listings, "property")
    assert "subdivision" not in file.describe().split("not read")[0]
