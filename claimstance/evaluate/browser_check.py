"""Open a report in headless Chromium: every figure must decode and show, and a screenshot is taken.

``claimstance evaluate check-html out/reports/dsa-valid/report.html --screenshot shot.png``

A copy of the page gets a script that, once the page has loaded, writes into the DOM how many of
its images the browser decoded (``naturalWidth > 0``); Chromium's ``--dump-dom`` prints that DOM.
The page itself is opened from a ``file://`` URL with the network off, so a figure that needed
anything outside the file would fail here. Chromium comes from Debian (``apt-get install
chromium``); when it is missing the check says so and fails, it never passes silently.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

__all__ = ["find_chromium", "check_html"]

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
_PROBE = """<script>window.addEventListener("load", () => {
  const imgs = [...document.images];
  const ok = imgs.filter(i => i.complete && i.naturalWidth > 0).length;
  const p = document.createElement("p"); p.id = "claimstance-check";
  p.textContent = `images ${ok}/${imgs.length}`; document.body.appendChild(p);
});</script>"""


def find_chromium() -> Optional[str]:
    for name in ("chromium", "chromium-browser", "google-chrome", "headless_shell"):
        path = shutil.which(name)
        if path:
            return path
    return None


def check_html(page: str | Path, screenshot: Optional[str | Path] = None, timeout: float = 90) -> dict:
    """``{"images": n, "decoded": k, "screenshot": path}``; raises RuntimeError when Chromium is
    missing or fails, or when an image did not decode."""
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("Chromium not found: install it (apt-get install chromium) to run the browser check")
    page = Path(page).resolve()
    html = page.read_text("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / page.name
        probe.write_text(html.replace("</body>", _PROBE + "</body>"), "utf-8")
        profile = ["--user-data-dir=" + str(Path(tmp) / "profile")]
        dom = subprocess.run([browser, *FLAGS, *profile, "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()],
                             capture_output=True, text=True, timeout=timeout)
        m = re.search(r'id="claimstance-check">images (\d+)/(\d+)<', dom.stdout)
        if not m:
            raise RuntimeError(f"Chromium did not render {page} (exit {dom.returncode}): {dom.stderr[-500:]}")
        decoded, total = int(m[1]), int(m[2])
        if screenshot is not None:
            shot = Path(screenshot).resolve()
            shot.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([browser, *FLAGS, *profile, "--window-size=1200,3000", f"--screenshot={shot}", page.as_uri()],
                           capture_output=True, text=True, timeout=timeout, check=False)
            if not shot.is_file() or shot.stat().st_size == 0:
                raise RuntimeError(f"Chromium wrote no screenshot of {page}")
    if decoded != total:
        raise RuntimeError(f"{page}: only {decoded} of {total} figures decoded in Chromium")
    return {"images": total, "decoded": decoded, "screenshot": str(screenshot) if screenshot else None}
