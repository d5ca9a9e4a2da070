"""One grammar for numbers wherever the app reads text, and no silently resolved duplicates (issue 36.6)."""

import pytest

from adamgui.core.files import FileProblem
from adamgui.core.models import read_csv
from adamgui.core.params import ParamError, parse_number
from adamgui.core.schedules import parse_schedule
from adamgui.core.simulation import spec_from_text


@pytest.mark.parametrize("text, value", [("0.3", 0.3), (" -2 ", -2.0), (".5", 0.5), ("1e-8", 1e-8), ("3.", 3.0)])
def test_plain_ascii_numbers_are_read(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["٠.٣", "０.３", "0.0_1", "1_0", "١٠٠", "0x10", "1e", "", "nan", "1,5"])
def test_other_scripts_underscores_and_fragments_are_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    "call, says",
    [
        (lambda: spec_from_text("adam:lr=٠.٣"), "Invalid lr: '٠.٣' is not a number"),
        (lambda: spec_from_text("adam:lr=０.３"), "is not a number"),
        (lambda: spec_from_text("adam:lr=0.0_1"), "is not a number"),
        (lambda: spec_from_text("adam:lr=0.1,lr=0.2"), "'lr' is given twice"),
        (lambda: parse_schedule("cosine:T_max=١٠٠"), "T_max = '١٠٠' is not a number"),
        (lambda: parse_schedule("cosine:T_max=10,T_max=20"), "'T_max' is given twice"),
    ],
)
def test_specs_and_schedules_refuse_them_with_a_sentence(call, says):
    with pytest.raises(ParamError, match=says):
        call()


@pytest.mark.parametrize(
    "content, says",
    [
        ("x,y\n١,2\n3,4\n", "row 2, column x: '١' is not a finite number"),
        ("x,y\n1_0,2\n3,4\n", "row 2, column x: '1_0' is not a finite number"),
        ("x,x,y\n1,2,3\n4,5,6\n", "names the column 'x' twice"),
    ],
)
def test_data_files_refuse_them_with_a_sentence(tmp_path, content, says):
    path = tmp_path / "d.csv"
    path.write_text(content)
    with pytest.raises(FileProblem, match=says):
        read_csv(path, ("x", "y"), "data file")
