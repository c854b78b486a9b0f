"""A coordinator opens a round, follows it, reminds, revokes, resends, closes it early and reviews what was added."""

from __future__ import annotations

import datetime
import io
import re
import uuid

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from centres.models import Role
from collaboration.models import Collaboration, Form, HistoryAction
from collaboration.rounds.confirmation import Verdict, pair
from collaboration.rounds.models import Answer, Invitation, MappingRound, Proposal, ProposalStatus
from collaboration.rounds.results import load_results
from collaboration.rounds.services import erase_contacts
from collaboration.rounds.tokens import link_token
from tests.factories import make_actor, make_collaboration, make_invitation, make_membership, make_round
from tests.helpers import html_of, names_not_holding_their_text


@pytest.fixture
def sends(django_capture_on_commit_callbacks):
    """Run the e-mails queued after a commit, as the task queue would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def round_post(actors, **chosen) -> dict:
    data = {
        "title": "Kortlægning 2026",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "closes_on": (timezone.localdate() + datetime.timedelta(days=21)).isoformat(),
        "contact_name": "Tovholderen",
        "contact_email": "tovholder@center.example",
        "message": "",
    }
    for key, email in chosen.items():
        actor = actors[key]
        data |= {f"actor-{actor.pk}-ask": "on", f"actor-{actor.pk}-name": "Kontakt", f"actor-{actor.pk}-email": email}
    return data


def link_in(message) -> str:
    return re.search(r"https?://\S+(/svar/\S+/)", message.body).group(1)


class TestOpeningARound:
    def test_the_chosen_contacts_each_get_their_own_link_by_email(
        self, coordinator_client, centre, actors, record, sends
    ):
        data = round_post(actors, cafe="cafe@partner.example", job="job@partner.example")
        response = sends(lambda: coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data))
        round_ = MappingRound.objects.get()
        assert response.status_code == 302
        assert response["Location"] == round_.get_absolute_url()
        assert sorted(m.to[0] for m in mail.outbox) == ["cafe@partner.example", "job@partner.example"]
        cafe_mail = next(m for m in mail.outbox if m.to == ["cafe@partner.example"])
        assert centre.name in cafe_mail.subject
        assert cafe_mail.reply_to == [round_.contact_email]  # a partner's reply goes to the round's contact
        page = html_of(Client().get(link_in(cafe_mail)))
        assert "Jeres samarbejde med" in page
        assert "Fælles jobcafé" in page
        assert Invitation.objects.filter(sent_at__isnull=False).count() == 2

    def test_the_same_form_sent_twice_opens_one_round_and_mails_each_partner_once(
        self, coordinator_client, centre, actors, record, sends
    ):
        page = html_of(coordinator_client.get(f"/centres/{centre.slug}/rounds/new/"))
        token = re.search(r'name="submission" value="([0-9a-f-]{36})"', page).group(1)
        data = round_post(actors, cafe="cafe@partner.example") | {"submission": token}
        first = sends(lambda: coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data))
        again = sends(lambda: coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data))
        round_ = MappingRound.objects.get()
        assert first["Location"] == again["Location"] == round_.get_absolute_url()
        assert [m.to for m in mail.outbox] == [["cafe@partner.example"]]
        assert "Runden var allerede åbnet" in html_of(coordinator_client.get(again["Location"]))

    def test_a_token_sent_to_another_centre_opens_a_round_there_without_an_error(
        self, coordinator_client, coordinator, centre, other_centre, actors, record
    ):
        make_membership(coordinator, other_centre, Role.COORDINATOR)
        make_collaboration(other_centre, actors=[actors["cafe"], actors["job"]], started_on=datetime.date(2026, 3, 1))
        data = round_post(actors, cafe="cafe@partner.example") | {"submission": str(uuid.uuid4())}
        here = coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data)
        there = coordinator_client.post(f"/centres/{other_centre.slug}/rounds/new/", data)
        assert here.status_code == there.status_code == 302
        assert here["Location"] != there["Location"]
        assert set(MappingRound.objects.values_list("centre", flat=True)) == {centre.pk, other_centre.pk}

    def test_each_form_shown_is_a_new_round(self, coordinator_client, centre, actors, record):
        tokens = {
            re.search(r'name="submission" value="([^"]+)"', html_of(coordinator_client.get(url))).group(1)
            for url in [f"/centres/{centre.slug}/rounds/new/"] * 2
        }
        assert len(tokens) == 2
        for token in tokens:
            data = round_post(actors, cafe="cafe@partner.example") | {"submission": token}
            coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data)
        assert MappingRound.objects.count() == 2

    def test_an_actor_asked_without_an_email_is_marked_and_nothing_is_made(
        self, coordinator_client, centre, actors, record
    ):
        data = round_post(actors, cafe="")
        response = coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data)
        assert response.status_code == 400
        page = html_of(response)
        assert "Skriv en e-mailadresse til Café Sumak" in page
        assert 'value="Kortlægning 2026"' in page
        assert not MappingRound.objects.exists()
        # The summary at the top links to the row, in a table that can be long.
        summary = page.split('id="form-errors"')[1].split("</div>")[0]
        cafe = actors["cafe"].pk
        assert f'<a href="#id_actor-{cafe}-email">Café Sumak: Skriv en e-mailadresse til Café Sumak' in summary
        assert f'id="id_actor-{cafe}-email"' in page

    def test_a_round_with_nobody_to_ask_is_refused(self, coordinator_client, centre, actors, record):
        response = coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", round_post(actors))
        assert response.status_code == 400
        assert "Vælg mindst én aktør at spørge." in html_of(response)
        assert not MappingRound.objects.exists()

    def test_a_closing_date_in_the_past_is_refused(self, coordinator_client, centre, actors, record):
        data = round_post(actors, cafe="cafe@partner.example") | {"closes_on": "2020-01-01"}
        response = coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data)
        assert "Svarfristen kan ikke ligge i fortiden." in html_of(response)
        assert not MappingRound.objects.exists()

    def test_a_closing_date_years_ahead_is_refused_as_links_would_work_that_long(
        self, coordinator_client, centre, actors, record
    ):
        latest = timezone.localdate() + datetime.timedelta(days=92)
        data = round_post(actors, cafe="cafe@partner.example") | {"closes_on": "2100-01-01"}
        response = coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data)
        expected = f"En runde lukker inden for tre måneder, senest {date_format(latest, 'DATE_FORMAT')}"
        assert expected in html_of(response)
        assert not MappingRound.objects.exists()
        data["closes_on"] = latest.isoformat()
        assert coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data).status_code == 302

    def test_contacts_are_kept_from_the_last_round(self, coordinator_client, centre, invitations):
        page = html_of(coordinator_client.get(f"/centres/{centre.slug}/rounds/new/"))
        assert invitations["cafe"].contact_email in page

    def test_a_failing_mail_server_marks_the_invitation_and_the_page_still_answers(
        self, coordinator_client, centre, actors, record, sends, settings
    ):
        settings.EMAIL_BACKEND = "tests.collaboration.rounds.test_coordinating.BrokenBackend"
        data = round_post(actors, cafe="cafe@partner.example")
        response = sends(lambda: coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data))
        assert response.status_code == 302
        invitation = Invitation.objects.get()
        assert invitation.send_failed_at is not None
        assert "E-mailen kunne ikke sendes" in html_of(coordinator_client.get(invitation.round.get_absolute_url()))

    def test_staff_and_managers_may_not_open_rounds(self, client, staff, manager, centre, actors, record):
        for user in (staff, manager):
            client.force_login(user)
            assert (
                client.post(f"/centres/{centre.slug}/rounds/new/", round_post(actors, cafe="a@b.dk")).status_code == 403
            )
        assert not MappingRound.objects.exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


class TestFollowingARound:
    def test_reminders_go_only_to_those_who_have_not_answered(
        self, coordinator_client, round_, invitations, actors, sends
    ):
        uu = make_invitation(round_, actors["uu"], contact_email="uu@partner.example")
        church = make_invitation(round_, actors["church"], contact_email="church@partner.example")
        Invitation.objects.filter(pk=invitations["cafe"].pk).update(finished_at=timezone.now())
        Invitation.objects.filter(pk=church.pk).update(revoked_at=timezone.now())
        sends(lambda: coordinator_client.post(f"{round_.get_absolute_url()}remind/"))
        assert sorted(m.to[0] for m in mail.outbox) == sorted([invitations["job"].contact_email, uu.contact_email])
        assert all("Påmindelse" in m.subject for m in mail.outbox)
        # A reminder says first that it is one, and until when; then the invitation as before.
        closes = round_.closes_on
        assert all(
            m.body.split("\n")[2].startswith("Vi mangler stadig jeres svar: kortlægningen lukker efter den")
            for m in mail.outbox
        )
        assert all(f"til og med den {closes.day}." in m.body for m in mail.outbox)
        # It names the button as the partner page shows it.
        assert all('tryk "Vi er færdige – send vores svar" nederst på siden' in m.body for m in mail.outbox)
        assert Invitation.objects.get(pk=uu.pk).reminded_at is not None
        assert Invitation.objects.get(pk=invitations["cafe"].pk).reminded_at is None

    def test_a_partner_is_reminded_once_a_day_however_often_the_button_is_pressed(
        self, coordinator_client, round_, invitations, sends, settings
    ):
        remind = f"{round_.get_absolute_url()}remind/"
        sends(lambda: coordinator_client.post(remind))
        assert len(mail.outbox) == 2

        again = sends(lambda: coordinator_client.post(remind, follow=True))

        assert len(mail.outbox) == 2
        assert "2 partnere blev påmindet for mindre end 24 timer siden" in html_of(again)
        Invitation.objects.update(reminded_at=timezone.now() - datetime.timedelta(hours=settings.ROUND_REMINDER_HOURS))
        sends(lambda: coordinator_client.post(remind))
        assert len(mail.outbox) == 4

    def test_a_partner_whose_reminder_failed_may_be_reminded_again_at_once(
        self, coordinator_client, round_, invitations, sends
    ):
        sends(lambda: coordinator_client.post(f"{round_.get_absolute_url()}remind/"))
        Invitation.objects.filter(pk=invitations["job"].pk).update(send_failed_at=timezone.now())
        sends(lambda: coordinator_client.post(f"{round_.get_absolute_url()}remind/"))
        assert [m.to[0] for m in mail.outbox[2:]] == [invitations["job"].contact_email]

    def test_the_progress_page_says_who_answered_who_opened_and_who_did_not(
        self, coordinator_client, round_, invitations
    ):
        Invitation.objects.filter(pk=invitations["cafe"].pk).update(
            first_opened_at=timezone.now(), finished_at=timezone.now()
        )
        Invitation.objects.filter(pk=invitations["job"].pk).update(sent_at=timezone.now())
        page = html_of(coordinator_client.get(round_.get_absolute_url()))
        assert "Svarede" in page
        assert "Sendt, ikke åbnet" in page
        assert "Påmind den 1 partner, der ikke har svaret" in page

    def test_every_button_on_the_progress_page_is_named_by_the_words_it_shows(
        self, coordinator_client, round_, invitations
    ):
        page = html_of(coordinator_client.get(round_.get_absolute_url()))
        assert "Træk tilbage: linket til Jobcenter Slagelse" in page
        assert names_not_holding_their_text(page) == []

    def test_a_revoked_link_stops_working_and_its_answers_leave_the_results(
        self, coordinator_client, round_, invitations, record
    ):
        Answer.objects.create(invitation=invitations["cafe"], collaboration=record["jobcafe"], happened="no")
        page = html_of(coordinator_client.get(round_.get_absolute_url()))
        assert "Bånd med uenighed" in page and "Fandt ikke sted" in page
        coordinator_client.post(f"{round_.get_absolute_url()}invitations/{invitations['cafe'].pk}/revoke/")
        assert Client().get(f"/svar/{link_token(invitations['cafe'])}/").status_code == 410
        page = html_of(coordinator_client.get(round_.get_absolute_url()))
        assert "Fandt ikke sted" not in page

    def test_a_closed_rounds_answers_cannot_be_revoked(self, coordinator_client, round_, invitations, record):
        Answer.objects.create(invitation=invitations["cafe"], collaboration=record["jobcafe"], happened="no")
        coordinator_client.post(f"{round_.get_absolute_url()}close/")

        response = coordinator_client.post(
            f"{round_.get_absolute_url()}invitations/{invitations['cafe'].pk}/revoke/", follow=True
        )

        assert "Runden er lukket: dens svar forbliver, som de var." in html_of(response)
        assert Invitation.objects.get(pk=invitations["cafe"].pk).revoked_at is None
        assert "Fandt ikke sted" in html_of(coordinator_client.get(round_.get_absolute_url()))

    def test_a_resent_link_works_and_the_old_one_does_not(self, coordinator_client, round_, invitations, sends):
        old = f"/svar/{link_token(invitations['cafe'])}/"
        sends(
            lambda: coordinator_client.post(f"{round_.get_absolute_url()}invitations/{invitations['cafe'].pk}/resend/")
        )
        assert Client().get(old).status_code == 410  # replaced: its page says so, and whom to ask
        assert Client().get(link_in(mail.outbox[0])).status_code == 200

    def test_closing_early_closes_every_link(self, coordinator_client, round_, invitations, sends):
        coordinator_client.post(f"{round_.get_absolute_url()}close/")
        assert Client().get(f"/svar/{link_token(invitations['job'])}/").status_code == 410
        sends(lambda: coordinator_client.post(f"{round_.get_absolute_url()}remind/"))
        assert mail.outbox == []


# What accepting a proposal asks beyond what the partner said.
ASKED_OF_THE_COORDINATOR = {"frequency": "once", "level": "citizen", "citizens_part": "co_designer"}


class TestReviewingWhatPartnersAdded:
    @pytest.fixture
    def proposal(self, invitations, actors):
        proposal = Proposal.objects.create(
            invitation=invitations["cafe"],
            title="Sommerfest",
            form=Form.CO_CREATION,
            started_on=datetime.date(2026, 6, 20),
        )
        proposal.partners.set([actors["uu"]])
        return proposal

    def test_accepting_puts_it_on_record_with_history_from_the_round(
        self, coordinator_client, coordinator, round_, proposal, actors
    ):
        url = f"{round_.get_absolute_url()}proposals/{proposal.pk}/accept/"
        page = html_of(coordinator_client.get(url))
        assert 'value="Sommerfest"' in page
        data = {
            "title": "Sommerfest på pladsen",
            "form": Form.CO_CREATION,
            "started_on": "2026-06-20",
            "actors": [actors["cafe"].pk, actors["uu"].pk],
            **ASKED_OF_THE_COORDINATOR,
        }
        assert coordinator_client.post(url, data).status_code == 302
        collaboration = Collaboration.objects.get(title="Sommerfest på pladsen")
        assert collaboration.centre == round_.centre
        assert (collaboration.frequency, collaboration.level, collaboration.citizens_part) == (
            "once",
            "citizen",
            "co_designer",
        )
        # One event: over the day it happened, not going on.
        assert collaboration.ended_on == collaboration.started_on
        assert {p.actor for p in collaboration.participations.all()} == {actors["cafe"], actors["uu"]}
        assert collaboration.history.get().action == HistoryAction.FROM_ROUND
        # Its history says who proposed it, and in which round, as a coordinator reads it later.
        page = html_of(coordinator_client.get(collaboration.get_absolute_url()))
        assert f"Foreslået af Café Sumak i kortlægningsrunden “{round_.title}”." in page
        proposal.refresh_from_db()
        assert (proposal.status, proposal.collaboration, proposal.reviewed_by) == (
            ProposalStatus.ACCEPTED,
            collaboration,
            coordinator,
        )

    def post_accept(self, client, round_, proposal, actors, **changes):
        url = f"{round_.get_absolute_url()}proposals/{proposal.pk}/accept/"
        data = {
            "title": "Sommerfest",
            "form": Form.CO_CREATION,
            "started_on": "2026-06-20",
            "actors": [actors["cafe"].pk, actors["uu"].pk],
            **ASKED_OF_THE_COORDINATOR,
        }
        return client.post(url, data | changes)

    def test_what_the_partner_was_not_asked_is_asked_of_the_coordinator(self, coordinator_client, round_, proposal):
        url = f"{round_.get_absolute_url()}proposals/{proposal.pk}/accept/"
        page = html_of(coordinator_client.get(url))
        # How often and the residents' part are not filled in for the coordinator (they were 'Én gang' and 'Ikke
        # involveret' on record, chosen by nobody).
        for name in ("frequency", "citizens_part"):
            group = page.split(f'name="{name}"', 1)[1].split("</fieldset>")[0]
            assert "checked" not in group
        # A proposal that ended the day it began was one event.
        proposal.ended_on = proposal.started_on
        proposal.save()
        assert 'name="frequency" value="once" required id="id_frequency_0" checked' in html_of(
            coordinator_client.get(url)
        )

    def test_without_the_residents_part_nothing_goes_on_record(self, coordinator_client, round_, proposal, actors):
        response = self.post_accept(coordinator_client, round_, proposal, actors, citizens_part="")
        assert response.status_code == 400
        assert not Collaboration.objects.filter(title="Sommerfest").exists()

    def accept(self, client, round_, proposal, actors):
        assert self.post_accept(client, round_, proposal, actors).status_code == 302

    def test_a_collaboration_a_partner_proposed_counts_as_its_answer_once_on_record(
        self, coordinator_client, round_, proposal, actors
    ):
        self.accept(coordinator_client, round_, proposal, actors)

        tie = load_results(round_).ties[pair(actors["cafe"].pk, actors["uu"].pk)]

        said = tie.side_of(actors["cafe"].pk)
        assert (said.verdict, said.form) == (Verdict.CONFIRMS, Form.CO_CREATION)
        assert tie.side_of(actors["uu"].pk).verdict == Verdict.SILENT
        # The café's own page shows it as answered, as the results count it.
        answer = Answer.objects.get(collaboration__title="Sommerfest")
        assert (answer.invitation, answer.happened, answer.form) == (proposal.invitation, "yes", Form.CO_CREATION)

    def test_a_closed_rounds_figures_stay_those_of_what_its_partners_could_answer(
        self, coordinator_client, round_, proposal, actors, centre
    ):
        round_.closed_early_at = timezone.now() - datetime.timedelta(minutes=1)
        round_.save()
        # A round before it, over the same period, closed too.
        earlier = make_round(centre, closed_early_at=timezone.now() - datetime.timedelta(days=1))
        before = (load_results(round_).marks(), load_results(earlier).marks())

        # Reviewing after the round closed, the coordinator puts what a partner proposed on record.
        self.accept(coordinator_client, round_, proposal, actors)

        assert Collaboration.objects.filter(title="Sommerfest").exists()
        assert (load_results(round_).marks(), load_results(earlier).marks()) == before

    def test_an_actor_id_that_cannot_be_one_is_refused_with_a_message(
        self, coordinator_client, round_, proposal, actors
    ):
        url = f"{round_.get_absolute_url()}proposals/{proposal.pk}/accept/"
        data = {
            "title": "Sommerfest",
            "form": Form.CO_CREATION,
            "started_on": "2026-06-20",
            "actors": [actors["cafe"].pk, "99999999999999999999"],
            **ASKED_OF_THE_COORDINATOR,
        }
        response = coordinator_client.post(url, data)
        assert response.status_code in (200, 400)
        assert 'value="Sommerfest"' in html_of(response)
        assert not Collaboration.objects.filter(title="Sommerfest").exists()

    def test_the_partners_description_goes_on_record_as_the_coordinator_leaves_it(
        self, coordinator_client, round_, proposal, actors
    ):
        proposal.description = "Grill, musik og loppemarked for hele afdelingen."
        proposal.save()
        url = f"{round_.get_absolute_url()}proposals/{proposal.pk}/accept/"
        assert "Grill, musik og loppemarked" in html_of(coordinator_client.get(url))
        response = self.post_accept(coordinator_client, round_, proposal, actors, description=proposal.description)
        assert response.status_code == 302
        assert Collaboration.objects.get(title="Sommerfest").description == proposal.description

    def test_a_date_far_from_now_is_not_put_on_record(self, coordinator_client, round_, proposal, actors):
        response = self.post_accept(coordinator_client, round_, proposal, actors, started_on="2099-06-20")
        assert "Tjek datoen" in html_of(response)
        assert not Collaboration.objects.filter(title="Sommerfest").exists()

    def test_resource_exchange_needs_to_say_what_was_exchanged(self, coordinator_client, round_, proposal, actors):
        response = self.post_accept(
            coordinator_client, round_, proposal, actors, title="Lån", form=Form.RESOURCE_EXCHANGE
        )
        assert response.status_code == 400
        assert not Collaboration.objects.filter(title="Lån").exists()

    def test_rejecting_needs_a_reason_and_keeps_it(self, coordinator_client, round_, proposal):
        url = f"{round_.get_absolute_url()}proposals/{proposal.pk}/reject/"
        assert coordinator_client.post(url, {"reason": ""}).status_code == 400
        coordinator_client.post(url, {"reason": "Det var en del af husmødet."})
        proposal.refresh_from_db()
        assert (proposal.status, proposal.rejection_reason) == (ProposalStatus.REJECTED, "Det var en del af husmødet.")

    def test_a_proposal_is_reviewed_once(self, coordinator_client, round_, proposal, actors):
        coordinator_client.post(f"{round_.get_absolute_url()}proposals/{proposal.pk}/reject/", {"reason": "Dublet"})
        data = {"title": "X", "form": 1, "started_on": "2026-06-20", "actors": [actors["cafe"].pk, actors["uu"].pk]}
        data |= ASKED_OF_THE_COORDINATOR
        coordinator_client.post(f"{round_.get_absolute_url()}proposals/{proposal.pk}/accept/", data)
        assert not Collaboration.objects.filter(title="X").exists()


class TestErasingContacts:
    def test_contacts_are_erased_a_set_time_after_the_round_closes(self, centre, settings):
        settings.ROUND_CONTACT_RETENTION_DAYS = 90
        today = timezone.localdate()
        long_ago = make_round(centre, closes_on=today - datetime.timedelta(days=92))
        recently = make_round(centre, closes_on=today - datetime.timedelta(days=80))
        still_open = make_round(centre)
        closed_early = make_round(centre, closed_early_at=timezone.now() - datetime.timedelta(days=91))
        for round_ in (long_ago, recently, still_open, closed_early):
            make_invitation(round_, make_actor())
        assert erase_contacts() == 2
        erased = Invitation.objects.filter(contact_email="", contact_name="")
        assert {invitation.round for invitation in erased} == {long_ago, closed_early}
        assert MappingRound.objects.get(pk=long_ago.pk).contacts_erased_at is not None
        assert erase_contacts() == 0

    def test_purge_history_erases_them(self, centre, settings):
        round_ = make_round(centre, closes_on=timezone.localdate() - datetime.timedelta(days=400))
        make_invitation(round_, make_actor())
        call_command("purge_history", stdout=io.StringIO())
        assert Invitation.objects.get().contact_email == ""


def test_a_contact_or_a_reason_with_a_cpr_number_is_refused(
    coordinator_client, centre, actors, record, round_, invitations
):
    data = round_post(actors, cafe="cafe@partner.example") | {f"actor-{actors['cafe'].pk}-name": "Anna 010190-1234"}
    response = coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data)
    assert response.status_code == 400
    assert MappingRound.objects.count() == 1  # only the fixture's
    # The summary leads to the name field, which says it is wrong and why.
    name = f"id_actor-{actors['cafe'].pk}-name"
    html = html_of(response)
    assert f'<a href="#{name}">' in html
    assert f'id="{name}" value="Anna 010190-1234" maxlength="200" autocomplete="off" aria-invalid="true" ' in html
    proposal = Proposal.objects.create(
        invitation=invitations["cafe"], title="Sommerfest", form=Form.CO_CREATION, started_on=datetime.date(2026, 6, 20)
    )
    url = f"{round_.get_absolute_url()}proposals/{proposal.pk}/reject/"
    assert coordinator_client.post(url, {"reason": "Spurgte 010190-1234"}).status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_the_round_page_says_who_did_what_in_the_round(coordinator_client, coordinator, centre, actors, record, sends):
    data = round_post(actors, cafe="cafe@partner.example", job="job@partner.example")
    sends(lambda: coordinator_client.post(f"/centres/{centre.slug}/rounds/new/", data))
    round_ = MappingRound.objects.get()
    cafe = round_.invitations.get(actor=actors["cafe"])
    sends(lambda: coordinator_client.post(f"{round_.get_absolute_url()}remind/"))
    sends(lambda: coordinator_client.post(f"{round_.get_absolute_url()}invitations/{cafe.pk}/resend/"))
    coordinator_client.post(f"{round_.get_absolute_url()}invitations/{cafe.pk}/revoke/")
    coordinator_client.post(f"{round_.get_absolute_url()}close/")
    coordinator_client.post(f"{round_.get_absolute_url()}close/")  # closed once

    page = html_of(coordinator_client.get(round_.get_absolute_url()))
    log = page.split('id="round-history"')[1].split("</section>")[0]
    said = [re.sub(r"<[^>]+>", "", line).split(" – ", 1)[1] for line in re.findall(r"<li>(.*?)</li>", log)]
    assert said == [
        "coordinator lukkede runden før tid",
        "coordinator trak linket tilbage: Café Sumak",
        "coordinator sendte et nyt link: Café Sumak",
        "coordinator sendte påmindelser: 2 partnere",
        "coordinator åbnede runden og sendte linkene: 2 partnere",
    ]


def test_the_rounds_log_is_history_and_goes_with_it(coordinator, round_, settings):
    from collaboration.rounds.models import RoundEvent
    from collaboration.rounds.services import close_early

    close_early(round_, coordinator)
    RoundEvent.objects.update(at=timezone.now() - datetime.timedelta(days=settings.HISTORY_RETENTION_DAYS + 1))
    call_command("purge_history", stdout=io.StringIO())
    assert not RoundEvent.objects.exists()


class TestCorrectingAnOpenRound:
    def test_a_mistyped_address_is_corrected_and_the_new_one_gets_a_new_link(
        self, coordinator_client, round_, invitations, sends
    ):
        cafe = invitations["cafe"]
        old_link = f"/svar/{link_token(cafe)}/"
        url = f"{round_.get_absolute_url()}invitations/{cafe.pk}/contact/"
        assert f'value="{cafe.contact_email}"' in html_of(coordinator_client.get(url))

        response = sends(lambda: coordinator_client.post(url, {"name": "Aisha", "email": "aisha@sumak.example"}))

        assert response["Location"] == f"{round_.get_absolute_url()}#invitation-{cafe.pk}"
        cafe.refresh_from_db()
        assert (cafe.contact_name, cafe.contact_email) == ("Aisha", "aisha@sumak.example")
        assert [m.to for m in mail.outbox] == [["aisha@sumak.example"]]
        assert Client().get(old_link).status_code == 410
        assert Client().get(link_in(mail.outbox[0])).status_code == 200
        assert "ændrede kontakten og sendte et nyt link: Café Sumak" in html_of(
            coordinator_client.get(round_.get_absolute_url())
        )

    def test_a_contact_needs_an_address_and_nothing_is_sent_without_one(self, coordinator_client, round_, invitations):
        cafe = invitations["cafe"]
        url = f"{round_.get_absolute_url()}invitations/{cafe.pk}/contact/"
        response = coordinator_client.post(url, {"name": "Aisha", "email": ""})
        assert response.status_code == 200 and "Intet er gemt endnu" in html_of(response)
        cafe.refresh_from_db()
        assert cafe.contact_name != "Aisha" and not mail.outbox

    def test_one_more_actor_is_asked_with_a_link_of_its_own(
        self, coordinator_client, round_, invitations, actors, centre, sends
    ):
        from tests.factories import make_presence

        make_presence(centre, actors["church"])
        url = f"{round_.get_absolute_url()}invitations/new/"
        page = html_of(coordinator_client.get(url))
        # Those asked already are not offered again.
        assert "Kirkens Korshær" in page and "Café Sumak" not in page.split('name="actor"')[1].split("</select>")[0]

        data = {"actor": actors["church"].pk, "name": "Præsten", "email": "kirke@partner.example"}
        sends(lambda: coordinator_client.post(url, data))

        invitation = round_.invitations.get(actor=actors["church"])
        assert invitation.contact_email == "kirke@partner.example"
        assert [m.to for m in mail.outbox] == [["kirke@partner.example"]]
        assert "spurgte en partner mere: Kirkens Korshær" in html_of(coordinator_client.get(round_.get_absolute_url()))

    def test_an_actor_asked_already_is_not_asked_twice(self, coordinator, round_, invitations, actors):
        from collaboration.rounds import services

        with pytest.raises(services.AlreadyAsked):
            services.ask_later(round_, actors["cafe"], "X", "x@partner.example", "http://testserver/", coordinator)
        assert round_.invitations.filter(actor=actors["cafe"]).count() == 1

    def test_a_closed_round_takes_no_one_new_and_changes_no_contact(
        self, coordinator_client, round_, invitations, actors
    ):
        MappingRound.objects.filter(pk=round_.pk).update(closed_early_at=timezone.now())
        cafe = invitations["cafe"]
        changed = coordinator_client.post(
            f"{round_.get_absolute_url()}invitations/{cafe.pk}/contact/", {"name": "A", "email": "a@partner.example"}
        )
        asked = coordinator_client.post(
            f"{round_.get_absolute_url()}invitations/new/",
            {"actor": actors["church"].pk, "name": "B", "email": "b@partner.example"},
        )
        assert changed.status_code == asked.status_code == 302
        cafe.refresh_from_db()
        assert cafe.contact_email != "a@partner.example"
        assert not round_.invitations.filter(actor=actors["church"]).exists()
        assert "Ret kontakten" not in html_of(coordinator_client.get(round_.get_absolute_url()))
