"""A user's language, theirs at every login: the switch saves it with the account, and the login puts it in the
session, where LanguageMiddleware (samkort/middleware.py) reads it before the browser's cookie. Logging out takes
the cookie away too, so that on a shared centre PC the next person starts in Danish, not in the last one's choice."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from centres.models import LanguagePreference
from samkort.middleware import LANGUAGE_SESSION_KEY


@require_POST
def switch_language(request):
    """Django's own switch (the cookie, and back to the page), remembering the choice for a signed-in user."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and request.user.is_authenticated:
        LanguagePreference.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[LANGUAGE_SESSION_KEY] = language
    return response


@receiver(user_logged_in, dispatch_uid="samkort-language-at-login")
def language_at_login(sender, request, user, **kwargs):
    chosen = LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
    if request is not None and hasattr(request, "session"):
        if chosen:
            request.session[LANGUAGE_SESSION_KEY] = chosen
        else:
            request.session.pop(LANGUAGE_SESSION_KEY, None)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response
