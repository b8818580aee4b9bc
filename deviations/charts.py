"""Horizontal bar charts and heat shades computed in Python, so the templates only place SVG elements.

Positions are strings ("42.50%") formatted here rather than floats, because templates localise floats
("42,50") and SVG wants a decimal point.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.dates import MONTHS
from django.utils.text import Truncator, get_text_list
from django.utils.translation import gettext as _

from deviations.selectors import Statistics

ROW_HEIGHT = 44  # px: a line for the label with the bar below it
LABEL_BASELINE = 16
BAR_TOP = 22
BAR_HEIGHT = 16
PLOT_WIDTH = 85.0  # percent of the chart's width the longest bar takes, leaving room for its number
LABEL_CHARS = 45
HEAT_SHADES = 5


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: str
    label_y: int
    bar_y: int
    value_y: int

    @property
    def short_label(self) -> str:
        return Truncator(self.label).chars(LABEL_CHARS)


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    height: int
    bar_height: int = BAR_HEIGHT

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def maximum(self) -> int:
        return max((bar.value for bar in self.bars), default=0)

    @property
    def leaders(self) -> str:
        """The labels that share the largest value, for the chart's text summary."""
        labels = [bar.label for bar in self.bars if self.maximum and bar.value == self.maximum]
        return get_text_list(labels, _("och"))


def bar_chart(rows: Iterable[tuple[object, int]]) -> BarChart:
    """Bars in the given order, the largest PLOT_WIDTH percent wide and the others in proportion."""
    rows = [(str(label), value) for label, value in rows]
    maximum = max((value for _label, value in rows), default=0)
    bars = []
    for index, (label, value) in enumerate(rows):
        top = index * ROW_HEIGHT
        width = PLOT_WIDTH * value / maximum if maximum else 0.0
        bars.append(
            Bar(
                label=label,
                value=value,
                width=f"{width:.2f}%",
                label_y=top + LABEL_BASELINE,
                bar_y=top + BAR_TOP,
                value_y=top + BAR_TOP + BAR_HEIGHT - 3,
            )
        )
    return BarChart(bars=tuple(bars), height=max(len(bars), 1) * ROW_HEIGHT)


def heat_level(value: int, maximum: int) -> int:
    """0 for nothing, else 1..HEAT_SHADES in proportion to the largest value."""
    if value <= 0 or maximum <= 0:
        return 0
    return max(1, math.ceil(HEAT_SHADES * value / maximum))


@dataclass(frozen=True)
class HeatRow:
    target_group: str
    area: str
    count: int
    level: int


def heat_rows(by_area: Iterable[tuple[str, str, int]]) -> list[HeatRow]:
    """Target group × responsibility area counts, most deviations first, each with its shade."""
    rows = sorted(by_area, key=lambda row: (-row[2], row[0], row[1]))
    maximum = max((n for _group, _area, n in rows), default=0)
    return [HeatRow(group, area, n, heat_level(n, maximum)) for group, area, n in rows]


def heat_legend(rows: list[HeatRow]) -> list[tuple[int, int, int]]:
    """(shade, lowest count, highest count) for each shade that some count can have."""
    maximum = max((row.count for row in rows), default=0)
    ranges = [
        (level, (level - 1) * maximum // HEAT_SHADES + 1, level * maximum // HEAT_SHADES)
        for level in range(1, HEAT_SHADES + 1)
    ]
    return [(level, low, high) for level, low, high in ranges if low <= high]


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    label_heading: str
    chart: BarChart
    note: str = ""


def _unset(label: str) -> str:
    return _("Ej angivet") if label == "–" else label


def dimensions(stats: Statistics) -> list[Dimension]:
    """The statistics' dimensions as charts, in the order the page, the CSV and the PDF present them."""
    by_month = dict(stats.by_month)
    months = [(str(MONTHS[month]).capitalize(), by_month.get(month, 0)) for month in range(1, 13)]
    return [
        Dimension("month", _("Per månad"), _("Månad"), bar_chart(months)),
        Dimension(
            "category",
            _("Avvikelser per kategori"),
            _("Kategori"),
            bar_chart((_unset(name), n) for name, n in stats.by_category),
            _("Endast avvikelser; tvister har ingen kategori."),
        ),
        Dimension(
            "concerned",
            _("Per berörd organisation"),
            _("Organisation"),
            bar_chart(stats.by_concerned),
            _("Ett ärende kan beröra flera organisationer och räknas då hos var och en."),
        ),
        Dimension(
            "section",
            _("Per avsnitt i överenskommelsen"),
            _("Avsnitt"),
            bar_chart((_unset(label), n) for label, n in stats.by_section),
        ),
        Dimension(
            "level",
            _("Per nivå som nåtts i eskaleringstrappan"),
            _("Nivå"),
            bar_chart((_("Nivå %(level)s") % {"level": level}, n) for level, n in stats.by_level),
            _("Den högsta nivå ärendet har eskalerats till."),
        ),
    ]
