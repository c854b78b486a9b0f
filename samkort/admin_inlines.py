"""Inline rows in the administration, named for a screen reader."""

from __future__ import annotations

from django.contrib import admin


class NamedTabularInline(admin.TabularInline):
    """Django's table of inline rows names each field only in its column's head, which a screen reader does not read
    with the field: a user tabbing along a row heard "edit text" with no name (axe: label, select-name). Each control
    is named by its column here, the row's delete box too."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Named(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for name, field in form.fields.items():
                    # A related field's select sits inside the wrapper that adds its "+" link.
                    widget = getattr(field.widget, "widget", field.widget)
                    widget.attrs.setdefault("aria-label", str(field.label or name))

        Named.__name__ = formset.__name__
        return Named
