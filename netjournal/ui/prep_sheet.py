"""The one-page prep sheet: SheetData (assembled in core/prep) rendered with QTextDocument.

Everything the user typed is escaped before it goes into the HTML. The sheet is laid out on the real
page (A4 or Letter) and, when long notes would push it onto a second page, shortened step by step
(core.prep.SheetData.clipped) until it fits one. A PDF is rendered in memory and written to a
temporary file next to the target, then renamed: never a 0-byte or half-written file.

Needs a QGuiApplication (offscreen is fine).
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QFont, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from netjournal.core.errors import NetjournalError
from netjournal.core.outputs import Output, check_output, write_output
from netjournal.core.paths import DataDir
from netjournal.core.prep import SheetData

MARGIN_MM = 14.0
PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}

CSS = """
body { font-family: 'DejaVu Sans', 'Noto Sans', 'Helvetica', 'Arial', sans-serif; font-size: 9.5pt; color: #222; }
h1 { font-size: 17pt; font-weight: 600; margin: 0; color: #1d2b36; }
.sub { color: #555; font-size: 10pt; margin-top: 2px; }
.when { color: #1d2b36; font-size: 10pt; font-weight: 600; }
.h { font-size: 7.5pt; font-weight: 700; color: #4d6b7f; margin-top: 10px; margin-bottom: 2px; }
p { margin-top: 0; margin-bottom: 2px; }
.muted { color: #666; }
.small { font-size: 8.5pt; }
.q { font-size: 10.5pt; margin-top: 4px; margin-bottom: 0; }
.line { border-bottom-style: solid; border-bottom-width: 1px; border-bottom-color: #c9d1d8; }
.card { background-color: #f2f5f7; }
.quote { font-style: italic; }
"""


def page_size_for(setting: str | None, locale: QLocale | None = None) -> QPageSize:
    """The prep.page_size setting ("A4" or "Letter"); None means from the locale (Letter in the US and Canada)."""
    if setting in PAGE_SIZES:
        return QPageSize(PAGE_SIZES[setting])
    territory = (locale or QLocale.system()).territory()
    us_like = territory in (QLocale.Country.UnitedStates, QLocale.Country.Canada)
    return QPageSize(QPageSize.PageSizeId.Letter if us_like else QPageSize.PageSizeId.A4)


def _e(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


def _section(title: str, body: str) -> str:
    return f'<p class="h">{_e(title.upper())}</p>{body}' if body else ""


def _lines(items: list[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "".join(f"<p{attr}>{_e(x)}</p>" for x in items if x)


def build_html(sheet: SheetData, *, write_lines: int = 3) -> str:  # noqa: C901  (a table: one branch per optional part of the sheet)
    """The sheet as HTML; every piece of user text passes through html.escape."""
    head = f"<h1>{_e(sheet.person_name or sheet.title)}</h1>"
    sub = [x for x in (sheet.person_line,) if x]
    if sheet.person_name and sheet.title and sheet.title != sheet.person_name:
        sub.append(sheet.title)
    if sub:
        head += f'<p class="sub">{_e(" — ".join(sub))}</p>'
    right = f'<p class="when" align="right">{_e(sheet.when_line)}</p>' if sheet.when_line else ""
    detail = " · ".join(x for x in (sheet.format_line, sheet.situation) if x)
    if detail:
        right += f'<p class="muted small" align="right">{_e(detail)}</p>'
    if sheet.how_met:
        right += f'<p class="muted small" align="right">Met: {_e(sheet.how_met)}</p>'

    left_col = ""
    if sheet.purpose:
        left_col += _section("Why this person", f"<p>{_e(sheet.purpose)}</p>")
    left_col += _section("About them", _lines(sheet.about))
    left_col += _section("Last few times", _lines(sheet.recent, "small"))
    promises = [*sheet.i_owe, *sheet.they_owe]  # whole sentences from core.prep ("You said you'd send…")
    left_col += _section("Open promises", _lines(promises))

    right_col = ""
    if sheet.intro_script:
        right_col += _section("How I'll introduce myself", f'<p class="quote">{_e(sheet.intro_script)}</p>')
    right_col += _section("What I can offer", _lines([f"• {o}" for o in sheet.offers]))
    if sheet.ask:
        right_col += _section("My one ask", f"<p>{_e(sheet.ask)}</p>")
    if sheet.exit_line:
        right_col += _section("Exit line", f'<p class="quote">{_e(sheet.exit_line)}</p>')

    questions = ""
    for i, q in enumerate(sheet.questions, start=1):
        questions += f'<p class="q"><b>{i}.</b> {_e(q)}</p>'
        if write_lines:
            rows = "".join('<tr><td class="line">&nbsp;</td></tr>' for _ in range(write_lines))
            questions += (
                f'<table width="100%" cellspacing="0" cellpadding="3" style="border-collapse: collapse">{rows}</table>'
            )
    if sheet.follow_up_prompts:
        questions += (
            '<p class="muted small" style="margin-top:4px">Follow-ups: '
            + _e("  ·  ".join(sheet.follow_up_prompts))
            + "</p>"
        )

    coping = ""
    if sheet.hot_thought or sheet.balanced_thought:
        coping = '<table width="100%" cellpadding="6" cellspacing="0" class="card"><tr><td>'
        coping += '<p class="small muted"><b>COPING CARD</b></p>'
        if sheet.hot_thought:
            coping += f'<p class="small">If I think: <span class="quote">{_e(sheet.hot_thought)}</span></p>'
        if sheet.balanced_thought:
            coping += f"<p>Then remember: {_e(sheet.balanced_thought)}</p>"
        coping += "</td></tr></table>"
    goals = ""
    if sheet.if_then_goal:
        goals += _section("Small goal", f"<p>{_e(sheet.if_then_goal)}</p>")
    energy = [x for x in (sheet.energy_plan, sheet.recovery_line) if x]
    goals += _section("Energy", _lines(energy))

    if left_col and right_col:
        columns = f"""<table width="100%" cellspacing="0" cellpadding="0"><tr>
<td width="50%" valign="top" style="padding-right:14px">{left_col}</td>
<td width="50%" valign="top" style="padding-left:6px">{right_col}</td></tr></table>"""
    else:  # one column has nothing to say (e.g. a plan for an event, with no person): use the width
        columns = left_col or right_col
    return f"""<html><head><style>{CSS}</style></head><body>
<table width="100%" cellspacing="0" cellpadding="0"><tr>
<td width="58%" valign="bottom">{head}</td><td width="42%" valign="bottom">{right}</td></tr></table>
<hr>
{columns}
{_section("Questions", questions)}
<table width="100%" cellspacing="0" cellpadding="0" style="margin-top:10px"><tr>
<td width="55%" valign="top" style="padding-right:14px">{coping}</td>
<td width="45%" valign="top">{goals}</td></tr></table>
</body></html>"""


def _no_ligatures_font() -> QFont:
    """The document's base font with ligatures off.

    With them on, "coffee" is written to the PDF's text layer as "co" + U+FB00 + "ee", so copying from
    the sheet, or searching it for "coffee", fails. The CSS picks the family; these features carry over
    to every style (headings, bold, italic) because each text format resolves against this font.
    """
    font = QFont()
    for tag in ("liga", "clig", "dlig", "hlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def _document(sheet: SheetData, device: QPagedPaintDevice) -> QTextDocument:
    """A document laid out for the device's printable area, shortened until it fits one page."""
    rect = device.pageLayout().paintRectPixels(device.logicalDpiX())
    size = QSizeF(rect.width(), rect.height())
    doc = QTextDocument()
    doc.setDefaultFont(_no_ligatures_font())
    doc.documentLayout().setPaintDevice(device)
    doc.setDocumentMargin(0)
    doc.setPageSize(size)
    for level in range(len(SheetData.LEVELS)):
        for write_lines in (4, 3, 2, 1, 0):
            doc.setHtml(build_html(sheet.clipped(level), write_lines=write_lines))
            if doc.pageCount() <= 1:
                return doc
    # Even the shortest form overflows (e.g. a huge unbroken word): keep the first page only.
    return doc


def paint_sheet(sheet: SheetData, device: QPagedPaintDevice) -> int:
    """Paint the sheet on one page of a PDF writer or printer; returns the laid-out page count (1)."""
    doc = _document(sheet, device)
    rect = device.pageLayout().paintRectPixels(device.logicalDpiX())
    painter = QPainter()
    if not painter.begin(device):
        raise NetjournalError("The printer or PDF file could not be opened for drawing.")
    try:
        doc.drawContents(painter, QRectF(0, 0, rect.width(), rect.height()))
    finally:
        painter.end()
    return doc.pageCount()


def _writer_for(target: QIODevice | str, page_size: QPageSize, title: str) -> QPdfWriter:
    writer = QPdfWriter(target)
    writer.setResolution(300)
    writer.setPageSize(page_size)
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setCreator("netjournal")
    return writer


def render_pdf(sheet: SheetData, page_size: QPageSize) -> bytes:
    """The sheet as PDF bytes (in memory)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _writer_for(buffer, page_size, sheet.title)
    paint_sheet(sheet, writer)
    del writer
    buffer.close()
    return bytes(data.data())


def check_writable(path: Path | str, data_dir: DataDir | None = None) -> Output:
    """A clear message now, rather than a failure after rendering (never the journal's own files)."""
    return check_output(path, data_dir, what="prep sheet")


def write_pdf(
    sheet: SheetData, path: Path | str | Output, page_size: QPageSize, data_dir: DataDir | None = None
) -> Path:
    """Render and save the sheet; the file appears complete or not at all (a pipe gets it streamed)."""
    target = path if isinstance(path, Output) else check_writable(path, data_dir)
    content = render_pdf(sheet, page_size)
    out = write_output(target, lambda fh: fh.write(content), data_dir, what="prep sheet")
    return out.path if out.path is not None else Path(out.shown)


def pdf_page_count(content: bytes) -> int:
    """Pages in a PDF by its page objects (good enough for the PDFs Qt writes)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", content))
