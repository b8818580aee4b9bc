from django.urls import path
from django.views.decorators.http import require_safe

from governance import CACHE_SCOPE, body_views, feeds, views
from samverkan.pagecache import public_page

# Public pages served from the page cache (samverkan/pagecache.py) to visitors who are not logged in.
cached = public_page(CACHE_SCOPE)

app_name = "governance"

urlpatterns = [
    path("", cached(views.directory), name="directory"),
    path("<int:pk>/", public_page(CACHE_SCOPE, "agreements")(views.body_detail), name="body"),
    path("mina/", views.my_bodies, name="mine"),
    path("lan/<str:code>/nytt-organ/", body_views.body_new, name="body_new"),
    path("<int:pk>/administrera/", body_views.body_admin, name="body_admin"),
    path("<int:pk>/avsluta/", body_views.body_end, name="body_end"),
    path("<int:pk>/platser/", body_views.seat_add, name="seat_add"),
    path("plats/<int:pk>/ta-bort/", body_views.seat_remove, name="seat_remove"),
    path("<int:pk>/ledamoter/", body_views.member_add, name="member_add"),
    path("medlemskap/<int:pk>/avsluta/", body_views.membership_end, name="membership_end"),
    path("<int:pk>/nytt-mote/", views.meeting_new, name="meeting_new"),
    path("<int:pk>/kalender.ics", feeds.body_calendar, name="body_calendar"),
    path("mina-moten.ics", feeds.my_calendar, name="my_calendar"),
    path("protokoll/<str:code>/atom.xml", require_safe(feeds.ProtocolFeed()), name="protocol_feed"),
    path("mote/<int:pk>/", cached(views.meeting_detail), name="meeting"),
    path("mote/<int:pk>/historik/", views.meeting_history, name="meeting_history"),
    path("mote/<int:pk>/<str:kind>.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("mote/<int:pk>/nytt-arende/", views.item_submit, name="item_submit"),
    path("mote/<int:pk>/skicka-kallelse/", views.agenda_publish, name="agenda_publish"),
    path("mote/<int:pk>/narvaro/", views.attendance_record, name="attendance"),
    path("mote/<int:pk>/till-justering/", views.adjustment_send, name="adjustment_send"),
    path("mote/<int:pk>/justera/", views.protocol_adjust, name="adjust"),
    path("mote/<int:pk>/begar-andring/", views.protocol_request_change, name="adjust_request_change"),
    path("mote/<int:pk>/publicera-protokoll/", views.protocol_publish, name="protocol_publish"),
    path("arende/<int:pk>/", views.item_decide, name="item_decide"),
    path("beslut/<int:pk>/", views.decision_follow_up, name="decision_follow_up"),
    path("paragraf/<int:pk>/", views.paragraph_save, name="paragraph_save"),
    path("paragraf/<int:pk>/rattelse/", views.paragraph_correct, name="paragraph_correct"),
    path("mote/<int:pk>/synpunkter/", views.written_views_send, name="written_views"),
    path("mote/<int:pk>/<str:kind>.docx", views.meeting_docx, name="meeting_docx"),
    path("arende/<int:pk>/bilaga/", views.attachment_upload, name="attachment_upload"),
    path("arende/<int:pk>/foredragning.docx", views.item_memo, name="item_memo"),
    path("bilaga/<int:pk>/", views.attachment_download, name="attachment"),
    path("bilaga/<int:pk>/ta-bort/", views.attachment_remove, name="attachment_remove"),
    path("beslut/<int:pk>/projektplan.docx", views.decision_plan, name="decision_plan"),
    path("<int:pk>/arshjul/<int:year>/", views.annual_cycle, name="annual_cycle"),
    path("<int:pk>/arshjul/<int:year>.docx", views.cycle_docx, name="cycle_docx"),
    path("<int:pk>/arshjul/<int:year>/generera/", views.cycle_generate, name="cycle_generate"),
    path("<int:pk>/arshjul/<int:year>/ny-regel/", views.cycle_rule_add, name="cycle_rule_add"),
    path("arshjul/uppgift/<int:pk>/", views.cycle_duty_mark, name="cycle_duty"),
    path("<int:pk>/mallar/<str:kind>.docx", views.body_template, name="body_template"),
]
