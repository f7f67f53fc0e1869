-- A separate owner for the audit log on PostgreSQL (issue #15, finding 9).
--
-- Run it as a superuser (on a managed service: its administrative role) once the app has
-- migrated the database (revision 0005 or later; the app's first start does that), and again
-- after an upgrade whose migrations touch the audit tables:
--
--   psql -v app_role=assistant_app -f deploy/postgres/audit-owner.sql "postgresql://postgres@db/mentoring"
--
-- Afterwards the role assistant_audit (NOLOGIN) owns audit_log, audit_head, the log's id
-- sequence and the trigger functions, and the app's role may only
--
--   audit_log:   SELECT, INSERT, and USAGE on its id sequence
--   audit_head:  SELECT, UPDATE (link, rows): every append rewrites the chain's newest link
--
-- so it cannot update, delete or truncate the log, nor drop, disable or replace its triggers,
-- nor alter or drop the tables. It may still rewrite the head; the chain's key file in the
-- data folder, outside the database, is what makes that show in `assistant audit verify`.
--
-- The script refuses an app role that is a superuser, may create roles, belongs to
-- assistant_audit, or owns the database or the schema of the audit log (an owner of the schema
-- may drop it with all it holds). Running it again changes nothing.

\set ON_ERROR_STOP on
\if :{?app_role}
\else
    \echo 'usage: psql -v app_role=ROLE -f deploy/postgres/audit-owner.sql DATABASE_URL'
    DO $$ BEGIN RAISE EXCEPTION 'app_role is not set'; END $$;
\endif

BEGIN;

SELECT set_config('assistant.app_role', :'app_role', true) AS app_role \gset checked_

DO $$
DECLARE
    app text := current_setting('assistant.app_role');
    role_row pg_roles%ROWTYPE;
    db_owner oid := (SELECT datdba FROM pg_database WHERE datname = current_database());
    schema_owner oid := (
        SELECT n.nspowner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = 'audit_log'::regclass
    );
BEGIN
    SELECT * INTO role_row FROM pg_roles WHERE rolname = app;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'role "%" does not exist', app;
    END IF;
    IF role_row.rolsuper OR role_row.rolcreaterole THEN
        RAISE EXCEPTION 'role "%" is a superuser or may create roles: it could take over the audit log', app;
    END IF;
    IF to_regprocedure('audit_refuse_statement()') IS NULL THEN
        RAISE EXCEPTION 'the database is not migrated to revision 0005 yet: start the app (or run a command) once';
    END IF;
    IF pg_has_role(app, db_owner, 'MEMBER') OR pg_has_role(app, schema_owner, 'MEMBER') THEN
        RAISE EXCEPTION 'role "%" owns the database or the schema of audit_log and could drop it: '
            'give them to another role, and the app role CONNECT, and USAGE and CREATE on the schema', app;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'assistant_audit') THEN
        CREATE ROLE assistant_audit NOLOGIN;
    END IF;
    IF pg_has_role(app, 'assistant_audit', 'MEMBER') THEN
        RAISE EXCEPTION 'role "%" is a member of assistant_audit', app;
    END IF;
END
$$;

ALTER TABLE audit_log OWNER TO assistant_audit;   -- its indexes and id sequence follow
ALTER TABLE audit_head OWNER TO assistant_audit;
ALTER FUNCTION audit_log_append_only() OWNER TO assistant_audit;
ALTER FUNCTION audit_refuse_statement() OWNER TO assistant_audit;

REVOKE ALL ON TABLE audit_log, audit_head FROM PUBLIC, :"app_role";
REVOKE ALL ON SEQUENCE audit_log_id_seq FROM PUBLIC, :"app_role";
GRANT SELECT, INSERT ON TABLE audit_log TO :"app_role";
GRANT USAGE ON SEQUENCE audit_log_id_seq TO :"app_role";
GRANT SELECT, UPDATE (link, rows) ON TABLE audit_head TO :"app_role";

COMMIT;
