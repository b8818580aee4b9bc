from django.contrib import admin

from deviations.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The deviation categories: the defaults (no county) and each county's own additions."""

    list_display = ["name", "code", "county", "order", "active"]
    list_filter = ["active", "county"]
    list_editable = ["order", "active"]
    search_fields = ["name", "code"]
