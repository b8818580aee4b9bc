"""Open data API: aggregated deviation and dispute statistics per county and year. Cases themselves are
never public; only ``selectors.statistics`` is read."""

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Path, Router, Schema

from deviations import selectors
from deviations.statistics_views import FIRST_YEAR, LAST_YEAR
from samverkan.api import CountyCode, link, page_link
from samverkan.models import County

router = Router(tags=["Avvikelsestatistik"])


class Count(Schema):
    label: str
    count: int


class AreaCount(Schema):
    target_group: str
    area: str
    count: int


class StatisticsOut(Schema):
    county: str
    county_url: str
    year: int
    html_url: str
    csv_url: str
    total: int = Field(description="Rapporterade avvikelser och tvister under året")
    deviations: int
    disputes: int
    open: int
    overdue: int
    overdue_share: float | None
    median_days_to_feedback: float | None
    by_month: list[Count] = Field(description="Månad 1–12")
    by_category: list[Count] = Field(description="Avvikelser per kategori")
    by_concerned: list[Count] = Field(description="Per berörd organisation")
    by_section: list[Count] = Field(description="Per avsnitt i överenskommelsen")
    by_level: list[Count] = Field(description="Högsta nivå i eskaleringstrappan")
    by_area: list[AreaCount] = Field(description="Per målgrupp och ansvarsområde")


def _counts(pairs) -> list[dict]:
    return [{"label": str(label), "count": n} for label, n in pairs]


@router.get(
    "/deviation-statistics/{code}/{year}",
    response=StatisticsOut,
    url_name="deviation_statistics",
    summary="Avvikelser och tvister i ett län under ett år (aggregerat)",
)
def deviation_statistics(
    request: HttpRequest, code: CountyCode, year: int = Path(..., ge=FIRST_YEAR, le=LAST_YEAR)
):
    county = County.objects.filter(code=code).first()
    if county is None:
        raise Http404
    stats = selectors.statistics(county, year)
    page = reverse("deviations:statistics") + f"?lan={code}&ar={year}"
    return {
        "county": code,
        "county_url": link(request, "county", code=code),
        "year": year,
        "html_url": page_link(request, page),
        "csv_url": page_link(
            request, reverse("deviations:statistics_csv", kwargs={"code": code, "year": year})
        ),
        "total": stats.total,
        "deviations": stats.deviations,
        "disputes": stats.disputes,
        "open": stats.open,
        "overdue": stats.overdue,
        "overdue_share": stats.overdue_share,
        "median_days_to_feedback": stats.median_days_to_feedback,
        "by_month": _counts(stats.by_month),
        "by_category": _counts(stats.by_category),
        "by_concerned": _counts(stats.by_concerned),
        "by_section": _counts(stats.by_section),
        "by_level": _counts(stats.by_level),
        "by_area": [{"target_group": g, "area": a, "count": n} for g, a, n in stats.by_area],
    }
