"""The README's backup procedure, carried out: a dump restored into a fresh database holds the same rows.

PostgreSQL: `pg_dump --format=custom` and `pg_restore` into an empty database. SQLite: the backup API that the sqlite3
command's `.backup` uses, through Python, since the demo machine may not have the sqlite3 command.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess

import psycopg
import pytest
from django.apps import apps
from django.db import connection

from centres.models import ActorCategory
from collaboration.models import Form
from collaboration.records.forms import CollaborationForm
from collaboration.records.services import save_collaboration
from tests.factories import collaboration_post, make_actor, make_centre, make_presence, make_user, seed_themes


def samkort_tables() -> list[str]:
    """Every table Django knows, the app's and Django's own (users, sessions, login records)."""
    return sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})


def fingerprint(cursor, tables: list[str]) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every row's values, per table, both sides read through the same driver settings."""
    result = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (the names come from Django's models)
        rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
        result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def a_centre_with_history() -> None:
    seed_themes()
    centre = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    user = make_user("medarbejder")
    actors = [
        make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE),
        make_actor(name="Café Sumak", description="Køkken\nog café 😀", category=ActorCategory.SOCIAL_ENTERPRISE),
    ]
    for actor in actors:
        make_presence(centre, actor)
    form = CollaborationForm(collaboration_post(actors, form=str(Form.CO_CREATION), goals="Flere unge i job"))
    assert form.is_valid(), form.errors
    save_collaboration(form, centre, user)


def has_rows(fingerprints: dict[str, tuple[int, str]]) -> bool:
    return all(fingerprints[table][0] > 0 for table in ("centres_actor", "collaboration_historyentry"))


def needed(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is missing: CI installs PostgreSQL's client programs")
        pytest.skip(f"{program} is not installed here")
    return path


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL procedure")
def test_a_pg_dump_restored_into_a_fresh_database_holds_the_same_rows(tmp_path):
    a_centre_with_history()
    settings = connection.settings_dict
    server = {"host": settings["HOST"] or "127.0.0.1", "port": str(settings["PORT"] or 5432)}
    user = settings["USER"] or "postgres"
    dump = tmp_path / "samkort.dump"
    restored = f"{settings['NAME']}_restored"

    subprocess.run(
        [needed("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", "--host", server["host"]]
        + ["--port", server["port"], "--username", user, settings["NAME"]],
        check=True,
    )
    with psycopg.connect(dbname="postgres", user=user, autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            [needed("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", restored, "--host", server["host"]]
            + ["--port", server["port"], "--username", user, str(dump)],
            check=True,
        )
        with psycopg.connect(dbname=settings["NAME"], user=user, **server) as live:
            original = fingerprint(live.cursor(), samkort_tables())
        with psycopg.connect(dbname=restored, user=user, **server) as copy:
            copy_rows = fingerprint(copy.cursor(), samkort_tables())
    finally:
        with psycopg.connect(dbname="postgres", user=user, autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')

    assert has_rows(original)
    assert copy_rows == original


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite procedure")
def test_a_sqlite_backup_holds_the_same_rows(tmp_path):
    a_centre_with_history()
    backup = tmp_path / "backup.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(backup) as target:
        connection.connection.backup(target)  # what `sqlite3 db.sqlite3 ".backup backup.sqlite3"` does

    original = fingerprint(connection.connection.cursor(), samkort_tables())
    # Read the way Django's own connection reads, with the same type converters.
    with sqlite3.connect(backup, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES) as copy:
        copy_rows = fingerprint(copy.cursor(), samkort_tables())

    assert has_rows(original)
    assert copy_rows == original
