"""Logins on shared centre PCs: wrong passwords lock out one user name from one address, for a while; passwords can
be changed and reset; sessions end when the browser closes and after an idle period."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from centres.models import Membership, Role
from centres.tasks import send_password_reset
from tests.factories import make_membership, make_user
from tests.helpers import html_of

PASSWORD = "hemmeligt-kodeord-42"
OFFICE = "10.0.0.7"  # one address for the whole municipality, as seen from the server


@pytest.fixture
def colleague(centre):
    user = make_user("kollega", password=PASSWORD)
    make_membership(user, centre, Role.STAFF)
    return user


def a_member_for_a_while(membership):
    """A member of more than a day's standing, whose lockout the centre's coordinator may lift."""
    Membership.objects.filter(pk=membership.pk).update(created_at=timezone.now() - timedelta(days=3))
    membership.refresh_from_db()
    return membership


def log_in(client, username: str, password: str, address: str = OFFICE):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_five_times(client, username: str, address: str = OFFICE) -> None:
    """Four wrong passwords get the login form again; the fifth locks the user name out from that address."""
    for _ in range(4):
        assert log_in(client, username, "forkert", address).status_code == 200
    assert log_in(client, username, "forkert", address).status_code == 429


class TestLockout:
    def test_five_wrong_passwords_lock_the_user_out_even_with_the_right_one(self, client, staff, settings):
        staff.set_password(PASSWORD)
        staff.save()
        fail_five_times(client, "staff")
        response = log_in(client, "staff", PASSWORD)
        assert response.status_code == 429
        html = html_of(response)
        assert "Adgangskoden var forkert for mange gange" in html
        assert f"Prøv igen om {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minutter" in html
        assert "_auth_user_id" not in client.session

    def test_a_colleague_at_the_same_address_still_logs_in(self, client, staff, colleague):
        fail_five_times(client, "staff")
        assert log_in(client, "kollega", PASSWORD).status_code == 302

    def test_the_same_user_name_from_another_address_still_logs_in(self, client, staff):
        staff.set_password(PASSWORD)
        staff.save()
        fail_five_times(client, "staff", address="10.0.0.99")
        assert log_in(client, "staff", PASSWORD, address=OFFICE).status_code == 302

    def test_a_client_taking_a_new_ipv6_address_for_each_guess_is_locked_out_as_one(self, client, staff):
        staff.set_password(PASSWORD)
        staff.save()
        for guess in range(1, 6):
            log_in(client, "staff", "forkert", address=f"2001:db8:1:2::{guess:x}")

        assert log_in(client, "staff", PASSWORD, address="2001:db8:1:2:ffff::9").status_code == 429
        assert log_in(client, "staff", PASSWORD, address="2001:db8:1:3::1").status_code == 302  # another network

    def test_a_user_name_longer_than_any_is_refused_by_the_form_not_the_database(self, client, db):
        # On PostgreSQL django-axes' record of the failure (255 characters) failed with a server error.
        response = log_in(client, "u" * 256, "forkert")
        assert response.status_code == 200
        assert "må højst have 150 tegn" in html_of(response)

    def test_the_administrations_login_refuses_it_too(self, client, db):
        response = client.post(reverse("admin:login"), {"username": "u" * 256, "password": "x"}, REMOTE_ADDR=OFFICE)
        assert response.status_code == 200
        assert "må højst have 150 tegn" in html_of(response)

    def test_failed_logins_are_logged(self, client, staff, caplog):
        with caplog.at_level("WARNING", logger="axes"):
            fail_five_times(client, "staff")
        messages = [record.getMessage() for record in caplog.records]
        assert (
            sum("login failure by" in message and "staff" in message and OFFICE in message for message in messages) == 5
        )
        assert any(message.startswith("AXES: Locking out") and "staff" in message for message in messages)

    def test_a_coordinator_lets_a_locked_out_member_in_again(self, client, coordinator, staff):
        staff.set_password(PASSWORD)
        staff.save()
        a_member_for_a_while(staff.memberships.get())
        fail_five_times(client, "staff")
        client.force_login(coordinator)
        members = html_of(client.get(reverse("membership_list", args=["kvarterhuset"])))
        assert "låst ude efter forkerte adgangskoder" in members and "Lad dem logge ind igen" in members
        membership = staff.memberships.get()
        response = client.post(reverse("membership_unlock", args=["kvarterhuset", membership.pk]))
        assert response.status_code == 302
        client.logout()
        assert log_in(client, "staff", PASSWORD).status_code == 302

    def test_a_coordinator_cannot_add_a_locked_out_account_for_a_moment_to_lift_its_lockout(
        self, client, coordinator, centre
    ):
        stranger = make_user("fremmed", password=PASSWORD)
        fail_five_times(client, "fremmed")
        client.force_login(coordinator)
        client.post(reverse("membership_list", args=[centre.slug]), {"username": "fremmed", "role": Role.STAFF})
        membership = stranger.memberships.get()
        members = html_of(client.get(reverse("membership_list", args=[centre.slug])))
        assert "låst ude efter forkerte adgangskoder" in members and "Lad dem logge ind igen" not in members

        response = client.post(reverse("membership_unlock", args=[centre.slug, membership.pk]), follow=True)

        assert "Kun en administrator kan lade fremmed logge ind igen" in html_of(response)
        client.logout()
        assert log_in(client, "fremmed", PASSWORD).status_code == 429

    def test_a_double_click_on_letting_a_member_in_says_they_can_log_in_both_times(self, client, coordinator, staff):
        membership = a_member_for_a_while(staff.memberships.get())
        fail_five_times(client, "staff")
        client.force_login(coordinator)
        unlock = reverse("membership_unlock", args=["kvarterhuset", membership.pk])
        client.post(unlock)
        second = html_of(client.post(unlock, follow=True))
        assert "staff kan logge ind igen." in second and "Kun en administrator" not in second

    def test_a_coordinator_may_lift_a_members_lockout_once_a_day(self, client, coordinator, staff):
        staff.set_password(PASSWORD)
        staff.save()
        membership = a_member_for_a_while(staff.memberships.get())
        unlock = reverse("membership_unlock", args=["kvarterhuset", membership.pk])
        fail_five_times(client, "staff")
        client.force_login(coordinator)
        client.post(unlock)
        client.logout()
        # Locked out again the same day: another lift would give a guesser five more tries, again and again.
        fail_five_times(client, "staff")
        client.force_login(coordinator)
        response = client.post(unlock, follow=True)
        assert "Kun en administrator kan lade staff logge ind igen nu" in html_of(response)
        assert "kun en administrator kan lukke dem ind nu" in html_of(response)
        client.logout()
        assert log_in(client, "staff", PASSWORD).status_code == 429
        # A day later the coordinator may again.
        Membership.objects.filter(pk=membership.pk).update(
            lockout_lifted_at=timezone.now() - timedelta(days=1, seconds=1)
        )
        client.force_login(coordinator)
        client.post(unlock)
        client.logout()
        assert log_in(client, "staff", PASSWORD).status_code == 302

    def test_a_coordinator_cannot_lift_an_administrators_lockout(self, client, coordinator, centre):
        administrator = make_user("it-afdelingen", password=PASSWORD, is_superuser=True, is_staff=True)
        membership = a_member_for_a_while(make_membership(administrator, centre, Role.STAFF))
        fail_five_times(client, "it-afdelingen")
        client.force_login(coordinator)

        client.post(reverse("membership_unlock", args=[centre.slug, membership.pk]))

        client.logout()
        assert log_in(client, "it-afdelingen", PASSWORD).status_code == 429

    def test_only_a_coordinator_of_the_members_centre_may_lift_it(self, client, staff, outsider, manager):
        membership = staff.memberships.get()
        url = reverse("membership_unlock", args=["kvarterhuset", membership.pk])
        client.force_login(manager)
        assert client.post(url).status_code == 403
        client.force_login(outsider)
        assert client.post(url).status_code == 404
        assert client.get(url).status_code in (404, 405)


class TestPasswords:
    def test_a_user_changes_their_password(self, client, staff):
        staff.set_password(PASSWORD)
        staff.save()
        client.force_login(staff)
        response = client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Ny-kode-til-huset-77",
                "new_password2": "Ny-kode-til-huset-77",
            },
        )
        assert response.status_code == 302
        staff.refresh_from_db()
        assert staff.check_password("Ny-kode-til-huset-77")

    def test_a_weak_new_password_is_refused_with_a_danish_reason(self, client, staff):
        staff.set_password(PASSWORD)
        staff.save()
        client.force_login(staff)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
        )
        assert response.status_code == 200
        assert "Denne adgangskode er for kort" in html_of(response)
        # The passwords are never sent back, so the page does not say that everything typed is kept.
        assert "skriv adgangskoderne igen" in html_of(response)
        assert "alt hvad du har skrevet, er bevaret" not in html_of(response)
        staff.refresh_from_db()
        assert staff.check_password(PASSWORD)

    def test_the_current_password_cannot_be_guessed_on_the_change_page(self, client, staff, settings):
        """A session left open on a shared PC: after PASSWORD_CHANGE_FAILURE_LIMIT wrong current passwords the page
        checks none, the right one included, until the window ends."""
        settings.PASSWORD_CHANGE_FAILURE_LIMIT = 3
        staff.set_password(PASSWORD)
        staff.save()
        client.force_login(staff)
        new = {"new_password1": "Frisk-kode-til-huset-9", "new_password2": "Frisk-kode-til-huset-9"}
        for guess in ("forkert-1", "forkert-2", "forkert-3"):
            response = client.post(reverse("password_change"), {"old_password": guess} | new)
            assert response.status_code == 200
            assert "Din gamle adgangskode blev ikke indtastet korrekt" in html_of(response)

        response = client.post(reverse("password_change"), {"old_password": PASSWORD} | new)

        assert response.status_code == 429
        assert "Den nuværende adgangskode var forkert for mange gange. Vent 15 minutter" in html_of(response)
        staff.refresh_from_db()
        assert staff.check_password(PASSWORD)

    def test_each_try_is_counted_before_the_password_is_checked(self, client, staff, settings):
        """Tries sent at once each see the others' count: five already on their way leave no room for a sixth,
        whatever it holds (the count is taken before the check, not after a wrong answer)."""
        from samkort.throttle import count_attempt

        settings.PASSWORD_CHANGE_FAILURE_LIMIT = 5
        staff.set_password(PASSWORD)
        staff.save()
        client.force_login(staff)
        for _ in range(5):  # five tries in flight, counted, not yet answered
            count_attempt(f"samkort:password-change:user:{staff.pk}:session:{client.session.session_key}", 900)
        new = {"new_password1": "Frisk-kode-til-huset-9", "new_password2": "Frisk-kode-til-huset-9"}

        assert client.post(reverse("password_change"), {"old_password": PASSWORD} | new).status_code == 429
        staff.refresh_from_db()
        assert staff.check_password(PASSWORD)

    def test_tries_in_a_session_left_open_do_not_lock_its_owner_out(self, client, staff, settings):
        settings.PASSWORD_CHANGE_FAILURE_LIMIT = 3
        staff.set_password(PASSWORD)
        staff.save()
        left_open = Client()
        left_open.force_login(staff)
        new = {"new_password1": "Frisk-kode-til-huset-9", "new_password2": "Frisk-kode-til-huset-9"}
        for guess in ("forkert-1", "forkert-2", "forkert-3", "forkert-4"):
            left_open.post(reverse("password_change"), {"old_password": guess} | new)
        assert left_open.post(reverse("password_change"), {"old_password": PASSWORD} | new).status_code == 429

        client.force_login(staff)
        assert client.post(reverse("password_change"), {"old_password": PASSWORD} | new).status_code == 302

    def test_a_right_password_clears_the_count(self, client, staff, settings):
        settings.PASSWORD_CHANGE_FAILURE_LIMIT = 2
        staff.set_password(PASSWORD)
        staff.save()
        client.force_login(staff)
        first = {"new_password1": "Frisk-kode-til-huset-9", "new_password2": "Frisk-kode-til-huset-9"}
        client.post(reverse("password_change"), {"old_password": "forkert"} | first)
        assert client.post(reverse("password_change"), {"old_password": PASSWORD} | first).status_code == 302
        then = {"new_password1": "Endnu-en-kode-til-huset-7", "new_password2": "Endnu-en-kode-til-huset-7"}
        client.post(reverse("password_change"), {"old_password": "forkert"} | then)
        response = client.post(reverse("password_change"), {"old_password": "Frisk-kode-til-huset-9"} | then)
        assert response.status_code == 302

    def test_the_administrations_own_change_of_password_leads_to_the_limited_page(self, client, db):
        administrator = make_user("admin", is_superuser=True, is_staff=True)
        client.force_login(administrator)
        response = client.get("/admin/password_change/")
        assert response.status_code == 302 and response["Location"] == reverse("password_change")
        new = {"new_password1": "Ny-kode-77-x", "new_password2": "Ny-kode-77-x"}
        sent = {"old_password": "correct horse battery"} | new
        assert client.post("/admin/password_change/", sent).status_code == 302
        administrator.refresh_from_db()
        assert administrator.check_password("correct horse battery")

    def test_a_forgotten_password_is_reset_through_a_link_by_e_mail(self, client, staff):
        staff.email = "medarbejder@kommune.example"
        staff.save()
        response = client.post(reverse("password_reset"), {"email": "medarbejder@kommune.example"})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        link = re.search(r"https?://\S+/password/reset/\S+/", mail.outbox[0].body).group(0)
        form = client.get(link, follow=True)
        assert form.status_code == 200
        response = client.post(
            form.redirect_chain[-1][0],
            {"new_password1": "Frisk-kode-til-huset-9", "new_password2": "Frisk-kode-til-huset-9"},
        )
        assert response.status_code == 302
        staff.refresh_from_db()
        assert staff.check_password("Frisk-kode-til-huset-9")

    def test_a_flood_of_resets_sends_three_mails_an_hour_and_answers_the_same(self, client, staff):
        staff.email = "medarbejder@kommune.example"
        staff.save()
        for _ in range(5):
            response = client.post(reverse("password_reset"), {"email": "MEDARBEJDER@kommune.example"})
            assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
        assert len(mail.outbox) == 3

    def test_one_address_cannot_send_resets_to_many_inboxes(self, client, db, settings):
        settings.PASSWORD_RESET_ADDRESS_LIMIT = 3
        for number in range(5):
            user = make_user(f"bruger{number}")
            user.email = f"bruger{number}@kommune.example"
            user.save()
            client.post(reverse("password_reset"), {"email": user.email}, REMOTE_ADDR="10.9.9.9")
        assert len(mail.outbox) == 3
        client.post(reverse("password_reset"), {"email": "bruger4@kommune.example"}, REMOTE_ADDR="10.9.9.10")
        assert len(mail.outbox) == 4

    def test_the_page_does_the_same_work_for_an_address_with_an_account_and_without(self, client, staff, settings):
        """The account is looked up and the mail sent by a worker: the page only queues, whatever the address, so
        its time tells nobody who has an account."""
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        staff.email = "medarbejder@kommune.example"
        staff.save()
        for email in ("medarbejder@kommune.example", "ukendt@kommune.example"):
            response = client.post(reverse("password_reset"), {"email": email})
            assert response["Location"] == reverse("password_reset_done")
        queued = default_task_backend.results
        assert [(result.task.name, result.args[0]) for result in queued] == [
            ("send_password_reset", "medarbejder@kommune.example"),
            ("send_password_reset", "ukendt@kommune.example"),
        ]
        assert mail.outbox == []

        send_password_reset.call(*queued[0].args)
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["medarbejder@kommune.example"]
        assert "http://testserver/password/reset/" in mail.outbox[0].body
        assert "Nogen har bedt om en ny adgangskode" in mail.outbox[0].body

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(self, client, db):
        response = client.post(reverse("password_reset"), {"email": "ukendt@kommune.example"})
        assert response.status_code == 302
        assert mail.outbox == []


class TestSessions:
    def test_the_session_ends_when_the_browser_closes(self, client, staff):
        staff.set_password(PASSWORD)
        staff.save()
        log_in(client, "staff", PASSWORD)
        cookie = client.cookies["sessionid"]
        assert not cookie["expires"] and not cookie["max-age"]

    def test_the_session_ends_after_the_idle_period(self, client, staff, settings):
        staff.set_password(PASSWORD)
        staff.save()
        log_in(client, "staff", PASSWORD)
        session = Session.objects.get()
        idle = session.expire_date - timezone.now()
        assert abs(idle.total_seconds() - settings.SESSION_IDLE_HOURS * 3600) < 60
        Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_the_login_page_says_so(self, client, db, settings):
        html = html_of(client.get(reverse("login")))
        assert "når du lukker browseren" in html and f"{settings.SESSION_IDLE_HOURS} timer" in html


class TestPasswordSpraying:
    def test_many_user_names_failing_from_one_address_stop_logins_from_it(self, client, staff, settings):
        """One address trying a common password on every user name: axes counts per user name and never locks.
        LOGIN_ADDRESS_FAILURE_LIMIT failures from the address, whatever the names, stop its logins for the lockout
        time, the administration's too; another address logs in as usual."""
        settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
        staff.set_password(PASSWORD)
        staff.save()
        for number in range(4):
            assert log_in(client, f"bruger{number}", "Sommer2026!", address="203.0.113.9").status_code == 200

        refused = log_in(client, staff.username, PASSWORD, address="203.0.113.9")

        assert refused.status_code == 429
        assert "For mange log ind er slået fejl fra dette netværk" in html_of(refused)
        admin_login = client.post(
            "/admin/login/", {"username": staff.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
        )
        assert admin_login.status_code == 429
        assert log_in(Client(), staff.username, PASSWORD, address="198.51.100.7").status_code == 302
