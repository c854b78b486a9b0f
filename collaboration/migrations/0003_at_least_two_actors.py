"""A collaboration needs at least two distinct actors, checked by PostgreSQL when the transaction commits.

The check is deferred so a collaboration and its participations can be written in one transaction, and a
collaboration deleted together with its participations. SQLite has no deferred triggers: there the rule is kept
by `collaboration.services.save_collaboration`, the only code path that writes participations.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION samkort_require_two_actors(cid bigint) RETURNS void AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM collaboration_collaboration WHERE id = cid)
       AND (SELECT count(DISTINCT actor_id) FROM collaboration_participation WHERE collaboration_id = cid) < 2 THEN
        RAISE EXCEPTION 'collaboration % needs at least two distinct actors', cid
            USING ERRCODE = 'check_violation', CONSTRAINT = 'collaboration_at_least_two_actors';
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION samkort_check_new_collaboration() RETURNS trigger AS $$
BEGIN
    PERFORM samkort_require_two_actors(NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- A participation that is added, moved or removed may leave its old or new collaboration with too few actors.
CREATE FUNCTION samkort_check_participation_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM samkort_require_two_actors(OLD.collaboration_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM samkort_require_two_actors(NEW.collaboration_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER collaboration_at_least_two_actors
    AFTER INSERT ON collaboration_collaboration
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION samkort_check_new_collaboration();

CREATE CONSTRAINT TRIGGER participation_keeps_two_actors
    AFTER INSERT OR UPDATE OR DELETE ON collaboration_participation
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION samkort_check_participation_change();
"""

DROP = """
DROP TRIGGER IF EXISTS participation_keeps_two_actors ON collaboration_participation;
DROP TRIGGER IF EXISTS collaboration_at_least_two_actors ON collaboration_collaboration;
DROP FUNCTION IF EXISTS samkort_check_participation_change();
DROP FUNCTION IF EXISTS samkort_check_new_collaboration();
DROP FUNCTION IF EXISTS samkort_require_two_actors(bigint);
"""


def run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # A plain cursor: RAISE's '%' is not a query parameter.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0002_seed_themes")]
    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
