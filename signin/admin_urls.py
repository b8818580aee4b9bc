"""Connecting an organisation to its identity provider, in the county administrator's workspace."""

from django.urls import path

from signin import views

app_name = "signin_admin"
urlpatterns = [
    path("<str:code>/inloggning/", views.connections, name="connections"),
    path("<str:code>/inloggning/<int:organisation_id>/", views.connection_edit, name="connection_edit"),
    path(
        "<str:code>/inloggning/<int:organisation_id>/hamta-metadata/",
        views.connection_refresh,
        name="connection_refresh",
    ),
]
