"""Text fields that clean what is pasted into them, for models and for forms.

A model's text is declared with these fields, so every way in (the log form, the admin, an import, a service) gets
the same rules: cleaned to normal form C without invisible characters (samkort.text), refused when it holds a
character no export can hold or a CPR-like number. `pre_save` cleans once more, so that rows written in bulk follow
the rules too.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samkort.text import clean_block, clean_line, describe_character, fold, unholdable_characters
from samkort.validators import holdable_text, no_personal_data

# -- Form fields -----------------------------------------------------------------------------------------------------


class CleaningFormField:
    """Cleans the typed text before the field's own parsing, and names the field when a character cannot be held."""

    clean_text = staticmethod(clean_line)
    unholdable_message = _(
        "“%(field)s” holds a character that cannot be saved: %(characters)s. "
        "Delete it, or type the text instead of pasting it."
    )

    def to_python(self, value):
        if isinstance(value, str):
            value = self.clean_text(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # No maxlength in the page: a browser counts an emoji as two and cuts a paste at the limit without a word. The
        # limit is the server's, counted in characters, and a text over it comes back whole with a message.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def validate(self, value) -> None:
        super().validate(value)
        unholdable = unholdable_characters(value) if isinstance(value, str) else []
        if unholdable:
            raise ValidationError(
                self.unholdable_message,
                code="unholdable",
                params={
                    "field": capfirst(self.label or ""),
                    "characters": ", ".join(describe_character(char) for char in unholdable),
                },
            )


class LineFormField(CleaningFormField, forms.CharField):
    """One line of text: a name, a title, a search."""


class BlockFormField(CleaningFormField, forms.CharField):
    """Several lines of text: a description, goals, an outcome."""

    clean_text = staticmethod(clean_block)


class EmailFormField(CleaningFormField, forms.EmailField):
    pass


class WebAddressFormField(CleaningFormField, forms.URLField):
    def __init__(self, **kwargs):
        # A website typed as "kulturhuset.dk" means https, as every browser assumes.
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


# -- Model fields ----------------------------------------------------------------------------------------------------


class CleaningModelField:
    """Declared text: cleaned on save, checked on validation, edited with the matching form field."""

    form_class: type[forms.Field]
    clean_text = staticmethod(clean_line)
    default_validators = [holdable_text, no_personal_data]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})

    def to_python(self, value):
        value = super().to_python(value)
        return self.clean_text(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = self.clean_text(value)
            setattr(model_instance, self.attname, value)
        return value


class LineField(CleaningModelField, models.CharField):
    form_class = LineFormField


class BlockField(CleaningModelField, models.TextField):
    form_class = BlockFormField
    clean_text = staticmethod(clean_block)


class EmailAddressField(CleaningModelField, models.EmailField):
    form_class = EmailFormField
    default_validators = [*models.EmailField.default_validators, holdable_text, no_personal_data]


class WebAddressField(CleaningModelField, models.URLField):
    form_class = WebAddressFormField
    default_validators = [*models.URLField.default_validators, holdable_text, no_personal_data]


class FoldedKeyField(models.CharField):
    """Another field's text folded for comparison (samkort.text.fold), kept in step on every save and bulk insert.

    Databases fold case differently (SQLite's lower() knows only A to Z), so the key is computed in Python and
    compared as it is: a unique constraint on it refuses "ÆLDRERÅD" next to "Ældreråd" on SQLite as on PostgreSQL.
    """

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = fold(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value
