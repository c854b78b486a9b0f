from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from centres.admin import AppendOnlyAdmin, ReadOnlyAdmin
from collaboration.models import (
    ActorPosition,
    Collaboration,
    HistoryAction,
    HistoryEntry,
    ImportRun,
    Participation,
    PreparedReport,
    StoredMap,
    Theme,
)
from collaboration.records.services import delete_collaboration, record, snapshot
from samkort.admin_inlines import NamedTabularInline
from samkort.concurrency import claim_next_version


class ParticipationFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        actors = {
            form.cleaned_data["actor"].pk
            for form in self.forms
            if form.cleaned_data.get("actor") and not form.cleaned_data.get("DELETE")
        }
        if len(actors) < 2:
            raise forms.ValidationError(_("A collaboration needs at least two different actors."))


class ParticipationInline(NamedTabularInline):
    model = Participation
    formset = ParticipationFormSet
    extra = 0
    autocomplete_fields = ["actor"]


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    """Changes made here are recorded like any other: in the collaboration's history, with who made them."""

    list_display = ["title", "centre", "form", "started_on", "ended_on", "level"]
    list_filter = ["form", "level", "centre", "themes"]
    search_fields = ["title", "description"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["centre"]
    # A dozen themes are boxes to tick; Django's two-list filter names its search icons in a way screen readers are
    # told to ignore (axe: aria-prohibited-attr).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    readonly_fields = ["created_by", "updated_by", "created_at", "updated_at", "version"]
    inlines = [ParticipationInline]

    def save_model(self, request, obj, form, change):
        # The admin saves over the version it read, and raises it, so a form open elsewhere sees the change.
        if change:
            claim_next_version(obj, obj.version)
            obj.history_before = snapshot(Collaboration.objects.get(pk=obj.pk))
        else:
            obj.created_by = request.user
            obj.history_before = {}
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # After the participations and themes, so the history holds the whole new version.
        super().save_related(request, form, formsets, change)
        collaboration = form.instance
        action = HistoryAction.UPDATED if change else HistoryAction.CREATED
        record(collaboration, request.user, action, collaboration.history_before)

    def get_deleted_objects(self, objs, request):
        # Participations go with their collaboration; that they cannot be deleted alone does not block it.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(str(Participation._meta.verbose_name))
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        delete_collaboration(obj, request.user, obj.version)

    def delete_queryset(self, request, queryset):
        for collaboration in queryset:
            delete_collaboration(collaboration, request.user, collaboration.version)


@admin.register(Participation)
class ParticipationAdmin(AppendOnlyAdmin):
    """Read only: participations are changed with their collaboration, which keeps at least two actors."""

    list_display = ["collaboration", "actor", "role"]
    list_filter = ["role"]
    search_fields = ["collaboration__title", "actor__name"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "position"]
    list_editable = ["active", "position"]


@admin.register(HistoryEntry)
class HistoryEntryAdmin(AppendOnlyAdmin):
    list_display = ["at", "title", "action", "user", "centre"]
    list_filter = ["action", "centre"]


@admin.register(ActorPosition)
class ActorPositionAdmin(admin.ModelAdmin):
    """Positions are placed by the map itself; deleting a centre's positions lets the map lay it out afresh."""

    list_display = ["actor", "centre", "x", "y"]
    list_filter = ["centre"]
    search_fields = ["actor__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StoredMap)
class StoredMapAdmin(ReadOnlyAdmin):
    """Maps computed once for every process: to see what is stored and how large, not to edit."""

    list_display = ["key", "version", "size", "seconds", "created_at"]
    exclude = ["payload"]


@admin.register(PreparedReport)
class PreparedReportAdmin(ReadOnlyAdmin):
    """Report files workers made: who asked, how far it came, when it expires. Not to edit."""

    list_display = ["created_at", "user", "file_format", "status", "expires_at"]
    list_filter = ["status"]
    exclude = ["file"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """Imports coordinators confirmed: into which centre, from which files, how they ended. Not to edit."""

    list_display = ["created_at", "centre", "user", "status", "actors", "collaborations"]
    list_select_related = ["centre", "user"]
    # The run's page is its coordinator's alone.
    view_on_site = False
    list_filter = ["status"]
    exclude = ["ticket"]
