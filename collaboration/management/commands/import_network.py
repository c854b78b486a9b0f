"""Import a centre's network from files, as the import page does: `import_network motalavej kort.xlsx [--dry-run]`."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from centres.models import Centre
from collaboration.imports.files import FileRefused, open_tables
from collaboration.imports.plan import Outcome, make_plan
from collaboration.imports.write import write_plan


class Command(BaseCommand):
    help = "Import actors and collaborations into a centre from one .xlsx workbook or one or more .csv files."

    def add_arguments(self, parser):
        parser.add_argument("centre", help="the centre's slug")
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
        parser.add_argument("--start-date", type=datetime.date.fromisoformat, help="start date for rows without one")
        parser.add_argument("--user", help="the user the history names as importer (default: none)")

    def handle(self, *args, **options):
        translation.activate("da")
        centre = Centre.objects.filter(slug=options["centre"]).first()
        if centre is None:
            raise CommandError(f"Intet center har kortnavnet {options['centre']!r}.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Ingen bruger hedder {options['user']!r}.")
        files = [(path.name, path) for path in options["files"]]
        for _name, path in files:
            if not path.is_file():
                raise CommandError(f"{path} er ikke en fil.")
        try:
            with open_tables(files) as tables:
                plan = make_plan(centre, tables, [name for name, _path in files], options["start_date"])
        except FileRefused as refusal:
            raise CommandError(refusal.message) from None
        if plan.unread:
            self.stdout.write(f"Ikke læst (ingen kolonner med aktører eller samarbejder): {', '.join(plan.unread)}")
        counts = plan.counts
        for outcome, label in Outcome.LABELS.items():
            self.stdout.write(f"{label}: {counts[outcome]}")
        for row in plan.errors:
            column = f", {row.column}" if row.column else ""
            self.stderr.write(f"{row.sheet}, række {row.row}{column}: {row.detail}")
        if plan.has_errors:
            raise CommandError("Rækker med fejl: intet er importeret.", returncode=1)
        if options["dry_run"]:
            self.stdout.write("Prøvekørsel: intet er gemt.")
            return
        try:
            written = write_plan(plan, user)
        except FileRefused as refusal:
            raise CommandError(refusal.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Importeret: {written.actors} nye aktører, {written.presences} nye tilstedeværelser, "
                f"{written.collaborations} nye samarbejder."
            )
        )
