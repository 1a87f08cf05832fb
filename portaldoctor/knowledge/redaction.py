"""Redaction of tokens, signatures and keys in everything the tool prints (off with --show-secrets)."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

__all__ = [
    "fingerprint",
    "redact_evidence",
    "redact_token",
    "redact_url",
    "scrub",
    "secrets_shown",
    "show_secrets",
]

PREFIX = 6
"""Characters of a secret kept in the clear: enough to tell a JWT (``eyJhbG``) from a Fernet token."""

_shown: ContextVar[bool] = ContextVar("portaldoctor_show_secrets", default=False)

# Query parameters whose value is a credential whatever it looks like.
SECRET_PARAMS = frozenset(
    {
        "token",
        "t",
        "tok",
        "invitation_token",
        "reset_token",
        "access_token",
        "id_token",
        "jwt",
        "key",
        "code",
        "signature",
        "sig",
        "sgid",
        "signed_id",
        "secret",
        "password",
        "auth",
        "hash",
    }
)
SECRET_KEYS = frozenset(
    {"token", "raw", "signature", "secret", "key", "password", "jwt"}
    | {"access_token", "refresh_token", "id_token", "api_key", "apikey", "client_secret", "private_key", "otp"}
)
"""Evidence keys whose string values are always redacted."""

# Other parameter names that say their value is a credential, by their last word: refresh_token,
# X-Amz-Signature, client_secret, user_pin, api_key (a key after api, access, secret, private, client
# or signing), session ids. Not token_type, session_timeout, key_id or keyword.
_SECRET_NAME = re.compile(
    r"(?:^|[_.-])(?:(?:token|secret|signature|sig|password|passwd|pwd|pin|otp|jwt|apikey|credential)s?"
    r"|(?:api|access|secret|private|client|signing)[_.-]?key|j?session[_.-]?id|phpsessid|sid)$",
    re.IGNORECASE,
)
# A key used alone as a link's user name (https://sk_live_…@api.example/): a known key prefix, or
# letters and digits mixed over 12 characters or more; not "anonymous", "deploy" or "support".
_KEY_USER = re.compile(
    r"(?:sk|pk|rk)_(?:live|test)_|gh[pousr]_|github_pat_|xox[abprs]-|AKIA|(?=.*[0-9])(?=.*[A-Za-z]).{12,}"
)
# A path segment or value that looks machine-made: long, no spaces, mixed alphabet.
_RANDOMISH = re.compile(r"^[A-Za-z0-9_\-.~=+/%]{16,}$")
# Path segments after which the next one is a credential even when short: "/p/Xk29Qa", "/reset/482913".
SECRET_SEGMENTS = SECRET_PARAMS | {
    "p", "tokens", "invite", "invites", "invitation", "invitations", "reset", "reset-password",
    "reset_password", "activate", "activation", "verify", "verification", "confirm", "confirmation", "magic",
    "magic-link", "otp", "pin", "share",
}  # fmt: skip
# ... unless it reads as a word or a file name ("/invite/accept", "/reset/new-password", "/auth/Google",
# "/code/README.md") or is too short to be one.
_WORD = re.compile(r"(?:[A-Z]?[a-z]+|[A-Z]+)(?:[-_.](?:[A-Z]?[a-z]+|[A-Z]+))*")
_SHORT_SECRET = 6
# A JWT or Fernet token in text. It starts where a word starts (or after a %XX escape), and its
# runs never give back characters: a long text with "eyJ" everywhere is scanned once, not once per
# "eyJ".
_TOKENISH = re.compile(
    r"(?:(?<![A-Za-z0-9_\-])|(?<=%[0-9A-Fa-f][0-9A-Fa-f]))"
    r"(?:eyJ[A-Za-z0-9_\-]{8,}+(?:\.[A-Za-z0-9_\-]*+){1,4}|gAAAAA[A-Za-z0-9_\-=]{40,}+)"
)
# What redact_token leaves: at most PREFIX characters that read the same in a URL, an ellipsis and
# a fingerprint. Inside a URL being redacted again, its "#" stands in as _HELD, so that it is not
# read as a fragment's start.
_SAFE_PREFIX = re.compile(r"[A-Za-z0-9_.~\-]*")
_HELD = "\ue000"
_REDACTED = re.compile(rf"[A-Za-z0-9_.~\-]{{0,{PREFIX}}}…[#{_HELD}][0-9a-f]{{6}}")
_REDACTED_IN_URL = re.compile(r"…#(?=[0-9a-f]{6}(?![0-9A-Za-z_\-]))")
# In free text: a link, up to white space, a character that cannot end one in prose, or the next link
# ("https://a/?t=1,https://b/"); a line break goes with it when the next line goes on with its
# parameters or hash route ("https://pay.example/reset\n?token=…", as mail clients wrap long links).
# The same without its scheme ("pay.example/privacy?token=…"), and a secret parameter outside any
# link after "?" or "&" ("?token=…"), its value perhaps redacted before ("…#").
_SCHEMES = r"(?:https?|ftps?|sftp|wss?)://"
_HOST = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?::[0-9]{1,5})?"
_LINK_BODY = rf"(?:(?!{_SCHEMES})[^\s<>\"'`]|\r?\n(?=[?&;#]+(?:[\w.~%-]+=|/)))+"
_IN_TEXT = re.compile(
    rf"(?P<url>(?:https?://|(?<![\w+.-])(?:ftps?|sftp|wss?)://){_LINK_BODY})"
    rf"|(?P<bare>(?<![\w@.:/%#…-]){_HOST}(?:/|(?=[?#]|\r?\n[?&;#])){_LINK_BODY})"
    r"|(?<=[?&])(?P<name>[\w.-]{1,64})=(?P<value>(?:…#|[^\s&;<>\"'`#])+(?:;[^\s&;=<>\"'`#]+)*)",
    re.IGNORECASE,
)
_LINE_BREAK = re.compile(r"(\r?\n)")
_BARE_REST = re.compile(r"[?\r\n]|(?<!…)#|#(?![0-9a-f]{6}(?![0-9A-Za-z_\-]))")
_URL_TAIL = ".,;:!?)]}"
_OPENS = {")": "(", "]": "[", "}": "{"}
# Where the next link of a value of links starts: at a scheme, or at a line that starts with a host.
_NEXT_URL = re.compile(rf"(?={_SCHEMES})|(?<=\n)(?={_HOST}[/?#])", re.IGNORECASE)


def secrets_shown() -> bool:
    """True inside ``show_secrets(True)``: redaction is off."""
    return _shown.get()


@contextlib.contextmanager
def show_secrets(enabled: bool = True) -> Iterator[None]:
    """Turn redaction off (``--show-secrets``) for the duration of the block."""
    reset = _shown.set(enabled)
    try:
        yield
    finally:
        _shown.reset(reset)


def fingerprint(secret: str | bytes, length: int = 6) -> str:
    """First hex digits of the SHA-256 of a secret: stable, safe to print and to store."""
    if isinstance(secret, str):
        try:
            data = secret.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate that surrogateescape has no byte for
            data = secret.encode("utf-8", "surrogatepass")
    else:
        data = secret
    return hashlib.sha256(data).hexdigest()[:length]


def redact_token(text: str) -> str:
    """``eyJhbGciOi…`` becomes ``eyJhbG…#3f9a2c``; short secrets keep no prefix at all."""
    if secrets_shown() or not text or _is_redacted(text):
        return text  # redacting twice gives what redacting once gave
    keep = PREFIX if len(text) >= 3 * PREFIX else 0
    prefix = _SAFE_PREFIX.match(text, 0, keep).group(0) if keep else ""  # type: ignore[union-attr]
    return f"{prefix}…#{fingerprint(text)}"


def _is_redacted(text: str) -> bool:
    """True for what ``redact_token`` returns."""
    return "…" in text and _REDACTED.fullmatch(text) is not None


def _secret_name(name: str) -> bool:
    return name.lower() in SECRET_PARAMS or _SECRET_NAME.search(name) is not None


def _looks_secret(name: str, value: str) -> bool:
    return _secret_name(name) or bool(_RANDOMISH.match(value))


def redact_url(url: str) -> str:
    """A URL with token-like query values and path segments redacted; host and path kept.

    Redacting a redacted URL again gives it back unchanged.
    """
    if secrets_shown() or not url:
        return url
    held = "…#" in url
    if held:  # redacted before: the fingerprints' "#" must not start a fragment
        url = _REDACTED_IN_URL.sub("…" + _HELD, url)
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:  # https://user:password@host/, or a key alone as the user: https://sk_live_…@host/
            userinfo, _, host = netloc.rpartition("@")
            user, colon, password = userinfo.partition(":")
            if password:
                netloc = f"{user}:{redact_token(password)}@{host}"
            elif user and (_RANDOMISH.match(user) or _KEY_USER.match(user)):
                netloc = f"{redact_token(user)}{colon}@{host}"
        query = _redact_query(parts.query)
        frag = parts.fragment
        route, mark, params = frag.partition("?")
        if mark and "=" not in route:  # a hash route: "#/reset/<token>?lang=en", "#/reset?token=…"
            frag = f"{_redact_path(route)}?{_redact_query(params)}"
        elif "=" in frag:  # parameters in the fragment, as in "#access_token=…"
            frag = _redact_query(frag)
        else:
            frag = _redact_path(frag)
        out = urlunsplit((parts.scheme, netloc, _redact_path(parts.path), query, frag))
    except (ValueError, UnicodeError):  # not a URL after all (an unclosed "[", a lone surrogate)
        return redact_token(url.replace(_HELD, "#"))
    return out.replace(_HELD, "#") if held else out


def _redact_path(path: str, machine_made: bool = True) -> str:
    """Machine-made segments redacted (unless ``machine_made`` is false: a link without its scheme
    may be a file's path), any segment that follows one of ``SECRET_SEGMENTS`` unless it reads as
    a word or is shorter than a credential, and secret path parameters ("/a;jsessionid=…")."""
    out: list[str] = []
    after_key = False
    for seg in path.split("/"):
        if not seg:  # "/reset//482913"
            out.append(seg)
            continue
        params = ""
        if ";" in seg and "=" in seg:
            seg, _, rest = seg.partition(";")
            params = ";" + ";".join(_path_param(param) for param in rest.split(";"))
        key = seg.lower() in SECRET_SEGMENTS  # before it is redacted: "/invitation_token/Xk29Qz"
        if (machine_made and _RANDOMISH.match(seg)) or (
            after_key and len(seg) >= _SHORT_SECRET and "…" not in seg and not _WORD.fullmatch(seg)
        ):  # "…": redacted before (whole, or a part of it that reads "…#" as a fragment no more)
            seg = redact_token(seg)
        out.append(seg + params)
        after_key = key
    return "/".join(out)


def _path_param(param: str) -> str:
    name, eq, value = param.partition("=")
    return f"{name}={redact_token(value)}" if eq and value and _secret_name(name) else param


def _redact_query(query: str) -> str:
    if ";" in query:  # "a=1;token=…": parameters separated by semicolons, an older convention
        return "&".join(filter(None, (_semicolons(piece) for piece in query.split("&"))))
    return _params(query)


def _params(query: str) -> str:
    return "&".join(_param(k, v) for k, v in parse_qsl(query, keep_blank_values=True))


def _semicolons(piece: str) -> str:
    """One "&" piece of a query, its ";"-separated parameters redacted one by one. A part without
    "=" belongs to the value before it: in "token=abc;def" the ";" is the value's own."""
    groups: list[str] = []
    for part in piece.split(";"):
        if "=" in part or not groups:
            groups.append(part)
        else:
            groups[-1] += ";" + part
    return ";".join(_params(group) for group in groups)


def _param(name: str, value: str) -> str:
    if not value and (_RANDOMISH.match(name) or _is_redacted(name)):
        return redact_token(name)  # a token that is the whole query: "?eyJhbGciOi…"
    return f"{_quoted(_tokens(name))}={_query_value(name, value)}"


def _query_value(name: str, value: str) -> str:
    """A query value, redacted if secret, quoted otherwise: with what is secret inside it redacted
    first, as in any text (a link to return to, "?next=https://pay.example/i?token=…")."""
    if not value:
        return value
    if _looks_secret(name, value) or _is_redacted(value):
        return redact_token(value)
    return _quoted(_redact_text(value))


def _quoted(text: str) -> str:
    """Percent-encoded, but for redacted values in it, which go in as they are (quoted, their
    ellipsis would read %E2%80%A6 and their "#" would start a fragment on the next reading)."""
    if "…" not in text:
        return quote(text, safe="")
    out, last = [], 0
    for match in _REDACTED.finditer(text):
        out += [quote(text[last : match.start()], safe=""), match.group(0)]
        last = match.end()
    return "".join(out) + quote(text[last:], safe="")


def _tokens(text: str) -> str:
    """JWT- and Fernet-shaped tokens in a text redacted (``_TOKENISH``)."""
    if "eyJ" not in text and "gAAAAA" not in text:  # every match starts so; most text has neither
        return text
    return _TOKENISH.sub(lambda m: redact_token(m.group(0)), text)


def _redact_link(url: str, by_line: bool = False) -> str:
    """A link taken from text, redacted, with the punctuation that ends its sentence left as it is.

    ``by_line``: a link from a sentence, whose line breaks are each followed by the rest of its
    parameters or hash route (``_IN_TEXT``); each line is redacted on its own and the breaks stay.
    Otherwise the link is redacted whole, line breaks and all."""
    end = _link_end(url)
    body = url[:end]
    if not by_line or "\n" not in body:
        return redact_url(body) + url[end:]
    head, brk, rest = _LINE_BREAK.split(body, maxsplit=1)
    return redact_url(head) + brk + _redact_rest(rest) + url[end:]


def _link_end(url: str) -> int:
    """Where a link taken from text ends: before the punctuation that ends its sentence."""
    end = len(url)
    opened = {close: url.count(open_) for close, open_ in _OPENS.items()}
    closed = {close: url.count(close) for close in _OPENS}
    while end and (url[end - 1] in _URL_TAIL or url[end - 1].isspace()):  # "see https://x/y?t=abc."
        last = url[end - 1]
        if last in _OPENS:
            if opened[last] >= closed[last]:
                break  # it closes a bracket the link opened: http://[::1]/, a wiki's /Page_(x)
            closed[last] -= 1
        end -= 1
    return end


def _redact_rest(rest: str) -> str:
    """What follows a link's host or path: lines that each go on with its parameters or hash route
    (``_redact_tail``), the line breaks between them kept."""
    pieces = _LINE_BREAK.split(rest)  # [line, break, line, …]
    return "".join(_redact_tail(piece) if i % 2 == 0 and piece else piece for i, piece in enumerate(pieces))


def _redact_tail(tail: str) -> str:
    """The rest of a wrapped link, a line that goes on with its parameters ("?", "&", ";") or hash
    route ("#"), redacted as a link's would be (read as the rest of a stand-in link, then taken off
    it); as written when nothing in it is secret."""
    lead = tail[0] if tail[0] in "&;" else ""
    stand_in = "http://x?" if lead else "http://x"
    out = redact_url(stand_in + tail[len(lead) :])
    if not out.startswith(stand_in):  # not a link's part after all (a lone surrogate): redacted whole
        return redact_token(tail)
    return lead + out[len(stand_in) :] if "…#" in out else tail


def _whole_value(value: str) -> str:
    """A value of links alone: each redacted whole, line breaks included (a link wrapped over two
    lines keeps its token whole), up to the next link."""
    return "".join(
        _redact_link(piece) if "://" in piece[:8] else _IN_TEXT.sub(_in_text, piece)
        for piece in _NEXT_URL.split(value)
        if piece
    )


def _redact_text(value: str) -> str:
    link = "://" in value
    if link and value[:8].lower().startswith(("http://", "https://")) and " " not in value and "\t" not in value:
        value = _whole_value(value)  # links, perhaps wrapped over lines, and nothing else
    elif link or ("/" in value and "." in value) or ("=" in value and any(m in value for m in "?&;#")):
        value = _IN_TEXT.sub(_in_text, value)  # links in a sentence, with their scheme or without
    return _tokens(value)


def _in_text(match: re.Match[str]) -> str:
    """One match of ``_IN_TEXT``, redacted."""
    if match.group("url") is not None:
        return _redact_link(match.group("url"), by_line=True)
    bare = match.group("bare")
    if bare is not None:
        return _redact_bare(bare)
    name, value = match.group("name"), match.group("value")
    if not _secret_name(name):
        return match.group(0)
    end = len(value.rstrip(_URL_TAIL))
    return f"{name}={redact_token(value[:end])}{value[end:]}"


def _redact_bare(link: str) -> str:
    """A link without its scheme ("pay.example/privacy?token=…"), which may as well be a file's
    path: its path keeps its long segments (only a segment after ``SECRET_SEGMENTS`` goes), and
    its parameters and fragment are redacted as a link's, given back as written when nothing in
    them is secret."""
    end = _link_end(link)
    body, after = link[:end], link[end:]
    found = _BARE_REST.search(body)  # a redacted value's "…#" is not a fragment
    cut = found.start() if found else len(body)
    path, rest = body[:cut], body[cut:]
    host, slash, segments = path.partition("/")
    if slash:
        path = f"{host}/{_redact_path(segments, machine_made=False)}"
    return path + _redact_rest(rest) + after


def redact_evidence(value: Any, *, key: str | None = None) -> Any:
    """Walk dicts, lists and tuples; redact secrets by key name, URLs and token-shaped strings."""
    if secrets_shown():
        return value
    return _redact(value, key)


def _redact(value: Any, key: str | None) -> Any:
    """``redact_evidence`` once redaction is known to be on (asked once per value, not per item)."""
    if isinstance(value, str):
        if key is not None and key.lower() in SECRET_KEYS:
            return redact_token(value)
        return _redact_text(value)
    if value is None or isinstance(value, int | float):  # before the Mapping test, which is slow for them
        return value
    if type(value) is dict or type(value) is MappingProxyType:
        # Evidence, by the ten thousand in an audit: its text values are handled here, without a
        # call each (the same tests as above).
        out = {}
        for k, v in value.items():
            name = str(k)
            if type(v) is str:
                out[k] = redact_token(v) if name.lower() in SECRET_KEYS else _redact_text(v)
            else:
                out[k] = _redact(v, name)
        return out
    if isinstance(value, Mapping):
        return {k: _redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        redacted = (_redact(v, key) for v in value)
        make = getattr(value, "_make", None)  # a named tuple is built from its fields, not an iterable
        return make(redacted) if make is not None else type(value)(redacted)
    return value


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Last line of defence: replace every known secret left in rendered output."""
    if secrets_shown():
        return text
    for secret in sorted({s for s in secrets if s and len(s) >= 8}, key=len, reverse=True):
        text = text.replace(secret, redact_token(secret))
        quoted = quote(secret, safe="")
        if quoted != secret:
            text = text.replace(quoted, redact_token(secret))
    return text
