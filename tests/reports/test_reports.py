"""Reports of the sample: HTML self-contained, Markdown with chart files, PDF whose pages render."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from migmap import Database
from migmap.domain import Filters
from migmap.services.analysis import ReportFormatError, build_report_data, write_report

from ..conftest import DATA


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('rep') / 'r.db'}"
    db = Database(url)
    db.init(bundled=False)
    assert db.import_files([DATA / "sample.yaml"]).ok
    yield db
    db.close()


def test_report_data_highlights(sample):
    data = build_report_data(sample)
    h = data.highlights()
    assert h[0].startswith("17% of 6 initiatives")
    assert any(s.startswith("None of the 3 initiatives at the long-term options stage") for s in h)
    assert "Zeta Chamber of Commerce" in h[-1]
    assert set(data.charts) == {"gap_map", "contribution_mix", "funder_share", "choropleth", "network", "timeline"}


def test_html_is_self_contained(sample, tmp_path):
    path = write_report(sample, tmp_path / "map.html")
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html
    srcs = re.findall(r'src="([^"]+)"', html)
    assert len(srcs) == 6 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert "17% of 6 initiatives" in html and "Alpha fair recruitment pilot" in html
    assert 'href="https://example.org/alpha"' in html
    assert "5 of 6 records in this slice (83%) were verified" in html


def test_markdown_writes_charts_next_to_it(sample, tmp_path):
    path = write_report(sample, tmp_path / "map.md", filters=Filters(stages=["long_term"]))
    text = path.read_text()
    assert text.startswith("# Private-sector engagement along the migration cycle: stages=long_term")
    assert "![Gap map](map_charts/gap_map.png)" in text
    assert (tmp_path / "map_charts" / "network.png").read_bytes()[:4] == b"\x89PNG"
    assert "Epsilon refugee business fund" in text and "Beta Connect" not in text


def test_pdf_pages_render(sample, tmp_path):
    path = write_report(sample, tmp_path / "map.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3


def test_empty_slice_report_says_so(sample, tmp_path):
    path = write_report(sample, tmp_path / "none.html", filters=Filters(countries=["FRA"]))
    html = path.read_text()
    assert "No initiatives in this slice (countries=FRA): the map is empty." in html
    assert "<img" not in html


def test_bad_format_and_folder(sample, tmp_path):
    with pytest.raises(ReportFormatError, match="use --format html, pdf or md"):
        write_report(sample, tmp_path / "x.docx")
    with pytest.raises(ReportFormatError, match="does not exist"):
        write_report(sample, tmp_path / "missing" / "x.html")
