"""A centre always keeps a coordinator, however many step down at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from centres.models import Membership, Role
from centres.services import LastCoordinator, MemberGone, change_role, remove_member
from tests.factories import make_centre, make_membership, make_user


def two_coordinators():
    centre = make_centre()
    return centre, [make_membership(make_user(name), centre, Role.COORDINATOR) for name in ("anna", "bo")]


@pytest.mark.django_db
def test_the_last_coordinator_can_neither_step_down_nor_leave():
    _centre, (anna, bo) = two_coordinators()
    change_role(anna, Role.STAFF)
    with pytest.raises(LastCoordinator):
        change_role(Membership.objects.get(pk=bo.pk), Role.STAFF)
    with pytest.raises(LastCoordinator):
        remove_member(Membership.objects.get(pk=bo.pk))
    assert Membership.objects.get(pk=bo.pk).role == Role.COORDINATOR


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database lives in one shared memory cache, whose table locks fail at once instead of waiting",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step_down", [lambda m: change_role(m, Role.STAFF), remove_member], ids=["demote", "leave"])
def test_two_coordinators_stepping_down_at_the_same_moment_leave_one(step_down):
    centre, members = two_coordinators()
    start, refused = threading.Barrier(2), []

    def each(member):
        try:
            start.wait()
            step_down(Membership.objects.get(pk=member.pk))
        except LastCoordinator:
            refused.append(member.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=each, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(refused) == 1
    assert Membership.objects.filter(centre=centre, role=Role.COORDINATOR).count() == 1


@pytest.mark.django_db
def test_a_member_removed_meanwhile_has_no_role_to_change():
    _centre, (anna, bo) = two_coordinators()
    remove_member(Membership.objects.get(pk=bo.pk))
    with pytest.raises(MemberGone):
        change_role(bo, Role.STAFF)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database lives in one shared memory cache, whose table locks fail at once instead of waiting",
)
@pytest.mark.django_db(transaction=True)
def test_a_presence_removed_by_four_requests_at_the_same_moment_is_recorded_once():
    from centres.models import ActorHistoryAction, ActorHistoryEntry, Presence
    from centres.services import remove_presence
    from tests.factories import make_actor, make_presence

    centre, (anna, _bo) = two_coordinators()
    presence = make_presence(centre, make_actor(name="Café Sumak"))
    start, removed = threading.Barrier(4), []

    def each():
        try:
            stale = Presence.objects.get(pk=presence.pk)  # each request found it before any removed it
            start.wait()
            removed.append(remove_presence(stale, anna.user))
        finally:
            connection.close()

    threads = [threading.Thread(target=each) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(removed) == [False, False, False, True]
    assert ActorHistoryEntry.objects.filter(action=ActorHistoryAction.PRESENCE_REMOVED).count() == 1
