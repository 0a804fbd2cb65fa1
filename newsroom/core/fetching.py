"""
Fetching a file from another site, for every part of Newsroom that does (the importer's
images today, a link checker tomorrow), guarded so that a link in someone else's
newsletter cannot make the server read from its own network.

A link is fetched only over https, on port 443, from a host whose every address is a
public one: loopback, private, link-local, multicast, reserved, unspecified and shared
(100.64.0.0/10) addresses of either IP version are refused, an IPv4 address written
as IPv6 (``::ffff:127.0.0.1``) included. The connection goes to the very address that
was checked, with the host's name for TLS and the Host header, so a name that
resolves elsewhere a moment later (DNS rebinding) changes nothing. A few redirects
are followed, each checked as the first link was. What is read stops at a size
limit, and the whole fetch at a time limit.

Every failure raises ``FetchError``, whose ``reason`` says why in the words of
someone who pasted the link: “it redirects to a private address (10.0.0.5)”.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from urllib.parse import quote, urljoin, urlsplit

TIMEOUT_SECONDS = 10
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 3
HTTPS_PORT = 443

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK_BYTES = 64 * 1024
_SAFE_IN_TARGET = "!$%&'()*+,/:;=?@[]~"
_SHARED = ipaddress.ip_network("100.64.0.0/10")
# NAT64 (RFC 6052): an IPv4 address in the last 32 bits, reached through a gateway.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

type IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# The addresses of a host name, as text, in the order to try them.
type Resolver = Callable[[str], list[str]]
# A connected socket to ``address`` for ``host``, ready for HTTP.
type Connector = Callable[[str, str, float], socket.socket]


class FetchError(Exception):
    """Nothing was fetched; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def fetch(
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    user_agent: str = "Newsroom",
    resolve: Resolver | None = None,
    connect: Connector | None = None,
) -> bytes:
    """
    The body of ``url``, at most ``max_bytes`` of it, within ``timeout`` seconds in
    all. ``resolve`` and ``connect`` are the system's resolver and a TLS connection
    unless given (tests give their own: no test reaches the network).
    """
    resolve = resolve or resolve_host
    connect = connect or TLSConnector()
    deadline = time.monotonic() + timeout
    for hop in range(MAX_REDIRECTS + 1):
        host, addresses = _checked_target(url, resolve, redirected=hop > 0)
        sock = _connected(host, addresses, connect, deadline)
        try:
            response = _get(sock, url, host, user_agent)
            if response.status in _REDIRECTS:
                url = _next_hop(url, response)
                continue
            if response.status != 200:
                raise FetchError(
                    f"the server answered {response.status} {response.reason}"
                )
            return _read_body(sock, response, max_bytes, deadline)
        finally:
            sock.close()
    raise FetchError(f"it redirects more than {MAX_REDIRECTS} times")


def resolve_host(host: str) -> list[str]:
    """The addresses of ``host`` from the system's resolver."""
    try:
        answers = socket.getaddrinfo(host, HTTPS_PORT, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"could not find its host, {host}") from error
    return list(dict.fromkeys(answer[4][0] for answer in answers))


def refused_kind(address: IPAddress) -> str | None:
    """
    What kind of address ``address`` is when it is not a public one (“loopback”,
    “private”, “link-local”…), or None for a public address.
    """
    if address.version == 6:
        embedded = address.ipv4_mapped or _nat64_embedded(address)
        if embedded is not None:
            return refused_kind(embedded)
    kinds = [
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("shared", address.version == 4 and address in _SHARED),
        ("site-local", address.version == 6 and address.is_site_local),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("non-public", not address.is_global),
    ]
    return next((kind for kind, matches in kinds if matches), None)


class TLSConnector:
    """
    Connects to the checked address itself, never to the name again, and speaks TLS
    with the host's name, so the certificate is checked against the name the link
    gave. ``port`` and ``context`` are for tests, which serve on a port of their own
    with a certificate of their own.
    """

    def __init__(
        self, *, port: int = HTTPS_PORT, context: ssl.SSLContext | None = None
    ):
        self.port = port
        self.context = context or ssl.create_default_context()

    def __call__(self, host: str, address: str, timeout: float) -> socket.socket:
        raw = socket.create_connection((address, self.port), timeout=timeout)
        try:
            connected = raw.getpeername()[0]
            if ipaddress.ip_address(connected) != ipaddress.ip_address(address):
                raise FetchError(f"it connected to {connected}, not {address}")
            return self.context.wrap_socket(raw, server_hostname=host)
        except BaseException:
            raw.close()
            raise


def _checked_target(
    url: str, resolve: Resolver, *, redirected: bool
) -> tuple[str, list[str]]:
    """The host of ``url`` and its addresses, once they all pass."""

    def refuse(first: str, then: str) -> FetchError:
        return FetchError(f"it redirects to {then}" if redirected else first)

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise refuse(
            "it is not a link that can be read", f"a link that cannot be read: {url}"
        ) from error
    if parts.scheme.lower() != "https":
        raise refuse(
            "it is not an https link; only https links are fetched",
            "a link that is not https; only https links are fetched",
        )
    if port not in (None, HTTPS_PORT):
        only = f"only port {HTTPS_PORT} is fetched"
        raise refuse(f"it is on port {port}; {only}", f"port {port}; {only}")
    host = _ascii_host(parts.hostname or "")
    if not host:
        raise refuse("it has no host", f"a link without a host: {url}")
    literal = _literal_address(host)
    addresses = [literal] if literal else _resolved(host, resolve)
    for address in addresses:
        kind = refused_kind(address)
        if kind is None:
            continue
        article = "an" if kind[0] in "aeiou" else "a"
        what = f"{article} {kind} address ({address})"
        if literal:
            raise refuse(f"its host is {what}", what)
        raise refuse(
            f"its host, {host}, resolves to {what}", f"{host}, which resolves to {what}"
        )
    return host, [str(address) for address in addresses]


def _ascii_host(host: str) -> str:
    """``host`` as DNS, TLS and the Host header want it: “bücher.example” in IDNA."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise FetchError(f"its host name cannot be read: {host}") from error


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _resolved(host: str, resolve: Resolver) -> list[IPAddress]:
    try:
        # A scope (“fe80::1%eth0”) names an interface: the address is link-local.
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host)]
    except ValueError as error:
        raise FetchError(f"could not find its host, {host}") from error
    if not addresses:
        raise FetchError(f"could not find its host, {host}")
    return addresses


def _nat64_embedded(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _connected(
    host: str, addresses: list[str], connect: Connector, deadline: float
) -> socket.socket:
    """A connection to the first of the checked ``addresses`` that answers."""
    error = None
    for address in addresses:
        try:
            return connect(host, address, _remaining(deadline))
        except FetchError:
            raise
        except OSError as failure:
            error = failure
    raise FetchError(f"could not reach it: {_described(error)}")


def _get(
    sock: socket.socket, url: str, host: str, user_agent: str
) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    # As a browser sends it: letters beyond ASCII and spaces percent-encoded.
    target = quote(target, safe=_SAFE_IN_TARGET)
    # Given its socket, the connection never opens another to the host's name.
    connection = http.client.HTTPConnection(host, HTTPS_PORT)
    connection.sock = sock
    headers = {"Host": host, "User-Agent": user_agent, "Accept": "*/*"}
    try:
        connection.request("GET", target, headers=headers)
        return connection.getresponse()
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"could not reach it: {_described(error)}") from error


def _next_hop(url: str, response: http.client.HTTPResponse) -> str:
    location = response.getheader("Location")
    if not location:
        raise FetchError("it redirects without saying where to")
    return urljoin(url, location.strip())


def _read_body(
    sock: socket.socket,
    response: http.client.HTTPResponse,
    max_bytes: int,
    deadline: float,
) -> bytes:
    too_large = f"it is larger than {_size(max_bytes)}"
    length = response.getheader("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(too_large)
    chunks = []
    received = 0
    try:
        while received <= max_bytes and not response.isclosed():
            # A server that sends a byte at a time is held to the deadline too.
            sock.settimeout(_remaining(deadline))
            chunk = response.read(_CHUNK_BYTES)
            if not chunk:
                break
            chunks.append(chunk)
            received += len(chunk)
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"could not read it: {_described(error)}") from error
    if received > max_bytes:
        raise FetchError(too_large)
    return b"".join(chunks)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError("it took too long to answer")
    return left


def _described(error: Exception) -> str:
    if isinstance(error, TimeoutError):
        return "it took too long to answer"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"its certificate is not valid ({error.verify_message})"
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _size(max_bytes: int) -> str:
    if max_bytes % (1024 * 1024) == 0:
        return f"{max_bytes // (1024 * 1024)} MB"
    return f"{max_bytes} bytes"
