"""Which extraction library reads articles best: the measurement behind docs/article-extraction.md.

Runs each candidate on the pages in tests/fixtures/articles/ and renders its output through the
same walker (``hnterm.render.article.from_tree``), so only the extraction differs. Quality is what
``expectations.json`` says about each page: the share of the strings that must be kept
(paragraphs, headings, code) that are, and of the boilerplate strings that must be dropped
(navigation, ads, footers) that are. Also: the median time per page (5 runs, after a warm-up),
the import time in a fresh interpreter, and the installed size of the library with the
dependencies it alone brings.

    .venv/bin/python -m benchmarks.article_extraction
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from hnterm.render.article import Article, extract, from_tree, plain_text

PAGES = Path(__file__).parent.parent / "tests" / "fixtures" / "articles"
URL = "https://example.com/"


def trafilatura_article(html: bytes, url: str) -> Article:
    return extract(html, url)


def readability_article(html: bytes, url: str) -> Article:
    import lxml.html
    from readability import Document

    try:
        document = Document(html, url=url)
        summary = document.summary(html_partial=True)
        title = document.short_title()
    except Exception:  # its parser on the JS-only page: nothing
        return Article(url)
    return from_tree(lxml.html.fragment_fromstring(summary, create_parent="div"), url, title=title)


CANDIDATES: dict[str, tuple[Callable[[bytes, str], Article], str, list[str]]] = {
    "trafilatura": (
        trafilatura_article,
        "trafilatura",
        [
            "trafilatura",
            "courlan",
            "htmldate",
            "justext",
            "dateparser",
            "tld",
            "regex",
            "tzlocal",
            "babel",
            "charset_normalizer",
            "urllib3",
            "python_dateutil",
            "pytz",
        ],
    ),
    "readability-lxml": (
        readability_article,
        "readability",
        ["readability", "lxml_html_clean", "cssselect", "chardet"],
    ),
}


def quality(article: Article, expected: dict) -> tuple[int, int, int, int]:
    """(kept, of, dropped, of) for one page."""
    text = plain_text(article)
    body = "\n".join(text.split("\n")[2:])  # without title and byline lines
    keep = expected["keep"]
    drop = expected["drop"]
    kept = sum(1 for s in keep if s in text)
    dropped = sum(1 for s in drop if s not in body)
    if expected.get("empty"):
        kept, keep = (1, [1]) if article.words < 25 else (0, [1])
    return kept, len(keep), dropped, len(drop)


def import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
        for _ in range(3)
    ]
    return statistics.median(runs)


def installed_mb(packages: list[str]) -> float:
    """Size on disk of the packages' folders and single-file modules in site-packages."""
    site = Path(sys.prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    site = site / "site-packages"
    total = 0
    for name in packages:
        for path in [site / name, site / f"{name}.py", *site.glob(f"{name}-*.dist-info")]:
            if path.is_dir():
                total += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            elif path.is_file():
                total += path.stat().st_size
        if name == "python_dateutil":
            total += sum(f.stat().st_size for f in (site / "dateutil").rglob("*") if f.is_file())
    return total / 1e6


def main() -> None:
    expectations = json.loads((PAGES / "expectations.json").read_text())
    print("| library | page | kept | dropped | words | ms/page |")
    print("|---|---|---|---|---|---|")
    totals = {}
    for name, (run, module, packages) in CANDIDATES.items():
        sums = [0, 0, 0, 0]
        times = []
        for page, expected in expectations.items():
            html = (PAGES / page).read_bytes()
            run(html, URL)  # warm-up
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                article = run(html, URL + page)
                runs.append(time.perf_counter() - started)
            ms = statistics.median(runs) * 1000
            times.append(ms)
            k, kn, d, dn = quality(article, expected)
            sums = [a + b for a, b in zip(sums, (k, kn, d, dn), strict=True)]
            print(f"| {name} | {page} | {k}/{kn} | {d}/{dn} | {article.words} | {ms:.1f} |")
        totals[name] = (
            sums,
            statistics.mean(times),
            import_seconds(module),
            installed_mb(packages),
        )
    print()
    print("| library | kept | dropped | mean ms/page | import s | installed MB |")
    print("|---|---|---|---|---|---|")
    for name, (sums, ms, imp, mb) in totals.items():
        kept, dropped = f"{sums[0]}/{sums[1]}", f"{sums[2]}/{sums[3]}"
        print(f"| {name} | {kept} | {dropped} | {ms:.1f} | {imp:.2f} | {mb:.1f} |")


if __name__ == "__main__":
    main()
