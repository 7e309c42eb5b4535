"""What an admin sees of a proposed record."""

from app.changes.models import CollectionChange


def test_entity_data_hides_internal_bookkeeping_keys() -> None:
    change = CollectionChange(proposed_entity_data={"title": "The Oakmont", "_identity": "the oakmont"})

    assert change.entity_data == {"title": "The Oakmont"}


def test_entity_data_is_none_for_a_field_change() -> None:
    assert CollectionChange(field_name="phone").entity_data is None
