"""The command line: options in, a command function called, its exit code back.

Exit codes: 0 nothing at or above --fail-on; 1 problems found; 2 bad input or usage;
3 some checks could not run and nothing failed.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, NoReturn

import typer

from portaldoctor import __version__
from portaldoctor.reporters import Format

EXIT_CODES = (
    "Exit codes: 0 nothing at or above --fail-on; 1 problems found; 2 bad input or usage; "
    "3 some checks could not run and nothing failed."
)

app = typer.Typer(
    name="portaldoctor",
    help="Find out why a customer cannot get into their B2B customer portal.\n\n" + EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
checks_app = typer.Typer(help="List the registered checks.", no_args_is_help=True, rich_markup_mode=None)
playbooks_app = typer.Typer(help="Validate the remedy playbooks.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(checks_app, name="checks")
app.add_typer(playbooks_app, name="playbooks")
config_app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(config_app, name="config")

TenantOpt = Annotated[
    str,
    typer.Option(
        "--tenant",
        "-t",
        envvar="PORTALDOCTOR_TENANT",
        help="Tenant snapshot file or folder (YAML/JSON), or 'demo' for the bundled demo tenant.",
        show_envvar=True,
    ),
]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help=f"Format on stdout: {', '.join(f.value for f in Format)}.")
]
FailOnOpt = Annotated[str, typer.Option("--fail-on", help="Lowest status that makes the exit code 1: warn or fail.")]
OfflineOpt = Annotated[bool, typer.Option("--offline", help="Skip network checks (reported as skipped).")]
CheckOpt = Annotated[list[str] | None, typer.Option("--check", help="Run only this check id (repeatable).")]
SkipOpt = Annotated[list[str] | None, typer.Option("--skip-check", help="Do not run this check id (repeatable).")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", help="Run only checks with this tag (repeatable).")]
NowOpt = Annotated[
    str | None,
    typer.Option("--now", help="Evaluate as of this moment (ISO 8601), e.g. when the customer clicked."),
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", help="Seconds allowed for each network check.")]
DeadlineOpt = Annotated[float, typer.Option("--deadline", help="Seconds allowed for all network checks together.")]
NameserverOpt = Annotated[
    list[str] | None,
    typer.Option("--nameserver", help="DNS server to ask, IP[:PORT] (repeatable); default: the system's resolvers."),
]
RecordOpt = Annotated[
    str | None, typer.Option("--record", help="Save every DNS answer and network observation to this evidence file.")
]
ReplayOpt = Annotated[
    str | None, typer.Option("--replay", help="Re-run from an evidence file saved with --record, without network.")
]
AuthoritativeOpt = Annotated[
    bool,
    typer.Option(
        "--authoritative", help="Ask the zone's own name servers: tells 'not published' from 'not propagated yet'."
    ),
]
CaFileOpt = Annotated[
    str | None,
    typer.Option("--ca-file", help="Trust this CA bundle (PEM) for the portal host instead of the system's."),
]
CertWarnOpt = Annotated[int, typer.Option("--cert-warn-days", help="Warn when the certificate expires within N days.")]
CertFailOpt = Annotated[int, typer.Option("--cert-fail-days", help="Fail when the certificate expires within N days.")]
AllowPrivateOpt = Annotated[
    bool,
    typer.Option("--allow-private-network", help="Allow hosts from tenant data that resolve to private addresses."),
]
OutputOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--output", "-o", metavar="FORMAT:PATH",
        help="Also write this format to PATH after the run ('-' = stdout; repeatable), e.g. sarif:results.sarif.",
    ),
]  # fmt: skip
SuppressOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--suppressions", metavar="FILE", help="Suppressed findings file (check/code, subject, reason, expires)."
    ),
]
BaselineOpt = Annotated[
    str | None, typer.Option("--baseline", metavar="FILE", help="Only problems not in this baseline fail the run.")
]
WriteBaselineOpt = Annotated[
    bool, typer.Option("--write-baseline", help="Write the current problems to the --baseline file, then use it.")
]
SarifRootOpt = Annotated[
    str | None,
    typer.Option("--sarif-root", metavar="DIR", help="Directory report paths are relative to (default cwd)."),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress, notes or default report on stdout.")]
ShowSecretsOpt = Annotated[
    bool, typer.Option("--show-secrets", help="Print tokens, signatures and URLs in full (redacted by default).")
]
ReplyOpt = Annotated[
    bool, typer.Option("--reply", help="Print a ready-to-send customer message and the agent's internal note.")
]
TzOpt = Annotated[
    str | None, typer.Option("--tz", help="Time zone to show times in besides UTC (default: this machine's).")
]


def _settings(ctx: typer.Context, **values: Any) -> Any:
    """Effective settings: defaults < .portaldoctor.yaml < PORTALDOCTOR_* < flags given on this command line."""
    from portaldoctor import config

    param = {"format": "fmt"}

    def given(name: str) -> bool:
        # Compared by name: typer may vendor click, so its ParameterSource enum is not importable by one path.
        source = ctx.get_parameter_source(param.get(name, name))
        return getattr(source, "name", "") == "COMMANDLINE"

    flags = {name: value for name, value in values.items() if given(name)}
    return config.resolve(flags=flags, defaults=values)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"portaldoctor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Find out why a customer cannot get into their B2B customer portal."""


def _guard(func: Callable[[], int], *, show_secrets: bool = False) -> None:
    """The one place that maps errors to messages and exit codes.

    ``show_secrets`` (``--show-secrets``) turns redaction off for the command and its messages:
    a message may quote what it was given, such as a link pasted as the customer, and is
    otherwise redacted like everything else the tool prints.
    """
    from portaldoctor.errors import PortaldoctorError

    reveal: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if show_secrets:
        from portaldoctor.knowledge import redaction

        reveal = redaction.show_secrets(True)
    with reveal:
        try:
            code = func()
        except PortaldoctorError as exc:
            from portaldoctor.knowledge.redaction import redact_evidence

            typer.echo(f"portaldoctor: error: {redact_evidence(str(exc))}", err=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            typer.echo("portaldoctor: interrupted", err=True)
            raise typer.Exit(130) from None
    raise typer.Exit(code)


# -- options to typed values ----------------------------------------------------------------------


def _status(fail_on: str) -> Any:
    from portaldoctor.check import Status
    from portaldoctor.errors import InputError

    if fail_on.lower() not in ("warn", "fail"):
        raise InputError(f"'{fail_on}' is not warn or fail", field="--fail-on")
    return Status(fail_on.lower())


def _now(now: str | None) -> Any:
    from portaldoctor import clock

    return clock.now(now)


def _source(spec: str) -> Any:
    from portaldoctor.snapshot.sources import open_source

    return open_source(spec)


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _outputs(cfg: Any, *, write_baseline: bool = False, reply: bool = False, formats: Any = None) -> Any:
    """``--format``, ``--output``, ``--suppressions``, ``--baseline``, ``--quiet``, ``--reply``, checked now."""
    from portaldoctor.outputs import Outputs

    return Outputs.plan(
        format=cfg["format"],
        outputs=cfg["output"],
        suppressions=cfg["suppressions"],
        baseline=cfg["baseline"],
        write_baseline=write_baseline,
        quiet=cfg["quiet"],
        reply=reply,
        root=cfg["sarif_root"],
        color=_color(),
        formats=formats or tuple(Format),
    )


def _selection(check: list[str] | None, skip_check: list[str] | None, tag: list[str] | None) -> Any:
    from portaldoctor.engine import Selection

    return Selection(checks=frozenset(check or ()), skip=frozenset(skip_check or ()), tags=frozenset(tag or ()))


def _limits(timeout: float, deadline: float) -> Any:
    from portaldoctor.engine import Limits
    from portaldoctor.errors import InputError

    if timeout <= 0 or deadline <= 0:
        raise InputError("must be greater than 0", field="--timeout/--deadline")
    return Limits(check_timeout=timeout, deadline=deadline)


def _network(
    *,
    offline: bool = False,
    nameserver: list[str] | None = None,
    record: str | None = None,
    replay: str | None = None,
    allow_private: bool = False,
    authoritative: bool = False,
    ca_file: str | None = None,
) -> Any:
    from portaldoctor.probes.dnslookup import parse_nameserver
    from portaldoctor.session import Network

    return Network(
        offline=offline,
        nameservers=tuple(parse_nameserver(n) for n in nameserver or ()),
        record=record,
        replay=replay,
        allow_private_network=allow_private,
        authoritative=authoritative,
        ca_file=ca_file,
    )


def _inputs(browser: str | None, warn_days: int, fail_days: int) -> Any:
    from portaldoctor.check import Inputs
    from portaldoctor.errors import InputError

    if not 0 <= fail_days <= warn_days:
        raise InputError("need 0 <= --cert-fail-days <= --cert-warn-days", field="--cert-warn-days/--cert-fail-days")
    named = browser.strip().lower() if browser else None
    return Inputs(browser=named or None, cert_warn_days=warn_days, cert_fail_days=fail_days)


# -- commands -------------------------------------------------------------------------------------


@app.command()
def diagnose(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer id, external id, name, or a contact's email.")],
    tenant: TenantOpt = "demo",
    fmt: FormatOpt = "table",
    fail_on: FailOnOpt = "fail",
    offline: OfflineOpt = False,
    check: CheckOpt = None,
    skip_check: SkipOpt = None,
    tag: TagOpt = None,
    now: NowOpt = None,
    timeout: TimeoutOpt = 10.0,
    deadline: DeadlineOpt = 30.0,
    nameserver: NameserverOpt = None,
    record: RecordOpt = None,
    replay: ReplayOpt = None,
    allow_private_network: AllowPrivateOpt = False,
    authoritative: AuthoritativeOpt = False,
    ca_file: CaFileOpt = None,
    cert_warn_days: CertWarnOpt = 30,
    cert_fail_days: CertFailOpt = 7,
    watch: Annotated[
        float | None, typer.Option("--watch", help="Re-run failing DNS/HTTPS checks every N seconds until they pass.")
    ] = None,
    watch_limit: Annotated[float, typer.Option("--watch-limit", help="Stop watching after this many seconds.")] = 600.0,
    link: Annotated[
        str | None, typer.Option("--link", help="The link the customer clicked; its record is checked.")
    ] = None,
    symptom: Annotated[
        str | None,
        typer.Option(
            "--symptom", help="What the customer reports, e.g. 'Invalid link'; runs the checks that explain it."
        ),
    ] = None,
    browser: Annotated[
        str | None, typer.Option("--browser", help="The customer's browser, e.g. safari (also read from --symptom).")
    ] = None,
    tz: TzOpt = None,
    output: OutputOpt = None,
    suppressions: SuppressOpt = None,
    baseline: BaselineOpt = None,
    write_baseline: WriteBaselineOpt = False,
    sarif_root: SarifRootOpt = None,
    quiet: QuietOpt = False,
    reply: ReplyOpt = False,
    show_secrets: ShowSecretsOpt = False,
) -> None:
    """Diagnose one customer: organisation, customer, contact and link checks, root cause first."""

    def go() -> int:
        from portaldoctor.commands.diagnose import Watch, diagnose

        cfg = _settings(
            ctx, tenant=tenant, format=fmt, fail_on=fail_on, offline=offline, timeout=timeout, deadline=deadline,
            output=output or [], suppressions=suppressions or [], baseline=baseline, sarif_root=sarif_root, quiet=quiet,
        )  # fmt: skip
        return diagnose(
            customer=customer,
            source=_source(cfg["tenant"]),
            outputs=_outputs(cfg, write_baseline=write_baseline, reply=reply),
            now=_now(now),
            network=_network(
                offline=cfg["offline"],
                nameserver=nameserver,
                record=record,
                replay=replay,
                allow_private=allow_private_network,
                authoritative=authoritative,
                ca_file=ca_file,
            ),
            limits=_limits(cfg["timeout"], cfg["deadline"]),
            fail_on=_status(cfg["fail_on"]),
            selection=_selection(check, skip_check, tag),
            inputs=_inputs(browser, cert_warn_days, cert_fail_days),
            symptom=symptom,
            link=link,
            tz=tz,
            watch=Watch(watch, watch_limit) if watch is not None else None,
        )

    _guard(go, show_secrets=show_secrets)


@app.command()
def audit(
    ctx: typer.Context,
    tenant: TenantOpt = "demo",
    fmt: FormatOpt = "table",
    fail_on: FailOnOpt = "fail",
    offline: OfflineOpt = False,
    check: CheckOpt = None,
    skip_check: SkipOpt = None,
    tag: TagOpt = None,
    now: NowOpt = None,
    timeout: TimeoutOpt = 10.0,
    deadline: DeadlineOpt = 60.0,
    nameserver: NameserverOpt = None,
    record: RecordOpt = None,
    replay: ReplayOpt = None,
    allow_private_network: AllowPrivateOpt = False,
    authoritative: AuthoritativeOpt = False,
    ca_file: CaFileOpt = None,
    cert_warn_days: CertWarnOpt = 30,
    cert_fail_days: CertFailOpt = 7,
    output: OutputOpt = None,
    suppressions: SuppressOpt = None,
    baseline: BaselineOpt = None,
    write_baseline: WriteBaselineOpt = False,
    sarif_root: SarifRootOpt = None,
    quiet: QuietOpt = False,
    shard: Annotated[
        str | None,
        typer.Option("--shard", metavar="I/N", help="Check only shard I of N of the customers (parallel CI jobs)."),
    ] = None,
    list_all: Annotated[
        bool,
        typer.Option(
            "--list-all",
            help=(
                "List every pass and skip one by one. By default a tenant of more than 5,000 customers "
                "and contacts has them counted (skips by check and reason)."
            ),
        ),
    ] = False,
    show_secrets: ShowSecretsOpt = False,
) -> None:
    """Audit every customer of the tenant and summarise."""

    def go() -> int:
        from portaldoctor import shard as shards
        from portaldoctor.commands.audit import audit

        cfg = _settings(
            ctx, tenant=tenant, format=fmt, fail_on=fail_on, offline=offline, timeout=timeout, deadline=deadline,
            output=output or [], suppressions=suppressions or [], baseline=baseline, sarif_root=sarif_root, quiet=quiet,
        )  # fmt: skip
        outputs = _outputs(cfg, write_baseline=write_baseline)
        with contextlib.nullcontext(None) if cfg["quiet"] else _progress() as tick:
            return audit(
                source=_source(cfg["tenant"]),
                outputs=outputs,
                now=_now(now),
                network=_network(
                    offline=cfg["offline"],
                    nameserver=nameserver,
                    record=record,
                    replay=replay,
                    allow_private=allow_private_network,
                    authoritative=authoritative,
                    ca_file=ca_file,
                ),
                limits=_limits(cfg["timeout"], cfg["deadline"]),
                fail_on=_status(cfg["fail_on"]),
                selection=_selection(check, skip_check, tag),
                inputs=_inputs(None, cert_warn_days, cert_fail_days),
                shard=shards.parse(shard) if shard is not None else None,
                list_all=list_all,
                progress=tick,
            )

    _guard(go, show_secrets=show_secrets)


class _progress:
    """A progress bar on stderr, only when stderr is a terminal, gone once every check has run.

    Standard output and error are left alone (rich would otherwise send what is printed while the
    bar is up to the terminal's stderr: ``audit --format json > report.json`` wrote the report to
    the screen and left the file empty). The bar goes before the report is written, so a report
    printed to the same terminal does not meet it.
    """

    def __init__(self) -> None:
        self.bar: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import Progress

        bar = self.bar = Progress(
            console=Console(stderr=True), transient=True, redirect_stdout=False, redirect_stderr=False
        )
        bar.start()
        task = bar.add_task("checking", total=None)

        def tick(n: int, total: int) -> None:
            if self.bar is bar:
                bar.update(task, advance=n, total=total)
                if bar.tasks[0].completed >= total:
                    self.__exit__()

        return tick

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


@checks_app.command("list")
def checks_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every registered check: id, scope, title."""

    def go() -> int:
        from portaldoctor.commands.checks import checks_list

        return checks_list(as_json=as_json, stream=sys.stdout)

    _guard(go)


@app.command()
def explain(
    name: Annotated[str, typer.Argument(metavar="ID-or-CODE", help="A check id or a finding code.")],
    platform: Annotated[str | None, typer.Option("--platform", help="Show only this profile's remedy.")] = None,
    source: Annotated[
        bool,
        typer.Option(
            "--source", help="Print remedy texts as the playbook writes them (Jinja2), not as ‹placeholder› prose."
        ),
    ] = False,
) -> None:
    """Explain a check or a finding code: what it detects and the remedy per platform.

    Remedy texts read as prose: ‹customer name› marks what each finding fills in, [square
    brackets] a part shown only when it applies, and the product is the profile's.
    """

    def go() -> int:
        from portaldoctor.commands.explain import explain

        return explain(name=name, platform=platform, stream=sys.stdout, source=source)

    _guard(go)


@app.command()
def symptoms(
    platform: Annotated[str | None, typer.Option("--platform", help="Only this profile's symptoms.")] = None,
) -> None:
    """List the symptoms customers report and the finding codes that explain each."""

    def go() -> int:
        from portaldoctor.commands.symptoms import symptoms_list

        return symptoms_list(platform=platform, stream=sys.stdout)

    _guard(go)


@app.command()
def dns(
    ctx: typer.Context,
    domains: Annotated[list[str] | None, typer.Argument(metavar="DOMAIN...", help="Domains to verify.")] = None,
    domains_file: Annotated[str | None, typer.Option("--domains-file", help="File with one domain per line.")] = None,
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect", help="YAML/JSON of expected records: a list, or {records: [...], domains: {D: [...]}}."
        ),
    ] = None,
    tenant: Annotated[
        str | None,
        typer.Option("--tenant", "-t", envvar="PORTALDOCTOR_TENANT", help="Take expected records from a tenant."),
    ] = None,
    records: Annotated[
        bool, typer.Option("--records", help="Print the expected records and a zone-file snippet.")
    ] = False,
    fmt: FormatOpt = "table",
    fail_on: FailOnOpt = "fail",
    nameserver: NameserverOpt = None,
    record: RecordOpt = None,
    replay: ReplayOpt = None,
    authoritative: AuthoritativeOpt = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per DNS query.")] = 3.0,
    deadline: DeadlineOpt = 30.0,
    watch: Annotated[
        float | None, typer.Option("--watch", help="Re-check the failing records every N seconds until they pass.")
    ] = None,
    watch_limit: Annotated[float, typer.Option("--watch-limit", help="Stop watching after this many seconds.")] = 600.0,
    output: OutputOpt = None,
    suppressions: SuppressOpt = None,
    baseline: BaselineOpt = None,
    write_baseline: WriteBaselineOpt = False,
    sarif_root: SarifRootOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Verify the DNS records a platform generated, record by record, for one or many domains."""

    def go() -> int:
        from portaldoctor.commands.dns import dns

        cfg = _settings(
            ctx, format=fmt, fail_on=fail_on, output=output or [], suppressions=suppressions or [],
            baseline=baseline, sarif_root=sarif_root, quiet=quiet,
        )  # fmt: skip
        return dns(
            domains=domains or [],
            domains_file=domains_file,
            expect=expect,
            source=_source(tenant) if tenant else None,
            records_only=records,
            network=_network(nameserver=nameserver, record=record, replay=replay, authoritative=authoritative),
            outputs=_outputs(cfg, write_baseline=write_baseline),
            fail_on=_status(cfg["fail_on"]),
            deadline=deadline,
            timeout=timeout,
            watch=watch,
            watch_limit=watch_limit,
        )

    _guard(go)


@app.command()
def catalogue() -> None:
    """Print the catalogue of checks, codes, remedies and symptoms as Markdown."""

    def go() -> int:
        from portaldoctor.commands.catalogue import catalogue

        return catalogue(stream=sys.stdout)

    _guard(go)


@app.command()
def schema() -> None:
    """Print the JSON Schema of tenant files (for editor validation)."""

    def go() -> int:
        from portaldoctor.commands.schema import schema

        return schema(stream=sys.stdout)

    _guard(go)


@playbooks_app.command("lint")
def playbooks_lint() -> None:
    """Check every finding code has a remedy and every template renders with sample evidence."""

    def go() -> int:
        from portaldoctor.commands.playbooks import playbooks_lint

        return playbooks_lint(stream=sys.stdout)

    _guard(go)


@app.command("token")
def token_cmd(
    text: Annotated[str, typer.Argument(metavar="TOKEN-OR-URL", help="A token, or the link that carries one.")],
    key_file: Annotated[
        str | None, typer.Option("--key-file", help="Verify with the key in this file (secret, PEM, JWKS, Fernet).")
    ] = None,
    key_env: Annotated[
        str | None, typer.Option("--key-env", metavar="NAME", help="Verify with the key in this environment variable.")
    ] = None,
    alg: Annotated[
        list[str] | None, typer.Option("--alg", help="JWT algorithm the portal expects (repeatable).")
    ] = None,
    salt: Annotated[str | None, typer.Option("--salt", help="itsdangerous salt, if the app sets its own.")] = None,
    tenant: Annotated[
        str | None, typer.Option("--tenant", "-t", help="Tenant snapshot, for the configured link validity.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Format on stdout: table or json.")] = "table",
    output: Annotated[
        list[str] | None,
        typer.Option(
            "--output", "-o", metavar="FORMAT:PATH", help="Also write table or json to PATH ('-' = stdout; repeatable)."
        ),
    ] = None,
    quiet: QuietOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    show_secrets: ShowSecretsOpt = False,
) -> None:
    """Decode a token or link without any secret; verify its signature with --key-file/--key-env."""

    def go() -> int:
        from portaldoctor.commands.token import FORMATS, token
        from portaldoctor.outputs import Outputs

        return token(
            text=text,
            outputs=Outputs.plan(format=fmt, outputs=output or [], quiet=quiet, color=_color(), formats=FORMATS),
            now=_now(now),
            key_file=key_file,
            key_env=key_env,
            algorithms=alg or (),
            salt=salt,
            source=_source(tenant) if tenant else None,
            tz=tz,
        )

    _guard(go, show_secrets=show_secrets)


@app.command("link")
def link_cmd(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(metavar="URL", help="The link the customer clicked.")],
    tenant: TenantOpt = "demo",
    fmt: FormatOpt = "table",
    fail_on: FailOnOpt = "fail",
    now: NowOpt = None,
    tz: TzOpt = None,
    output: OutputOpt = None,
    suppressions: SuppressOpt = None,
    baseline: BaselineOpt = None,
    write_baseline: WriteBaselineOpt = False,
    sarif_root: SarifRootOpt = None,
    quiet: QuietOpt = False,
    reply: ReplyOpt = False,
    show_secrets: ShowSecretsOpt = False,
) -> None:
    """Find the invitation or link record a URL belongs to and explain why it does not open."""

    def go() -> int:
        from portaldoctor.commands.link import link

        cfg = _settings(
            ctx, tenant=tenant, format=fmt, fail_on=fail_on, output=output or [], suppressions=suppressions or [],
            baseline=baseline, sarif_root=sarif_root, quiet=quiet,
        )  # fmt: skip
        return link(
            url=url,
            source=_source(cfg["tenant"]),
            outputs=_outputs(cfg, write_baseline=write_baseline, reply=reply),
            now=_now(now),
            fail_on=_status(cfg["fail_on"]),
            tz=tz,
        )

    _guard(go, show_secrets=show_secrets)


@config_app.command("show")
def config_show() -> None:
    """Print every setting, its value and where it came from (default, .portaldoctor.yaml, env)."""

    def go() -> int:
        from portaldoctor.commands.config import config_show

        return config_show(stream=sys.stdout)

    _guard(go)


def entry() -> NoReturn:
    """The ``portaldoctor`` command: ``main``, then the process ends without tearing down its heap
    (``heap.run_and_exit``)."""
    from portaldoctor import heap

    heap.run_and_exit(main)


def main() -> int:
    """Run the CLI and return its exit code (``entry`` is the console script)."""
    try:
        app(prog_name="portaldoctor")
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return 0
