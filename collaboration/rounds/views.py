"""The coordinator's side of a mapping round: open it, follow its progress, remind, revoke, close, review."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centres.access import get_centre_for_managing
from centres.models import Actor, Centre
from collaboration.models import Participation
from collaboration.rounds import services
from collaboration.rounds.forms import (
    AcceptForm,
    ContactForm,
    InvitationContactForm,
    LaterInvitationForm,
    RejectForm,
    RoundForm,
    accept_initial,
    default_round_values,
)
from collaboration.rounds.models import MappingRound, Proposal, ProposalStatus
from collaboration.rounds.results import load_results
from samkort.paging import latest_of


def base_url(request: HttpRequest) -> str:
    """Where partners' links point: this server, as the coordinator reached it."""
    return request.build_absolute_uri("/")


def get_round(centre: Centre, pk: int) -> MappingRound:
    return get_object_or_404(MappingRound.objects.select_related("centre"), centre=centre, pk=pk)


@login_required
@require_safe
def round_list(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    rounds = MappingRound.objects.for_centre(centre).annotate(
        asked=Count("invitations", filter=Q(invitations__revoked_at__isnull=True)),
        answered=Count(
            "invitations", filter=Q(invitations__revoked_at__isnull=True, invitations__finished_at__isnull=False)
        ),
    )
    return render(
        request,
        "collaboration/rounds/round_list.html",
        {"centre": centre, "membership": membership, "rounds": rounds},
    )


def candidate_actors(centre: Centre, start, end) -> list[tuple[Actor, int]]:
    """The centre's actors, each with its number of collaborations in the period; those with most first."""
    counts = Counter(
        Participation.objects.filter(collaboration__centre=centre)
        .filter(Q(collaboration__ended_on__isnull=True) | Q(collaboration__ended_on__gte=start))
        .filter(collaboration__started_on__lte=end)
        .values_list("actor_id", flat=True)
    )
    actors = Actor.objects.known_in(centre).order_by("name_key")
    return sorted(((actor, counts[actor.pk]) for actor in actors), key=lambda item: (-item[1], item[0].name))


def contact_forms(request, centre: Centre, start, end) -> list[ContactForm]:
    previous = services.previous_contacts(centre)
    forms = []
    for actor, collaborations in candidate_actors(centre, start, end):
        name, email = previous.get(actor.pk, ("", actor.email))
        initial = {"ask": bool(collaborations and email), "name": name, "email": email}
        data = request.POST if request.method == "POST" else None
        forms.append(ContactForm(data, actor=actor, collaborations=collaborations, initial=initial))
    return forms


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    today = timezone.localdate()
    initial = default_round_values(today) | {
        "contact_name": request.user.get_full_name() or request.user.get_username(),
        "contact_email": request.user.email,
    }
    form = RoundForm(request.POST if request.method == "POST" else None, initial=initial)
    period = form.cleaned_data if form.is_bound and form.is_valid() else initial
    contacts = contact_forms(request, centre, period["period_start"], period["period_end"])
    # Every contact is checked, not only up to the first mistake, so all of them are marked at once.
    checked = [contact.is_valid() for contact in contacts] if request.method == "POST" else []
    contacts_valid = all(checked)
    if not contacts_valid:
        form.add_error(None, _("Check the contacts marked in red."))
    if request.method == "POST" and form.is_valid() and contacts_valid:
        chosen = [
            services.Contact(c.actor, c.cleaned_data["name"], c.cleaned_data["email"])
            for c in contacts
            if c.cleaned_data["ask"]
        ]
        if chosen:
            details = {name: value for name, value in form.cleaned_data.items() if name != "submission"}
            submission = form.cleaned_data.get("submission")
            try:
                round_ = services.open_round(centre, request.user, details, chosen, base_url(request), submission)
            except services.AlreadyOpened as already:
                messages.info(request, _("This round was opened already, when the form was first sent."))
                return redirect(already.round)
            messages.success(
                request,
                ngettext(
                    "The round is open. %(count)d partner is asked by e-mail.",
                    "The round is open. %(count)d partners are asked by e-mail.",
                    len(chosen),
                )
                % {"count": len(chosen)},
            )
            return redirect(round_)
        form.add_error(None, _("Choose at least one actor to ask."))
    # Each contact's error in the summary too, with a link to its row: a centre's table can be long.
    contact_errors = [
        (contact[name if name in contact.fields else "email"].auto_id, f"{contact.actor}: {error}")
        for contact in contacts
        for name, errors in contact.errors.items()
        for error in errors
    ]
    return render(
        request,
        "collaboration/rounds/round_form.html",
        {
            "centre": centre,
            "membership": membership,
            "form": form,
            "contacts": contacts,
            "extra_errors": contact_errors,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def round_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    round_ = get_round(centre, pk)
    results = load_results(round_)
    history, history_total = latest_of(
        round_.events.select_related("user"), ROUND_EVENTS_SHOWN, request.GET.get("history") == "all"
    )
    return render(
        request,
        "collaboration/rounds/round_detail.html",
        {
            "centre": centre,
            "membership": membership,
            "round": round_,
            "results": results,
            "waiting": services.waiting_for_answer(round_).count(),
            "reject_form": RejectForm(),
            "history": history,
            "history_total": history_total,
        },
    )


# A round's log on its page: a round sees some tens of actions; the page shows the latest, counting the rest.
ROUND_EVENTS_SHOWN = 30


@login_required
@require_POST
def round_remind(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre, _membership = get_centre_for_managing(request.user, slug)
    round_ = get_round(centre, pk)
    if not round_.is_open:
        messages.error(request, _("The round has closed: no reminders were sent."))
        return redirect(round_)
    reminded = services.send_reminders(round_, base_url(request), request.user)
    if reminded.sent:
        messages.success(
            request,
            ngettext(
                "A reminder is sent to %(count)d partner.", "A reminder is sent to %(count)d partners.", reminded.sent
            )
            % {"count": reminded.sent},
        )
    if reminded.held_back:
        messages.info(
            request,
            ngettext(
                "%(count)d partner was reminded less than %(hours)d hours ago and is not reminded again yet.",
                "%(count)d partners were reminded less than %(hours)d hours ago and are not reminded again yet.",
                reminded.held_back,
            )
            % {"count": reminded.held_back, "hours": settings.ROUND_REMINDER_HOURS},
        )
    if not reminded.sent and not reminded.held_back:
        messages.info(request, _("No partner with an e-mail address is waiting to answer: no reminders were sent."))
    return redirect(round_)


@login_required
@require_POST
def round_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre, _membership = get_centre_for_managing(request.user, slug)
    round_ = get_round(centre, pk)
    services.close_early(round_, request.user)
    messages.success(request, _("The round is closed. The partners' links no longer work."))
    return redirect(round_)


def get_invitation(centre: Centre, pk: int, invitation_pk: int):
    round_ = get_round(centre, pk)
    return get_object_or_404(round_.invitations.select_related("actor", "round"), pk=invitation_pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int, invitation_pk: int) -> HttpResponse:
    centre, _membership = get_centre_for_managing(request.user, slug)
    invitation = get_invitation(centre, pk, invitation_pk)
    if not invitation.round.is_open:
        # A closed round's results are what its reports documented; nothing could bring the answers back.
        messages.error(request, _("The round has closed: its answers stay as they were."))
    else:
        services.revoke(invitation, request.user)
        messages.success(
            request,
            _("The link for %(actor)s no longer works. Its answers are left out.") % {"actor": invitation.actor},
        )
    return redirect(invitation.round)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int, invitation_pk: int) -> HttpResponse:
    centre, _membership = get_centre_for_managing(request.user, slug)
    invitation = get_invitation(centre, pk, invitation_pk)
    if not invitation.round.is_open:
        messages.error(request, _("The round has closed: no link was sent."))
    elif not invitation.contact_email:
        messages.error(request, _("%(actor)s has no contact e-mail.") % {"actor": invitation.actor})
    else:
        services.resend(invitation, base_url(request), request.user)
        messages.success(
            request,
            _("A new link is sent to %(email)s; the old one no longer works.") % {"email": invitation.contact_email},
        )
    return redirect(invitation.round)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_contact(request: HttpRequest, slug: str, pk: int, invitation_pk: int) -> HttpResponse:
    """Correct or change the contact at a partner in an open round: the new address gets a new link."""
    centre, membership = get_centre_for_managing(request.user, slug)
    invitation = get_invitation(centre, pk, invitation_pk)
    if not invitation.round.is_open:
        messages.error(request, _("The round has closed: no link was sent."))
        return redirect(invitation.round)
    initial = {"name": invitation.contact_name, "email": invitation.contact_email}
    form = InvitationContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        name, email = form.cleaned_data["name"], form.cleaned_data["email"]
        services.change_contact(invitation, name, email, base_url(request), request.user)
        messages.success(request, _("A new link is sent to %(email)s; the old one no longer works.") % {"email": email})
        return redirect(f"{invitation.round.get_absolute_url()}#invitation-{invitation.pk}")
    context = {"centre": centre, "membership": membership, "round": invitation.round, "invitation": invitation}
    return render(request, "collaboration/rounds/invitation_contact.html", context | {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask one more actor in an open round: one forgotten when it opened, or new to the centre since."""
    centre, membership = get_centre_for_managing(request.user, slug)
    round_ = get_round(centre, pk)
    if not round_.is_open:
        messages.error(request, _("The round has closed: no link was sent."))
        return redirect(round_)
    actors = Actor.objects.known_in(centre).exclude(pk__in=round_.invitations.values("actor")).order_by("name_key")
    form = LaterInvitationForm(request.POST or None, actors=actors)
    if request.method == "POST" and form.is_valid():
        actor = form.cleaned_data["actor"]
        try:
            invitation = services.ask_later(
                round_, actor, form.cleaned_data["name"], form.cleaned_data["email"], base_url(request), request.user
            )
        except services.AlreadyAsked:
            messages.info(request, _("%(actor)s is asked in this round already.") % {"actor": actor})
            return redirect(round_)
        messages.success(request, _("A link is sent to %(email)s.") % {"email": invitation.contact_email})
        return redirect(f"{round_.get_absolute_url()}#invitation-{invitation.pk}")
    context = {"centre": centre, "membership": membership, "round": round_, "form": form}
    return render(request, "collaboration/rounds/invitation_create.html", context)


def get_proposal(centre: Centre, pk: int, proposal_pk: int) -> Proposal:
    round_ = get_round(centre, pk)
    return get_object_or_404(
        Proposal.objects.select_related("invitation__actor", "invitation__round__centre"),
        invitation__round=round_,
        pk=proposal_pk,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_accept(request: HttpRequest, slug: str, pk: int, proposal_pk: int) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    proposal = get_proposal(centre, pk, proposal_pk)
    round_ = proposal.invitation.round
    if proposal.status != ProposalStatus.PENDING:
        if request.method != "HEAD":  # a link checker's look leaves no message for the coordinator's next page
            messages.info(request, _("This proposal has been reviewed already."))
        return redirect(round_)
    data = request.POST if request.method == "POST" else None
    form = AcceptForm(data, initial=accept_initial(proposal), actor_choices=actors_for_review(centre, proposal))
    if request.method == "POST" and form.is_valid():
        try:
            collaboration = services.accept_proposal(
                proposal, request.user, form.details(), list(form.cleaned_data["actors"])
            )
        except services.ProposalReviewed:
            messages.info(request, _("Someone else reviewed this proposal first, or the partner withdrew it."))
            return redirect(round_)
        messages.success(request, _("“%(title)s” is now on record.") % {"title": collaboration.title})
        return redirect(round_)
    return render(
        request,
        "collaboration/rounds/proposal_accept.html",
        {"centre": centre, "membership": membership, "round": round_, "proposal": proposal, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def actors_for_review(centre: Centre, proposal: Proposal):
    """The centre's actors, and the proposal's own partners (an actor of another centre may be among them)."""
    ids = set(Actor.objects.known_in(centre).values_list("pk", flat=True))
    ids |= {proposal.invitation.actor_id, *proposal.partners.values_list("pk", flat=True)}
    return Actor.objects.filter(pk__in=ids).order_by("name_key")


@login_required
@require_POST
def proposal_reject(request: HttpRequest, slug: str, pk: int, proposal_pk: int) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    proposal = get_proposal(centre, pk, proposal_pk)
    round_ = proposal.invitation.round
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "collaboration/rounds/proposal_reject.html",
            {"centre": centre, "membership": membership, "round": round_, "proposal": proposal, "form": form},
            status=400,
        )
    try:
        services.reject_proposal(proposal, request.user, form.cleaned_data["reason"])
    except services.ProposalReviewed:
        messages.info(request, _("Someone else reviewed this proposal first, or the partner withdrew it."))
        return redirect(round_)
    messages.success(request, _("“%(title)s” is left out.") % {"title": proposal.title})
    return redirect(round_)
