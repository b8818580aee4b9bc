from django.urls import path

from agreements import CACHE_SCOPE, intake_views, views
from samverkan.pagecache import public_page

# Public pages served from the page cache (samverkan/pagecache.py) to visitors who are not logged in.
cached = public_page(CACHE_SCOPE)
cached_with_bodies = public_page(CACHE_SCOPE, "governance")  # the adopting body is named

app_name = "agreements"

urlpatterns = [
    path("", cached(views.agreement_list), name="list"),
    path("sok/", cached(views.search), name="search"),
    path("lagar/", cached(views.law_list), name="law_list"),
    path("lagar/ny/", intake_views.law_new, name="law_new"),
    path("lagar/<str:code>/", cached(views.law_detail), name="law_detail"),
    path("lagar/<str:code>/andra/", intake_views.law_edit, name="law_edit"),
    path("omraden/", cached(views.area_compare), name="area_compare"),
    path("bevakning/", views.notice_watch, name="notice_watch"),
    path("ladda-upp/", intake_views.agreement_upload, name="upload"),
    path("ny/", intake_views.agreement_new, name="new"),
    path("<int:pk>/", cached_with_bodies(views.agreement_detail), name="detail"),
    path("<int:pk>/jamfor/", views.compare, name="compare"),
    path("<int:pk>/word/", intake_views.word_upload, name="word_upload"),
    path("<int:pk>/ny-version/", views.revision_create, name="revision_create"),
    path("<int:pk>/antagande-organ/", views.adopting_body_edit, name="adopting_body_edit"),
    path("<int:pk>/faststallelse/", views.ratification_edit, name="ratification_edit"),
    path("<int:pk>/version/<int:number>/", cached_with_bodies(views.version_detail), name="version"),
    path("<int:pk>/version/<int:number>/historik/", views.version_history, name="version_history"),
    path("<int:pk>/version/<int:number>/anta/", views.version_adopt, name="adopt"),
    path("<int:pk>/version/<int:number>/pdf/", views.version_pdf, name="pdf"),
    path(
        "<int:pk>/version/<int:number>/malgrupp/<slug:key>/", cached(views.responsibility_table), name="table"
    ),
    path("<int:pk>/version/<int:number>/malgrupp/<slug:key>/redigera/", views.table_edit, name="table_edit"),
    path(
        "<int:pk>/version/<int:number>/malgrupp/<slug:key>/rubriker/",
        views.table_headings,
        name="table_headings",
    ),
    path("<int:pk>/version/<int:number>/malgrupp/<slug:key>/nytt-omrade/", views.area_add, name="area_add"),
    path("<int:pk>/version/<int:number>/omrade/<int:area_id>/", views.area_change, name="area_change"),
    path(
        "<int:pk>/version/<int:number>/omrade/<int:area_id>/nytt-atagande/", views.duty_add, name="duty_add"
    ),
    path("<int:pk>/version/<int:number>/atagande/<int:duty_id>/", views.duty_change, name="duty_change"),
    path("<int:pk>/version/<int:number>/avsnitt/<int:section_id>/", views.section_edit, name="section_edit"),
]
