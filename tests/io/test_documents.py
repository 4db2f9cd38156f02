import pytest

from migmap.io.documents import DocumentError, html_text, read_document
from tests.tagging.documents import write_report_pdf


@pytest.fixture
def report_pdf(tmp_path):
    return write_report_pdf(tmp_path / "report.pdf")


def test_text_file_pages_by_form_feed(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("First page.\fSecond page.", encoding="utf-8")
    doc = read_document(f)
    assert [(p.number, p.text) for p in doc.pages] == [(1, "First page."), (2, "Second page.")]
    assert doc.title == "notes"


def test_html_drops_scripts_styles_and_hidden_parts(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>Jobs for refugees</title><link rel='canonical' href='https://example.org/jobs'>"
        "<script>var tracking = 'refugees';</script><style>.x{color:red}</style></head>"
        "<body><nav>Menu</nav><p>A bakery hires <b>refugees</b>.</p><div hidden>secret</div>"
        "<noscript>enable js</noscript><p>Second paragraph.</p></body></html>",
        encoding="utf-8",
    )
    doc = read_document(f)
    assert doc.title == "Jobs for refugees"
    assert doc.url == "https://example.org/jobs"
    assert doc.text == "A bakery hires refugees.\nSecond paragraph."


def test_html_text_of_scripts_only_is_empty():
    assert html_text("<script>" + "x();" * 1000 + "</script>")[1] == ""


def test_pdf_pages(report_pdf):
    doc = read_document(report_pdf)
    assert len(doc.pages) == 3
    assert doc.title == "Business and migration report"
    assert "Zain Ltd" in doc.pages[1].text


def test_encrypted_pdf_is_refused_with_a_clear_message(report_pdf, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(report_pdf)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(DocumentError, match=r"locked\.pdf: the PDF is encrypted"):
        read_document(locked)


def test_corrupt_pdf_names_the_file(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage \x00\x01 not really a pdf")
    with pytest.raises(DocumentError, match=r"broken\.pdf: not a readable PDF"):
        read_document(bad)


def test_missing_and_unsupported_files(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "nope.pdf")
    other = tmp_path / "sheet.xlsx"
    other.write_bytes(b"PK")
    with pytest.raises(DocumentError, match=r"use \.txt, \.html or \.pdf"):
        read_document(other)
