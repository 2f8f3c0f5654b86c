"""The page checks find what they are for: a page with every known mistake fails them, naming each."""

from __future__ import annotations

from tests.browser.checks import page_problems

BROKEN_PAGE = """<!DOCTYPE html><html lang="nl"><head><title>Kapot</title></head><body><main>
<h1>Kapot</h1>
<h2 role="status">3 ideeën gevonden</h2>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<time datetime="2026-11-29T03:42:42.223355+00:00">29 nov</time>
<form data-x="1"><div class="utrecht-form-field"><label for="a">A</label>
  <input id="a" name="message" aria-describedby="b-help"><div id="f-help">A</div></div>
  <div class="utrecht-form-field"><label for="b">B</label>
  <textarea id="&quot;b&quot;" name="&quot;body&quot;"></textarea><div id="b-help">B</div><div id="f-help">B</div></div>
  <input name="q" hx-get="/ideas/similar"></form>
</main></body></html>"""


def test_checks_report_rule_impact_and_nodes(pages_of) -> None:
    page = pages_of(None).context.new_page()
    try:
        page.set_content(BROKEN_PAGE)
        report = "\n".join(page_problems(page))
    finally:
        page.close()
    for expected in (
        "- image-alt (critical)",  # axe: rule id and impact ...
        "img",  # ... and the failing node
        "- label",  # an input without a label (the one with hx-get)
        'duplicate id "f-help"',
        'id with a quote or space: <textarea id="&quot;b&quot;"',
        "field name with a quote",
        "invalid datetime attribute",
        "hx-get is not valid HTML, write data-hx-get",
        'a heading with role="status" is no heading any more',
        'described by "b-help" of another field',
    ):
        assert expected in report, f"{expected!r} missing from:\n{report}"
