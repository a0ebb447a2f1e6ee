from cas.core.wording import quantity


def test_a_number_and_its_noun_agree():
    assert quantity(1, "person", "people") == "1 person"
    assert quantity(0, "person", "people") == "0 people"
    assert quantity(2, "person", "people") == "2 people"
    assert quantity(1, "night") == "1 night"
    assert quantity(84, "night") == "84 nights"
