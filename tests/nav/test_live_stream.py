"""Over a real HTTP server: the receipt of an ad comes back while the client is still sending the stream."""

import json
import socket
import threading
import time

import uvicorn
from sqlmodel import Session

from accounts.service import create_provider
from api.app import create_app
from employers.models import Employer
from tests.nav.conftest import ORG_A, nav_ad
from tests.serving import free_port


def test_receipts_arrive_before_the_stream_ends(engine):
    with Session(engine) as s:
        s.add(Employer(organisation_number=ORG_A, name="Renhold Øst AS", sector="cleaning", municipality_code="0301"))
        key, provider = create_provider(s, name="ATS", email=None, organisation_numbers=[ORG_A], created_by=None)
        s.commit()
        provider_id = provider.id
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(engine, worker=False), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.1)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall((f"POST /nav-import/api/v1/transfers/{provider_id} HTTP/1.1\r\nHost: test\r\n"
                          f"Authorization: Bearer {key}\r\nContent-Type: application/x-json-stream\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n").encode())

            def chunk(data: bytes) -> None:
                sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")

            chunk(json.dumps(nav_ad("LIVE-1"), indent=2).encode())
            received = b""
            while b'"reference": "LIVE-1"' not in received:  # the stream is still open: nothing more sent yet
                received += sock.recv(65536)
            assert received.startswith(b"HTTP/1.1 200")
            chunk(json.dumps(nav_ad("LIVE-2")).encode())
            chunk(b"")
            while b'"reference": "LIVE-2"' not in received:
                received += sock.recv(65536)
        assert received.count(b'"status": "RECEIVED"') == 2
    finally:
        server.should_exit = True
        thread.join(timeout=10)
