"""Samkort speaks Danish first, whatever language the browser asks for, until the user switches."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_it_speaks_danish_even_to_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Log ind" in response.content.decode()
    assert response["Content-Language"] == "da"


@pytest.mark.django_db
def test_the_switch_remembers_english_until_switched_back(staff_client, centre):
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in staff_client.get(centre.get_absolute_url()).content.decode()
    staff_client.post(reverse("set_language"), {"language": "da", "next": "/"})
    assert "Log ud" in staff_client.get(centre.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_danish(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "Log ind" in client.get(reverse("login")).content.decode()
