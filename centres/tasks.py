"""Background work of the accounts: the password reset e-mail.

The reset page only queues the request, for an address with an account and without one alike: looking the account up
and sending through the mail server happen in the worker, so how long the page takes tells nobody which addresses
have an account.
"""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django_tasks import task

from samkort.task_priority import WAITED_FOR


@task(priority=WAITED_FOR)
def send_password_reset(email: str, domain: str, use_https: bool, language: str) -> None:
    """The reset link to every active account with this address, as Django's own reset form sends it (a mail server
    that fails is logged by the form, not raised)."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(domain_override=domain, use_https=use_https)
