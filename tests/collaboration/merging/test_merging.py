"""A coordinator merges an actor that is in Samkort twice into the one that stays: nothing of either is lost."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from centres.models import Actor, ActorCategory, ActorHistoryAction, ActorHistoryEntry, Presence, PresenceKind
from collaboration.models import ActorPosition, HistoryAction, HistoryEntry, ParticipantRole, Participation
from collaboration.network.graph import data_version
from collaboration.records.services import record
from collaboration.rounds.models import Invitation, Rating
from tests.factories import make_actor, make_collaboration, make_invitation, make_presence, make_round
from tests.helpers import html_of


@pytest.fixture
def going(centre):
    """An import's spelling of the municipality, present in the centre."""
    actor = make_actor(name="Kommunen", category=ActorCategory.MUNICIPAL_OTHER, website="https://slagelse.dk")
    make_presence(
        centre,
        actor,
        kind=PresenceKind.AD_HOC,
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2020, 12, 31),
    )
    return actor


@pytest.fixture
def staying(centre):
    """The register's name for the same municipality."""
    actor = make_actor(name="Slagelse Kommune", category=ActorCategory.MUNICIPAL_OTHER)
    make_presence(centre, actor, started_on=datetime.date(2024, 1, 1))
    return actor


@pytest.fixture
def cafe(centre):
    return make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)


def merge_url(going) -> str:
    return reverse("actor_merge", args=[going.pk])


def merge(client, going, staying, **overrides):
    data = {"into": staying.pk, "going_version": going.version, "staying_version": staying.version} | overrides
    return client.post(merge_url(going), data)


def test_a_coordinator_reads_what_the_merge_does_before_merging(coordinator_client, centre, going, staying, cafe):
    make_collaboration(centre, actors=[going, cafe], title="Jobcafé")

    html = html_of(coordinator_client.get(merge_url(going), {"into": staying.pk}))

    assert "Kommunen forsvinder, Slagelse Kommune bliver" in html
    assert "1 samarbejde flyttes til Slagelse Kommune." in html
    assert "Dens tilknytning til Kvarterhuset er ikke bevaret" not in html
    assert "Oplysninger, den har og den anden mangler, bevares: hjemmeside." in html
    assert "Slå Kommunen sammen med Slagelse Kommune</button>" in html
    assert Actor.objects.filter(pk=going.pk).exists()  # reading the plan changes nothing


def test_the_collaborations_presences_and_history_move_to_the_actor_that_stays(
    coordinator_client, coordinator, centre, going, staying, cafe
):
    jobcafe = make_collaboration(centre, actors=[going, cafe], title="Jobcafé")
    going.history.create(user=coordinator, action=ActorHistoryAction.CREATED)

    response = merge(coordinator_client, going, staying)

    assert response.status_code == 302 and response.url == staying.get_absolute_url()
    assert not Actor.objects.filter(pk=going.pk).exists()
    assert {p.actor for p in jobcafe.participations.all()} == {staying, cafe}
    jobcafe.refresh_from_db()
    assert jobcafe.version == 2  # an edit form opened before the merge names the actor that went: it is refused
    assert set(Presence.objects.filter(centre=centre).values_list("actor__name", "started_on")) == {
        ("Slagelse Kommune", datetime.date(2020, 1, 1)),
        ("Slagelse Kommune", datetime.date(2024, 1, 1)),
    }
    entry = jobcafe.history.get()
    assert entry.action == HistoryAction.MERGED
    assert entry.changes["participants"] == [
        "Kommunen (participant), Café Sumak (participant)",
        "Slagelse Kommune (participant), Café Sumak (participant)",
    ]
    staying.refresh_from_db()
    assert staying.website == "https://slagelse.dk"
    merged = staying.history.get(action=ActorHistoryAction.MERGED)
    assert merged.user == coordinator and merged.merged_actor_id == going.pk
    assert merged.changes["merged_with"] == ["", "Kommunen"]
    assert staying.history.filter(action=ActorHistoryAction.CREATED).exists()  # the going actor's own history
    [message] = get_messages(response.wsgi_request)
    assert str(message) == "Kommunen er slået sammen med Slagelse Kommune."
    html = html_of(coordinator_client.get(staying.get_absolute_url()))
    assert "slået sammen med en anden aktør" in html and "Slået sammen med: Kommunen" in html


def test_where_both_took_part_the_staying_actor_keeps_its_place_and_role(
    coordinator_client, centre, going, staying, cafe
):
    roles = [ParticipantRole.LEAD, ParticipantRole.PARTICIPANT, ParticipantRole.PARTICIPANT]
    festival = make_collaboration(centre, actors=[cafe, going, staying], roles=roles, title="Sommerfest")

    assert merge(coordinator_client, going, staying).status_code == 302

    assert set(festival.participations.values_list("actor__name", "role")) == {
        ("Café Sumak", ParticipantRole.LEAD),
        ("Slagelse Kommune", ParticipantRole.PARTICIPANT),
    }


def test_a_collaboration_of_only_the_two_stops_the_merge_and_says_which(
    coordinator_client, centre, going, staying, cafe
):
    alone = make_collaboration(centre, actors=[going, staying], title="Møde mellem de to")

    html = html_of(coordinator_client.get(merge_url(going), {"into": staying.pk}))
    assert "De to aktører kan ikke slås sammen endnu. Intet er ændret." in html
    assert alone.get_absolute_url() in html and "Møde mellem de to" in html
    assert "</button>" not in html.split('id="merge-plan"')[1]

    response = merge(coordinator_client, going, staying)

    assert response.status_code == 200
    assert Actor.objects.filter(pk=going.pk).exists()
    assert set(alone.participations.values_list("actor", flat=True)) == {going.pk, staying.pk}


def test_a_presence_in_the_same_period_as_the_staying_actors_is_not_kept_and_the_history_says_so(
    coordinator_client, centre, going, staying
):
    make_presence(centre, going, started_on=datetime.date(2025, 6, 1))

    html = html_of(coordinator_client.get(merge_url(going), {"into": staying.pk}))
    assert (
        "Dens tilknytning til Kvarterhuset er ikke bevaret: Slagelse Kommune er tilknyttet der i samme periode." in html
    )
    assert merge(coordinator_client, going, staying).status_code == 302

    assert list(Presence.objects.filter(centre=centre).order_by("started_on").values_list("actor", "started_on")) == [
        (staying.pk, datetime.date(2020, 1, 1)),
        (staying.pk, datetime.date(2024, 1, 1)),
    ]
    merged = staying.history.get(action=ActorHistoryAction.MERGED)
    assert merged.changes["presence_not_kept"] == ["", "Kvarterhuset (har base i centret, 01.06.2025 – …)"]


def test_earlier_versions_in_a_collaborations_history_name_the_staying_actor(
    coordinator, centre, going, staying, cafe, coordinator_client
):
    jobcafe = make_collaboration(centre, actors=[going, cafe], title="Jobcafé")
    earlier = record(jobcafe, coordinator, HistoryAction.CREATED, {})
    assert [going.pk, ParticipantRole.PARTICIPANT] in earlier.state["participants"]

    merge(coordinator_client, going, staying)

    earlier.refresh_from_db()
    assert earlier.state["participants"] == sorted([[cafe.pk, "participant"], [staying.pk, "participant"]])


def test_a_version_of_a_collaboration_the_going_actor_has_since_left_names_the_staying_one(
    coordinator, centre, going, staying, cafe, coordinator_client
):
    library = make_actor(name="Korsør Bibliotek")
    jobcafe = make_collaboration(centre, actors=[going, cafe, library], title="Jobcafé")
    earlier = record(jobcafe, coordinator, HistoryAction.CREATED, {})
    Participation.objects.filter(collaboration=jobcafe, actor=going).delete()
    record(jobcafe, coordinator, HistoryAction.UPDATED, {})

    merge(coordinator_client, going, staying)

    earlier.refresh_from_db()
    assert [staying.pk, "participant"] in earlier.state["participants"]
    assert going.pk not in {actor_id for actor_id, _role in earlier.state["participants"]}


def test_the_old_address_and_a_second_merge_lead_to_the_actor_that_stayed(coordinator_client, going, staying):
    old_address, going_pk = going.get_absolute_url(), going.pk
    merge(coordinator_client, going, staying)

    for response in (coordinator_client.get(old_address), merge(coordinator_client, going, staying)):
        assert response.status_code == 302 and response.url == staying.get_absolute_url()
        assert "Kommunen er blevet slået sammen med Slagelse Kommune." in [
            str(m) for m in get_messages(response.wsgi_request)
        ]
    assert coordinator_client.get(reverse("actor_detail", args=[going_pk + 1000])).status_code == 404


def test_a_merge_from_a_page_read_before_a_colleague_changed_an_actor_is_not_done(coordinator_client, going, staying):
    page_version = staying.version
    Actor.objects.filter(pk=staying.pk).update(name="Slagelse Kommune, Center for Børn", version=page_version + 1)

    response = merge(coordinator_client, going, staying, staying_version=page_version)

    assert response.status_code == 200
    assert "En af aktørerne blev ændret, efter du åbnede siden." in html_of(response)
    assert Actor.objects.filter(pk=going.pk).exists()
    assert "Slagelse Kommune, Center for Børn" in html_of(response)


@pytest.mark.parametrize("who", ["staff_client", "manager_client"])
def test_only_a_coordinator_of_every_centre_of_the_actor_merges_it(request, who, going, staying):
    client = request.getfixturevalue(who)
    assert client.get(merge_url(going)).status_code == 403
    assert merge(client, going, staying).status_code == 403
    assert Actor.objects.filter(pk=going.pk).exists()


def test_an_actor_that_also_works_with_another_coordinators_centre_cannot_be_chosen(
    coordinator_client, other_centre, going, staying
):
    make_presence(other_centre, staying)

    response = merge(coordinator_client, going, staying)

    assert response.status_code == 200
    assert "Slagelse Kommune arbejder også med centre, du ikke er tovholder for" in html_of(response)
    assert Actor.objects.filter(pk=going.pk).exists()


@pytest.mark.parametrize("into", ["", "abc", "999999", "-1", "1e3", "going"])
def test_a_choice_that_is_no_actor_of_the_list_gets_a_message(coordinator_client, going, staying, into):
    value = going.pk if into == "going" else into
    response = merge(coordinator_client, going, staying, into=value)

    assert response.status_code == 200
    html = html_of(response)
    assert ("Vælg en af aktørerne på listen." in html) or ("Dette felt er påkrævet." in html)
    assert Actor.objects.count() == 2


def test_the_choices_put_similar_names_first(coordinator_client, centre, going, staying):
    make_presence(centre, make_actor(name="Kommunen Slagelse"))
    make_presence(centre, make_actor(name="Boligselskabet"))

    html = html_of(coordinator_client.get(merge_url(going)))

    similar = html.split('<optgroup label="Lignende navne">')[1].split("</optgroup>")[0]
    assert "Kommunen Slagelse" in similar and "Boligselskabet" not in similar
    assert '<optgroup label="Andre aktører i dine centre">' in html
    assert f'<option value="{going.pk}"' not in html


def test_invitations_and_ratings_in_mapping_rounds_follow_the_actor(coordinator_client, centre, going, staying, cafe):
    make_collaboration(centre, actors=[going, cafe], started_on=datetime.date(2026, 3, 1))
    round_ = make_round(centre)
    asked = make_invitation(round_, going)
    cafe_asked = make_invitation(round_, cafe)
    Rating.objects.create(invitation=cafe_asked, partner=going, value=3)

    assert merge(coordinator_client, going, staying).status_code == 302

    assert Invitation.objects.get(pk=asked.pk).actor == staying
    assert Rating.objects.get(invitation=cafe_asked).partner == staying


def test_a_round_that_asked_both_stops_the_merge(coordinator_client, centre, going, staying):
    round_ = make_round(centre, title="Kortlægning 2026")
    make_invitation(round_, going)
    make_invitation(round_, staying)

    html = html_of(merge(coordinator_client, going, staying))

    assert "Begge var med i samme kortlægningsrunde" in html and "Kortlægning 2026" in html
    assert Actor.objects.filter(pk=going.pk).exists()


def test_the_map_keeps_the_staying_actors_place_and_knows_its_data_changed(
    coordinator_client, centre, other_centre, going, staying, cafe
):
    make_collaboration(centre, actors=[going, cafe])
    ActorPosition.objects.create(centre=centre, actor=going, x=1, y=1)
    ActorPosition.objects.create(centre=centre, actor=staying, x=2, y=2)
    before = data_version((centre.pk,))

    merge(coordinator_client, going, staying)

    assert list(ActorPosition.objects.values_list("actor", "x")) == [(staying.pk, 2)]
    assert data_version((centre.pk,)) != before
    assert Participation.objects.filter(actor_id=going.pk).count() == 0
    assert HistoryEntry.objects.filter(action=HistoryAction.MERGED).count() == 1
    assert ActorHistoryEntry.objects.filter(merged_actor_id=going.pk).count() == 1
