"""The map's data in the page: the same value back, and nothing in it can close the script element or open HTML."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from samkort.jsonscript import json_script_tag

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(VALUES)
def test_any_value_reads_back_the_same_and_never_ends_the_script_early(value):
    tag = str(json_script_tag(value, "map-data"))
    body = re.fullmatch(r'<script id="map-data" type="application/json">(.*)</script>', tag, re.S).group(1)
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == value


def test_a_name_that_tries_to_close_the_script_stays_text():
    tag = str(json_script_tag({"name": "</script><script>alert(1)</script>"}, "x"))
    assert tag.count("</script>") == 1
