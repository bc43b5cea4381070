# desktop.py: the parts of a desktop session that the end-to-end tests and the benchmark share
#
# A StatusNotifierWatcher that records what registers, python-dbusmock's notification daemon,
# the fake Spotify and the real `downbeat`, all on the session bus of `dbus-run-session`.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import glob
import json
import os
import re
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.request

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)

WATCHER = 'org.kde.StatusNotifierWatcher'
ITEM = 'org.kde.StatusNotifierItem'
APP_ID = 'io.github.downbeat.Downbeat'
APP_PATH = '/io/github/downbeat/Downbeat'
ICON = APP_ID + '-'


def bus():
    return dbus.SessionBus()


def pump(seconds=0.0):
    '''Runs the main loop for a while: the watcher answers only while it runs.'''
    context = GLib.MainContext.default()
    deadline = time.monotonic() + seconds
    while True:
        while context.pending():
            context.iteration(False)
        if time.monotonic() >= deadline:
            return
        time.sleep(0.02)


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out after {timeout} s waiting for {what}')
        pump(0.1)


def exit_status(process, timeout):
    '''@process's exit status, once it ends within @timeout seconds; if it does not, the signals
    it ignores and what each of its threads was doing then (state, kernel wait, system call),
    to tell a hang from a starved machine.'''
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        threads = []
        for task in sorted(glob.glob(f'/proc/{process.pid}/task/*')):
            try:
                facts = [open(os.path.join(task, name)).read().strip()
                         for name in ('comm', 'wchan', 'syscall')]
                state = open(os.path.join(task, 'stat')).read().rsplit(')', 1)[1].split()[0]
            except OSError:
                continue
            threads.append(f'{facts[0]}: state {state}, in {facts[1]}, system call {facts[2]}')
        with open('/proc/loadavg') as loadavg:
            load = loadavg.read().strip()
        with open(f'/proc/{process.pid}/status') as status:
            ignored = re.search(r'^SigIgn:\s*(\w+)', status.read(), re.M).group(1)
        raise AssertionError(f'{process.args[0]} still running {timeout} s on (load {load}, '
                             f'signals ignored {ignored}):\n' + '\n'.join(threads)) from None


class Watcher(dbus.service.Object):
    '''A tray host's watcher: records each StatusNotifierItem that registers.'''

    def __init__(self, connection):
        self.bus = connection
        self.items = []
        super().__init__(connection, '/StatusNotifierWatcher')
        self.name = dbus.service.BusName(WATCHER, connection, do_not_queue=True)

    def stop(self):
        if self.name is not None:
            self.remove_from_connection()
            # The name goes with its last reference; a stale BusName would later release the
            # name of a new watcher on this same connection.
            self.name = None

    @dbus.service.method(WATCHER, in_signature='s', sender_keyword='sender')
    def RegisterStatusNotifierItem(self, service, sender=None):
        if service.startswith('/'):
            item = (sender, service)
        else:
            item = (service, '/StatusNotifierItem')
        self.items.append(item)
        self.StatusNotifierItemRegistered(item[0] + item[1])

    @dbus.service.method(WATCHER, in_signature='s')
    def RegisterStatusNotifierHost(self, service):
        pass

    @dbus.service.signal(WATCHER, signature='s')
    def StatusNotifierItemRegistered(self, item):
        pass

    @dbus.service.signal(WATCHER, signature='s')
    def StatusNotifierItemUnregistered(self, item):
        pass

    @dbus.service.signal(WATCHER, signature='')
    def StatusNotifierHostRegistered(self):
        pass

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature='ss', out_signature='v')
    def Get(self, interface, name):
        return self.GetAll(interface)[name]

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature='s', out_signature='a{sv}')
    def GetAll(self, interface):
        return {
            'RegisteredStatusNotifierItems':
                dbus.Array([name + path for name, path in self.items], signature='s'),
            'IsStatusNotifierHostRegistered': True,
            'ProtocolVersion': dbus.Int32(0),
        }

    def item_property(self, name):
        '''The property of the last registered item, None while nothing is registered.'''
        if not self.items:
            return None
        owner, path = self.items[-1]
        try:
            # No introspection: of an item whose app has just quit, dbus-python logs an ERROR.
            item = self.bus.get_object(owner, path, introspect=False)
            return str(item.Get(ITEM, name, dbus_interface=dbus.PROPERTIES_IFACE))
        except dbus.exceptions.DBusException:
            return None

    def icon(self):
        return self.item_property('IconName')

    def wait_for_icon(self, level, timeout=30):
        wait_for(lambda: self.icon() == ICON + level, timeout, f'the {level} icon (now {self.icon()})')


class Notifications:
    '''python-dbusmock's notification daemon, and what it was asked to show.

    In a process of its own: importing dbusmock here would replace how dbus-python finds the
    methods of every object, the watcher's included.'''

    NAME = 'org.freedesktop.Notifications'

    def __init__(self, capabilities='body body-markup actions'):
        parameters = json.dumps({'capabilities': capabilities})
        self.process = subprocess.Popen(['/usr/bin/python3', '-m', 'dbusmock', '--template',
                                         'notification_daemon', '--parameters', parameters],
                                        stdout=subprocess.DEVNULL)
        wait_for(lambda: bus().name_has_owner(self.NAME), 30, 'the notification daemon')
        obj = bus().get_object(self.NAME, '/org/freedesktop/Notifications')
        self.mock = dbus.Interface(obj, 'org.freedesktop.DBus.Mock')

    def stop(self):
        self.process.terminate()
        self.process.wait()

    def pretend(self, name, version):
        '''Calls itself @name at @version, as GetServerInformation tells a client.'''
        self.mock.AddMethod(self.NAME, 'GetServerInformation', '', 'ssss',
                            f'ret = ({name!r}, "GNOME", {version!r}, "1.2")')

    def shown(self):
        '''Every Notify call: summary, body, replaces_id, urgency and actions.'''
        return [{
            'summary': str(args[3]),
            'body': str(args[4]),
            'replaces_id': int(args[1]),
            'urgency': int(args[6].get('urgency', 1)),
            'actions': [str(a) for a in args[5]],
            'image-path': str(args[6].get('image-path', '')),
            'image-data': image_size(args[6]),
        } for _, method, args in self.mock.GetCalls() if method == 'Notify']

    def summaries(self):
        return [n['summary'] for n in self.shown()]

    def click(self, notification_id, action):
        '''A click on @action of notification @notification_id (the mock numbers them from 1), as
        a server tells it: the action invoked, then the notification closed by the user.'''
        self.mock.EmitSignal(self.NAME, 'ActionInvoked', 'us',
                             [dbus.UInt32(notification_id), action])
        self.dismiss(notification_id)

    def closed(self):
        '''The id of each CloseNotification call.'''
        return [int(args[0]) for _, method, args in self.mock.GetCalls()
                if method == 'CloseNotification']

    def dismiss(self, server_id):
        '''The user closes notification @server_id (reason 2, dismissed).'''
        self.mock.EmitSignal(self.NAME, 'NotificationClosed', 'uu',
                             [dbus.UInt32(server_id), dbus.UInt32(2)])

    def calls(self):
        '''Notify and CloseNotification, in the order they came.'''
        return [str(method) for _, method, _ in self.mock.GetCalls()
                if method in ('Notify', 'CloseNotification')]


class Player:
    '''A Spotify player on the session bus, as MPRIS shows it: python-dbusmock with the
    Player interface's PlaybackStatus and a Play that plays.'''

    INTERFACE = 'org.mpris.MediaPlayer2.Player'

    def __init__(self, status, name='org.mpris.MediaPlayer2.spotify'):
        self.process = subprocess.Popen(['/usr/bin/python3', '-m', 'dbusmock', name,
                                         '/org/mpris/MediaPlayer2', self.INTERFACE],
                                        stdout=subprocess.DEVNULL)
        wait_for(lambda: bus().name_has_owner(name), 30, 'the player')
        obj = bus().get_object(name, '/org/mpris/MediaPlayer2')
        self.mock = dbus.Interface(obj, 'org.freedesktop.DBus.Mock')
        self.properties = dbus.Interface(obj, dbus.PROPERTIES_IFACE)
        self.mock.AddProperties(self.INTERFACE, {'PlaybackStatus': status})
        self.mock.AddMethod(self.INTERFACE, 'Play', '', '',
                            f'self.UpdateProperties("{self.INTERFACE}", '
                            '{"PlaybackStatus": "Playing"})')

    def set_status(self, status):
        '''The player changes by itself, or its user changes it: PropertiesChanged is sent.'''
        self.mock.UpdateProperties(self.INTERFACE, {'PlaybackStatus': status})

    def status(self):
        return str(self.properties.Get(self.INTERFACE, 'PlaybackStatus'))

    def plays_asked(self):
        return len(self.mock.GetMethodCalls('Play'))

    def stop(self):
        self.process.terminate()
        self.process.wait()


def image_size(hints):
    '''(width, height) of the image a notification carries itself, None if it has none: under
    the hint's name for the server's version of the specification (1.2, 1.1, older).'''
    for name in ('image-data', 'image_data', 'icon_data'):
        if name in hints:
            return int(hints[name][0]), int(hints[name][1])
    return None


class FakeSpotify:
    '''tests/fake-spotify: Spotify's endpoints on 127.0.0.1, told what to answer over HTTP.
    With @certificates, a folder holding server.pem (a certificate and its key) and ca.crt (what
    signed it), every endpoint is HTTPS, as Spotify's are.'''

    def __init__(self, directory, certificates=None):
        self.service = os.path.join(directory, 'service.json')
        https = ['--https', os.path.join(certificates, 'server.pem')] if certificates else []
        self.process = subprocess.Popen([os.environ['FAKE_SPOTIFY'], *https, self.service],
                                        stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())
        self.base = f'{"https" if certificates else "http"}://127.0.0.1:{self.port}'
        self.context = (ssl.create_default_context(cafile=os.path.join(certificates, 'ca.crt'))
                        if certificates else None)

    def set(self, endpoint, mode):
        url = f'{self.base}/_control?endpoint={endpoint}&mode={mode}'
        with urllib.request.urlopen(url, timeout=5, context=self.context) as answer:
            assert answer.status == 204

    def hits(self, endpoint):
        '''How often @endpoint was asked.'''
        url = f'{self.base}/_control?endpoint={endpoint}'
        with urllib.request.urlopen(url, timeout=5, context=self.context) as answer:
            return int(answer.read())

    def set_probes(self, mode):
        for endpoint in ('ap', 'api', 'login', 'player'):
            self.set(endpoint, mode)

    def stop(self):
        self.process.terminate()
        self.process.wait()
        self.process.stdout.close()


class Downbeat:
    '''The real `downbeat`, in a clean state of its own; run by @sandbox's command if given.'''

    def __init__(self, service, *args, env=None, stderr=None, sandbox=()):
        self.state = tempfile.TemporaryDirectory(prefix='downbeat-state-')
        environment = dict(os.environ)
        environment.update({
            'GSETTINGS_BACKEND': 'memory',
            'XDG_STATE_HOME': self.state.name,
            'G_DEBUG': 'fatal-criticals',
            'NO_AT_BRIDGE': '1',
        })
        # Its debug log, on stdout, says when each check ends and the memory it holds then.
        environment['G_MESSAGES_DEBUG'] = 'downbeat-application'
        # No per-thread caches in glibc's malloc (tcache): the blocks a thread frees wait there
        # for its next malloc, and mallinfo2() counts them in use, so the app's figure for its
        # live allocations would grow over its first few dozen checks as each thread's cache
        # fills (the redirect loop's 20 requests a check: +50 KiB over 40 checks, flat without).
        tunables = [environment.get('GLIBC_TUNABLES'), 'glibc.malloc.tcache_count=0']
        environment['GLIBC_TUNABLES'] = ':'.join(filter(None, tunables))
        environment.update(env or {})
        # None takes a variable away: NO_AT_BRIDGE=None lets the app on the accessibility bus.
        environment = {name: value for name, value in environment.items() if value is not None}
        self.environment = environment
        # Where its history is, once it has one.
        self.history = os.path.join(environment['XDG_STATE_HOME'], 'downbeat', 'history.db')
        self.log = os.path.join(self.state.name, 'debug.log')
        # DOWNBEAT_WRAPPER runs it under a tool: "valgrind --leak-check=full …"
        wrapper = os.environ.get('DOWNBEAT_WRAPPER', '').split()
        with open(self.log, 'w') as log:
            self.process = subprocess.Popen([*sandbox, *wrapper, os.environ['DOWNBEAT'],
                                             '--service', service, *args],
                                            env=environment, stdout=log, stderr=stderr)

    def in_use(self):
        '''The bytes in live allocations after each check so far, one figure a check; SQLite's
        page caches, which grow with the history up to their bound, left aside.'''
        with open(self.log) as log:
            return [int(in_use) - int(sqlite) for in_use, sqlite in
                    re.findall(r"Checked: (\d+) bytes in use, (\d+) of them SQLite's", log.read())]

    def wait_for_checks(self, count, what='checks'):
        '''Waits until @count more checks have ended; the figures they left.'''
        start = len(self.in_use())
        wait_for(lambda: len(self.in_use()) >= start + count, 10 + 5 * count,
                 f'{count} {what}')
        return self.in_use()[start:start + count]

    def run_again(self, *args):
        '''A second `downbeat` with the same options: it hands over to the first and exits.'''
        return subprocess.run([os.environ['DOWNBEAT'], *args], env=self.environment, timeout=30)

    def alive(self):
        return self.process.poll() is None

    def activate_action(self, name, parameter=None, path=APP_PATH):
        '''Activates the action @name of the application (app.*), or of the window at @path
        (win.*), with the string @parameter if given.'''
        target = [] if parameter is None else [dbus.String(parameter, variant_level=1)]
        actions = bus().get_object(APP_ID, path)
        actions.Activate(name, dbus.Array(target, signature='v'),
                         dbus.Dictionary({}, signature='sv'), dbus_interface='org.gtk.Actions')

    def set_action_state(self, name, value):
        app = bus().get_object(APP_ID, APP_PATH)
        app.SetState(name, value, dbus.Dictionary({}, signature='sv'),
                     dbus_interface='org.gtk.Actions')

    def action(self, name):
        '''(enabled, state) of the application's action @name; state None for a stateless one.'''
        app = bus().get_object(APP_ID, APP_PATH)
        enabled, _, state = app.Describe(name, dbus_interface='org.gtk.Actions')
        return bool(enabled), (state[0] if state else None)

    def window_paths(self):
        '''The object path of each window the application exports on the bus.'''
        app = bus().get_object(APP_ID, APP_PATH)
        xml = app.Introspect(dbus_interface=dbus.INTROSPECTABLE_IFACE)
        if '<node name="window"' not in xml:
            return []
        windows = bus().get_object(APP_ID, APP_PATH + '/window')
        xml = windows.Introspect(dbus_interface=dbus.INTROSPECTABLE_IFACE)
        numbers = re.findall(r'<node name="(\d+)"', xml)
        return [f'{APP_PATH}/window/{number}' for number in numbers]

    def window_count(self):
        '''How many windows the application exports on the bus.'''
        return len(self.window_paths())

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        self.state.cleanup()
        return self.process.returncode


def press_keys(pid, title, keys, display_name=None):
    '''Types @keys ("Escape", "Control_L+w") into the window of @pid whose title is @title, as
    a keyboard does (XTEST), once it has the focus. Whether there was such a window.'''
    from Xlib import X, XK, Xatom, display
    from Xlib.ext import xtest
    screen = display.Display(display_name)
    try:
        pid_atom = screen.intern_atom('_NET_WM_PID')
        for window in screen.screen().root.query_tree().children:
            owner = window.get_full_property(pid_atom, Xatom.CARDINAL)
            if (owner is None or owner.value[0] != pid or window.get_wm_name() != title
                    or window.get_attributes().map_state != X.IsViewable):
                continue
            window.set_input_focus(X.RevertToParent, X.CurrentTime)
            screen.sync()
            for combination in keys:
                codes = [screen.keysym_to_keycode(XK.string_to_keysym(key))
                         for key in combination.split('+')]
                for code in codes:
                    xtest.fake_input(screen, X.KeyPress, code)
                for code in reversed(codes):
                    xtest.fake_input(screen, X.KeyRelease, code)
            screen.sync()
            return True
        return False
    finally:
        screen.close()


class Browser:
    '''The default browser of a private XDG home, a script that notes the address it opens:
    start the app with env=browser.environment().'''

    def __init__(self):
        self.home = tempfile.TemporaryDirectory(prefix='downbeat-browser-')
        self.opened_file = os.path.join(self.home.name, 'opened')
        applications = os.path.join(self.home.name, 'data', 'applications')
        os.makedirs(applications)
        with open(os.path.join(applications, 'browser.desktop'), 'w') as file:
            file.write('[Desktop Entry]\nType=Application\nName=Browser\n'
                       f'Exec=sh -c \'echo "$1" > {self.opened_file}\' sh %u\n'
                       'MimeType=x-scheme-handler/http;x-scheme-handler/https;\n')
        os.makedirs(os.path.join(self.home.name, 'config'))
        with open(os.path.join(self.home.name, 'config', 'mimeapps.list'), 'w') as file:
            file.write('[Default Applications]\nx-scheme-handler/http=browser.desktop\n'
                       'x-scheme-handler/https=browser.desktop\n')

    def environment(self):
        return {'XDG_DATA_HOME': os.path.join(self.home.name, 'data'),
                'XDG_CONFIG_HOME': os.path.join(self.home.name, 'config')}

    def opened(self):
        '''The address it was last asked to open, or None.'''
        try:
            with open(self.opened_file) as file:
                return file.read().strip() or None
        except FileNotFoundError:
            return None

    def stop(self):
        self.home.cleanup()


class Dunst:
    '''dunst, a real notification server, on the tests' bus and X server, with a configuration
    of its own (none of the machine's): what it shows, as it prints each notification.'''

    NAME = 'org.freedesktop.Notifications'

    def __init__(self):
        self.directory = tempfile.TemporaryDirectory(prefix='downbeat-dunst-')
        config = os.path.join(self.directory.name, 'dunstrc')
        with open(config, 'w') as file:
            file.write('[global]\n  font = Monospace 8\n')
        self.log = open(os.path.join(self.directory.name, 'printed'), 'w+')
        self.process = subprocess.Popen(['dunst', '-config', config, '-print'], stdout=self.log,
                                        stderr=subprocess.DEVNULL)
        wait_for(lambda: bus().name_has_owner(self.NAME), 30, 'dunst on the bus')

    def stop(self):
        self.process.terminate()
        self.process.wait()
        self.log.close()
        self.directory.cleanup()

    def shown(self):
        '''Each notification dunst took, in order: its fields as dunst prints them (summary,
        body, urgency, actions, raw_icon set, …).'''
        self.log.seek(0)
        shown = []
        for block in re.findall(r'^\{\n(.*?)^\}$', self.log.read(), re.S | re.M):
            fields = re.findall(r'^\t([a-z_ ]+): (.*?)(?=\n\t[a-z_ ]+: |\n?\Z)', block,
                                re.S | re.M)
            shown.append({name: re.sub(r"^'(.*)'$", r'\1', value, flags=re.S)
                          for name, value in fields})
        return shown

    def summaries(self):
        return [fields['summary'] for fields in self.shown()]

    def displayed(self):
        '''How many notifications are on screen now.'''
        return int(subprocess.run(['dunstctl', 'count', 'displayed'], capture_output=True,
                                  text=True, check=True).stdout)

    def click(self):
        '''A click on the newest notification, as on the screen: its default action.'''
        subprocess.run(['dunstctl', 'action', '0'], check=True)


class Trayer:
    '''trayer, a real XEmbed-only tray (no StatusNotifierWatcher), on an X server of its own.

    Of its own: every program on an X screen without a StatusNotifierWatcher on its bus docks
    its XEmbed icon in whatever tray that screen has, and meson runs the other desktop tests
    side by side on the suite's X server (their Downbeats docked here, and trayer counted two
    icons or more). Start what must dock with env=tray.environment().'''

    def __init__(self, tray=True):
        read, write = os.pipe()
        # -noreset: else the server resets as the first client (this class's own xwininfo)
        # leaves, and trayer, connecting in that instant, fails to open the display.
        self.server = subprocess.Popen(['Xvfb', '-displayfd', str(write), '-screen', '0',
                                        '640x480x24', '-nolisten', 'tcp', '-noreset'],
                                       pass_fds=[write], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as displayfd:
            number = displayfd.readline().strip()
        if not number:
            self.server.kill()
            raise RuntimeError('Xvfb did not start')
        self.display = ':' + number
        self.process = None
        if tray:
            self.start()

    def start(self):
        '''trayer itself, on the X server made already.'''
        self.process = subprocess.Popen(['trayer', '--edge', 'top', '--align', 'right',
                                         '--widthtype', 'pixel', '--width', '96',
                                         '--height', '24'], env=self.environment(),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: self.panel() is not None, 10, 'trayer')

    def kill(self):
        '''trayer killed, as a panel that crashes: no goodbye, its X windows and its selection
        gone with its connection.'''
        self.process.kill()
        self.process.wait()
        self.process = None

    def environment(self):
        '''The environment of a program on the tray's X server.'''
        return {'DISPLAY': self.display, 'XAUTHORITY': ''}

    def panel(self):
        '''The lines of `xwininfo -tree` under trayer's panel window, None before it is there.'''
        walk = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True, text=True,
                              env={**os.environ, **self.environment()})
        # A window that goes away while xwininfo walks the tree fails the walk: ask again.
        if walk.returncode != 0:
            return None
        tree = walk.stdout.splitlines()
        for number, line in enumerate(tree):
            if '("panel" "trayer")' in line:
                return tree[number + 1:]
        return None

    def icons(self):
        '''How many windows are docked in the tray (trayer keeps one child of its own).'''
        lines = self.panel() or []
        for line in lines:
            if line.strip().endswith(('child:', 'children:')):
                return int(line.split()[0]) - 1
        return 0

    def click(self, button):
        '''Clicks @button (1 left, 2 middle, 3 right) on Downbeat's docked icon, as a user
        does. Whether the icon was there to click.'''
        for line in self.panel() or []:
            found = re.search(r'\("io\.github\.downbeat\.Downbeat" .*\)\s+(\d+)x(\d+)\+-?\d+\+-?\d+'
                              r'\s+\+(-?\d+)\+(-?\d+)$', line)
            if found:
                width, height, x, y = (int(number) for number in found.groups())
                self.press(button, x + width // 2, y + height // 2)
                return True
        return False

    def press(self, button, x, y):
        '''@button pressed and released at (@x, @y) of the screen, as a mouse does (XTEST).'''
        from Xlib import X, display
        from Xlib.ext import xtest
        screen = display.Display(self.display)
        try:
            xtest.fake_input(screen, X.MotionNotify, x=x, y=y)
            xtest.fake_input(screen, X.ButtonPress, button)
            xtest.fake_input(screen, X.ButtonRelease, button)
            screen.sync()
        finally:
            screen.close()

    def close_windows(self, pid):
        '''Asks each top-level window of @pid to close, as a window manager does when its close
        button is clicked (WM_DELETE_WINDOW). How many there were.'''
        from Xlib import X, Xatom, display, protocol
        screen = display.Display(self.display)
        try:
            protocols = screen.intern_atom('WM_PROTOCOLS')
            delete = screen.intern_atom('WM_DELETE_WINDOW')
            pid_atom = screen.intern_atom('_NET_WM_PID')
            closed = 0
            for window in screen.screen().root.query_tree().children:
                owner = window.get_full_property(pid_atom, Xatom.CARDINAL)
                attributes = window.get_attributes()
                # Not a tooltip or a menu (override-redirect): no window manager closes those.
                if (owner is None or owner.value[0] != pid or attributes.override_redirect
                        or attributes.map_state != X.IsViewable):
                    continue
                window.send_event(protocol.event.ClientMessage(
                    window=window, client_type=protocols, data=(32, [delete, X.CurrentTime,
                                                                     0, 0, 0])))
                closed += 1
            screen.flush()
            return closed
        finally:
            screen.close()

    def stop(self):
        for process in (self.process, self.server):
            if process is not None:
                process.terminate()
                process.wait()


class Menu:
    '''The tray item's menu, as a tray host reads it over com.canonical.dbusmenu.'''

    INTERFACE = 'com.canonical.dbusmenu'

    def __init__(self, watcher):
        owner, _ = watcher.items[-1]
        path = watcher.item_property('Menu')
        self.menu = dbus.Interface(bus().get_object(owner, path), self.INTERFACE)

    def items(self, parent=0):
        '''(id, label, enabled) of each item a host shows in the menu (top level) or the submenu
        @parent, separators left out.'''
        _, layout = self.menu.GetLayout(parent, 1, ['label', 'enabled', 'type', 'visible'])
        items = []
        for child in layout[2]:
            item_id, properties, _ = child
            if properties.get('type') == 'separator' or not properties.get('visible', True):
                continue
            items.append((int(item_id), str(properties.get('label', '')),
                          bool(properties.get('enabled', True))))
        return items

    def labels(self):
        return [label for _, label, _ in self.items()]

    def checked(self, label):
        '''Whether the check item @label is checked; None for an item that is not one.'''
        _, layout = self.menu.GetLayout(0, 1, ['label', 'toggle-type', 'toggle-state'])
        for child in layout[2]:
            properties = child[1]
            if str(properties.get('label', '')) == label:
                if properties.get('toggle-type') != 'checkmark':
                    return None
                return int(properties.get('toggle-state', 0)) == 1
        raise KeyError(label)

    def submenu(self, label):
        '''The labels of the submenu of the top-level item @label.'''
        parent = next(i for i, text, _ in self.items() if text == label)
        self.menu.AboutToShow(parent)
        return [text for _, text, _ in self.items(parent)]

    def click(self, label, parent=None):
        '''Clicks the top-level item @label, or the item @label of the submenu @parent.'''
        parent_id = 0
        if parent is not None:
            parent_id = next(i for i, text, _ in self.items() if text == parent)
            self.menu.AboutToShow(parent_id)
        item_id = next(i for i, text, _ in self.items(parent_id) if text == label)
        self.menu.Event(item_id, 'clicked', dbus.String('', variant_level=1), dbus.UInt32(0))


def private_by_mapping(pid):
    '''Private_Clean + Private_Dirty KiB, what @pid alone holds, per mapping: keyed by where
    the mapping starts and its name.'''
    mappings = {}
    with open(f'/proc/{pid}/smaps') as smaps:
        for line in smaps:
            fields = line.split()
            if not fields[0].endswith(':'):
                name = ' '.join([fields[0].split('-')[0]] + fields[5:])
                mappings[name] = 0
            elif fields[0] in ('Private_Clean:', 'Private_Dirty:'):
                mappings[name] += int(fields[1])
    return mappings


def private_mib(mappings):
    '''The whole of a private_by_mapping() sample, in MiB.'''
    return sum(mappings.values()) / 1024

