import datetime
import ipaddress
import socket
import ssl
import tempfile
import threading
from pathlib import Path

from django.test import SimpleTestCase

from newsroom.core.fetching import (
    MAX_REDIRECTS,
    FetchError,
    TLSConnector,
    fetch,
    refused_kind,
)
from tests.local_server import Answer, LocalServer

# Public addresses the tests name: nothing ever connects to them, the connector
# of each test goes to its local server instead.
PUBLIC = "93.184.215.14"
OTHER_PUBLIC = "151.101.1.67"


def resolver(table: dict[str, list[str]]):
    """A resolver that knows only ``table``, and records every name asked."""

    def resolve(host: str) -> list[str]:
        resolve.asked.append(host)
        return table[host]

    resolve.asked = []
    return resolve


def to_local(server: LocalServer):
    """A connector that goes to ``server`` whatever the address, recording both."""

    def connect(host: str, address: str, timeout: float) -> socket.socket:
        connect.calls.append((host, address))
        return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)

    connect.calls = []
    return connect


def never(*args):
    raise AssertionError("nothing should be resolved or connected to")


class AddressTests(SimpleTestCase):
    def test_addresses_that_are_not_public_are_named(self):
        """Every address that is not a public one is refused, and named by kind."""
        cases = {
            "127.0.0.1": "loopback",
            "10.1.2.3": "private",
            "172.16.0.1": "private",
            "192.168.1.1": "private",
            "169.254.169.254": "link-local",
            "100.64.0.1": "shared",
            "0.0.0.0": "unspecified",
            "224.0.0.1": "multicast",
            "240.0.0.1": "private",
            "255.255.255.255": "private",
            "::1": "loopback",
            "::": "unspecified",
            "fe80::1": "link-local",
            "fc00::1": "private",
            "fec0::1": "site-local",
            "ff02::1": "multicast",
            "2001:db8::1": "private",
            "::ffff:127.0.0.1": "loopback",
            "::ffff:169.254.169.254": "link-local",
            "::ffff:10.0.0.1": "private",
            "64:ff9b::a9fe:a9fe": "link-local",
            "2002:7f00:1::1": "private",
        }
        for address, kind in cases.items():
            with self.subTest(address):
                self.assertEqual(refused_kind(ipaddress.ip_address(address)), kind)

    def test_public_addresses_pass(self):
        for address in (PUBLIC, "2606:4700::1111", f"::ffff:{PUBLIC}"):
            with self.subTest(address):
                self.assertIsNone(refused_kind(ipaddress.ip_address(address)))


class RefusedLinkTests(SimpleTestCase):
    """Links the fetcher refuses before it resolves or connects to anything."""

    def refused(self, url: str, **kwargs) -> str:
        kwargs.setdefault("resolve", never)
        with self.assertRaises(FetchError) as caught:
            fetch(url, connect=never, **kwargs)
        return caught.exception.reason

    def test_http_is_refused(self):
        reason = self.refused("http://images.example.org/photo.png")
        self.assertEqual(
            reason, "it is not an https link; only https links are fetched"
        )

    def test_a_port_other_than_443_is_refused(self):
        for url in (
            "https://images.example.org:8443/photo.png",
            "https://images.example.org:80/photo.png",
            f"https://{PUBLIC}:22/",
        ):
            with self.subTest(url):
                self.assertIn("only port 443 is fetched", self.refused(url))

    def test_an_address_that_is_not_public_is_refused(self):
        for url, reason in [
            ("https://127.0.0.1/photo.png", "a loopback address (127.0.0.1)"),
            ("https://[::1]/photo.png", "a loopback address (::1)"),
            ("https://[::ffff:7f00:1]/", "a loopback address (::ffff:127.0.0.1)"),
            ("https://169.254.169.254/latest/", "a link-local address"),
            ("https://10.0.0.5/", "a private address (10.0.0.5)"),
        ]:
            with self.subTest(url):
                self.assertIn(f"its host is {reason}", self.refused(url))

    def test_a_name_resolving_to_an_address_that_is_not_public_is_refused(self):
        """Names are resolved first, and every one of their addresses checked."""
        for addresses, reason in [
            (["127.0.0.1"], "a loopback address (127.0.0.1)"),
            (["10.20.30.40"], "a private address (10.20.30.40)"),
            (["169.254.169.254"], "a link-local address (169.254.169.254)"),
            (["fe80::1%eth0"], "a link-local address (fe80::1)"),
            (["::ffff:192.168.0.1"], "a private address (::ffff:192.168.0.1)"),
            ([PUBLIC, "192.168.0.1"], "a private address (192.168.0.1)"),
        ]:
            with self.subTest(addresses):
                reason_given = self.refused(
                    "https://images.example.org/photo.png",
                    resolve=resolver({"images.example.org": addresses}),
                )
                self.assertEqual(
                    reason_given, f"its host, images.example.org, resolves to {reason}"
                )

    def test_a_name_that_does_not_resolve_is_reported(self):
        def unknown(host):
            raise FetchError(f"could not find its host, {host}")

        reason = self.refused("https://nowhere.example.org/a.png", resolve=unknown)
        self.assertEqual(reason, "could not find its host, nowhere.example.org")


class FetchTests(SimpleTestCase):
    """
    The fetcher talking to a local server through a connector that goes there
    whatever the address; the names resolve to public addresses in a table.
    """

    def serve(self, answers: dict[str, Answer]) -> LocalServer:
        server = LocalServer(answers)
        self.enterContext(server)
        return server

    def fetch(self, server, url, names=None, **kwargs) -> bytes:
        names = names or {"images.example.org": [PUBLIC]}
        self.resolve = resolver(names)
        self.connect = to_local(server)
        return fetch(url, resolve=self.resolve, connect=self.connect, **kwargs)

    def test_an_image_is_fetched_from_the_address_checked(self):
        """The connection goes to the address checked, with the host's name."""
        server = self.serve({"/photo.png": Answer(body=b"PNG bytes")})
        data = self.fetch(server, "https://images.example.org/photo.png")
        self.assertEqual(data, b"PNG bytes")
        self.assertEqual(self.connect.calls, [("images.example.org", PUBLIC)])
        self.assertEqual(server.requests[0].host, "images.example.org")

    def test_a_link_beyond_ascii_is_sent_as_a_browser_sends_it(self):
        server = self.serve({"/caf%C3%A9%20photo.png": Answer(body=b"PNG bytes")})
        names = {"xn--bcher-kva.example": [PUBLIC]}
        data = self.fetch(server, "https://bücher.example/café photo.png", names)
        self.assertEqual(data, b"PNG bytes")
        self.assertEqual(server.requests[0].host, "xn--bcher-kva.example")

    def test_a_name_is_resolved_once_and_never_again_to_connect(self):
        """
        A name that would resolve elsewhere on a second asking (DNS rebinding) is
        asked once: the connection goes to the address that was checked.
        """
        server = self.serve({"/photo.png": Answer(body=b"PNG bytes")})
        answers = iter([[PUBLIC], ["127.0.0.1"]])

        def rebinding(host):
            rebinding.asked += 1
            return next(answers)

        rebinding.asked = 0
        connect = to_local(server)
        fetch(
            "https://images.example.org/photo.png", resolve=rebinding, connect=connect
        )
        self.assertEqual(rebinding.asked, 1)
        self.assertEqual(connect.calls, [("images.example.org", PUBLIC)])

    def test_a_redirect_to_a_name_of_a_link_local_address_is_refused(self):
        """The cloud's metadata address behind a redirect is never asked for."""
        server = self.serve(
            {
                "/photo.png": Answer(
                    302,
                    headers={
                        "Location": "https://metadata.example.org/latest/meta-data/"
                    },
                ),
                "/latest/meta-data/": Answer(body=b"secret"),
            }
        )
        names = {
            "images.example.org": [PUBLIC],
            "metadata.example.org": ["169.254.169.254"],
        }
        with self.assertRaises(FetchError) as caught:
            self.fetch(server, "https://images.example.org/photo.png", names)
        self.assertEqual(
            caught.exception.reason,
            "it redirects to metadata.example.org, which resolves to a link-local "
            "address (169.254.169.254)",
        )
        self.assertEqual(server.paths, ["/photo.png"])

    def test_a_redirect_to_a_local_http_address_is_refused(self):
        server = self.serve({"/latest/meta-data/": Answer(body=b"secret")})
        server.answers["/photo.png"] = Answer(
            302, headers={"Location": server.url("/latest/meta-data/")}
        )
        with self.assertRaises(FetchError) as caught:
            self.fetch(server, "https://images.example.org/photo.png")
        self.assertEqual(
            caught.exception.reason,
            "it redirects to a link that is not https; only https links are fetched",
        )
        self.assertEqual(server.paths, ["/photo.png"])

    def test_redirects_to_public_hosts_are_followed_each_checked(self):
        server = self.serve(
            {
                "/photo.png": Answer(
                    301, headers={"Location": "https://cdn.example.net/a/photo.png"}
                ),
                "/a/photo.png": Answer(302, headers={"Location": "/b/photo.png"}),
                "/b/photo.png": Answer(body=b"PNG bytes"),
            }
        )
        names = {
            "images.example.org": [PUBLIC],
            "cdn.example.net": [OTHER_PUBLIC],
        }
        data = self.fetch(server, "https://images.example.org/photo.png", names)
        self.assertEqual(data, b"PNG bytes")
        self.assertEqual(
            self.resolve.asked,
            ["images.example.org", "cdn.example.net", "cdn.example.net"],
        )
        self.assertEqual(
            [request.host for request in server.requests],
            ["images.example.org", "cdn.example.net", "cdn.example.net"],
        )

    def test_too_many_redirects_are_refused(self):
        server = self.serve(
            {"/loop": Answer(302, headers={"Location": "/loop"})},
        )
        with self.assertRaises(FetchError) as caught:
            self.fetch(server, "https://images.example.org/loop")
        self.assertEqual(
            caught.exception.reason, f"it redirects more than {MAX_REDIRECTS} times"
        )
        self.assertEqual(len(server.requests), MAX_REDIRECTS + 1)

    def test_a_file_over_the_size_limit_is_refused(self):
        """Over the limit, with or without its length announced, nothing is kept."""
        for send_length in (True, False):
            with self.subTest(send_length=send_length):
                body = b"x" * 300_000
                server = self.serve(
                    {"/big": Answer(body=body, send_length=send_length)}
                )
                with self.assertRaises(FetchError) as caught:
                    self.fetch(
                        server, "https://images.example.org/big", max_bytes=100_000
                    )
                self.assertEqual(
                    caught.exception.reason, "it is larger than 100000 bytes"
                )

    def test_a_file_at_the_size_limit_is_fetched(self):
        server = self.serve({"/exact": Answer(body=b"x" * 1000, send_length=False)})
        data = self.fetch(server, "https://images.example.org/exact", max_bytes=1000)
        self.assertEqual(len(data), 1000)

    def test_an_error_answer_is_reported(self):
        server = self.serve({})
        with self.assertRaises(FetchError) as caught:
            self.fetch(server, "https://images.example.org/gone.png")
        self.assertEqual(caught.exception.reason, "the server answered 404 Not Found")

    def test_a_server_that_does_not_answer_in_time_is_given_up(self):
        listener = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(listener.close)

        def connect(host, address, timeout):
            return socket.create_connection(listener.getsockname(), timeout=timeout)

        with self.assertRaises(FetchError) as caught:
            fetch(
                "https://images.example.org/slow.png",
                resolve=resolver({"images.example.org": [PUBLIC]}),
                connect=connect,
                timeout=0.5,
            )
        self.assertEqual(
            caught.exception.reason, "could not reach it: it took too long to answer"
        )


class TLSConnectorTests(SimpleTestCase):
    """
    The connector goes to the address it is given and checks the certificate
    against the host's name, which it sends as the TLS server name.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        folder = Path(tempfile.mkdtemp())
        cls.addClassCleanup(_remove, folder)
        cls.certificate, key = _self_signed(folder, "images.example.org")
        cls.server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cls.server_context.load_cert_chain(cls.certificate, key)

    def serve_once(self) -> tuple[int, list]:
        """A TLS server for one handshake; the names clients sent are recorded."""
        listener = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(listener.close)
        names = []
        self.server_context.sni_callback = lambda sock, name, context: names.append(
            name
        )

        def accept():
            conn, _ = listener.accept()
            try:
                with self.server_context.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1)
            except (ssl.SSLError, OSError):
                pass

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        self.addCleanup(thread.join, 5)
        return listener.getsockname()[1], names

    def connector(self, port: int) -> TLSConnector:
        context = ssl.create_default_context(cafile=self.certificate)
        return TLSConnector(port=port, context=context)

    def test_connects_to_the_address_with_the_host_name(self):
        port, names = self.serve_once()
        with self.connector(port)("images.example.org", "127.0.0.1", 5) as tls:
            self.assertEqual(tls.getpeername()[0], "127.0.0.1")
            tls.sendall(b"x")
        self.assertEqual(names, ["images.example.org"])

    def test_a_certificate_for_another_name_is_refused(self):
        port, _ = self.serve_once()
        with self.assertRaises(ssl.SSLCertVerificationError):
            self.connector(port)("other.example.org", "127.0.0.1", 5)


def _self_signed(folder: Path, name: str) -> tuple[str, str]:
    """A certificate for ``name`` and its key, as files in ``folder``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    certificate_file = folder / "certificate.pem"
    key_file = folder / "key.pem"
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(certificate_file), str(key_file)


def _remove(folder: Path) -> None:
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()
