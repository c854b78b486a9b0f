"""Two people editing one record: a stale save is refused, shown and merged, never silently applied.

Each editable record carries a version number. A form remembers the version it was opened at and, signed, the values
it showed then. Saving moves the row to the next version only if it is still at the form's version (one conditional
UPDATE, so two parallel saves cannot both pass). When it is not, the form is rebuilt as a three-way merge: a field
only the other person changed takes their value, a field only this person changed keeps the typing, and a field both
changed keeps the typing and shows the other person's value beside it. Nothing is saved until the user saves again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import QueryDict

from samkort.history import readable

OPENED_SALT = "samkort.concurrency.opened"


class EditConflict(Exception):
    """Someone saved the record after the form was opened; `current` is the record as now saved, None if deleted."""

    def __init__(self, current: models.Model | None):
        super().__init__("The record changed after the form was opened.")
        self.current = current


class Refused(Exception):
    """A row written by another request in the meantime breaks a rule for this one; the form now says which."""


def claim_next_version(instance: models.Model, expected: int | None) -> None:
    """Move the row to its next version if it is still at `expected`; inside the caller's transaction."""
    model = type(instance)
    claimed = (
        model._default_manager.filter(pk=instance.pk, version=expected).update(version=F("version") + 1)
        if expected is not None
        else 0
    )
    if not claimed:
        raise EditConflict(model._default_manager.filter(pk=instance.pk).first())
    instance.version = expected + 1


def form_version(form: forms.ModelForm) -> int | None:
    """The version a form edits: the one it was opened at, or, for a form that does not say (the admin's), the one
    its record was read at when the form was sent."""
    if "version" in form.fields:
        return form.cleaned_data.get("version")
    return form.instance.version


def parse_version(raw: str) -> int | None:
    """The version a form was opened at; anything else is unknown, and a save from an unknown version is stale."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def save_or_refuse(form: forms.ModelForm) -> models.Model:
    """form.save(); when a parallel request has just taken the same name or date, the form says so instead of a 500."""
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        # Validated again, the form now sees the other request's row and explains the rule it breaks.
        form.full_clean()
        if form.is_valid():
            raise
        raise Refused from None


@dataclass
class ChangedField:
    label: str
    theirs: str
    # Both changed it: the form keeps this user's typing, and shows theirs beside it.
    both: bool


@dataclass
class Conflict:
    changes: list[ChangedField] = field(default_factory=list)
    saved_by: Any = None
    saved_at: datetime.datetime | None = None


def plain(value: Any) -> Any:
    """A field's value as JSON can hold it and as two sides compare it: ids for objects, sorted lists, ISO dates."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(plain(item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class VersionedForm(forms.ModelForm):
    """A model form that knows which version of its record it edits, and merges when that version is gone."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        self.init_kwargs = {key: value for key, value in kwargs.items() if key not in ("data", "instance", "initial")}
        super().__init__(*args, **kwargs)
        self.conflict: Conflict | None = None
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["opened"] = signing.dumps(self.state_of(self.instance), salt=OPENED_SALT, compress=True)

    def clean_version(self) -> int | None:
        return parse_version(self.cleaned_data["version"])

    def edited_fields(self) -> list[str]:
        return [name for name in self._meta.fields if name in self.fields]

    def state_of(self, instance: models.Model) -> dict[str, Any]:
        """The record's values as this form edits them."""
        fields = instance._meta
        return {name: plain(fields.get_field(name).value_from_object(instance)) for name in self.edited_fields()}

    def state_of_cleaned(self) -> dict[str, Any]:
        return {name: plain(self.cleaned_data.get(name)) for name in self.edited_fields()}

    def data_for(self, state: dict[str, Any]) -> QueryDict:
        """Form data that shows these values, as a browser would post them."""
        data = QueryDict(mutable=True)
        for name, value in state.items():
            key = self.add_prefix(name)
            if isinstance(value, list):
                data.setlist(key, [str(item) for item in value])
            elif value is True:
                data[key] = "on"
            elif value not in (None, False):
                data[key] = str(value)
        return data

    def display(self, instance: models.Model, name: str) -> str:
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            return ", ".join(str(item) for item in getattr(instance, name).all())
        return readable(instance, [name])[name]

    def label_of(self, name: str) -> str:
        return str(self.fields[name].label)

    def saved_by(self, current: models.Model) -> tuple[Any, datetime.datetime | None]:
        """Who saved the record last, and when, where the record or its history says."""
        return getattr(current, "updated_by", None), getattr(current, "updated_at", None)

    def opened_state(self) -> dict[str, Any] | None:
        try:
            return signing.loads(self.data.get(self.add_prefix("opened"), ""), salt=OPENED_SALT)
        except signing.BadSignature:
            return None

    def after_conflict(self, current: models.Model) -> VersionedForm:
        """This form again, bound to a three-way merge of what was opened, what is saved now and what was typed."""
        opened, mine, theirs = self.opened_state(), self.state_of_cleaned(), self.state_of(current)
        merged, conflict = {}, Conflict()
        conflict.saved_by, conflict.saved_at = self.saved_by(current)
        for name, their_value in theirs.items():
            my_value = mine.get(name)
            if opened is not None and my_value == opened.get(name):
                merged[name] = their_value
                if their_value != my_value:
                    conflict.changes.append(ChangedField(self.label_of(name), self.display(current, name), both=False))
            else:
                merged[name] = my_value
                changed_by_them = opened is None or their_value != opened.get(name)
                if changed_by_them and their_value != my_value:
                    conflict.changes.append(ChangedField(self.label_of(name), self.display(current, name), both=True))
        merged_form = self.showing(merged, current)
        merged_form.conflict = conflict
        return merged_form

    def showing(self, state: dict[str, Any], current: models.Model) -> VersionedForm:
        """This form bound to these values, as an edit of the record as now saved (an earlier version, a merge)."""
        theirs = self.state_of(current)
        data = self.data_for({name: state.get(name, value) for name, value in theirs.items()})
        data[self.add_prefix("version")] = str(current.version)
        data[self.add_prefix("opened")] = signing.dumps(theirs, salt=OPENED_SALT, compress=True)
        return type(self)(data, instance=current, **self.init_kwargs)
