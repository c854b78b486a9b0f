"""Text pasted from Word, mail and other systems is kept clean, comparable and free of CPR numbers."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse

from centres.models import Actor, ActorCategory
from collaboration.models import Collaboration
from samkort.text import clean_block, clean_line, fold, list_of_names, unholdable_characters
from samkort.validators import contains_cpr_like_number, without_cpr_like_numbers
from tests.factories import collaboration_post, make_actor

CAFE_COMPOSED = unicodedata.normalize("NFC", "Café Sumak")
CAFE_DECOMPOSED = unicodedata.normalize("NFD", "Café Sumak")


class TestCleaning:
    def test_a_line_loses_invisible_characters_and_extra_spaces(self):
        pasted = "\ufeff Jobcenter\u200b Slagelse\u00a0\u00a0(afd.\u00ad nord)\u202e "
        assert clean_line(pasted) == "Jobcenter Slagelse (afd. nord)"

    def test_a_block_keeps_its_lines_with_one_kind_of_line_break(self):
        assert clean_block("Linje 1\r\nLinje 2\rLinje 3\u2028Linje 4") == "Linje 1\nLinje 2\nLinje 3\nLinje 4"

    def test_two_unicode_forms_of_one_name_become_one(self):
        assert CAFE_COMPOSED != CAFE_DECOMPOSED
        assert clean_line(CAFE_DECOMPOSED) == CAFE_COMPOSED

    def test_non_breaking_hyphens_become_hyphens_and_en_dashes_stay(self):
        assert clean_line("Nord\u2011Vest 10–12") == "Nord-Vest 10–12"

    @pytest.mark.parametrize("typed", ["👩\u200d⚕️ Sundhedsplejen", "🏳️\u200d🌈 Regnbuecaféen", "می\u200cخواهم"])
    def test_joiners_inside_emoji_and_persian_words_are_kept(self, typed):
        assert clean_line(typed) == typed

    def test_joiners_that_join_nothing_go_and_comparisons_read_past_all(self):
        assert clean_line("\u200dCafé \u200c Sumak\u200d") == "Café Sumak"
        assert clean_line("0101\u200d90") == "010190"
        assert fold("می\u200cخواهم") == fold("میخواهم")
        assert contains_cpr_like_number("01\u200c01\u200d90-1234")

    def test_case_is_folded_beyond_a_to_z(self):
        assert fold("ÆLDRERÅD ") == fold("Ældreråd") == fold("ældre\u200bråd")
        assert fold("STRASSE") == fold("Straße")

    @pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\x00", "\x01", "\x0b", "\x1f", "\ufdd0", "\U0001fffe"])
    def test_it_finds_what_xml_and_spreadsheets_cannot_hold(self, char):
        assert unholdable_characters(f"Café{char} Sumak") == [char]

    def test_tabs_newlines_emoji_and_private_use_characters_can_be_held(self):
        assert unholdable_characters("Café\tSumak\n☕ 🎉 \ue000 日本") == []


class TestCprLikeNumbers:
    # Each written as people and word processors write a CPR number; the day and month are real.
    REFUSED = [
        "010190-1234",
        "0101901234",
        "010190 1234",
        "311299 1234",
        "Beboer 010190-1234 ringede",
        "(311299-1234)",
        "01.01.90-1234",
        "01 01 90 1234",
        "01-01-90-1234",
        "01/01/90-1234",
        "010190/1234",
        "010190 - 1234",
        "010190\u20131234",  # en dash, as Word autocorrects
        "010190\u20141234",  # em dash
        "010190\u22121234",  # minus sign
        "010190\u20111234",  # non-breaking hyphen
        "010190\u00ad-1234",  # soft hyphen
        "010190\u00a01234",  # non-breaking space
        "0101\u200b90-1234",  # zero-width space inside
        "\u202e010190-1234",  # right-to-left override before it
        "０１０１９０-１２３４",  # full-width digits
        "290290-1234",  # February 29th
        "info.0101901234@kommune.dk",
        "https://example.dk/sag/010190-1234",
        # A number just before it must not hide it: "20 26-01 …" is tried and is no date, then "010190-1234" is.
        "Sag nr. 2026-010190-1234",
        "Opfølgning 2026 010190-1234",
        "Borger nr 4455 120590-1234 henvist",
        "ref 1234-010190-1234",
    ]
    ALLOWED = [
        "",
        None,
        "2026-10-01",
        "12345678",  # a phone number
        "+45 12 34 56 78",
        "Tlf. 3112 8012",
        "phone 12 34 56 78",
        "Sag 2024-123456",  # a case number
        "Sag 24/12345",
        "10.000-12.000 kr.",  # an amount
        "1.234.567 kr.",
        "Mødet 12.05.24 1000 kr. i tilskud",  # a date, then an amount
        "320190-1234",  # there is no day 32
        "310490-1234",  # nor an April 31st
        "300290-1234",  # nor a February 30th
        "011390-1234",  # nor a month 13
        "000190-1234",  # nor a day 0
        "010190-12345",  # eleven digits
        "1010190-1234",
        "01.01.2024 kl. 10",
    ]

    @pytest.mark.parametrize("text", REFUSED)
    def test_it_recognises_a_cpr_number_however_it_is_written(self, text):
        assert contains_cpr_like_number(text)

    @pytest.mark.parametrize("text", ALLOWED)
    def test_it_leaves_ordinary_numbers_alone(self, text):
        assert not contains_cpr_like_number(text)

    def test_a_name_it_must_keep_has_each_number_masked_and_the_rest_as_written(self):
        assert without_cpr_like_numbers("Sag 2026-010190-1234 og 020290 1234.csv") == (
            "Sag 2026-xxxxxx-xxxx og xxxxxx-xxxx.csv"
        )
        assert without_cpr_like_numbers("Sag 2024-123456.csv") == "Sag 2024-123456.csv"
        # Two that overlap are masked together, none of their digits left.
        assert without_cpr_like_numbers("010190-0101 90-1234") == "xxxxxx-xxxx"


def log(client, centre, actors, **fields):
    return client.post(reverse("collaboration_create", args=[centre.slug]), collaboration_post(actors, **fields))


@pytest.fixture
def actors(db):
    return [
        make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE),
        make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE),
    ]


class TestTheLogForm:
    def test_pasted_text_is_saved_clean(self, staff_client, centre, actors):
        response = log(
            staff_client,
            centre,
            actors,
            title="\ufeffFælles\u200b\u00a0cafe\u202e",
            goals="Flere i job.\r\n\r\nFærre\u00adklager.",
        )
        assert response.status_code == 302
        collaboration = Collaboration.objects.get()
        assert collaboration.title == "Fælles cafe"
        assert collaboration.goals == "Flere i job.\n\nFærreklager."

    def test_a_title_of_invisible_characters_only_is_no_title(self, staff_client, centre, actors):
        response = log(staff_client, centre, actors, title="\u200b\u200d\ufeff\u202e")
        assert response.status_code == 200
        assert "Giv samarbejdet en kort titel." in response.content.decode()
        assert not Collaboration.objects.exists()

    def test_a_character_no_file_can_hold_is_refused_with_the_fields_name(self, staff_client, centre, actors):
        response = log(staff_client, centre, actors, title="Fælles cafe", outcome="Godt\ufffe resultat")
        html = response.content.decode()
        assert response.status_code == 200
        assert "“Resultat” indeholder et tegn, der ikke kan gemmes: U+FFFE." in html
        assert "Godt\ufffe resultat" in html  # the typing is kept, to be corrected
        assert not Collaboration.objects.exists()

    @pytest.mark.parametrize("cpr", ["01.01.90-1234", "010190\u20131234", "0101\u200b90 1234"])
    def test_a_cpr_number_is_refused_in_any_field_however_written(self, staff_client, centre, actors, cpr):
        response = log(staff_client, centre, actors, target_group=f"Borger {cpr}")
        assert response.status_code == 200
        assert "Det ligner et CPR-nummer" in response.content.decode()
        assert not Collaboration.objects.exists()


def test_the_page_sets_no_length_a_browser_would_count_emoji_twice_by_or_cut_a_paste_at(staff_client, centre):
    import re

    page = staff_client.get(reverse("collaboration_create", args=[centre.slug])).content.decode()

    title = re.search(r'<input[^>]*name="title"[^>]*>', page).group(0)
    description = re.search(r'<textarea[^>]*name="description"[^>]*>', page).group(0)
    assert "maxlength" not in title and "maxlength" not in description


def test_a_title_of_200_emoji_is_as_long_as_a_title_may_be(staff_client, centre, actors):
    assert log(staff_client, centre, actors, title="😀" * 200).status_code == 302
    refused = log(staff_client, centre, actors, title="😀" * 201)
    assert refused.status_code == 200 and "😀" * 201 in refused.content.decode()


class TestActorNames:
    def test_two_unicode_forms_of_a_name_are_one_actor(self, coordinator_client, centre):
        make_actor(name=CAFE_COMPOSED)
        response = coordinator_client.post(
            reverse("actor_create", args=[centre.slug]), {"name": CAFE_DECOMPOSED, "category": "business"}
        )
        assert response.status_code == 200
        assert "Café Sumak findes allerede." in response.content.decode()
        assert Actor.objects.count() == 1

    def test_case_is_folded_beyond_ascii_on_every_database(self, coordinator_client, centre):
        make_actor(name="Ældreråd Nord", category=ActorCategory.RESIDENTS_GROUP)
        response = coordinator_client.post(
            reverse("actor_create", args=[centre.slug]), {"name": "ÆLDRERÅD NORD", "category": "residents_group"}
        )
        assert "Ældreråd Nord findes allerede." in response.content.decode()
        assert Actor.objects.count() == 1

    def test_the_log_forms_search_finds_a_name_in_any_case(self, staff_client, centre):
        make_actor(name="Ældreråd Nord", category=ActorCategory.RESIDENTS_GROUP)
        response = staff_client.get(
            reverse("actor_search", args=[centre.slug]), {"q": "ældrerå"}, HTTP_HX_REQUEST="true"
        )
        assert "Ældreråd Nord" in response.content.decode()

    def test_a_name_of_invisible_characters_only_is_no_name(self, coordinator_client, centre):
        response = coordinator_client.post(
            reverse("actor_create", args=[centre.slug]), {"name": "\u200b\u00ad\ufeff", "category": "association"}
        )
        assert response.status_code == 200
        assert not Actor.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [("email", "0101901234@example.dk"), ("website", "https://example.dk/010190-1234")],
    )
    def test_contact_details_are_checked_for_cpr_numbers_too(self, coordinator_client, centre, field, value):
        response = coordinator_client.post(
            reverse("actor_create", args=[centre.slug]),
            {"name": "Ny forening", "category": "association", field: value},
        )
        assert "Det ligner et CPR-nummer" in response.content.decode()
        assert not Actor.objects.exists()


def test_names_with_commas_of_their_own_are_listed_with_semicolons():
    assert list_of_names(["Café Sumak", "Jobcentret"]) == "Café Sumak, Jobcentret"
    assert (
        list_of_names(["Socialrådgivningen, Slagelse Kommune", "Café Sumak"])
        == "Socialrådgivningen, Slagelse Kommune; Café Sumak"
    )


def test_a_whole_number_groups_its_thousands_as_the_readers_language_does():
    from django.utils import translation

    from samkort.text import whole_number

    with translation.override("da"):
        assert whole_number(100_000) == "100.000"
    with translation.override("en"):
        assert whole_number(100_000) == "100,000"


@pytest.mark.parametrize(
    "typed",
    [
        "a;'=b",
        "Tak for i dag ;'-)",
        "'=x",
        "=1+1",
        "- telte\r\n- musik; =ikke en formel",
        "'hej",
        "+45 Café",
        "plain",
        'a;"=6+6"',
    ],
)
def test_a_text_marked_for_a_csv_file_comes_back_as_typed_apostrophes_and_all(typed):
    from samkort.text import marked_as_text, without_text_marks

    assert without_text_marks(marked_as_text(typed)) == typed


def test_a_formula_behind_a_quote_after_a_semicolon_is_marked_too():
    from samkort.text import marked_as_text

    assert marked_as_text('a;"=6+6"') == 'a;"\'=6+6"'
