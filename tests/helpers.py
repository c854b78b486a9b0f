"""Small helpers the tests share."""

from __future__ import annotations

from html.parser import HTMLParser


def html_of(response) -> str:
    return response.content.decode()


class FormReader(HTMLParser):
    """The values a browser would send from the first form on a page with this id (or the first form at all)."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.done = form_id, False, False
        self.values: dict[str, list[str]] = {}
        self.select: str | None = None
        self.multiple = False
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.values.setdefault(name, []).append(attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self.select, self.options, self.multiple = name, [], "multiple" in attrs
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not self.multiple:
                chosen = [value for value, _selected in self.options[:1]]
            self.values.setdefault(self.select, []).extend(chosen)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.values.setdefault(self.textarea, []).append(self.text.removeprefix("\n"))
            self.textarea = None
        elif tag == "form":
            self.inside, self.done = False, True


def form_values(html: str, form_id: str | None = None) -> dict[str, list[str]]:
    """What submitting the form unchanged would send, as the test client takes it (a list per name)."""
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.values


class LabelledControls(HTMLParser):
    """Each button and link with an aria-label, as (its visible text, its aria-label)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.open: list[list] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("button", "a") and attrs.get("aria-label"):
            self.open.append([tag, "", attrs["aria-label"]])

    def handle_data(self, data):
        for control in self.open:
            control[1] += data

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag:
            _tag, text, label = self.open.pop()
            self.found.append((" ".join(text.split()), label))


def names_not_holding_their_text(html: str) -> list[tuple[str, str]]:
    """Controls whose accessible name does not start with the words they show (WCAG 2.5.3, Label in Name): a user of
    speech control says what is written on the button."""
    reader = LabelledControls()
    reader.feed(html)
    return [(text, label) for text, label in reader.found if text and not label.startswith(text)]
