from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    """A Django app of its own inside the collaboration wings, so its tables and migrations are its own."""

    name = "collaboration.rounds"
    label = "rounds"
    verbose_name = _("Mapping rounds")
