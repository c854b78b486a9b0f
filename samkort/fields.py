"""Form fields shared by every app."""

from __future__ import annotations

from django import forms

from samkort.parsing import parse_id


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Objects by id; a hand-edited id that cannot be one is refused before it reaches the database."""

    def _check_values(self, value):
        for raw in value:
            if parse_id(raw) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": raw}
                )
        return super()._check_values(value)
