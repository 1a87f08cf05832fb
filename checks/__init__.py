"""Built-in checks. Each module holds one check; they register through entry points.

A check lives in ``checks/<its id with - as _>.py`` and is registered in pyproject.toml under
``[project.entry-points."portaldoctor.checks"]`` as ``<id> = "portaldoctor.checks.<module>:<Class>"``;
its tests are ``tests/checks/test_<module>.py``. ``tests/checks/test_registration.py`` holds all
three to that.

The class docstring is the check's documentation (``portaldoctor explain ID``; its first paragraph
goes to docs/catalogue.md). Its examples are run by ``tests/checks/test_docstring_examples.py``
and must do what they say. Each is a heading and a tenant snippet in YAML indented under it::

    Passes::

        contacts: [{id: p1, customer: c1, email: ap@acme.example}]

    Fails (``browser-incompatible``, with ``--browser safari``)::

        platform: salestrekker

    Warns (``cert-expires-soon``)::

        organisation: {portal: {host: pay.acme.example}}
        # pay.acme.example presents a certificate that expires in 20 days

- The heading is ``Passes``, ``Fails (``code``)`` or ``Warns (``code``)``; other words in the
  parenthesis are prose, and words in double back-quotes that start with ``--`` are what the
  agent gives: ``--browser``, ``--link URL`` (the link the customer clicked), ``--now`` (default
  2026-11-22T12:00:00Z), ``--cert-warn-days``, ``--cert-fail-days``.
- The snippet only says what matters: the organisation's name, and a healthy customer (portal on,
  active) for each customer id named, are filled in. ``platform: <profile>`` applies that
  profile's product rules.
- For dns-records, comment lines written as zone-file lines are what DNS publishes; for
  portal-https, a comment describes the certificate the portal host presents (``a valid
  certificate``, ``a certificate that expired 1 day ago``, ``... expires in 20 days``, ``issued
  for NAME``, ``self-signed``, ``without its intermediate certificate``, ``no HSTS header``).
- Passes means the check looked at the snippet and found nothing (no fail, warn, error or skip);
  Fails and Warns mean it reported that code with that status.
"""
