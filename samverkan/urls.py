from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samverkan import people_views, views
from samverkan.api import open_data_api
from samverkan.forms import LoginForm, QueuedPasswordResetForm
from samverkan.pagecache import public_page

account_patterns = [
    path(
        "logga-in/",
        views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("", include("signin.urls")),
    path("losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "aterstall/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("aterstall/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "aterstall/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", views.account, name="account"),
    path("agera-for/", views.acting_organisation_set, name="acting_organisation_set"),
    path("inbjudan/<str:token>/", people_views.invitation_accept, name="invitation_accept"),
]

person = "<str:code>/personer/<int:user_id>/"
workspace_patterns = [
    path("", people_views.workspace, name="workspace"),
    path("<str:code>/personer/", people_views.people, name="people"),
    path("<str:code>/personer/bjud-in/", people_views.person_invite, name="person_invite"),
    path("<str:code>/personer/importera/", people_views.people_import, name="people_import"),
    path(person, people_views.person_edit, name="person_edit"),
    path(person + "avaktivera/", people_views.person_deactivate, name="person_deactivate"),
    path(person + "aktivera/", people_views.person_reactivate, name="person_reactivate"),
    path(person + "skicka-inbjudan/", people_views.invitation_resend, name="invitation_resend"),
    path("", include("signin.admin_urls")),
]

urlpatterns = [
    path("", public_page()(views.home), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("lan/", public_page()(views.county_list), name="county_list"),
    path("lan/<str:code>/", public_page()(views.county_detail), name="county_detail"),
    path("konto/", include(account_patterns)),
    path("administration/", include(workspace_patterns)),
    path("roller/", views.role_people, name="role_people"),
    path("roller/person/<int:user_id>/", views.role_person, name="role_person"),
    path("roller/<slug:kind>/<int:held_id>/ta-bort/", views.role_remove, name="role_remove"),
    path("overenskommelser/", include("agreements.urls")),
    path("organ/", include("governance.urls")),
    path("avvikelser/", include("deviations.urls")),
    path("api/v1/", open_data_api().urls),
    path("sprak/", views.language_choose, name="language"),
    path("admin/", admin.site.urls),
]

handler500 = "samverkan.views.server_error"
