"""Centres, their actors and members. Access goes through centres.access."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from centres.access import (
    get_actor_for_editing,
    get_centre_for_managing,
    get_centre_for_user,
)
from centres.forms import (
    ActorForm,
    LoginForm,
    MembershipForm,
    MembershipRoleForm,
    PresenceFilterForm,
    PresenceForm,
)
from centres.lockouts import lift_lockout, liftable_by_coordinator, locked_usernames
from centres.models import Membership, Presence, Role
from centres.services import (
    AlreadyMember,
    LastCoordinator,
    MemberGone,
    RoleChanged,
    add_member,
    change_role,
    remove_member,
    remove_presence,
    save_actor,
    save_presence,
)
from centres.tasks import send_password_reset
from samkort.addresses import client_network
from samkort.concurrency import EditConflict, Refused
from samkort.paging import page_of
from samkort.parsing import clean_query
from samkort.signed_out import form_data, keeps_unsent_form, restored
from samkort.throttle import attempts, count_attempt, forget_attempts


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(request.user.memberships.select_related("centre").order_by("centre__name"))
    if len(memberships) == 1:
        return redirect(memberships[0].centre)
    can_report = any(m.can_report for m in memberships)
    return render(request, "centres/home.html", {"memberships": memberships, "can_report": can_report})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_unsent_form
def actor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor_for_editing(request.user, pk)
    saved_name = actor.name  # the form's checks write what was typed onto the instance
    form = ActorForm(form_data(request), instance=actor)
    if request.method == "POST" and form.is_valid():
        try:
            save_actor(form, request.user)
        except EditConflict as conflict:
            form = form.after_conflict(conflict.current)
        except Refused:
            pass  # the form now says which rule the parallel change broke
        else:
            messages.success(request, _("The actor is saved."))
            return redirect(actor)
    context = {"form": form, "actor": actor, "saved_name": saved_name, "quiet": restored(request)}
    return render(request, "centres/actor_form.html", context)


# Fifty rows read comfortably on a phone and keep the page light when an import has brought thousands of actors.
PRESENCES_PER_PAGE = 50


@login_required
@require_safe
@vary_on_headers("HX-Request")
def presence_list(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_user(request.user, slug)
    filters = PresenceFilterForm(request.GET)
    presences = filters.filter(centre.presences.select_related("actor")).order_by(
        "actor__name_key", "-started_on", "pk"
    )
    page = page_of(presences, PRESENCES_PER_PAGE, request.GET.get("page"))
    # Actors, not rows: one that left and came back is listed with each presence, and counted once.
    actor_count = presences.order_by().values("actor_id").distinct().count()
    # Beside it, how many of them are present now: the number the centre page shows.
    present_now = (
        presences.current().order_by().values("actor_id").distinct().count()
        if not filters.valid_values().get("when")
        else None
    )
    template = "centres/presence_list.html"
    return render(
        request,
        # A history restore after a cache miss needs the whole page, not the fragment.
        f"{template}#results" if request.htmx and not request.htmx.history_restore_request else template,
        {
            "centre": centre,
            "membership": membership,
            "filters": filters,
            "page": page,
            "actor_count": actor_count,
            "present_now": present_now,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_unsent_form
def actor_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A coordinator adds a new actor and, in the same step, its presence in the centre."""
    centre, membership = get_centre_for_managing(request.user, slug)
    form = ActorForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actor = save_actor(form, request.user)
        except Refused:
            pass  # the name was taken by a parallel request; the form says so
        else:
            messages.success(
                request, _("%(name)s is created. Now say how it is present in the centre.") % {"name": actor}
            )
            return redirect(f"{reverse('presence_create', args=[centre.slug])}?actor={actor.pk}")
    context = {"form": form, "centre": centre, "membership": membership, "quiet": restored(request)}
    if form.taken is not None:
        context["taken_here"] = form.taken.presences.filter(centre=centre).not_ended().exists()
    return render(request, "centres/actor_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def presence_create(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    search = clean_query(request.GET.get("q", ""))
    form = PresenceForm(request.POST or None, centre=centre, initial={"actor": request.GET.get("actor")}, search=search)
    if request.method == "POST" and form.is_valid():
        try:
            save_presence(form, request.user)
        except Refused:
            pass  # a parallel request added the same presence; the form says so
        else:
            messages.success(request, _("The presence is saved."))
            return redirect("presence_list", slug=centre.slug)
    return render(request, "centres/presence_form.html", {"form": form, "centre": centre, "membership": membership})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def presence_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    presence = Presence.objects.select_related("actor").filter(centre=centre, pk=pk).first()
    if presence is None:
        return presence_gone(request, centre)
    saved_name = presence.actor.name
    form = PresenceForm(request.POST or None, instance=presence, centre=centre)
    if request.method == "POST" and form.is_valid():
        try:
            save_presence(form, request.user)
        except EditConflict as conflict:
            if conflict.current is None:
                return presence_gone(request, centre)
            form = form.after_conflict(conflict.current)
        except Refused:
            pass
        else:
            messages.success(request, _("The presence is saved."))
            return redirect("presence_list", slug=centre.slug)
    return render(
        request,
        "centres/presence_form.html",
        {"form": form, "centre": centre, "membership": membership, "presence": presence, "saved_name": saved_name},
    )


def gone_page(
    request: HttpRequest, centre, *, heading, text, back_to: str, back_label, typed: str = ""
) -> HttpResponse:
    """What an edit finds gone from the centre: removed (in another tab, or by a colleague) since the page was opened,
    or never here. Still a 404, as for any address outside the centre, but saying what happened, and showing what was
    typed, which has nowhere else to go."""
    context = {
        "centre": centre,
        "heading": heading,
        "text": text,
        "nothing_saved": request.method == "POST",
        "typed": typed,
        "back_url": reverse(back_to, args=[centre.slug]),
        "back_label": back_label,
    }
    return render(request, "centres/gone.html", context, status=404)


def presence_gone(request: HttpRequest, centre) -> HttpResponse:
    return gone_page(
        request,
        centre,
        heading=_("The presence is not there"),
        text=_("The presence is not in the centre: it was removed, perhaps in another tab or by a colleague."),
        back_to="presence_list",
        back_label=_("Back to the actors of the centre"),
        typed=request.POST.get("note", "").strip()[:300],
    )


@login_required
@require_POST
def presence_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre, _membership = get_centre_for_managing(request.user, slug)
    presence = get_object_or_404(Presence.objects.select_related("actor"), centre=centre, pk=pk)
    # Two requests that both found it (another tab at the same moment): it is removed, and recorded, once.
    if remove_presence(presence, request.user):
        if Presence.objects.filter(centre=centre, actor=presence.actor_id).not_ended().exists():
            text = _("That presence of %(name)s is removed; %(name)s is still listed in the centre.")
        else:
            text = _("%(name)s is no longer listed in the centre.")
        messages.success(request, text % {"name": presence.actor})
    else:
        messages.info(request, _("That presence was removed already."))
    return redirect("presence_list", slug=centre.slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_list(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    form = MembershipForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_member_already_as_asked():
        # The same request sent again once the first was saved (a double click): done, not an error.
        messages.info(request, _("%(user)s is a member already.") % {"user": form.instance.user})
        return redirect("membership_list", slug=centre.slug)
    if request.method == "POST" and form.is_valid():
        try:
            add_member(form)
        except AlreadyMember as already:
            # The same request sent twice is done; another coordinator's different choice is shown, not replaced.
            if not already.same_role:
                form.add_error(
                    "username",
                    _("%(username)s became a member of this centre meanwhile, with another role.")
                    % {"username": form.instance.user},
                )
        if not form.errors:
            messages.success(request, _("%(user)s is now a member.") % {"user": form.instance.user})
            return redirect("membership_list", slug=centre.slug)
    members = list(centre.memberships.select_related("user").order_by("role", "user__username"))
    locked = locked_usernames([m.user.username for m in members])
    liftable = liftable_by_coordinator([m for m in members if m.user.username in locked]) if locked else set()
    coordinators = [m.pk for m in members if m.role == Role.COORDINATOR]
    return render(
        request,
        "centres/membership_list.html",
        {
            "centre": centre,
            "membership": membership,
            "members": members,
            "form": form,
            "locked": locked,
            "liftable": liftable,
            # The only coordinator is not offered to leave: the centre needs one (the change would be refused).
            "only_coordinator": coordinators[0] if len(coordinators) == 1 else None,
        },
    )


@login_required
@require_POST
def membership_unlock(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A coordinator lets a member of the centre log in again at once after a lockout."""
    centre, _membership = get_centre_for_managing(request.user, slug)
    member = get_object_or_404(Membership.objects.select_related("user"), centre=centre, pk=pk)
    if not locked_usernames([member.user.username]):
        # Lifted a moment ago (a double click, a second tab), or run out: nothing to lift, and nothing wrong.
        messages.success(request, _("%(user)s can log in again.") % {"user": member.user})
    elif member.user.username in liftable_by_coordinator([member]):
        lift_lockout(member, request.user)
        messages.success(request, _("%(user)s can log in again.") % {"user": member.user})
    else:
        messages.error(
            request,
            _(
                "Only an administrator can let %(user)s log in again now: the account is an administrator's, or "
                "it became a member, or was let in again here, less than a day ago."
            )
            % {"user": member.user},
        )
    return redirect("membership_list", slug=centre.slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    member = Membership.objects.select_related("user").filter(centre=centre, pk=pk).first()
    if member is None:
        return gone_page(
            request,
            centre,
            heading=_("The member is not there"),
            text=_("The person is not a member of the centre: removed, perhaps in another tab or by a colleague."),
            back_to="membership_list",
            back_label=_("Back to the members"),
        )
    form = MembershipRoleForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            change_role(member, form.cleaned_data["role"], form.cleaned_data["was"])
        except LastCoordinator:
            form.add_error("role", _("The centre needs at least one coordinator."))
        except RoleChanged as changed:
            # Shown the role as it is now, and asked again: the choice stays marked, the next save applies it.
            form = MembershipRoleForm({"role": form.cleaned_data["role"], "was": changed.role}, instance=member)
            form.is_valid()
            form.add_error(
                "role",
                _(
                    "Someone changed the role to “%(role)s” after you opened this page, so nothing is changed. "
                    "Save again to make it your choice."
                )
                % {"role": Role(changed.role).label},
            )
        except MemberGone:
            messages.error(request, _("%(user)s is no longer a member.") % {"user": member.user})
            return redirect("membership_list", slug=centre.slug)
        else:
            messages.success(request, _("The role is changed."))
            if member.user == request.user and not member.can_manage:
                return redirect(centre)  # a coordinator who stepped down can no longer see the members
            return redirect("membership_list", slug=centre.slug)
    return render(
        request,
        "centres/membership_form.html",
        {"centre": centre, "membership": membership, "member": member, "form": form},
    )


@login_required
@require_POST
def membership_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre, _membership = get_centre_for_managing(request.user, slug)
    member = get_object_or_404(Membership.objects.select_related("user"), centre=centre, pk=pk)
    try:
        remove_member(member)
    except LastCoordinator:
        messages.error(request, _("The centre needs at least one coordinator."))
    else:
        messages.success(request, _("%(user)s is no longer a member.") % {"user": member.user})
        if member.user == request.user:
            return redirect("home")
    return redirect("membership_list", slug=centre.slug)


PASSWORD_CHANGE_WINDOW_SECONDS = 15 * 60


def address_failures_key(request) -> str:
    return f"samkort:login-failures:ip:{client_network(request)}"


@receiver(user_login_failed, dispatch_uid="samkort-login-failures-per-address")
def count_failure_from_the_address(sender, credentials, request=None, **kwargs):
    if request is not None:
        count_attempt(address_failures_key(request), int(settings.AXES_COOLOFF_TIME.total_seconds()))


def refused_while_the_address_is_locked(view):
    """LOGIN_ADDRESS_FAILURE_LIMIT failed logins from one address, whatever the user names, stop logins from it for
    the lockout time, on the login page and the administration's alike. Axes alone (per user name) let one address
    try a common password on every user name (password spraying); the limit is set high, as a municipality's whole
    network may share one address."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and attempts(address_failures_key(request)) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            context = {"minutes": minutes, "by_address": True}
            return render(request, "registration/locked_out.html", context, status=429)
        return view(request, *args, **kwargs)

    return wrapped


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    extra_context = {"idle_hours": settings.SESSION_IDLE_HOURS}

    @method_decorator(refused_while_the_address_is_locked)
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change of password, with a limit on tries (PASSWORD_CHANGE_FAILURE_LIMIT in 15 minutes): a session
    left open on a shared PC must not become a way to guess the password behind it. Each try is counted before the
    password is checked, so tries sent at once cannot all pass; over the limit the current password is not checked
    at all, and the form says why and how long to wait. A right password clears the count."""

    def post(self, request, *args, **kwargs):
        if count_attempt(self.tries_key, PASSWORD_CHANGE_WINDOW_SECONDS) > settings.PASSWORD_CHANGE_FAILURE_LIMIT:
            # Passwords are never shown again in a form, so an empty one loses nothing typed.
            form = self.get_form_class()(user=request.user)
            return self.render_to_response(self.get_context_data(form=form, too_many_tries=True), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        forget_attempts(self.tries_key)
        return super().form_valid(form)

    @property
    def tries_key(self) -> str:
        # Per session, not per user: whoever holds a session left open must not lock its owner, in a session of
        # their own, out of changing the password.
        return f"samkort:password-change:user:{self.request.user.pk}:session:{self.request.session.session_key}"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, with limits: at most PASSWORD_RESET_LIMIT requests an hour for one e-mail address and
    PASSWORD_RESET_ADDRESS_LIMIT from one client address, so the form cannot flood anyone's inbox. Over a limit the
    page answers as always, so it still does not tell which addresses have an account; it only sends nothing. The
    e-mail is looked up and sent by a worker (centres/tasks.py), so the page takes as long for an unknown address."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        address = client_network(self.request)
        for_email = count_attempt(f"samkort:password-reset:email:{email}", 3600)
        from_address = count_attempt(f"samkort:password-reset:ip:{address}", 3600)
        if for_email <= settings.PASSWORD_RESET_LIMIT and from_address <= settings.PASSWORD_RESET_ADDRESS_LIMIT:
            send_password_reset.enqueue(email, self.request.get_host(), self.request.is_secure(), get_language())
        return HttpResponseRedirect(self.get_success_url())
