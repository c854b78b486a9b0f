"""Samkort speaks Danish unless the user asks for English."""

from __future__ import annotations

import datetime
import os

from django.test import Client
from django.urls import reverse

from centres.models import Role
from collaboration.models import Form
from tests.factories import make_collaboration, make_membership, make_user
from tests.helpers import html_of

DANISH_FORMS = ["Videndele", "Samvirke", "Ressourceudveksle", "Samordne", "Samskabe"]


def test_the_login_page_is_in_danish(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = html_of(response)
    assert '<html lang="da">' in html
    assert "Log ind i Samkort" in html
    assert '<button type="submit" class="primary">Log ind</button>' in html
    assert 'lang="en">English</button>' in html


def test_a_danish_browser_and_an_english_one_both_get_danish(client, db):
    assert "Log ind" in html_of(client.get(reverse("login"), headers={"accept-language": "da"}))
    response = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert "Log ind" in html_of(response)
    assert response["Content-Language"] == "da"


def test_an_unknown_language_cookie_falls_back_to_danish(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "Log ind" in html_of(client.get(reverse("login")))


def test_a_logged_in_user_can_switch_to_english_and_back(staff_client, centre):
    url = reverse("collaboration_list", args=[centre.slug])
    html = html_of(staff_client.get(url))
    assert "Log ud" in html and ">Samarbejder</a>" in html

    response = staff_client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url

    html = html_of(staff_client.get(url))
    assert '<html lang="en">' in html
    assert "Log out" in html and ">Collaborations</a>" in html
    assert "Log ud" not in html
    assert 'lang="da">Dansk</button>' in html

    staff_client.post(reverse("set_language"), {"language": "da", "next": url})
    assert "Log ud" in html_of(staff_client.get(url))


def log_in_through_the_page(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] != reverse("login")


def test_the_language_chosen_is_the_users_at_the_next_login_in_another_browser(staff_client, staff, centre):
    url = reverse("collaboration_list", args=[centre.slug])
    staff_client.post(reverse("set_language"), {"language": "en", "next": url})

    elsewhere = Client()
    log_in_through_the_page(elsewhere, staff)

    assert '<html lang="en">' in html_of(elsewhere.get(url))


def test_on_a_shared_pc_each_user_gets_their_own_language_not_the_last_users(client, staff, centre):
    """The browser's cookie says English, left by a colleague; this user chose Danish, and gets it."""
    url = reverse("collaboration_list", args=[centre.slug])
    log_in_through_the_page(client, staff)
    client.post(reverse("set_language"), {"language": "da", "next": url})
    client.post(reverse("logout"))
    colleague = make_user("kollega")
    make_membership(colleague, centre, Role.STAFF)
    log_in_through_the_page(client, colleague)
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert '<html lang="en">' in html_of(client.get(url))
    client.post(reverse("logout"))

    log_in_through_the_page(client, staff)

    html = html_of(client.get(url))
    assert '<html lang="da">' in html and ">Samarbejder</a>" in html


def test_on_a_shared_pc_the_next_user_who_never_chose_starts_in_danish(client, staff, centre):
    """Logging out takes the language cookie away: a colleague who never chose a language is not given the last
    user's English."""
    url = reverse("collaboration_list", args=[centre.slug])
    log_in_through_the_page(client, staff)
    client.post(reverse("set_language"), {"language": "en", "next": url})
    client.post(reverse("logout"))
    colleague = make_user("kollega")
    make_membership(colleague, centre, Role.STAFF)

    log_in_through_the_page(client, colleague)

    html = html_of(client.get(url))
    assert '<html lang="da">' in html and ">Samarbejder</a>" in html


def test_an_unknown_language_keeps_danish(staff_client, centre):
    url = reverse("collaboration_list", args=[centre.slug])
    staff_client.post(reverse("set_language"), {"language": "xx", "next": url})
    assert "Log ud" in html_of(staff_client.get(url))


def test_dates_on_the_collaboration_list_are_in_danish_format(staff_client, centre):
    make_collaboration(
        centre, title="Sommerfest", started_on=datetime.date(2026, 7, 4), ended_on=datetime.date(2026, 8, 15)
    )
    html = html_of(staff_client.get(reverse("collaboration_list", args=[centre.slug])))
    assert "04.07.2026 – 15.08.2026" in html
    assert "2026-07-04" not in html and "July" not in html and "juli" not in html


def test_english_dates_put_the_day_first_as_readers_in_denmark_read_them(staff_client, centre):
    collaboration = make_collaboration(
        centre, title="Sommerfest", started_on=datetime.date(2026, 7, 4), ended_on=datetime.date(2026, 8, 15)
    )
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = html_of(staff_client.get(reverse("collaboration_list", args=[centre.slug])))
    assert "4 Jul 2026 – 15 Aug 2026" in html
    assert "07/04/2026" not in html
    detail = html_of(staff_client.get(collaboration.get_absolute_url()))
    assert "4 July 2026" in detail and "July 4" not in detail


def test_the_five_forms_have_their_danish_names(staff_client, centre):
    assert [label for _, label in Form.choices] == DANISH_FORMS
    for form in Form:
        make_collaboration(centre, form=form)

    log_form = html_of(staff_client.get(reverse("collaboration_create", args=[centre.slug])))
    overview = html_of(staff_client.get(reverse("centre_detail", args=[centre.slug])))
    listing = html_of(staff_client.get(reverse("collaboration_list", args=[centre.slug])))

    for number, label in enumerate(DANISH_FORMS, start=1):
        assert label in log_form
        assert f"{number} · {label}" in overview
        assert f"{number} · {label}" in listing
    assert "Knowledge sharing" not in log_form + overview + listing
    assert "Co-creation" not in log_form + overview + listing


def test_the_favicon_is_found_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("samkort/favicon.svg")


def test_djangos_log_lines_are_printed_once():
    # Django's own console handler beside the root's printed every line of the development server twice.
    import subprocess
    import sys

    code = "import logging; logging.getLogger('django.request').warning('Én linje')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "true"},
        check=True,
    )
    assert result.stderr.count("Én linje") == 1


def test_a_share_is_written_as_each_language_writes_per_cent():
    from django.utils import translation

    from collaboration.network.figures import Share

    with translation.override("da"):
        assert str(Share(23, 40)) == "58 %"
    with translation.override("en"):
        assert str(Share(23, 40)) == "58%"


def test_the_themes_samkort_seeds_are_read_in_the_readers_language(staff_client, centre):
    from collaboration.models import Theme

    employment = Theme.objects.get(name="Beskæftigelse")
    collaboration = make_collaboration(centre, title="Jobcafé", themes=[employment])
    assert "Beskæftigelse" in html_of(staff_client.get(collaboration.get_absolute_url()))

    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    detail = html_of(staff_client.get(collaboration.get_absolute_url()))
    assert "Employment" in detail and "Beskæftigelse" not in detail
    # One an administrator added is shown as written, in any language.
    Theme.objects.create(name="Grønne gårde")
    assert "Grønne gårde" in html_of(staff_client.get(reverse("collaboration_create", args=[centre.slug])))


def test_a_change_of_one_percentage_point_is_singular_in_english():
    from django.utils import translation

    from collaboration.network.figures import Share
    from collaboration.reports.build import KeyFigure
    from collaboration.templatetags.samkort import figure_change

    one_up = KeyFigure("cross", "Cross-sector", Share(51, 100), Share(50, 100))
    two_down = KeyFigure("cross", "Cross-sector", Share(48, 100), Share(50, 100))
    with translation.override("en"):
        assert (figure_change(one_up), figure_change(two_down)) == ("+1 percentage point", "-2 percentage points")
    with translation.override("da"):
        assert (figure_change(one_up), figure_change(two_down)) == ("+1 procentpoint", "-2 procentpoint")


def test_counts_in_reports_group_their_thousands_as_the_readers_language_does():
    from django.utils import translation

    from collaboration.reports.build import KeyFigure
    from collaboration.templatetags.samkort import figure_change, figure_value

    residents = KeyFigure("citizens", "Residents", 2133, 826)
    fell = KeyFigure("citizens", "Residents", 826, 2133)
    with translation.override("da"):
        assert (figure_value(2133), figure_change(residents), figure_change(fell)) == ("2.133", "+1.307", "-1.307")
        assert (figure_value(None), figure_value(0), figure_value(999)) == ("–", "0", "999")
    with translation.override("en"):
        assert (figure_value(2133), figure_change(residents)) == ("2,133", "+1,307")
