from adamgui.gui.widgets.numbers import fmt


def test_numbers_stay_readable_across_24_decades():
    assert fmt(0.3) == "0.3"
    assert fmt(-4.0) == "-4"
    assert fmt(12345.678) == "12346"
    assert fmt(1e-12) == "1.0000e-12"
    assert fmt(-3.5e12) == "-3.5000e+12"
    assert fmt(0.0012345) == "0.0012345"
    assert fmt(0) == "0"
    assert fmt(float("inf")) == "inf" and fmt(float("nan")) == "nan"
    for v in (1e-12, 1e-6, 1e-3, 1, 1e3, 1e6, 1e12):
        assert len(fmt(v)) <= 11
