"""Item statistics and class summaries, checked against values worked out by hand. No database.

The worked example: four learners, three questions, +2 right, -0.66 wrong, 0 blank.

            Q1      Q2      Q3      total
    L1      +2      +2      +2       6
    L2      +2   -0.66      +2       3.34
    L3      +2       0   -0.66       1.34
    L4   -0.66       0   -0.66      -1.32

Q1: marks x = 2, 2, 2, -0.66 (mean 1.335, facility 1.335 / 2 = 0.6675).
    rest of the test y = total - x = 4, 1.34, -0.66, -0.66 (mean 1.005).
    deviations dx = .665, .665, .665, -1.995; dy = 2.995, .335, -1.665, -1.665
    Sxy = .665 x (2.995 + .335 - 1.665) + (-1.995)(-1.665) = 1.107225 + 3.321675 = 4.4289
    Sxx = 3 x .442225 + 3.980025 = 5.3067
    Syy = 8.970025 + .112225 + 2.772225 + 2.772225 = 14.6267
    r = 4.4289 / sqrt(5.3067 x 14.6267) = 4.4289 / 8.81019 = 0.50270
Q2: x = 2, -0.66, 0, 0 (mean .335, facility .1675); y = 4, 4, 1.34, -1.32 (mean 2.005)
    dx = 1.665, -.995, -.335, -.335; dy = 1.995, 1.995, -.665, -3.325
    Sxy = 3.321675 - 1.985025 + .222775 + 1.113875 = 2.6733
    Sxx = 2.772225 + .990025 + .112225 + .112225 = 3.9867
    Syy = 3.980025 + 3.980025 + .442225 + 11.055625 = 19.4579
    r = 2.6733 / sqrt(3.9867 x 19.4579) = 2.6733 / 8.80754 = 0.30353
Q3: x = 2, 2, -0.66, -0.66 (facility (4 - 1.32) / 4 / 2 = .335); y = 4, 1.34, 2, -0.66
    dx = 1.33, 1.33, -1.33, -1.33; mean y 1.67, dy = 2.33, -.33, .33, -2.33
    Sxy = 1.33 x (2.33 - .33 - .33 + 2.33) = 5.32; Sxx = 4 x 1.7689 = 7.0756
    Syy = 2 x 5.4289 + 2 x .1089 = 11.0756; r = 5.32 / sqrt(7.0756 x 11.0756) = 5.32 / 8.85256 = 0.60096
"""

from decimal import Decimal

import pytest

from teaching import charts
from teaching.stats import ItemStats, discrimination_index, histogram, item_flags, summarise

D = Decimal
TOTALS = [6, 3.34, 1.34, -1.32]
MARKS = {
    "Q1": [2, 2, 2, -0.66],
    "Q2": [2, -0.66, 0, 0],
    "Q3": [2, 2, -0.66, -0.66],
}


def item(name):
    stats = ItemStats()
    for mark, total in zip(MARKS[name], TOTALS):
        stats.add(mark, total, 2)
    return stats


@pytest.mark.parametrize(
    "name, facility, discrimination",
    [("Q1", 0.6675, 0.50270), ("Q2", 0.1675, 0.30353), ("Q3", 0.335, 0.60096)],
)
def test_facility_and_discrimination_match_the_hand_worked_example(name, facility, discrimination):
    stats = item(name)
    assert stats.n == 4
    assert stats.facility == pytest.approx(facility, abs=1e-9)
    assert stats.discrimination == pytest.approx(discrimination, abs=5e-5)


def test_discrimination_is_the_same_whether_marks_arrive_as_decimals_or_floats():
    from_decimals = ItemStats()
    for mark, total in zip(MARKS["Q1"], TOTALS):
        from_decimals.add(D(str(mark)), D(str(total)), D("2"))
    assert from_decimals.discrimination == pytest.approx(item("Q1").discrimination, abs=1e-12)
    assert discrimination_index(MARKS["Q1"], TOTALS) == pytest.approx(0.50270, abs=5e-5)


def test_an_item_everyone_got_right_is_very_easy_and_has_no_discrimination():
    # No variance in the item's marks: Moodle leaves the index empty rather than divide by 0.
    stats = ItemStats()
    for total in (6, 4, 2):
        stats.add(2, total, 2)
    assert stats.facility == 1.0
    assert stats.discrimination is None
    assert stats.flags == ["Very easy"]


def test_an_item_a_whole_class_scored_the_same_negative_mark_on_has_no_discrimination():
    # -0.66 has no exact binary form: summed as floats, a thousand of them leave a variance
    # of rounding noise (about 5e-12) and an index made of it. Summed as decimals it is 0.
    stats = ItemStats()
    for i in range(1000):
        stats.add(-0.66, D("-0.66") + D(i) / 100, 2)
    assert stats.discrimination is None
    assert stats.facility == pytest.approx(-0.33)


def test_responses_added_up_by_mark_give_the_same_statistics_as_one_at_a_time():
    # Q1 of the worked example as the database adds it up: three attempts got 2 (totals 6,
    # 3.34 and 1.34: 10.68, squares 48.9512), one got -0.66 (total -1.32, square 1.7424).
    grouped = ItemStats()
    grouped.add_group(2, 2, count=3, totals=D("10.68"), totals_squared=D("48.9512"), picked="a")
    grouped.add_group(D("-0.66"), 2, count=1, totals=D("-1.32"), totals_squared=D("1.7424"), picked="b")
    one_at_a_time = item("Q1")
    assert grouped.n == 4
    assert grouped.facility == one_at_a_time.facility
    assert grouped.discrimination == one_at_a_time.discrimination == pytest.approx(0.50270, abs=5e-5)
    assert grouped.picks == {"a": 3, "b": 1}


def test_timeouts_and_answer_times_add_up_by_group():
    stats = ItemStats()
    stats.add_group(2, 2, count=2, totals=D("8"), totals_squared=D("32"), answer_seconds=9.5, answers_timed=2)
    stats.add_group(0, 2, count=2, totals=D("2"), totals_squared=D("2"), timeouts=2)
    assert (stats.n, stats.timeout_rate, stats.mean_seconds) == (4, 0.5, 4.75)


def test_one_attempt_gives_a_facility_but_no_discrimination():
    stats = ItemStats()
    stats.add(-0.66, 1.34, 2)
    assert stats.facility == pytest.approx(-0.33)
    assert stats.discrimination is None
    assert stats.flags == ["Very hard"]


def test_an_item_the_weaker_learners_get_right_discriminates_negatively():
    # L1 and L2 score highest elsewhere but miss it; L3 and L4 get it.
    assert discrimination_index([0, 0, 2, 2], [6, 6, 2, 2]) == pytest.approx(-1.0)


def test_flags_at_and_beyond_each_threshold():
    assert item_flags(0.2, 0.2) == []
    assert item_flags(0.9, 0.5) == []
    assert item_flags(0.19, 0.5) == ["Very hard"]
    assert item_flags(0.91, 0.5) == ["Very easy"]
    assert item_flags(0.5, 0.19) == ["Weak discrimination"]
    assert item_flags(0.1675, 0.1) == ["Very hard", "Weak discrimination"]
    assert item_flags(None, None) == []


def test_timeouts_answer_times_and_option_picks_are_counted():
    stats = ItemStats()
    stats.add(2, 6, 2, seconds_to_answer=4, picked="a")
    stats.add(-0.66, 3.34, 2, seconds_to_answer=6, picked="b")
    stats.add(0, 1.34, 2)  # skipped
    stats.add(0, -1.32, 2, timed_out=True)
    assert stats.timeout_rate == 0.25
    assert stats.mean_seconds == 5.0
    assert stats.picks == {"a": 1, "b": 1}


def test_an_empty_item_has_no_statistics():
    stats = ItemStats()
    assert (stats.facility, stats.discrimination, stats.timeout_rate, stats.mean_seconds) == (None, None, None, None)


def test_summary_of_scores_gives_mean_median_highest_lowest():
    summary = summarise([D("6"), D("3.34"), D("1.34"), D("-1.32")])
    assert summary.count == 4
    assert summary.mean == D("2.34")
    assert summary.median == D("2.34")  # (3.34 + 1.34) / 2
    assert (summary.highest, summary.lowest) == (D("6"), D("-1.32"))
    assert summarise([]).mean is None


def test_histogram_counts_scores_into_equal_ranges_with_the_full_score_in_the_last():
    bins = histogram([D("-1.32"), D("0"), D("1.34"), D("3.34"), D("6"), D("6")], D("-2"), D("6"), 4)
    assert [(b.low, b.high, b.count) for b in bins] == [
        (D("-2"), D("0"), 1),
        (D("0"), D("2"), 2),
        (D("2"), D("4"), 1),
        (D("4"), D("6"), 2),
    ]


def test_histogram_chart_scales_the_tallest_bar_to_the_plot_height():
    bins = histogram([D("1"), D("5"), D("5")], D("0"), D("6"), 3)
    chart = charts.histogram_chart(bins)
    heights = [bar.height for bar in chart.bars]
    plot_height = charts.HEIGHT - charts.TOP - charts.BOTTOM
    assert heights == [plot_height / 2, 0, plot_height]
    assert [bar.label for bar in chart.bars] == ["0 to 2", "2 to 4", "4 to 6"]
    assert chart.bars[2].y == charts.TOP
