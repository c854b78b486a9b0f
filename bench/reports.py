"""Time and peak memory of the documentation reports, written under '## Reports' in bench/RESULTS.md.

Run after bench/figures.py has seeded the bench database: `.venv/bin/python bench/reports.py`.
Each report is made in a fresh process, so its peak memory (the process's maximum resident set) is its own.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samkort.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/samkort-bench.sqlite3")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

# (name, format, centres, period, target in seconds)
CASES = [
    ("centre report, PDF (300 actors, 3,000 collaborations), one year", "pdf", "centre", "year", 5),
    ("centre report, PDF (300 actors, 3,000 collaborations), all three years", "pdf", "centre", "all", 5),
    ("municipality report, PDF (20 centres, 2,000 actors, 20,000 collaborations), one year", "pdf", "20", "year", 30),
    (
        "municipality report, PDF (20 centres, 2,000 actors, 20,000 collaborations), all three years",
        "pdf",
        "20",
        "all",
        30,
    ),
    ("full export, XLSX (20 centres, 20,000 collaborations), all three years", "xlsx", "20", "all", 10),
    ("full export, CSV zip (20 centres, 20,000 collaborations), all three years", "csv", "20", "all", None),
]
PERIODS = {
    "year": (datetime.date(2025, 3, 1), datetime.date(2026, 2, 28)),
    "all": (datetime.date(2023, 1, 1), datetime.date(2026, 3, 31)),
}


def measure_one(file_format: str, centres: str, period: str) -> dict:
    """In this process: build the report and write the file, as the download view does."""
    import django

    django.setup()
    from django.utils import translation

    from centres.models import Centre
    from collaboration.network.graph import Selection
    from collaboration.reports import exports
    from collaboration.reports.build import build_report

    translation.activate("da")
    chosen = list(Centre.objects.filter(slug__startswith="syntetisk-").order_by("slug"))
    chosen = chosen[:1] if centres == "centre" else chosen[1:]
    start, end = PERIODS[period]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    report = build_report(Selection(centre_ids=tuple(c.pk for c in chosen), start=start, end=end), chosen)
    make = {"pdf": exports.pdf, "xlsx": exports.xlsx, "csv": exports.csv_zip}[file_format]
    content = make(report)
    seconds = time.perf_counter() - began
    result = {
        "seconds": seconds,
        "bytes": len(content),
        "collaborations": len(report.rows),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "start_mib": rss_before / 1024,
    }
    if file_format == "pdf":
        from pypdf import PdfReader

        result["pages"] = len(PdfReader(io.BytesIO(content)).pages)
    return result


def main() -> None:
    from results import write_section

    measured = []
    for name, file_format, centres, period, target in CASES:
        print(f"{name} ...", flush=True)
        output = subprocess.run(
            [sys.executable, __file__, "--one", file_format, centres, period],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(f"  {result}", flush=True)
        measured.append((name, target, result))
    lines = [
        "## Reports",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} with `.venv/bin/python bench/reports.py`, on the machine and"
        " database described above. Each report is made in a fresh process, as a download is: reading the data,"
        " the figures (`network.py`), the previous period for comparison, the layout, and writing the file"
        " (WeasyPrint, openpyxl in streaming mode through lxml, csv). The PDFs hold every section; their appendix"
        " lists at most `REPORT_APPENDIX_LIMIT` (1,000) collaborations, the latest, and says that the spreadsheet"
        " holds the rest: WeasyPrint lays out about a thousand lines of text a second, so a full register of 12,594"
        " collaborations took 49.5 s and 505 pages.",
        "*Peak memory* is the process's maximum resident set after the report; *at start* is the same process with"
        " Django loaded, before the report.",
        "",
        "| report | collaborations in it | pages | size | time | target | peak memory | at start |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for name, target, r in measured:
        target_text = f"< {target} s ({'met' if r['seconds'] < target else 'NOT met'})" if target else "–"
        lines.append(
            f"| {name} | {r['collaborations']:,} | {r.get('pages', '–')} | {r['bytes'] / 1024:,.0f} KB | "
            f"{r['seconds']:.1f} s | {target_text} | {r['peak_mib']:,.0f} MiB | {r['start_mib']:,.0f} MiB |"
        )
    section = "\n".join(lines) + "\n"
    write_section("## Reports", section)
    print(section)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure_one(*sys.argv[2:5])))
    else:
        main()
