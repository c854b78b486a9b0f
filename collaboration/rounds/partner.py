"""The partner's side of a mapping round: one page behind a personal link, no login.

It shows only the collaborations on record in the round's period that involve the partner's own organisation, and
the names of its partners in them: never another actor's ties, the map, or anything of another centre. Every answer
is saved as it is given (HTMX; a plain form post without JavaScript) and can be changed until the round closes.
"""

from __future__ import annotations

import functools

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as default_csrf_failure
from django.views.decorators.http import require_GET, require_POST

from centres.models import Actor
from collaboration.ladder import form_ladder
from collaboration.models import Participation
from collaboration.rounds import services, throttle
from collaboration.rounds.forms import AnswerForm, CommentForm, ProposalForm, RatingForm
from collaboration.rounds.models import Answer, Happened, Invitation, ProposalStatus, Rating, answer_as_shown
from collaboration.rounds.tokens import LinkProblem, invitation_for

PAGE = "collaboration/rounds/partner.html"

# A partner page of more collaborations than this starts with its contents and how many are answered so far.
CONTENTS_ABOVE = 5


def partner_link(view):
    """Resolve the link to its invitation, or answer with a friendly page that says why it does not work."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        invitation, problem = invitation_for(token)
        if problem == LinkProblem.UNKNOWN and is_paused(request):
            response = render(request, "collaboration/rounds/link_problem.html", {"problem": "blocked"}, status=429)
        elif problem:
            response = link_problem(request, invitation, problem)
        else:
            try:
                response = view(request, invitation, *args, **kwargs)
            except services.RoundClosed:
                invitation, problem = invitation_for(token)
                response = link_problem(request, invitation, problem or LinkProblem.CLOSED)
        return as_partners_page(response)

    return wrapped


def is_paused(request: HttpRequest) -> bool:
    """An unknown link is counted; past the limit its address is paused. Only guessing is: a link the server signed
    opens whatever its address has tried, so a colleague's mistyped links never lock a partner out of their own."""
    if throttle.is_blocked(request):
        return True
    throttle.count_failure(request)
    return False


def as_partners_page(response: HttpResponse) -> HttpResponse:
    """The token is the key to the page: never sent on to another site, never kept in a cache, never indexed.
    (same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on the page's own form posts,
    which the CSRF check rightly refuses.)"""
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, no_store=True, private=True)
    return response


# The lines beside each answer, rating and comment that say whether it was saved (the forms' htmx targets).
STATUS_LINES = ("saved-", "rating-saved-", "comment-saved")


def link_problem(request: HttpRequest, invitation: Invitation | None, problem: LinkProblem) -> HttpResponse:
    context = {"problem": str(problem), "round": invitation.round if invitation else None}
    status = 404 if problem == LinkProblem.UNKNOWN else 410
    if request.htmx:
        return link_problem_in_page(request, context, (request.htmx.target or "").startswith(STATUS_LINES))
    return render(request, "collaboration/rounds/link_problem.html", context, status=status)


def link_problem_in_page(request: HttpRequest, context: dict, beside: bool) -> HttpResponse:
    if beside:
        # The answer's own line says it was not saved, beside what was just clicked (where "Saved" stood before);
        # the box at the top of the page says why. The page stays, with everything typed in it.
        return render(request, "collaboration/rounds/_link_problem_beside.html", context)
    response = render(request, "collaboration/rounds/_link_problem.html", context)
    response.headers["HX-Retarget"] = "#partner-problem"
    response.headers["HX-Reswap"] = "innerHTML show:top"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The whole site's answer to a form sent without its CSRF cookie (settings.CSRF_FAILURE_VIEW). A partner, who
    has no login, is told to open their page again from the link, with the round's contact; everyone else gets
    Django's view with Samkort's 403_csrf.html."""
    match = request.resolver_match
    token = match.kwargs.get("token") if match and (match.url_name or "").startswith("partner_") else None
    if token is None:
        return default_csrf_failure(request, reason)
    invitation, problem = invitation_for(token)
    if problem == LinkProblem.UNKNOWN and is_paused(request):
        blocked = render(request, "collaboration/rounds/link_problem.html", {"problem": "blocked"}, status=429)
        return as_partners_page(blocked)
    context = {
        "problem": "no_cookie",
        "round": invitation.round if invitation and not problem else None,
        "page": reverse("partner_page", args=[token]),
    }
    if request.htmx:
        beside = (request.htmx.target or "").startswith(STATUS_LINES)
        return as_partners_page(link_problem_in_page(request, context, beside))
    return as_partners_page(render(request, "collaboration/rounds/link_problem.html", context, status=403))


def collaborations_of(invitation: Invitation):
    """The round's collaborations that involve the invitation's actor, with the other actors' names."""
    return (
        invitation.round.collaborations()
        .filter(participations__actor=invitation.actor)
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor").exclude(actor=invitation.actor),
                to_attr="partner_participations",
            )
        )
        .order_by("-started_on", "title", "id")
    )


def partners_of(invitation: Invitation) -> list[Actor]:
    """The actors the invitation's actor collaborated with in the round's period."""
    ids = Participation.objects.filter(collaboration__in=collaborations_of(invitation).values("id")).exclude(
        actor=invitation.actor
    )
    return list(Actor.objects.filter(pk__in=ids.values("actor_id")).order_by("name_key"))


def proposal_partner_choices(invitation: Invitation):
    return (
        Actor.objects.filter(pk__in=Actor.objects.known_in(invitation.round.centre).values("pk"))
        .exclude(pk=invitation.actor_id)
        .order_by("name_key")
    )


def answer_items(invitation: Invitation) -> list[dict]:
    """Each collaboration to answer about, with the answer given so far; its ladder starts at the recorded form."""
    answers = {answer.collaboration_id: answer for answer in invitation.answers.all()}
    items = []
    for collaboration in collaborations_of(invitation):
        answer = answers.get(collaboration.pk)
        items.append(
            {
                "collaboration": collaboration,
                "partners": [p.actor.name for p in collaboration.partner_participations],
                "answer": answer,
                "shown": answer_as_shown(answer),
                "ladder": form_ladder(answer.form if answer and answer.form else collaboration.form),
            }
        )
    return items


def proposal_form(invitation: Invitation, data=None) -> ProposalForm:
    period = (invitation.round.period_start, invitation.round.period_end)
    return ProposalForm(data, partner_choices=proposal_partner_choices(invitation), period=period, prefix="proposal")


def rating_initial(rating: Rating) -> dict:
    return {"value": rating.value, "trust": rating.trust, "value_was": rating.value, "trust_was": rating.trust}


def rating_items(invitation: Invitation) -> list[dict]:
    ratings = {rating.partner_id: rating for rating in Rating.objects.filter(invitation=invitation)}
    items = []
    for partner in partners_of(invitation):
        rating = ratings.get(partner.pk)
        initial = rating_initial(rating) if rating else {}
        items.append({"partner": partner, "form": RatingForm(initial=initial, prefix=f"rating-{partner.pk}")})
    return items


def page_context(invitation: Invitation, **extra) -> dict:
    items = answer_items(invitation)
    return {
        "invitation": invitation,
        "round": invitation.round,
        "centre": None,
        "partner_centre": invitation.round.centre,
        "items": items,
        # How far the partner has come, beside the page's contents when the list is long.
        "answered": sum(1 for item in items if item["answer"]),
        "total": len(items),
        "with_contents": len(items) > CONTENTS_ABOVE,
        "ratings": rating_items(invitation),
        "proposals": invitation.proposals.prefetch_related("partners"),
        "proposal_form": proposal_form(invitation),
        "comment_form": CommentForm(initial={"comment": invitation.comment}),
        "happened_choices": Happened.choices,
        "token": extra.pop("token"),
        # An answer saved another day says which: "Gemt kl. 11:00" read as today's on a page opened weeks later.
        "today": timezone.localdate(),
    } | extra


@require_GET
@partner_link
def partner_page(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    services.note_opened(invitation)
    return render(request, PAGE, page_context(invitation, token=request.resolver_match.kwargs["token"]))


def saved_status(request: HttpRequest, text: str, *, error: bool = False) -> HttpResponse:
    """The line beside a form that says it was saved, or why not; htmx swaps it in, so a refusal answers 200 there."""
    return render(request, "collaboration/rounds/_saved.html", {"text": text, "error": error})


def refused(request: HttpRequest, invitation: Invitation, text: str, anchor: str) -> HttpResponse:
    """Why an answer was not saved: beside it through htmx; without JavaScript, the whole page with the reason at the
    top and a link to the answer (a line alone would leave the partner on a blank page)."""
    if request.htmx:
        return saved_status(request, text, error=True)
    token = request.resolver_match.kwargs["token"]
    context = page_context(invitation, token=token, problem={"text": text, "anchor": anchor})
    return render(request, PAGE, context, status=400)


def errors_text(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def back_to(request: HttpRequest, anchor: str) -> HttpResponse:
    return redirect(reverse("partner_page", args=[request.resolver_match.kwargs["token"]]) + f"#{anchor}")


@require_POST
@partner_link
def partner_answer(request: HttpRequest, invitation: Invitation, collaboration_pk: int) -> HttpResponse:
    collaboration = get_object_or_404(collaborations_of(invitation), pk=collaboration_pk)
    form = AnswerForm(request.POST, prefix=f"c{collaboration.pk}")
    if not form.is_valid():
        if "happened" in form.errors:
            text = _("Say whether it happened, and the answer is saved.")
        else:
            text = errors_text(form)
        return refused(request, invitation, text, f"collaboration-{collaboration.pk}")
    shown = request.POST.get(f"c{collaboration.pk}-shown")
    try:
        answer = services.save_answer(
            invitation, collaboration, form.cleaned_data["happened"], form.cleaned_data["form"], shown
        )
    except services.AnsweredMeanwhile as meanwhile:
        return refused(request, invitation, changed_meanwhile(meanwhile.answer), f"collaboration-{collaboration.pk}")
    if not request.htmx:
        return back_to(request, f"collaboration-{collaboration.pk}")
    # The contents' count of answers follows along (swapped out of band).
    asked = invitation.round.collaborations().filter(participations__actor=invitation.actor).values("pk")
    total = asked.count()
    context = {
        "text": saved_text(answer.answered_at),
        "error": False,
        "collaboration": collaboration,
        "shown": answer.as_shown,
        "answered": invitation.answers.filter(collaboration__in=asked).count(),
        "total": total,
        "with_contents": total > CONTENTS_ABOVE,
    }
    return render(request, "collaboration/rounds/_answer_saved.html", context)


def changed_meanwhile(answer: Answer | None) -> str:
    if answer is None:
        now = _("no answer")
    elif answer.form:
        now = f"{answer.get_happened_display()}: {answer.get_form_display()}"
    else:
        now = answer.get_happened_display()
    return _(
        "Not saved: the answer was changed meanwhile, in another tab or by a colleague, to “%(answer)s”. Reload the "
        "page to see it, and change it from there."
    ) % {"answer": now}


def saved_text(at) -> str:
    return _("Saved at %(time)s.") % {"time": time_format(timezone.localtime(at), "TIME_FORMAT")}


@require_POST
@partner_link
def partner_rating(request: HttpRequest, invitation: Invitation, actor_pk: int) -> HttpResponse:
    partner = next((actor for actor in partners_of(invitation) if actor.pk == actor_pk), None)
    if partner is None:
        raise Http404
    form = RatingForm(request.POST, prefix=f"rating-{partner.pk}")
    if not form.is_valid():
        return refused(request, invitation, errors_text(form), f"partner-{partner.pk}")
    changes = form.changes()
    rating = services.save_rating(invitation, partner, changes)
    if not request.htmx:
        return back_to(request, f"partner-{partner.pk}")
    # What the page shows of each rating it changed is now what is saved; the others are left as they were shown.
    shown = [(form[f"{name}_was"], value) for name, value in changes.items()]
    context = {"text": saved_text(rating.answered_at), "error": False, "shown": shown}
    return render(request, "collaboration/rounds/_rating_saved.html", context)


@require_POST
@partner_link
def partner_proposal(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = proposal_form(invitation, request.POST)
    token = request.resolver_match.kwargs["token"]
    added = None
    if form.is_valid():
        try:
            added = services.add_proposal(invitation, form.details(), list(form.cleaned_data["partners"]))
        except services.TooManyProposals as error:
            form.add_error(None, too_many_proposals(error.limit))
        else:
            form = proposal_form(invitation)
            if not request.htmx:
                return back_to(request, "missing")
    context = page_context(invitation, token=token, proposal_form=form, added=added)
    if request.htmx:
        return render(request, f"{PAGE}#missing", context, status=200)
    return render(request, PAGE, context, status=400)


def too_many_proposals(limit: int) -> str:
    return _(
        "This link has proposed %(limit)s collaborations, as many as one partner can. Write about the rest under "
        "“Anything else?”, and the centre will take it from there."
    ) % {"limit": limit}


@require_POST
@partner_link
def partner_proposal_withdraw(request: HttpRequest, invitation: Invitation, proposal_pk: int) -> HttpResponse:
    proposal = get_object_or_404(invitation.proposals, pk=proposal_pk, status=ProposalStatus.PENDING)
    services.withdraw_proposal(invitation, proposal)
    if not request.htmx:
        return back_to(request, "missing")
    context = page_context(invitation, token=request.resolver_match.kwargs["token"])
    return render(request, f"{PAGE}#missing", context)


@require_POST
@partner_link
def partner_comment(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = CommentForm(request.POST)
    if not form.is_valid():
        return refused(request, invitation, errors_text(form), "comment")
    services.save_comment(invitation, form.cleaned_data["comment"])
    if not request.htmx:
        return back_to(request, "comment")
    return saved_status(request, saved_text(timezone.now()))


@require_POST
@partner_link
def partner_finish(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    services.finish(invitation)
    return back_to(request, "finished")
