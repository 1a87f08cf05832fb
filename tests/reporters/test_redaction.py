"""No token, key or secret appears in full in any format."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portaldoctor.check import Finding, Status
from portaldoctor.playbooks.model import Playbook
from portaldoctor.report import build
from portaldoctor.reporters import Format, render
from tests.factories import NOW
from tests.reporters.conftest import BEN, JWT, JWT_SIGNATURE, LINK, ROOT, sample_report

HEX_KEY = "9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c"
SHORT_TOKEN = "Q7rT9vX2kP4m"  # too short to look machine-made: only its parameter's name gives it away
SHORT_SEGMENT = "Xk29Qz"  # the same, as a path segment: only the segment before it gives it away


def built_report() -> object:
    findings = [
        Finding(
            "link-validity", "link-expired", Status.FAIL, LINK,
            observed=f"https://pay.example/p/{JWT}?sig={HEX_KEY}", expected="a live link",
            evidence={"token": JWT, "key": HEX_KEY, "url": f"https://pay.example/?token={JWT}", "note": f"saw {JWT}"},
        ),
        Finding("contact-email-valid", "bad", Status.ERROR, BEN, reason=f"server rejected {JWT}"),
        Finding(
            "link-validity", "link-not-found", Status.FAIL, BEN,
            evidence={"chat": f"The customer pasted https://pay.example/i?token={SHORT_TOKEN}&lang=en here."},
        ),
    ]  # fmt: skip
    return build(findings, Playbook("generic", "the portal", {}), tenant="T", platform=None, command="audit", now=NOW)


@pytest.mark.parametrize("fmt", list(Format))
def test_no_secret_in_full_after_build(fmt: Format) -> None:
    text = render(built_report(), fmt, root=ROOT)  # type: ignore[arg-type]
    assert JWT not in text and JWT_SIGNATURE not in text
    assert HEX_KEY not in text
    assert SHORT_TOKEN not in text, "a signed link inside a sentence"
    if fmt is not Format.TABLE:  # the terminal report leaves evidence to --format json
        assert "pay.example/i?token=" in text, "the link's host and path stay readable"
    assert "eyJhbG" in text, "the short prefix stays so an agent can tell the token kind"


@pytest.mark.parametrize("fmt", [Format.SARIF, Format.JUNIT, Format.MARKDOWN, Format.HTML])
def test_reporters_redact_even_a_report_that_skipped_build(fmt: Format) -> None:
    text = render(sample_report(), fmt, root=ROOT)
    assert JWT_SIGNATURE not in text


def test_show_secrets_prints_them() -> None:
    from portaldoctor.knowledge.redaction import show_secrets

    with show_secrets():
        text = render(built_report(), Format.MARKDOWN)  # type: ignore[arg-type]
    assert JWT in text


def test_evidence_text_is_redacted_wherever_a_token_sits() -> None:
    from portaldoctor.errors import SourceLocation
    from portaldoctor.knowledge.redaction import redact_evidence

    fernet = "gAAAAAB" + "x" * 60
    evidence = {
        "note": f"clicked {JWT} then {fernet}.",
        "names": ["Ana", f"({JWT})"],
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "none": None,
        "plain": "no secret here: eyJ alone is too short",
        "where": SourceLocation("contacts.csv", 3),
    }
    out = redact_evidence(evidence)
    assert JWT not in str(out) and fernet not in str(out)
    assert out["note"].startswith("clicked eyJhbG…#") and "gAAAAA…#" in out["note"]
    assert out["names"][0] == "Ana" and out["names"][1].startswith("(eyJhbG…#")
    kept = ("count", "ratio", "flag", "none", "plain", "where")
    assert [out[k] for k in kept] == [evidence[k] for k in kept]


def test_a_signed_link_inside_a_sentence_is_redacted() -> None:
    from portaldoctor.knowledge.redaction import redact_evidence

    path_token = "AbCdEf0123456789xyzQ"
    out = redact_evidence(
        {
            "note": f"Customer pasted https://pay.example/i?token={SHORT_TOKEN}&lang=en, then tried again.",
            "aside": f"(see https://pay.example/p/{path_token}).",
            "chat": f"link: http://pay.example/i?code={SHORT_TOKEN}\nthanks",
        }
    )
    assert SHORT_TOKEN not in str(out) and path_token not in str(out)
    assert out["note"].startswith("Customer pasted https://pay.example/i?token=…#")
    assert out["note"].endswith("&lang=en, then tried again."), "the sentence's own comma is not the link's"
    assert out["aside"].startswith("(see https://pay.example/p/AbCdEf…#") and out["aside"].endswith(").")
    assert out["chat"].startswith("link: http://pay.example/i?code=…#") and out["chat"].endswith("\nthanks")


def test_short_secrets_by_their_place_in_a_link() -> None:
    # A short secret gives itself away by where it sits: after a path segment such as /p/ or
    # /reset/, after a secret parameter's name when the parameters are separated by ";", or after
    # "?token=" on the line after its link, where the link was wrapped in the middle of a sentence.
    from portaldoctor.knowledge.redaction import redact_evidence

    out = redact_evidence(
        {
            "path": "https://pay.example/p/Xk29Qa",
            "reset": "https://pay.example/reset/482913/new",
            "words": "https://pay.example/invite/accept?lang=en",
            "semicolons": f"https://pay.example/i?lang=en;token={SHORT_TOKEN};x=1",
            "wrapped": f"see https://pay.example/reset\n?token={SHORT_TOKEN}. Thanks",
            "amp": f"link: https://pay.example/i?lang=en\n&sig={SHORT_TOKEN})",
            "plain": "a=b;c and x?y=1 & code: 42",
            "key_first": "https://pay.example/invitation_token/Xk29Qz",  # the key is redacted too (16 characters)
            "empty": "https://pay.example/reset//482913",
            "value": f"https://pay.example/i?token={SHORT_TOKEN};{SHORT_TOKEN}",  # a ";" of the value's own
            "wrapped_semicolon": f"see https://pay.example/?a=1;token={SHORT_TOKEN}\n;sig={SHORT_TOKEN} ok",
        }
    )
    assert out["path"].startswith("https://pay.example/p/…#") and "Xk29Qa" not in out["path"]
    assert out["reset"].startswith("https://pay.example/reset/…#") and out["reset"].endswith("/new")
    assert out["words"] == "https://pay.example/invite/accept?lang=en", "a segment that reads as a word is kept"
    assert out["semicolons"].startswith("https://pay.example/i?lang=en;token=…#")
    assert out["semicolons"].endswith(";x=1") and SHORT_TOKEN not in out["semicolons"]
    assert out["wrapped"].startswith("see https://pay.example/reset\n?token=…#") and out["wrapped"].endswith(". Thanks")
    assert out["amp"].startswith("link: https://pay.example/i?lang=en\n&sig=…#") and out["amp"].endswith(")")
    assert out["plain"] == "a=b;c and x?y=1 & code: 42"
    assert "Xk29Qz" not in out["key_first"] and "482913" not in out["empty"]
    assert out["value"].startswith("https://pay.example/i?token=Q7rT9v…#") and SHORT_TOKEN not in out["value"]
    assert SHORT_TOKEN not in out["wrapped_semicolon"]
    assert "\n;sig=…#" in out["wrapped_semicolon"] and out["wrapped_semicolon"].endswith(" ok")
    assert redact_evidence(out) == out


def test_secrets_by_name_scheme_and_user() -> None:
    from portaldoctor.knowledge.redaction import redact_evidence

    out = redact_evidence(
        {
            "user": "http://Tk4UsrOnly8Xy@old.example/portal",  # a key alone as the user name
            "names": "https://x.example/?api_key=Ak3Jq8Lm2Np5&pin=739184&access-token=AcT5Gh2Kq9Lm"
            "&X-Amz-Signature=Ab12Cd&refresh_token=Rf5Tk2Lm&keyword=shoes&lang=en",
            "bare": 'Privacy link "pay.northwind.example/privacy?token=PrivTk9Qx2Lm" is not an https:// link',
            "ftp": f"see ftp://files.example/p?token={SHORT_TOKEN}.",
            "lone": f"the link ?token={SHORT_TOKEN} says invalid",
            "claims": {"refresh_token": "Rf5Tk2Lm", "api_key": "Ak3Jq8Lm2Np5", "sub": "C-1001"},
            "sessions": "https://pay.example/?sessionid=Se5Id1&PHPSESSID=Se5Id2 and http://x.example/a;jsessionid=Se5Id3",
            "key_user": "https://sk_live_Se5Id4@api.example/v1",
            "value": "a?token=abc;Se5Id5 ok",
            "bare_key_segment": "see pay.example/p/Xk29Qa?&",
        }
    )
    text = str(out)
    for secret in ("Tk4UsrOnly8Xy", "Ak3Jq8Lm2Np5", "739184", "AcT5Gh2Kq9Lm", "Ab12Cd", "Rf5Tk2Lm", "PrivTk9Qx2Lm"):
        assert secret not in text, secret
    assert SHORT_TOKEN not in text
    assert out["user"].startswith("http://…#") and out["user"].endswith("@old.example/portal")
    assert out["names"].endswith("&keyword=shoes&lang=en")
    assert out["bare"].startswith('Privacy link "pay.northwind.example/privacy?token=…#')
    assert out["ftp"].endswith(".") and out["lone"].endswith(" says invalid")
    assert out["claims"]["sub"] == "C-1001"
    for n in range(1, 6):
        assert f"Se5Id{n}" not in text, n
    assert out["value"].endswith(" ok") and out["bare_key_segment"].startswith("see pay.example/p/…#")
    assert out["bare_key_segment"].endswith("?&")
    assert redact_evidence(out) == out


@pytest.mark.parametrize(
    "text",
    [
        "visit docs.example.com/setup?q=a/b today",
        "https://pay.example/help?session_timeout=30&sort_key=due_date&token_type=Bearer&pin_length=6",
        "https://pay.example/?auth_provider=google&key_id=abc&otp_digits=6",
        "TLSv1.3;cipher=TLS_AES_128_GCM_SHA256;key_exchange=X25519",
        "file not found: acme.example/customer-portal-export-2026.yaml",
        "see app.upflow.io/settings/deliverability-settings or github.com/acme/portaldoctor-playbooks",
        "docs.python.org/3/library/urllib.parse.html",
        "ftp://anonymous@ftp.example.com/pub and sftp://deploy@files.example.com/upload",
        "https://support@pay.example/",
        "email me at a@pay.example/x",
        "version 1.2/3 ok, e.g. example.com? no",
        "curl https://get.example/install.sh\n&& sh install.sh",
        "see https://pay.example/a\n#. ok",
        "see https://pay.example/a\n?(. ok",
        "see https://pay.example/x\n&token ok",
        "https://pay.example/share/report.pdf",
        "https://pay.example/auth/Google",
        "https://pay.example/code/README.md",
        "https://pay.example/invite/accept?lang=en",
        "https://pay.example/i?q=a%3Bb",
        "see https://pay.example/help\n?a=1 for more",
    ],
)
def test_text_without_a_secret_is_left_as_written(text: str) -> None:
    # A next line joins a link only when it goes on with its parameters or hash route, and even then
    # it is given back as written when nothing in it is secret; a segment after /p/, /auth/ or
    # /share/ that reads as a word or a file name stays.
    from portaldoctor.knowledge.redaction import redact_evidence

    assert redact_evidence(text) == text


@pytest.mark.parametrize(
    "value",
    [
        JWT,
        f"https://pay.example/?token={JWT}&lang=en",
        f"https://pay.example/p/{JWT}?sig={HEX_KEY}",
        f"https://pay.example/i?token={SHORT_TOKEN}",
        f"clicked {JWT}, then https://pay.example/i?t={SHORT_TOKEN}.",
        "https://pay.example/i?q=a%2Fb&empty=&plus=a+b#top",
        f"https://pay.example/i?next=eyJhbG…#3f9a2c&token={SHORT_TOKEN}",  # a "…#" of its own hides nothing
        f"https://pay.example/i?a=…#&token={SHORT_TOKEN}",
        f"https://pay.example/cb#access_token={SHORT_TOKEN}&state=1",
        f"https://pay.example/i?token={SHORT_TOKEN}\nAbCdEfGh",  # wrapped over two lines, as emails do
        f"https://app.example/#/reset?token={SHORT_TOKEN}",  # a hash route
        f"https://pay.example/confirm?{JWT}",  # the token is the whole query
        f"https://pay.example/reset/u:{JWT}",
        f"Links: https://pay.example/i?token={SHORT_TOKEN},https://pay.example/i?t={SHORT_TOKEN}.",
        "https://pay.example/i?sig=Ab%2BcdEfGhIjKlMnOpQrStUv%3D",  # a kept prefix must read the same twice
        f"HTTPS://PAY.EXAMPLE/i?token={SHORT_TOKEN}",
        f"https://pay.example/?h=Bearer%20{JWT}",  # a token inside a plain parameter's value
        f"https://user:{SHORT_TOKEN}@pay.example/p",
        "https://app.example/#/reset/AbCdEf0123456789xyzQ?lang=en",
        f"https://pay.example/?x=1\nhttps://pay.example/?token={SHORT_TOKEN}",
        f"https://pay.example/i?lang=en;token={SHORT_TOKEN};{JWT}",
        f"see https://pay.example/reset\n?token={SHORT_TOKEN}&lang=en.",
        f"https://app.example/#/p/{SHORT_TOKEN}",
    ],
)
def test_redacting_twice_gives_what_redacting_once_gave(value: str) -> None:
    # Reporters redact free text again after report.build did; a second pass must not re-hash the
    # fingerprint, nor read its "#" as the start of a URL fragment.
    from portaldoctor.knowledge.redaction import redact_evidence, redact_token

    once = redact_evidence(value)
    assert once != value or "q=a%2Fb" in value
    assert SHORT_TOKEN not in once and JWT not in once and HEX_KEY not in once
    assert "AbCdEfGh" not in once and "cdEfGh" not in once and "0123456789xyzQ" not in once
    assert redact_evidence(once) == once
    assert redact_token(redact_token(JWT)) == redact_token(JWT)
    if "a=…#&" not in value:  # a plain value's own ellipsis is quoted like any other character
        assert "%E2%80%A6" not in once, "the ellipsis of a redacted query value is not percent-encoded"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("see http://[::1]. ok", "see http://[::1]. ok"),  # the "]" belongs to the link, the "." does not
        ("see (https://en.example/Page_(x)) ok", "see (https://en.example/Page_(x)) ok"),
        ("note: https://pay.example/?a=\udcff", "note: https…#"),  # not a URL to urllib: redacted whole, no crash
        ("https://pay.example/p#a=\udcff", "https…#"),
        ("https://pay.example/p/a…#deadbeefcafebabe00112233", "https://pay.example/p/a…#deadbe…#"),
    ],
)
def test_odd_links_in_text_neither_crash_nor_lose_their_brackets(text: str, kept: str) -> None:
    from portaldoctor.knowledge.redaction import redact_evidence

    once = redact_evidence(text)
    assert once.startswith(kept) and redact_evidence(once) == once
    assert "deadbeefcafebabe" not in once


def test_a_text_full_of_token_starts_is_read_once() -> None:
    # "eyJ" at every third character made the token pattern retry from each one: quadratic, so
    # 20,000 of them took 16 s and 120,000 would take many minutes. Each is a word's inside now, so none
    # starts a token, and the text is read once (milliseconds; the limit is generous for slow hosts).
    import subprocess
    import sys

    code = "from portaldoctor.knowledge.redaction import redact_evidence as r; t = 'eyJ' * 120_000; assert r(t) == t"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=10)
    from portaldoctor.knowledge.redaction import redact_evidence

    assert redact_evidence(f"Bearer%20{JWT}").startswith("Bearer%20eyJhbG…#")
    assert redact_evidence(f"token:{JWT}").startswith("token:eyJhbG…#")


_LONG_SECRETS = [
    JWT,
    HEX_KEY,
    "Bearer%20" + JWT,
    "gAAAAAB" + "x" * 44,
    "AbCdEf0123456789xyzQ",
    "Ab%2BcdEfGhIjKlMnOpQrStUv%3D",
]
_PLAIN = ["en", "1", "a+b", "a%2Fb", "home", "x%20y", "é", "…", "%E2%80%A6", "eyJ", ""]


@st.composite
def _link(draw: st.DrawFn) -> str:
    # Long, machine-made secrets anywhere; a short one only where its parameter's name gives it away.
    anywhere = st.sampled_from(_LONG_SECRETS + _PLAIN)
    scheme = draw(st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", ""]))  # "": the host alone
    hosts = ["pay.example", "pay.example:8443"] + (["user:pw@pay.example", "[::1]"] if scheme else [])
    url = scheme + draw(st.sampled_from(hosts))
    short = st.sampled_from(["p/" + SHORT_SEGMENT, "reset/" + SHORT_SEGMENT, "invite/accept"])
    if not scheme:  # without a scheme it may be a file's path: a long segment stays unless token-shaped
        anywhere = st.sampled_from([JWT, "gAAAAAB" + "x" * 44, *_PLAIN])
    url += "".join("/" + draw(st.one_of(anywhere, short)) for _ in range(draw(st.integers(0, 3))))
    secret = st.tuples(
        st.sampled_from(["token", "t", "sig", "access_token"]), st.sampled_from([SHORT_TOKEN, *_LONG_SECRETS])
    )
    params = st.one_of(secret, st.tuples(st.sampled_from(["next", "q", "lang"]), anywhere))
    pairs = [draw(params) for _ in range(draw(st.integers(0, 3)))]
    if pairs or draw(st.booleans()):
        url += "?" + draw(st.sampled_from("&;")).join(f"{name}={value}" for name, value in pairs)
    fragment = draw(
        st.sampled_from(["", "#top", "#/reset/", "#/home?token=" + SHORT_TOKEN, "#access_token=" + SHORT_TOKEN])
    )
    return url + fragment + (draw(anywhere) if fragment in ("#/reset/",) else "")


@st.composite
def _text_with_links(draw: st.DrawFn) -> str:
    joins = st.sampled_from([" ", "\n", ", ", " (", ") ", ". ", "see "])
    text = draw(st.sampled_from(["", "see ", "Customer pasted "]))
    for _ in range(draw(st.integers(1, 3))):
        link = draw(_link())
        if draw(st.booleans()):  # wrapped before a parameter, as mail clients do
            mark = draw(st.sampled_from("?&;"))
            link = link.replace(mark, "\n" + mark, 1)
        text += link + draw(joins)
    return text + draw(st.sampled_from(["", ".", ")", " then tried again."]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text_with_links())
def test_redacting_links_in_text_hides_their_secrets_and_is_stable(text: str) -> None:
    # Reporters redact again what report.build redacted: once redacted, a text must read the same
    # the second time, and no secret of a link may remain.
    from portaldoctor.knowledge.redaction import redact_evidence

    once = redact_evidence(text)
    assert redact_evidence(once) == once, (text, once)
    for secret in (JWT, SHORT_TOKEN, SHORT_SEGMENT, HEX_KEY, "x" * 44, "0123456789xyzQ", "EfGhIjKlMnOpQrStUv"):
        assert secret not in once, (text, once)
    assert "\ue000" not in once and "%EE%80%80" not in once


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"htps:/?&=#…%+ .,()[]@eyJ\udcff\ud800\n", SHORT_TOKEN]), max_size=60).map("".join))
def test_redaction_never_raises_on_any_text(text: str) -> None:
    from portaldoctor.knowledge.redaction import redact_evidence

    assert isinstance(redact_evidence(text), str)


def test_a_symptom_is_redacted_in_the_report_and_shown_on_request() -> None:
    # The customer's own words may hold the link they clicked; the JSON report keeps them in its scope.
    import json

    from tests.test_cli import NOW, pd

    words = f"the link https://pay.northwind.example/reset\n?token={SHORT_TOKEN} says invalid"
    args = ("diagnose", "Bluebird Logistics", "--tenant", "demo", "--offline", "--now", NOW, "--format", "json")
    hidden, shown = pd(*args, "--symptom", words), pd(*args, "--symptom", words, "--show-secrets")
    text = json.loads(hidden.stdout)["scope"]["symptom"]["text"]
    assert (
        text.startswith("the link https://pay.northwind.example/reset\n?token=…#") and SHORT_TOKEN not in hidden.stdout
    )
    assert json.loads(shown.stdout)["scope"]["symptom"]["text"] == words


def test_audit_shows_secrets_only_on_request() -> None:
    from tests.test_cli import NOW, pd

    args = ("audit", "--tenant", "demo", "--offline", "--now", NOW, "--format", "json")
    hidden, shown = pd(*args), pd(*args, "--show-secrets")
    secret = "xDg700c4CfDYZp6t8KeUWDWZdCuAAt9V"  # a demo link's token, found by a customer-level check
    assert "p/xDg700…#" in hidden.stdout and secret not in hidden.stdout
    assert f"p/{secret}" in shown.stdout and "…#" not in shown.stdout


def test_messages_on_stderr_are_redacted_unless_asked() -> None:
    # An error may quote what it was given (a link pasted where the customer goes), and the note for a
    # symptom that matches nothing quotes the customer's words.
    from tests.test_cli import NOW, pd

    link = f"https://pay.northwind.example/p?token={SHORT_TOKEN}"
    error, shown = pd("diagnose", link, "--offline"), pd("diagnose", link, "--offline", "--show-secrets")
    assert error.returncode == shown.returncode == 2
    assert error.stderr.startswith("portaldoctor: error: field 'CUSTOMER': no customer matches 'https://")
    assert "token=…#" in error.stderr and SHORT_TOKEN not in error.stderr
    assert link in shown.stderr
    note = pd("diagnose", "C-1001", "--offline", "--now", NOW, "--symptom", f"zzqx {link}", "--format", "json")
    assert "no known symptom matches 'zzqx https://pay.northwind.example/p?token=…#" in note.stderr
    assert SHORT_TOKEN not in note.stderr + note.stdout
