"""The DNS records the platform generated for the tenant's domain, verified record by record."""

from __future__ import annotations

from dataclasses import replace

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, skip
from portaldoctor.knowledge.dns import expected_from
from portaldoctor.probes.dnsverify import verify


class DnsRecords:
    """The DNS records the platform generated must be published exactly as given.

    Each expected record (from the tenant's ``organisation.dns_records`` or ``--expect``) is
    looked up and judged: present; missing (with the negative-caching TTL as the worst-case
    wait after publishing); wrong value; the zone name appended twice by a DNS panel that adds
    it itself; a CNAME target missing its trailing dot; CNAME at the apex, beside other records,
    hidden by a proxy or flattening, or pointing at a name that does not exist; TXT values
    pasted with quotes or split into several records; several SPF records, SPF over 10 DNS
    lookups or 2 void lookups, a vendor include missing; a DKIM key that does not decode or is
    too short; DMARC missing, duplicated or at the wrong name; CAA records that forbid the
    platform's certificate authority (the CAA set found climbing from the host to the apex).
    With ``--authoritative`` the zone's own name servers are asked, and a record they publish
    while the resolver still answers "no such record" is "not propagated yet", with the
    negative-caching TTL as the worst-case wait. A lookup that fails (SERVFAIL, REFUSED,
    timeout, no reachable server) is "could not check", never "missing".

    Passes::

        organisation:
          deliverability: {domain: acme.example}
          dns_records: [{type: CNAME, host: links.acme.example, value: links.platform.example.}]
        # published in DNS:
        #   links.acme.example.      CNAME  links.platform.example.
        #   links.platform.example.  A      192.0.2.10
        #   _dmarc.acme.example.     TXT    "v=DMARC1; p=none"

    Fails (``dns-record-missing``)::

        organisation:
          deliverability: {domain: acme.example}
          dns_records: [{type: CNAME, host: links.acme.example, value: links.platform.example.}]
        # published in DNS: nothing at links.acme.example

    Fails (``dns-zone-appended-twice``)::

        organisation:
          deliverability: {domain: acme.example}
          dns_records: [{type: CNAME, host: links.acme.example, value: links.platform.example.}]
        # published in DNS, by a panel that appends the zone to the name it is given:
        #   links.acme.example.acme.example.  CNAME  links.platform.example.
    """

    spec = CheckSpec(
        id="dns-records",
        title="The DNS records the platform generated are published correctly",
        scope=Scope.ORG,
        codes=(
            "dns-record-missing",
            "dns-record-wrong-value",
            "dns-zone-appended-twice",
            "dns-target-missing-dot",
            "dns-cname-at-apex",
            "dns-cname-conflict",
            "dns-cname-flattened",
            "dns-cname-dangling",
            "dns-txt-quoted",
            "dns-txt-split",
            "spf-multiple",
            "spf-include-missing",
            "spf-too-many-lookups",
            "spf-void-lookups",
            "dkim-key-corrupt",
            "dkim-key-weak",
            "dmarc-missing",
            "dmarc-duplicate",
            "dmarc-wrong-name",
            "caa-forbids-ca",
            "dns-not-propagated",
            "dns-lookup-failed",
        ),
        network=True,
        tags=("dns", "deliverability", "it"),
        samples={
            "dns-record-missing": {
                "host": "links.acme.example",
                "type": "CNAME",
                "value": "links.platform.example.",
                "purpose": "link tracking",
                "negative_ttl": 300,
            },
            "dns-record-wrong-value": {
                "host": "links.acme.example",
                "type": "CNAME",
                "found": "old.platform.example.",
                "value": "links.platform.example.",
            },
            "dns-zone-appended-twice": {
                "host": "links.acme.example",
                "published_at": "links.acme.example.acme.example",
                "type": "CNAME",
                "zone": "acme.example",
            },
            "dns-target-missing-dot": {
                "host": "links.acme.example",
                "target": "links.platform.example.acme.example.",
                "value": "links.platform.example.",
                "zone": "acme.example",
            },
            "dns-cname-at-apex": {"host": "acme.example", "zone": "acme.example"},
            "dns-cname-conflict": {"host": "links.acme.example", "others": ["TXT"]},
            "dns-cname-flattened": {
                "host": "links.acme.example",
                "value": "links.platform.example.",
                "addresses": ["104.16.1.1"],
            },
            "dns-cname-dangling": {"host": "links.acme.example", "target": "gone.platform.example."},
            "dns-txt-quoted": {"host": "acme.example", "found": '"v=spf1 include:mail.platform.example ~all"'},
            "dns-txt-split": {"host": "acme.example", "count": 2},
            "spf-multiple": {
                "host": "acme.example",
                "records": ["v=spf1 include:a.example ~all", "v=spf1 include:b.example ~all"],
            },
            "spf-include-missing": {
                "host": "acme.example",
                "includes": ["include:mail.platform.example"],
                "record": "v=spf1 include:other.example ~all",
            },
            "spf-too-many-lookups": {"host": "acme.example", "lookups": 13, "limit": 10},
            "spf-void-lookups": {"host": "acme.example", "voids": 3, "limit": 2},
            "dkim-key-corrupt": {"host": "pd._domainkey.acme.example", "length": 180, "problem": "ValueError"},
            "dkim-key-weak": {"host": "pd._domainkey.acme.example", "bits": 512},
            "dmarc-missing": {"host": "_dmarc.acme.example", "zone": "acme.example", "negative_ttl": 3600},
            "dmarc-duplicate": {"host": "_dmarc.acme.example", "count": 2},
            "dmarc-wrong-name": {"host": "_dmarc.acme.example", "found_at": "dmarc.acme.example"},
            "caa-forbids-ca": {
                "host": "portal.acme.example",
                "found_at": "acme.example",
                "allowed": ["digicert.com"],
                "ca": "pki.goog",
            },
            "dns-not-propagated": {
                "host": "links.acme.example",
                "type": "CNAME",
                "server": "10.0.0.53",
                "negative_ttl": 900,
            },
            "dns-lookup-failed": {
                "host": "links.acme.example",
                "type": "CNAME",
                "status": "servfail",
                "server": "10.0.0.53",
            },
        },
    )

    async def run(self, ctx: CheckContext, target: Target) -> list[Outcome]:
        expected = expected_from(ctx.org.dns_records)
        zone = ctx.org.deliverability.domain
        if not expected or not zone:
            return [skip(self.spec.id, "the tenant lists no DNS records or no domain")]
        probes = ctx.probes
        if probes is None:
            return [skip(self.spec.id, "no DNS probe in this run")]
        # Point each verdict at the line of the tenant file that lists the record.
        where = {f"{r.type.upper()} {r.host}": r.location for r in ctx.org.dns_records}
        return [
            replace(o, location=where.get(o.subject.id if o.subject else "", o.location))
            for o in await verify(
                await probes.dns.authoritative(zone) if probes.authoritative else probes.dns, zone, expected
            )
        ]
