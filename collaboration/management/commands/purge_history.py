"""`manage.py purge_history`: delete history and login records older than their retention (run it daily).

Who changed what, and who failed to log in from where, is personal data about staff: it is kept no longer than
needed. Collaborations' and actors' history, mapping rounds' logs and the record of imports go after
HISTORY_RETENTION_DAYS, failed logins after LOGIN_RECORD_RETENTION_DAYS, sessions as soon as they have expired (a form
kept for after a login lives in one). The contacts of a mapping round (names and
e-mails at the partners) are erased ROUND_CONTACT_RETENTION_DAYS after the round closes.
"""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from centres.models import ActorHistoryEntry
from collaboration.imports import uploads
from collaboration.maps import store
from collaboration.models import HistoryEntry, ImportRun, PreparedReport
from collaboration.rounds.models import RoundEvent
from collaboration.rounds.services import erase_contacts


class Command(BaseCommand):
    help = "Sletter historik og registrerede login-fejl, der er ældre end deres opbevaringstid."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.HISTORY_RETENTION_DAYS, help="Opbevaringstid i dage.")

    def handle(self, *args, days: int, **options) -> None:
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted, _ = HistoryEntry.objects.filter(at__lt=cutoff).delete()
        actor_deleted, _ = ActorHistoryEntry.objects.filter(at__lt=cutoff).delete()
        # Who imported which files into which centre is history too; uploads never confirmed go after a day.
        imports_deleted, _ = ImportRun.objects.filter(created_at__lt=cutoff).delete()
        # Who did what in a mapping round is history as well.
        RoundEvent.objects.filter(at__lt=cutoff).delete()
        uploads.forget_old()
        login_cutoff = timezone.now() - datetime.timedelta(days=settings.LOGIN_RECORD_RETENTION_DAYS)
        logins_deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=login_cutoff).delete()
        rounds_erased = erase_contacts()
        call_command("clearsessions")
        store.purge()
        for prepared in PreparedReport.objects.filter(expires_at__lt=timezone.now()):
            prepared.file.delete(save=False)
            prepared.delete()
        if settings.TASKS_BACKEND == "database":
            # The addresses typed on the password-reset page (an account's or not) go as soon as their mail is sent.
            forget_password_reset_requests()
            # Finished background tasks (which e-mail went out when) are kept two weeks, for looking into problems.
            call_command("prune_db_task_results", "--queue-name", "*", "--min-age-days", "14", stdout=self.stdout)
        self.stdout.write(
            f"Slettede {deleted} historikposter for samarbejder, {actor_deleted} for aktører og {imports_deleted} "
            f"for importer ældre end {days} dage, og {logins_deleted} registrerede login-fejl ældre end "
            f"{settings.LOGIN_RECORD_RETENTION_DAYS} dage. "
            f"Slettede kontaktpersonerne i {rounds_erased} kortlægningsrunder, der lukkede for mere end "
            f"{settings.ROUND_CONTACT_RETENTION_DAYS} dage siden."
        )


def forget_password_reset_requests() -> int:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from centres.tasks import send_password_reset

    finished = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    deleted, _ = DBTaskResult.objects.filter(task_path=send_password_reset.module_path, status__in=finished).delete()
    return deleted
