"""Where long labels may wrap. Danish joins words without spaces, so a label can be one long word."""

from __future__ import annotations

import html

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def breaks_after_slash(value) -> str:
    """'Afdelingsbestyrelse/beboerdemokrati' may wrap after its slash: as one word it kept the actors' table too wide
    for a tablet, pushing the period and the actions out of sight."""
    return mark_safe(html.escape(str(value)).replace("/", "/<wbr>"))  # noqa: S308 - escaped first
