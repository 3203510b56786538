"""The `saleor-cs-app` command. Errors are one clear line and a non-zero exit."""

from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path

import click

from saleor_cs_app.settings import SettingsError, load_settings

log = logging.getLogger("saleor_cs_app.cli")


def _runtime(listening: tuple[str, int] | None = None):
    from saleor_cs_app import logs
    from saleor_cs_app.manifest import build_manifest
    from saleor_cs_app.runtime import Runtime

    try:
        settings = load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    if listening is not None:
        settings = settings.listening_on(*listening)
    logs.configure(settings.log_level)
    runtime = Runtime.build(settings)
    runtime.webhooks_wanted = build_manifest(settings)["webhooks"]
    return runtime


@click.group(help="A Saleor app that turns shipping failures into loyal customers.")
@click.version_option(package_name="saleor-cs-app")
def main() -> None:
    pass


@main.command(help="Run the web app; on the embedded default also migrations and an in-process worker.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, envvar="PORT", default=8000, show_default=True, help="Also read from PORT.")
@click.option("--threads", type=int, default=8, show_default=True)
def serve(host: str, port: int, threads: int) -> None:
    import waitress

    from saleor_cs_app import create_app
    from saleor_cs_app.jobs.queue import Jobs
    from saleor_cs_app.store.migrate import upgrade

    runtime = _runtime(listening=(host, port))
    if runtime.db.is_sqlite:
        upgrade(runtime.db)
    jobs = Jobs(runtime)
    app = create_app(runtime=runtime)
    _say_who_can_install(runtime.settings)
    if runtime.settings.smtp is None:
        log.warning("SMTP_URL is not set: dry-run mode, e-mails go to the log and the outbox, not to customers")
    if runtime.settings.uses_embedded_queue:
        jobs.start_consumer(workers=runtime.settings.embedded_worker_threads)
        log.info("embedded worker started", extra={"threads": runtime.settings.embedded_worker_threads})
    click.echo(f"saleor-cs-app on http://{host}:{port}  (manifest: {runtime.settings.app_url}/api/manifest)")
    # SIGTERM (systemd, Docker) stops like Ctrl-C: the server closes, then the worker finishes its task.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="saleor-cs-app")
    except KeyboardInterrupt:
        pass
    finally:
        jobs.stop_consumer()


def _say_who_can_install(settings) -> None:
    from saleor_cs_app.saleor.admission import describe

    warn, line = describe(settings.allowed_saleor_urls, settings.app_url)
    (log.warning if warn else log.info)(line)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@main.command(help="Run a worker that processes the shared queue (scale-out: needs REDIS_URL).")
@click.option(
    "--workers",
    type=int,
    default=4,
    show_default=True,
    help="Worker threads in this process (on PostgreSQL also as many threads taking webhook deliveries).",
)
def worker(workers: int) -> None:
    from saleor_cs_app.jobs.queue import Jobs

    runtime = _runtime()
    if runtime.settings.uses_embedded_queue:
        click.echo("warning: REDIS_URL is not set; this worker shares the SQLite queue of this machine only", err=True)
    jobs = Jobs(runtime)
    consumer = jobs.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    # Webhook deliveries are read from their table, not the queue; on PostgreSQL the pump
    # threads of every worker claim different rows (SKIP LOCKED), on SQLite one writes at a time.
    jobs.start_pump(threads=1 if runtime.db.is_sqlite else workers)
    consumer.run()


@main.command(help="Create or upgrade the database schema.")
def migrate() -> None:
    from saleor_cs_app.store.migrate import upgrade

    upgrade(_runtime().db)
    click.echo("database is up to date")


@main.command(help="Print the app manifest (writes FILE if given).")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def manifest(file: Path | None) -> None:
    from saleor_cs_app.manifest import build_manifest

    try:
        settings = load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    text = json.dumps(build_manifest(settings), indent=2) + "\n"
    if file is None:
        sys.stdout.write(text)
    else:
        file.write_text(text)


@main.command(help="Run one detection sweep now; the incidents it opens are queued for the workers.")
def sweep() -> None:
    from saleor_cs_app.jobs import sweep as sweep_job
    from saleor_cs_app.jobs.queue import Jobs

    runtime = _runtime()
    Jobs(runtime)
    handled = sweep_job.run(runtime)
    click.echo(f"{handled} deadline(s) passed and handled")


@main.group(help="Policy as code: the same document the dashboard edits.")
def policy() -> None:
    pass


@policy.command("schema", help="Print the policy document's JSON Schema.")
def policy_schema() -> None:
    from saleor_cs_app.care.policy_io import policy_json_schema

    click.echo(json.dumps(policy_json_schema(), indent=2))


@policy.command("export", help="Write the live policy of one Saleor (stdout or FILE).")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--saleor-api-url", required=True, help="The Saleor the policy belongs to.")
def policy_export(file: Path | None, saleor_api_url: str) -> None:
    from saleor_cs_app.care.policy_io import policy_to_dict
    from saleor_cs_app.store import policies, tenants

    runtime = _runtime()
    with runtime.db.read() as session:
        tenant = tenants.find_active(session, saleor_api_url)
        if tenant is None:
            raise click.ClickException(f"no installation for {saleor_api_url}")
        text = _dump(policy_to_dict(policies.load(session, tenant.id)), file)
    if file is None:
        sys.stdout.write(text)
    else:
        file.write_text(text)


@policy.command("import", help="Validate FILE (YAML or JSON) and make it the live policy.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--saleor-api-url", required=True, help="The Saleor the policy belongs to.")
def policy_import(file: Path, saleor_api_url: str) -> None:
    from saleor_cs_app.care.policy_io import PolicyInvalid, parse_policy, policy_to_dict
    from saleor_cs_app.store import policies, tenants

    runtime = _runtime()
    try:
        document = parse_policy(file.read_text())
    except PolicyInvalid as exc:
        raise click.ClickException(f"{file}: invalid policy\n{exc}") from None
    with runtime.db.transaction() as session:
        tenant = tenants.find_active(session, saleor_api_url)
        if tenant is None:
            raise click.ClickException(f"no installation for {saleor_api_url}")
        row = policies.save(session, tenant.id, policy_to_dict(document), by=f"cli:{file.name}", now=runtime.clock())
    click.echo(f"policy version {row.version} is live")


@main.group(help="Delivery tracking: connect the services that tell the app where parcels are.")
def tracking() -> None:
    pass


@tracking.command("connect", help="Connect AfterShip (prints the webhook URL to paste into AfterShip) or DHL.")
@click.argument("service", type=click.Choice(["aftership", "dhl"]))
@click.option("--saleor-api-url", required=True, help="The Saleor the account belongs to.")
@click.option("--api-key", required=True, help="The service's API key (stored encrypted).")
@click.option("--webhook-secret", default=None, help="AfterShip: Settings → Webhooks → webhook secret.")
def tracking_connect(service: str, saleor_api_url: str, api_key: str, webhook_secret: str | None) -> None:
    from saleor_cs_app.store import tenants
    from saleor_cs_app.tracking.connect import ConnectionInvalid, connect

    runtime = _runtime()
    with runtime.db.read() as session:
        tenant = tenants.find_active(session, saleor_api_url)
        tenant_id = tenant.id if tenant else None
    if tenant_id is None:
        raise click.ClickException(f"no installation for {saleor_api_url}")
    try:
        connected = connect(runtime, tenant_id, service, api_key=api_key, webhook_secret=webhook_secret)
    except ConnectionInvalid as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(connected.webhook_url or f"{service} connected")


def _dump(document: dict, file: Path | None) -> str:
    if file is not None and file.suffix in (".yaml", ".yml"):
        import yaml

        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@main.group(help="What the goodwill buys: codes spent on later orders, returning customers.")
def goodwill() -> None:
    pass


def _tenant_ids(runtime, saleor_api_url: str | None) -> list[int]:
    from saleor_cs_app.store import tenants

    with runtime.db.read() as session:
        if saleor_api_url is None:
            return [t.id for t in tenants.all_active(session)]
        tenant = tenants.find_active(session, saleor_api_url)
        if tenant is None:
            raise click.ClickException(f"no installation for {saleor_api_url}")
        return [tenant.id]


@goodwill.command(
    "backfill-redemptions",
    help="Ask Saleor where the app's unspent vouchers and gift cards were used while it did not see it "
    "(paged; each code asked at most once a day).",
)
@click.option("--saleor-api-url", default=None, help="One Saleor (default: every installation).")
@click.option("--per-second", type=float, default=2.0, show_default=True, help="Requests a second at most.")
@click.option("--max-calls", type=int, default=500, show_default=True, help="Requests a run at most.")
def goodwill_backfill(saleor_api_url: str | None, per_second: float, max_calls: int) -> None:
    from saleor_cs_app.jobs.redemption_backfill import Throttle, backfill

    if per_second <= 0 or max_calls <= 0:
        raise click.ClickException("--per-second and --max-calls must be above 0")
    runtime = _runtime()
    throttle = Throttle(per_second, max_calls)
    for tenant_id in _tenant_ids(runtime, saleor_api_url):
        done = backfill(runtime, tenant_id, throttle)
        click.echo(
            f"tenant {tenant_id}: {done.asked} codes asked, {done.recorded} uses recorded, {done.calls} requests"
        )
        if done.stopped:
            click.echo(f"tenant {tenant_id}: {done.stopped}")


@goodwill.command("count-returns", help="Count returning customers now (the daily job does it at 04:41).")
@click.option("--saleor-api-url", default=None, help="One Saleor (default: every installation).")
def goodwill_count(saleor_api_url: str | None) -> None:
    from saleor_cs_app.jobs.returns_count import count_tenant

    runtime = _runtime()
    for tenant_id in _tenant_ids(runtime, saleor_api_url):
        count_tenant(runtime, tenant_id)
        click.echo(f"tenant {tenant_id}: counted")


@main.group(help="The built-in customer messages.")
def messages() -> None:
    pass


@messages.command("render", help="Write every message in every language (text and HTML) with sample values.")
@click.option("--language", "languages", multiple=True, help="Only this language (repeatable), e.g. fi.")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("messages-review"), show_default=True
)
def messages_render(languages: tuple[str, ...], out: Path) -> None:
    from saleor_cs_app.notify.context import SHIPPED_LANGUAGES
    from saleor_cs_app.notify.review import write_review

    unknown = [language for language in languages if language not in SHIPPED_LANGUAGES]
    if unknown:
        raise click.ClickException(f"no messages in {', '.join(unknown)}; shipped: {', '.join(SHIPPED_LANGUAGES)}")
    count = write_review(out, tuple(languages) or SHIPPED_LANGUAGES)
    click.echo(f"{count} messages written to {out}/ (open {out}/index.html)")
