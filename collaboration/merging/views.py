from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from centres.access import get_actor_for_editing
from centres.models import Actor
from collaboration.merging.forms import MergeChoiceForm
from collaboration.merging.services import MergeRefused, merge_actors, plan_merge
from collaboration.records.views import merged_away
from samkort.concurrency import EditConflict, parse_version

TEMPLATE = "collaboration/merging/actor_merge.html"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def actor_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the actor a duplicate is merged into (GET), read what the merge will do (GET with `into`), merge
    (POST)."""
    try:
        going = get_actor_for_editing(request.user, pk)
    except Http404:
        return merged_away(request, pk)
    data = request.POST if request.method == "POST" else request.GET if "into" in request.GET else None
    form = MergeChoiceForm(data, going=going, user=request.user)
    if not form.is_valid():
        return render(request, TEMPLATE, {"going": going, "form": form})
    staying = form.cleaned_data["into"]
    if request.method != "POST":
        return render(request, TEMPLATE, {"going": going, "form": form, "merge": plan_merge(going, staying)})
    versions = (
        parse_version(request.POST.get("going_version", "")),
        parse_version(request.POST.get("staying_version", "")),
    )
    try:
        merge_actors(going, staying, request.user, versions)
    except EditConflict:
        going, staying = Actor.objects.filter(pk=going.pk).first(), Actor.objects.filter(pk=staying.pk).first()
        if going is None or staying is None:
            return merged_away(request, pk) if going is None else redirect(going)
        merge, changed = plan_merge(going, staying), True
    except MergeRefused as refused:
        merge, changed = refused.merge, False
    else:
        messages.success(
            request, _("%(going)s is merged into %(staying)s.") % {"going": going.name, "staying": staying.name}
        )
        return redirect(staying)
    return render(request, TEMPLATE, {"going": going, "form": form, "merge": merge, "changed": changed})
