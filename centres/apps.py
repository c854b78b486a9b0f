from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "centres"
    verbose_name = _("Centres and actors")

    def ready(self) -> None:
        from centres import languages  # noqa: F401 - connects the login's receiver
