"""Test files made at test time from the real seed documents, so no binary fixture is committed."""

from __future__ import annotations

import html
import io
import os
from pathlib import Path

import docx

SEED_003 = "003_*.txt"


def shared_dir() -> Path:
    """shared/ beside the checkout (as in settings.SHARED_DIR), or LOKALKOMP_SHARED_DIR."""
    configured = os.environ.get("LOKALKOMP_SHARED_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[4] / "shared"


def seed_text() -> str:
    """The extracted text of seed 003, the real filled-in needs report of Ytre Helgeland."""
    seeds = sorted((shared_dir() / "seeds").glob(SEED_003))
    if not seeds:
        raise FileNotFoundError(f"Seed {SEED_003} not found in {shared_dir() / 'seeds'}")
    return seeds[0].read_text(encoding="utf-8")


def build_docx(text: str) -> bytes:
    """A Word document with one paragraph per line of text."""
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_pdf(text: str) -> bytes:
    """An A4 PDF with one line per line of text, in a font small enough that no line wraps."""
    import weasyprint  # slow to import; only the PDF tests need it

    paragraphs = "\n".join(f"<p>{html.escape(line) or '&#160;'}</p>" for line in text.split("\n"))
    page = f"""<!doctype html><html lang="nb"><head><meta charset="utf-8"><style>
    @page {{ size: A4; margin: 10mm; }}
    body {{ font-family: "DejaVu Sans", sans-serif; font-size: 6.5pt; }}
    p {{ margin: 0; white-space: pre; font-variant-ligatures: none; }}
    </style></head><body>{paragraphs}</body></html>"""
    pdf = weasyprint.HTML(string=page).write_pdf()
    if pdf is None:  # only None when writing to a target
        raise RuntimeError("WeasyPrint produced no PDF")
    return pdf
