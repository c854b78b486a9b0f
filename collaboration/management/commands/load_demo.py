"""`manage.py load_demo [--reset] [--today YYYY-MM-DD]`: four citizen centres with two years of collaborations."""

from __future__ import annotations

import argparse
import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from centres.models import Centre
from collaboration.demo.loader import delete_all, demo_logins, load_demo

ALREADY_LOADED = "Demodata findes allerede – brug --reset for at indlæse den igen."


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"ugyldig dato {value!r}: skriv den som ÅÅÅÅ-MM-DD.") from error


class Command(BaseCommand):
    help = "Indlæser demodata: fire medborgercentre, deres aktører, demobrugere og omkring 150 samarbejder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Slet alle centre, aktører, samarbejder og demobrugere, før demodata indlæses.",
        )
        parser.add_argument(
            "--today",
            type=parse_day,
            default=None,
            help="Dagen, alle datoer regnes ud fra (ÅÅÅÅ-MM-DD). Standard: i dag.",
        )

    def handle(self, *args, reset: bool = False, today: datetime.date | None = None, **options) -> None:
        if reset and not settings.DEBUG:
            raise CommandError("--reset sletter alle data og er kun tilladt, når DEBUG er slået til.")
        if not reset and Centre.objects.exists():
            self.stdout.write(self.style.WARNING(ALREADY_LOADED))
            self.print_logins()
            return
        today = today or timezone.localdate()
        began = time.monotonic()
        # One transaction: a failed load leaves the old data in place.
        with transaction.atomic():
            if reset:
                delete_all()
            counts = load_demo(today)
        seconds = time.monotonic() - began
        self.stdout.write(
            self.style.SUCCESS(
                f"Indlæste {counts['centres']} centre, {counts['actors']} aktører og "
                f"{counts['collaborations']} samarbejder med {counts['participations']} deltagelser "
                f"(dato {today.isoformat()}, {seconds:.1f} s)."
            )
        )
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write("Demobrugere:")
        for username, password, description in demo_logins():
            self.stdout.write(f"  {username} / {password} – {description}")
