"""Playbooks: validation on load, profile overrides, sandboxed rendering with StrictUndefined."""

from __future__ import annotations

from typing import Any

import pytest

from portaldoctor.check import Severity
from portaldoctor.errors import PluginError
from portaldoctor.playbooks import load as loading
from portaldoctor.playbooks import model, rendering

GENERIC = """\
profile: generic
product: the portal
entries:
  x-bad:
    title: "{{ name }} is bad"
    severity: high
    why: Because.
    steps: ["Fix {{ name }} in {{ product }}."]
    customer_message: Sorry.
    symptoms: ["Invalid link"]
"""


def load(**texts: str) -> model.PlaybookSet:
    return loading.load_texts({"generic.yaml": GENERIC, **{f"{k}.yaml": v for k, v in texts.items()}})


def test_profile_overrides_fields_and_falls_back_to_generic() -> None:
    books = load(
        acme="profile: acme\nproduct: Acme\nentries:\n  x-bad:\n    steps: ['Open Settings > Portal in {{ product }}.']\n"
    )
    entry = books.profile("ACME").entry("x-bad")
    assert entry is not None and entry.profile == "acme"
    assert entry.title == "{{ name }} is bad"  # inherited
    remedy = rendering.render(entry, {"name": "Widget", "product": "Acme"})
    assert remedy.steps == ("Open Settings > Portal in Acme.",)
    with pytest.raises(KeyError):
        books.profile("unknown-platform")
    assert books.symptoms == {"Invalid link": {"x-bad"}}


@pytest.mark.parametrize(
    ("generic", "expected"),
    [
        (
            GENERIC.replace("    why: Because.\n", "    why: Because.\n    colour: red\n"),
            "generic.yaml:8: field 'x-bad.colour': unknown key",
        ),
        (
            GENERIC.replace("    customer_message: Sorry.\n", ""),
            "field 'x-bad.customer_message': required field is missing",
        ),
        (
            GENERIC.replace("severity: high", "severity: urgent"),
            "generic.yaml:6: field 'x-bad.severity': severity must be one of",
        ),
        (
            GENERIC.replace('title: "{{ name }} is bad"', 'title: "{{ name "'),
            "generic.yaml:5: field 'x-bad.title': template does not compile",
        ),
        (
            GENERIC.replace("entries:", "extra: 1\nentries:"),
            "generic.yaml:3: field 'extra': unknown key",
        ),
        (GENERIC.replace("profile: generic\n", ""), "field 'profile': required key is missing"),
    ],
    ids=[
        "unknown-key",
        "missing-field",
        "bad-severity",
        "bad-template",
        "unknown-file-key",
        "no-profile",
    ],
)
def test_validation_on_load(generic: str, expected: str) -> None:
    with pytest.raises(PluginError) as info:
        loading.load_texts({"generic.yaml": generic})
    assert expected in str(info.value)


def test_profile_may_not_invent_codes() -> None:
    with pytest.raises(PluginError, match="only override codes that generic.yaml defines"):
        load(acme="profile: acme\nentries:\n  y-new: {title: t}\n")


def test_generic_is_required() -> None:
    with pytest.raises(PluginError, match="generic.yaml"):
        loading.load_texts({"acme.yaml": "profile: acme\nentries: {}\n"})


def test_strict_undefined_refuses_missing_evidence() -> None:
    entry = load().generic.entry("x-bad")
    assert entry is not None
    with pytest.raises(Exception, match="'name' is undefined"):
        rendering.render(entry, {"product": "p"})


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ name.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
    ],
)
def test_sandbox_refuses_python_internals(template: str) -> None:
    from jinja2.exceptions import SecurityError, UndefinedError

    books = loading.load_texts({"generic.yaml": GENERIC.replace("Because.", f'"{template}"')})
    entry = books.generic.entry("x-bad")
    assert entry is not None
    with pytest.raises((SecurityError, UndefinedError)):
        rendering.render(entry, {"name": "n", "product": "p"})


def test_builtin_playbooks_load_with_every_profile() -> None:
    books = loading.load_builtin()
    assert {"generic", "upflow", "salestrekker", "vtiger", "ar-automation"} <= set(books.profiles)


def test_profile_rules_merge_over_generic_rules() -> None:
    books = load(acme="profile: acme\nrules: {sms_pin_login: true}\nentries: {}\n")
    generic = loading.load_texts(
        {"generic.yaml": GENERIC.replace("entries:", "rules: {sms_credits_minimum: 5}\nentries:")},
    )
    assert generic.generic.rules.sms_credits_minimum == 5
    assert books.profile("acme").rules.sms_pin_login is True
    assert books.profile("acme").rules.differing(books.generic.rules) == {"sms_pin_login": True}
    builtin = loading.load_builtin()
    assert builtin.profile("salestrekker").rules.sms_pin_login is True
    assert builtin.profile("upflow").rules.link_validity_range_days == (1, 1000)
    assert builtin.generic.rules.sms_pin_login is False


@pytest.mark.parametrize(
    ("rules", "line", "message"),
    [
        ("  sms_pin_logn: true", 4, "field 'rules.sms_pin_logn': unknown rule; did you mean sms_pin_login?"),
        ("  sms_pin_login: yes please", 4, "field 'rules.sms_pin_login': Input should be a valid boolean"),
        ("  link_validity_range_days: [30, 2]", 3, "the lowest (30) is above the highest (2)"),
        ("  plans_with_portal: Pro", 4, "field 'rules.plans_with_portal': Input should be a valid tuple"),
    ],
)
def test_a_profiles_rules_are_checked_at_their_line(rules: str, line: int, message: str) -> None:
    text = f"profile: acme\nentries: {{}}\nrules:\n{rules}\n"
    with pytest.raises(PluginError) as raised:
        load(acme=text)
    assert str(raised.value).startswith(f"acme.yaml:{line}: ") and message in str(raised.value), raised.value


def test_shipped_playbook_files_are_named_after_their_profile() -> None:
    from portaldoctor import SOURCE_ROOT

    assert SOURCE_ROOT is not None
    for path in sorted((SOURCE_ROOT / "playbooks").glob("*.yaml")):
        assert loading.load_builtin(path.stem).known_profiles[0] == "generic"
        assert path.stem in loading.load_builtin(path.stem).profiles, path


def test_shipped_templates_compile_here_because_a_run_skips_compiling_them() -> None:
    # load_plugins reads the shipped playbooks with compile_check=False; this is the check it skips.
    broken = GENERIC.replace('title: "{{ name }} is bad"', 'title: "{{ name "')
    with pytest.raises(PluginError, match="template does not compile"):
        loading.load_texts({"generic.yaml": broken})
    unchecked = loading.load_texts({"generic.yaml": broken}, compile_check=False)
    assert unchecked.generic.entry("x-bad") is not None
    loading._syntax_error.cache_clear()
    loading.load_builtin()  # compiles every template of every profile
    assert loading._syntax_error.cache_info().misses > 100


def test_a_run_does_not_compile_templates_it_never_renders() -> None:
    from portaldoctor.plugins import Plugins

    loading._syntax_error.cache_clear()
    Plugins.load("upflow")
    assert loading._syntax_error.cache_info().misses == 0


def test_rendering_is_remembered_only_for_equal_values_that_print_alike() -> None:
    text = "{{ n }} {{ n | plural('item') if n is number else n }} on {{ host.name }} ({{ tags | join(',') }})"
    entry = model.Entry(
        code="x", profile="generic", title=text, severity=Severity.LOW, why="Why.",
        steps=(text,), customer_message="Sorry.", it_note=None, links=(),
    )  # fmt: skip
    contexts = [
        {"n": 1, "host": {"name": "a"}, "tags": ["x"]},
        {"n": True, "host": {"name": "a"}, "tags": ["x"]},
        {"n": 1.0, "host": {"name": "a"}, "tags": ["x"]},
        {"n": 2, "host": {"name": "a"}, "tags": ("x", "y")},
        {"n": 2, "host": {"name": "b"}, "tags": ("x", "y")},
        {"n": "many", "host": {"name": "b"}, "tags": []},
    ]
    fresh = [rendering._template(text).render(**ctx) for ctx in contexts]
    for _ in range(2):  # the second round is answered from memory
        assert [rendering.render(entry, ctx).title for ctx in contexts] == fresh
    assert fresh[0] != fresh[1] != fresh[2]
    rendering._RENDERED.clear()
    with pytest.raises(Exception, match="'host' is undefined"):
        rendering.render(entry, {"n": 1, "tags": []})
    assert not rendering._RENDERED


def _shipped_texts() -> set[str]:
    books = loading.load_builtin()
    return {
        text
        for book in books.playbooks.values()
        for entry in book.entries.values()
        for text in (entry.title, entry.why, *entry.steps, entry.customer_message, entry.it_note or "")
        if "{" in text
    }


def _outcome(render: Any, *args: Any) -> Any:
    try:
        return render(*args)
    except Exception as exc:  # the same error, or the same text
        return type(exc)


def _jinja(text: str, context: dict[str, Any]) -> str:
    return rendering._fold(rendering._template(text).render(**context))


def test_every_shipped_text_renders_as_jinja_renders_it() -> None:
    # Names a text only prints are joined into a shape rendered once per value of its other
    # names; the result must be the very text Jinja2 gives (or the same error), for every
    # shipped text and values of every plain kind, first from a fresh render, then from memory.
    texts = _shipped_texts()
    read = [text for text in texts if rendering._plan(text)[2] is not None]  # one shape, from the parse tree
    rendered = [text for text in texts if rendering._plan(text)[0] and rendering._plan(text)[1]]
    assert len(read) > 200 and len(rendered) >= 5  # most have one shape; some have names that decide it
    values = ["Dana  Pierce\n", 3, 2.5, True, None, ["a", 1], {"k": "v"}, "{{ not a template }}", "", 0]
    rendered_from_memory = 0
    for text in sorted(texts):
        names = rendering._names(text)
        for i in range(len(values)):
            context = {name: values[(i + j) % len(values)] for j, name in enumerate(names)}
            expected = _outcome(_jinja, text, context)
            rendering._RENDERED.clear()
            assert _outcome(rendering._render_text, text, context) == expected, (text, context)
            again = dict(context, **{name: f"<{name}>" for name in rendering._roles(text)[1]})
            expected = _outcome(_jinja, text, again)
            rendered_from_memory += len(rendering._RENDERED)  # the second render reuses the first's shape
            assert _outcome(rendering._render_text, text, again) == expected, (text, again)
    assert rendered_from_memory > 50


def test_folding_skips_the_regular_expression_only_when_it_would_change_nothing() -> None:
    samples = ["", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\xa0b", "a\u2028b", "a\x85b", "a\u3000b", "a\x1fb"]
    samples += [f"{x}{y}" for x in samples for y in samples]
    for text in samples:
        assert rendering._folded(text) == rendering._fold(text), repr(text)
    assert rendering._folded("Ask Dana Pierce") == "Ask Dana Pierce"


def test_names_that_decide_a_texts_shape_are_told_from_names_it_only_prints() -> None:
    cases = {
        "Ask {{ contact_name }}\n": ((), ("contact_name",)),
        "{% raw %}{{ a }}{% endraw %}{# note #} {{b}}": ((), ("b",)),
        "{{ who }} waits{% if days is not none %} {{ days }} {{ days | plural('day') }}{% endif %}": (
            ("days",),
            ("who",),
        ),
        "{% if sent %}on {{ sent }}{% elif a %}{{ b }}{% else %}{{ c }}{% endif %}": (("a", "sent"), ("b", "c")),
        "{{ a.b }}{{ c['d'] }}{{ e ~ 'x' }}{{ f() }}{{ g }}": (("a", "c", "e", "f"), ("g",)),
        "{% for x in xs %}{{ y }}{% endfor %}": (("xs", "y"), ()),
        "{% filter upper %}{{ a }}{% endfilter %}{{ b }}": (("a",), ("b",)),
        "{% set a = b %}{{ a }}{{ c }}": (("b",), ("c",)),
        "{{ a }}{% if a %}x{% endif %}": (("a",), ()),
        "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(b) }}": (("b",), ()),
    }
    for text, roles in cases.items():
        assert rendering._roles(text) == roles, text
    assert rendering._roles("{{ a }}\x00") == (("a",), ())  # a text holding the marker is always rendered


def test_a_value_that_looks_like_a_marker_is_rendered_in_full() -> None:
    text = "{% if flag %}{{ flag }}{% endif %} and {{ name }}"
    assert rendering._roles(text) == (("flag",), ("name",))
    for flag in ("\x000:nope\x00", "\x00", "\x000\x00", "x\x00y\x00z"):
        rendering._RENDERED.clear()
        context = {"flag": flag, "name": "Ana"}
        assert rendering._render_text(text, context) == rendering._fold(rendering._template(text).render(**context))
        assert rendering._render_text(text, {"flag": flag, "name": "Bo"}).endswith(" and Bo")


def test_a_missing_name_fails_with_jinjas_message() -> None:
    rendering._RENDERED.clear()
    with pytest.raises(Exception, match="'contact_name' is undefined"):
        rendering._render_text("Ask {{ contact_name }}", {"host": "h"})


@pytest.mark.parametrize(
    ("template", "reads"),
    [
        ("Open {{ customer_name }} in {{ product }}.", "Open ‹customer name› in AR Automation."),
        ("{{ product | sentence }} sends it. {{ name | sentence }}", "AR Automation sends it. ‹name›"),
        ("pending{% if days is not none %} after {{ days }} {{ days | plural('day') }}{% endif %}",
         "pending[ after ‹days› day(s)]"),
        ("{{ count }} {{ 'gets' if count == 1 else 'get' }} mail, {{ n }} day{{ '' if n == 1 else 's' }}",
         "‹count› gets/get mail, ‹n› day(s)"),
        ("{% if a %}one{% elif b %}two{% else %}three{% endif %}", "[one | or: two | otherwise: three]"),
        ("{{ records | length }} of {{ records | join(', ') }}, {{ sans | join(', ') or 'no names' }}",
         "‹number of records› of ‹records›, ‹sans›"),
        ("{{ subject.label }} was sent {{ sent_at or 'earlier' }}", "‹subject label› was sent ‹sent at›"),
        ("plain   text\n folded", "plain text folded"),
        # anything else is shown as written rather than guessed at
        ("{% for x in xs %}{{ x }}{% endfor %}", "{% for x in xs %}{{ x }}{% endfor %}"),
        ("{{ 'a' ~ name }}", "{{ 'a' ~ name }}"),
        ("{{ n | plural }}", "‹n›"),
        ("{{ n | plural( }}", "{{ n | plural( }}"),
        ("{{ broken", "{{ broken"),
    ],
)  # fmt: skip
def test_a_remedy_text_reads_as_prose_with_placeholders(template: str, reads: str) -> None:
    assert rendering.readable(template, {"product": "AR Automation"}) == reads


def test_every_shipped_text_reads_without_template_syntax() -> None:
    # explain and the catalogue show remedies to people: no shipped text falls back to its source
    books = loading.load_builtin()
    for text in _shipped_texts():
        shown = rendering.readable(text, {"product": books.generic.product})
        assert "{{" not in shown and "{%" not in shown and "}}" not in shown, (text, shown)
        assert shown.count("[") == shown.count("]"), shown


def test_a_sentence_that_starts_with_the_product_starts_with_a_capital() -> None:
    books = loading.load_builtin()
    entry = books.generic.entry("link-validity-out-of-range")
    assert entry is not None and entry.why.startswith("{{ product | sentence }}")
    remedy = rendering.render(entry, {"product": "the portal platform", "minimum": 1, "maximum": 1000, "days": 0})
    assert remedy.why.startswith("The portal platform accepts a link validity between 1 and 1000 days.")
    assert rendering.readable(entry.why, {"product": "the portal platform"}).startswith("The portal platform accepts")
