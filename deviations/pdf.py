"""The yearly report of deviations and disputes as PDF, for the county's political body (Blekinge 7.3)."""

from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deviations import charts
from deviations.selectors import Statistics
from governance.models import Body
from samverkan.documents.pdf import render_pdf
from samverkan.models import County

TOP = 3


def political_body(county: County) -> Body | None:
    return Body.objects.filter(county=county, level=Body.Level.POLITICAL).order_by("name").first()


def _ranked(rows: list[tuple[str, int]]) -> str:
    return get_text_list([f"{label} ({n})" for label, n in rows[:TOP]], _("och"))


def analysis(stats: Statistics) -> list[str]:
    """A few sentences that say what the year's figures show."""
    if not stats.total:
        return [_("Inga avvikelser eller tvister anmäldes under året.")]
    kinds = get_text_list(
        [
            ngettext("%(n)s avvikelse", "%(n)s avvikelser", stats.deviations) % {"n": stats.deviations},
            ngettext("%(n)s tvist", "%(n)s tvister", stats.disputes) % {"n": stats.disputes},
        ],
        _("och"),
    )
    sentences = [
        ngettext(
            "Under %(year)s anmäldes %(total)s ärende: %(kinds)s.",
            "Under %(year)s anmäldes %(total)s ärenden: %(kinds)s.",
            stats.total,
        )
        % {"year": stats.year, "total": stats.total, "kinds": kinds}
    ]
    if stats.by_category:
        sentences.append(_("Flest avvikelser gällde %(list)s.") % {"list": _ranked(stats.by_category)})
    areas = charts.heat_rows(stats.by_area)
    if areas:
        ranked = _ranked([(f"{row.area} – {row.target_group}", row.count) for row in areas])
        sentences.append(_("De ansvarsområden som gav flest ärenden var %(list)s.") % {"list": ranked})
    sentences.append(
        ngettext(
            "%(percent)s %% av ärendena (%(n)s ärende) blev försenade någon gång.",
            "%(percent)s %% av ärendena (%(n)s ärenden) blev försenade någon gång.",
            stats.overdue,
        )
        % {"percent": number_format(stats.overdue_percent, 1), "n": stats.overdue}
    )
    if stats.median_days_to_feedback is not None:
        sentences.append(
            _("Mediantiden från anmälan till första återkoppling var %(days)s dagar.")
            % {"days": number_format(stats.median_days_to_feedback, 1)}
        )
    escalated = sum(n for level, n in stats.by_level if level > 1)
    if escalated:
        sentences.append(
            ngettext(
                "%(n)s ärende eskalerades förbi den första nivån.",
                "%(n)s ärenden eskalerades förbi den första nivån.",
                escalated,
            )
            % {"n": escalated}
        )
    return sentences


def render_statistics_pdf(stats: Statistics) -> bytes:
    """The report in Swedish. Raises PdfRenderError (and logs) when WeasyPrint fails."""
    with translation.override("sv"):
        context = {
            "stats": stats,
            "county": stats.county,
            "year": stats.year,
            "body": political_body(stats.county),
            "overdue_percent": stats.overdue_percent,
            "dimensions": charts.dimensions(stats),
            "heat_rows": charts.heat_rows(stats.by_area),
            "analysis": analysis(stats),
            "created": timezone.now(),
        }
    return render_pdf(
        "deviations/pdf/statistics.html", context, subject=f"the statistics of {stats.county} {stats.year}"
    )
