from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from centres.access import can_edit_actor
from centres.models import MANAGING_ROLES, Actor, Centre, Presence
from centres.similarity import similar_names as names_like
from collaboration.models import Participation
from samkort.widgets import QuickSelect


def mergeable_with(going: Actor, user):
    """The actors of the centres the user coordinates, but `going`: those a duplicate is most likely one of."""
    managed = Centre.objects.where_user_has_role(user, MANAGING_ROLES)
    present = Presence.objects.filter(centre__in=managed).values("actor_id")
    collaborated = Participation.objects.filter(collaboration__centre__in=managed).values("actor_id")
    return Actor.objects.filter(Q(pk__in=present) | Q(pk__in=collaborated)).exclude(pk=going.pk).order_by("name_key")


class MergeChoiceForm(forms.Form):
    """Which actor the going one is merged into; the similar names first, as a duplicate mostly has one."""

    into = forms.ModelChoiceField(
        label=_("Merge it into"),
        queryset=Actor.objects.none(),
        widget=QuickSelect,
        empty_label=_("Choose actor …"),
        error_messages={"invalid_choice": _("Choose one of the actors in the list.")},
        help_text=_("The actor you choose stays, with its name and details; the other one is removed."),
    )

    def __init__(self, *args, going: Actor, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.going, self.user = going, user
        candidates = mergeable_with(going, user)
        field = self.fields["into"]
        field.queryset = candidates
        actors = list(candidates.only("pk", "name", "active"))
        similar = similar_names(going, actors)
        others = [actor for actor in actors if actor not in similar]
        field.widget.choices = [
            ("", field.empty_label),
            *([(_("Similar names"), [choice(actor) for actor in similar])] if similar else []),
            (
                _("Other actors in your centres") if similar else _("Actors in your centres"),
                [choice(a) for a in others],
            ),
        ]

    def clean_into(self) -> Actor:
        staying = self.cleaned_data["into"]
        if not can_edit_actor(self.user, staying):
            raise forms.ValidationError(
                _(
                    "%(name)s also works with centres you do not coordinate, so an administrator merges it with "
                    "other actors."
                ),
                params={"name": staying.name},
            )
        return staying


def similar_names(going: Actor, actors: list[Actor]) -> list[Actor]:
    by_id = {actor.pk: actor for actor in actors}
    return [by_id[pk] for pk in names_like(going.name, [(actor.pk, actor.name) for actor in actors])]


def choice(actor: Actor) -> tuple[int, str]:
    return actor.pk, actor.name if actor.active else _("%(name)s (inactive)") % {"name": actor.name}
