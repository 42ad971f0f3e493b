"""The chart primitives' geometry: nothing drawn for no data, the largest figure filling the
chart, the others in proportion, and a small figure still visible."""

from decimal import Decimal

from common.dashboards.charts import (
    BAR_AREA_WIDTH,
    COLUMN_AREA_HEIGHT,
    COLUMN_FILL,
    COLUMN_MARGIN,
    COLUMNS_WIDTH,
    ROW_HEIGHT,
    BarChart,
    ColumnChart,
)


def test_a_bar_chart_without_rows_is_empty():
    chart = BarChart(title="Nothing", rows=())

    assert chart.empty
    assert chart.bars == ()
    assert chart.height == ROW_HEIGHT


def test_one_bar_fills_the_bar_area():
    (bar,) = BarChart(title="One", rows=(("only", 3),)).bars

    assert (bar.label, bar.value, bar.y, bar.width) == ("only", 3, 0, BAR_AREA_WIDTH)


def test_bars_are_scaled_to_the_largest_and_stacked_row_by_row():
    chart = BarChart(title="Three", rows=(("a", 4), ("b", 2), ("c", Decimal("1.00"))))

    assert [(bar.y, bar.width) for bar in chart.bars] == [
        (0, BAR_AREA_WIDTH),
        (ROW_HEIGHT, BAR_AREA_WIDTH / 2),
        (2 * ROW_HEIGHT, BAR_AREA_WIDTH / 4),
    ]
    assert chart.height == 3 * ROW_HEIGHT


def test_a_row_of_zero_is_kept_without_a_bar_and_a_tiny_figure_stays_visible():
    chart = BarChart(title="Stock", rows=(("none left", 0), ("tiny", 1), ("plenty", 100_000)))

    assert not chart.empty
    assert [bar.width for bar in chart.bars] == [0.0, 1.0, BAR_AREA_WIDTH]


def hours(*values: tuple[int, ...]) -> ColumnChart:
    return ColumnChart(
        title="Per hour",
        labels=tuple(f"{hour:02d}:00" for hour in range(len(values))),
        series=("Confirmed", "Cancelled"),
        values=values,
    )


def test_a_column_chart_of_zeros_is_empty_and_draws_no_segment():
    chart = hours((0, 0), (0, 0))

    assert chart.empty
    assert [column.segments for column in chart.columns] == [(), ()]


def test_the_tallest_column_fills_the_height_and_its_series_stack_from_the_bottom():
    chart = hours((3, 1), (1, 1), (0, 0))

    tallest, half, nothing = chart.columns

    assert [(segment.name, segment.y, segment.height) for segment in tallest.segments] == [
        ("Confirmed", COLUMN_AREA_HEIGHT / 4, COLUMN_AREA_HEIGHT * 3 / 4),
        ("Cancelled", 0, COLUMN_AREA_HEIGHT / 4),
    ]
    assert sum(segment.height for segment in half.segments) == COLUMN_AREA_HEIGHT / 2
    assert half.segments[0].y == COLUMN_AREA_HEIGHT * 3 / 4
    assert nothing.segments == ()
    assert [column.x - COLUMN_MARGIN for column in chart.columns] == [
        0,
        COLUMNS_WIDTH / 3,
        COLUMNS_WIDTH * 2 / 3,
    ]
    assert tallest.width == round(COLUMNS_WIDTH / 3 * COLUMN_FILL, 1)
    assert chart.totals == (4, 2, 0)
    assert chart.legend == ((0, "Confirmed", 4), (1, "Cancelled", 2))


def test_only_every_few_columns_are_labelled_so_the_labels_do_not_overlap():
    chart = hours(*[(1, 0)] * 24)

    assert [column.label for column in chart.columns if column.labelled] == [
        f"{hour:02d}:00" for hour in range(0, 24, 3)
    ]


def test_counts_keyed_by_column_and_series_fill_the_table_with_zeros_where_missing():
    chart = ColumnChart.of_counts(
        title="Orders",
        columns=[("h1", "01:00"), ("h2", "02:00")],
        series=[("CONFIRMED", "Confirmed"), ("CANCELLED", "Cancelled")],
        counts={("h2", "CANCELLED"): 5, ("h1", "CONFIRMED"): 2, ("h3", "CONFIRMED"): 9},
    )

    assert chart.series == ("Confirmed", "Cancelled")
    assert chart.rows == (("01:00", (2, 0), 2), ("02:00", (0, 5), 5))
