"""Many rows at once: the planner is told how large the tables have become, so the next pages are planned right."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from centres.models import Actor, ActorCategory
from samkort.bulk import REFRESH_AFTER_ROWS, insert, refresh_statistics

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's")


def planned_rows(model) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


def many_actors(count: int) -> None:
    insert(Actor, [Actor(name=f"Forening nr. {number}", category=ActorCategory.ASSOCIATION) for number in range(count)])


@postgresql_only
@pytest.mark.django_db
def test_after_many_rows_the_planner_counts_them():
    many_actors(REFRESH_AFTER_ROWS)
    refresh_statistics([Actor], REFRESH_AFTER_ROWS)
    assert planned_rows(Actor) == REFRESH_AFTER_ROWS


@postgresql_only
@pytest.mark.django_db
def test_a_few_rows_are_left_to_autovacuum():
    before = planned_rows(Actor)
    many_actors(10)
    refresh_statistics([Actor], 10)
    assert planned_rows(Actor) == before


@postgresql_only
@pytest.mark.django_db
def test_a_failing_analyze_is_logged_and_leaves_the_rows_written(caplog):
    many_actors(REFRESH_AFTER_ROWS)

    class Refusing:
        """A table name the database does not know: ANALYZE fails as a timeout would."""

        class _meta:
            db_table = "no_such_table"

    refresh_statistics([Refusing], REFRESH_AFTER_ROWS)
    assert "ANALYZE after" in caplog.text
    assert Actor.objects.count() >= REFRESH_AFTER_ROWS


@pytest.mark.django_db
def test_a_duplicate_in_many_rows_at_once_is_djangos_integrity_error_on_every_database():
    many_actors(3)
    with pytest.raises(IntegrityError), transaction.atomic():
        many_actors(1)
    assert Actor.objects.count() == 3
