"""Small helpers the tests share."""

from __future__ import annotations


def html_of(response) -> str:
    return response.content.decode()
