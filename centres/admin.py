from django.contrib import admin
from django.db import models

from centres.models import Actor, Centre, Membership, Presence


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
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "category", "active"]
    list_filter = ["category", "active"]
    search_fields = ["name"]


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
