"""axe-core checks and page helpers that check every page they land on."""
from __future__ import annotations

from pathlib import Path

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = ("serious", "critical")

_RUN_AXE = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as rendered (colour contrast needs the real layout)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(_RUN_AXE, AXE_OPTIONS)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            target = " ".join(" >>> ".join(t) if isinstance(t, list) else str(t) for t in node["target"])
            lines.append(f"    at {target}")
            for detail in (node.get("summary") or "").splitlines()[1:]:
                lines.append(f"       {detail.strip()}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail when axe finds a serious or critical violation, listing rule, impact, help and targets."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (f"axe-core found {len(blocking)} serious/critical violation(s) on {page.url}:\n"
                          + format_violations(blocking))


def visit(page, path: str):
    """Go to `path` on the live server, expect a successful page, and check it with axe."""
    response = page.goto(path)
    assert response is not None and response.ok, f"GET {path}: {response.status if response else 'no response'}"
    assert_accessible(page)
    return response


def click_to_page(page, locator):
    """Click a link or submit button, wait for the page it leads to, and check that page with axe.

    Returns the response of the page landed on (after redirects), so callers can check its status."""
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status < 500, f"{page.url}: {response.status if response else 'no response'}"
    assert_accessible(page)
    return response

