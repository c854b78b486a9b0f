"""Two people at one collaboration, a double click, a form sent twice: nothing silently undone, nothing made twice."""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from collaboration.models import Collaboration, Form, HistoryEntry
from collaboration.records.forms import CollaborationForm
from collaboration.records.services import AlreadySubmitted, save_collaboration
from tests.factories import collaboration_post, make_actor, make_collaboration, make_membership, make_user, seed_themes
from tests.helpers import html_of

SAVED_MEANWHILE = "Dette blev gemt, mens du redigerede – af en anden eller af dig i en anden fane."

HIDDEN = re.compile(r'<input type="hidden" name="(version|opened|submission)" value="([^"]*)"')


def opened_form(client, url) -> dict[str, str]:
    """What a browser tab keeps of a form it has just opened: the version, the values it showed, the token."""
    return dict(HIDDEN.findall(html_of(client.get(url))))


@pytest.fixture
def collaboration(centre, actors):
    return make_collaboration(
        centre,
        actors=actors[:2],
        title="Fælles jobcafé",
        form=Form.COORDINATED_ACTION,
        description="Hver tirsdag i caféen.",
        goals="Flere unge i job.",
    )


@pytest.fixture
def second_client(client_factory, centre):
    """Another member of staff, in another browser."""
    user = make_user("anne")
    make_membership(user, centre)
    other = client_factory()
    other.force_login(user)
    return other


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


def edit_url(collaboration):
    return reverse("collaboration_edit", args=[collaboration.centre.slug, collaboration.pk])


def as_sent(collaboration, actors, opened, **changes) -> dict:
    """The edit form as its tab sends it: the collaboration as opened, with these changes typed in."""
    data = collaboration_post(
        actors,
        title=collaboration.title,
        form=str(collaboration.form),
        started_on=collaboration.started_on.isoformat(),
        ended_on=collaboration.ended_on.isoformat() if collaboration.ended_on else "",
        frequency=collaboration.frequency,
        level=collaboration.level,
        citizens_part=collaboration.citizens_part,
        target_group=collaboration.target_group,
        citizen_count=str(collaboration.citizen_count or ""),
        themes=[str(t.pk) for t in collaboration.themes.all()],
        description=collaboration.description,
        goals=collaboration.goals,
        outcome=collaboration.outcome,
    )
    return data | opened | changes


class TestTwoEditors:
    def test_a_stale_save_is_refused_and_merged_so_nothing_is_lost(
        self, staff_client, second_client, collaboration, actors
    ):
        url = edit_url(collaboration)
        anne_opened, staffs_opened = opened_form(second_client, url), opened_form(staff_client, url)
        anne_saves = second_client.post(url, as_sent(collaboration, actors[:2], anne_opened, title="Jobcafé for unge"))
        assert anne_saves.status_code == 302

        response = staff_client.post(
            url, as_sent(collaboration, actors[:2], staffs_opened, description="Hver tirsdag og torsdag.")
        )

        html = html_of(response)
        assert response.status_code == 200
        assert SAVED_MEANWHILE in html
        assert "anne gemte det" in html
        assert "Intet af dit er gemt endnu, og intet af det, du skrev, er gået tabt." in html
        assert "<dt>Titel</dt>" in html and "Nu: Jobcafé for unge" in html
        # Anne's title has come into the form; the description typed here is kept.
        assert 'value="Jobcafé for unge"' in html
        assert "Hver tirsdag og torsdag.</textarea>" in html
        collaboration.refresh_from_db()
        assert (collaboration.title, collaboration.description) == ("Jobcafé for unge", "Hver tirsdag i caféen.")
        assert collaboration.version == 2

        # Saving the merged form keeps both changes.
        merged = dict(HIDDEN.findall(html))
        saved = staff_client.post(
            url,
            as_sent(collaboration, actors[:2], merged, description="Hver tirsdag og torsdag."),
        )
        assert saved.status_code == 302
        collaboration.refresh_from_db()
        assert (collaboration.title, collaboration.description) == ("Jobcafé for unge", "Hver tirsdag og torsdag.")
        assert collaboration.version == 3
        assert HistoryEntry.objects.filter(collaboration=collaboration, action="updated").count() == 2

    def test_where_both_changed_a_field_the_typing_is_kept_and_theirs_is_shown(
        self, staff_client, second_client, collaboration, actors
    ):
        url = edit_url(collaboration)
        anne_opened, staffs_opened = opened_form(second_client, url), opened_form(staff_client, url)
        second_client.post(url, as_sent(collaboration, actors[:2], anne_opened, goals="Ti unge i job i 2027."))

        html = html_of(
            staff_client.post(url, as_sent(collaboration, actors[:2], staffs_opened, goals="Tyve unge i praktik."))
        )

        assert "<dt>Mål og succeskriterier</dt>" in html
        assert "I har begge ændret det." in html and "Deres: Ti unge i job i 2027." in html
        assert "Tyve unge i praktik.</textarea>" in html
        collaboration.refresh_from_db()
        assert collaboration.goals == "Ti unge i job i 2027."

    def test_a_change_of_participants_is_merged_too(self, staff_client, second_client, collaboration, actors):
        url = edit_url(collaboration)
        anne_opened, staffs_opened = opened_form(second_client, url), opened_form(staff_client, url)
        second_client.post(url, as_sent(collaboration, actors, anne_opened))  # Anne adds UU Vestsjælland

        html = html_of(staff_client.post(url, as_sent(collaboration, actors[:2], staffs_opened, title="Ny titel")))

        assert "<dt>Hvem deltog?</dt>" in html and "UU Vestsjælland (Deltager)" in html
        assert f'name="participants" value="{actors[2].pk}"' in html
        assert 'value="Ny titel"' in html

    def test_a_save_that_does_not_say_which_version_it_edits_counts_as_stale(self, staff_client, collaboration, actors):
        response = staff_client.post(edit_url(collaboration), as_sent(collaboration, actors[:2], {}, title="Ny"))
        assert SAVED_MEANWHILE in html_of(response)
        assert 'value="Ny"' in html_of(response)
        collaboration.refresh_from_db()
        assert collaboration.title == "Fælles jobcafé"

    @pytest.mark.parametrize("version", ["abc", "-1", "99999999999999999999", "1e3", "١"])
    def test_a_hand_made_version_is_stale_and_no_error(self, staff_client, collaboration, actors, version):
        response = staff_client.post(
            edit_url(collaboration), as_sent(collaboration, actors[:2], {"version": version}, title="Ny")
        )
        assert response.status_code == 200
        collaboration.refresh_from_db()
        assert collaboration.title == "Fælles jobcafé"

    def test_an_edit_sent_after_a_deletion_comes_back_as_a_new_collaboration(
        self, staff_client, second_client, collaboration, actors, centre
    ):
        url = edit_url(collaboration)
        opened = opened_form(staff_client, url)
        delete_url = reverse("collaboration_delete", args=[centre.slug, collaboration.pk])
        assert second_client.post(delete_url, {"version": collaboration.version}).status_code == 302

        response = staff_client.post(url, as_sent(collaboration, actors[:2], opened, outcome="Tre fik job."))

        html = html_of(response)
        assert response.status_code == 200
        assert "Samarbejdet blev slettet, mens du redigerede det." in html
        assert "anne slettede det" in html
        assert f'action="{reverse("collaboration_create", args=[centre.slug])}"' in html
        assert "Tre fik job.</textarea>" in html and 'value="Fælles jobcafé"' in html
        new_token = dict(HIDDEN.findall(html))["submission"]
        logged_again = staff_client.post(
            reverse("collaboration_create", args=[centre.slug]),
            as_sent(collaboration, actors[:2], {"submission": new_token}, outcome="Tre fik job."),
        )
        assert logged_again.status_code == 302
        assert Collaboration.objects.get().outcome == "Tre fik job."

    def test_an_edit_of_a_collaboration_that_never_was_is_404(self, staff_client, centre, actors):
        url = reverse("collaboration_edit", args=[centre.slug, 999999])
        assert staff_client.post(url, collaboration_post(actors[:2])).status_code == 404

    def test_a_deletion_asks_again_when_the_collaboration_changed_after_the_page_opened(
        self, staff_client, second_client, collaboration, actors, centre
    ):
        delete_url = reverse("collaboration_delete", args=[centre.slug, collaboration.pk])
        version_on_the_page = collaboration.version
        anne_opened = opened_form(second_client, edit_url(collaboration))
        second_client.post(edit_url(collaboration), as_sent(collaboration, actors[:2], anne_opened, title="Nyt navn"))

        response = staff_client.post(delete_url, {"version": version_on_the_page})

        html = html_of(response)
        assert "Det blev ændret, efter du åbnede siden." in html and "Nyt navn" in html
        assert f'name="version" value="{version_on_the_page + 1}"' in html
        assert Collaboration.objects.filter(pk=collaboration.pk).exists()
        assert staff_client.post(delete_url, {"version": version_on_the_page + 1}).status_code == 302
        assert not Collaboration.objects.exists()


class TestDoubleSubmits:
    def test_the_log_form_carries_a_one_time_token(self, staff_client, centre):
        first = opened_form(staff_client, reverse("collaboration_create", args=[centre.slug]))
        second = opened_form(staff_client, reverse("collaboration_create", args=[centre.slug]))
        assert first["submission"] and second["submission"] and first["submission"] != second["submission"]

    def test_a_form_sent_twice_logs_one_collaboration(self, staff_client, centre, actors):
        url = reverse("collaboration_create", args=[centre.slug])
        data = collaboration_post(actors[:2]) | opened_form(staff_client, url)

        first, second = staff_client.post(url, data), staff_client.post(url, data)

        assert first.status_code == second.status_code == 302
        assert Collaboration.objects.count() == 1
        html = html_of(staff_client.get(second["Location"]))
        assert "“Fælles jobcafé” blev logget én gang; at sende formularen igen ændrer intet." in html
        assert HistoryEntry.objects.count() == 1

    def test_two_forms_opened_one_after_the_other_log_two_once_the_second_is_said_to_be_another(
        self, staff_client, centre, actors
    ):
        url = reverse("collaboration_create", args=[centre.slug])
        staff_client.post(url, collaboration_post(actors[:2]) | opened_form(staff_client, url))
        second = collaboration_post(actors[:2]) | opened_form(staff_client, url)
        # The same title, start and actors: the second form is shown the first before it makes a second.
        assert staff_client.post(url, second).status_code == 200 and Collaboration.objects.count() == 1
        first = Collaboration.objects.get()
        staff_client.post(url, second | {"another_than": str(first.pk)})
        assert Collaboration.objects.count() == 2

    def test_a_hand_made_token_is_refused_without_an_error(self, staff_client, centre, actors):
        url = reverse("collaboration_create", args=[centre.slug])
        response = staff_client.post(url, collaboration_post(actors[:2], submission="'; DROP TABLE x; --"))
        assert response.status_code == 200
        assert not Collaboration.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time")
@pytest.mark.django_db(transaction=True)
def test_two_copies_of_one_submission_at_the_same_moment_make_one_collaboration():
    """The second insert waits on the token's unique index until the first commits, then finds the first."""
    seed_themes()
    centre_user = make_user("staff")
    from tests.factories import make_centre

    centre = make_centre()
    actors = [make_actor(name="Jobcenter Slagelse"), make_actor(name="Café Sumak")]
    data = collaboration_post(actors) | {"submission": "6f1d3c6e-7b1a-4a63-9a52-0c5a3f1b2d11"}
    first_inserted, first_may_commit = threading.Event(), threading.Event()
    outcomes = {}

    def first():
        try:
            with transaction.atomic():
                form = CollaborationForm(data)
                assert form.is_valid()
                outcomes["first"] = save_collaboration(form, centre, centre_user).pk
                first_inserted.set()
                first_may_commit.wait(10)
        finally:
            connection.close()

    def second():
        try:
            first_inserted.wait(10)
            form = CollaborationForm(data)
            assert form.is_valid()
            try:
                outcomes["second"] = save_collaboration(form, centre, centre_user).pk
            except AlreadySubmitted as already:
                outcomes["second found"] = already.collaboration.pk
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_inserted.wait(10)
    time.sleep(0.3)  # the second is now waiting on the unique index
    first_may_commit.set()
    for thread in threads:
        thread.join(20)

    assert Collaboration.objects.count() == 1
    assert outcomes == {"first": Collaboration.objects.get().pk, "second found": Collaboration.objects.get().pk}
    assert HistoryEntry.objects.count() == 1
