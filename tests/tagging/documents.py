"""Test documents for the tagger: a three-page report (two initiatives on page 2) as text and PDF."""

from __future__ import annotations

from pathlib import Path

LONG_REPORT_PAGES = [
    # page 1: an introduction, no initiative
    "Private sector engagement along the migration cycle\n\n"
    "This report looks at how public actors can work with business. It reviews the literature "
    "and the policy debate of the last decade, and sets out the questions that guide the chapters "
    "that follow. The chapters are organised by stage of the cycle and by the type of actor involved.",
    # page 2: initiative A (two paragraphs), then initiative B
    "In 2019 the telecom operator Zain Ltd launched a programme that gives free SIM cards and mobile "
    "data to Syrian refugees arriving in Jordan, working with UNHCR at registration centres so that "
    "newly arrived families can call relatives and receive information about services.\n\n"
    "Zain Ltd also trained refugee volunteers to help families set up their phones, and the company "
    "reports that more than 40,000 refugees received connectivity through the programme in its first year, "
    "with the company covering the cost of the cards and data.\n\n"
    "Separately, the remittance firm Remitly Inc offers migrant workers from the Philippines a low-cost "
    "service to send money home, and the company partners with a bank in Manila so that families of "
    "migrants can open accounts and receive transfers without fees.",
    # page 3: unrelated discussion
    "Methodology\n\nThe mapping used desk research and interviews with thirty experts between 2018 and "
    "2019. The coding followed the framework described in the annex, and every record was checked by "
    "two researchers before it was included in the analysis of the following chapters.",
]


def write_report_pdf(path: Path) -> Path:
    """Write LONG_REPORT_PAGES as a real PDF with fpdf2 (one report page per PDF page)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Business and migration report")
    pdf.set_font("Helvetica", size=11)
    for page in LONG_REPORT_PAGES:
        pdf.add_page()
        for para in page.split("\n\n"):
            pdf.multi_cell(0, 6, para)
            pdf.ln(6)
    pdf.output(str(path))
    return path
