"""Document readers: emails (.eml, Outlook .msg, winmail.dat), PDFs (OCR for scans), Word
letters (.docx, RTF), spreadsheets (xlsx, xlsm, xls, xlsb, CSV), HTML, images and text into
plain sections and tables.

No extraction happens here: readers turn bytes into text and table rows, and say
in words what they could not read.
"""

from radar_pipeline.documents.model import Document, Section
from radar_pipeline.documents.read import read_bytes, read_file

__all__ = ["Document", "Section", "read_bytes", "read_file"]
