"""
Where a request comes from, for every limit kept per network address (the
suggestion form's, the login lockout's): the connection's own address, or, behind a
proxy named in settings, the address that proxy says it served.
"""

import functools
import ipaddress

from django.conf import settings


def request_address(request) -> str:
    """``client_address`` of a request: what django-axes is given to count by."""
    return client_address(request.META)


def client_address(meta: dict) -> str:
    """
    The address a request came from: ``REMOTE_ADDR``; or, when that is one of the
    proxies in NEWSROOM_TRUSTED_PROXIES, the rightmost address in the header named by
    NEWSROOM_CLIENT_ADDRESS_HEADER that is not a trusted proxy itself. Whatever is
    further left was written by the client, and could be anything. An entry that is
    not an IP address ends the search at the proxy's own address, so that made-up
    values share one limit rather than each getting one of their own.
    """
    remote = meta.get("REMOTE_ADDR", "")
    header = settings.NEWSROOM_CLIENT_ADDRESS_HEADER
    if not header or not _is_trusted_proxy(_ip_address(remote)):
        return remote
    forwarded = meta.get("HTTP_" + header.upper().replace("-", "_"), "")
    for entry in reversed(forwarded.split(",")):
        address = _ip_address(entry)
        if address is None:
            break
        if not _is_trusted_proxy(address):
            return str(address)
    return remote


def _ip_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``text`` as an IP address (an IPv4 address written as IPv6 as IPv4), or None."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted_proxy(address) -> bool:
    return address is not None and any(
        address in network
        for network in _networks(tuple(settings.NEWSROOM_TRUSTED_PROXIES))
    )


@functools.cache
def _networks(written: tuple[str, ...]) -> tuple:
    # The settings checked each at start-up; read once per process.
    return tuple(ipaddress.ip_network(network, strict=False) for network in written)
