"""The `brobygger` command. Imports stay inside the commands so that start-up is light
(the CSV commands are timed against plain scipy scripts)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from matching.cli import add_commands


def _cli_actor(what: str):
    """The person running a command, as an admin principal for the audit log."""
    import getpass

    from accounts.service import Principal
    from core.types import Role

    return Principal(Role.admin, None, f"brobygger {what} ({getpass.getuser()})")


def _cmd_migrate(args: argparse.Namespace) -> int:
    from migrations.runner import upgrade_head

    upgrade_head(args.database_url)
    print("Databasen er oppdatert (alembic upgrade head).")
    return 0


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from api.demo import load_demo_data

    summary = load_demo_data(
        database_url=args.database_url, seed=args.seed, reset=args.reset, per_project=args.per_project
    )
    for key, value in summary.items():
        print(f"{key}: {value}")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import threading
    import time

    import uvicorn

    from core.settings import get_settings

    def say(text: str) -> None:
        print(text, flush=True)

    settings = get_settings()
    if not _wait_for_database(settings.database_url, settings.database_wait_seconds):
        return 1
    if args.migrate:
        from migrations.runner import upgrade_head

        started = time.monotonic()
        say("Oppdaterer databasen til siste versjon ...")
        upgrade_head()
        say(f"  databasen er klar ({time.monotonic() - started:.0f} s)")
    if args.demo:
        from api.demo import load_demo_data

        load_demo_data(seed=args.seed, reset=False, quiet_if_present=True, per_project=args.demo_per_project,
                       progress=say)
    host = args.host or settings.host
    port = args.port or settings.port
    server = uvicorn.Server(uvicorn.Config("api.app:create_app", factory=True, host=host, port=port))

    def announce_when_up() -> None:
        while not server.started:
            if server.should_exit:
                return
            time.sleep(0.1)
        say(_banner(host, port, args.demo))

    threading.Thread(target=announce_when_up, name="announce", daemon=True).start()
    say("Starter tjenesten ...")
    server.run()
    return 0


def _banner(host: str, port: int, demo: bool) -> str:
    """What to open and how to log in, printed once the service answers."""
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    lines = ["", "brobygger kjører.", f"  Nettsidene:            http://{shown}:{port}/app",
             f"  API-dokumentasjonen:   http://{shown}:{port}/docs", "  Stopp med Ctrl+C."]
    if demo:
        from api.demo import DEMO_PASSWORD, demo_users

        lines += ["", "Demobrukere (passord for alle: " + DEMO_PASSWORD + ", bare for demo):"]
        lines += [f"  {username:<20} {role}" for username, role in demo_users()]
    return "\n".join(lines) + "\n"


def _wait_for_database(url: str, timeout: float) -> bool:
    """At start the database may not be up yet: wait for it, saying so, for a bounded time."""
    from sqlalchemy.engine import make_url

    from core.db import wait_for_database

    shown = make_url(url).render_as_string(hide_password=True)

    def on_retry(reason: str, wait: float, remaining: float) -> None:
        if wait:
            print(f"Får ikke kontakt med databasen ({shown}): {reason}. Prøver igjen om {wait:.0f} s "
                  f"(venter høyst {remaining:.0f} s til).", file=sys.stderr, flush=True)

    if wait_for_database(url, timeout=timeout, on_retry=on_retry):
        return True
    print(f"Databasen ({shown}) svarte ikke på {timeout:.0f} s. Tjenesten startet ikke. Sjekk at databasen kjører "
          "og at BROBYGGER_DATABASE_URL er riktig (ventetiden settes med BROBYGGER_DATABASE_WAIT_SECONDS).",
          file=sys.stderr, flush=True)
    return False


def _cmd_user_create(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from accounts.service import create_user
    from core.db import get_engine
    from core.errors import DomainError

    password = args.password
    if password is None:
        import getpass

        password = getpass.getpass("Passord: ")
    with Session(get_engine(args.database_url)) as session:
        try:
            user = create_user(
                session,
                username=args.username,
                password=password,
                role=args.role,
                full_name=args.full_name or args.username,
                project_id=args.project_id,
                organisation_number=args.organisation_number,
            )
        except DomainError as exc:
            print(f"Feil{f' i {exc.field}' if exc.field else ''}: {exc.message}", file=sys.stderr)
            return 2
        session.commit()
        print(f"Bruker {user.username} ({user.role}) er opprettet med id {user.id}.")
    return 0


def _cmd_user_admin(args: argparse.Namespace) -> int:
    """deactivate | activate | reset-password | revoke-sessions NAME, as an audited admin."""
    from sqlmodel import Session

    from accounts import service
    from core.db import get_engine
    from core.errors import DomainError

    actor = _cli_actor(f"user {args.user_command}")
    with Session(get_engine(args.database_url)) as session:
        try:
            user = service.user_by_username(session, args.username)
            if args.user_command == "deactivate":
                _, tokens, keys = service.deactivate_user(session, user.id, actor)
                done = f"Bruker {user.username} er deaktivert; {tokens} innlogginger og {keys} API-nøkler sluttet å virke."
            elif args.user_command == "activate":
                service.activate_user(session, user.id, actor)
                done = f"Bruker {user.username} er aktivert igjen."
            elif args.user_command == "reset-password":
                _, secret = service.reset_password(session, user.id, actor)
                done = (f"Passordet til {user.username} er nullstilt. Midlertidig passord (vises bare nå): {secret}\n"
                        "Brukeren må velge nytt passord ved neste innlogging.")
            else:
                tokens, keys = service.revoke_sessions(session, user)
                done = f"{tokens} innlogginger og {keys} API-nøkler for {user.username} sluttet å virke."
        except DomainError as exc:
            print(f"Feil{f' i {exc.field}' if exc.field else ''}: {exc.message}", file=sys.stderr)
            return 2
        session.commit()
    print(done)
    return 0


def _cmd_match_run(args: argparse.Namespace) -> int:
    """A match run on the database, as a job run in this process, printing its progress as it goes
    (it shows in `GET /jobs` like any other, and can be cancelled there)."""
    import threading

    from sqlmodel import Session

    from core.db import get_engine
    from core.errors import DomainError
    from core.settings import get_settings
    from core.types import today
    from jobs import runner
    from jobs import service as jobs
    from matching import service

    engine = get_engine(args.database_url)
    settings = get_settings()
    params = service.RunParams(time_limit=args.time_limit, seed=args.seed, min_step=args.min_step,
                               plan_start=args.start or today(), warm_start=not args.cold)
    with Session(engine) as session:
        try:
            run, job, _ = jobs.start_match_run(session, params, _cli_actor("match-run"), max_attempts=1)
        except DomainError as exc:
            print(f"Feil i {exc.field}: {exc.message}", file=sys.stderr)
            return 2
        session.commit()
        run_id, job_id = run.id, job.id
    ended: list[str | None] = []
    worker = threading.Thread(target=lambda: ended.append(runner.run_job(
        engine, job_id, lease_seconds=settings.job_lease_seconds, send=lambda _id: None)))
    worker.start()
    shown = None
    while worker.is_alive() or shown is None:
        with Session(engine) as session:
            run = service.get_run(session, run_id)
            line = f"[{run.progress:3d} %] {run.progress_message}"
        if line != shown:
            print(line, flush=True)
            shown = line
        worker.join(0.5)
    with Session(engine) as session:
        run = service.get_run(session, run_id)
        if ended == [None]:
            print(f"Kjøring {run_id} venter i kø bak en annen matchkjøring (jobb {job_id}); en arbeidsprosess "
                  "(`brobygger worker` eller tjenesten) kjører den.", file=sys.stderr)
            return 1
        if run.status != "done":
            print(f"Kjøring {run_id} {'ble avbrutt' if run.status == 'cancelled' else 'feilet'}: {run.error}",
                  file=sys.stderr)
            return 1
        for message in run.messages:
            print(message, file=sys.stderr)
        print(f"Kjøring {run_id}: {run.stats.get('proposals', 0)} forslag for {run.stats.get('ready_candidates')} "
              f"matchbare kandidater og {run.stats.get('vacancies')} stillinger; dekning {run.coverage_objective} "
              f"prosentdager (gap {100 * (run.coverage_gap or 0):.2f} %), poeng {run.quality_objective} "
              f"(gap {100 * (run.quality_gap or 0):.2f} %) ({run.solver_status}).")
        if warm := service.warm_start_summary(run):
            print(f"{warm['text']}.")
    return 0


def _cmd_worker(args: argparse.Namespace) -> int:
    """A job worker: runs match runs, large imports and the daily scheduled work from the queue.
    Start as many as wanted, on as many machines as wanted, against the same database."""
    import logging

    from core.db import get_engine
    from core.settings import get_settings
    from jobs.queue import JobQueue

    settings = get_settings()
    if not _wait_for_database(args.database_url or settings.database_url, settings.database_wait_seconds):
        return 1
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    queue = JobQueue(get_engine(args.database_url), settings)
    print(f"brobygger-arbeidsprosess startet ({args.threads or settings.worker_threads} samtidige jobber, "
          f"leiefrist {settings.job_lease_seconds:g} s).", flush=True)
    queue.run_worker(args.threads or settings.worker_threads)
    return 0


def _cmd_report_kpi(args: argparse.Namespace) -> int:
    """The result table from an event file; a bad file gets every bad row listed, exit 2, no output."""
    from reports.kpi import EventFileError, read_events, result_table, write_kpi_csv

    try:
        with open(args.events, "rb") as handle:
            events = read_events(handle.read())
    except OSError as exc:
        print(f"Feil: kan ikke lese {args.events}: {exc.strerror}", file=sys.stderr)
        return 2
    except EventFileError as exc:
        for problem in exc.problems:
            print(f"Feil i {args.events}, {problem}", file=sys.stderr)
        return 2
    rows = result_table(events, args.date_from, args.date_to, suppress_small=args.suppress_small)
    write_kpi_csv(rows, args.out)
    print(f"Skrev {len(rows)} rader for {len({r.project for r in rows})} prosjekter til {args.out}.")
    return 0


def _cmd_report_results(args: argparse.Namespace) -> int:
    """The result report from recorded data: a terminal table, and CSV or XLSX with --out."""
    from sqlmodel import Session

    from core.db import get_engine
    from reports import export
    from reports.service import report

    with Session(get_engine(args.database_url)) as session:
        rows, outcomes = report(session, _cli_actor("report"), date_from=args.date_from,
                                date_to=args.date_to, project_id=args.project_id, suppress_small=args.suppress_small)
    print(export.to_text(rows, outcomes))
    if args.out:
        if not args.out.endswith((".csv", ".xlsx")):
            print("Feil: --out må slutte på .csv eller .xlsx", file=sys.stderr)
            return 2
        data = export.to_csv(rows, outcomes) if args.out.endswith(".csv") else export.to_xlsx(rows, outcomes)
        with open(args.out, "wb") as handle:
            handle.write(data)
        print(f"Skrev {args.out}.")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    """All or nothing: a file with errors imports nothing and lists every error with its row."""
    from sqlmodel import Session

    from core.db import get_engine
    from transfer.service import import_file

    try:
        with open(args.file, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        print(f"Feil: kan ikke lese {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    with Session(get_engine(args.database_url)) as session:
        report = import_file(session, args.kind, raw, args.file, _cli_actor("import"),
                             progress=lambda text: print(text, file=sys.stderr, flush=True))
        if report.errors:
            for e in report.errors:
                print(f"Rad {e.row}, {e.field}: {e.message}", file=sys.stderr)
            if report.errors_note:
                print(report.errors_note, file=sys.stderr)
            print(f"Ingenting er importert ({report.error_count} feil i {report.rows} rader).", file=sys.stderr)
            return 2
        session.commit()
    print(f"Importerte {report.imported} {args.kind}.")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from core import audit
    from core.db import get_engine
    from transfer.service import export_file

    fmt = args.out.rsplit(".", 1)[-1].lower()
    if fmt not in ("csv", "xlsx"):
        print("Feil: --out må slutte på .csv eller .xlsx", file=sys.stderr)
        return 2
    with Session(get_engine(args.database_url)) as session:
        actor = _cli_actor("export")
        data, candidate_ids = export_file(session, args.kind, fmt, actor)
        audit.record(session, actor, "export", f"eksport {fmt}", candidate_ids)
        session.commit()
    with open(args.out, "wb") as handle:
        handle.write(data)
    print(f"Skrev {args.out}.")
    return 0


def _cmd_retention(args: argparse.Namespace) -> int:
    """Anonymise candidates never taken in, and those inactive too long (run it daily from cron)."""
    from sqlmodel import Session

    from core.db import get_engine
    from core.settings import get_settings
    from privacy.service import apply_retention

    settings = get_settings()
    with Session(get_engine(args.database_url)) as session:
        due = apply_retention(session, _cli_actor("retention"), intake_days=settings.retention_intake_days,
                              inactive_days=settings.retention_inactive_days, dry_run=args.dry_run)
        if not args.dry_run:
            session.commit()
    for candidate_id, rule in due:
        print(f"kandidat {candidate_id}: {rule}")
    verb = "ville blitt anonymisert" if args.dry_run else "anonymisert"
    print(f"{len(due)} kandidater {verb}.")
    return 0


def _cmd_feed_import(args: argparse.Namespace) -> int:
    """NAV's public job feed from a URL (where the last run stopped) or from saved pages and entries."""
    from core.db import get_engine
    from core.errors import DomainError
    from core.settings import get_settings
    from nav.feed import FileSource, HttpSource, import_feed

    settings = get_settings()
    engine = get_engine(args.database_url)
    try:
        if args.files:
            source, key = FileSource(args.files), "files"
        else:
            url = args.url or settings.nav_feed_url
            if not url:
                print("Oppgi --url, filer, eller sett BROBYGGER_NAV_FEED_URL.", file=sys.stderr)
                return 2
            source, key = HttpSource(url, args.token or settings.nav_feed_token,
                                     if_modified_since=args.if_modified_since), url
        stats = import_feed(engine, source, feed_key=key)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    labels = {"pages": "sider", "not_modified": "uendret side (304)", "items": "annonser i feeden",
              "added": "nye stillinger", "updated": "oppdatert", "unchanged": "uendret", "closed": "lukket (inaktive)",
              "skipped_by_rules": "hoppet over (reglene)", "errors": "feil", "employers_added": "nye arbeidsgivere (potensielle)"}
    for field, value in stats.as_dict().items():
        print(f"{labels[field]}: {value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brobygger", description="Matching og formidling: brobygger")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("migrate", help="Kjør databasemigreringer (alembic upgrade head)")
    p.add_argument("--database-url", default=None)
    p.set_defaults(func=_cmd_migrate)

    p = sub.add_parser("demo-data", help="Fyll databasen med et deterministisk demodatasett")
    p.add_argument("--database-url", default=None)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--reset", action="store_true", help="Slett alle data i databasen først")
    p.add_argument("--per-project", type=int, default=60, help="Kandidater per prosjekt")
    p.set_defaults(func=_cmd_demo_data)

    p = sub.add_parser("serve", help="Start tjenesten")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--no-migrate", dest="migrate", action="store_false")
    p.add_argument("--demo", action="store_true", help="Last demodata hvis databasen er tom")
    p.add_argument("--demo-per-project", type=int, default=60, help="Kandidater per prosjekt i demodataene")
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(func=_cmd_serve)

    user = sub.add_parser("user", help="Brukere").add_subparsers(dest="user_command", required=True)
    p = user.add_parser("create", help="Opprett en bruker")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=["admin", "consultant", "staff", "employer"])
    p.add_argument("--password", default=None, help="Spørres om hvis det ikke er gitt")
    p.add_argument("--full-name", default=None)
    p.add_argument("--project-id", type=int, default=None, help="Påkrevd for staff")
    p.add_argument("--organisation-number", default=None, help="Påkrevd for employer")
    p.add_argument("--database-url", default=None)
    p.set_defaults(func=_cmd_user_create)
    for name, helptext in (("deactivate", "Deaktiver en bruker (innlogginger og API-nøkler slutter å virke)"),
                           ("activate", "Aktiver en deaktivert bruker igjen"),
                           ("reset-password", "Nullstill passordet (brukeren velger nytt ved neste innlogging)"),
                           ("revoke-sessions", "Avslutt alle innlogginger og API-nøkler brukeren har laget")):
        p = user.add_parser(name, help=helptext)
        p.add_argument("username")
        p.add_argument("--database-url", default=None)
        p.set_defaults(func=_cmd_user_admin)

    p = sub.add_parser("worker", help="Start en arbeidsprosess for jobber (matchkjøringer, import, planlagt arbeid)")
    p.add_argument("--threads", type=int, default=None, help="Jobber samtidig (standard BROBYGGER_WORKER_THREADS, 1)")
    p.add_argument("--database-url", default=None)
    p.set_defaults(func=_cmd_worker)

    p = sub.add_parser("match-run", help="Kjør matching på databasen og lagre forslagene")
    p.add_argument("--time-limit", type=float, default=10.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--min-step", type=int, default=6, help="Laveste trinn som matches (6 = formidlingsklar)")
    p.add_argument("--start", type=date.fromisoformat, default=None, help="Første dag i planåret (ISO)")
    p.add_argument("--cold", action="store_true",
                   help="Kjør fra bunnen i stedet for å starte fra forrige kjøring (kan gi litt andre forslag)")
    p.add_argument("--database-url", default=None)
    p.set_defaults(func=_cmd_match_run)

    report = sub.add_parser("report", help="Rapporter til oppdragsgiver").add_subparsers(dest="report", required=True)
    p = report.add_parser("kpi", help="Resultattabellen fra en hendelsesfil (CSV)")
    p.add_argument("--events", required=True, help="CSV med date, project, candidate_id, event, ref")
    p.add_argument("--out", required=True, help="CSV med project, metric, count, percent")
    p.add_argument("--from", dest="date_from", type=date.fromisoformat, default=None)
    p.add_argument("--to", dest="date_to", type=date.fromisoformat, default=None)
    p.add_argument("--suppress-small", action="store_true", help="Skjul tall under 5 (rapporter som går ut)")
    p.set_defaults(func=_cmd_report_kpi)
    p = report.add_parser("results", help="Resultattabellen fra det som er registrert")
    p.add_argument("--from", dest="date_from", type=date.fromisoformat, default=None)
    p.add_argument("--to", dest="date_to", type=date.fromisoformat, default=None)
    p.add_argument("--project-id", type=int, default=None)
    p.add_argument("--suppress-small", action="store_true", help="Skjul tall under 5 (rapporter som går ut)")
    p.add_argument("--out", default=None, help="Fil .csv eller .xlsx")
    p.add_argument("--database-url", default=None)
    p.set_defaults(func=_cmd_report_results)

    for name, func, helptext in (("import", _cmd_import, "Importer fra CSV/XLSX (alt eller ingenting)"),
                                 ("export", _cmd_export, "Eksporter til CSV/XLSX")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("kind", choices=["candidates", "employers", "vacancies"])
        if name == "import":
            p.add_argument("file")
        else:
            p.add_argument("--out", required=True, help="Fil .csv eller .xlsx")
        p.add_argument("--database-url", default=None)
        p.set_defaults(func=func)

    p = sub.add_parser("retention", help="Anonymiser kandidater etter sletteregler (kjøres daglig)")
    p.add_argument("--dry-run", action="store_true", help="Vis hvem, men endre ingenting")
    p.add_argument("--database-url", default=None)
    p.set_defaults(func=_cmd_retention)

    feed = sub.add_parser("feed", help="NAVs stillingsfeed").add_subparsers(dest="feed_command", required=True)
    p = feed.add_parser("import", help="Les NAVs stillingsfeed (fra adresse eller lagrede filer) inn som stillinger")
    p.add_argument("files", nargs="*", help="Lagrede feed-sider og annonser (JSON), eller mapper med dem")
    p.add_argument("--url", default=None, help="Feedens adresse (standard BROBYGGER_NAV_FEED_URL)")
    p.add_argument("--token", default=None, help="Bearer-token (standard BROBYGGER_NAV_FEED_TOKEN)")
    p.add_argument("--if-modified-since", default=None, help="Første kjøring: bare endringer siden (RFC 1123)")
    p.add_argument("--database-url", default=None)
    p.set_defaults(func=_cmd_feed_import)

    add_commands(sub)  # the CSV matching commands live with the matching package
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
