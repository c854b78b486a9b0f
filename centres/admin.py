from django import forms
from django.contrib import admin

from centres.forms import ActorNameForm
from centres.models import Actor, ActorHistoryEntry, Centre, Membership, Presence
from centres.services import save_actor


class ActorAdminForm(ActorNameForm):
    """A taken name is refused here too; administrators tidy up names, so look-alikes are not questioned."""

    # The admin does not merge: it saves over the version it read, and raises it so other open forms see the change.
    confirm = version = opened = None

    def clean(self):
        return forms.ModelForm.clean(self)


class PresenceInline(admin.TabularInline):
    model = Presence
    extra = 0
    autocomplete_fields = ["actor"]


class MembershipInline(admin.TabularInline):
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


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    form = ActorAdminForm
    list_display = ["name", "category", "active"]
    list_filter = ["category", "active"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        # Recorded like any other change: every centre the actor works with sees who changed what.
        save_actor(form, request.user)


class AppendOnlyAdmin(admin.ModelAdmin):
    """Read in the admin, never added, changed or deleted there: a history, or rows that change with their owner."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "centre", "role"]
    list_filter = ["role", "centre"]
    autocomplete_fields = ["user", "centre"]
