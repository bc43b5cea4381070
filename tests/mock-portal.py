#!/usr/bin/python3
# mock-portal.py: org.freedesktop.portal.Background on the session bus, for test-autostart
#
# Answers RequestBackground as xdg-desktop-portal does: a Response on the request's own path.
# Prints each request's options as one JSON line; the answer is "allowed" unless started with
# --refuse.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

NAME = 'org.freedesktop.portal.Desktop'
PATH = '/org/freedesktop/portal/desktop'


class Request(dbus.service.Object):
    @dbus.service.signal('org.freedesktop.portal.Request', signature='ua{sv}')
    def Response(self, response, results):
        pass


class Background(dbus.service.Object):
    def __init__(self, bus, refuse):
        super().__init__(bus, PATH)
        self.bus = bus
        self.refuse = refuse

    @dbus.service.method('org.freedesktop.portal.Background', in_signature='sa{sv}',
                         out_signature='o', sender_keyword='sender')
    def RequestBackground(self, parent_window, options, sender=None):
        print(json.dumps({'autostart': bool(options.get('autostart', False)),
                          'commandline': [str(a) for a in options.get('commandline', [])],
                          'reason': str(options.get('reason', ''))}), flush=True)
        path = f'{PATH}/request/{sender[1:].replace(".", "_")}/{options["handle_token"]}'
        request = Request(self.bus, path)
        results = {'background': dbus.Boolean(not self.refuse),
                   'autostart': dbus.Boolean(bool(options.get('autostart')) and not self.refuse)}
        GLib.timeout_add(50, lambda: request.Response(dbus.UInt32(1 if self.refuse else 0),
                                                      results) and False)
        return dbus.ObjectPath(path)


dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
session = dbus.SessionBus()
portal = Background(session, '--refuse' in sys.argv)
name = dbus.service.BusName(NAME, session)
GLib.MainLoop().run()
