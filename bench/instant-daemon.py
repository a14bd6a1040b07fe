#!/usr/bin/env python3
"""A measuring stand-in, not a daemon: it answers the few requests that the bench's docker commands make (ping,
create, attach, wait, start, list, remove) at once, from canned replies, and runs nothing. Timing the same docker
commands against it gives the docker CLI's own share of each figure: what no daemon can take away on this machine.

    bench/instant-daemon.py SOCKET [LIST_JSON]

LIST_JSON is replayed for GET /containers/json (the list a real daemon gave, so the CLI formats the same rows).
"""
import os
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

SOCKET = sys.argv[1]
LISTING = open(sys.argv[2], "rb").read() if len(sys.argv) > 2 else b"[]"
CONTAINER_ID = b"0" * 64


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/json"):
        self.send_response(status)
        self.send_header("Api-Version", "1.50")
        if status != 204:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status != 204:
            self.wfile.write(body)

    def path_only(self):
        return self.path.split("?", 1)[0]

    def do_HEAD(self):
        self.reply(200, b"OK", "text/plain; charset=utf-8")

    def do_GET(self):
        path = self.path_only()
        if path.endswith("/_ping"):
            return self.reply(200, b"OK", "text/plain; charset=utf-8")
        if path.endswith("/containers/json"):
            return self.reply(200, LISTING)
        self.reply(404, b'{"message":"not answered by the stand-in"}')

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path_only()
        if path.endswith("/containers/create"):
            return self.reply(201, b'{"Id":"' + CONTAINER_ID + b'","Warnings":[]}')
        if path.endswith("/attach"):
            # The hijacked stream, closed at once: the container printed nothing.
            self.send_response(101)
            self.send_header("Content-Type", "application/vnd.docker.raw-stream")
            self.send_header("Connection", "Upgrade")
            self.send_header("Upgrade", "tcp")
            self.end_headers()
            self.close_connection = True
            return
        if path.endswith("/wait"):
            return self.reply(200, b'{"StatusCode":0}')
        if path.endswith("/start"):
            return self.reply(204)
        self.reply(404, b'{"message":"not answered by the stand-in"}')

    def do_DELETE(self):
        self.reply(204)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    request_queue_size = 128  # docker rm -f sends its removals at once


if os.path.exists(SOCKET):
    os.unlink(SOCKET)
Server(SOCKET, Handler).serve_forever()
