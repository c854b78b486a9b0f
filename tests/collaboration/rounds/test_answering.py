"""A partner answers: each answer saved as it is given, changeable until the round closes, never twice."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from collaboration.models import Form
from collaboration.rounds.models import Answer, Invitation, MappingRound, Proposal, Rating
from tests.factories import make_collaboration
from tests.helpers import html_of, names_not_holding_their_text

HTMX = {"HTTP_HX_REQUEST": "true"}


def answer(client, link, collaboration, happened, form=None, **extra):
    data = {f"c{collaboration.pk}-happened": happened}
    if form:
        data[f"c{collaboration.pk}-form"] = form
    return client.post(f"{link}answers/{collaboration.pk}/", data, **extra)


class TestAnswers:
    def test_an_answer_is_saved_as_it_is_given_and_says_so(self, client, cafe_link, record, invitations):
        response = answer(client, cafe_link, record["jobcafe"], "yes", Form.COORDINATED_ACTION, **HTMX)
        assert response.status_code == 200
        assert "Gemt kl." in html_of(response)
        saved = Answer.objects.get()
        assert (saved.invitation, saved.collaboration, saved.happened, saved.form) == (
            invitations["cafe"],
            record["jobcafe"],
            "yes",
            Form.COORDINATED_ACTION,
        )
        assert saved.answered_at is not None

    def test_an_answer_saved_another_day_says_which_day(self, client, cafe_link, record):
        answer(client, cafe_link, record["jobcafe"], "yes", Form.COORDINATED_ACTION, **HTMX)
        assert "Gemt kl." in html_of(client.get(cafe_link))
        earlier = timezone.make_aware(datetime.datetime(2026, 10, 8, 11, 0))
        Answer.objects.update(answered_at=earlier)
        page = html_of(client.get(cafe_link))
        assert "Gemt 8. oktober 2026 kl. 11.00." in page and "Gemt kl." not in page

    def test_a_partner_who_is_done_is_not_asked_to_say_so_again(self, client, cafe_link, invitations):
        assert "Sig til, når I er færdige" in html_of(client.get(cafe_link))
        Invitation.objects.filter(pk=invitations["cafe"].pk).update(finished_at=timezone.now())
        page = html_of(client.get(cafe_link))
        assert "og I har sagt, at I er færdige" in page and "Sig til, når I er færdige" not in page

    def test_a_long_list_has_contents_at_the_top_with_how_many_are_answered_so_far(
        self, client, cafe_link, record, centre, actors
    ):
        assert 'id="answered-count"' not in html_of(client.get(cafe_link))  # two collaborations: no need
        for day in range(1, 6):
            make_collaboration(centre, actors=[actors["cafe"], actors["job"]], started_on=datetime.date(2026, 6, day))
        page = html_of(client.get(cafe_link))
        contents = page[page.index('class="card page-contents"') : page.index("</nav>")]
        assert '<a href="#collaborations">De 7 registrerede samarbejder</a>' in contents
        assert '<span id="answered-count">0 af 7 besvaret</span>' in contents
        assert '<a href="#done">' in contents

        saved = html_of(answer(client, cafe_link, record["jobcafe"], "yes", Form.COORDINATED_ACTION, **HTMX))
        assert "Gemt kl." in saved
        assert '<span id="answered-count" hx-swap-oob="true">1 af 7 besvaret</span>' in saved

    def test_answering_again_with_the_same_answer_changes_nothing(self, client, cafe_link, record):
        for _ in range(3):
            answer(client, cafe_link, record["jobcafe"], "partly", Form.ALIGNMENT, **HTMX)
        assert Answer.objects.count() == 1
        assert Answer.objects.get().happened == "partly"

    def test_a_changed_answer_replaces_the_one_before(self, client, cafe_link, record):
        answer(client, cafe_link, record["jobcafe"], "yes", Form.COORDINATED_ACTION, **HTMX)
        answer(client, cafe_link, record["jobcafe"], "no", Form.COORDINATED_ACTION, **HTMX)
        saved = Answer.objects.get()
        assert (saved.happened, saved.form) == ("no", None)

    def test_without_javascript_the_form_posts_and_comes_back_to_the_collaboration(self, client, cafe_link, record):
        response = answer(client, cafe_link, record["jobcafe"], "yes", Form.COORDINATED_ACTION)
        assert response.status_code == 302
        assert response["Location"].endswith(f"#collaboration-{record['jobcafe'].pk}")

    def test_choosing_a_form_before_saying_whether_it_happened_saves_nothing_and_says_what_is_missing(
        self, client, cafe_link, record
    ):
        data = {f"c{record['jobcafe'].pk}-form": Form.ALIGNMENT}
        response = client.post(f"{cafe_link}answers/{record['jobcafe'].pk}/", data, **HTMX)
        assert "Sig, om det fandt sted" in html_of(response)
        assert not Answer.objects.exists()

    def test_the_save_button_of_an_answer_goes_beside_it_like_any_change(self, client, cafe_link, record):
        assert 'hx-trigger="change, submit"' in html_of(client.get(cafe_link))

    def test_without_javascript_an_answer_refused_comes_back_as_the_whole_page_with_the_reason(
        self, client, cafe_link, record
    ):
        pk = record["jobcafe"].pk
        response = client.post(f"{cafe_link}answers/{pk}/", {f"c{pk}-form": Form.ALIGNMENT})

        assert response.status_code == 400
        page = html_of(response)
        reason = page.split('id="form-errors"')[1].split("</div>")[0]
        assert "Sig, om det fandt sted, så gemmes svaret." in reason
        assert f'href="#collaboration-{pk}">Gå til svaret</a>' in reason
        assert "Tak" not in reason and 'id="collaborations"' in page  # the partner page itself, ready to answer
        assert not Answer.objects.exists()

    @pytest.mark.parametrize("happened", ["maybe", "", "yes' OR 1=1"])
    def test_a_made_up_answer_is_refused(self, client, cafe_link, record, happened):
        response = answer(client, cafe_link, record["jobcafe"], happened, Form.ALIGNMENT)
        assert response.status_code == 400
        assert not Answer.objects.exists()

    def test_two_tabs_never_undo_each_others_answer_unseen(self, client, cafe_link, record):
        """Tab A showed no answer; tab B said it did not happen; A then chose a form from its old page."""
        jobcafe = record["jobcafe"]
        shown = f"c{jobcafe.pk}-shown"
        assert f'name="{shown}" id="{shown}" value=""' in html_of(client.get(cafe_link))
        client.post(f"{cafe_link}answers/{jobcafe.pk}/", {f"c{jobcafe.pk}-happened": "no", shown: ""}, **HTMX)

        stale = client.post(
            f"{cafe_link}answers/{jobcafe.pk}/",
            {f"c{jobcafe.pk}-happened": "yes", f"c{jobcafe.pk}-form": Form.ALIGNMENT, shown: ""},
            **HTMX,
        )

        assert (
            "Ikke gemt: svaret blev ændret i mellemtiden, i en anden fane eller af en kollega, til “Nej”."
            in html_of(stale)
        )
        assert [(a.happened, a.form) for a in Answer.objects.all()] == [("no", None)]
        assert f'name="{shown}" id="{shown}" value="no:"' in html_of(client.get(cafe_link))

    def test_an_older_tab_giving_the_answer_saved_meanwhile_is_not_refused(self, client, cafe_link, record):
        jobcafe = record["jobcafe"]
        shown = f"c{jobcafe.pk}-shown"
        client.post(f"{cafe_link}answers/{jobcafe.pk}/", {f"c{jobcafe.pk}-happened": "no", shown: ""}, **HTMX)

        same = client.post(f"{cafe_link}answers/{jobcafe.pk}/", {f"c{jobcafe.pk}-happened": "no", shown: ""}, **HTMX)

        assert "Gemt kl." in html_of(same) and "Ikke gemt" not in html_of(same)

    def test_one_tab_changing_its_answer_again_and_again_saves_each_change(self, client, cafe_link, record):
        jobcafe = record["jobcafe"]
        shown = f"c{jobcafe.pk}-shown"
        first = client.post(
            f"{cafe_link}answers/{jobcafe.pk}/",
            {f"c{jobcafe.pk}-happened": "yes", f"c{jobcafe.pk}-form": Form.ALIGNMENT, shown: ""},
            **HTMX,
        )
        # The page now carries the answer as saved, swapped in beside it.
        assert f'name="{shown}" id="{shown}" value="yes:2" hx-swap-oob="true"' in html_of(first)
        client.post(
            f"{cafe_link}answers/{jobcafe.pk}/",
            {f"c{jobcafe.pk}-happened": "yes", f"c{jobcafe.pk}-form": Form.CO_CREATION, shown: "yes:2"},
            **HTMX,
        )
        assert [(a.happened, a.form) for a in Answer.objects.all()] == [("yes", Form.CO_CREATION)]

    def test_the_page_shows_the_answers_given(self, client, cafe_link, record):
        answer(client, cafe_link, record["meeting"], "partly", Form.ALIGNMENT, **HTMX)
        page = html_of(client.get(cafe_link))
        pk = record["meeting"].pk
        assert f'value="partly" id="c{pk}-happened-partly" checked' in page
        assert f'value="2" id="c{pk}-form-2" checked' in page

    def test_the_form_ladder_starts_at_the_form_on_record(self, client, cafe_link, record):
        pk = record["jobcafe"].pk
        assert f'value="4" id="c{pk}-form-4" checked' in html_of(client.get(cafe_link))


class TestRatingsProposalsAndComments:
    def test_a_partner_rates_value_and_trust_and_may_leave_either_out(self, client, cafe_link, actors):
        job = actors["job"]
        client.post(f"{cafe_link}ratings/{job.pk}/", {f"rating-{job.pk}-value": "4"}, **HTMX)
        client.post(f"{cafe_link}ratings/{job.pk}/", {f"rating-{job.pk}-value": "4", f"rating-{job.pk}-trust": "3"})
        rating = Rating.objects.get()
        assert (rating.partner, rating.value, rating.trust) == (job, 4, 3)

    def test_two_tabs_changing_different_ratings_keep_both(self, client, cafe_link, actors):
        job = actors["job"]
        url = f"{cafe_link}ratings/{job.pk}/"
        client.post(url, {f"rating-{job.pk}-value": "3", f"rating-{job.pk}-trust": "3"})
        page = html_of(client.get(cafe_link))
        assert f'name="rating-{job.pk}-value_was" value="3"' in page
        shown = {f"rating-{job.pk}-value_was": "3", f"rating-{job.pk}-trust_was": "3"}

        # Both tabs show 3 and 3: one changes the value, the other the trust.
        first = client.post(url, {**shown, f"rating-{job.pk}-value": "1", f"rating-{job.pk}-trust": "3"}, **HTMX)
        client.post(url, {**shown, f"rating-{job.pk}-value": "3", f"rating-{job.pk}-trust": "4"}, **HTMX)

        rating = Rating.objects.get()
        assert (rating.value, rating.trust) == (1, 4)
        # The first tab now knows its value as saved, and still its trust as it showed it.
        assert f'name="rating-{job.pk}-value_was" id="id_rating-{job.pk}-value_was" value="1"' in html_of(first)
        assert "trust_was" not in html_of(first)

    def test_the_scale_reads_in_the_partners_language(self, client, cafe_link, actors):
        assert "1 – Lille værdi" in html_of(client.get(cafe_link))
        client.cookies["django_language"] = "en"
        page = html_of(client.get(cafe_link))
        assert "1 – Little value" in page and "4 – Complete trust" in page
        assert "Lille værdi" not in page and "Fuld tillid" not in page

    def test_a_rating_off_the_scale_is_refused(self, client, cafe_link, actors):
        job = actors["job"]
        response = client.post(f"{cafe_link}ratings/{job.pk}/", {f"rating-{job.pk}-value": "5"})
        assert response.status_code == 400
        assert not Rating.objects.exists()

    def test_a_partner_adds_a_missing_collaboration_and_may_withdraw_it(self, client, cafe_link, actors):
        data = {
            "proposal-title": "Sommerfest",
            "proposal-partners": [actors["uu"].pk],
            "proposal-other_partners": "Beboerforeningen",
            "proposal-form": Form.CO_CREATION,
            "proposal-started_on": "2026-06-20",
        }
        response = client.post(f"{cafe_link}missing/", data, **HTMX)
        assert "Tilføjet: “Sommerfest”" in html_of(response)
        assert names_not_holding_their_text(html_of(response)) == []
        proposal = Proposal.objects.get()
        assert list(proposal.partners.all()) == [actors["uu"]]
        assert proposal.other_partners == "Beboerforeningen"
        client.post(f"{cafe_link}missing/{proposal.pk}/withdraw/", **HTMX)
        assert not Proposal.objects.exists()

    def test_one_link_proposes_no_more_than_the_limit_and_keeps_the_one_refused(
        self, client, cafe_link, actors, settings
    ):
        settings.ROUND_PROPOSALS_PER_PARTNER = 3
        data = {
            "proposal-partners": [actors["uu"].pk],
            "proposal-form": Form.CO_CREATION,
            "proposal-started_on": "2026-06-20",
        }
        for number in range(3):
            client.post(f"{cafe_link}missing/", data | {"proposal-title": f"Sommerfest {number}"}, **HTMX)

        page = html_of(client.post(f"{cafe_link}missing/", data | {"proposal-title": "Vinterfest"}, **HTMX))

        assert "Dette link har foreslået 3 samarbejder, så mange som én partner kan." in page
        assert 'value="Vinterfest"' in page
        assert Proposal.objects.count() == 3
        # A withdrawn proposal makes room again.
        client.post(f"{cafe_link}missing/{Proposal.objects.first().pk}/withdraw/", **HTMX)
        assert "Tilføjet: “Vinterfest”" in html_of(
            client.post(f"{cafe_link}missing/", data | {"proposal-title": "Vinterfest"}, **HTMX)
        )

    @pytest.mark.parametrize(("started_on", "ended_on"), [("2027-02-01", ""), ("2025-03-01", "2025-06-30")])
    def test_a_missing_collaboration_went_on_in_the_period_the_round_asks_about(
        self, client, cafe_link, actors, started_on, ended_on
    ):
        data = {
            "proposal-title": "Sommerfest",
            "proposal-partners": [actors["uu"].pk],
            "proposal-form": Form.CO_CREATION,
            "proposal-started_on": started_on,
            "proposal-ended_on": ended_on,
        }
        page = html_of(client.post(f"{cafe_link}missing/", data, **HTMX))
        assert "Runden spørger om 1. januar 2026 – 31. december 2026: angiv et samarbejde, der foregik da." in page
        assert not Proposal.objects.exists()

    @pytest.mark.parametrize("ended_on", ["2026-03-31", ""])
    def test_a_missing_collaboration_begun_before_the_period_and_going_on_in_it_is_taken(
        self, client, cafe_link, actors, ended_on
    ):
        """Ended in the period, or going on still (no end): the round asks about it either way."""
        data = {
            "proposal-title": "Lektiecafé",
            "proposal-partners": [actors["uu"].pk],
            "proposal-form": Form.ALIGNMENT,
            "proposal-started_on": "2024-09-01",
            "proposal-ended_on": ended_on,
        }
        client.post(f"{cafe_link}missing/", data, **HTMX)
        assert Proposal.objects.get().title == "Lektiecafé"

    def test_a_missing_collaboration_needs_a_partner_and_keeps_what_was_typed(self, client, cafe_link):
        data = {"proposal-title": "Sommerfest", "proposal-form": "5", "proposal-started_on": "2026-06-20"}
        response = client.post(f"{cafe_link}missing/", data, **HTMX)
        page = html_of(response)
        assert "Vælg en partner på listen" in page
        assert 'value="Sommerfest"' in page
        assert not Proposal.objects.exists()

    @pytest.mark.parametrize("partner", ["99999999999999999999", str(2**63), "-1", "x"])
    def test_a_partner_id_that_cannot_be_one_is_refused_with_a_message(self, client, cafe_link, partner):
        data = {
            "proposal-title": "Sommerfest",
            "proposal-partners": [partner],
            "proposal-form": "5",
            "proposal-started_on": "2026-06-20",
        }
        response = client.post(f"{cafe_link}missing/", data, **HTMX)
        assert response.status_code in (200, 400)
        assert 'value="Sommerfest"' in html_of(response) and not Proposal.objects.exists()

    def test_a_comment_is_saved(self, client, cafe_link, invitations):
        client.post(f"{cafe_link}comment/", {"comment": "Vi savner et fast møde."}, **HTMX)
        assert Invitation.objects.get(pk=invitations["cafe"].pk).comment == "Vi savner et fast møde."


class TestFinishing:
    def test_finishing_is_recorded_once_and_answers_can_still_change(self, client, cafe_link, record, invitations):
        client.post(f"{cafe_link}finish/")
        first = Invitation.objects.get(pk=invitations["cafe"].pk).finished_at
        assert first is not None
        client.post(f"{cafe_link}finish/")
        assert Invitation.objects.get(pk=invitations["cafe"].pk).finished_at == first
        answer(client, cafe_link, record["jobcafe"], "yes", Form.COORDINATED_ACTION, **HTMX)
        assert Answer.objects.count() == 1
        assert "Tak! Jeres svar er sendt." in html_of(client.get(cafe_link))


class TestWhenTheRoundClosesWhileAnswering:
    def test_the_answer_is_not_saved_and_the_page_says_why_and_who_to_contact(self, client, cafe_link, record, round_):
        page = client.get(cafe_link)
        assert page.status_code == 200
        MappingRound.objects.filter(pk=round_.pk).update(closed_early_at=timezone.now() - datetime.timedelta(seconds=1))
        target = f"saved-{record['jobcafe'].pk}"
        response = answer(
            client, cafe_link, record["jobcafe"], "yes", Form.COORDINATED_ACTION, **HTMX, HTTP_HX_TARGET=target
        )
        # Beside the answer, where "Saved" stood before, it says it was not saved; the top of the page says why.
        assert "HX-Retarget" not in response
        text = html_of(response)
        assert text.startswith('<span class="error">Ikke gemt: kortlægningsrunden er lukket.</span>')
        assert '<div id="partner-problem" hx-swap-oob="innerHTML">' in text
        assert "Kortlægningsrunden er lukket, så jeres sidste svar blev ikke gemt." in text
        assert "tovholder@center.example" in text
        assert not Answer.objects.exists()

    def test_an_answer_through_a_link_replaced_meanwhile_says_the_link_no_longer_works(
        self, client, cafe_link, record, invitations
    ):
        # The coordinator sent the café a new link while its page was open: the old one is no key any more.
        Invitation.objects.filter(pk=invitations["cafe"].pk).update(key="a-new-key")
        target = f"saved-{record['jobcafe'].pk}"
        response = answer(
            client, cafe_link, record["jobcafe"], "yes", Form.COORDINATED_ACTION, **HTMX, HTTP_HX_TARGET=target
        )
        text = html_of(response)
        assert text.startswith('<span class="error">Ikke gemt: dette link virker ikke længere.</span>')
        assert "måske har I fået et nyt" in text and "lukket" not in text
        assert not Answer.objects.exists()

    def test_a_missing_collaboration_sent_after_the_round_closed_is_answered_at_the_top_of_the_page(
        self, client, cafe_link, round_, actors
    ):
        MappingRound.objects.filter(pk=round_.pk).update(closed_early_at=timezone.now() - datetime.timedelta(seconds=1))
        data = {"proposal-title": "Sommerfest", "proposal-partners": [actors["uu"].pk], "proposal-form": "5"}
        response = client.post(f"{cafe_link}missing/", data, **HTMX, HTTP_HX_TARGET="missing")
        assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#partner-problem", "innerHTML show:top")
        assert "Kortlægningsrunden er lukket" in html_of(response)

    def test_a_revoked_link_saves_nothing(self, client, cafe_link, record, invitations):
        Invitation.objects.filter(pk=invitations["cafe"].pk).update(revoked_at=timezone.now())
        response = client.post(f"{cafe_link}comment/", {"comment": "Hej"})
        assert response.status_code == 410
        assert Invitation.objects.get(pk=invitations["cafe"].pk).comment == ""


class TestPersonalData:
    """A partner's or coordinator's text follows the rules of every other way in: no CPR-like number is saved."""

    def test_a_comment_with_a_cpr_number_is_refused(self, client, cafe_link, invitations):
        response = client.post(f"{cafe_link}comment/", {"comment": "Ring til 010190-1234"}, **HTMX)
        assert 'class="error"' in html_of(response)
        assert Invitation.objects.get(pk=invitations["cafe"].pk).comment == ""

    @pytest.mark.parametrize("day", ["1900-06-01", "2099-06-01"])
    def test_a_missing_collaboration_far_from_now_is_refused_as_the_log_form_refuses_it(
        self, client, cafe_link, actors, day
    ):
        data = {
            "proposal-title": "Sommerfest",
            "proposal-partners": [actors["uu"].pk],
            "proposal-form": "5",
            "proposal-started_on": day,
        }
        page = html_of(client.post(f"{cafe_link}missing/", data, **HTMX))
        assert "Tjek datoen" in page and 'value="Sommerfest"' in page
        assert not Proposal.objects.exists()

    def test_a_missing_collaboration_with_a_cpr_number_is_refused(self, client, cafe_link, actors):
        data = {
            "proposal-title": "Møde med 010190-1234",
            "proposal-partners": [actors["uu"].pk],
            "proposal-form": "1",
            "proposal-started_on": "2026-06-01",
        }
        client.post(f"{cafe_link}missing/", data, **HTMX)
        assert not Proposal.objects.exists()
