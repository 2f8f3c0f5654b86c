"""What every page must pass in the browser: axe-core's WCAG 2.1 A/AA rules and the HTML that
browsers and assistive technology depend on.

axe-core is vendored in tests/browser/vendor/ (npm `axe-core`, MPL-2.0; see VERSION), never
fetched from a CDN. It is evaluated through the DevTools protocol, which the page's
Content-Security-Policy does not block, so pages are tested with their real CSP.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

VENDOR = Path(__file__).parent / "vendor"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async tags => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 240), summary: n.failureSummary})),
  }));
}"""

# Each entry is one problem, in words a developer can act on.
HTML_PROBLEMS = r"""() => {
  const problems = [];
  const describe = el => el.outerHTML.slice(0, 160);
  const counts = new Map();
  for (const el of document.querySelectorAll('[id]')) counts.set(el.id, (counts.get(el.id) || 0) + 1);
  for (const [id, n] of counts) if (n > 1) problems.push(`duplicate id "${id}" (${n} elements)`);
  for (const el of document.querySelectorAll('[id]'))
    if (/["'<>\s]/.test(el.id)) problems.push(`id with a quote or space: ${describe(el)}`);
  for (const el of document.querySelectorAll('input[name], select[name], textarea[name], button[name]'))
    if (/["'<>]/.test(el.name)) problems.push(`field name with a quote, posted as such: ${describe(el)}`);
  // A valid date or global date-and-time string: at most milliseconds (HTML spec), no microseconds.
  const valid = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
  for (const el of document.querySelectorAll('time[datetime]'))
    if (!valid.test(el.getAttribute('datetime'))) problems.push(`invalid datetime attribute: ${describe(el)}`);
  for (const el of document.querySelectorAll('*'))
    for (const name of el.getAttributeNames())
      if (name.startsWith('hx-')) problems.push(`${name} is not valid HTML, write data-${name}: ${describe(el)}`);
  for (const el of document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    if (el.hasAttribute('role'))
      problems.push(`a heading with role="${el.getAttribute('role')}" is no heading any more: ${describe(el)}`);
  for (const el of document.querySelectorAll('[aria-describedby]')) {
    const field = el.closest('.utrecht-form-field, fieldset');
    for (const ref of el.getAttribute('aria-describedby').split(/\s+/).filter(Boolean)) {
      const target = document.getElementById(ref);
      if (!target) problems.push(`aria-describedby names a missing id "${ref}": ${describe(el)}`);
      else if (field && !field.contains(target))
        problems.push(`described by "${ref}" of another field: ${describe(el)}`);
    }
  }
  for (const label of document.querySelectorAll('label[for]'))
    if (!document.getElementById(label.htmlFor)) problems.push(`label for a missing id: ${describe(label)}`);
  for (const link of document.querySelectorAll('.error-summary a[href^="#"]'))
    if (!document.getElementById(link.getAttribute('href').slice(1)))
      problems.push(`error summary link to a missing field: ${describe(link)}`);
  return problems;
}"""


@cache
def axe_source() -> str:
    return (VENDOR / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s) of {', '.join(WCAG_TAGS)} on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def html_problems(page: Page) -> list[str]:
    return page.evaluate(HTML_PROBLEMS)


def page_problems(page: Page, axe: bool = True) -> list[str]:
    """Everything wrong with the page as loaded: axe's findings and the HTML problems.

    Needs JavaScript in the page: in a context with it disabled, `evaluate` waits forever.
    """
    problems = []
    if axe and (violations := axe_violations(page)):
        problems.append(format_violations(page.url, violations))
    if found := html_problems(page):
        problems.append(f"HTML problems on {page.url}:\n" + "\n".join(f"- {p}" for p in found))
    return problems
