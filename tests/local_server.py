"""
A small HTTP server on this machine (127.0.0.1 unless told) for the tests of
fetching: it answers each path as told and records every request it gets, so a test
can say what was never asked for.
"""

import contextlib
import dataclasses
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclasses.dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    # Without a Content-Length the body ends when the connection closes.
    send_length: bool = True


@dataclasses.dataclass
class Request:
    path: str
    host: str


class LocalServer:
    """``with LocalServer({"/image.png": Answer(body=...)}) as server: server.url``"""

    def __init__(self, answers: dict[str, Answer], host: str = "127.0.0.1"):
        self.answers = answers
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(Request(self.path, self.headers["Host"] or ""))
                answer = server.answers.get(self.path, Answer(status=404))
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.send_length:
                    self.send_header("Content-Length", str(len(answer.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                # The client may stop reading, as a size limit should.
                with contextlib.suppress(OSError):
                    self.wfile.write(answer.body)

            def log_message(self, format, *args):
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "LocalServer":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    @property
    def paths(self) -> list[str]:
        return [request.path for request in self.requests]
