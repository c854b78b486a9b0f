"""A partner's link: it opens only its own organisation's collaborations in its own round, and nothing else."""

from __future__ import annotations

import datetime

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collaboration.rounds.models import Answer, Invitation, MappingRound
from collaboration.rounds.tokens import SALT, link_token
from tests.factories import make_actor, make_collaboration, make_invitation, make_round
from tests.helpers import html_of

UNKNOWN = "Vi kan ikke genkende dette link"
CLOSED = "Denne kortlægningsrunde er lukket"
REVOKED = "Dette link virker ikke længere"


@pytest.fixture(autouse=True)
def no_earlier_failures():
    cache.clear()


def collaborations_section(page: str) -> str:
    return page.split('id="collaborations"')[1].split('id="partners"')[0]


class TestWhatTheLinkShows:
    def test_the_page_lists_the_collaborations_of_the_partners_own_organisation_in_the_period(self, client, cafe_link):
        page = html_of(client.get(cafe_link))
        listed = collaborations_section(page)
        assert "Fælles jobcafé" in listed
        assert "Husmøde" in listed
        # The youth guidance service's collaboration with the church does not involve the café: neither it nor the
        # church is named there (the church is only among the centre's actors to choose from for a missing one).
        assert "Vejledning i kirkens lokaler" not in page
        assert "Kirkens Korshær" not in listed
        # Outside the round's period.
        assert "Gammelt projekt" not in page

    def test_a_server_problem_tells_the_partner_whom_to_write_to_not_a_coordinator_of_its_own(self, client, cafe_link):
        page = html_of(client.get(cafe_link))
        problem = page.split('data-problem="server">')[1].split("</p>")[0]
        assert "tovholder@center.example" in problem and "din tovholder" not in problem

    def test_it_names_the_partners_in_those_collaborations(self, client, cafe_link):
        page = html_of(client.get(cafe_link))
        assert "Jobcenter Slagelse" in page
        assert "UU Vestsjælland" in page

    def test_the_partners_to_rate_are_its_own_partners_only(self, client, cafe_link):
        rated = html_of(client.get(cafe_link)).split('id="partners"')[1].split('id="missing"')[0]
        assert "Jobcenter Slagelse" in rated
        assert "UU Vestsjælland" in rated
        assert "Kirkens Korshær" not in rated

    def test_nothing_of_another_centre_is_shown(self, client, cafe_link, other_centre, actors):
        make_collaboration(
            other_centre,
            actors=[actors["cafe"], make_actor(name="Fremmed forening")],
            title="Samarbejde i et andet center",
        )
        page = html_of(client.get(cafe_link))
        assert "Fremmed forening" not in page
        assert "Samarbejde i et andet center" not in page

    def test_another_rounds_answers_are_not_shown(self, client, centre, record, actors, cafe_link):
        earlier = make_round(centre, title="Sidste år")
        earlier_invitation = make_invitation(earlier, actors["cafe"])
        Answer.objects.create(invitation=earlier_invitation, collaboration=record["jobcafe"], happened="no")
        page = html_of(client.get(cafe_link))
        assert 'value="no" id="c{}-happened-no" checked'.format(record["jobcafe"].pk) not in page

    def test_no_login_is_needed_and_the_link_is_never_cached_indexed_or_passed_on(self, client, cafe_link):
        response = client.get(cafe_link)
        assert response.status_code == 200
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]

    def test_opening_the_link_is_noted(self, client, cafe_link, invitations):
        client.get(cafe_link)
        assert Invitation.objects.get(pk=invitations["cafe"].pk).first_opened_at is not None
        assert Invitation.objects.get(pk=invitations["job"].pk).first_opened_at is None


class TestLinksThatDoNotWork:
    def test_a_tampered_token_gets_a_friendly_page_not_an_error(self, client, invitations):
        token = link_token(invitations["cafe"])
        response = client.get(f"/svar/{token[:-3]}abc/")
        assert response.status_code == 404
        assert UNKNOWN in html_of(response)

    def test_a_token_signed_for_another_invitation_does_not_open_it(self, client, invitations):
        # The number of another invitation with this invitation's key: the key does not match.
        forged = signing.dumps([invitations["job"].pk, invitations["cafe"].key], salt=SALT)
        response = client.get(f"/svar/{forged}/")
        assert response.status_code == 410
        assert "Fælles jobcafé" not in html_of(response)

    def test_a_token_signed_with_another_salt_does_not_open_it(self, client, invitations):
        forged = signing.dumps([invitations["cafe"].pk, invitations["cafe"].key], salt="something else")
        assert UNKNOWN in html_of(client.get(f"/svar/{forged}/"))

    @pytest.mark.parametrize("token", ["x", "a" * 500, "WzEsMl0:abc:def", "%00", "WzEsMl0"])
    def test_nonsense_is_unknown(self, client, invitations, token):
        response = client.get(f"/svar/{token}/")
        assert response.status_code == 404
        assert UNKNOWN in html_of(response)

    def test_a_revoked_link_says_so_and_who_to_contact(self, client, cafe_link, invitations):
        Invitation.objects.filter(pk=invitations["cafe"].pk).update(revoked_at=timezone.now())
        response = client.get(cafe_link)
        assert response.status_code == 410
        page = html_of(response)
        assert REVOKED in page
        assert "tovholder@center.example" in page

    def test_a_link_expires_when_the_round_closes(self, client, cafe_link, round_):
        MappingRound.objects.filter(pk=round_.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
        response = client.get(cafe_link)
        assert response.status_code == 410
        assert CLOSED in html_of(response)

    def test_it_works_on_its_closing_day(self, client, cafe_link, round_):
        MappingRound.objects.filter(pk=round_.pk).update(closes_on=timezone.localdate())
        assert client.get(cafe_link).status_code == 200

    def test_a_round_closed_early_closes_its_links(self, client, cafe_link, round_):
        MappingRound.objects.filter(pk=round_.pk).update(closed_early_at=timezone.now())
        assert CLOSED in html_of(client.get(cafe_link))

    def test_a_resent_link_replaces_the_old_one_whose_page_says_so_and_who_to_contact(
        self, client, cafe_link, invitations, settings
    ):
        invitation = invitations["cafe"]
        invitation.key = "a-new-key"
        invitation.save()
        settings.ROUND_LINK_FAILURE_LIMIT = 3

        old = client.get(cafe_link)

        assert old.status_code == 410
        assert REVOKED in html_of(old) and "tovholder@center.example" in html_of(old)
        # Colleagues behind one office address opening the old e-mail's link are not guessing.
        for _ in range(5):
            client.get(cafe_link)
        assert client.get(f"/svar/{link_token(invitation)}/").status_code == 200


class TestGuessing:
    def test_too_many_unknown_links_from_one_address_pause_its_lookups(self, client, settings):
        settings.ROUND_LINK_FAILURE_LIMIT = 3
        for attempt in range(3):
            assert client.get(f"/svar/guess-{attempt}/").status_code == 404
        response = client.get("/svar/guess-3/")
        assert response.status_code == 429
        assert "For mange forsøg" in html_of(response)

    def test_a_link_the_server_made_opens_from_a_paused_address(self, client, cafe_link, record, settings):
        """One office address: a colleague's links cut short by the e-mail's line breaks do not lock the partner
        whose link is whole out of the page, nor out of answering on it."""
        settings.ROUND_LINK_FAILURE_LIMIT = 3
        for attempt in range(4):
            client.get(f"/svar/guess-{attempt}/")
        assert client.get(f"/svar/guess-{attempt}/").status_code == 429
        assert client.get(cafe_link).status_code == 200
        jobcafe = record["jobcafe"]
        client.post(f"{cafe_link}answers/{jobcafe.pk}/", {f"c{jobcafe.pk}-happened": "yes", f"c{jobcafe.pk}-form": "4"})
        assert Answer.objects.get(collaboration=jobcafe).happened == "yes"

    def test_another_address_is_not_paused(self, client, cafe_link, settings):
        settings.ROUND_LINK_FAILURE_LIMIT = 3
        for attempt in range(3):
            client.get(f"/svar/guess-{attempt}/", REMOTE_ADDR="10.0.0.9")
        assert Client(REMOTE_ADDR="10.0.0.10").get(cafe_link).status_code == 200


class TestAnotherActorsData:
    def test_answering_a_collaboration_that_does_not_involve_the_partner_is_refused(self, client, cafe_link, record):
        guidance = record["guidance"]
        response = client.post(
            f"{cafe_link}answers/{guidance.pk}/", {f"c{guidance.pk}-happened": "no"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 404
        assert not Answer.objects.exists()

    def test_a_collaboration_outside_the_period_is_refused(self, client, cafe_link, record):
        old = record["old"]
        response = client.post(f"{cafe_link}answers/{old.pk}/", {f"c{old.pk}-happened": "no"})
        assert response.status_code == 404
        assert not Answer.objects.exists()

    def test_rating_an_actor_that_is_not_a_partner_is_refused(self, client, cafe_link, actors):
        response = client.post(f"{cafe_link}ratings/{actors['church'].pk}/", {f"rating-{actors['church'].pk}-value": 4})
        assert response.status_code == 404

    def test_withdrawing_another_partners_proposal_is_refused(self, client, cafe_link, invitations):
        from collaboration.rounds.models import Proposal

        proposal = Proposal.objects.create(
            invitation=invitations["job"], title="Jobcentrets forslag", form=1, started_on=datetime.date(2026, 6, 1)
        )
        assert client.post(f"{cafe_link}missing/{proposal.pk}/withdraw/").status_code == 404
        assert Proposal.objects.filter(pk=proposal.pk).exists()


def test_english_is_one_click_away(client, cafe_link):
    page = html_of(client.get(cafe_link))
    assert 'name="language" value="en"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": cafe_link})
    assert response["Location"] == cafe_link
    assert "Your collaboration with" in html_of(client.get(cafe_link))


def test_a_partners_link_works_while_the_shared_cache_is_down(client, cafe_link, settings, caplog):
    """The guessing limit counts in the shared cache; with Redis down it counts nothing and blocks nobody."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    assert client.get(cafe_link).status_code == 200
    assert client.get("/svar/ikke-et-link/").status_code == 404
    assert "The cache could not" in caplog.text


def test_the_partner_page_does_not_lead_to_a_login_the_partner_has_not_got(client, cafe_link):
    page = html_of(client.get(cafe_link))
    assert '<span class="brand">Samkort</span>' in page
    assert 'href="/login/' not in page and 'class="brand" href=' not in page


class TestAnAnswerSentWithoutTheCookie:
    """Cookies turned off, or cleared while the page was open: the answer is refused, and the partner, who has no
    login, is told to open their page again, not to log in."""

    def test_the_page_says_to_open_the_partners_own_page_again(self, cafe_link, invitations):
        response = Client(enforce_csrf_checks=True).post(f"{cafe_link}comment/", {"comment": "Hej"})

        page = html_of(response)
        assert response.status_code == 403
        assert "Dit svar blev ikke gemt" in page and f'href="{cafe_link}"' in page
        assert 'href="/login/' not in page and "loggede ind" not in page
        assert Invitation.objects.get(pk=invitations["cafe"].pk).comment == ""
        # It holds the link, so it is kept as the partner's page is: no cache, no index, no referrer elsewhere.
        assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "same-origin"

    def test_through_htmx_it_says_so_beside_the_answer_and_in_the_box_at_the_top(self, cafe_link, invitations):
        response = Client(enforce_csrf_checks=True).post(
            f"{cafe_link}comment/", {"comment": "Hej"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="comment-saved"
        )

        page = html_of(response)
        assert "Ikke gemt: åbn din side igen." in page
        assert 'id="partner-problem" hx-swap-oob="innerHTML"' in page and f'href="{cafe_link}"' in page
        assert "tovholder@center.example" in page

    def test_a_users_form_still_gets_the_page_about_logging_in_again(self, staff, centre):
        client = Client(enforce_csrf_checks=True)
        client.force_login(staff)
        page = html_of(client.post(reverse("collaboration_create", args=[centre.slug]), {"title": "Fest"}))
        assert "Siden var udløbet" in page
