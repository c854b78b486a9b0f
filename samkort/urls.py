from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from samkort import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers and bookmarks ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}samkort/favicon.svg", permanent=True)),
    path("health/", views.health, name="health"),
    path("", include("centres.urls")),
    path("", include("collaboration.urls")),
]
