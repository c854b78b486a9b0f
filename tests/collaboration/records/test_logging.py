"""Staff log a collaboration in well under a minute: the log form, its HTMX parts, edit and delete."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from centres.models import Actor, ActorCategory
from collaboration.models import Collaboration, Form, HistoryEntry, Participation, ResourceKind
from tests.factories import collaboration_post as valid_post
from tests.factories import make_actor, make_collaboration, make_presence

HTMX = {"HTTP_HX_REQUEST": "true"}


def log_url(centre):
    return reverse("collaboration_create", args=[centre.slug])


class TestLogForm:
    def test_it_shows_the_ladder_of_five_forms_with_today_as_default(self, staff_client, centre):
        response = staff_client.get(log_url(centre))
        assert response.status_code == 200
        html = response.content.decode()
        for label in ["Videndele", "Samvirke", "Ressourceudveksle", "Samordne", "Samskabe"]:
            assert label in html
        assert f'value="{datetime.date.today():%Y-%m-%d}"' in html

    def test_log_and_start_another_leads_to_a_fresh_form_that_says_what_was_logged(self, staff_client, centre, actors):
        response = staff_client.post(log_url(centre), valid_post(actors) | {"then": "another"})

        assert response.status_code == 302 and response["Location"] == log_url(centre)
        page = staff_client.get(log_url(centre)).content.decode()
        assert f"“{Collaboration.objects.get().title}” er logget." in page
        assert 'name="then" value="another">Log og begynd på et nyt</button>' in page

    def test_it_logs_a_three_actor_collaboration(self, staff_client, staff, centre, actors):
        lead = actors[0]
        data = valid_post(actors, **{f"role-{lead.pk}": "lead"})
        response = staff_client.post(log_url(centre), data)
        assert response.status_code == 302
        assert response["Location"] == reverse("collaboration_list", args=[centre.slug])
        collaboration = Collaboration.objects.get()
        assert collaboration.centre == centre
        assert collaboration.created_by == staff
        assert collaboration.form == Form.COORDINATED_ACTION
        assert collaboration.ongoing
        assert collaboration.citizen_count == 12
        assert [t.name for t in collaboration.themes.all()] == ["Beskæftigelse"]
        roles = dict(collaboration.participations.values_list("actor__name", "role"))
        assert roles == {"Jobcenter Slagelse": "lead", "Café Sumak": "participant", "UU Vestsjælland": "participant"}
        assert HistoryEntry.objects.get().action == "created"

    def test_the_same_collaboration_logged_again_from_a_fresh_form_is_shown_the_one_logged_and_not_saved(
        self, staff_client, staff, centre, actors
    ):
        """After Back, the browser fills in the title but the form has a new one-time token: without this check,
        picking the actors again and saving made the collaboration twice."""
        staff_client.post(log_url(centre), valid_post(actors[:2], title="Fælles jobcafé", started_on="2026-03-02"))
        first = Collaboration.objects.get()

        again = staff_client.post(
            log_url(centre), valid_post(actors[:2], title="fælles JOBCAFÉ", started_on="2026-03-02")
        )

        page = again.content.decode()
        assert again.status_code == 200 and Collaboration.objects.count() == 1
        assert "“Fælles jobcafé” er logget allerede, med de samme aktører og startdato." in page
        assert f'href="{first.get_absolute_url()}"' in page and 'value="fælles JOBCAFÉ"' in page
        assert f'name="another_than" value="{first.pk}"' in page

    def test_a_collaboration_said_to_be_another_is_logged_beside_the_one_like_it(self, staff_client, centre, actors):
        first = make_collaboration(centre, actors=actors[:2], title="Kaffemøde", started_on=datetime.date(2026, 3, 2))

        saved = staff_client.post(
            log_url(centre),
            valid_post(actors[:2], title="Kaffemøde", started_on="2026-03-02", another_than=str(first.pk)),
        )

        assert saved.status_code == 302 and Collaboration.objects.count() == 2

    @pytest.mark.parametrize("differs", [{"title": "Kaffemøde 2"}, {"started_on": "2026-03-03"}, {"actors": 3}])
    def test_one_with_another_title_start_or_actors_is_no_second_logging(self, staff_client, centre, actors, differs):
        make_collaboration(centre, actors=actors[:2], title="Kaffemøde", started_on=datetime.date(2026, 3, 2))
        fields = {"title": "Kaffemøde", "started_on": "2026-03-02"} | {
            k: v for k, v in differs.items() if k != "actors"
        }

        saved = staff_client.post(log_url(centre), valid_post(actors[: differs.get("actors", 2)], **fields))

        assert saved.status_code == 302 and Collaboration.objects.count() == 2

    def test_an_actor_made_inactive_while_the_form_was_open_is_not_logged_with(self, staff_client, centre, actors):
        Actor.objects.filter(pk=actors[1].pk).update(active=False)  # in another tab, meanwhile

        refused = staff_client.post(log_url(centre), valid_post(actors[:3]))

        assert refused.status_code == 200 and not Collaboration.objects.exists()
        assert f"{actors[1].name} er ikke længere aktiv i Samkort" in refused.content.decode()

    def test_an_old_collaboration_with_an_actor_made_inactive_since_can_still_be_edited(
        self, staff_client, centre, actors
    ):
        collaboration = make_collaboration(centre, actors=actors[:2], title="Gammelt møde")
        Actor.objects.filter(pk=actors[1].pk).update(active=False)
        url = reverse("collaboration_edit", args=[centre.slug, collaboration.pk])

        saved = staff_client.post(
            url, valid_post(actors[:2], title="Gammelt møde, rettet", version=collaboration.version)
        )

        assert saved.status_code == 302
        assert Collaboration.objects.get().title == "Gammelt møde, rettet"

    def test_after_logging_the_list_shows_what_was_saved_once_highlighted(self, staff_client, centre, actors):
        old = make_collaboration(centre, actors=actors[:2], title="Gammelt møde", started_on=datetime.date(2026, 9, 1))
        # Started long ago, so the list's first page, newest first, would not show it.
        for day in range(1, 27):
            make_collaboration(centre, actors=actors[:2], started_on=datetime.date(2026, 10, day))
        staff_client.post(log_url(centre), valid_post(actors, title="Fælles jobcafé", started_on="2025-01-06"))
        html = staff_client.get(reverse("collaboration_list", args=[centre.slug])).content.decode()
        saved = Collaboration.objects.get(title="Fælles jobcafé")
        highlighted = html.split('class="just-saved"')[1].split("</section>")[0]
        assert "Netop logget" in highlighted and "Fælles jobcafé" in highlighted and old.title not in highlighted
        assert f'id="just-saved-{saved.pk}"' in highlighted
        # Shown once: a reload gives the plain list.
        assert "just-saved" not in staff_client.get(reverse("collaboration_list", args=[centre.slug])).content.decode()

    def test_the_actor_search_sends_the_chosen_actors_from_a_list_that_is_always_there(self, staff_client, centre):
        html = staff_client.get(log_url(centre)).content.decode()
        assert 'hx-include="#participant-rows"' in html and 'id="participant-rows"' in html

    def test_a_one_off_collaboration_ends_the_day_it_started(self, staff_client, centre, actors):
        staff_client.post(log_url(centre), valid_post(actors[:2], frequency="once"))
        collaboration = Collaboration.objects.get()
        assert collaboration.ended_on == collaboration.started_on == datetime.date(2026, 10, 1)

    def test_a_resource_exchange_records_giver_receiver_and_kind(self, staff_client, centre, actors):
        giver, receiver = actors[:2]
        data = valid_post(
            [giver, receiver],
            form=str(Form.RESOURCE_EXCHANGE),
            resource_kind=ResourceKind.ROOMS,
            **{f"role-{giver.pk}": "giver", f"role-{receiver.pk}": "receiver"},
        )
        assert staff_client.post(log_url(centre), data).status_code == 302
        collaboration = Collaboration.objects.get()
        assert collaboration.resource_kind == "rooms"
        assert set(collaboration.participations.values_list("role", flat=True)) == {"giver", "receiver"}

    def test_a_coordinator_can_log_too(self, coordinator_client, centre, actors):
        assert coordinator_client.post(log_url(centre), valid_post(actors)).status_code == 302

    def test_a_manager_may_not_log(self, manager_client, centre, actors):
        assert manager_client.get(log_url(centre)).status_code == 403
        assert manager_client.post(log_url(centre), valid_post(actors)).status_code == 403
        assert not Collaboration.objects.exists()

    def test_an_outsider_gets_404(self, outsider_client, centre, actors):
        assert outsider_client.get(log_url(centre)).status_code == 404
        assert outsider_client.post(log_url(centre), valid_post(actors)).status_code == 404
        assert not Collaboration.objects.exists()

    def test_anonymous_users_are_sent_to_log_in(self, client, centre):
        response = client.get(log_url(centre))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_it_refuses_other_methods(self, staff_client, centre):
        assert staff_client.put(log_url(centre)).status_code == 405


class TestBadInput:
    """Every bad input gets a Danish message next to its field, keeps what was typed and writes nothing."""

    def post_invalid(self, client, centre, data):
        response = client.post(log_url(centre), data)
        assert response.status_code == 200
        assert not Collaboration.objects.exists()
        assert not Participation.objects.exists()
        html = response.content.decode()
        assert "Intet er gemt endnu" in html
        return html

    def test_fewer_than_two_actors(self, staff_client, centre, actors):
        html = self.post_invalid(staff_client, centre, valid_post(actors[:1]))
        assert "mindst to forskellige aktører" in html
        # The summary names the field by its question, with no colon after the question mark.
        assert '">Hvem deltog? Et samarbejde kræver mindst to forskellige aktører.' in html
        assert "Fælles jobcafé" in html  # the title typed is kept
        assert "Jobcenter Slagelse" in html  # and so is the chosen actor
        # The search, where the summary's link puts the focus, is read with the error.
        assert 'aria-describedby="actor-search-help id_participants_error" aria-invalid="true">' in html

    def test_the_errors_of_a_group_of_choices_are_linked_to_the_group(self, staff_client, centre, actors):
        """A screen reader reads an error with the radio group or the list of actors it belongs to."""
        data = valid_post(actors[:1])
        del data["form"]
        html = self.post_invalid(staff_client, centre, data)
        assert 'id="field-form" aria-describedby="id_form_error"' in html and 'id="id_form_error"' in html
        assert 'id="field-participants" aria-describedby="id_participants_error"' in html
        assert html.count('id="id_participants_error"') == 1

    def test_the_summary_lists_each_error_with_a_link_to_it(self, staff_client, centre, actors):
        """On a phone the form is many screens long: the summary at the top says what to correct, and where."""
        data = valid_post(actors[:1], title="", ended_on="2000-01-01")
        html = self.post_invalid(staff_client, centre, data)
        summary = html.split('id="form-errors"')[1].split("</div>")[0]
        links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
        # "Titel: …", but "Hvem deltog? …": a question needs no colon after it.
        assert [re.split(r": |(?<=\?) ", label)[0] for _target, label in links] == ["Titel", "Hvem deltog?", "Slutdato"]
        assert [target for target, _label in links] == ["field-title", "field-participants", "field-ended_on"]
        assert all(f'id="{target}"' in html for target, _label in links)

    def test_a_year_of_five_digits_from_the_date_picker_is_named_for_what_it_is(self, staff_client, centre, actors):
        html = self.post_invalid(staff_client, centre, valid_post(actors, started_on="22026-03-10"))
        assert "Tjek datoen: den skal have en dag, en måned og et årstal med fire cifre." in html
        assert "dd.mm" not in html

    def test_the_date_picker_offers_only_dates_the_form_takes(self, staff_client, centre):
        html = staff_client.get(log_url(centre)).content.decode()
        latest = (datetime.date.today() + datetime.timedelta(days=366)).isoformat()
        assert f'type="date" name="started_on" value="{datetime.date.today():%Y-%m-%d}"' in html
        assert html.count(f'min="2000-01-01" max="{latest}"') == 2

    def test_the_same_actor_twice(self, staff_client, centre, actors):
        data = valid_post(actors[:2])
        data["participants"] = [str(actors[0].pk), str(actors[0].pk)]
        html = self.post_invalid(staff_client, centre, data)
        assert "Jobcenter Slagelse står der to gange" in html

    def test_an_end_date_before_the_start(self, staff_client, centre, actors):
        html = self.post_invalid(staff_client, centre, valid_post(actors, ended_on="2026-09-01"))
        assert "Slutdatoen kan ikke ligge før startdatoen" in html
        assert 'value="2026-09-01"' in html

    def test_a_giver_who_is_also_the_receiver(self, staff_client, centre, actors):
        giver = actors[0]
        data = valid_post([giver], form=str(Form.RESOURCE_EXCHANGE), resource_kind="rooms")
        data["participants"] = [str(giver.pk), str(giver.pk)]
        data[f"role-{giver.pk}"] = "giver"
        html = self.post_invalid(staff_client, centre, data)
        assert "kan ikke give til sig selv" in html

    def test_a_resource_exchange_without_a_receiver(self, staff_client, centre, actors):
        a, b = actors[:2]
        data = valid_post(
            [a, b],
            form=str(Form.RESOURCE_EXCHANGE),
            resource_kind="rooms",
            **{f"role-{a.pk}": "giver", f"role-{b.pk}": "giver"},
        )
        html = self.post_invalid(staff_client, centre, data)
        assert "mindst én aktør giver og en anden modtager" in html

    def test_a_resource_exchange_without_saying_what(self, staff_client, centre, actors):
        a, b = actors[:2]
        data = valid_post(
            [a, b], form=str(Form.RESOURCE_EXCHANGE), **{f"role-{a.pk}": "giver", f"role-{b.pk}": "receiver"}
        )
        html = self.post_invalid(staff_client, centre, data)
        assert "Skriv, hvad der blev givet, delt eller lånt" in html

    @pytest.mark.parametrize("bad_id", ["abc", "999999", "-1", "1 OR 1=1"])
    def test_actor_ids_edited_by_hand(self, staff_client, centre, actors, bad_id):
        data = valid_post(actors[:2])
        data["participants"] = [str(actors[0].pk), bad_id]
        html = self.post_invalid(staff_client, centre, data)
        assert "En af aktørerne blev ikke genkendt" in html

    def test_a_role_edited_by_hand(self, staff_client, centre, actors):
        data = valid_post(actors[:2], **{f"role-{actors[0].pk}": "boss"})
        html = self.post_invalid(staff_client, centre, data)
        assert "Vælg en rolle for Jobcenter Slagelse" in html

    def test_a_role_that_does_not_fit_the_form(self, staff_client, centre, actors):
        data = valid_post(actors[:2], **{f"role-{actors[0].pk}": "giver"})
        html = self.post_invalid(staff_client, centre, data)
        assert "kan ikke have rollen" in html

    def test_a_form_edited_by_hand(self, staff_client, centre, actors):
        html = self.post_invalid(staff_client, centre, valid_post(actors, form="9"))
        assert 'id="field-form"' in html

    def test_oversized_text(self, staff_client, centre, actors):
        html = self.post_invalid(staff_client, centre, valid_post(actors, title="x" * 201))
        assert "Denne værdi må højst have 200 tegn (den har 201)." in html

    @pytest.mark.parametrize("field", ["title", "description", "goals", "outcome", "target_group"])
    def test_a_cpr_like_number_in_free_text(self, staff_client, centre, actors, field):
        html = self.post_invalid(staff_client, centre, valid_post(actors, **{field: "Borger 010190-1234 deltog"}))
        assert "personoplysninger" in html.lower()

    def test_a_date_far_from_now(self, staff_client, centre, actors):
        html = self.post_invalid(staff_client, centre, valid_post(actors, started_on="1899-01-01"))
        assert "Tjek datoen" in html

    def test_a_theme_that_does_not_exist(self, staff_client, centre, actors):
        self.post_invalid(staff_client, centre, valid_post(actors, themes=["987654"]))

    def test_a_negative_number_of_residents(self, staff_client, centre, actors):
        self.post_invalid(staff_client, centre, valid_post(actors, citizen_count="-3"))

    @pytest.mark.parametrize("count", ["100001", "1501901234"])  # a slip, or a CPR number without its dash
    def test_more_residents_than_any_housing_area_holds(self, staff_client, centre, actors, count):
        html = self.post_invalid(staff_client, centre, valid_post(actors, citizen_count=count))
        assert "Højst 100.000 beboere" in html


class TestFormRefresh:
    """The parts of the form that depend on the chosen form and actors are redrawn without a reload."""

    def refresh(self, client, centre, data):
        response = client.post(reverse("collaboration_form_refresh", args=[centre.slug]), data, **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html
        assert 'id="form-dependent"' in html
        return html

    def test_choosing_resource_exchange_shows_what_was_exchanged_and_giver_roles(self, staff_client, centre, actors):
        html = self.refresh(staff_client, centre, {"form": "3", "participants": [a.pk for a in actors[:2]]})
        assert 'name="resource_kind"' in html
        assert f'name="role-{actors[0].pk}"' in html
        assert '<option value="giver" selected>' in html
        assert '<option value="receiver" selected>' in html

    def test_other_forms_hide_what_was_exchanged(self, staff_client, centre, actors):
        html = self.refresh(staff_client, centre, {"form": "1", "participants": [a.pk for a in actors[:2]]})
        assert 'name="resource_kind"' not in html
        assert "giver" not in html

    def test_adding_and_removing_an_actor_keeps_the_others(self, staff_client, centre, actors):
        a, b, c = actors
        html = self.refresh(staff_client, centre, {"form": "1", "participants": [a.pk], "add_actor": b.pk})
        assert "Jobcenter Slagelse" in html and "Café Sumak" in html
        html = self.refresh(staff_client, centre, {"form": "1", "participants": [a.pk, b.pk], "remove_actor": a.pk})
        assert "Jobcenter Slagelse" not in html and "Café Sumak" in html
        html = self.refresh(staff_client, centre, {"form": "1", "participants": [a.pk, b.pk], "add_actor": b.pk})
        assert html.count('name="participants"') == 2

    def test_it_does_not_show_errors_while_the_user_is_still_typing(self, staff_client, centre, actors):
        html = self.refresh(staff_client, centre, {"form": "4", "participants": [actors[0].pk]})
        assert 'class="error"' not in html

    def test_it_is_refused_to_managers_and_outsiders(self, manager_client, centre):
        url = reverse("collaboration_form_refresh", args=[centre.slug])
        assert manager_client.post(url, {"form": "1"}, **HTMX).status_code == 403
        assert manager_client.get(url).status_code == 405

    def test_outsiders_get_404(self, outsider_client, centre):
        url = reverse("collaboration_form_refresh", args=[centre.slug])
        assert outsider_client.post(url, {"form": "1"}, **HTMX).status_code == 404


class TestActorSearch:
    def search(self, client, centre, **params):
        response = client.get(reverse("actor_search", args=[centre.slug]), params, **HTMX)
        assert response.status_code == 200
        assert "<html" not in response.content.decode()
        return response.content.decode()

    def test_it_lists_the_centres_own_actors_before_all_others(self, staff_client, centre, other_centre):
        elsewhere = make_actor(name="Jobcenter Aarhus", category=ActorCategory.JOB_CENTRE)
        here = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
        make_presence(centre, here)
        make_presence(other_centre, elsewhere)
        html = self.search(staff_client, centre, q="jobcenter")
        assert html.index("Jobcenter Slagelse") < html.index("Andre aktører") < html.index("Jobcenter Aarhus")

    def test_it_shows_eight_of_each_and_says_when_more_match(self, staff_client, centre):
        for n in range(9):
            make_actor(name=f"Forening {n}")
        html = self.search(staff_client, centre, q="forening")
        assert html.count("data-picks-actor") == 8
        assert "Flere aktører passer: skriv mere af navnet." in html
        assert "Flere aktører passer" not in self.search(staff_client, centre, q="forening 1")

    def test_it_leaves_out_actors_already_chosen_and_names_inactive_ones_without_offering_them(
        self, staff_client, centre, actors
    ):
        gammel = make_actor(name="Jobcenter Gammel", active=False)
        html = self.search(staff_client, centre, q="jobcenter", participants=[actors[0].pk])
        assert "Jobcenter Slagelse" not in html
        # Named, so that nobody creates it again, but not offered: a coordinator makes it active again.
        assert "Jobcenter Gammel er markeret som ikke længere aktiv." in html
        assert f'"add_actor": "{gammel.pk}"' not in html
        assert "Jobcenter Gammel er markeret" in self.search(staff_client, centre, q="gammel")

    def test_it_offers_to_create_a_new_actor_unless_the_name_exists(self, staff_client, centre, actors):
        assert "Opret den nye aktør “Kirkens Korshær”" in self.search(staff_client, centre, q="Kirkens Korshær")
        assert "Opret den nye aktør" not in self.search(staff_client, centre, q="café sumak")

    @pytest.mark.parametrize(
        ("typed", "found"),
        [
            ("Sumak café", "Sumak – socialøkonomisk café"),
            ("café sumak", "Sumak – socialøkonomisk café"),
            ("korsor", "Korsør Bibliotek"),
            ("korsoer bib", "Korsør Bibliotek"),
            ("faelles", "En Fælles Indsats"),
            ("aarhus", "Århus Frivilligcenter"),
        ],
    )
    def test_each_word_is_found_on_its_own_and_without_the_danish_letters(self, staff_client, centre, typed, found):
        for name in ("Sumak – socialøkonomisk café", "Korsør Bibliotek", "En Fælles Indsats", "Århus Frivilligcenter"):
            make_actor(name=name)

        html = self.search(staff_client, centre, q=typed)

        assert html.count("data-picks-actor") == 1 and found in html

    def test_it_answers_an_empty_query_with_nothing(self, staff_client, centre, actors):
        assert "<button" not in self.search(staff_client, centre, q="  ")


class TestNewActorInline:
    def url(self, centre):
        return reverse("new_actor", args=[centre.slug])

    def test_it_opens_a_panel_with_the_typed_name(self, staff_client, centre):
        response = staff_client.get(self.url(centre), {"name": "Kirkens Korshær"}, **HTMX)
        html = response.content.decode()
        assert 'value="Kirkens Korshær"' in html
        assert "<html" not in html

    def test_it_creates_the_actor_and_adds_it_to_the_collaboration(self, staff_client, centre, actors):
        data = {
            "form": "1",
            "participants": [actors[0].pk],
            "new_actor-name": " Kirkens  Korshær ",
            "new_actor-category": "ngo",
        }
        response = staff_client.post(self.url(centre), data, **HTMX)
        assert response.status_code == 200
        assert response["HX-Retarget"] == "#form-dependent"
        created = Actor.objects.get(name="Kirkens Korshær")
        html = response.content.decode()
        assert f'name="participants" value="{created.pk}"' in html
        assert f'name="participants" value="{actors[0].pk}"' in html
        assert 'id="new-actor" hx-swap-oob="true"' in html

    def test_a_refused_panel_puts_the_focus_on_the_field_to_fix(self, staff_client, centre):
        data = {"form": "1", "new_actor-name": "Zyxw Forening", "new_actor-category": ""}

        html = staff_client.post(self.url(centre), data, **HTMX).content.decode()

        category = re.search(r'<select name="new_actor-category"[^>]*>', html).group(0)
        name = re.search(r'<input type="text" name="new_actor-name"[^>]*>', html).group(0)
        assert "autofocus" in category and 'aria-invalid="true"' in category
        assert "autofocus" not in name

    def test_it_warns_about_a_near_duplicate_and_creates_only_when_confirmed(self, staff_client, centre, actors):
        data = {"form": "1", "new_actor-name": "Jobcentret Slagelse", "new_actor-category": "job_centre"}
        html = staff_client.post(self.url(centre), data, **HTMX).content.decode()
        assert "lignende navne" in html
        assert "Jobcenter Slagelse" in html
        assert not Actor.objects.filter(name="Jobcentret Slagelse").exists()
        data["new_actor-confirm"] = "Jobcentret Slagelse"
        staff_client.post(self.url(centre), data, **HTMX)
        assert Actor.objects.filter(name="Jobcentret Slagelse").exists()

    def test_a_near_duplicate_already_chosen_is_said_to_be_chosen_not_offered_again(self, staff_client, centre, actors):
        data = {
            "form": "1",
            "participants": [str(actors[0].pk)],
            "new_actor-name": "Jobcentret Slagelse",
            "new_actor-category": "job_centre",
        }
        html = staff_client.post(self.url(centre), data, **HTMX).content.decode()
        assert "Jobcenter Slagelse <small>Jobcenter</small>\n            <small>(allerede valgt)</small>" in html
        assert f'"add_actor": "{actors[0].pk}"' not in html

    def test_a_changed_name_is_checked_again(self, staff_client, centre, actors):
        data = {
            "new_actor-name": "Jobcentre Slagelse",
            "new_actor-category": "job_centre",
            "new_actor-confirm": "Other",
        }
        html = staff_client.post(self.url(centre), data, **HTMX).content.decode()
        assert "lignende navne" in html

    def test_an_existing_name_is_refused(self, staff_client, centre, actors):
        data = {"new_actor-name": "café sumak", "new_actor-category": "business"}
        html = staff_client.post(self.url(centre), data, **HTMX).content.decode()
        assert "Café Sumak findes allerede" in html
        assert Actor.objects.count() == 3

    def test_a_missing_category_is_explained(self, staff_client, centre):
        html = staff_client.post(self.url(centre), {"new_actor-name": "Ny forening"}, **HTMX).content.decode()
        assert "Vælg, hvilken slags aktør det er" in html
        assert not Actor.objects.filter(name="Ny forening").exists()

    def test_managers_cannot_create_actors(self, manager_client, centre):
        data = {"new_actor-name": "Ny forening", "new_actor-category": "association"}
        assert manager_client.post(self.url(centre), data, **HTMX).status_code == 403
        assert not Actor.objects.filter(name="Ny forening").exists()

    def test_outsiders_get_404(self, outsider_client, centre):
        data = {"new_actor-name": "Ny forening", "new_actor-category": "association"}
        assert outsider_client.get(self.url(centre), **HTMX).status_code == 404
        assert outsider_client.post(self.url(centre), data, **HTMX).status_code == 404
        assert not Actor.objects.filter(name="Ny forening").exists()


class TestEditAndDelete:
    def test_staff_edit_a_collaboration_and_the_history_records_what_changed(self, staff_client, centre, actors):
        collaboration = make_collaboration(centre, actors=actors[:2], title="Gammel titel")
        url = reverse("collaboration_edit", args=[centre.slug, collaboration.pk])
        form_page = staff_client.get(url).content.decode()
        assert 'value="Gammel titel"' in form_page and "Café Sumak" in form_page
        data = valid_post(actors, title="Ny titel", form=str(Form.KNOWLEDGE_SHARING), version=collaboration.version)
        response = staff_client.post(url, data)
        assert response.status_code == 302
        collaboration.refresh_from_db()
        assert collaboration.title == "Ny titel"
        assert collaboration.participations.count() == 3
        entry = HistoryEntry.objects.get(action="updated")
        assert entry.changes["title"] == ["Gammel titel", "Ny titel"]
        assert "participants" in entry.changes
        detail = staff_client.get(collaboration.get_absolute_url()).content.decode()
        assert "staff ændrede" in detail

    def test_an_invalid_edit_changes_nothing(self, staff_client, centre, actors):
        collaboration = make_collaboration(centre, actors=actors[:2], title="Gammel titel")
        url = reverse("collaboration_edit", args=[centre.slug, collaboration.pk])
        response = staff_client.post(url, valid_post(actors[:1], title="Ny titel"))
        assert response.status_code == 200
        collaboration.refresh_from_db()
        assert collaboration.title == "Gammel titel"
        assert collaboration.participations.count() == 2

    def test_delete_asks_first_then_deletes_for_real_and_notes_who_did_it(self, staff_client, centre, actors):
        collaboration = make_collaboration(centre, actors=actors[:2], title="Skal slettes")
        url = reverse("collaboration_delete", args=[centre.slug, collaboration.pk])
        assert "Slet dette samarbejde?" in staff_client.get(url).content.decode()
        assert Collaboration.objects.exists()
        response = staff_client.post(url, {"version": collaboration.version})
        assert response.status_code == 302
        assert not Collaboration.objects.exists()
        assert not Participation.objects.exists()
        entry = HistoryEntry.objects.get(action="deleted")
        assert entry.title == "Skal slettes"
        assert entry.user.username == "staff"
        assert entry.changes == {}

    def test_a_deletion_confirmed_after_a_colleague_deleted_it_says_who_did(
        self, staff_client, coordinator_client, centre, actors
    ):
        collaboration = make_collaboration(centre, actors=actors[:2], title="Skal slettes")
        url = reverse("collaboration_delete", args=[centre.slug, collaboration.pk])
        staff_client.get(url)  # the page that asks, open in one tab
        coordinator_client.post(url, {"version": collaboration.version})  # a colleague deletes it meanwhile

        response = staff_client.post(url, {"version": collaboration.version})

        assert response.status_code == 302 and response["Location"] == reverse("collaboration_list", args=[centre.slug])
        listed = staff_client.get(response["Location"]).content.decode()
        assert "“Skal slettes” var slettet allerede, af coordinator" in listed
        assert HistoryEntry.objects.filter(action="deleted").count() == 1

    def test_a_collaboration_that_never_was_answers_404_to_a_deletion(self, staff_client, centre):
        assert staff_client.post(reverse("collaboration_delete", args=[centre.slug, 999999])).status_code == 404

    @pytest.mark.parametrize("name", ["collaboration_edit", "collaboration_delete"])
    def test_managers_may_not_change_anything(self, manager_client, centre, name):
        collaboration = make_collaboration(centre)
        url = reverse(name, args=[centre.slug, collaboration.pk])
        assert manager_client.get(url).status_code == 403
        assert manager_client.post(url).status_code == 403
        assert Collaboration.objects.filter(pk=collaboration.pk).exists()

    @pytest.mark.parametrize("name", ["collaboration_detail", "collaboration_edit", "collaboration_delete"])
    def test_another_centres_collaboration_answers_404(self, outsider_client, centre, name):
        collaboration = make_collaboration(centre)
        url = reverse(name, args=[centre.slug, collaboration.pk])
        assert outsider_client.get(url).status_code == 404
        if name != "collaboration_detail":
            assert outsider_client.post(url).status_code == 404
        assert Collaboration.objects.filter(pk=collaboration.pk).exists()

    def test_a_collaboration_cannot_be_reached_through_another_centres_address(
        self, staff_client, staff, centre, other_centre
    ):
        from centres.models import Role
        from tests.factories import make_membership

        make_membership(staff, other_centre, Role.MANAGER)
        collaboration = make_collaboration(centre)
        url = reverse("collaboration_edit", args=[other_centre.slug, collaboration.pk])
        assert staff_client.get(url).status_code == 403
        url = reverse("collaboration_detail", args=[other_centre.slug, collaboration.pk])
        assert staff_client.get(url).status_code == 404


class TestInactiveActors:
    def test_typing_an_inactive_actors_exact_name_explains_why_it_is_not_offered(self, staff_client, centre):
        make_actor(name="Nedlagt forening", active=False)
        url = reverse("actor_search", args=[centre.slug])
        html = staff_client.get(url, {"q": "nedlagt forening"}, **HTMX).content.decode()
        assert "Nedlagt forening er markeret som ikke længere aktiv" in html
        assert "Opret den nye aktør" not in html
