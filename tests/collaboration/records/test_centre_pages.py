"""A centre's page and an actor's page: what a member sees of the collaborations in their own centres."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.models import PresenceKind, Role
from collaboration.models import Form, Theme
from tests.factories import make_actor, make_centre, make_collaboration, make_membership, make_presence, make_user
from tests.helpers import html_of


class TestCentreDetail:
    def url(self, centre):
        return reverse("centre_detail", args=[centre.slug])

    def test_it_shows_counts_by_form_latest_collaborations_and_current_actors(self, staff_client, centre, cafe):
        make_collaboration(centre, title="Jobmesse", form=Form.COORDINATED_ACTION)
        make_collaboration(centre, title="Lokaler til lektiecafé", form=Form.RESOURCE_EXCHANGE)
        make_collaboration(centre, title="Køkken mod rengøring", form=Form.RESOURCE_EXCHANGE)
        make_presence(centre, cafe)
        make_presence(centre, make_actor(name="Korsør Bibliotek"), kind=PresenceKind.AD_HOC)
        make_presence(centre, make_actor(name="Lukket Klub"), ended_on=datetime.date(2020, 1, 1))

        response = staff_client.get(self.url(centre))

        assert response.status_code == 200
        assert response.context["total"] == 3
        assert [count for _, count in response.context["form_counts"]] == [0, 0, 2, 1, 0]
        html = html_of(response)
        assert "<h1>Kvarterhuset</h1>" in html
        assert "3 · Ressourceudveksle</span> <strong>2</strong>" in html
        assert "Se alle 3 samarbejder" in html
        assert "Jobmesse" in html and "Køkken mod rengøring" in html
        assert "<h3>Har base i centret</h3>" in html and "Café Sumak" in html
        assert "<h3>Bruger centret ad hoc</h3>" in html and "Korsør Bibliotek" in html
        assert "Lukket Klub" not in html
        assert reverse("collaboration_create", args=[centre.slug]) in html

    def test_after_a_large_import_it_names_forty_actors_of_each_kind_and_counts_the_rest(self, staff_client, centre):
        for number in range(45):
            make_presence(centre, make_actor(name=f"Forening {number:02d}"))

        html = html_of(staff_client.get(self.url(centre)))

        assert "Forening 39" in html and "Forening 40" not in html
        assert "og 5 flere" in html and reverse("presence_list", args=[centre.slug]) in html

    def test_it_shows_only_the_latest_five_and_only_this_centres(self, staff_client, centre, other_centre):
        for day in range(1, 7):
            make_collaboration(centre, title=f"Møde nr. {day}", started_on=datetime.date(2026, 1, day))
        make_collaboration(other_centre, title="Hemmeligt andetsteds")
        response = staff_client.get(self.url(centre))
        assert [c.title for c in response.context["recent"]] == [f"Møde nr. {day}" for day in range(6, 1, -1)]
        assert response.context["total"] == 6
        assert "Hemmeligt andetsteds" not in html_of(response)

    def test_a_new_centre_shows_empty_states(self, staff_client, centre):
        html = html_of(staff_client.get(self.url(centre)))
        assert "Der er endnu ikke logget nogen samarbejder i dette center." in html
        assert "Ingen aktører er registreret som tilknyttet centret." in html

    def test_managers_read_but_are_not_offered_to_log(self, manager_client, centre):
        response = manager_client.get(self.url(centre))
        assert response.status_code == 200
        assert reverse("collaboration_create", args=[centre.slug]) not in html_of(response)
        assert reverse("membership_list", args=[centre.slug]) not in html_of(response)

    def test_coordinators_are_offered_the_members_page(self, coordinator_client, centre):
        assert reverse("membership_list", args=[centre.slug]) in html_of(coordinator_client.get(self.url(centre)))

    def test_an_unknown_centre_is_404(self, staff_client, db):
        assert staff_client.get(reverse("centre_detail", args=["findes-ikke"])).status_code == 404

    def test_a_centre_without_a_municipality_or_address_names_only_its_kind(self, staff, staff_client, centre):
        """A centre set up from the shell, or before its address is known: no separator left hanging."""
        centre.municipality = centre.address = ""
        centre.save()
        make_membership(staff, make_centre(name="Andet Hus", slug="andet-hus"), Role.STAFF)  # a home page of two
        for path in (reverse("centre_detail", args=[centre.slug]), "/"):
            html = html_of(staff_client.get(path))
            metas = re.findall(r'<p class="meta">([^<]*)', html)
            assert metas and not any(" · · " in meta or meta.rstrip().endswith("·") for meta in metas)


class TestActorDetail:
    def url(self, actor):
        return reverse("actor_detail", args=[actor.pk])

    def test_a_user_who_is_member_of_no_centre_sees_no_actors(self, client, cafe):
        client.force_login(make_user("nobody"))
        assert client.get(self.url(cafe)).status_code == 404

    def test_it_shows_only_what_happens_in_the_users_centres(self, staff_client, centre, other_centre, cafe):
        make_presence(centre, cafe, started_on=datetime.date(2025, 3, 1))
        make_presence(other_centre, cafe, started_on=datetime.date(2024, 1, 1))
        make_collaboration(centre, actors=[cafe, make_actor()], title="Køkken mod rengøring")
        make_collaboration(other_centre, actors=[cafe, make_actor()], title="Hemmeligt andetsteds")

        response = staff_client.get(self.url(cafe))

        assert response.status_code == 200
        assert [c.title for c in response.context["page"].object_list] == ["Køkken mod rengøring"]
        assert [p.centre for p in response.context["presences"]] == [centre]
        html = html_of(response)
        assert "<h1>Café Sumak</h1>" in html
        assert "Socialøkonomisk virksomhed · Privat sektor" in html
        assert "Kvarterhuset</a> – har base i centret, fra 01.03.2025" in html
        assert "1 samarbejde" in html and "Køkken mod rengøring" in html
        assert "Hemmeligt andetsteds" not in html
        assert "Andet Hus" not in html
        assert reverse("actor_edit", args=[cafe.pk]) not in html

    def test_coordinators_are_offered_to_edit(self, coordinator_client, centre, presence, cafe):
        assert reverse("actor_edit", args=[cafe.pk]) in html_of(coordinator_client.get(self.url(cafe)))

    def test_an_outsider_sees_the_actor_but_nothing_of_the_centre(self, outsider_client, centre, cafe, presence):
        make_collaboration(centre, actors=[cafe, make_actor()], title="Køkken mod rengøring")
        response = outsider_client.get(self.url(cafe))
        assert response.status_code == 200
        html = html_of(response)
        assert "Ingen samarbejder med denne aktør i de centre, du har adgang til." in html
        assert "Køkken mod rengøring" not in html and "Kvarterhuset" not in html

    def test_an_inactive_actor_is_marked(self, staff_client, db):
        gone = make_actor(name="Nedlagt forening", active=False)
        assert "(inaktiv)" in html_of(staff_client.get(self.url(gone)))

    def test_it_pages_the_collaborations(self, staff_client, centre, cafe):
        other = make_actor()
        for day in range(1, 28):
            make_collaboration(centre, actors=[cafe, other], started_on=datetime.date(2026, 1, day))
        first = staff_client.get(self.url(cafe))
        assert len(first.context["page"].object_list) == 25
        assert "27 samarbejder" in html_of(first)
        assert len(staff_client.get(self.url(cafe), {"page": "2"}).context["page"].object_list) == 2

    def test_an_unknown_actor_is_404(self, staff_client, db):
        assert staff_client.get(reverse("actor_detail", args=[999999])).status_code == 404

    def test_it_refuses_post(self, staff_client, cafe):
        assert staff_client.post(self.url(cafe)).status_code == 405


class TestQueryCount:
    def count_queries(self, client, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_the_centre_page_needs_the_same_queries_whatever_the_number_of_collaborations(
        self, staff_client, centre, cafe
    ):
        url = reverse("centre_detail", args=[centre.slug])
        theme = Theme.objects.first()
        actors = [make_actor() for _ in range(4)]
        for actor in actors:
            make_presence(centre, actor)
        for i in range(2):
            make_collaboration(centre, actors=[cafe, actors[i]], themes=[theme])
        staff_client.get(url)  # warm the session and the content types
        few = self.count_queries(staff_client, url)
        for i in range(20):
            make_collaboration(centre, actors=[cafe, *actors[i % 3 : i % 3 + 2]], themes=[theme], form=1 + i % 5)
        many = self.count_queries(staff_client, url)
        # session, user, membership, counts by form, presences, latest collaborations, participations, themes
        assert few == many == 8

    def test_the_actor_page_needs_the_same_queries_whatever_the_number_of_collaborations(
        self, staff_client, centre, cafe
    ):
        url = reverse("actor_detail", args=[cafe.pk])
        theme = Theme.objects.first()
        actors = [make_actor() for _ in range(4)]
        make_presence(centre, cafe)
        for i in range(2):
            make_collaboration(centre, actors=[cafe, actors[i]], themes=[theme])
        staff_client.get(url)
        few = self.count_queries(staff_client, url)
        for i in range(20):
            make_collaboration(centre, actors=[cafe, *actors[i % 3 : i % 3 + 2]], themes=[theme], form=1 + i % 5)
        many = self.count_queries(staff_client, url)
        # session, user, any-membership check, actor, count, the actor's centres (present, collaborated), the
        # centres the user coordinates, presences, collaborations, participations, themes, the actor's history
        assert few == many == 13
