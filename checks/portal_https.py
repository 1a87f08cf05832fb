"""HTTPS on the portal host: certificate, trust, TLS version, HSTS, http:// redirect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Subject, Target, error, fail, skip, warn

WEAK_RSA_BITS = 2048
WEAK_EC_BITS = 256
WEAK_HASHES = frozenset({"md5", "sha1"})
CODES = (
    "cert-expired",
    "cert-not-yet-valid",
    "cert-expires-soon",
    "cert-hostname-mismatch",
    "cert-self-signed",
    "cert-chain-incomplete",
    "cert-untrusted",
    "cert-weak-key",
    "cert-weak-signature",
    "tls-version-old",
    "hsts-missing",
    "http-no-redirect",
    "https-unreachable",
)


def _cert(leaf: Any) -> dict[str, Any]:
    if leaf is None:
        return {"certificate": "none presented"}
    return {
        "certificate": (
            f"subject {leaf.subject}; SANs {', '.join(leaf.sans) or 'none'}; issuer {leaf.issuer}; "
            f"valid {leaf.not_before[:10]} to {leaf.not_after[:10]}"
        )
    }


class PortalHttps:
    """The portal host must serve a trusted, current certificate over modern TLS.

    The host customers open (``organisation.portal.host``) is probed like a browser would:
    the certificate must be trusted, within its dates (warning 30 days before expiry, failure 7
    days before, configurable), issued for the host (a wildcard covers one label), not
    self-signed, sent with its intermediate certificate, with a strong key and signature, over
    TLS 1.2 or newer. HSTS should be present and ``http://`` should redirect to ``https://`` on
    the same host. When a certificate fails, the one presented is described. Hosts resolving to
    private addresses are refused unless ``--allow-private-network``.

    Passes::

        organisation: {portal: {host: pay.acme.example}}
        # pay.acme.example presents a valid certificate from a trusted authority, sends HSTS
        # and redirects http:// to https://pay.acme.example/

    Fails (``cert-expired``)::

        organisation: {portal: {host: pay.acme.example}}
        # pay.acme.example presents a certificate that expired 1 day ago

    Warns (``cert-expires-soon``, with ``--cert-warn-days 30``)::

        organisation: {portal: {host: pay.acme.example}}
        # pay.acme.example presents a certificate that expires in 20 days

    Fails (``cert-chain-incomplete``)::

        organisation: {portal: {host: pay.acme.example}}
        # pay.acme.example presents its certificate without its intermediate certificate
    """

    spec = CheckSpec(
        id="portal-https",
        title="The portal host serves a trusted, current certificate over modern TLS",
        scope=Scope.ORG,
        codes=CODES,
        network=True,
        tags=("https", "tls", "it"),
        samples={
            code: {
                "host": "pay.acme.example",
                "certificate": (
                    "subject CN=pay.acme.example; SANs pay.acme.example; issuer CN=R3; valid 2026-01-01 to 2026-12-01"
                ),
                "days": 5,
                "not_after": "2026-11-27",
                "not_before": "2026-12-01",
                "warn_days": 30,
                "fail_days": 7,
                "sans": ["www.acme.example"],
                "message": "unable to get local issuer certificate",
                "bits": 1024,
                "key_type": "RSA",
                "hash": "sha1",
                "version": "TLSv1.1",
                "status": "301",
                "redirect_to": "https://other.example/",
                "failure": "connection refused",
            }
            for code in CODES
        },
    )

    async def run(self, ctx: CheckContext, target: Target) -> list[Outcome]:
        from portaldoctor.probes.tlsprobe import TlsObservation, hostname_matches, observe

        host = ctx.org.portal.host
        if not host:
            return [skip(self.spec.id, "the tenant names no portal host")]
        probes = ctx.probes
        if probes is None:
            return [skip(self.spec.id, "no network probe in this run")]
        key = f"tls/{host.lower()}"
        subject = Subject("host", host, host)
        if probes.replaying:
            saved = probes.recording.observations.get(key)
            if saved is None:
                return [skip(self.spec.id, f"no recorded observation of {host}")]
            obs = TlsObservation.from_dict(saved)
        else:
            address = probes.connect_to.get(host)
            if not probes.allow_private_network:
                import asyncio

                from portaldoctor.probes.netguard import vet

                vetted, reason = await asyncio.to_thread(vet, address or host)
                if reason:
                    return [skip(self.spec.id, f"refused: {reason} (use --allow-private-network to probe it)")]
                address = vetted or address  # connect where we looked, not to a second answer
            obs = await observe(
                host,
                address=address,
                https_port=probes.https_port,
                http_port=probes.http_port,
                cafile=probes.ca_file,
                timeout=probes.tls_timeout,
            )
            probes.recording.observations[key] = obs.to_dict()
        return self.judge(
            obs,
            ctx.now,
            subject,
            ctx.inputs.cert_warn_days,
            ctx.inputs.cert_fail_days,
            hostname_matches,
        )

    def judge(
        self, obs: Any, now: dt.datetime, subject: Subject, warn_days: int, fail_days: int, matches: Any
    ) -> list[Outcome]:
        """Verdicts for one observation (pure, so replayed evidence gives the same answer)."""
        host = obs.host
        if obs.status != "ok":
            return [
                error(
                    "https-unreachable",
                    obs.detail or obs.status,
                    subject=subject,
                    host=host,
                    failure=obs.detail or obs.status,
                )
            ]
        out: list[Outcome] = []
        leaf = obs.leaf
        cert = _cert(leaf)
        base = {"subject": subject, "host": host, **cert}
        if leaf is not None:
            not_after = dt.datetime.fromisoformat(leaf.not_after)
            not_before = dt.datetime.fromisoformat(leaf.not_before)
            days = (not_after - now).days
            if not_after <= now:
                out.append(
                    fail(
                        "cert-expired",
                        observed=leaf.not_after[:10],
                        expected="a current certificate",
                        not_after=leaf.not_after[:10],
                        days=-days,
                        **base,
                    )
                )
            elif not_before > now:
                out.append(
                    fail(
                        "cert-not-yet-valid",
                        observed=leaf.not_before[:10],
                        expected="valid now",
                        not_before=leaf.not_before[:10],
                        **base,
                    )
                )
            elif days <= warn_days:
                status = fail if days <= fail_days else warn
                out.append(
                    status(
                        "cert-expires-soon",
                        observed=f"{days} days left",
                        expected=f"more than {warn_days} days",
                        days=days,
                        not_after=leaf.not_after[:10],
                        warn_days=warn_days,
                        fail_days=fail_days,
                        **base,
                    )
                )
            if not matches(host, leaf.sans):
                out.append(
                    fail(
                        "cert-hostname-mismatch",
                        observed=", ".join(leaf.sans) or leaf.subject,
                        expected=host,
                        sans=list(leaf.sans),
                        **base,
                    )
                )
            weak = (leaf.key_type == "RSA" and leaf.key_bits < WEAK_RSA_BITS) or (
                leaf.key_type.startswith("EC") and leaf.key_bits < WEAK_EC_BITS
            )
            if weak:
                out.append(
                    fail(
                        "cert-weak-key",
                        observed=f"{leaf.key_type} {leaf.key_bits} bits",
                        expected="RSA 2048+ or EC 256+",
                        key_type=leaf.key_type,
                        bits=leaf.key_bits,
                        **base,
                    )
                )
            if leaf.signature_hash in WEAK_HASHES:
                out.append(
                    fail(
                        "cert-weak-signature",
                        observed=leaf.signature_hash,
                        expected="SHA-256 or stronger",
                        hash=leaf.signature_hash,
                        **base,
                    )
                )
        if not obs.verified:
            message = obs.verify_message or "verification failed"
            if leaf is not None and leaf.self_signed:
                out.append(
                    fail(
                        "cert-self-signed",
                        observed="self-signed",
                        expected="issued by a trusted authority",
                        message=message,
                        **base,
                    )
                )
            elif obs.verify_code == 20 and obs.chain_length <= 1:
                out.append(
                    fail(
                        "cert-chain-incomplete",
                        observed=f"{obs.chain_length} certificate sent",
                        expected="leaf and intermediate",
                        message=message,
                        **base,
                    )
                )
            elif obs.verify_code not in (10, 9) and not any(o.code == "cert-hostname-mismatch" for o in out):
                out.append(
                    fail("cert-untrusted", observed=message, expected="a trusted chain", message=message, **base)
                )
        if obs.version in ("SSLv3", "TLSv1", "TLSv1.1"):
            out.append(
                fail("tls-version-old", observed=obs.version, expected="TLS 1.2 or newer", version=obs.version, **base)
            )
        if obs.verified and not obs.hsts:
            out.append(warn("hsts-missing", observed="no Strict-Transport-Security header", expected="HSTS", **base))
        location = obs.http_redirect or ""
        if not location.lower().startswith(f"https://{host.lower()}"):
            out.append(
                warn(
                    "http-no-redirect",
                    observed=f"{obs.http_status or 'no answer'} {location}".strip(),
                    expected=f"301 to https://{host}/",
                    status=obs.http_status or "no answer",
                    redirect_to=location or "none",
                    **base,
                )
            )
        return out
