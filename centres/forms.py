from __future__ import annotations

from functools import cached_property

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.models import Actor, ActorCategory, Centre, Membership, Presence, PresenceKind, Role
from samkort.concurrency import VersionedForm
from samkort.filters import FilterForm
from samkort.parsing import parse_id
from samkort.text import fold
from samkort.textfields import LineFormField
from samkort.widgets import DateInput


class UsernameOfPossibleLength:
    """A user name no longer than a user's can be: Django sets only the input's maxlength, so a longer one reached
    authenticate() and django-axes, whose record of the failure (255 characters) then failed on PostgreSQL."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class LoginForm(UsernameOfPossibleLength, AuthenticationForm):
    pass


class AdminLoginForm(UsernameOfPossibleLength, AdminAuthenticationForm):
    pass


class ActorNameForm(VersionedForm):
    """Every form that names an actor: a name that is taken is refused, one that looks like another's is questioned.

    The question is asked once: the page sends the name back in `confirm`, and the same name passes the second time,
    so "create it anyway" is one click. A changed name is questioned again.
    """

    confirm = forms.CharField(required=False, widget=forms.HiddenInput)
    taken_message = _("%(name)s already exists.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.similar: list[Actor] = []
        # The actor that has the name already: the page offers it, as it offers similar ones.
        self.taken: Actor | None = None

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        clash = Actor.objects.filter(name_key=fold(name)).exclude(pk=self.instance.pk).first()
        if clash:
            self.taken = clash
            raise forms.ValidationError(self.taken_message, params={"name": clash.name})
        return name

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        renamed = name and fold(name) != self.instance.name_key
        if renamed and cleaned.get("confirm") != name:
            self.similar = Actor.objects.exclude(pk=self.instance.pk).similar_to(name)
            if self.similar:
                raise forms.ValidationError(
                    _("There are actors with similar names. Use one of them, or create the new actor anyway."),
                    code="similar",
                )
        return cleaned


class ActorForm(ActorNameForm):
    class Meta:
        model = Actor
        fields = ["name", "category", "description", "website", "email", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose category …")), *ActorCategory.choices]
        if not self.instance.pk:
            del self.fields["active"]  # a new actor is active; retiring one is an edit
        else:
            self.fields["active"].help_text = _(
                "Untick when the organisation no longer exists or works with any centre: staff can then no longer "
                "choose it. An actor that only stopped using one centre keeps this ticked; end its presence in that "
                "centre (the centre's actors) instead."
            )

    def saved_by(self, current: Actor):
        last = current.history.filter(centre__isnull=True).select_related("user").first()
        return (last.user, last.at) if last else (None, None)


# Above this many active actors, adding one to a centre starts with finding it by name, and the list shows the first
# MATCHES_SHOWN whose names match.
PICK_LIST_LIMIT = 200
MATCHES_SHOWN = 50


class PresenceForm(VersionedForm):
    class Meta:
        model = Presence
        fields = ["actor", "kind", "started_on", "ended_on", "note"]
        widgets = {"started_on": DateInput, "ended_on": DateInput, "kind": forms.RadioSelect}

    def saved_by(self, current: Presence):
        last = current.actor.history.filter(centre=current.centre).select_related("user").first()
        return (last.user, last.at) if last else (None, None)

    def __init__(self, *args, centre: Centre, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.init_kwargs["centre"] = centre
        self.instance.centre = centre
        self.search, self.more_match, self.match_count = search, False, 0
        if self.instance.pk:
            # A presence stays the actor's: changing its dates or kind never moves it to another actor, whose
            # history would not say so (the name is shown, not offered among every actor).
            self.fields["actor"].queryset = Actor.objects.filter(pk=self.instance.actor_id)
            self.fields["actor"].disabled = True
        else:
            self.fields["actor"].queryset = Actor.objects.active()
            self.fields["actor"].empty_label = _("Choose actor …")
            # Offered still (an actor may come back for another period), but marked, so no one adds it twice.
            present = set(centre.presences.current().values_list("actor_id", flat=True))
            self.fields["actor"].label_from_instance = lambda actor: (
                _("%(name)s (present now)") % {"name": actor.name} if actor.pk in present else actor.name
            )
            self.offer_only_matches()

    @cached_property
    def is_searchable(self) -> bool:
        """A pick list too long to scroll (a municipality shares thousands of actors) is found by name first."""
        return not self.instance.pk and Actor.objects.active().count() > PICK_LIST_LIMIT

    def offer_only_matches(self) -> None:
        """When the list is searchable, the choices shown are the actors whose names match (and the one chosen, if
        any); every active actor may still be sent."""
        if not self.is_searchable:
            return
        chosen = self.data.get("actor") if self.is_bound else self.initial.get("actor")
        matches = Actor.objects.active().matching(self.search)
        shown = list(matches.order_by("name_key")[: MATCHES_SHOWN + 1]) if self.search else []
        self.more_match = len(shown) > MATCHES_SHOWN
        shown = shown[:MATCHES_SHOWN]
        self.match_count = len(shown)
        chosen_actor = Actor.objects.active().filter(pk=parse_id(chosen)).first() if chosen else None
        if chosen_actor and chosen_actor not in shown:
            shown.insert(0, chosen_actor)
        field = self.fields["actor"]
        field.widget.choices = [
            ("", field.empty_label),
            *((actor.pk, field.label_from_instance(actor)) for actor in shown),
        ]

    def clean(self):
        cleaned = super().clean()
        started_on, ended_on = cleaned.get("started_on"), cleaned.get("ended_on")
        if started_on and ended_on and ended_on < started_on:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        # The centre is not a field of the form, so Django skips the unique constraints that include it.
        # An empty start date counts too: filtering on None matches the other presences without one.
        actor = cleaned.get("actor")
        if (
            actor
            and "started_on" not in self.errors
            and Presence.objects.filter(centre=self.instance.centre, actor=actor, started_on=started_on)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("started_on", _("This actor already has a presence in the centre from that date."))
        elif actor and not {"started_on", "ended_on"} & set(self.errors):
            self.refuse_an_overlap(actor, started_on, ended_on)
        return cleaned

    def refuse_an_overlap(self, actor: Actor, started_on, ended_on) -> None:
        """One actor, one presence at a time: two that overlap would count it twice in the period they share."""
        overlapping = (
            Presence.objects.filter(centre=self.instance.centre, actor=actor)
            .exclude(pk=self.instance.pk)
            .filter(Q(started_on__isnull=True) | Q(started_on__lte=ended_on) if ended_on else Q())
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=started_on) if started_on else Q())
            .order_by("started_on")
            .first()
        )
        if overlapping is None:
            return
        self.add_error(
            None,
            _(
                "%(name)s is already present in the centre in that period (%(period)s). Edit that presence, or "
                "choose dates outside it."
            )
            % {"name": actor.name, "period": overlapping.period_in_words()},
        )


class PresenceFilterForm(FilterForm):
    """The actors page's filters: a centre after a large import has thousands. Invalid values are reported and
    left out, never a crash."""

    q = LineFormField(label=_("Name"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *ActorCategory.choices]
    )
    kind = forms.ChoiceField(label=_("Presence"), required=False, choices=[("", _("All")), *PresenceKind.choices])
    # Every presence unless asked: the ones that ended stay on the list, marked, but "present now" counts as the
    # centre page does.
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("All")), ("now", _("Present now")), ("ended", _("Ended")), ("coming", _("Coming"))],
    )

    def filter(self, presences):
        data = self.valid_values()
        today = timezone.localdate()
        if data.get("when") == "now":
            presences = presences.current(today)
        elif data.get("when") == "ended":
            presences = presences.filter(ended_on__lt=today)
        elif data.get("when") == "coming":
            presences = presences.filter(started_on__gt=today)
        if data.get("q"):
            # The folded key, not icontains: SQLite compares only ASCII letters without case, so "æ" missed "Æ".
            presences = presences.filter(actor__in=Actor.objects.matching(data["q"]))
        if data.get("category"):
            presences = presences.filter(actor__category=data["category"])
        if data.get("kind"):
            presences = presences.filter(kind=data["kind"])
        return presences


class MembershipForm(forms.ModelForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_(
            "The colleague's username in Samkort. A colleague without one asks an administrator to create it (a "
            "username and a work e-mail); then add them here."
        ),
    )

    class Meta:
        model = Membership
        fields = ["role"]
        widgets = {"role": forms.RadioSelect}

    def __init__(self, *args, centre: Centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.centre = centre
        self.fields["role"].choices = Role.choices

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        # An administrator reaches every centre through the administration, not as a member of one. One message for
        # no user, a closed account and an administrator: the form tells a coordinator no administrator's name.
        if user is None or user.is_superuser:
            raise forms.ValidationError(
                _(
                    "No user who can be a member of a centre is called %(username)s. Check the spelling; if the "
                    "colleague has no user in Samkort yet, an administrator creates it."
                ),
                params={"username": username},
            )
        self.instance.user = user
        if Membership.objects.filter(user=user, centre=self.instance.centre).exists():
            raise forms.ValidationError(
                _("%(username)s is already a member of this centre."), params={"username": user}, code="member"
            )
        return username

    def is_member_already_as_asked(self) -> bool:
        """Whether the only fault is that the user is a member already, with the role asked for: what a form sent
        twice finds the second time."""
        if self.is_valid() or set(self.errors) != {"username"} or not self.has_error("username", "member"):
            return False
        role = self.data.get("role")
        return Membership.objects.filter(user=self.instance.user, centre=self.instance.centre, role=role).exists()


class MembershipRoleForm(forms.ModelForm):
    # The role as the page showed it: the change is made only if it still is (centres.services.change_role).
    was = forms.ChoiceField(choices=Role.choices, widget=forms.HiddenInput, required=False)

    class Meta:
        model = Membership
        fields = ["role"]
        widgets = {"role": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["was"] = self.instance.role
