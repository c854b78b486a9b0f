"""The Django admin covers every model and keeps the rules the product keeps."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from centres.models import Role
from collaboration.models import Collaboration, Participation
from tests.factories import make_actor, make_collaboration, make_membership, make_presence, make_user
from tests.helpers import html_of


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("app_label", ["centres", "collaboration", "rounds"])
def test_every_model_has_a_working_admin_list(admin_client, centre, app_label):
    make_collaboration(centre)
    for model in apps.get_app_config(app_label).get_models():
        assert admin.site.is_registered(model), model
        url = reverse(f"admin:{app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


def collaboration_post(centre, actors):
    data = {
        "centre": centre.pk,
        "form": "1",
        "title": "Fra admin",
        "started_on": "2026-10-01",
        "frequency": "once",
        "level": "citizen",
        "citizens_part": "not_involved",
        "participations-TOTAL_FORMS": str(len(actors)),
        "participations-INITIAL_FORMS": "0",
    }
    for i, actor in enumerate(actors):
        data[f"participations-{i}-actor"] = actor.pk
        data[f"participations-{i}-role"] = "participant"
    return data


@pytest.mark.parametrize(
    "address",
    [
        "/admin/centres/presence/?started_on__year=99999",
        "/admin/centres/presence/?ended_on__year=0",
        "/admin/collaboration/collaboration/?ended_on__year=-5",
        "/admin/auth/user/?date_joined__year=10000",
        "/admin/collaboration/collaboration/?started_on__year__gte=99999",
        "/admin/collaboration/collaboration/?ended_on__year__lt=0",
    ],
)
def test_a_list_filtered_by_a_year_no_calendar_has_gets_the_admins_invalid_filter_answer(admin_client, address):
    response = admin_client.get(address)
    assert response.status_code == 302
    assert response["Location"] == address.split("?")[0] + "?e=1"
    assert admin_client.get(response["Location"]).status_code == 200


def test_another_fault_in_a_filtered_admin_list_is_still_a_server_error(admin_client, monkeypatch):
    from django.contrib.admin.views.main import ChangeList

    def broken(self, request):
        raise ValueError("a bug, not a filter")

    monkeypatch.setattr(ChangeList, "get_results", broken)
    admin_client.raise_request_exception = False
    assert admin_client.get("/admin/centres/presence/?kind__exact=based").status_code == 500


def test_the_admin_refuses_a_collaboration_with_one_actor(admin_client, centre):
    url = reverse("admin:collaboration_collaboration_add")
    response = admin_client.post(url, collaboration_post(centre, [make_actor()]))
    assert response.status_code == 200
    assert "Et samarbejde kræver mindst to forskellige aktører." in response.content.decode()
    assert not Collaboration.objects.exists()


def test_the_admin_saves_a_collaboration_with_two_actors(admin_client, centre):
    url = reverse("admin:collaboration_collaboration_add")
    response = admin_client.post(url, collaboration_post(centre, [make_actor(), make_actor()]))
    assert response.status_code == 302
    assert Collaboration.objects.get().participations.count() == 2


def test_participations_are_read_only_in_the_admin(admin_client, centre):
    participation = make_collaboration(centre).participations.first()
    assert admin_client.get(reverse("admin:collaboration_participation_add")).status_code == 403
    delete_url = reverse("admin:collaboration_participation_delete", args=[participation.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Participation.objects.filter(pk=participation.pk).exists()


@pytest.mark.parametrize("model_name", ["collaboration.historyentry", "centres.actorhistoryentry"])
def test_history_can_be_read_but_never_changed_or_deleted_in_the_admin(admin_client, centre, model_name):
    from centres.models import ActorHistoryEntry
    from collaboration.models import HistoryEntry

    collaboration = make_collaboration(centre)
    entry = (
        HistoryEntry.objects.create(
            centre=centre, collaboration=collaboration, title=collaboration.title, action="created"
        )
        if model_name.startswith("collaboration")
        else ActorHistoryEntry.objects.create(actor=make_actor(), action="created")
    )
    app, model = model_name.split(".")
    assert admin_client.get(reverse(f"admin:{app}_{model}_change", args=[entry.pk])).status_code == 200
    assert (
        admin_client.post(reverse(f"admin:{app}_{model}_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    changelist = reverse(f"admin:{app}_{model}_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert type(entry).objects.filter(pk=entry.pk).exists()


def test_the_admins_breadcrumbs_are_underlined_links(admin_client, centre):
    """Told from their text by colour alone, they failed axe's link-in-text-block."""
    page = admin_client.get("/admin/centres/").content.decode()
    assert "samkort/admin.css" in page and 'class="breadcrumbs"' in page
    assert "Samkort – administration" in page
    css = (settings.BASE_DIR / "static" / "samkort" / "admin.css").read_text()
    assert "div.breadcrumbs a { text-decoration: underline; }" in css


def test_answers_and_ratings_are_named_by_who_said_what_in_the_admin(admin_client, centre):
    from collaboration.rounds.models import Answer, Rating
    from tests.factories import make_invitation, make_round

    cafe, job = make_actor(name="Café Sumak"), make_actor(name="Jobcenter Slagelse")
    collaboration = make_collaboration(centre, [cafe, job], title="Fælles jobcafé")
    invitation = make_invitation(make_round(centre), cafe)
    answer = Answer.objects.create(invitation=invitation, collaboration=collaboration, happened="yes", form=2)
    rating = Rating.objects.create(invitation=invitation, partner=job, value=3, trust=4)

    page = admin_client.get(reverse("admin:rounds_answer_change", args=[answer.pk])).content.decode()
    assert "Café Sumak – Fælles jobcafé" in page and "object (" not in page
    assert "Café Sumak → Jobcenter Slagelse" in str(rating)


def test_the_apps_samkort_borrows_are_named_in_danish_in_the_admin(admin_client):
    page = admin_client.get("/admin/").content.decode()

    assert "Loginforsøg" in page and "Adgangsforsøg" in page and "Baggrundsopgaver" in page
    assert "Access attempts" not in page and "Task Results" not in page and "Tasks Database Backend" not in page


@pytest.mark.parametrize("app_label", ["axes", "django_tasks_database"])
def test_every_name_the_borrowed_apps_show_in_the_admin_has_its_danish(app_label):
    """An upgrade that renames one of their models or fields would show it in English: this says which."""
    from django.apps import apps
    from django.utils import translation

    names = set()
    for model in apps.get_app_config(app_label).get_models():
        names |= {model._meta.verbose_name, model._meta.verbose_name_plural}
        names |= {field.verbose_name for field in model._meta.fields if field.name not in ("id",)}
    with translation.override("en"):
        english = {str(name) for name in names if str(name)}
    with translation.override("da"):
        untranslated = {name for name in english if translation.gettext(name) == name}
    # Words that are the same in Danish.
    assert untranslated - {"HTTP Accept", "traceback", "ID", "status"} == set()


@pytest.mark.parametrize("page", ["centre", "collaboration"])
def test_every_control_in_an_inline_row_has_a_name_a_screen_reader_reads(admin_client, centre, cafe, page):
    make_presence(centre, cafe)
    make_membership(make_user("medarbejder"), centre, Role.STAFF)
    collaboration = make_collaboration(centre)
    path = {
        "centre": f"/admin/centres/centre/{centre.pk}/change/",
        "collaboration": f"/admin/collaboration/collaboration/{collaboration.pk}/change/",
    }[page]
    html = html_of(admin_client.get(path))

    rows = re.findall(r'<tr class="form-row[^"]*"[^>]*>(.*?)</tr>', html, re.S)
    controls = [tag for row in rows for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", row)]
    shown = [tag for tag in controls if 'type="hidden"' not in tag]
    assert shown and all("aria-label=" in tag for tag in shown)
