from django.contrib import admin

from collaboration.models import Collaboration, HistoryEntry, Participation, Theme


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["actor"]


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["title", "centre", "form", "started_on", "ended_on", "level"]
    list_filter = ["form", "level", "centre", "themes"]
    search_fields = ["title", "description"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["centre"]
    filter_horizontal = ["themes"]
    readonly_fields = ["created_by", "updated_by", "created_at", "updated_at"]
    inlines = [ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["collaboration", "actor", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["collaboration", "actor"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "position"]
    list_editable = ["active", "position"]


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "title", "action", "user", "centre"]
    list_filter = ["action", "centre"]
    readonly_fields = ["centre", "collaboration", "title", "user", "action", "changes", "at"]

    def has_add_permission(self, request) -> bool:
        return False
