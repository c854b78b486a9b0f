from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.generic import RedirectView

from centres.forms import AdminLoginForm
from centres.languages import switch_language
from centres.views import refused_while_the_address_is_locked
from samkort import views

# The administration says whose it is, in the user's language, instead of "Django administration".
admin.site.site_header = admin.site.site_title = gettext_lazy("Samkort administration")
admin.site.login_form = AdminLoginForm
admin.site.login = refused_while_the_address_is_locked(admin.site.login)

# A database that fails before any view runs (the session of a signed-in user) still gives the 503 page.
handler500 = "samkort.views.server_error"

urlpatterns = [
    # The administration's own change of password checks the current one without a limit: administrators change
    # theirs where everyone does, through the limited page (centres.views.PasswordChangeView).
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", switch_language, name="set_language"),
    # Browsers and bookmarks ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}samkort/favicon.svg", permanent=True)),
    path("health/", views.health, name="health"),
    path("", include("centres.urls")),
    path("", include("collaboration.urls")),
]
