-- The record store's database and its two roles, beside Temporal's databases on the same server.
-- Run with psql as a superuser by `npm run cluster` (cluster/recordStore.ts) and by the compose
-- file's store-setup; it may run any number of times. Passwords come from the environment:
--   STORE_OWNER_PASSWORD    records_owner: owns the database and its schema, runs the migrations
--   STORE_SERVICE_PASSWORD  records_service: what the service's processes sign in as; reads and
--                           writes rows, changes no schema, adds to the access log but never
--                           changes or removes a row of it
\set ON_ERROR_STOP on
\getenv owner_password STORE_OWNER_PASSWORD
\getenv service_password STORE_SERVICE_PASSWORD
\if :{?owner_password}
\else
  \set owner_password ''
\endif
\if :{?service_password}
\else
  \set service_password ''
\endif
select :'owner_password' = '' or :'service_password' = '' as missing \gset
\if :missing
  do $$ begin raise exception 'set STORE_OWNER_PASSWORD and STORE_SERVICE_PASSWORD'; end $$;
\endif

-- The roles: made once, their passwords set on every run (so they follow the files or secrets).
select 'create role records_owner' where not exists (select from pg_roles where rolname = 'records_owner') \gexec
select 'create role records_service' where not exists (select from pg_roles where rolname = 'records_service') \gexec
select format('alter role records_owner login nosuperuser nocreatedb nocreaterole password %L', :'owner_password') \gexec
select format('alter role records_service login nosuperuser nocreatedb nocreaterole password %L', :'service_password') \gexec

-- The database, owned by the owner; only the two roles (and superusers) may connect to it.
select 'create database reconnect_records owner records_owner'
  where not exists (select from pg_database where datname = 'reconnect_records') \gexec
revoke all on database reconnect_records from public;
grant connect on database reconnect_records to records_service;

\connect reconnect_records
-- No one but the owner makes objects in the schema (PostgreSQL 15 and later's default, made explicit).
revoke create on schema public from public;
grant usage on schema public to records_service;
-- Every table and sequence the owner's migrations make: rows read and written by the service.
alter default privileges for role records_owner in schema public
  grant select, insert, update, delete on tables to records_service;
alter default privileges for role records_owner in schema public
  grant usage, select on sequences to records_service;
-- The access log and the purge log are append-only for the service (the store applies this
-- again after each migration: APPEND_ONLY_TABLES in store/store.ts).
select format('revoke update, delete, truncate on %I from records_service', t)
  from unnest(array['access_log', 'purge_log']) t
  where to_regclass(format('public.%I', t)) is not null \gexec
