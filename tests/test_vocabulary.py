"""The vocabulary file: words as data, matched as whole words, validated, extended by a district's file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qms_cli.errors import UsageError
from qms_cli.read.dossiers import channel_of, level_of, status_of
from qms_cli.vocabulary import WordMap, has_any, load, shipped_text


def test_the_vocabulary_ships_inside_the_package() -> None:
    assert "statuses:" in shipped_text()
    assert load().headers["dossier_book"]["dossier_id"][0] == "mã hồ sơ"


def test_whole_words_never_substrings() -> None:
    # "chuyen" contains the letters "huy" (withdrawn) but not the word: these are pending and resolved.
    assert status_of("Chuyển xử lý") == "pending"
    assert status_of("Đã chuyển trả kết quả") == "resolved"
    assert status_of("Hủy hồ sơ") == "withdrawn"
    assert has_any("Hủy hồ sơ", ["hủy"]) and not has_any("Chuyển xử lý", ["hủy"])


def test_the_longest_phrase_wins() -> None:
    # "Chờ trả kết quả" holds "chờ" (pending, one word) and "chờ trả kết quả" (resolved, four words).
    assert status_of("Chờ trả kết quả") == "resolved"
    table = WordMap({"a": ["xử lý"], "b": ["đang xử lý"], "c": ["xử lý"]})
    assert table("Hồ sơ đang xử lý") == "b"
    assert table("Xử lý xong") == "a"  # a tie of equal length: the meaning listed first
    assert table("Không rõ") is None


def test_channels_and_levels_come_from_the_file() -> None:
    assert channel_of("Qua dịch vụ BCCI") == "postal"
    assert channel_of("Trực tuyến") == "online"
    assert channel_of("Trực tiếp tại Bộ phận Một cửa") == "direct"
    assert channel_of("Fax") is None
    assert level_of("DVC trực tuyến toàn trình") == 4.0
    assert level_of("Mức độ 3") == 3.0


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_district_file_adds_words(tmp_path: Path) -> None:
    extra = _file(tmp_path, "statuses:\n  resolved: [đã bàn giao]\nchannels:\n  postal: [viettel post]\n")
    vocab = load(extra)
    assert WordMap(vocab.statuses)("Đã bàn giao cho công dân") == "resolved"
    assert WordMap(vocab.channels)("Viettel Post") == "postal"
    assert WordMap(vocab.statuses)("Đang xử lý") == "pending"  # the shipped words stay


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("statuses:\n  resolved: [đang]\n", "both 'resolved' and 'pending'"),  # "đang" is pending already
        ("statuses:\n  resolved: ['...']\n", "has no words"),
        ("colours: [red]\n", "colours"),
        ("- a list\n", "mapping of sections"),
        ("statuses: [\n", "not a YAML file"),
    ],
)
def test_a_wrong_district_file_is_refused_with_a_reason(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(UsageError) as caught:
        load(_file(tmp_path, text))
    assert says in str(caught.value)
    assert "vocabulary.yaml" in str(caught.value)


def test_the_environment_names_the_district_file(tmp_path: Path) -> None:
    extra = _file(tmp_path, "statuses:\n  resolved: [đã bàn giao]\n")
    code = "from qms_cli.read.dossiers import status_of; print(status_of('Đã bàn giao'))"
    env = {**os.environ, "QMS_VOCABULARY": str(extra)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "resolved"


@pytest.mark.skipif(shutil.which("qms") is None, reason="the qms console script is not installed")
def test_a_wrong_district_file_stops_the_command_with_a_message(tmp_path: Path) -> None:
    _file(tmp_path, "statuses:\n  resolved: [đang]\n")  # ./vocabulary.yaml where qms runs
    done = subprocess.run(
        [str(shutil.which("qms")), "--version"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "vocabulary.yaml" in done.stderr and "Traceback" not in done.stderr
