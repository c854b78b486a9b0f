"""Inserting many rows at once: PostgreSQL's COPY where it runs, bulk_create elsewhere.

Django's bulk_create on PostgreSQL sends each batch as UNNEST arrays that psycopg quotes value by value on the client;
for an import of 50,000 collaborations that quoting is most of the time. COPY streams the same rows in PostgreSQL's
own format. Each value still goes through its field's `pre_save` and `get_db_prep_save`, so text is cleaned, keys
are folded and timestamps set exactly as a save would; constraints and triggers run as for any insert.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

BATCH = 2000


def batches(values: list) -> Iterator[list]:
    """The values BATCH at a time, for an `__in` lookup of many (SQLite limits a query's parameters)."""
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def insert(model, objects: list) -> None:
    """Insert the objects without reading their ids back (look them up by a unique key where they are needed)."""
    if not objects:
        return
    # The connection itself, not django.db.connection's proxy: its lookup is per attribute, per value.
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    # COPY runs on psycopg's own cursor, outside Django's: its errors are made Django's here, so that a duplicate
    # (two imports of one file at once) is an IntegrityError to the caller as with bulk_create.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for instance in objects:
            copy.write_row([field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields])


# Fewer rows than this at once leave the planner's counts to autovacuum.
REFRESH_AFTER_ROWS = 1000


def refresh_statistics(models: list, rows: int) -> None:
    """Tell PostgreSQL's planner how large the tables have become after many rows at once.

    Until autovacuum comes round, the planner plans on the old counts: at 100,000 collaborations seeded in one go,
    an actor's page was planned as a walk through every collaboration (460 ms) instead of the actor's own (18 ms).
    ANALYZE reads a sample of each table, in well under a second.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or rows < REFRESH_AFTER_ROWS:
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    except DatabaseError:
        # The rows are written and committed; autovacuum will count them in time. Never fail the import for it.
        logger.exception("ANALYZE after %s rows failed", rows)
