"""Two coordinators at one actor or presence: a stale save is merged; a name taken meanwhile is explained."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from centres.forms import ActorForm
from centres.models import Actor, ActorCategory, Role
from centres.services import save_actor
from samkort.concurrency import Refused
from tests.factories import make_actor, make_membership, make_user
from tests.helpers import html_of

SAVED_MEANWHILE = "Dette blev gemt, mens du redigerede – af en anden eller af dig i en anden fane."

HIDDEN = re.compile(r'<input type="hidden" name="(version|opened)" value="([^"]*)"')


def opened_form(client, url) -> dict[str, str]:
    return dict(HIDDEN.findall(html_of(client.get(url))))


@pytest.fixture
def second_coordinator(centre):
    user = make_user("bo")
    make_membership(user, centre, Role.COORDINATOR)
    client = Client()
    client.force_login(user)
    return client


def actor_data(actor: Actor, opened: dict, **changes) -> dict:
    data = {
        "name": actor.name,
        "category": actor.category,
        "description": actor.description,
        "website": actor.website,
        "email": actor.email,
        "active": "on",
    }
    return data | opened | changes


def test_a_stale_actor_save_is_merged_and_names_who_saved(coordinator_client, second_coordinator, cafe, presence):
    url = reverse("actor_edit", args=[cafe.pk])
    bo_opened, mine_opened = opened_form(second_coordinator, url), opened_form(coordinator_client, url)
    assert second_coordinator.post(url, actor_data(cafe, bo_opened, name="Café Sumak ApS")).status_code == 302

    response = coordinator_client.post(url, actor_data(cafe, mine_opened, description="Kantine og catering"))

    html = html_of(response)
    assert SAVED_MEANWHILE in html and "bo gemte det" in html
    assert 'value="Café Sumak ApS"' in html and "Kantine og catering</textarea>" in html
    cafe.refresh_from_db()
    assert (cafe.name, cafe.description, cafe.version) == ("Café Sumak ApS", "", 2)


def test_a_stale_presence_save_is_merged(coordinator_client, second_coordinator, centre, presence):
    url = reverse("presence_edit", args=[centre.slug, presence.pk])
    bo_opened, mine_opened = opened_form(second_coordinator, url), opened_form(coordinator_client, url)
    base = {"actor": presence.actor_id, "kind": presence.kind, "started_on": "2025-01-01", "ended_on": "", "note": ""}
    second_coordinator.post(url, base | bo_opened | {"note": "Mandag og onsdag"})

    html = html_of(coordinator_client.post(url, base | mine_opened | {"ended_on": "2026-12-31"}))

    assert SAVED_MEANWHILE in html
    assert 'value="Mandag og onsdag"' in html and 'value="2026-12-31"' in html
    presence.refresh_from_db()
    assert (presence.note, presence.ended_on) == ("Mandag og onsdag", None)


def test_a_name_taken_between_checking_and_saving_is_explained_not_a_500(db):
    form = ActorForm({"name": "Ældreråd Nord", "category": "residents_group"})
    assert form.is_valid()
    make_actor(name="ÆLDRERÅD NORD", category=ActorCategory.RESIDENTS_GROUP)  # a parallel request's

    with pytest.raises(Refused):
        save_actor(form, None)

    assert form.errors["name"] == ["ÆLDRERÅD NORD findes allerede."]
    assert Actor.objects.count() == 1


def test_a_member_added_by_two_requests_at_once_is_added_once_and_both_are_told_so(db, centre, coordinator):
    from centres.forms import MembershipForm
    from centres.models import Membership
    from centres.services import AlreadyMember, add_member

    colleague = make_user("kollega")
    first = MembershipForm({"username": "kollega", "role": Role.STAFF}, centre=centre)
    second = MembershipForm({"username": "kollega", "role": Role.STAFF}, centre=centre)
    other_role = MembershipForm({"username": "kollega", "role": Role.MANAGER}, centre=centre)
    # All three checked before any was saved, as parallel requests are.
    assert first.is_valid() and second.is_valid() and other_role.is_valid()

    add_member(first)
    with pytest.raises(AlreadyMember) as same:
        add_member(second)
    with pytest.raises(AlreadyMember) as different:
        add_member(other_role)
    assert same.value.same_role and not different.value.same_role
    assert Membership.objects.get(user=colleague, centre=centre).role == Role.STAFF


def test_a_presence_removed_by_two_requests_at_once_is_removed_and_recorded_once(db, centre, coordinator):
    from centres.models import ActorHistoryAction, ActorHistoryEntry
    from centres.services import remove_presence
    from tests.factories import make_presence

    presence = make_presence(centre, make_actor(name="Café Sumak"))
    # Both requests read the presence before either removed it.
    assert remove_presence(presence, coordinator) is True
    assert remove_presence(presence, coordinator) is False
    assert ActorHistoryEntry.objects.filter(action=ActorHistoryAction.PRESENCE_REMOVED).count() == 1
