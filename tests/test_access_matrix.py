"""Every address × every role × the user's own centre and someone else's: exactly 200, 403 or 404, never a leak.

Roles: anonymous; staff, coordinator and manager of `centre`; and for `other_centre` (whose objects are used under
the same addresses) none of them is a member, so every centre-scoped address answers 404 there. A new address
that is missing from ADDRESSES fails the first test.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from centres.models import Membership, Presence, Role
from collaboration.models import HistoryAction
from collaboration.records.services import record
from tests.factories import (
    make_actor,
    make_collaboration,
    make_import_run,
    make_membership,
    make_prepared_report,
    make_presence,
    make_round_with_a_proposal,
    make_user,
)

ROLES = ("anonymous", "staff", "coordinator", "manager")
OK, FORBIDDEN, NOT_FOUND, LOG_IN = "ok", 403, 404, "log in"
# What each role gets, in role order: anonymous, staff, coordinator, manager.
READ = (LOG_IN, OK, OK, OK)
LOG = (LOG_IN, OK, OK, FORBIDDEN)
MANAGE = (LOG_IN, FORBIDDEN, OK, FORBIDDEN)
REPORT = (LOG_IN, FORBIDDEN, OK, OK)
PUBLIC = (OK, OK, OK, OK)

# name: (methods, what each role gets, scoped to a centre?)
ADDRESSES = {
    "home": ("GET", READ, False),
    "login": ("GET", PUBLIC, False),
    # Logging out always ends on the login page.
    "logout": ("POST", (LOG_IN, LOG_IN, LOG_IN, LOG_IN), False),
    "health": ("GET", PUBLIC, False),
    "password_change": ("GET", READ, False),
    "password_change_done": ("GET", READ, False),
    "password_reset": ("GET", PUBLIC, False),
    "password_reset_done": ("GET", PUBLIC, False),
    "password_reset_confirm": ("GET", PUBLIC, False),
    "password_reset_complete": ("GET", PUBLIC, False),
    "actor_detail": ("GET", READ, False),
    # The actor is present only in `centre`: its coordinator may change it, no one else.
    "actor_edit": ("GET", MANAGE, False),
    "actor_merge": ("GET", MANAGE, False),
    "all_centres_map": ("GET", READ, False),
    "all_centres_map_charts": ("GET", READ, False),
    "all_centres_actor_panel": ("GET", READ, False),
    "figure_definitions": ("GET", READ, False),
    "report_builder": ("GET", REPORT, False),
    "report_download": ("GET", REPORT, False),
    "centre_detail": ("GET", READ, True),
    "collaboration_list": ("GET", READ, True),
    "collaboration_deletions": ("GET", READ, True),
    "collaboration_detail": ("GET", READ, True),
    "centre_map": ("GET", READ, True),
    "centre_map_table": ("GET", READ, True),
    "centre_map_charts": ("GET", READ, True),
    "actor_panel": ("GET", READ, True),
    "centre_overview": ("GET", READ, True),
    "presence_list": ("GET", READ, True),
    "collaboration_create": ("GET", LOG, True),
    "collaboration_edit": ("GET", LOG, True),
    "collaboration_delete": ("GET", LOG, True),
    "collaboration_restore": ("GET", MANAGE, True),
    "collaboration_form_refresh": ("POST", LOG, True),
    "actor_search": ("GET", LOG, True),
    "new_actor": ("GET", LOG, True),
    "actor_create": ("GET", MANAGE, True),
    "presence_create": ("GET", MANAGE, True),
    "presence_edit": ("GET", MANAGE, True),
    "presence_delete": ("POST", MANAGE, True),
    "membership_list": ("GET", MANAGE, True),
    "membership_edit": ("GET", MANAGE, True),
    "membership_delete": ("POST", MANAGE, True),
    "membership_unlock": ("POST", MANAGE, True),
    "import_upload": ("GET", MANAGE, True),
    "import_template": ("GET", MANAGE, True),
    # Without an upload behind it: a coordinator hears that the preview has expired (400), and is sent back.
    "import_preview": ("GET", (LOG_IN, FORBIDDEN, 400, FORBIDDEN), True),
    "import_confirm": ("POST", MANAGE, True),
    # A large import's page: the coordinator who confirmed it sees it.
    "import_run": ("GET", MANAGE, True),
    "round_list": ("GET", MANAGE, True),
    "round_create": ("GET", MANAGE, True),
    "round_detail": ("GET", MANAGE, True),
    "round_remind": ("POST", MANAGE, True),
    "round_close": ("POST", MANAGE, True),
    "invitation_revoke": ("POST", MANAGE, True),
    "invitation_resend": ("POST", MANAGE, True),
    "invitation_contact": ("GET", MANAGE, True),
    "invitation_create": ("GET", MANAGE, True),
    "proposal_accept": ("GET", MANAGE, True),
    # Without a reason: the coordinator is asked for one (400).
    "proposal_reject": ("POST", (LOG_IN, FORBIDDEN, 400, FORBIDDEN), True),
    # A partner's link needs no login and gives the same to everyone who has it; without answers, a form that
    # needs one says so (400).
    # A large report's page and file, asked for by the coordinator: theirs alone.
    "report_prepared": ("GET", (LOG_IN, FORBIDDEN, OK, NOT_FOUND), False),
    "report_prepared_file": ("GET", (LOG_IN, FORBIDDEN, OK, NOT_FOUND), False),
    "report_prepared_cancel": ("POST", (LOG_IN, FORBIDDEN, OK, NOT_FOUND), False),
    "partner_page": ("GET", PUBLIC, False),
    "partner_answer": ("POST", (400, 400, 400, 400), False),
    "partner_rating": ("POST", PUBLIC, False),
    "partner_proposal": ("POST", (400, 400, 400, 400), False),
    "partner_proposal_withdraw": ("POST", PUBLIC, False),
    "partner_comment": ("POST", PUBLIC, False),
    "partner_finish": ("POST", PUBLIC, False),
}
NOT_CHECKED = {"set_language", None}  # the language switch and the favicon's redirect: no data behind them


def named_addresses(patterns=None) -> set:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if hasattr(pattern, "url_patterns"):
            if str(pattern.pattern).startswith("admin"):
                continue
            names |= named_addresses(pattern.url_patterns)
        else:
            names.add(pattern.name)
    return names


def test_the_matrix_covers_every_address():
    assert named_addresses() - NOT_CHECKED == set(ADDRESSES)


@pytest.fixture
def world(centre, other_centre, coordinator):
    """An object of each kind in both centres: the same address with the other centre's object must be 404."""
    objects = {}
    for key, place in (("own", centre), ("other", other_centre)):
        actor = make_actor(name=f"Forening i {place.name}")
        presence = make_presence(place, actor)
        collaboration = make_collaboration(place, actors=[actor, make_actor()])
        record(collaboration, None, HistoryAction.CREATED, {})  # a version to restore
        member = make_membership(make_user(f"medlem-{place.slug}"), place, Role.STAFF)
        objects[key] = {"centre": place, "actor": actor, "presence": presence, "collaboration": collaboration}
        objects[key]["member"] = member
        objects[key] |= make_round_with_a_proposal(place, actor)
        owner = coordinator if key == "own" else make_user(f"rapport-{key}")
        objects[key]["prepared"] = make_prepared_report(owner, centres=[place])
        objects[key]["import_run"] = make_import_run(place, owner)
    return objects


def address(name: str, objects: dict, slug: str) -> tuple[str, dict]:
    """The URL and its query for an address, with the objects of one centre under the given centre's slug."""
    actor, collaboration = objects["actor"], objects["collaboration"]
    query = {}
    args = {
        "collaboration_detail": [slug, collaboration.pk],
        "collaboration_edit": [slug, collaboration.pk],
        "collaboration_delete": [slug, collaboration.pk],
        "collaboration_restore": [slug, collaboration.pk, collaboration.history.get().pk],
        "actor_panel": [slug, actor.pk],
        "presence_edit": [slug, objects["presence"].pk],
        "presence_delete": [slug, objects["presence"].pk],
        "membership_edit": [slug, objects["member"].pk],
        "membership_delete": [slug, objects["member"].pk],
        "membership_unlock": [slug, objects["member"].pk],
        "actor_detail": [actor.pk],
        "actor_edit": [actor.pk],
        "actor_merge": [actor.pk],
        "all_centres_actor_panel": [actor.pk],
        "report_download": ["xlsx"],
        "password_reset_confirm": ["MQ", "set-password"],
        "round_detail": [slug, objects["round"].pk],
        "round_remind": [slug, objects["round"].pk],
        "round_close": [slug, objects["round"].pk],
        "invitation_revoke": [slug, objects["round"].pk, objects["invitation"].pk],
        "invitation_resend": [slug, objects["round"].pk, objects["invitation"].pk],
        "invitation_contact": [slug, objects["round"].pk, objects["invitation"].pk],
        "invitation_create": [slug, objects["round"].pk],
        "proposal_accept": [slug, objects["round"].pk, objects["proposal"].pk],
        "proposal_reject": [slug, objects["round"].pk, objects["proposal"].pk],
        "report_prepared": [objects["prepared"].pk],
        "import_run": [slug, objects["import_run"].pk],
        "report_prepared_file": [objects["prepared"].pk],
        "report_prepared_cancel": [objects["prepared"].pk],
        "partner_page": [objects["token"]],
        "partner_answer": [objects["token"], collaboration.pk],
        "partner_rating": [objects["token"], objects["partner"].pk],
        "partner_proposal": [objects["token"]],
        "partner_proposal_withdraw": [objects["token"], objects["proposal"].pk],
        "partner_comment": [objects["token"]],
        "partner_finish": [objects["token"]],
    }.get(name)
    if args is None:
        args = [slug] if ADDRESSES[name][2] else []
    if name in ("actor_panel", "all_centres_actor_panel", "centre_map", "report_builder", "report_download"):
        query = {"start": "2026-01-01", "end": "2026-12-31"}
    if name in ("report_builder", "report_download"):
        query["centres"] = [objects["centre"].pk]
    if name == "actor_search":
        query = {"q": "Forening"}
    return reverse(name, args=args), query


def answer(client, method: str, url: str, query: dict):
    return client.get(url, query) if method == "GET" else client.post(url, query)


def outcome(response) -> object:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOG_IN
    if response.status_code in (200, 302):
        return OK
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ADDRESSES))
def test_each_role_gets_exactly_what_it_may_in_its_own_centre(request, client, world, role, name):
    method, expected, _scoped = ADDRESSES[name]
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url, query = address(name, world["own"], world["own"]["centre"].slug)
    assert outcome(answer(client, method, url, query)) == expected[ROLES.index(role)]


@pytest.mark.parametrize("role", ROLES[1:])
@pytest.mark.parametrize("name", sorted(name for name, (_m, _e, scoped) in ADDRESSES.items() if scoped))
def test_another_centre_is_not_found_whatever_the_role(request, client, world, role, name):
    method, _expected, _scoped = ADDRESSES[name]
    client.force_login(request.getfixturevalue(role))
    other = world["other"]
    url, query = address(name, other, other["centre"].slug)
    assert answer(client, method, url, query).status_code == 404


# The centre-scoped addresses that name an object of the centre as well.
WITH_AN_OBJECT = (
    "actor_panel",
    "round_detail",
    "round_remind",
    "round_close",
    "invitation_revoke",
    "invitation_resend",
    "invitation_contact",
    "invitation_create",
    "proposal_accept",
    "proposal_reject",
    "collaboration_delete",
    "collaboration_detail",
    "collaboration_edit",
    "collaboration_restore",
    "import_run",
    "membership_delete",
    "membership_edit",
    "membership_unlock",
    "presence_delete",
    "presence_edit",
)


@pytest.mark.parametrize("role", ROLES[1:])
@pytest.mark.parametrize("name", WITH_AN_OBJECT)
def test_another_centres_object_under_ones_own_centre_is_not_found(request, client, world, role, name):
    method, expected, _scoped = ADDRESSES[name]
    url_mixed, query = address(name, world["other"], world["own"]["centre"].slug)
    client.force_login(request.getfixturevalue(role))
    status = answer(client, method, url_mixed, query).status_code
    # Refused by role before the object is looked at (403), or not found: never the other centre's object.
    assert status == (403 if expected[ROLES.index(role)] == FORBIDDEN else 404)


def test_nothing_in_the_other_centre_changed(client, world, coordinator):
    client.force_login(coordinator)
    other = world["other"]
    before = (
        list(Presence.objects.filter(centre=other["centre"]).values_list("pk", "kind")),
        list(Membership.objects.filter(centre=other["centre"]).values_list("pk", "role")),
    )
    for name in ("presence_delete", "membership_delete", "membership_unlock"):
        url, _query = address(name, other, world["own"]["centre"].slug)
        assert client.post(url).status_code == 404
    after = (
        list(Presence.objects.filter(centre=other["centre"]).values_list("pk", "kind")),
        list(Membership.objects.filter(centre=other["centre"]).values_list("pk", "role")),
    )
    assert before == after
