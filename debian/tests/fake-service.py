#!/usr/bin/python3
# fake-service.py: Spotify's status page, probes and the neutral control site, on 127.0.0.1
#
# Usage: fake-service.py up|down PORT-FILE
# Serves on a free port and writes the port to PORT-FILE once it answers. "up": everything
# works; "down": the status page says major outage and every probe answers 503, while the
# control site still answers, so that this computer reads as online.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import http.server
import json
import os
import sys

MODE, PORT_FILE = sys.argv[1:3]
UP = MODE == 'up'

SUMMARY = {
    'page': {'id': 'x', 'name': 'Spotify', 'url': 'https://status.example',
             'updated_at': '2026-11-28T10:00:00.000Z'},
    'status': {'indicator': 'none' if UP else 'major',
               'description': 'All Systems Operational' if UP else 'Major System Outage'},
    'components': [{'id': 'c1', 'name': 'Login',
                    'status': 'operational' if UP else 'major_outage'}],
    'incidents': [],
    'scheduled_maintenances': [],
}

# path: (status, content type, body) when up
ANSWERS = {
    '/summary.json': (200, 'application/json', json.dumps(SUMMARY)),
    '/ap': (200, 'application/json', json.dumps({'accesspoint': ['ap.example:4070']})),
    '/api': (401, 'application/json', json.dumps({'error': {'status': 401}})),
    '/login': (200, 'text/html', '<html></html>'),
    '/player': (200, 'text/html', '<html></html>'),
    '/control': (200, 'text/plain', 'NetworkManager is online\n'),
}
ALWAYS_UP = ('/summary.json', '/control')


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, with_body):
        status, content_type, body = ANSWERS.get(self.path, (404, 'text/plain', 'not found'))
        if not UP and self.path not in ALWAYS_UP:
            status, content_type, body = 503, 'text/plain', 'unavailable'
        data = body.encode()
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def do_GET(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)

    def log_message(self, format, *args):
        pass


server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
with open(PORT_FILE + '.tmp', 'w') as f:
    f.write(str(server.server_address[1]))
os.rename(PORT_FILE + '.tmp', PORT_FILE)
server.serve_forever()
