"""`manage.py seed_synthetic --centres C --actors N --collaborations M`: a large, made-up network for benchmarks.

The data is made by `collaboration.demo.synthetic`; this command checks its arguments and reports what it wrote.
"""

from __future__ import annotations

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from collaboration.demo.synthetic import NotEnoughActors, SyntheticSeeder
from collaboration.management.commands.load_demo import parse_day


class Command(BaseCommand):
    help = (
        "Opretter syntetiske centre, aktører og samarbejder til ydelsesmålinger. "
        "Skriver mange rækker: kræver DEBUG eller --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centres", type=int, required=True, help="Antal centre.")
        parser.add_argument("--actors", type=int, required=True, help="Antal aktører i alt.")
        parser.add_argument("--collaborations", type=int, required=True, help="Antal samarbejder i alt.")
        parser.add_argument("--years", type=int, default=3, help="Samarbejderne starter inden for så mange år.")
        parser.add_argument("--seed", type=int, default=1, help="Startværdi for tilfældighederne.")
        parser.add_argument("--today", type=parse_day, default=None, help="Dagen, datoerne regnes ud fra (ÅÅÅÅ-MM-DD).")
        parser.add_argument("--force", action="store_true", help="Kør også, når DEBUG er slået fra.")

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("seed_synthetic skriver mange rækker og kører kun med DEBUG slået til (eller --force).")
        centres, actors, collaborations = options["centres"], options["actors"], options["collaborations"]
        if centres < 1 or collaborations < 0 or options["years"] < 1:
            raise CommandError("Der skal være mindst ét center og ét år, og ikke et negativt antal samarbejder.")
        if actors < 3 * centres:
            raise CommandError("Der skal være mindst tre aktører pr. center.")
        began = time.monotonic()
        seeder = SyntheticSeeder(
            rng=random.Random(options["seed"]),
            today=options["today"] or timezone.localdate(),
            years=options["years"],
        )
        try:
            counts = seeder.seed(centres, actors, collaborations)
        except NotEnoughActors as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - began
        self.stdout.write(
            self.style.SUCCESS(
                f"Oprettede {counts['centres']} centre, {counts['actors']} aktører, {counts['presences']} "
                f"tilstedeværelser, {counts['collaborations']} samarbejder og {counts['participations']} "
                f"deltagelser på {seconds:.1f} s."
            )
        )
