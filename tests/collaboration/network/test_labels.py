"""Names on a map: placed around their actors, never on top of each other, the most important first."""

from __future__ import annotations

import pytest

from collaboration.network.labels import POSITIONS, Mark, box_at, label_size, place_labels, text_width, wrap_name


def mark(key, x, y, name="Forening", radius=5.0, priority=1.0) -> Mark:
    return Mark(key=key, x=x, y=y, radius=radius, lines=wrap_name(name), priority=priority)


def test_a_name_is_wrapped_between_words_into_lines_of_about_22_characters():
    assert wrap_name("Gælds- og økonomirådgivningen i Kvarterhuset") == (
        "Gælds- og",
        "økonomirådgivningen i",
        "Kvarterhuset",
    )
    assert wrap_name("BoligKorsør") == ("BoligKorsør",)


def test_a_very_long_name_ends_its_third_line_with_an_ellipsis():
    lines = wrap_name("Det Boligsociale Fællessekretariat for Helhedsplanerne i Hele Den Nordlige Del Af Kommunen")
    assert len(lines) == 3
    assert lines[-1].endswith("…")


def test_a_word_longer_than_a_line_is_broken_within_it_with_a_hyphen_and_cut_like_any_name():
    compound = "Beboerrådgivningsservicekontoretsfællesforeningsudviklingsprojektsekretariatet"

    lines = wrap_name(compound)

    assert lines == ("Beboerrådgivningsserv-", "icekontoretsfællesfor-", "eningsudviklingsproje…")
    assert all(len(line) <= 22 for line in lines)
    assert wrap_name("Foreningen Beboerrådgivningsservicekontoret") == (
        "Foreningen",
        "Beboerrådgivningsserv-",
        "icekontoret",
    )


def test_text_is_measured_with_the_shipped_font():
    # DejaVu Sans: "i" is narrow, "W" wide; at 10 px a run of ten "W" is about 99 px.
    assert text_width("i" * 10, 10) < text_width("W" * 10, 10)
    assert text_width("W" * 10, 10) == pytest.approx(98.9, abs=0.5)


def test_a_lonely_actor_gets_its_name_to_the_right():
    placed = place_labels([mark(1, 100, 100)], 400, 300, font_size=10)
    position, box = placed[1]
    assert position == "middle right"
    assert box.left > 100 + 5  # right of the marker, past its radius
    assert box.top < 100 < box.bottom  # and level with it


def test_a_name_that_would_leave_the_map_goes_the_other_way():
    placed = place_labels([mark(1, 395, 150)], 400, 300, font_size=10)
    assert placed[1][0] == "middle left"


def test_names_never_overlap_and_stay_inside_the_map():
    # A crowded middle: 40 actors on a 5 by 8 grid 30 px apart.
    marks = [mark(i, 100 + 30 * (i % 8), 100 + 30 * (i // 8), name=f"Forening nummer {i}") for i in range(40)]
    placed = place_labels(marks, 500, 400, font_size=10)
    boxes = [box for _position, box in placed.values()]
    assert boxes, "some names must fit"
    assert all(box.inside(500, 400) for box in boxes)
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_the_most_important_actor_is_named_first():
    # Two actors so close that only one name fits beside them: the busier one gets it.
    quiet, busy = mark(1, 200, 100, "Stille Forening", priority=1), mark(2, 200, 112, "Travl Forening", priority=9)
    placed = place_labels([quiet, busy], 400, 125, font_size=10)
    assert 2 in placed


def test_a_busy_actor_in_a_crowded_middle_is_named_even_over_a_small_marker():
    # The busy actor is ringed by eight small actors: no place is clear of markers, yet its name is placed.
    ring = [
        mark(10 + i, 200 + dx, 150 + dy, name="x", priority=0)
        for i, (dx, dy) in enumerate([(40, 0), (-40, 0), (0, -20), (0, 20), (30, -15), (30, 15), (-30, -15), (-30, 15)])
    ]
    busy = mark(1, 200, 150, "Beboerdemokraterne i Kvarterhuset", radius=12, priority=10)
    placed = place_labels([busy, *ring], 400, 300, font_size=10, limit=1)
    assert 1 in placed


@pytest.mark.parametrize("position", POSITIONS)
def test_every_place_keeps_clear_of_the_marker(position):
    centre = mark(1, 200, 200, radius=10)
    width, height = label_size(centre.lines, 10)
    box = box_at(centre, position, width, height)
    # The point of the label nearest the marker's centre lies outside the round marker.
    nearest_x, nearest_y = min(max(200, box.left), box.right), min(max(200, box.top), box.bottom)
    assert ((nearest_x - 200) ** 2 + (nearest_y - 200) ** 2) ** 0.5 >= 10


def test_joiners_and_variation_selectors_inside_emoji_take_no_room():
    assert text_width("Klubben 👩\u200d⚕\ufe0f", 10) == text_width("Klubben 👩⚕", 10)
