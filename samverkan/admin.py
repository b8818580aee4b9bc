from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from simple_history.admin import SimpleHistoryAdmin

from samverkan.login_throttle import ThrottledLoginFormMixin
from samverkan.models import County, Organisation, OrganisationUnit, Profile, RoleAssignment


class AdminLoginForm(ThrottledLoginFormMixin, AdminAuthenticationForm):
    """The admin site's login form: staff only, and the throttle's message when it refuses."""


admin.site.login_form = AdminLoginForm


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "county", "code"]
    list_filter = ["kind", "county"]
    list_select_related = ["county"]
    search_fields = ["name", "code"]


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "parent"]
    list_select_related = ["organisation", "parent"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation", "parent"]


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "title"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation", "unit"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    """Read-only here: roles are assigned through the role administration so permissions follow."""

    list_display = ["user", "role", "scope", "assigned_by", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "assigned_by", "scope_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
