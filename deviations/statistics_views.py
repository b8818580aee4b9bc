"""The public statistics of deviations and disputes: aggregates only, never single cases."""

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from deviations import charts, pdf, selectors
from samverkan.models import County
from samverkan.selectors import acting_organisation

DEFAULT_COUNTY = "10"
NATIONAL = "riket"  # the code of the whole country in the statistics' addresses
FIRST_YEAR, LAST_YEAR = 2000, 2100
YEARS_OFFERED = 10


def _county_or_404(code: str) -> County:
    county = County.objects.filter(code=code).first()
    if county is None:
        raise Http404
    return county


def _place_or_404(code: str) -> County | None:
    """A county by its code, or None for the whole country (``NATIONAL``)."""
    return None if code == NATIONAL else _county_or_404(code)


def _place_name(county: County | None) -> str:
    return county.name if county else _("Hela landet")


def _year_or_404(value: object) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _cell(label: str) -> str:
    """Labels come from editable names; keep Excel from reading one as a formula."""
    return f"'{label}" if label[:1] in ("=", "+", "-", "@") else label


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    """Key figures and one chart with table per dimension, for a county or the whole country. Officials
    start in their own county."""
    code = request.GET.get("lan")
    if not code:
        acting = acting_organisation(request) if request.user.is_authenticated else None
        code = acting.county.code if acting else DEFAULT_COUNTY
    county = _place_or_404(code)
    this_year = timezone.localdate().year
    year = _year_or_404(request.GET.get("ar") or this_year)
    stats = selectors.statistics(county, year)
    years = list(range(this_year, this_year - YEARS_OFFERED, -1))
    if year not in years:
        years = sorted([*years, year], reverse=True)
    return render(
        request,
        "deviations/statistics.html",
        {
            "county": county,
            "place": {"code": code, "name": _place_name(county)},
            "national": NATIONAL,
            "year": year,
            "counties": County.objects.order_by("name"),
            "years": years,
            "stats": stats,
            "overdue_percent": stats.overdue_percent,
            "dimensions": charts.dimensions(stats),
        },
    )


@require_safe
def statistics_csv(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The figures for Excel: UTF-8 with a byte order mark, semicolons, decimal commas in Swedish. For a
    county or the whole country."""
    stats = selectors.statistics(_place_or_404(code), _year_or_404(year))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="avvikelser-{code}-{year}.csv"'
    response["Cache-Control"] = "public, max-age=3600"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Indelning"), _("Värde"), _("Antal")])
    key = _("Nyckeltal")
    percent = stats.overdue_percent
    median = stats.median_days_to_feedback
    writer.writerows(
        [
            (key, _("Ärenden totalt"), stats.total),
            (key, _("Avvikelser"), stats.deviations),
            (key, _("Tvister"), stats.disputes),
            (key, _("Fortfarande öppna"), stats.open),
            (key, _("Blivit försenade"), stats.overdue),
            (key, _("Andel som blivit försenade (%)"), "" if percent is None else number_format(percent, 1)),
            (
                key,
                _("Mediantid till första återkoppling (dagar)"),
                "" if median is None else number_format(median, 1),
            ),
        ]
    )
    for dimension in charts.dimensions(stats):
        writer.writerows((dimension.title, _cell(bar.label), bar.value) for bar in dimension.chart.bars)
    area = _("Målgrupp och ansvarsområde")
    writer.writerows(
        (area, _cell(f"{row.target_group} – {row.area}"), row.count)
        for row in charts.heat_rows(stats.by_area)
    )
    return response


@require_safe
def statistics_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The yearly report to the county's political body (Blekinge 7.3: redovisning till PSVO)."""
    county = _county_or_404(code)
    stats = selectors.statistics(county, _year_or_404(year))
    response = HttpResponse(pdf.render_statistics_pdf(stats), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="arsredovisning-avvikelser-{county.code}-{year}.pdf"'
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def heat(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Which responsibility areas generate the most cases, as input to the next revision."""
    county = _county_or_404(code)
    year = _year_or_404(year)
    stats = selectors.statistics(county, year)
    rows = charts.heat_rows(stats.by_area)
    return render(
        request,
        "deviations/heat.html",
        {
            "county": county,
            "year": year,
            "stats": stats,
            "rows": rows,
            "without_area": stats.total - sum(row.count for row in rows),
            "legend": charts.heat_legend(rows),
        },
    )
