"""Reading and writing the seed's audio_features.csv in the dialects editors produce."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import LibraryError
from core.features import MUSIC
from core.library.csv_format import read_library_csv, write_library_csv

SEED_HEADER = (
    "Richness,Variation,Rhythm,Warmth,Harmony,brightness_score,Melody Trend Score,"
    "Rhythm speed score,音乐唤醒度,音乐效价"
)
ROW_A = [-5.52, -3.58, 1.25, 0.5, 2.0, 63.1, 48.2, 76.18, 55.0, -20.44]
ROW_B = [1.0, 2.0, 3.0, 4.0, 5.0, 10.0, 20.0, 30.0, 40.0, 50.0]


def cells(row, decimal=","):
    return decimal.join(repr(v) for v in row)


def write(tmp_path, text, name="lib.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_seed_header_with_name_column(tmp_path):
    path = write(tmp_path, f"name,{SEED_HEADER}\nrain.wav,{cells(ROW_A)}\nsun.mp3,{cells(ROW_B)}\n")
    lib = read_library_csv(path)
    np.testing.assert_array_equal(lib.features, [ROW_A, ROW_B])
    assert lib.names == ("rain.wav", "sun.mp3")
    assert lib.header == "seed" and lib.name_column == "name" and lib.delimiter == ","


def test_our_ids_in_any_order_and_name_column_elsewhere(tmp_path):
    ids = list(MUSIC.ids)
    order = [9, 0, 5, 1, 8, 2, 7, 3, 6, 4]
    header = ",".join(ids[i] for i in order[:5]) + ",path," + ",".join(ids[i] for i in order[5:])
    values = [ROW_A[i] for i in order]
    line = ",".join(repr(v) for v in values[:5]) + ",/music/a.flac," + ",".join(repr(v) for v in values[5:])
    lib = read_library_csv(write(tmp_path, header + "\n" + line + "\n"))
    np.testing.assert_array_equal(lib.features, [ROW_A])
    assert lib.names == ("/music/a.flac",) and lib.header == "ids"


def test_headers_match_ignoring_case_spaces_and_underscores(tmp_path):
    header = "TITLE,richness,VARIATION,rhythm,warmth,harmony,Brightness Score,melody_trend_score,rhythm-speed,arousal,valence"
    lib = read_library_csv(write(tmp_path, f"{header}\nx,{cells(ROW_B)}\n"))
    np.testing.assert_array_equal(lib.features, [ROW_B])
    assert lib.name_column == "TITLE"


def test_name_column_prefers_a_name_like_header(tmp_path):
    text = f"duration,file,{SEED_HEADER}\n12.5,a.wav,{cells(ROW_A)}\n"
    lib = read_library_csv(write(tmp_path, text))
    assert lib.names == ("a.wav",)


def test_headerless_with_and_without_names(tmp_path):
    lib = read_library_csv(write(tmp_path, f"{cells(ROW_A)}\n{cells(ROW_B)}\n"))
    assert lib.header == "none" and lib.names == ("0", "1") and lib.name_column is None
    np.testing.assert_array_equal(lib.features, [ROW_A, ROW_B])
    lib = read_library_csv(write(tmp_path, f"a.wav,{cells(ROW_A)}\n\"b, live.wav\",{cells(ROW_B)}\n"))
    assert lib.names == ("a.wav", "b, live.wav")
    # extra numeric columns before the features: the last 10 are the features
    lib = read_library_csv(write(tmp_path, f"a.wav,180.0,{cells(ROW_A)}\n"))
    np.testing.assert_array_equal(lib.features, [ROW_A])


def test_header_without_feature_names_uses_last_ten_columns(tmp_path):
    header = "track," + ",".join(f"f{i}" for i in range(10))
    lib = read_library_csv(write(tmp_path, f"{header}\nq.wav,{cells(ROW_B)}\n"))
    assert lib.header == "unnamed" and lib.names == ("q.wav",)
    np.testing.assert_array_equal(lib.features, [ROW_B])


def test_bom_crlf_blank_lines_and_chinese_names(tmp_path):
    text = f"\ufeffname,{SEED_HEADER}\r\n\r\n雨夜.wav,{cells(ROW_A)}\r\n\r\n"
    lib = read_library_csv(write(tmp_path, text))
    assert lib.names == ("雨夜.wav",)
    np.testing.assert_array_equal(lib.features, [ROW_A])


def test_gb18030_file_from_chinese_excel(tmp_path):
    text = f"名称,{SEED_HEADER}\r\n雨夜.wav,{cells(ROW_A)}\r\n"
    lib = read_library_csv(write(tmp_path, text, encoding="gb18030"))
    assert lib.names == ("雨夜.wav",) and lib.name_column == "名称"


def test_semicolon_with_decimal_comma(tmp_path):
    header = SEED_HEADER.replace(",", ";")
    row = ";".join(str(v).replace(".", ",") for v in ROW_A)
    lib = read_library_csv(write(tmp_path, f"name;{header}\nsong, live.wav;{row}\n"))
    assert lib.delimiter == ";" and lib.names == ("song, live.wav",)
    np.testing.assert_allclose(lib.features, [ROW_A])
    # headerless semicolon with decimal commas too
    lib = read_library_csv(write(tmp_path, f"a;{row}\n"))
    np.testing.assert_allclose(lib.features, [ROW_A])


def test_semicolons_inside_names_of_a_comma_file(tmp_path):
    lib = read_library_csv(write(tmp_path, f"name,{SEED_HEADER}\nA; B.wav,{cells(ROW_A)}\n"))
    assert lib.delimiter == "," and lib.names == ("A; B.wav",)


def test_tab_separated(tmp_path):
    lib = read_library_csv(write(tmp_path, "name\t" + SEED_HEADER.replace(",", "\t") + "\nx\t" + cells(ROW_B, "\t")))
    assert lib.delimiter == "\t"
    np.testing.assert_array_equal(lib.features, [ROW_B])


def test_empty_name_cell_falls_back_to_row_index(tmp_path):
    lib = read_library_csv(write(tmp_path, f"name,{SEED_HEADER}\n,{cells(ROW_A)}\nb,{cells(ROW_B)}\n"))
    assert lib.names == ("0", "b")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        (f"name,{SEED_HEADER}\n", r"no tracks \(only a header line\)"),
        ("name,Richness,Variation,Rhythm\na,1,2,3\n", "header lacks the music feature columns warmth, harmony"),
        (f"Richness,{SEED_HEADER}\n" + "1," * 10 + "1\n", "columns 'Richness' and 'Richness' both give 'richness'"),
        (f"name,{SEED_HEADER}\na,{cells(ROW_A)}\nb,1,2\n", "line 3 has 3 fields, expected 11"),
        (f"name,{SEED_HEADER}\na,{cells(ROW_A)}\nb,{cells(ROW_B[:9])},loud\n",
         "line 3, column '音乐效价': not a finite number: 'loud'"),
        (f"name,{SEED_HEADER}\na,{cells(ROW_A[:4])},nan,{cells(ROW_A[5:])}\n",
         "line 2, column 'Harmony': not a finite number: 'nan'"),
        (f"name,{SEED_HEADER}\na,{cells(ROW_A[:4])},-inf,{cells(ROW_A[5:])}\n",
         "line 2, column 'Harmony': not a finite number: '-inf'"),
        (f"name,{SEED_HEADER}\na,,{cells(ROW_A[1:])}\n", "line 2, column 'Richness': empty"),
        ("a,b,c\n1,2,3\n", "line 1 has 3 columns; a library needs 10 feature columns"),
    ],
)
def test_bad_files_name_line_and_column(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(LibraryError, match=message) as caught:
        read_library_csv(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_folder_and_binary_files(tmp_path):
    with pytest.raises(LibraryError, match="no such file"):
        read_library_csv(tmp_path / "absent.csv")
    with pytest.raises(LibraryError, match="is a folder"):
        read_library_csv(tmp_path)
    binary = tmp_path / "song.mp3"
    binary.write_bytes(bytes([0xFF, 0xFB, 0x90, 0x00, 0x81, 0xFE]) * 50)
    with pytest.raises(LibraryError):
        read_library_csv(binary)


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, f"{cells(ROW_A)}\n")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "read_bytes", denied)
    with pytest.raises(LibraryError, match=r"cannot read \(Permission denied\)"):
        read_library_csv(path)


@pytest.mark.parametrize("header", ["seed", "ids"])
@pytest.mark.parametrize("bom", [False, True])
def test_write_then_read_round_trips_exactly(tmp_path, rng, header, bom):
    features = rng.normal(size=(25, 10)) * [5, 5, 5, 5, 5, 30, 30, 30, 30, 60]
    names = [f"曲目 {i}, take \"{i}\".wav" for i in range(25)]
    path = write_library_csv(tmp_path / "out.csv", features, names, header=header, bom=bom)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom
    lib = read_library_csv(path)
    np.testing.assert_array_equal(lib.features, features)
    assert lib.names == tuple(names)
    assert lib.header == header
    first_line = raw.decode("utf-8-sig").splitlines()[0]
    assert first_line.startswith("name," + ("Richness" if header == "seed" else "richness"))


def test_write_without_names_and_bad_input(tmp_path):
    path = write_library_csv(tmp_path / "plain.csv", [ROW_A])
    assert read_library_csv(path).names == ("0",)
    with pytest.raises(LibraryError, match="need"):
        write_library_csv(tmp_path / "x.csv", [[1, 2, 3]])
    with pytest.raises(LibraryError, match="non-finite"):
        write_library_csv(tmp_path / "x.csv", [[np.nan] * 10])
    with pytest.raises(LibraryError, match="2 names for 1 rows"):
        write_library_csv(tmp_path / "x.csv", [ROW_A], ["a", "b"])
    assert not (tmp_path / "x.csv").exists()


def _careful_only(monkeypatch):
    from core.library import csv_format

    monkeypatch.setattr(csv_format, "_fast_parse", lambda data, layout: None)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (f"name,{SEED_HEADER}\nrain.wav,{cells(ROW_A)}\n\"b, live.wav\",{cells(ROW_B)}\n", "utf-8"),
        (f"\ufeffname,{SEED_HEADER}\r\n 曲目.wav ,{cells(ROW_A)}\r\n,{cells(ROW_B)}\r\n", "utf-8"),
        (f"{cells(ROW_A)}\n\n{cells(ROW_B)}\n", "utf-8"),
        (f"a.wav,180.0,{cells(ROW_A)}\n", "utf-8"),
        ("name;" + SEED_HEADER.replace(",", ";") + "\nx;" + cells(ROW_A, ";").replace(".", ",") + "\n", "utf-8"),
        ("name;" + SEED_HEADER.replace(",", ";") + "\nx;" + cells(ROW_A, ";") + "\n", "utf-8"),
        ("name\t" + SEED_HEADER.replace(",", "\t") + "\nx\t" + cells(ROW_B, "\t") + "\n", "utf-8"),
        (f"name,{SEED_HEADER}\n歌曲.wav,{cells(ROW_A)}\n", "gb18030"),
        (f"name,{SEED_HEADER}\n'=1+1,{cells(ROW_A)}\n''x,{cells(ROW_B)}\n", "utf-8"),
        # Quoted newlines, blank lines before the header and between rows, CRLF, odd number forms.
        (f"\r\n\r\nname,{SEED_HEADER}\r\n\"two\r\nlines.wav\",{cells(ROW_A)}\r\n\r\nb.wav,{cells(ROW_B)}\r\n",
         "utf-8"),
        (f"name,{SEED_HEADER}\na.wav, +1.5,.5,5.,1e3,-2E-2,{cells(ROW_A[5:])}\n", "utf-8"),
        (f"name,{SEED_HEADER}\na.wav,{cells(ROW_A)}\n\"q\"\"uote.wav\",{cells(ROW_B)}\n\n\n", "utf-8"),
    ],
)
@pytest.mark.parametrize("engine", ["arrow", "pandas"])
def test_fast_and_careful_readers_agree(tmp_path, monkeypatch, text, encoding, engine):
    from core.library import csv_format

    path = write(tmp_path, text, encoding=encoding)
    if engine == "pandas":  # as where pyarrow is not installed
        monkeypatch.setattr(csv_format, "_arrow_parse", lambda data, layout: None)
    fast = read_library_csv(path)
    monkeypatch.undo()
    _careful_only(monkeypatch)
    careful = read_library_csv(path)
    np.testing.assert_array_equal(fast.features, careful.features)
    assert fast.names == careful.names
    assert (fast.header, fast.name_column, fast.delimiter) == (careful.header, careful.name_column, careful.delimiter)


def test_a_large_valid_file_takes_the_fast_reader(tmp_path, rng, monkeypatch):
    from core.library import csv_format

    features = rng.normal(size=(3000, 10)) * 7
    path = write_library_csv(tmp_path / "big.csv", features, [f"t{i}.wav" for i in range(3000)])

    def careful(*args):
        raise AssertionError("the careful reader ran on a file the fast one takes")

    monkeypatch.setattr(csv_format, "_parse_rows", careful)
    lib = read_library_csv(path)
    np.testing.assert_array_equal(lib.features, features)  # bit for bit: repr() written, round-trip read
    assert lib.names[2999] == "t2999.wav"


def test_a_bad_cell_deep_in_a_large_file_is_named_by_line(tmp_path, rng):
    features = rng.normal(size=(2000, 10))
    path = write_library_csv(tmp_path / "big.csv", features, [f"t{i}.wav" for i in range(2000)])
    lines = path.read_text().splitlines()
    lines[1500] = lines[1500].rsplit(",", 1)[0] + ",oops"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(LibraryError, match="line 1501, column '音乐效价': not a finite number: 'oops'"):
        read_library_csv(path)


@pytest.mark.parametrize(
    "name", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "\tcmd", "'quoted", "''twice", "plain.wav"]
)
def test_names_that_spreadsheets_read_as_formulas_are_neutralised_and_round_trip(tmp_path, name):
    path = write_library_csv(tmp_path / "out.csv", [ROW_A], [name])
    cell = path.read_text(encoding="utf-8").splitlines()[1].rsplit(",", 10)[0].strip('"')
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert read_library_csv(path).names == (name,)
