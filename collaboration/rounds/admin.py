"""Mapping rounds in the Django admin: to look at, not to edit. Rounds are run from the coordinator's pages, where
every change keeps the rules (links, e-mails, history); the admin never shows a link's secret."""

from django.contrib import admin

from centres.admin import ReadOnlyAdmin
from collaboration.rounds.models import Answer, Invitation, MappingRound, Proposal, Rating, RoundEvent


@admin.register(MappingRound)
class MappingRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "centre", "period_start", "period_end", "closes_on", "closed_early_at"]
    list_filter = ["centre"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["actor", "round", "sent_at", "first_opened_at", "finished_at", "revoked_at"]
    list_filter = ["round__centre"]
    list_select_related = ["actor", "round"]
    exclude = ["key"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["invitation", "collaboration", "happened", "form", "answered_at"]
    list_select_related = ["invitation__actor", "invitation__round", "collaboration"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["invitation", "partner", "value", "trust", "answered_at"]
    list_select_related = ["invitation__actor", "invitation__round", "partner"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "invitation", "status", "created_at", "reviewed_at"]
    list_select_related = ["invitation__actor", "invitation__round"]
    list_filter = ["status"]


@admin.register(RoundEvent)
class RoundEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "round", "user", "action", "about"]
    list_select_related = ["round", "user"]
    list_filter = ["action", "round__centre"]
