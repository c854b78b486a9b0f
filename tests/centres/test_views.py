"""Every page of a centre, for every role: who may see and change actors, presences and members."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.models import Actor, ActorCategory, Membership, Presence, PresenceKind, Role
from centres.templatetags.wrapping import breaks_after_slash
from tests.factories import make_actor, make_collaboration, make_membership, make_presence, make_user
from tests.helpers import html_of

CPR_LIKE = "Kontakt 010190-1234 for nøglen"


@pytest.fixture
def member(centre):
    """A plain staff member of `centre` whose membership the coordinator manages."""
    return make_membership(make_user("medlem"), centre, Role.STAFF)


def database_state() -> tuple:
    """Everything the centre views can change, to show that a refused request changed nothing."""
    return (
        list(Actor.objects.order_by("pk").values_list("pk", "name", "category", "description", "active")),
        list(Presence.objects.order_by("pk").values_list("pk", "centre", "actor", "kind", "started_on", "ended_on")),
        list(Membership.objects.order_by("pk").values_list("pk", "user", "centre", "role")),
    )


def login_as(client, user):
    client.force_login(user)
    return client


class TestHome:
    def test_it_sends_a_member_of_one_centre_straight_to_it(self, coordinator_client, centre):
        response = coordinator_client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"] == centre.get_absolute_url()

    def test_it_lists_every_centre_with_the_users_role(self, staff_client, staff, centre, other_centre):
        make_membership(staff, other_centre, Role.MANAGER)
        response = staff_client.get(reverse("home"))
        assert response.status_code == 200
        html = html_of(response)
        assert "Mine centre" in html
        assert "Kvarterhuset" in html and "Andet Hus" in html
        assert "din rolle: medarbejder" in html and "din rolle: leder" in html
        assert reverse("collaboration_create", args=[centre.slug]) in html
        assert reverse("collaboration_create", args=[other_centre.slug]) not in html

    def test_a_user_without_centres_is_told_whom_to_ask(self, client, db):
        response = login_as(client, make_user("ny")).get(reverse("home"))
        assert response.status_code == 200
        html = html_of(response)
        assert "Du er endnu ikke medlem af noget center." in html
        assert "Bed tovholderen for dit medborgercenter om at tilføje dig som medlem." in html

    def test_anonymous_users_are_sent_to_log_in(self, client, db):
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_it_refuses_post(self, staff_client):
        assert staff_client.post(reverse("home")).status_code == 405


class TestPresenceList:
    def url(self, centre):
        return reverse("presence_list", args=[centre.slug])

    def test_members_see_every_presence_with_danish_dates(self, staff_client, centre, cafe):
        make_presence(centre, cafe, started_on=datetime.date(2025, 2, 3), ended_on=datetime.date(2025, 12, 31))
        response = staff_client.get(self.url(centre))
        assert response.status_code == 200
        html = html_of(response)
        assert "Aktører i centret" in html
        assert "Café Sumak" in html and "Socialøkonomisk virksomhed" in html and "Har base i centret" in html
        assert "03.02.2025&nbsp;– 31.12.2025" in html

    def test_actors_are_listed_in_the_same_order_as_everywhere_whatever_their_case(self, staff_client, centre):
        for name in ("Sumak", "SSP Slagelse", "Sprogcenter Slagelse", "Socialrådgivningen"):
            make_presence(centre, make_actor(name=name))

        html = html_of(staff_client.get(self.url(centre)))

        places = [html.index(f">{name}</a>") for name in ("Socialrådgivningen", "Sprogcenter Slagelse", "SSP Slagelse")]
        assert places == sorted(places) and html.index(">SSP Slagelse</a>") < html.index(">Sumak</a>")

    def test_an_actor_no_longer_active_is_marked_in_the_list(self, staff_client, centre, cafe):
        make_presence(centre, make_actor(name="Kvindeforum", active=False))
        make_presence(centre, cafe)

        html = html_of(staff_client.get(self.url(centre)))

        assert 'Kvindeforum</a> <small class="muted">(inaktiv)</small>' in html
        assert "Café Sumak</a></td>" in html

    def test_an_ended_presence_is_marked_and_counted_apart_from_those_present_now(self, staff_client, centre, cafe):
        """The centre page counts the actors present now; the list shows every presence, and says both numbers."""
        make_presence(centre, cafe, started_on=datetime.date(2025, 2, 3), ended_on=datetime.date(2025, 12, 31))
        make_presence(centre, make_actor(name="Lektiecaféen"), started_on=datetime.date(2024, 8, 1))
        html = html_of(staff_client.get(self.url(centre)))
        assert "2 aktører, 1 af dem tilknyttet nu" in html
        assert '31.12.2025 <span class="badge">ophørt</span>' in html

        now = html_of(staff_client.get(self.url(centre), {"when": "now"}))
        assert "1 aktør</p>" in now or "1 aktør<" in now
        assert "Lektiecaféen" in now and "Café Sumak" not in now
        ended = html_of(staff_client.get(self.url(centre), {"when": "ended"}))
        assert "Café Sumak" in ended and "Lektiecaféen" not in ended

    def test_an_actor_that_left_and_came_back_is_listed_with_each_presence_and_counted_once(
        self, staff_client, centre, cafe
    ):
        make_presence(centre, cafe, started_on=datetime.date(2024, 2, 1), ended_on=datetime.date(2024, 12, 31))
        make_presence(centre, cafe, started_on=datetime.date(2026, 1, 1))
        make_presence(centre, make_actor(name="Lektiecaféen"), started_on=datetime.date(2024, 8, 1))
        html = html_of(staff_client.get(self.url(centre)))
        assert html.count("Café Sumak</a>") == 2
        assert "2 aktører</p>" in html or "2 aktører<" in html
        searched = html_of(staff_client.get(self.url(centre), {"q": "sumak"}))
        assert "1 aktør<" in searched and searched.count("Café Sumak</a>") == 2

    def test_a_presence_without_dates_says_so_and_an_open_one_shows_its_start(self, staff_client, centre, cafe):
        make_presence(centre, cafe, started_on=None, ended_on=None)
        make_presence(centre, make_actor(name="Lektiecaféen"), started_on=datetime.date(2024, 8, 1), ended_on=None)
        html = html_of(staff_client.get(self.url(centre)))
        assert "ingen datoer" in html and "… –" not in html
        assert "01.08.2024&nbsp;– </td>" in html

    def test_a_category_joined_by_a_slash_may_wrap_after_it(self, staff_client, centre):
        make_presence(centre, make_actor(name="Afdelingsbestyrelsen", category=ActorCategory.TENANTS_BOARD))
        html = html_of(staff_client.get(self.url(centre)))
        assert "Afdelingsbestyrelse/<wbr>beboerdemokrati" in html

    def test_the_wrapping_label_is_escaped_before_the_break_is_added(self):
        assert breaks_after_slash("<i>a & b/c") == "&lt;i&gt;a &amp; b/<wbr>c"

    def test_staff_are_not_offered_to_manage(self, staff_client, centre, presence):
        html = html_of(staff_client.get(self.url(centre)))
        assert reverse("presence_edit", args=[centre.slug, presence.pk]) not in html
        assert reverse("actor_create", args=[centre.slug]) not in html

    def test_coordinators_are_offered_to_add_edit_and_remove(self, coordinator_client, centre, presence):
        html = html_of(coordinator_client.get(self.url(centre)))
        assert reverse("presence_edit", args=[centre.slug, presence.pk]) in html
        assert reverse("presence_delete", args=[centre.slug, presence.pk]) in html
        assert reverse("actor_create", args=[centre.slug]) in html
        assert "Tilføj en eksisterende aktør" in html

    def test_it_shows_an_empty_state(self, manager_client, centre):
        assert "Ingen aktører er registreret som tilknyttet centret." in html_of(manager_client.get(self.url(centre)))

    def test_it_shows_only_this_centres_presences(self, staff_client, centre, other_centre):
        make_presence(other_centre, make_actor(name="Fremmed forening"))
        assert "Fremmed forening" not in html_of(staff_client.get(self.url(centre)))


class TestFindingAnActorAmongMany:
    """After an import a centre can have thousands of actors: the page is searched, filtered and paged."""

    def url(self, centre, **query):
        return reverse("presence_list", args=[centre.slug]) + ("?" + urlencode(query) if query else "")

    def test_a_name_is_found_whatever_its_case_also_for_danish_letters(self, staff_client, centre, cafe):
        make_presence(centre, cafe)
        make_presence(centre, make_actor(name="Ældrerådet"))
        make_presence(centre, make_actor(name="Lektiecaféen"))
        html = html_of(staff_client.get(self.url(centre, q="ÆLDRE")))
        assert "Ældrerådet" in html and "Café Sumak" not in html and "Lektiecaféen" not in html
        assert "1 aktør" in html
        html = html_of(staff_client.get(self.url(centre, q="café")))
        assert "Café Sumak" in html and "Lektiecaféen" in html and "Ældrerådet" not in html
        assert "2 aktører" in html

    def test_actors_are_filtered_by_category_and_by_presence(self, staff_client, centre, cafe):
        make_presence(centre, cafe, kind=PresenceKind.AD_HOC)
        make_presence(centre, make_actor(name="Afdelingsbestyrelsen", category=ActorCategory.TENANTS_BOARD))
        html = html_of(staff_client.get(self.url(centre, category=ActorCategory.TENANTS_BOARD)))
        assert "Afdelingsbestyrelsen" in html and "Café Sumak" not in html
        html = html_of(staff_client.get(self.url(centre, kind=PresenceKind.AD_HOC)))
        assert "Café Sumak" in html and "Afdelingsbestyrelsen" not in html

    def test_a_long_list_is_paged_fifty_at_a_time_in_name_order(self, staff_client, centre):
        for number in range(51):
            make_presence(centre, make_actor(name=f"Forening {number:02d}"))
        first = html_of(staff_client.get(self.url(centre)))
        assert "51 aktører" in first and "Side 1 af 2" in first
        assert "Forening 49" in first and "Forening 50" not in first
        second = html_of(staff_client.get(self.url(centre, page=2)))
        assert "Forening 50" in second and "Forening 49" not in second and "Side 2 af 2" in second

    def test_the_page_number_is_kept_with_the_filters(self, staff_client, centre):
        for number in range(51):
            make_presence(centre, make_actor(name=f"Forening {number:02d}"))
        html = html_of(staff_client.get(self.url(centre, q="forening", page=1)))
        assert "q=forening&amp;page=2" in html

    def test_the_queries_do_not_grow_with_the_number_of_actors(self, staff_client, centre):
        def queries_for_the_page() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert staff_client.get(self.url(centre)).status_code == 200
            return len(queries)

        make_presence(centre, make_actor(name="Forening 00"))
        queries_for_the_page()  # the session's first request also writes it
        few = queries_for_the_page()
        for number in range(1, 120):
            make_presence(centre, make_actor(name=f"Forening {number:03d}"))
        assert queries_for_the_page() == few

    def test_a_filter_change_answers_with_the_results_only(self, staff_client, centre, cafe):
        make_presence(centre, cafe)
        response = staff_client.get(self.url(centre, q="sumak"), headers={"HX-Request": "true"})
        html = html_of(response)
        assert html.lstrip().startswith('<section id="results"') and "Café Sumak" in html
        assert "<html" not in html
        assert "HX-Request" in response["Vary"]

    def test_an_unknown_category_is_reported_and_left_out(self, staff_client, centre, cafe):
        make_presence(centre, cafe)
        response = staff_client.get(self.url(centre, category="<script>", kind="nope", page="x"))
        assert response.status_code == 200
        html = html_of(response)
        assert "Nogle filtre kunne ikke bruges og er udeladt" in html
        assert "Kategori:" in html and "Tilknytning:" in html
        assert "Café Sumak" in html and "<script>" not in html

    def test_no_match_says_so_and_offers_the_whole_list(self, staff_client, centre, cafe):
        make_presence(centre, cafe)
        html = html_of(staff_client.get(self.url(centre, q="ingen sådan forening")))
        assert "Ingen aktører i centret passer til filtrene." in html
        assert "Vis alle aktører" in html

    def test_a_centre_without_actors_is_not_offered_filters(self, staff_client, centre):
        html = html_of(staff_client.get(self.url(centre)))
        assert 'id="filters"' not in html
        assert "Ingen aktører er registreret som tilknyttet centret." in html


class TestActorCreate:
    def url(self, centre):
        return reverse("actor_create", args=[centre.slug])

    def test_it_creates_the_actor_and_goes_on_to_its_presence(self, coordinator_client, centre):
        assert "Ny aktør" in html_of(coordinator_client.get(self.url(centre)))
        data = {"name": " Beboerforeningen  Motalavej ", "category": "residents_group"}
        response = coordinator_client.post(self.url(centre), data)
        assert response.status_code == 302
        actor = Actor.objects.get()
        assert actor.name == "Beboerforeningen Motalavej"
        assert actor.category == ActorCategory.RESIDENTS_GROUP
        assert actor.active
        assert response["Location"] == f"{reverse('presence_create', args=[centre.slug])}?actor={actor.pk}"
        html = html_of(coordinator_client.get(response["Location"]))
        assert "Beboerforeningen Motalavej er oprettet. Angiv nu, hvordan aktøren er tilknyttet centret." in html
        assert f'<option value="{actor.pk}" selected>Beboerforeningen Motalavej</option>' in html
        assert not Presence.objects.exists()

    def test_a_name_that_exists_in_another_case_is_refused(self, coordinator_client, centre, cafe):
        response = coordinator_client.post(self.url(centre), {"name": "café  SUMAK", "category": "business"})
        assert response.status_code == 200
        html = html_of(response)
        assert "Café Sumak findes allerede." in html
        assert (
            "Intet er gemt endnu. Ret de felter, der er markeret med rødt – alt hvad du har skrevet, er bevaret."
            in html
        )
        assert list(Actor.objects.values_list("name", flat=True)) == ["Café Sumak"]

    def test_a_taken_name_offers_the_actor_it_belongs_to(self, coordinator_client, centre, other_centre, cafe):
        """Elsewhere only: one click adds it here instead. Here already: the page says so and links to it."""
        make_presence(other_centre, cafe)
        html = html_of(coordinator_client.post(self.url(centre), {"name": "Café Sumak", "category": "business"}))
        assert "Tilføj Café Sumak til dette center i stedet for at oprette den igen." in html
        assert f'href="{reverse("presence_create", args=[centre.slug])}?actor={cafe.pk}"' in html

        make_presence(centre, cafe)
        html = html_of(coordinator_client.post(self.url(centre), {"name": "Café Sumak", "category": "business"}))
        assert "Café Sumak står allerede i dette center." in html
        assert f'href="{cafe.get_absolute_url()}"' in html and "?actor=" not in html

    def test_a_taken_name_of_an_actor_no_longer_active_offers_no_dead_end(self, coordinator_client, centre, cafe):
        Actor.objects.filter(pk=cafe.pk).update(active=False)
        html = html_of(coordinator_client.post(self.url(centre), {"name": "Café Sumak", "category": "business"}))
        assert "Café Sumak findes, markeret som ikke længere aktiv." in html
        assert "?actor=" not in html

    def test_a_taken_name_listed_here_from_a_day_to_come_is_said_to_be_listed(self, coordinator_client, centre, cafe):
        make_presence(centre, cafe, started_on=timezone.localdate() + datetime.timedelta(days=30))
        html = html_of(coordinator_client.post(self.url(centre), {"name": "Café Sumak", "category": "business"}))
        assert "Café Sumak står allerede i dette center." in html and "?actor=" not in html

    def test_a_look_alike_name_is_questioned_and_created_only_when_confirmed(self, coordinator_client, centre, cafe):
        data = {"name": "Cafe Sumak", "category": "business"}
        response = coordinator_client.post(self.url(centre), data)
        html = html_of(response)
        assert response.status_code == 200
        assert "Der findes aktører med lignende navne. Er det en af dem?" in html
        # A question, not an error: no summary of fields "marked in red", none of which is.
        assert 'id="form-errors"' not in html and html.count("lignende navne") == 1
        assert f'href="{cafe.get_absolute_url()}">Café Sumak</a>' in html
        assert f"{reverse('presence_create', args=[centre.slug])}?actor={cafe.pk}" in html
        assert '<input type="hidden" name="confirm" value="Cafe Sumak">' in html
        assert "Nej, opret den alligevel" in html
        assert Actor.objects.count() == 1

        response = coordinator_client.post(self.url(centre), {**data, "confirm": "Cafe Sumak"})
        assert response.status_code == 302
        assert sorted(Actor.objects.values_list("name", flat=True)) == ["Cafe Sumak", "Café Sumak"]

    @pytest.mark.parametrize(
        "look_alike",
        ["Cafe Sumak", "Café Sumak.", "Café-Sumak", "CAFÉ  SUMAK!", "Cafè Sumak", "Café Sumac", "Caffé Sumak"],
    )
    def test_every_look_alike_variant_is_questioned(self, coordinator_client, centre, cafe, look_alike):
        response = coordinator_client.post(self.url(centre), {"name": look_alike, "category": "business"})
        assert "Der findes aktører med lignende navne." in html_of(response)
        assert Actor.objects.count() == 1

    def test_a_changed_name_is_questioned_again(self, coordinator_client, centre, cafe):
        data = {"name": "Café Sumakk", "category": "business", "confirm": "Cafe Sumak"}
        response = coordinator_client.post(self.url(centre), data)
        assert "Der findes aktører med lignende navne." in html_of(response)
        assert Actor.objects.count() == 1

    def test_a_cpr_like_number_is_refused(self, coordinator_client, centre):
        data = {"name": "Ny forening", "category": "association", "description": CPR_LIKE}
        response = coordinator_client.post(self.url(centre), data)
        assert response.status_code == 200
        assert "personoplysninger" in html_of(response).lower()
        assert "Det ligner et CPR-nummer." in html_of(response)
        assert not Actor.objects.exists()

    def test_an_oversized_name_is_refused(self, coordinator_client, centre):
        response = coordinator_client.post(self.url(centre), {"name": "x" * 201, "category": "association"})
        assert response.status_code == 200
        assert "Denne værdi må højst have 200 tegn (den har 201)." in html_of(response)
        assert not Actor.objects.exists()

    def test_a_missing_category_is_refused_and_the_name_kept(self, coordinator_client, centre):
        response = coordinator_client.post(self.url(centre), {"name": "Ny forening", "category": ""})
        assert response.status_code == 200
        html = html_of(response)
        assert "Dette felt er påkrævet." in html
        assert 'value="Ny forening"' in html
        assert not Actor.objects.exists()


class TestPresenceCreate:
    def url(self, centre):
        return reverse("presence_create", args=[centre.slug])

    def test_it_adds_an_existing_actor_to_the_centre(self, coordinator_client, centre, cafe):
        data = {"actor": cafe.pk, "kind": "ad_hoc", "started_on": "2026-02-01", "ended_on": "", "note": "Tirsdage"}
        response = coordinator_client.post(self.url(centre), data)
        assert response.status_code == 302
        assert response["Location"] == reverse("presence_list", args=[centre.slug])
        presence = Presence.objects.get()
        assert (presence.centre, presence.actor, presence.kind) == (centre, cafe, PresenceKind.AD_HOC)
        assert presence.started_on == datetime.date(2026, 2, 1)
        assert presence.ended_on is None
        assert "Tilknytningen er gemt." in html_of(coordinator_client.get(response["Location"]))

    def test_a_second_presence_without_a_start_date_is_refused(self, coordinator_client, centre, cafe):
        make_presence(centre, cafe)
        data = {"actor": cafe.pk, "kind": "based", "started_on": "", "ended_on": "", "note": ""}
        response = coordinator_client.post(self.url(centre), data)
        assert response.status_code == 200
        assert "Aktøren er allerede tilknyttet centret fra den dato." in html_of(response)
        assert Presence.objects.count() == 1

    def test_it_shows_the_form(self, coordinator_client, centre, cafe):
        response = coordinator_client.get(self.url(centre), {"actor": cafe.pk})
        assert response.status_code == 200
        html = html_of(response)
        assert "Tilføj en aktør til centret" in html
        assert f'<option value="{cafe.pk}" selected>Café Sumak</option>' in html

    def test_among_many_actors_the_coordinator_finds_one_by_name_and_adds_it(
        self, coordinator_client, centre, cafe, monkeypatch
    ):
        import centres.forms

        for n in range(5):
            make_actor(name=f"Forening {n}")
        monkeypatch.setattr(centres.forms, "PICK_LIST_LIMIT", 3)
        first = html_of(coordinator_client.get(self.url(centre)))
        assert 'name="q"' in first and "skriv en del af navnet" in first
        assert "Forening 0</option>" not in first and "Café Sumak</option>" not in first

        found = html_of(coordinator_client.get(self.url(centre), {"q": "café"}))
        assert f'<option value="{cafe.pk}">Café Sumak</option>' in found
        assert "Forening 0</option>" not in found
        nothing = html_of(coordinator_client.get(self.url(centre), {"q": "findes ikke"}))
        assert "Ingen aktiv aktørs navn indeholder “findes ikke”." in nothing
        # With an actor chosen already (just created), a search that finds nothing still says so.
        chosen = html_of(coordinator_client.get(self.url(centre), {"q": "findes ikke", "actor": cafe.pk}))
        assert "Ingen aktiv aktørs navn indeholder “findes ikke”." in chosen
        assert f'<option value="{cafe.pk}" selected>Café Sumak</option>' in chosen

        # Any active actor may be sent, whatever the list showed.
        data = {"actor": cafe.pk, "kind": "based", "started_on": "2026-02-01"}
        assert coordinator_client.post(self.url(centre) + "?q=forening", data).status_code == 302
        assert Presence.objects.filter(centre=centre, actor=cafe).exists()

    def test_an_end_before_the_start_is_refused(self, coordinator_client, centre, cafe):
        data = {"actor": cafe.pk, "kind": "based", "started_on": "2026-02-01", "ended_on": "2026-01-31"}
        response = coordinator_client.post(self.url(centre), data)
        assert response.status_code == 200
        assert "Slutdatoen kan ikke ligge før startdatoen." in html_of(response)
        assert not Presence.objects.exists()

    @pytest.mark.parametrize(("started_on", "ended_on"), [("0001-01-01", ""), ("2026-01-01", "9999-12-31")])
    def test_a_year_out_of_reach_is_refused_as_on_a_collaboration(
        self, coordinator_client, centre, cafe, started_on, ended_on
    ):
        data = {"actor": cafe.pk, "kind": "based", "started_on": started_on, "ended_on": ended_on}
        response = coordinator_client.post(self.url(centre), data)
        assert response.status_code == 200
        assert "Vælg en dato mellem år 1900 og 2100." in html_of(response)
        assert not Presence.objects.exists()

    def test_a_second_presence_from_the_same_date_is_refused(self, coordinator_client, centre, presence):
        data = {"actor": presence.actor_id, "kind": "ad_hoc", "started_on": "2025-01-01"}
        response = coordinator_client.post(self.url(centre), data)
        assert response.status_code == 200
        assert "Aktøren er allerede tilknyttet centret fra den dato." in html_of(response)
        assert Presence.objects.count() == 1

    def test_the_same_actor_may_come_back_from_another_date(self, coordinator_client, centre, presence):
        # Back after its first presence ended (the fixture's has no end yet: it is given one, as a coordinator would).
        Presence.objects.filter(pk=presence.pk).update(ended_on=datetime.date(2025, 12, 31))
        data = {"actor": presence.actor_id, "kind": "ad_hoc", "started_on": "2026-06-01"}
        assert coordinator_client.post(self.url(centre), data).status_code == 302
        assert Presence.objects.filter(centre=centre, actor=presence.actor).count() == 2

    @pytest.mark.parametrize(
        ("started_on", "ended_on"), [("2026-06-01", ""), ("", "2025-03-01"), ("2024-01-01", "2025-01-01")]
    )
    def test_a_presence_overlapping_the_actors_other_is_refused_and_says_which(
        self, coordinator_client, centre, presence, started_on, ended_on
    ):
        data = {"actor": presence.actor_id, "kind": "ad_hoc", "started_on": started_on, "ended_on": ended_on}
        response = coordinator_client.post(self.url(centre), data)
        assert response.status_code == 200
        html = html_of(response)
        assert "Café Sumak er allerede tilknyttet centret i den periode (01.01.2025 – …)." in html
        assert Presence.objects.filter(centre=centre, actor=presence.actor).count() == 1

    def test_an_actor_present_now_is_marked_in_the_list_to_choose_from(self, coordinator_client, centre, presence):
        make_actor(name="Lektiecaféen")
        html = html_of(coordinator_client.get(self.url(centre)))
        assert f'<option value="{presence.actor_id}">Café Sumak (tilknyttet nu)</option>' in html
        assert ">Lektiecaféen</option>" in html

    def test_an_inactive_actor_cannot_be_chosen(self, coordinator_client, centre):
        gone = make_actor(name="Nedlagt forening", active=False)
        response = coordinator_client.post(self.url(centre), {"actor": gone.pk, "kind": "based"})
        assert response.status_code == 200
        assert "Marker en gyldig valgmulighed." in html_of(response)
        assert not Presence.objects.exists()


class TestPresenceEdit:
    def url(self, centre, presence):
        return reverse("presence_edit", args=[centre.slug, presence.pk])

    def test_the_page_names_the_actor_and_the_centre(self, coordinator_client, centre, presence):
        html = html_of(coordinator_client.get(self.url(centre, presence)))
        assert f"<title>Rediger tilknytning · Café Sumak · {centre.name}" in html
        assert "<h1>Tilknytning for Café Sumak</h1>" in html

    def test_it_changes_the_presence(self, coordinator_client, centre, presence):
        form_page = html_of(coordinator_client.get(self.url(centre, presence)))
        assert "Rediger tilknytning" in form_page and 'value="2025-01-01"' in form_page
        data = {"actor": presence.actor_id, "kind": "ad_hoc", "started_on": "2025-01-01", "ended_on": "2026-06-30"}
        response = coordinator_client.post(self.url(centre, presence), {**data, "version": presence.version})
        assert response.status_code == 302
        presence.refresh_from_db()
        assert presence.kind == PresenceKind.AD_HOC
        assert presence.ended_on == datetime.date(2026, 6, 30)

    def test_an_end_before_the_start_changes_nothing(self, coordinator_client, centre, presence):
        data = {"actor": presence.actor_id, "kind": "ad_hoc", "started_on": "2025-01-01", "ended_on": "2024-12-31"}
        response = coordinator_client.post(self.url(centre, presence), data)
        assert response.status_code == 200
        assert "Slutdatoen kan ikke ligge før startdatoen." in html_of(response)
        presence.refresh_from_db()
        assert (presence.kind, presence.ended_on) == (PresenceKind.BASED, None)

    def test_moving_it_onto_another_presences_start_date_is_refused(self, coordinator_client, centre, cafe, presence):
        later = make_presence(centre, cafe, started_on=datetime.date(2026, 1, 1))
        data = {"actor": cafe.pk, "kind": "based", "started_on": "2025-01-01"}
        response = coordinator_client.post(self.url(centre, later), data)
        assert response.status_code == 200
        assert "Aktøren er allerede tilknyttet centret fra den dato." in html_of(response)
        later.refresh_from_db()
        assert later.started_on == datetime.date(2026, 1, 1)

    def test_an_inactive_actor_stays_on_its_own_presence(self, coordinator_client, centre, cafe, presence):
        Actor.objects.filter(pk=cafe.pk).update(active=False)
        data = {"actor": cafe.pk, "kind": "based", "started_on": "2025-01-01", "note": "Holder pause", "version": 1}
        assert coordinator_client.post(self.url(centre, presence), data).status_code == 302
        presence.refresh_from_db()
        assert presence.note == "Holder pause"

    def test_a_presence_stays_with_its_actor(self, coordinator_client, centre, presence):
        other = make_actor(name="Kirkens Korshær")
        page = html_of(coordinator_client.get(self.url(centre, presence)))
        assert "Kirkens Korshær" not in page
        data = {"actor": other.pk, "kind": "ad_hoc", "started_on": "2025-01-01", "version": presence.version}
        coordinator_client.post(self.url(centre, presence), data)
        presence.refresh_from_db()
        assert presence.actor_id != other.pk and not Presence.objects.filter(actor=other).exists()

    def test_a_presence_removed_in_another_tab_says_so_and_gives_back_the_note(
        self, coordinator_client, centre, presence
    ):
        url = self.url(centre, presence)
        presence.delete()
        data = {"actor": presence.actor_id, "kind": "ad_hoc", "note": "Kommer hver tirsdag", "version": 1}

        response = coordinator_client.post(url, data)

        assert response.status_code == 404
        html = html_of(response)
        assert "Tilknytningen er ikke i centret: den er fjernet" in html and "Intet er gemt." in html
        assert "Kommer hver tirsdag" in html
        assert f'href="{reverse("presence_list", args=[centre.slug])}"' in html

    def test_another_centres_presence_is_404(self, coordinator_client, coordinator, centre, other_centre, cafe):
        make_membership(coordinator, other_centre, Role.COORDINATOR)
        elsewhere = make_presence(other_centre, cafe)
        url = reverse("presence_edit", args=[centre.slug, elsewhere.pk])
        assert coordinator_client.get(url).status_code == 404
        assert coordinator_client.post(url, {"actor": cafe.pk, "kind": "ad_hoc"}).status_code == 404
        elsewhere.refresh_from_db()
        assert elsewhere.kind == PresenceKind.BASED


class TestPresenceDelete:
    def url(self, centre, presence):
        return reverse("presence_delete", args=[centre.slug, presence.pk])

    def test_it_removes_the_presence_but_keeps_the_actor(self, coordinator_client, centre, cafe, presence):
        response = coordinator_client.post(self.url(centre, presence))
        assert response.status_code == 302
        assert response["Location"] == reverse("presence_list", args=[centre.slug])
        assert not Presence.objects.exists()
        assert Actor.objects.filter(pk=cafe.pk).exists()
        assert "Café Sumak er ikke længere opført i centret." in html_of(coordinator_client.get(response["Location"]))

    def test_removing_one_of_two_presences_says_the_other_stays(self, coordinator_client, centre, cafe, presence):
        later = make_presence(centre, cafe, kind=PresenceKind.AD_HOC, started_on=datetime.date(2026, 9, 1))
        response = coordinator_client.post(self.url(centre, later))
        html = html_of(coordinator_client.get(response["Location"]))
        assert "Den tilknytning af Café Sumak er fjernet; Café Sumak står stadig i centret." in html
        assert "ikke længere opført" not in html

    def test_each_row_names_its_actor_to_a_screen_reader_and_shows_its_note(self, coordinator_client, centre, presence):
        Presence.objects.filter(pk=presence.pk).update(note="Kommer hver tirsdag")
        html = html_of(coordinator_client.get(reverse("presence_list", args=[centre.slug])))
        assert 'Fjern<span class="visually-hidden"> – Café Sumak</span>' in html
        assert 'Rediger<span class="visually-hidden"> – Café Sumak</span>' in html
        assert "Kommer hver tirsdag" in html

    def test_it_refuses_get(self, coordinator_client, centre, presence):
        assert coordinator_client.get(self.url(centre, presence)).status_code == 405
        assert Presence.objects.filter(pk=presence.pk).exists()

    def test_another_centres_presence_is_404(self, coordinator_client, centre, other_centre, cafe):
        elsewhere = make_presence(other_centre, cafe)
        assert coordinator_client.post(reverse("presence_delete", args=[centre.slug, elsewhere.pk])).status_code == 404
        assert Presence.objects.filter(pk=elsewhere.pk).exists()


class TestMembershipList:
    def url(self, centre):
        return reverse("membership_list", args=[centre.slug])

    def test_the_same_member_sent_twice_is_added_once_and_the_second_answer_is_no_error(
        self, coordinator_client, centre
    ):
        make_user("kollega")
        data = {"username": "kollega", "role": Role.STAFF}
        assert coordinator_client.post(self.url(centre), data).status_code == 302
        again = coordinator_client.post(self.url(centre), data)
        assert again.status_code == 302
        assert "kollega er allerede medlem." in html_of(coordinator_client.get(again["Location"]))
        assert centre.memberships.filter(user__username="kollega").count() == 1
        # Asked with another role, it is said, not done.
        other = coordinator_client.post(self.url(centre), {"username": "kollega", "role": Role.MANAGER})
        assert other.status_code == 200
        assert "kollega er allerede medlem af dette center." in html_of(other)

    def test_it_lists_the_members_with_their_roles(self, coordinator_client, centre, member):
        response = coordinator_client.get(self.url(centre))
        assert response.status_code == 200
        html = html_of(response)
        assert "Medlemmer" in html and "Tilføj et medlem" in html
        assert f'<tr id="membership-{member.pk}">' in html
        # A user without a name is shown by the username, once.
        assert (
            '<th scope="row" data-label="Bruger">medlem</th>\n'
            '        <td data-label="Rolle"><span>Medarbejder</span></td>' in html
        )
        assert (
            '<th scope="row" data-label="Bruger">coordinator</th>\n'
            '        <td data-label="Rolle"><span>Tovholder</span></td>' in html
        )

    def test_a_long_list_of_members_has_a_way_to_the_form_for_adding_one_above_it(
        self, coordinator_client, centre, member
    ):
        jump = 'href="#add-member"'
        assert jump not in html_of(coordinator_client.get(self.url(centre)))
        for n in range(10):
            make_membership(make_user(f"kollega{n}"), centre)
        html = html_of(coordinator_client.get(self.url(centre)))
        assert html.index(jump) < html.index("<table") < html.index('id="add-member"')
        assert "12 medlemmer" in html

    def test_removing_names_whom_and_is_not_offered_to_the_only_coordinator(
        self, coordinator_client, coordinator, centre, member
    ):
        html = html_of(coordinator_client.get(self.url(centre)))
        assert 'data-confirm="Fjern medlem fra centret?"' in html
        own = Membership.objects.get(user=coordinator, centre=centre)
        assert reverse("membership_delete", args=[centre.slug, own.pk]) not in html
        assert "Centrets eneste tovholder" in html

        Membership.objects.filter(pk=member.pk).update(role=Role.COORDINATOR)
        html = html_of(coordinator_client.get(self.url(centre)))
        assert 'data-confirm="Fjern dig selv fra centret? Du kan derefter ikke længere se det."' in html

    def test_a_member_with_a_name_is_shown_by_it_with_the_username_beside(self, coordinator_client, centre, member):
        member.user.first_name, member.user.last_name = "Mette", "Holm"
        member.user.save()
        html = html_of(coordinator_client.get(self.url(centre)))
        assert '<th scope="row" data-label="Bruger">Mette Holm <small class="muted">medlem</small></th>' in html

    def test_it_adds_a_member_by_username(self, coordinator_client, centre):
        newcomer = make_user("nybruger")
        response = coordinator_client.post(self.url(centre), {"username": " nybruger ", "role": "manager"})
        assert response.status_code == 302
        assert response["Location"] == self.url(centre)
        assert Membership.objects.get(user=newcomer).role == Role.MANAGER
        assert Membership.objects.get(user=newcomer).centre == centre
        assert "nybruger er nu medlem." in html_of(coordinator_client.get(response["Location"]))

    def test_an_unknown_username_is_explained(self, coordinator_client, centre):
        before = database_state()
        response = coordinator_client.post(self.url(centre), {"username": "ukendt", "role": "staff"})
        assert response.status_code == 200
        html = html_of(response)
        assert "Ingen bruger, der kan være medlem af et center, hedder ukendt." in html
        assert 'value="ukendt"' in html
        assert database_state() == before

    def test_an_inactive_user_cannot_be_added(self, coordinator_client, centre):
        make_user("tidligere", is_active=False)
        response = coordinator_client.post(self.url(centre), {"username": "tidligere", "role": "staff"})
        assert "Ingen bruger, der kan være medlem af et center, hedder tidligere." in html_of(response)
        assert not Membership.objects.filter(user__username="tidligere").exists()

    def test_an_existing_member_is_not_added_twice(self, coordinator_client, centre, member):
        response = coordinator_client.post(self.url(centre), {"username": "medlem", "role": "coordinator"})
        assert response.status_code == 200
        assert "medlem er allerede medlem af dette center." in html_of(response)
        member.refresh_from_db()
        assert member.role == Role.STAFF
        assert Membership.objects.filter(user=member.user).count() == 1

    def test_an_administrator_is_not_added_as_a_member_nor_named_as_one(self, coordinator_client, centre):
        make_user("chef", is_superuser=True)
        response = coordinator_client.post(self.url(centre), {"username": "CHEF", "role": "coordinator"})
        html = html_of(response)
        # The same answer as for a name no one has: a coordinator cannot find out who the administrators are.
        nobody = html_of(coordinator_client.post(self.url(centre), {"username": "INGEN", "role": "coordinator"}))
        assert "Ingen bruger, der kan være medlem af et center, hedder CHEF." in html
        same = [re.sub(r"CHEF|INGEN|[A-Za-z0-9]{64}", "…", page) for page in (html, nobody)]  # names, CSRF tokens
        assert same[0] == same[1]
        assert 'id="form-errors"' in html
        assert not Membership.objects.filter(user__username="chef").exists()

    def test_a_member_of_another_centre_can_be_added(self, coordinator_client, centre, outsider):
        assert coordinator_client.post(self.url(centre), {"username": "outsider", "role": "staff"}).status_code == 302
        assert set(outsider.memberships.values_list("centre__slug", flat=True)) == {"andet-hus", "kvarterhuset"}


class TestMembershipEdit:
    def url(self, centre, membership):
        return reverse("membership_edit", args=[centre.slug, membership.pk])

    def test_it_changes_the_role(self, coordinator_client, centre, member):
        assert "Rolle for medlem" in html_of(coordinator_client.get(self.url(centre, member)))
        response = coordinator_client.post(self.url(centre, member), {"role": "manager"})
        assert response.status_code == 302
        assert response["Location"] == reverse("membership_list", args=[centre.slug])
        member.refresh_from_db()
        assert member.role == Role.MANAGER
        assert "Rollen er ændret." in html_of(coordinator_client.get(response["Location"]))

    def test_a_role_changed_by_someone_else_since_the_page_was_opened_is_not_undone_unseen(
        self, coordinator_client, centre, member
    ):
        page = html_of(coordinator_client.get(self.url(centre, member)))
        was = re.search(r'name="was" value="([^"]+)"', page).group(1)
        Membership.objects.filter(pk=member.pk).update(role=Role.COORDINATOR)  # a colleague, meanwhile

        refused = coordinator_client.post(self.url(centre, member), {"role": "manager", "was": was})

        assert refused.status_code == 200
        member.refresh_from_db()
        assert member.role == Role.COORDINATOR
        page = html_of(refused)
        assert "Nogen ændrede rollen til “Tovholder”, efter du åbnede siden" in page
        assert 'name="was" value="coordinator"' in page
        # Saved again, knowing: the choice is made.
        assert (
            coordinator_client.post(self.url(centre, member), {"role": "manager", "was": "coordinator"}).status_code
            == 302
        )
        member.refresh_from_db()
        assert member.role == Role.MANAGER

    def test_a_member_removed_in_another_tab_says_so(self, coordinator_client, centre, member):
        url = self.url(centre, member)
        member.delete()

        response = coordinator_client.post(url, {"role": "manager"})

        assert response.status_code == 404
        assert "Personen er ikke medlem af centret: fjernet" in html_of(response)
        assert "Intet er gemt." in html_of(response)
        # Opened from an old link, nothing was sent: nothing to say about saving.
        assert "Intet er gemt." not in html_of(coordinator_client.get(url))
        assert f'href="{reverse("membership_list", args=[centre.slug])}"' in html_of(response)

    def test_a_coordinator_changing_their_own_role_is_warned_first(self, coordinator_client, coordinator, centre):
        own = coordinator.memberships.get(centre=centre)
        html = html_of(coordinator_client.get(self.url(centre, own)))
        assert "Det er din egen rolle." in html and "data-confirm=" in html

    def test_no_warning_for_someone_elses_role(self, coordinator_client, centre, member):
        html = html_of(coordinator_client.get(self.url(centre, member)))
        assert "Det er din egen rolle." not in html and "data-confirm=" not in html

    def test_the_last_coordinator_cannot_be_demoted(self, coordinator_client, coordinator, centre):
        own = coordinator.memberships.get(centre=centre)
        response = coordinator_client.post(self.url(centre, own), {"role": "staff"})
        assert response.status_code == 200
        assert "Centret skal have mindst én tovholder." in html_of(response)
        own.refresh_from_db()
        assert own.role == Role.COORDINATOR

    def test_a_coordinator_can_step_down_when_there_is_another(self, coordinator_client, coordinator, centre, member):
        Membership.objects.filter(pk=member.pk).update(role=Role.COORDINATOR)
        own = coordinator.memberships.get(centre=centre)
        response = coordinator_client.post(self.url(centre, own), {"role": "staff"})
        assert response.status_code == 302
        # Staff cannot see the members page any more, so they land on the centre instead of a refusal.
        assert response["Location"] == centre.get_absolute_url()
        assert coordinator_client.get(response["Location"]).status_code == 200
        own.refresh_from_db()
        assert own.role == Role.STAFF

    def test_an_unknown_role_is_refused(self, coordinator_client, centre, member):
        assert coordinator_client.post(self.url(centre, member), {"role": "boss"}).status_code == 200
        member.refresh_from_db()
        assert member.role == Role.STAFF

    def test_another_centres_membership_is_404(self, coordinator_client, centre, outsider):
        elsewhere = outsider.memberships.get()
        url = self.url(centre, elsewhere)
        assert coordinator_client.get(url).status_code == 404
        assert coordinator_client.post(url, {"role": "manager"}).status_code == 404
        elsewhere.refresh_from_db()
        assert elsewhere.role == Role.STAFF


class TestMembershipDelete:
    def url(self, centre, membership):
        return reverse("membership_delete", args=[centre.slug, membership.pk])

    def test_it_removes_the_member_but_not_the_user(self, coordinator_client, centre, member):
        response = coordinator_client.post(self.url(centre, member))
        assert response.status_code == 302
        assert response["Location"] == reverse("membership_list", args=[centre.slug])
        assert not Membership.objects.filter(pk=member.pk).exists()
        member.user.refresh_from_db()
        assert "medlem er ikke længere medlem." in html_of(coordinator_client.get(response["Location"]))

    def test_a_coordinator_who_leaves_lands_on_their_own_centres(self, coordinator_client, coordinator, centre, member):
        Membership.objects.filter(pk=member.pk).update(role=Role.COORDINATOR)
        own = coordinator.memberships.get(centre=centre)
        response = coordinator_client.post(self.url(centre, own))
        assert response["Location"] == reverse("home")
        assert not Membership.objects.filter(pk=own.pk).exists()
        assert coordinator_client.get(response["Location"]).status_code == 200

    def test_the_last_coordinator_cannot_be_removed(self, coordinator_client, coordinator, centre):
        own = coordinator.memberships.get(centre=centre)
        response = coordinator_client.post(self.url(centre, own), follow=True)
        assert response.status_code == 200
        assert "Centret skal have mindst én tovholder." in html_of(response)
        own.refresh_from_db()
        assert own.role == Role.COORDINATOR

    def test_it_refuses_get(self, coordinator_client, centre, member):
        assert coordinator_client.get(self.url(centre, member)).status_code == 405
        assert Membership.objects.filter(pk=member.pk).exists()

    def test_another_centres_membership_is_404(self, coordinator_client, centre, outsider):
        elsewhere = outsider.memberships.get()
        assert coordinator_client.post(self.url(centre, elsewhere)).status_code == 404
        assert Membership.objects.filter(pk=elsewhere.pk).exists()


class TestActorEdit:
    def url(self, actor):
        return reverse("actor_edit", args=[actor.pk])

    def valid(self, **overrides):
        data = {
            "name": "Café Sumak ApS",
            "category": "business",
            "description": "Kantine",
            "website": "sumak.dk",
            "active": "on",
            "version": 1,  # as opened, before any edit
        }
        data.update(overrides)
        return data

    def test_the_page_is_named_for_the_actor_as_saved_while_a_new_name_is_typed(
        self, coordinator_client, presence, cafe
    ):
        html = html_of(coordinator_client.post(self.url(cafe), self.valid(name="Café Sumak", category="")))
        assert "<title>Rediger aktør · Café Sumak" in html and "<h1>Rediger Café Sumak</h1>" in html
        html = html_of(coordinator_client.post(self.url(cafe), self.valid(name="Ny café", category="")))
        assert "<h1>Rediger Café Sumak</h1>" in html and 'value="Ny café"' in html

    def test_a_coordinator_of_a_centre_where_it_is_present_edits_it(self, coordinator_client, presence, cafe):
        response = coordinator_client.get(self.url(cafe))
        assert response.status_code == 200
        assert "Rediger aktør" in html_of(response)
        response = coordinator_client.post(self.url(cafe), self.valid(active=""))
        assert response.status_code == 302
        assert response["Location"] == cafe.get_absolute_url()
        cafe.refresh_from_db()
        assert (cafe.name, cafe.category, cafe.description) == ("Café Sumak ApS", "business", "Kantine")
        assert cafe.website == "https://sumak.dk"
        assert cafe.active is False
        assert "Aktøren er gemt." in html_of(coordinator_client.get(response["Location"]))

    def test_a_coordinator_of_a_centre_where_it_collaborated_edits_it(self, coordinator_client, centre, cafe):
        make_collaboration(centre, actors=[cafe, make_actor()])
        assert coordinator_client.post(self.url(cafe), self.valid()).status_code == 302
        cafe.refresh_from_db()
        assert cafe.name == "Café Sumak ApS"

    def test_its_own_name_in_another_case_is_not_a_duplicate(self, coordinator_client, presence, cafe):
        assert coordinator_client.post(self.url(cafe), self.valid(name="CAFé SUMAK")).status_code == 302
        cafe.refresh_from_db()
        assert cafe.name == "CAFé SUMAK"

    @pytest.mark.parametrize("role", ["staff", "manager"])
    def test_staff_and_managers_may_not_edit(self, request, role, presence, cafe):
        client = request.getfixturevalue(f"{role}_client")
        assert client.get(self.url(cafe)).status_code == 403
        assert client.post(self.url(cafe), self.valid()).status_code == 403
        cafe.refresh_from_db()
        assert cafe.name == "Café Sumak"

    def test_a_coordinator_of_an_unrelated_centre_may_not_edit(self, client, other_centre, presence, cafe):
        stranger = make_user("fremmed")
        make_membership(stranger, other_centre, Role.COORDINATOR)
        login_as(client, stranger)
        assert client.get(self.url(cafe)).status_code == 403
        assert client.post(self.url(cafe), self.valid()).status_code == 403
        cafe.refresh_from_db()
        assert cafe.name == "Café Sumak"

    def test_an_actor_unknown_to_the_coordinators_centres_may_not_be_edited(self, coordinator_client, cafe):
        assert coordinator_client.get(self.url(cafe)).status_code == 403

    def test_a_duplicate_name_is_refused(self, coordinator_client, presence, cafe):
        make_actor(name="Korsør Bibliotek")
        response = coordinator_client.post(self.url(cafe), self.valid(name="korsør bibliotek"))
        assert response.status_code == 200
        assert "Korsør Bibliotek findes allerede." in html_of(response)
        cafe.refresh_from_db()
        assert cafe.name == "Café Sumak"

    def test_a_cpr_like_number_is_refused(self, coordinator_client, presence, cafe):
        response = coordinator_client.post(self.url(cafe), self.valid(description=CPR_LIKE))
        assert response.status_code == 200
        assert "personoplysninger" in html_of(response).lower()
        cafe.refresh_from_db()
        assert cafe.description == ""

    def test_an_oversized_name_is_refused(self, coordinator_client, presence, cafe):
        response = coordinator_client.post(self.url(cafe), self.valid(name="x" * 201))
        assert "Denne værdi må højst have 200 tegn (den har 201)." in html_of(response)
        cafe.refresh_from_db()
        assert cafe.name == "Café Sumak"

    def test_an_unknown_actor_is_404(self, coordinator_client):
        assert coordinator_client.get(reverse("actor_edit", args=[999999])).status_code == 404

    def test_it_refuses_other_methods(self, coordinator_client, presence, cafe):
        assert coordinator_client.put(self.url(cafe)).status_code == 405


@pytest.fixture
def centre_urls(centre, presence, member, cafe):
    """Every centre-scoped address, the methods it answers and a POST that would change something."""
    spare = make_actor(name="Korsør Bibliotek")
    make_user("nybruger")
    slug = centre.slug
    return [
        ("centre_detail", reverse("centre_detail", args=[slug]), ["GET"], {}),
        ("presence_list", reverse("presence_list", args=[slug]), ["GET"], {}),
        ("actor_create", reverse("actor_create", args=[slug]), ["GET", "POST"], {"name": "Ny", "category": "ngo"}),
        (
            "presence_create",
            reverse("presence_create", args=[slug]),
            ["GET", "POST"],
            {"actor": spare.pk, "kind": "based"},
        ),
        (
            "presence_edit",
            reverse("presence_edit", args=[slug, presence.pk]),
            ["GET", "POST"],
            {"actor": cafe.pk, "kind": "ad_hoc", "version": presence.version},
        ),
        ("presence_delete", reverse("presence_delete", args=[slug, presence.pk]), ["POST"], {}),
        (
            "membership_list",
            reverse("membership_list", args=[slug]),
            ["GET", "POST"],
            {"username": "nybruger", "role": "coordinator"},
        ),
        ("membership_edit", reverse("membership_edit", args=[slug, member.pk]), ["GET", "POST"], {"role": "manager"}),
        ("membership_delete", reverse("membership_delete", args=[slug, member.pk]), ["POST"], {}),
    ]


COORDINATOR_ONLY = {
    "actor_create",
    "presence_create",
    "presence_edit",
    "presence_delete",
    "membership_list",
    "membership_edit",
    "membership_delete",
}


class TestAccess:
    def test_the_posts_used_below_would_change_something(self, coordinator_client, centre_urls):
        """So that an unchanged database below means the request was refused, not that it was a no-op."""
        for name, url, methods, data in centre_urls:
            if "POST" in methods:
                before = database_state()
                assert coordinator_client.post(url, data).status_code == 302, name
                assert database_state() != before, name

    def test_an_outsider_gets_404_everywhere_in_the_centre(self, outsider_client, centre_urls):
        before = database_state()
        for name, url, methods, data in centre_urls:
            for method in methods:
                response = outsider_client.get(url) if method == "GET" else outsider_client.post(url, data)
                assert response.status_code == 404, (name, method)
                assert "Siden findes ikke, eller den hører til et center, du ikke er medlem af." in html_of(response)
        assert database_state() == before

    @pytest.mark.parametrize("role", ["staff", "manager"])
    def test_staff_and_managers_get_403_on_coordinator_pages(self, request, role, centre_urls):
        client = request.getfixturevalue(f"{role}_client")
        before = database_state()
        for name, url, methods, data in centre_urls:
            for method in methods:
                response = client.get(url) if method == "GET" else client.post(url, data)
                expected = 403 if name in COORDINATOR_ONLY else 200
                assert response.status_code == expected, (name, method)
        assert "Din rolle i dette center giver ikke adgang til dette." in html_of(response)
        assert database_state() == before

    def test_anonymous_users_are_sent_to_log_in(self, client, centre_urls, cafe):
        before = database_state()
        extra = [
            ("actor_detail", reverse("actor_detail", args=[cafe.pk]), ["GET"], {}),
            ("actor_edit", reverse("actor_edit", args=[cafe.pk]), ["GET", "POST"], {"name": "X", "category": "ngo"}),
        ]
        for name, url, methods, data in centre_urls + extra:
            for method in methods:
                response = client.get(url) if method == "GET" else client.post(url, data)
                assert response.status_code == 302, (name, method)
                assert response["Location"] == f"{reverse('login')}?next={url}", (name, method)
        assert database_state() == before

    def test_wrong_methods_get_405(self, coordinator_client, centre_urls):
        before = database_state()
        for name, url, methods, _data in centre_urls:
            if "GET" not in methods:
                assert coordinator_client.get(url).status_code == 405, name
            if "POST" not in methods:
                assert coordinator_client.post(url).status_code == 405, name
            assert coordinator_client.put(url).status_code == 405, name
            assert coordinator_client.delete(url).status_code == 405, name
        assert database_state() == before

    def test_a_page_that_answers_get_answers_head_too_as_link_checkers_ask(self, coordinator_client, centre_urls):
        for name, url, methods, _data in centre_urls:
            if "GET" in methods:
                response = coordinator_client.head(url)
                assert response.status_code == coordinator_client.get(url).status_code, name
                assert response.content == b"", name
