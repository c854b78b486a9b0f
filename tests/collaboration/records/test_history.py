"""A collaboration's history: what changed, field by field; an earlier version restored; deleted on a schedule,
and with the collaboration."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centres.models import ActorCategory, ActorHistoryEntry
from collaboration.models import Collaboration, HistoryAction, HistoryEntry
from tests.factories import collaboration_post, make_actor, make_collaboration, make_user
from tests.helpers import form_values, html_of


@pytest.mark.django_db
def test_purge_history_deletes_only_entries_older_than_the_retention(centre, settings):
    settings.HISTORY_RETENTION_DAYS = 30
    old = HistoryEntry.objects.create(centre=centre, title="Gammel", action="created")
    HistoryEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=31))
    recent = HistoryEntry.objects.create(centre=centre, title="Ny", action="created")

    call_command("purge_history")

    assert list(HistoryEntry.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_purge_history_deletes_expired_sessions_and_keeps_live_ones():
    """A session outlives its login in the database until it is cleared: logins and forms kept for after one."""
    expired, live = SessionStore(), SessionStore()
    for session, age in ((expired, -1), (live, 3600)):
        session["kept"] = "et referat"
        session.set_expiry(age)
        session.save()

    call_command("purge_history")

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


# -- What changed, restoring a version, deleting for real ------------------------------------------------------------


@pytest.fixture
def actors(db):
    return [
        make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE),
        make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE),
    ]


def edit_through_the_form(client, collaboration, **changes):
    """As a user does it: open the edit form, change some fields, save."""
    url = reverse("collaboration_edit", args=[collaboration.centre.slug, collaboration.pk])
    data = form_values(html_of(client.get(url)), "collaboration-form") | changes
    response = client.post(url, data)
    assert response.status_code == 302, html_of(response)


@pytest.fixture
def edited(staff, centre, actors):
    """Logged by `staff` with goals, then edited twice (in a browser of their own): three versions in the history."""
    staff_client = Client()
    staff_client.force_login(staff)
    url = reverse("collaboration_create", args=[centre.slug])
    data = form_values(html_of(staff_client.get(url)), "collaboration-form")
    data |= collaboration_post(actors, title="Jobcafé", goals="Ti unge i job.", description="Tirsdage i caféen.")
    assert staff_client.post(url, data).status_code == 302
    collaboration = Collaboration.objects.get()
    edit_through_the_form(staff_client, collaboration, title="Jobcafé for unge")
    edit_through_the_form(staff_client, collaboration, goals="Tyve unge i job.", outcome="Otte fik job.")
    return collaboration


def detail(client, collaboration) -> str:
    return html_of(client.get(collaboration.get_absolute_url()))


def test_the_history_shows_what_changed_field_by_field(staff_client, edited):
    html = detail(staff_client, edited)
    assert "Hvad blev ændret: 2 felter" in html
    assert '<th scope="row">Mål og succeskriterier</th><td>Ti unge i job.</td><td>Tyve unge i job.</td>' in html
    assert '<th scope="row">Resultat</th><td>–</td><td>Otte fik job.</td>' in html
    assert "Hvad blev ændret: 1 felt" in html
    assert '<th scope="row">Titel</th><td>Jobcafé</td><td>Jobcafé for unge</td>' in html


def test_a_long_history_shows_the_latest_changes_and_says_where_the_rest_is(staff_client, staff, edited):
    for n in range(20):
        HistoryEntry.objects.create(
            centre=edited.centre, collaboration=edited, title=f"Udgave {n}", action="updated", user=staff
        )
    html = detail(staff_client, edited)
    assert html.count("<li>\n        <p><time datetime=") == 20
    assert "De seneste 20 af 23 ændringer." in html
    assert "oprettede" not in html.split('id="history"')[1]

    everything = html_of(staff_client.get(edited.get_absolute_url(), {"history": "all"}))
    assert everything.count("<li>\n        <p><time datetime=") == 23
    assert "De seneste" not in everything and "oprettede" in everything.split('id="history"')[1]


def test_the_history_reads_in_each_readers_language_whoever_saved_it(staff, edited):
    english = staff_client_in(staff, "en")
    edit_through_the_form(english, edited, frequency="monthly", ended_on="2026-11-30", citizen_count="1234")

    danish = detail(staff_client_in(staff, "da"), edited)
    assert '<th scope="row">Hvor ofte</th><td>Ugentligt</td><td>Månedligt</td>' in danish
    assert '<th scope="row">Slutdato</th><td>–</td><td>30.11.2026</td>' in danish
    assert "<td>1.234</td>" in danish
    assert "Monthly" not in danish and "2026-11-30" not in danish
    assert "<td>Monthly</td>" in detail(english, edited)


def staff_client_in(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_a_coordinator_restores_an_earlier_version_as_a_new_recorded_edit(coordinator_client, edited):
    first = edited.history.get(action="created")
    restore_url = reverse("collaboration_restore", args=[edited.centre.slug, edited.pk, first.pk])
    assert restore_url in detail(coordinator_client, edited)

    form_page = html_of(coordinator_client.get(restore_url))
    assert "Formularen viser versionen fra" in form_page
    assert 'value="Jobcafé"' in form_page and "Ti unge i job.</textarea>" in form_page
    edited.refresh_from_db()
    assert edited.title == "Jobcafé for unge"  # nothing changes before the coordinator saves

    response = coordinator_client.post(restore_url, form_values(form_page, "collaboration-form"))

    assert response.status_code == 302
    edited.refresh_from_db()
    assert (edited.title, edited.goals, edited.outcome, edited.version) == ("Jobcafé", "Ti unge i job.", "", 4)
    restored = edited.history.first()
    assert restored.action == HistoryAction.RESTORED
    assert restored.changes["title"] == ["Jobcafé for unge", "Jobcafé"]
    assert restored.changes["outcome"] == ["Otte fik job.", ""]
    html = detail(coordinator_client, edited)
    assert "Versionen fra" in html and "er gendannet." in html
    assert "coordinator gendannede en tidligere version" in html


def test_the_newest_version_is_not_offered_for_restoring_and_staff_are_offered_none(staff, coordinator_client, edited):
    staff_client = Client()
    staff_client.force_login(staff)
    newest = edited.history.first()
    newest_url = reverse("collaboration_restore", args=[edited.centre.slug, edited.pk, newest.pk])
    assert newest_url not in detail(coordinator_client, edited)
    assert "Gendan denne version" not in detail(staff_client, edited)
    first = edited.history.get(action="created")
    url = reverse("collaboration_restore", args=[edited.centre.slug, edited.pk, first.pk])
    assert staff_client.get(url).status_code == 403


def test_a_restore_of_another_collaborations_version_is_404(coordinator_client, edited, centre, actors):
    other = make_collaboration(centre, actors=actors)
    entry = edited.history.get(action="created")
    assert (
        coordinator_client.get(reverse("collaboration_restore", args=[centre.slug, other.pk, entry.pk])).status_code
        == 404
    )


def test_deleting_removes_the_content_from_the_history_and_keeps_who_deleted_what_when(staff_client, edited):
    delete_url = reverse("collaboration_delete", args=[edited.centre.slug, edited.pk])
    assert staff_client.post(delete_url, {"version": Collaboration.objects.get().version}).status_code == 302

    entries = list(HistoryEntry.objects.order_by("at", "id"))
    assert [entry.action for entry in entries] == ["created", "updated", "updated", "deleted"]
    assert all(entry.changes == {} and entry.state == {} for entry in entries)
    assert [entry.title for entry in entries] == ["Jobcafé", "Jobcafé for unge", "Jobcafé for unge", "Jobcafé for unge"]
    assert {entry.user.username for entry in entries} == {"staff"}
    everything_kept = json.dumps([entry.changes | entry.state for entry in entries]) + str(
        list(HistoryEntry.objects.values())
    )
    for content in ("Ti unge", "Tyve unge", "Otte fik job", "Tirsdage", "Café Sumak"):
        assert content not in everything_kept


# -- The admin writes history like every other way in ---------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    return client


def test_the_centres_members_see_who_deleted_which_collaboration_when(staff_client, staff, edited, centre):
    assert "Ingen af centrets samarbejder er slettet." in html_of(
        staff_client.get(reverse("collaboration_deletions", args=[centre.slug]))
    )
    delete_url = reverse("collaboration_delete", args=[centre.slug, edited.pk])
    staff_client.post(delete_url, {"version": Collaboration.objects.get().version})

    page = html_of(staff_client.get(reverse("collaboration_deletions", args=[centre.slug])))

    assert "Jobcafé for unge" in page and staff.username in page
    assert "Tyve unge i job." not in page  # what it said is gone
    assert reverse("collaboration_deletions", args=[centre.slug]) in html_of(
        staff_client.get(reverse("collaboration_list", args=[centre.slug]))
    )


def test_an_edit_in_the_admin_is_recorded_with_its_participants(admin_client, edited, actors):
    url = reverse("admin:collaboration_collaboration_change", args=[edited.pk])
    data = form_values(html_of(admin_client.get(url)), "collaboration_form")
    data |= {"title": "Rettet i admin", "_save": "Gem"}

    response = admin_client.post(url, data)

    assert response.status_code == 302, html_of(response)
    entry = edited.history.first()
    assert (entry.action, entry.user.username) == ("updated", "admin")
    assert entry.changes == {"title": ["Jobcafé for unge", "Rettet i admin"]}
    assert entry.state["participants"] == sorted([actor.pk, "participant"] for actor in actors)
    edited.refresh_from_db()
    assert edited.version == 4


def test_a_deletion_in_the_admin_deletes_the_content_from_the_history_too(admin_client, edited):
    url = reverse("admin:collaboration_collaboration_delete", args=[edited.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Collaboration.objects.exists()
    assert list(HistoryEntry.objects.values_list("action", flat=True).order_by("at", "id"))[-1] == "deleted"
    assert all(entry.changes == {} for entry in HistoryEntry.objects.all())


def test_a_presence_changed_in_the_admin_is_in_the_actors_history(admin_client, centre, cafe, presence):
    url = reverse("admin:centres_presence_change", args=[presence.pk])
    data = form_values(html_of(admin_client.get(url)), "presence_form") | {"note": "Kun om fredagen"}

    assert admin_client.post(url, data).status_code == 302

    entry = ActorHistoryEntry.objects.get(actor=cafe)
    assert (entry.action, entry.centre, entry.user.username) == ("presence_changed", centre, "admin")
    assert entry.changes == {"note": ["", "Kun om fredagen"]}
