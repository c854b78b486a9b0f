from django import forms
from django.contrib import admin

from centres.forms import ActorNameForm
from centres.models import Actor, ActorHistoryEntry, Centre, LanguagePreference, Membership, Presence
from centres.services import remove_presence, save_actor, save_presence
from samkort.admin_inlines import NamedTabularInline


class ActorAdminForm(ActorNameForm):
    """A taken name is refused here too; administrators tidy up names, so look-alikes are not questioned."""

    # The admin does not merge: it saves over the version it read, and raises it so other open forms see the change.
    confirm = version = opened = None

    def clean(self):
        return forms.ModelForm.clean(self)


class PresenceInline(NamedTabularInline):
    model = Presence
    extra = 0
    autocomplete_fields = ["actor"]


class MembershipInline(NamedTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "active"]
    list_filter = ["kind", "active", "municipality"]
    search_fields = ["name", "municipality", "helhedsplan"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PresenceInline, MembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Presence:
            return super().save_formset(request, form, formset, change)
        # Presences are recorded in their actor's history, wherever they are changed.
        for presence_form in formset.deleted_forms:
            if presence_form.instance.pk:
                remove_presence(presence_form.instance, request.user)
        for presence_form in formset.forms:
            if presence_form in formset.deleted_forms or not presence_form.has_changed():
                continue
            presence_form.instance.centre = form.instance
            save_presence(presence_form, request.user)


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    form = ActorAdminForm
    list_display = ["name", "category", "active"]
    list_filter = ["category", "active"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        # Recorded like any other change: every centre the actor works with sees who changed what.
        save_actor(form, request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read in the admin, never added or changed there: rows the app's own pages or workers write."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AppendOnlyAdmin(ReadOnlyAdmin):
    """Read in the admin, never added, changed or deleted there: a history, or rows that change with their owner."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActorHistoryEntry)
class ActorHistoryEntryAdmin(AppendOnlyAdmin):
    list_display = ["at", "actor", "action", "user", "centre"]
    list_filter = ["action"]
    search_fields = ["actor__name"]


@admin.register(Presence)
class PresenceAdmin(admin.ModelAdmin):
    list_display = ["actor", "centre", "kind", "started_on", "ended_on"]
    list_filter = ["kind", "centre"]
    autocomplete_fields = ["actor", "centre"]

    def save_model(self, request, obj, form, change):
        save_presence(form, request.user)

    def delete_model(self, request, obj):
        remove_presence(obj, request.user)

    def delete_queryset(self, request, queryset):
        for presence in queryset.select_related("actor", "centre"):
            remove_presence(presence, request.user)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "centre", "role"]
    list_filter = ["role", "centre"]
    autocomplete_fields = ["user", "centre"]


@admin.register(LanguagePreference)
class LanguagePreferenceAdmin(admin.ModelAdmin):
    """Each user's own language, chosen with the switch; an administrator may correct it."""

    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user"]
