from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.body_detail, name="body"),
    path("mote/<int:pk>/", views.meeting_detail, name="meeting"),
]
