#!/usr/bin/python3
# mock-notification-portal.py APP-ID: org.freedesktop.portal.Notification on the session bus,
# for the Flatpak's notifications (test-desktop.py, InTheFlatpak)
#
# The interface as xdg-desktop-portal 1.16 (Debian 12's) exports it, version 1, on the portal's
# name and path, checking what it is given as its frontend does: a known priority, buttons with
# a label and an action, an icon GIO can read back. Each call is recorded; the test reads them
# (Calls, as JSON) and clicks (Invoke), which the mock tells the app as xdg-desktop-portal-gtk
# and -gnome (with a GNOME Shell that tells them) do: an "app." action activated in the
# application itself (ActivateAction), any other as ActionInvoked, after activating the
# application (Activate). Beside it the two portals GIO itself turns to in a sandbox, for any
# HTTP request: the network is up, and reached directly.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import Gio, GLib

NAME = 'org.freedesktop.portal.Desktop'
PATH = '/org/freedesktop/portal/desktop'
NOTIFICATION = 'org.freedesktop.portal.Notification'
NETWORK_MONITOR = 'org.freedesktop.portal.NetworkMonitor'
MOCK = 'io.github.downbeat.MockPortal'
PRIORITIES = ('low', 'normal', 'high', 'urgent')


class Invalid(dbus.DBusException):
    _dbus_error_name = 'org.freedesktop.portal.Error.InvalidArgument'


def icon_kind(icon):
    '''"bytes" or "themed", once GIO reads the serialized icon back; Invalid if it cannot.'''
    kind, data = str(icon[0]), icon[1]
    value = (GLib.Variant('ay', bytes(data)) if kind == 'bytes'
             else GLib.Variant('as', [str(name) for name in data]))
    if Gio.Icon.deserialize(GLib.Variant('(sv)', (kind, value))) is None:
        raise Invalid('invalid icon')
    return kind


class Portal(dbus.service.Object):
    def __init__(self, bus, app_id):
        super().__init__(bus, PATH)
        self.bus = bus
        self.app_id = app_id
        self.calls = []
        self.default_actions = {}

    @dbus.service.method(NOTIFICATION, in_signature='sa{sv}')
    def AddNotification(self, id, notification):
        priority = str(notification.get('priority', 'normal'))
        if priority not in PRIORITIES:
            raise Invalid(f'invalid priority {priority}')
        buttons = []
        for button in notification.get('buttons', []):
            if 'label' not in button or 'action' not in button:
                raise Invalid('a button needs a label and an action')
            buttons.append([str(button['action']), str(button['label'])])
        default_action = str(notification.get('default-action', ''))
        self.default_actions[str(id)] = default_action
        self.calls.append({
            'method': 'AddNotification',
            'id': str(id),
            'title': str(notification.get('title', '')),
            'body': str(notification.get('body', '')),
            'priority': priority,
            'default-action': default_action,
            'buttons': buttons,
            'icon': icon_kind(notification['icon']) if 'icon' in notification else None,
        })

    @dbus.service.method(NOTIFICATION, in_signature='s')
    def RemoveNotification(self, id):
        self.calls.append({'method': 'RemoveNotification', 'id': str(id)})

    @dbus.service.signal(NOTIFICATION, signature='ssav')
    def ActionInvoked(self, id, action, parameter):
        pass

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature='ss', out_signature='v')
    def Get(self, interface, name):
        return self.GetAll(interface)[name]

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature='s', out_signature='a{sv}')
    def GetAll(self, interface):
        if interface == NOTIFICATION:
            return {'version': dbus.UInt32(1)}
        if interface == NETWORK_MONITOR:
            return {'version': dbus.UInt32(2)}
        raise dbus.DBusException(f'No such interface {interface}',
                                 name='org.freedesktop.DBus.Error.UnknownInterface')

    @dbus.service.method(NETWORK_MONITOR, out_signature='b')
    def GetAvailable(self):
        return True

    @dbus.service.method(NETWORK_MONITOR, out_signature='b')
    def GetMetered(self):
        return False

    @dbus.service.method(NETWORK_MONITOR, out_signature='u')
    def GetConnectivity(self):
        return dbus.UInt32(4)  # full

    @dbus.service.method('org.freedesktop.portal.ProxyResolver', in_signature='s',
                         out_signature='as')
    def Lookup(self, uri):
        return ['direct://']

    @dbus.service.method(MOCK, out_signature='s')
    def Calls(self):
        return json.dumps(self.calls)

    @dbus.service.method(MOCK, in_signature='ss')
    def Invoke(self, id, action):
        '''A click on the button of @action, or on the notification itself if @action is empty.'''
        action = str(action) or self.default_actions[str(id)]
        path = '/' + self.app_id.replace('.', '/').replace('-', '_')
        app = dbus.Interface(self.bus.get_object(self.app_id, path),
                             'org.freedesktop.Application')
        no_data = dbus.Dictionary({}, signature='sv')
        if action.startswith('app.'):
            app.ActivateAction(action[4:], dbus.Array([], signature='v'), no_data,
                               ignore_reply=True)
            return
        app.Activate(no_data, ignore_reply=True)
        if action:
            self.ActionInvoked(id, action, dbus.Array([], signature='v'))


dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
session = dbus.SessionBus()
portal = Portal(session, sys.argv[1])
name = dbus.service.BusName(NAME, session)
GLib.MainLoop().run()
