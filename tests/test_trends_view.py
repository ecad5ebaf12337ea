"""The analyst's page (issue 13) in a real browser, and its safety (issue 14 item 2).

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`), so no
browser-automation package is needed; the network is off (proxy to a closed port, every host
unresolvable). Tests skip cleanly when /usr/bin/chromium is absent (`make system-deps`).
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pdfplumber
import pytest

from conftest import FIXTURES, ROOT, parsed_report
from hokoku.extract.model import Report, ThemeRecord
from hokoku.nlp import classify_reports, load_taxonomy
from hokoku.outputs import html_view
from hokoku.outputs.charts import residual_colour
from hokoku.outputs.html_view import ReportRef, fold, year_label
from hokoku.outputs.project_match import ProjectMatcher
from hokoku.outputs.trends import compute

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make system-deps)")
DOCS = ROOT / "docs"
SYNTHETIC = {"r2_synthetic": ROOT / "tests/data/r2_synthetic_expected.json",
             "r4_synthetic": ROOT / "tests/data/r4_synthetic_expected.json"}
XSS = '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">'


class Browser:
    """Headless Chromium over the DevTools protocol (JSON messages ending in NUL on fds 3/4)."""

    def __init__(self, profile: Path, width: int = 1400, height: int = 900):
        to_child, self._w = os.pipe()
        self._r, from_child = os.pipe()

        def wire_fds() -> None:  # in the child: its fd 3 reads our commands, fd 4 writes replies
            a = fcntl.fcntl(to_child, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_child, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
             "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
             f"--user-data-dir={profile}", f"--window-size={width},{height}", "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_fds, close_fds=False)  # keep the fds 3/4 wire_fds set up
        os.close(to_child)
        os.close(from_child)
        self._buf = b""
        self._id = 0
        self.errors: list[str] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t["targetId"] for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page, flatten=True)["sessionId"]
        self.call("Runtime.enable", session=True)
        self.call("Page.enable", session=True)
        self.resize(width, height)

    def _read(self, timeout: float) -> dict:
        while b"\0" not in self._buf:
            ready, _, _ = select.select([self._r], [], [], timeout)
            if not ready:
                raise TimeoutError("no reply from chromium")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method: str, session: bool = False, timeout: float = 60, **params) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("method") == "Runtime.exceptionThrown":
                self.errors.append(json.dumps(reply["params"]["exceptionDetails"], ensure_ascii=False)[:500])
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def eval(self, expression: str):
        r = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def open(self, path: Path) -> None:
        self.call("Page.navigate", session=True, url=path.as_uri())
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.eval("document.readyState === 'complete' && document.body && document.body.dataset.ready") == "1":
                return
            time.sleep(0.1)
        raise TimeoutError(f"page did not finish loading; errors: {self.errors}")

    def resize(self, width: int, height: int) -> None:
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def click(self, selector: str) -> None:
        """A real mouse click at the element's centre (scrolled into view first)."""
        box = self.eval(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                        "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                        "return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", session=True, type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def type_into(self, selector: str, text: str) -> None:
        self.eval(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus(); e.select(); }})()")
        self.call("Input.insertText", session=True, text=text)

    def screenshot(self, dest: Path, width: int, selector: str = "body", height: int = 3200) -> None:
        """Full-width PNG from the top of `selector` down (at most `height` px)."""
        self.resize(width, 900)
        self.eval("document.querySelectorAll('details.project')[0].open = true")
        time.sleep(0.5)  # let Plotly relayout to the new width
        top = self.eval(f"document.querySelector({json.dumps(selector)}).getBoundingClientRect().top + window.scrollY")
        total = int(self.eval("document.documentElement.scrollHeight"))
        shot = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": top, "width": width, "height": min(height, total - top), "scale": 1})
        dest.write_bytes(base64.b64decode(shot["data"]))

    def visible_rows(self) -> list[dict]:
        return self.eval("[...document.querySelectorAll('#comment-table tbody tr')].filter(tr => !tr.hidden)"
                         ".map(tr => ({themes: JSON.parse(tr.dataset.themes), fold: tr.dataset.fold,"
                         " text: (c => { c.querySelectorAll('.clause').forEach(x => x.remove());"
                         " return c.textContent.trim(); })(tr.querySelector('.c-text').cloneNode(true)),"
                         " where: tr.querySelector('.c-where').textContent}))")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        os.close(self._w)
        os.close(self._r)


def _records(named: list[tuple[str, Report]]) -> list[ThemeRecord]:
    found = classify_reports([(n, r.to_dict()) for n, r in named], load_taxonomy(), baseline=True)
    return [r if isinstance(r, ThemeRecord) else ThemeRecord.from_dict(r) for r in found]


def _page(out: Path, reports: list[Report], records: list[ThemeRecord], labels: dict[str, str]) -> Path:
    matcher = ProjectMatcher()
    trends = compute(reports, records, labels, matcher)
    refs = {r.report.fiscal_year: ReportRef(r.report.fiscal_year, f"{year_label(r.report.fiscal_year)} {r.report.title}",
                                            r.source.file, os.path.relpath(FIXTURES / r.source.file, out))
            for r in reports}
    page = out / "index.html"
    html_view.write(page, html_view.render(reports, records, labels, trends, refs, matcher))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """FY2021 parsed from its PDF (pages known) beside the synthetic FY2020/FY2022 reports."""
    out = tmp_path_factory.mktemp("view")
    r3 = parsed_report("r3_portrait")
    others = []
    for stem, path in SYNTHETIC.items():
        d = json.loads(path.read_text(encoding="utf-8"))
        d["source"] = {"file": f"{stem}.pdf", "sha256": stem, "pages": 0}
        others.append(Report.from_dict(d))
    reports = [others[0], r3, others[1]]
    records = _records([(r.source.file, r) for r in reports])
    labels = load_taxonomy().labels()
    return _page(out, reports, records, labels), records, labels


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium not installed (make system-deps)")
    b = Browser(tmp_path_factory.mktemp("profile"))
    yield b
    b.close()


@needs_chromium
def test_theme_chip_filters_the_table(site, browser):
    page, records, _ = site
    browser.open(page)
    assert browser.eval("document.querySelectorAll('#chart-shares .main-svg').length") > 0  # plotly drew, offline
    browser.click('.chip[data-theme="succession"]')
    rows = browser.visible_rows()
    want = [r for r in records if "succession" in r.themes]
    assert len(rows) == len(want) > 0
    assert all("succession" in r["themes"] for r in rows)
    assert browser.eval("document.getElementById('count').textContent") == str(len(want))
    assert browser.eval("""document.querySelector('.chip[data-theme="succession"]').getAttribute('aria-pressed')""") == "true"
    browser.click('.chip[data-theme=""]')  # すべて: back to every comment
    assert len(browser.visible_rows()) == len(records)
    assert browser.errors == []


@needs_chromium
def test_search_folds_width_and_case(site, browser):
    page, records, _ = site
    browser.open(page)
    browser.type_into("#f-q", "DX")
    upper = browser.visible_rows()
    browser.type_into("#f-q", "ｄｘ")
    fullwidth_lower = browser.visible_rows()
    assert upper == fullwidth_lower
    # exactly the comments whose text or project folds to contain "dx" (ＤＸ, Dx, dx, DX alike)
    want = [r for r in records if "dx" in fold(r.text + (r.project or ""))]
    assert len(upper) == len(want) >= 4
    assert {fold(r.text) for r in want} == {fold(r["text"]) for r in upper}


@needs_chromium
def test_page_link_opens_the_page_the_comment_is_printed_on(site, browser):
    page, records, _ = site
    browser.open(page)
    r3 = parsed_report("r3_portrait")
    check = r3.projects[0].check[0]
    target = browser.eval(
        "(() => { const tr = [...document.querySelectorAll('#comment-table tbody tr')].find(tr =>"
        f" tr.dataset.year === '2021' && tr.querySelector('.c-text').textContent.startsWith({json.dumps(check.text[:20])}));"
        " const a = tr.querySelector('a.pdf'); return [a.href, a.textContent, a.title]; })()")
    href, label, title = target
    url = urlparse(href)
    pdf = Path(unquote(url.path))
    assert pdf == (FIXTURES / "r3_portrait.pdf").resolve() and pdf.is_file()
    page_no = int(re.fullmatch(r"page=(\d+)", url.fragment).group(1))
    assert page_no == check.provenance.page and f"{page_no}頁" in label and "令和3年度" in title
    with pdfplumber.open(pdf) as doc:
        printed = re.sub(r"\s", "", doc.pages[page_no - 1].extract_text())
    assert fold(check.text[:15]) in fold(printed)
    # KPI values link to the page their figure is printed on, too
    kpi_links = browser.eval("[...document.querySelectorAll('.kpi-table a.pdf')].map(a => a.href)"
                             ".filter(h => h.includes('r3_portrait.pdf#page='))")
    kpi_pages = {(v.provenance or ind.provenance).page for p in r3.projects for ind in p.indicators for v in ind.values
                 if v.provenance or ind.provenance}
    assert kpi_links and {int(h.rsplit("=", 1)[1]) for h in kpi_links} <= kpi_pages


@needs_chromium
def test_layout_holds_at_800px_and_screenshots(site, browser, tmp_path):
    """Screenshots go to tmp; with HOKOKU_SCREENSHOTS=1 they refresh docs/trends_{1400,800}.png."""
    page, _, _ = site
    browser.open(page)
    shots = DOCS if os.environ.get("HOKOKU_SCREENSHOTS") == "1" else tmp_path
    browser.screenshot(shots / "trends_1400.png", 1400)
    browser.screenshot(shots / "trends_project_1400.png", 1400, "#projects", 2200)
    browser.screenshot(shots / "trends_800.png", 800)
    # at 800 px nothing overflows sideways and the 区分 cell is one line, not a character per line
    assert browser.eval("document.documentElement.scrollWidth") <= 800
    kind_height = browser.eval("document.querySelector('#comment-table tbody tr .c-kind').getBoundingClientRect().height")
    assert kind_height < 40
    assert (shots / "trends_800.png").read_bytes().startswith(b"\x89PNG")


@needs_chromium
def test_injected_markup_in_every_field_never_runs(tmp_path, browser):
    """HTML in no / fiscal_year / kind / text / themes of the records and in the report's names
    is shown as text; no script runs (issue 14 item 2)."""
    d = json.loads((ROOT / "tests/data/r3_expected.json").read_text(encoding="utf-8"))
    d["source"] = {"file": f"x{XSS}.pdf", "sha256": "x", "pages": 0}
    d["report"]["title"] = XSS
    d["projects"][0]["name"] = XSS
    d["projects"][0]["action"][0]["text"] = XSS
    d["projects"][0]["indicators"][0]["unit"] = XSS
    report = Report.from_dict(d)
    records = _records([("r3.json", report)])
    labels = dict(load_taxonomy().labels())
    labels["dx"] = XSS  # a user taxonomy label
    hostile = [ThemeRecord(fiscal_year=XSS, source="x", project=XSS, article=XSS, kind=XSS, no=XSS, text=XSS,
                           themes=[XSS, "dx"], evidence={XSS: [XSS], "dx": [{"text": "img", "clause": XSS}]},
                           scores={}, page=None)]
    trends = compute([report], records, labels, ProjectMatcher())
    refs = {2021: ReportRef(2021, XSS, XSS, XSS)}
    page = tmp_path / "index.html"
    html_view.write(page, html_view.render([report], records + hostile, labels, trends, refs, ProjectMatcher()))
    browser.open(page)
    browser.eval("document.querySelectorAll('details').forEach(d => d.open = true)")
    browser.click('.chip[data-theme="dx"]')
    time.sleep(0.3)
    assert browser.eval("window.__pwned === undefined")
    assert browser.eval("document.querySelectorAll('img').length") == 0
    assert browser.eval(f"document.body.textContent.includes({json.dumps(XSS)})")
    assert browser.errors == []


def test_residual_scale_is_fixed_no_saturated_colour_without_significance(tmp_path):
    """A table with no significant cell (max |r| well under 1.96) renders no saturated colour; the
    scale does not stretch to the largest residual (issue 13)."""
    report = Report.from_dict({**json.loads((ROOT / "tests/data/r3_expected.json").read_text(encoding="utf-8")),
                               "source": {"file": "r3.pdf", "sha256": "x", "pages": 0}})
    r2 = Report.from_dict({**json.loads(SYNTHETIC["r2_synthetic"].read_text(encoding="utf-8")),
                           "source": {"file": "r2.pdf", "sha256": "y", "pages": 0}})
    records = _records([("r2", r2), ("r3", report)])
    labels = load_taxonomy().labels()
    trends = compute([r2, report], records, labels, ProjectMatcher())
    resid = trends.tables["theme_year_residuals"]
    assert resid["adjusted_residual"].abs().max() < 1.96 and not resid["significant"].any()
    page = html_view.render([r2, report], records, labels, trends, {}, ProjectMatcher())
    cells = re.findall(r'background-color: (#[0-9a-f]{6})" data-residual="([+-][0-9.]+)"', page)
    assert len(cells) == len(resid)
    for colour, value in cells:
        assert colour in {residual_colour(float(value) + d) for d in (-0.005, 0, 0.005)}  # value shown rounded
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert max(r, g, b) - min(r, g, b) < 128, (value, colour)  # pale: far from the ends of the scale
    ends = {residual_colour(-3), residual_colour(3)}
    assert residual_colour(-1.5) not in ends and residual_colour(-9) == residual_colour(-3)
    assert "★" not in page.split('id="residuals"')[1].split("</table>")[0]
    assert trends.chi2["p"] >= 0.05 and "年度による偏りは有意ではない（χ² = " in page  # said in words
