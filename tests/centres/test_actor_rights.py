"""An actor's name, category and activity are shared by every centre it works with: no centre renames another
centre's partner, and every change, to the actor or its presences, is in a history those centres can read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from centres.models import Actor, ActorCategory, ActorHistoryAction, ActorHistoryEntry, Presence, Role
from tests.factories import make_actor, make_collaboration, make_membership, make_presence, make_user
from tests.helpers import html_of


@pytest.fixture
def shared(centre, other_centre):
    """The job centre, present in `centre` and in `other_centre`."""
    actor = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    make_presence(centre, actor)
    make_presence(other_centre, actor)
    return actor


@pytest.fixture
def other_coordinator(other_centre):
    """Coordinator of `other_centre` only."""
    user = make_user("anden-tovholder")
    make_membership(user, other_centre, Role.COORDINATOR)
    return user


def rename(client, actor, name: str):
    """As a coordinator who has just opened the actor's form."""
    version = Actor.objects.get(pk=actor.pk).version
    data = {"name": name, "category": actor.category, "active": "on", "version": version}
    return client.post(reverse("actor_edit", args=[actor.pk]), data)


def test_a_coordinator_renames_an_actor_only_their_centre_works_with(coordinator_client, centre, cafe, presence):
    response = rename(coordinator_client, cafe, "Café Sumak ApS")
    assert response.status_code == 302
    cafe.refresh_from_db()
    assert cafe.name == "Café Sumak ApS"
    entry = ActorHistoryEntry.objects.get(action=ActorHistoryAction.CHANGED)
    assert entry.user.username == "coordinator"
    assert entry.changes == {"name": ["Café Sumak", "Café Sumak ApS"]}


def test_an_actor_shared_with_a_centre_they_do_not_coordinate_is_not_theirs_to_rename(coordinator_client, shared):
    assert rename(coordinator_client, shared, "Jobcenter Korsør").status_code == 403
    shared.refresh_from_db()
    assert shared.name == "Jobcenter Slagelse"
    html = html_of(coordinator_client.get(reverse("actor_detail", args=[shared.pk])))
    assert reverse("actor_edit", args=[shared.pk]) not in html
    assert "arbejder også sammen med 1 center, som du ikke er tovholder for" in html


def test_collaborating_in_another_centre_makes_the_actor_shared_too(coordinator_client, centre, other_centre, cafe):
    make_presence(centre, cafe)
    make_collaboration(other_centre, actors=[cafe, make_actor()])
    assert rename(coordinator_client, cafe, "Ny café").status_code == 403


def test_a_coordinator_of_every_centre_it_works_with_may_rename_it(client, centre, other_centre, shared):
    both = make_user("begge")
    make_membership(both, centre, Role.COORDINATOR)
    make_membership(both, other_centre, Role.COORDINATOR)
    client.force_login(both)
    assert rename(client, shared, "Jobcenter Vestsjælland").status_code == 302


def test_taking_over_another_centres_partner_through_a_presence_fails_and_is_recorded(
    client, centre, cafe, presence, other_coordinator, other_centre
):
    """The probe: add a presence for another centre's actor, rename it, remove the presence again."""
    client.force_login(other_coordinator)
    response = client.post(reverse("presence_create", args=[other_centre.slug]), {"actor": cafe.pk, "kind": "ad_hoc"})
    assert response.status_code == 302
    assert rename(client, cafe, "Overtaget").status_code == 403
    added = Presence.objects.get(centre=other_centre, actor=cafe)
    client.post(reverse("presence_delete", args=[other_centre.slug, added.pk]))
    cafe.refresh_from_db()
    assert cafe.name == "Café Sumak"
    actions = list(
        ActorHistoryEntry.objects.filter(actor=cafe).order_by("at", "id").values_list("action", "user__username")
    )
    assert actions == [
        (ActorHistoryAction.PRESENCE_ADDED, "anden-tovholder"),
        (ActorHistoryAction.PRESENCE_REMOVED, "anden-tovholder"),
    ]


def test_every_centre_of_the_actor_sees_changes_to_its_details_but_only_its_own_presences(
    client, staff, centre, other_centre, shared, other_coordinator
):
    # The other centre's coordinator changes only their own presence; an administrator renames the actor.
    client.force_login(other_coordinator)
    presence = Presence.objects.get(centre=other_centre, actor=shared)
    edited = client.post(
        reverse("presence_edit", args=[other_centre.slug, presence.pk]),
        {"actor": shared.pk, "kind": "ad_hoc", "note": "Kommer om tirsdagen", "version": presence.version},
    )
    assert edited.status_code == 302
    admin = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.post(
        reverse("admin:centres_actor_change", args=[shared.pk]),
        {"name": "Jobcenter Vestsjælland", "category": shared.category, "active": "on", "description": ""},
    )
    shared.refresh_from_db()
    assert shared.name == "Jobcenter Vestsjælland"

    client.force_login(staff)
    html = html_of(client.get(reverse("actor_detail", args=[shared.pk])))
    history = html.split('id="actor-history"')[1]
    assert "admin" in history and "Jobcenter Slagelse" in history and "Jobcenter Vestsjælland" in history
    assert "Kommer om tirsdagen" not in history and "anden-tovholder" not in history


def test_a_presences_dates_and_kind_read_as_the_reader_writes_them(coordinator_client, centre, cafe, presence):
    url = reverse("presence_edit", args=[centre.slug, presence.pk])
    data = {"actor": cafe.pk, "kind": "ad_hoc", "started_on": "2025-02-03", "ended_on": "2026-11-30"}
    assert coordinator_client.post(url, data | {"version": presence.version}).status_code == 302

    history = html_of(coordinator_client.get(reverse("actor_detail", args=[cafe.pk]))).split('id="actor-history"')[1]

    assert "30.11.2026" in history and "2026-11-30" not in history
    assert "Bruger centret ad hoc" in history
