"""Chart primitives: figures in, SVG geometry out, drawn by the dashboards' templates.

Geometry is in SVG user units; the stylesheet scales each drawing to its panel's width. A chart
never draws a non-zero figure thinner than one unit, so a small figure next to a large one stays
visible, and the numbers are always written beside the shapes.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from math import ceil
from typing import ClassVar, TypeVar

Number = int | Decimal
ColumnKey = TypeVar("ColumnKey", bound=Hashable)
SeriesKey = TypeVar("SeriesKey", bound=Hashable)

LABEL_WIDTH = 160
BAR_AREA_WIDTH = 220
VALUE_WIDTH = 60
ROW_HEIGHT = 22
BAR_HEIGHT = 14

# The columns share this width whatever their number, so every chart's labels are one size.
COLUMNS_WIDTH = 336
# Room either side for the first and last columns' labels, centred under them.
COLUMN_MARGIN = 14
# Of each column's share of the width, the part its bar takes; the rest is the gap.
COLUMN_FILL = 0.7
COLUMN_AREA_HEIGHT = 120
AXIS_HEIGHT = 18
# Labels under more columns than this would overlap: every n-th column is labelled instead.
MOST_COLUMN_LABELS = 8


def scaled(value: Number, *, largest: Number, length: int) -> float:
    """`value`'s share of `length`, `largest` filling it whole."""
    if value <= 0 or largest <= 0:
        return 0.0
    return max(1.0, round(float(value) / float(largest) * length, 1))


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number
    y: int
    width: float

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 2


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per row in the order given, the largest filling the bar area."""

    title: str
    rows: tuple[tuple[str, Number], ...]

    template: ClassVar[str] = "dashboards/bar_chart.html"
    label_width: ClassVar[int] = LABEL_WIDTH
    value_x: ClassVar[int] = LABEL_WIDTH + BAR_AREA_WIDTH + 6
    width: ClassVar[int] = LABEL_WIDTH + BAR_AREA_WIDTH + VALUE_WIDTH
    bar_height: ClassVar[int] = BAR_HEIGHT

    @property
    def empty(self) -> bool:
        """No rows; a row of zero is drawn, its figure written (no stock left is news)."""
        return not self.rows

    @property
    def height(self) -> int:
        return max(len(self.rows), 1) * ROW_HEIGHT

    @property
    def bars(self) -> tuple[Bar, ...]:
        largest = max((value for _, value in self.rows), default=0)
        return tuple(
            Bar(
                label=label,
                value=value,
                y=index * ROW_HEIGHT,
                width=scaled(value, largest=largest, length=BAR_AREA_WIDTH),
            )
            for index, (label, value) in enumerate(self.rows)
        )


@dataclass(frozen=True)
class Segment:
    series: int
    name: str
    value: Number
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    width: float
    total: Number
    segments: tuple[Segment, ...]
    labelled: bool

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class ColumnChart:
    """Columns along time, each stacked from its series' values (`values[column][series]`),
    the tallest column filling the height; one series makes plain columns."""

    title: str
    labels: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[Number, ...], ...]

    template: ClassVar[str] = "dashboards/column_chart.html"
    width: ClassVar[int] = COLUMNS_WIDTH + 2 * COLUMN_MARGIN
    area_height: ClassVar[int] = COLUMN_AREA_HEIGHT
    height: ClassVar[int] = COLUMN_AREA_HEIGHT + AXIS_HEIGHT
    label_y: ClassVar[int] = COLUMN_AREA_HEIGHT + AXIS_HEIGHT - 4

    @classmethod
    def of_counts(
        cls,
        *,
        title: str,
        columns: Sequence[tuple[ColumnKey, str]],
        series: Sequence[tuple[SeriesKey, str]],
        counts: Mapping[tuple[ColumnKey, SeriesKey], Number],
    ) -> "ColumnChart":
        """From figures keyed by (column key, series key); columns and series are (key, label)
        pairs in the order drawn, and a pair of keys missing from `counts` is zero."""
        return cls(
            title=title,
            labels=tuple(label for _, label in columns),
            series=tuple(label for _, label in series),
            values=tuple(
                tuple(counts.get((column, name), 0) for name, _ in series) for column, _ in columns
            ),
        )

    @property
    def empty(self) -> bool:
        return all(value == 0 for column in self.values for value in column)

    @property
    def totals(self) -> tuple[Number, ...]:
        return tuple(sum(column, 0) for column in self.values)

    @property
    def legend(self) -> tuple[tuple[int, str, Number], ...]:
        """Each series' index (its colour), name and total over every column."""
        return tuple(
            (index, name, sum((column[index] for column in self.values), 0))
            for index, name in enumerate(self.series)
        )

    @property
    def rows(self) -> tuple[tuple[str, tuple[Number, ...], Number], ...]:
        """The figures table: each column's label, its values by series, and its total."""
        return tuple(zip(self.labels, self.values, self.totals, strict=True))

    @property
    def columns(self) -> tuple[Column, ...]:
        largest = max(self.totals, default=0)
        step = COLUMNS_WIDTH / max(len(self.labels), 1)
        label_every = max(1, ceil(len(self.labels) / MOST_COLUMN_LABELS))
        columns = []
        for index, (label, values, total) in enumerate(self.rows):
            segments = []
            top = float(COLUMN_AREA_HEIGHT)
            for series, (name, value) in enumerate(zip(self.series, values, strict=True)):
                height = scaled(value, largest=largest, length=COLUMN_AREA_HEIGHT)
                if height:
                    top -= height
                    segments.append(Segment(series, name, value, y=round(top, 1), height=height))
            columns.append(
                Column(
                    label=label,
                    x=round(COLUMN_MARGIN + index * step, 1),
                    width=round(step * COLUMN_FILL, 1),
                    total=total,
                    segments=tuple(segments),
                    labelled=index % label_every == 0,
                )
            )
        return tuple(columns)


@dataclass(frozen=True)
class Table:
    """Figures read rather than looked at: a list of accounts, of products."""

    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Panel:
    """One box of a dashboard: a chart and/or a table, with a line saying what is counted."""

    title: str
    note: str = ""
    chart: BarChart | ColumnChart | None = None
    table: Table | None = None
