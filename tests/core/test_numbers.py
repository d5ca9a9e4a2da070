"""One grammar for numbers wherever the app reads text, and no silently resolved duplicates (issue 36.6)."""

import pytest

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
