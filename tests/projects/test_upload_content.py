"""A deliverable's content must be what its name says: a file named .zip is a zip archive."""
import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from core import uploads

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EMPTY_ZIP_END = b"PK\x05\x06" + b"\x00" * 18  # the 22-byte end record of an archive with no entry


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


@pytest.mark.parametrize("content", [
    b"just some text, not an archive\n",
    PDF + EMPTY_ZIP_END,  # any file that merely ends with a zip end record
    b"<html><script>alert(1)</script></html>" + zip_bytes(),  # a page with an archive glued on
    b"PK\x03\x04" + b"\x00" * 60,  # a zip signature over garbage
], ids=["text", "pdf-ending-in-an-end-record", "html-with-a-zip-appended", "signature-only"])
def test_a_file_named_zip_that_is_not_a_zip_is_refused(app, content):
    with pytest.raises(uploads.UploadRejected, match="does not match its .zip name"):
        uploads.check(upload("bundle.zip", content))


@pytest.mark.parametrize("content", [zip_bytes(), EMPTY_ZIP_END], ids=["one-entry", "empty-archive"])
def test_a_real_zip_is_accepted(app, content):
    assert uploads.check(upload("bundle.zip", content)).extension == "zip"
