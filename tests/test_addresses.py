"""An address as the lockout and the limits on attempts count it: an IPv6 client by its /64."""

from __future__ import annotations

import pytest

from samkort.addresses import as_counted


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("10.0.0.7", "10.0.0.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("::ffff:10.0.0.7", "10.0.0.7"),
        ("", None),
        (None, None),
        ("not an address", "not an address"),
    ],
)
def test_an_ipv6_client_counts_as_its_network_and_ipv4_as_itself(address, counted):
    assert as_counted(address) == counted
