"""Where a request comes from, as the login lockout and the limits on attempts count it."""

from __future__ import annotations

import ipaddress

import ipware.ip
from axes.conf import settings  # Django's settings, with django-axes' defaults for its own


def client_network(request) -> str | None:
    """The client's address behind the trusted proxies (settings.TRUSTED_PROXY_COUNT), as counted: an IPv6 client
    by its /64, the network one household or office is given, from which it may take a new address for every
    request; one IPv4 address is one client. django-axes asks this too (AXES_CLIENT_IP_CALLABLE)."""
    address, _routable = ipware.ip.get_client_ip(
        request,
        proxy_order=settings.AXES_IPWARE_PROXY_ORDER,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        proxy_trusted_ips=settings.AXES_IPWARE_PROXY_TRUSTED_IPS,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return as_counted(address or request.META.get("REMOTE_ADDR"))


def as_counted(address: str | None) -> str | None:
    """An IPv6 address as the first address of its /64 (still an address, as axes stores one); others as they are."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or None
    if parsed.version == 6 and parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)
