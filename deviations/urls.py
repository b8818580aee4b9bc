from django.urls import path

from deviations import CACHE_SCOPE, statistics_views, views
from samverkan.pagecache import personal_page, public_page

# The public statistics (aggregates only) from the page cache (samverkan/pagecache.py).
cached = public_page(CACHE_SCOPE, "agreements")

app_name = "deviations"

urlpatterns = [
    path("", personal_page(CACHE_SCOPE, "governance")(views.my_cases), name="mine"),
    path("ny/", views.report, name="report"),
    path("ny-tvist/", views.report, {"kind": "dispute"}, name="report_dispute"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/historik/", views.case_history, name="case_history"),
    path("<int:pk>/atgard/", views.case_act, name="act"),
    path("<int:pk>/eskalera/", views.case_escalate, name="escalate"),
    path("<int:pk>/kommentar/", views.case_comment, name="comment"),
    path("<int:pk>/standpunkt/", views.position_state, name="position"),
    path("fil/<int:pk>/", views.event_file, name="event_file"),
    path("organ/<int:pk>/", views.body_queue, name="body_queue"),
    path("trappor/", views.ladders, name="ladders"),
    path("trappor/<int:pk>/", views.ladder_edit, name="ladder_edit"),
    path("statistik/", cached(statistics_views.statistics), name="statistics"),
    path(
        "statistik/<str:code>/<int:year>.csv", cached(statistics_views.statistics_csv), name="statistics_csv"
    ),
    path(
        "statistik/<str:code>/<int:year>.pdf", cached(statistics_views.statistics_pdf), name="statistics_pdf"
    ),
    path("statistik/<str:code>/<int:year>/omraden/", cached(statistics_views.heat), name="heat"),
]
