from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.models import Body


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "level", "county"]
    list_filter = ["level", "county"]
    list_select_related = ["county"]
    search_fields = ["name", "abbreviation"]
