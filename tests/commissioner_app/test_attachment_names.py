"""Names and hashes of attachments that came from elsewhere are made safe before they touch a disk."""

from __future__ import annotations

import pytest

from commissioner_app.attachments import blob_path, safe_file_name, valid_sha256
from commissioner_app.errors import CommissionerError
from commissioner_app.store import Store


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("照片.jpg", "照片.jpg"),
        ("..\\..\\Startup\\run.bat", "run.bat"),
        ("../../.bashrc", "bashrc"),
        ("/etc/passwd", "passwd"),
        ("C:\\Windows\\system32\\evil.dll", "evil.dll"),
        ("C:evil.exe", "evil.exe"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1.jpg", "_com1.jpg"),
        ("LPT9", "_LPT9"),
        ("..", "attachment"),
        ("", "attachment"),
        ("   ", "attachment"),
        ("a\x00b\x1fc\u202egpj.exe", "abcgpj.exe"),
        ("report.pdf. . ", "report.pdf"),
        ('a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"),
        ("stream.txt:secret", "stream.txt_secret"),
    ],
)
def test_a_file_name_from_elsewhere_becomes_a_safe_base_name(given: str, expected: str) -> None:
    assert safe_file_name(given) == expected


def test_a_long_name_is_bounded_and_keeps_its_extension() -> None:
    name = safe_file_name("很长的名字" * 100 + ".jpeg")
    assert len(name) <= 120 and name.endswith(".jpeg") and name.startswith("很长的名字")


def test_a_name_of_many_chinese_characters_fits_a_file_system_once_prefixed() -> None:
    """A file system takes 255 bytes in a name: 72 Chinese characters and 36 letters (252 bytes,
    legal where attached) could not be opened as a copy named like it with its 9-character prefix."""
    name = safe_file_name("技术合同扫描件" * 10 + "两份" + "a" * 36 + ".pdf")
    assert len(name.encode("utf-8")) <= 200 and name.endswith(".pdf") and name.startswith("技术合同")
    assert safe_file_name("合" * 80 + ".pdf").encode("utf-8") == ("合" * 65 + ".pdf").encode("utf-8")


@pytest.mark.parametrize("sha", ["../../x", "A" * 64, "a" * 63, "", "ab/" + "a" * 61, None, 12])
def test_only_64_lowercase_hex_characters_are_a_hash(sha: object) -> None:
    assert not valid_sha256(sha)
    with pytest.raises(CommissionerError):
        blob_path(Store.memory(), sha)  # type: ignore[arg-type]


def test_a_real_hash_is_a_hash() -> None:
    assert valid_sha256("0123456789abcdef" * 4)


def test_a_bad_hash_stored_by_an_earlier_version_has_no_thumbnail_and_names_no_other_file(tmp_path) -> None:
    from commissioner_app.attachments import make_thumbnail, thumbnail_path

    store = Store.open(tmp_path / "data")
    path = thumbnail_path(store, "../../evil")
    assert path.parent == store.attachments_dir / "thumbs" and not path.exists()
    assert make_thumbnail(store, "../../evil") is None
    store.close()
