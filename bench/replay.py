"""A local arXiv for `soralit add` benchmarks: a thread serving one recorded answer.

Every GET gets the recorded Atom feed `tests/fixtures/arxiv/id_list_1605.08386.xml`
byte for byte (see tests/fixtures/PROVENANCE.md), from 127.0.0.1 only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEED = Path(__file__).resolve().parent.parent / "tests/fixtures/arxiv/id_list_1605.08386.xml"
ARXIV_ID = "1605.08386"


def _handler(body: bytes) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:  # keep the bench output clean
            pass

    return Handler


@contextmanager
def arxiv_server() -> Iterator[str]:
    """Serve the recorded feed; yields the URL to put in SORALIT_ARXIV_URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(FEED.read_bytes()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/query"
    finally:
        server.shutdown()
        server.server_close()
