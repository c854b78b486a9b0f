"""Any text a person can paste, into every text field of every form and through every export.

Hypothesis writes the text: Unicode of every kind (controls, noncharacters, bidi overrides, zero-width and combining
characters, emoji, both normal forms), mixed with the pieces people really paste (CPR numbers written every way,
byte-order marks, soft hyphens, spreadsheet formulas, markup). Whatever arrives, the answer is a page, never a 500; a
refused form writes nothing at all; an accepted one keeps only clean text; and every report file of a centre whose
rows hold such text, even rows saved before the rules, reads back with a strict reader.

The budget is set by the profile in tests/conftest.py: small in `make test` and CI, larger with
HYPOTHESIS_PROFILE=thorough.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import unicodedata
import zipfile

import pytest
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook

from centres.models import Actor, ActorCategory, ActorHistoryEntry, Presence
from collaboration.models import Collaboration, HistoryEntry, Participation, Theme
from samkort.text import INVISIBLE, JOINERS, joiners_where_they_join, unholdable_characters
from tests.factories import collaboration_post, make_actor, make_collaboration

HTMX = {"HTTP_HX_REQUEST": "true"}

# What people paste, besides whatever Hypothesis makes up.
PASTED = [
    "Café",
    "Cafe\u0301",
    "Ældreråd",
    "ÆLDRERÅD",
    "\ufeff",
    "\u200b",
    "\u200d",
    "👩\u200d⚕️",
    "\u202e",
    "\u00ad",
    "\u00a0",
    "\u2011",
    "\ufffe",
    "\uffff",
    "\x00",
    "\x0b",
    "\r\n",
    "\u2028",
    "010190-1234",
    "01.01.90-1234",
    "01 01 90 1234",
    "010190\u20131234",
    "010190/1234",
    "0101\u200b90-1234",
    "+45 12 34 56 78",
    '=HYPERLINK("http://evil.example","klik")',
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "&amp;",
    "]]>",
    "😀",
    "👩🏽‍👩🏿‍👧",
    "اَلْعَرَبِيَّة",
    "Ω",
    "ﬁ",
    " ",
    "\t",
]
# Everything Unicode holds except lone surrogates, which no browser can send (it sends U+FFFD in their place).
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])
pasted_text = st.lists(
    st.one_of(st.sampled_from(PASTED), st.text(ANY_CHARACTER, max_size=6)), min_size=1, max_size=8
).map("".join)


def is_clean(text: str) -> bool:
    return (
        unicodedata.is_normalized("NFC", text)
        and not unholdable_characters(text)
        and not set(text) & (set(INVISIBLE) - set(JOINERS))
        # A joiner stays only where it joins two letters or symbols (emoji, Persian words).
        and joiners_where_they_join(text) == text
        and text == text.strip()
    )


@contextlib.contextmanager
def rolled_back():
    """One example's writes, undone before the next, so each starts from the same rows."""
    from collaboration.maps.pages import clear_cache

    clear_cache()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Collaboration, Participation, HistoryEntry, Actor, ActorHistoryEntry, Presence, Theme)
    }


def written(before: dict[str, int]) -> dict[str, int]:
    return {name: number - before[name] for name, number in counts().items() if number != before[name]}


def answered(response) -> bool:
    """A page or a redirect: anything but a server error (the test client raises those)."""
    return response.status_code in (200, 302)


# -- The log form ---------------------------------------------------------------------------------------------------

LOG_TEXT_FIELDS = ["title", "target_group", "description", "goals", "outcome"]


@pytest.fixture
def two_actors(centre):
    return [
        make_actor(name="Jobcenter Slagelse"),
        make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE),
    ]


@given(field=st.sampled_from(LOG_TEXT_FIELDS), text=pasted_text)
def test_the_log_form_takes_any_text_cleanly_or_refuses_it_whole(staff_client, centre, two_actors, field, text):
    with rolled_back():
        before = counts()
        response = staff_client.post(
            reverse("collaboration_create", args=[centre.slug]), collaboration_post(two_actors, **{field: text})
        )
        assert answered(response)
        if response.status_code == 302:
            collaboration = Collaboration.objects.latest("pk")
            assert written(before) == {"Collaboration": 1, "Participation": 2, "HistoryEntry": 1}
            assert all(is_clean(getattr(collaboration, name)) for name in LOG_TEXT_FIELDS), field
        else:
            assert written(before) == {}
            assert "errorlist" in response.content.decode() or "alert" in response.content.decode()


@given(field=st.sampled_from(LOG_TEXT_FIELDS), text=pasted_text)
def test_an_edit_takes_any_text_cleanly_or_leaves_the_collaboration_as_it_was(
    staff_client, centre, two_actors, field, text
):
    collaboration = Collaboration.objects.first() or make_collaboration(centre, two_actors, goals="Flere i job")
    with rolled_back():
        before, kept = counts(), {name: getattr(collaboration, name) for name in LOG_TEXT_FIELDS}
        data = collaboration_post(two_actors, **{field: text}, version=str(collaboration.version))
        response = staff_client.post(reverse("collaboration_edit", args=[centre.slug, collaboration.pk]), data)
        assert answered(response)
        collaboration.refresh_from_db()
        if response.status_code == 302:
            assert written(before) == {"HistoryEntry": 1} or written(before) == {}  # no entry when nothing changed
            assert all(is_clean(getattr(collaboration, name)) for name in LOG_TEXT_FIELDS), field
        else:
            assert written(before) == {}
            assert {name: getattr(collaboration, name) for name in LOG_TEXT_FIELDS} == kept


@given(name=pasted_text)
def test_the_new_actor_panel_takes_any_name_cleanly_or_refuses_it(staff_client, centre, two_actors, name):
    with rolled_back():
        before = counts()
        data = {"new_actor-name": name, "new_actor-category": ActorCategory.ASSOCIATION, "new_actor-confirm": name}
        response = staff_client.post(reverse("new_actor", args=[centre.slug]), data, **HTMX)
        assert answered(response)
        created = written(before)
        if created:
            assert created.keys() <= {"Actor", "ActorHistoryEntry", "Presence"} and created["Actor"] == 1
            assert is_clean(Actor.objects.latest("pk").name)


# -- The coordinator's actor pages ----------------------------------------------------------------------------------

ACTOR_TEXT_FIELDS = ["name", "description", "website", "email"]


@given(field=st.sampled_from(ACTOR_TEXT_FIELDS), text=pasted_text)
def test_the_actor_form_takes_any_text_cleanly_or_refuses_it_whole(coordinator_client, centre, field, text):
    with rolled_back():
        before = counts()
        name = "Boligsocialt Hus"
        data = {"name": name, "category": ActorCategory.HOUSING_ASSOCIATION, "confirm": name}
        data |= {"description": "", "website": "", "email": ""} | {field: text}
        if field == "name":
            data["confirm"] = text  # past the question about similar names
        response = coordinator_client.post(reverse("actor_create", args=[centre.slug]), data)
        assert answered(response)
        if response.status_code == 302:
            actor = Actor.objects.latest("pk")
            assert written(before).get("Actor") == 1
            assert all(is_clean(getattr(actor, name)) for name in ACTOR_TEXT_FIELDS), field
        else:
            assert written(before) == {}


@given(text=pasted_text)
def test_a_presence_note_takes_any_text_cleanly_or_refuses_it(coordinator_client, centre, text):
    actor = Actor.objects.get_or_create(name="Bydelsmødrene", defaults={"category": ActorCategory.ASSOCIATION})[0]
    with rolled_back():
        before = counts()
        data = {"actor": actor.pk, "kind": "based", "started_on": "2026-01-01", "ended_on": "", "note": text}
        response = coordinator_client.post(reverse("presence_create", args=[centre.slug]), data)
        assert answered(response)
        if response.status_code == 302:
            assert written(before)["Presence"] == 1
            assert is_clean(Presence.objects.latest("pk").note)
        else:
            assert written(before) == {}


@given(text=pasted_text)
def test_a_member_is_looked_up_by_any_text_without_a_crash(coordinator_client, centre, text):
    with rolled_back():
        before = counts()
        response = coordinator_client.post(reverse("membership_list", args=[centre.slug]), {"username": text})
        assert answered(response)
        assert written(before) == {}


@given(text=pasted_text)
def test_a_theme_named_in_the_admin_is_clean_or_refused(admin_client, text):
    with rolled_back():
        before = counts()
        response = admin_client.post(
            reverse("admin:collaboration_theme_add"), {"name": text, "active": "on", "position": "0"}
        )
        assert answered(response)
        if response.status_code == 302:
            assert written(before) == {"Theme": 1}
            assert is_clean(Theme.objects.latest("pk").name)
        else:
            assert written(before) == {}


@given(text=pasted_text)
def test_searching_with_any_text_answers_a_page(staff_client, centre, two_actors, text):
    if not Collaboration.objects.exists():
        make_collaboration(centre, two_actors)
    for url, query in (
        (reverse("collaboration_list", args=[centre.slug]), {"q": text}),
        (reverse("actor_search", args=[centre.slug]), {"q": text}),
        (reverse("centre_map", args=[centre.slug]), {"start": text, "theme": text}),
    ):
        assert staff_client.get(url, query, **HTMX).status_code == 200, url


# -- Every export ---------------------------------------------------------------------------------------------------


def stored_as_an_old_row_would_be(text: str) -> str:
    """What a database holds when a row was written past the rules: anything PostgreSQL takes."""
    return text.replace("\x00", "") if connection.vendor == "postgresql" else text


@given(names=st.lists(pasted_text, min_size=2, max_size=4), texts=st.lists(pasted_text, min_size=5, max_size=5))
def test_every_export_of_any_text_reads_back_with_a_strict_reader(manager_client, centre, names, texts):
    with rolled_back():
        actors = [make_actor(name=f"Aktør {number}") for number in range(len(names))]
        collaboration = make_collaboration(centre, actors, started_on=datetime.date(2026, 2, 1))
        # Written past the models' cleaning, as an old row or another system would have written them.
        with connection.cursor() as cursor:
            for actor, name in zip(actors, names, strict=True):
                cursor.execute(
                    "UPDATE centres_actor SET name = %s WHERE id = %s", [stored_as_an_old_row_would_be(name), actor.pk]
                )
            cursor.execute(
                "UPDATE collaboration_collaboration SET title = %s, target_group = %s, description = %s, goals = %s,"
                " outcome = %s WHERE id = %s",
                [*(stored_as_an_old_row_would_be(text) for text in texts), collaboration.pk],
            )
        query = {"centres": [centre.pk], "start": "2026-01-01", "end": "2026-06-30"}

        def download(file_format: str) -> bytes:
            response = manager_client.get(reverse("report_download", args=[file_format]), query)
            assert response.status_code == 200, file_format
            return b"".join(response.streaming_content) if response.streaming else response.content

        book = load_workbook(io.BytesIO(download("xlsx")))
        assert book["Samarbejder"].max_row == 2 and book["Elements"].max_row == len(actors) + 1
        strict = etree.XMLParser(recover=False, resolve_entities=False)
        for file_format in ("gexf", "graphml"):
            tree = etree.fromstring(download(file_format), strict)
            assert len(tree.xpath("//*[local-name()='node']")) == len(actors), file_format
        with zipfile.ZipFile(io.BytesIO(download("csv"))) as archive:
            for member in archive.namelist():
                rows = list(csv.reader(io.StringIO(archive.read(member).decode("utf-8-sig"), newline=""), strict=True))
                assert rows and all(len(row) == len(rows[0]) for row in rows), member
