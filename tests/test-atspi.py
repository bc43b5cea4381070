#!/usr/bin/python3
# test-atspi.py: the real `downbeat` read as a screen reader reads it, over AT-SPI
#
# Runs under `dbus-run-session -- xvfb-run`: starts the accessibility bus itself (the tests'
# session activates nothing), then walks the window and Preferences.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys
import tempfile
import unittest

from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from desktop import (Browser, Downbeat, FakeSpotify, Watcher, bus, exit_status,  # noqa: E402
                     press_keys, wait_for)

CONTROLS = ('push button', 'toggle button', 'check box', 'radio button', 'spin button',
            'combo box', 'link', 'slider', 'text')


def accessibility_bus(runtime):
    '''at-spi-bus-launcher, on the tests' session bus: the address of the bus it starts, whose
    socket is in @runtime. Without DISPLAY, it leaves the X server's root window alone, which
    other tests share.'''
    environment = {k: v for k, v in os.environ.items() if k != 'DISPLAY'}
    environment['XDG_RUNTIME_DIR'] = runtime
    launcher = subprocess.Popen(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'],
                                env=environment)
    wait_for(lambda: bus().name_has_owner('org.a11y.Bus'), 30, 'the accessibility bus')
    address = bus().get_object('org.a11y.Bus', '/org/a11y/bus').GetAddress(
        dbus_interface='org.a11y.Bus')
    return launcher, str(address)


def gone(error):
    '''Whether @error says an object went away while it was read, as a window's rows do when a
    check rebuilds them.'''
    return 'does not exist' in str(error)


def walk(accessible):
    yield accessible
    for i in range(accessible.childCount):
        try:
            child = accessible.getChildAtIndex(i)
            if child is not None:
                yield from walk(child)
        except GLib.GError as error:
            if not gone(error):
                raise


def setUpModule():
    '''One accessibility bus for every test: pyatspi binds to the bus there is when it is
    imported.'''
    global launcher, runtime, pyatspi
    runtime = tempfile.TemporaryDirectory(prefix='downbeat-atspi-')
    launcher, address = accessibility_bus(runtime.name)
    os.environ['AT_SPI_BUS_ADDRESS'] = address
    import pyatspi


def tearDownModule():
    launcher.terminate()
    launcher.wait()
    runtime.cleanup()


class OverAtspi(unittest.TestCase):
    '''The real app, alone on its session bus (no tray: the window shows itself), on the
    accessibility bus.'''

    INTERVAL = '1'

    def setUp(self):
        directory = tempfile.TemporaryDirectory(prefix='downbeat-test-')
        self.addCleanup(directory.cleanup)
        self.fake = FakeSpotify(directory.name)
        self.addCleanup(self.fake.stop)
        self.browser = Browser()
        self.addCleanup(self.browser.stop)
        # No tray on the bus: the window shows itself.
        self.app = Downbeat(self.fake.service, '--interval', self.INTERVAL,
                            env={'NO_AT_BRIDGE': None,
                                 'AT_SPI_BUS_ADDRESS': os.environ['AT_SPI_BUS_ADDRESS'],
                                 **self.browser.environment()})
        self.addCleanup(self.stop_downbeat)

    def stop_downbeat(self):
        '''Run last: the app, on the accessibility bus all along, ends cleanly on SIGTERM.'''
        if self.app.process.returncode is not None:
            return  # quit by the test itself, and checked there
        alive = self.app.alive()
        code = self.app.stop()
        self.assertTrue(alive, f'downbeat ended by itself with status {code}')
        self.assertEqual(code, 0, 'downbeat did not end cleanly')

    def application(self):
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            child = desktop.getChildAtIndex(i)
            try:
                if child is not None and child.get_process_id() == self.app.process.pid:
                    return child
            except GLib.GError:
                pass  # an application that ended meanwhile
        return None

    def window(self, name):
        '''The showing top-level window @name of the app, None while there is none.'''
        application = self.application()
        if application is None:
            return None
        for i in range(application.childCount):
            child = application.getChildAtIndex(i)
            try:
                if (child is not None and child.name == name
                        and child.getState().contains(pyatspi.STATE_SHOWING)):
                    return child
            except GLib.GError as error:
                if not gone(error):
                    raise
        return None

    def assert_controls_named(self, window):
        controls = [a for a in walk(window) if a.getRoleName() in CONTROLS
                    and a.getState().contains(pyatspi.STATE_VISIBLE)]
        self.assertTrue(controls)
        for control in controls:
            path = []
            parent = control
            while parent is not None and parent != window:
                path.insert(0, f'{parent.getRoleName()} {parent.name!r}')
                parent = parent.parent
            self.assertTrue(control.name.strip(),
                            f'a control without a name in {window.name}: ' + ' / '.join(path))
        return controls

    def headings(self, window):
        return [a.name for a in walk(window) if a.getRole() == pyatspi.ROLE_HEADING]


class ReadAloud(OverAtspi):
    def test_window_and_preferences(self):
        self.fake.set_probes('fail')
        window = wait_for(lambda: self.window('Downbeat'), 30, 'the window over AT-SPI')

        # The graph says what it draws and where the problem is, once the outage is recorded.
        graph = next(a for a in walk(window) if a.getRole() == pyatspi.ROLE_CHART)
        self.assertEqual(graph.name, 'Response time over the last 24 hours')

        def described():
            graph.clear_cache()
            return 'still going on: down' in graph.description and graph.description
        description = wait_for(described, 30, 'the outage in the graph\'s description')
        self.assertRegex(description, r'^Answer times from .* to .*: Access point list as a solid '
                                      r'line, .*\. 1 problem shaded: .*, still going on: down\.$')

        self.assertEqual(self.headings(window), [
            'Is it just me?', 'Checks', 'What Spotify says', 'Uptime',
            'Response time, last 24 hours', 'Outages recorded here', 'Notable outages'])
        self.assert_controls_named(window)

        # Focus starts on the status sentence, which is read first.
        press_keys(self.app.process.pid, 'Downbeat', [])

        def focused():
            return next((a for a in walk(window)
                         if a.getState().contains(pyatspi.STATE_FOCUSED)), None)
        self.assertEqual(wait_for(focused, 10, 'the first focus').name, 'Spotify is down')

        self.app.activate_action('preferences')
        preferences = wait_for(lambda: self.window('Preferences'), 30, 'Preferences')
        # A grid lists its children last first.
        self.assertEqual(sorted(self.headings(preferences)),
                         ['Checks', 'Developers', 'Notifications', 'Startup', 'Tray Icon'])
        controls = self.assert_controls_named(preferences)
        self.assertGreaterEqual(len(controls), 7)

        # Escape closes Preferences, and only Preferences.
        wait_for(lambda: press_keys(self.app.process.pid, 'Preferences', ['Escape']), 10,
                 'the Preferences window on the X server')
        wait_for(lambda: self.window('Preferences') is None, 10, 'Preferences to close')
        self.assertIsNotNone(self.window('Downbeat'))
        self.assertTrue(self.app.alive())



class WindowControls(OverAtspi):
    '''Each control of the window clicked as its user clicks it (here through AT-SPI, as a
    screen reader's user does), against the running app: what the click does (#19).'''

    # Checks an hour apart: a check that comes is Check Now's, or a failure's confirmation.
    INTERVAL = '3600'

    def click(self, window, name, timeout=10):
        '''A click on the control @name of @window, once it is on screen.'''
        def control():
            return next((a for a in walk(window) if a.name == name
                         and a.getRoleName() in ('push button', 'toggle button')
                         and a.getState().contains(pyatspi.STATE_SHOWING)), None)
        wait_for(control, timeout, f'{name!r} on screen').queryAction().doAction(0)

    def menu(self, window, button, item):
        self.click(window, button)
        self.click(window, item)

    def test_each_control_clicked(self):
        window = wait_for(lambda: self.window('Downbeat'), 30, 'the window over AT-SPI')
        wait_for(self.app.in_use, 10, 'the first check')

        hits = self.fake.hits('ap')
        self.click(window, 'Check Now')
        wait_for(lambda: self.fake.hits('ap') > hits, 10, 'the check asked for')

        self.menu(window, 'Mute Notifications', 'For 4 Hours')
        wait_for(lambda: self.app.action('mute')[1] > 0, 10, 'muted')
        self.click(window, 'Unmute')
        wait_for(lambda: self.app.action('mute')[1] == 0, 10, 'unmuted')

        self.menu(window, 'Main Menu', 'Open Status Page')
        self.assertRegex(wait_for(self.browser.opened, 10, 'the browser'),
                         r'^http://127\.0\.0\.1:\d+/status$')
        self.menu(window, 'Main Menu', 'Preferences')
        wait_for(lambda: self.window('Preferences'), 10, 'Preferences')
        self.menu(window, 'Main Menu', 'About Downbeat')
        about = wait_for(lambda: self.window('About Downbeat'), 10, 'About')
        self.assertTrue(any('not affiliated with' in (a.name or '')
                            for a in walk(about)), 'About says Downbeat is not Spotify\'s')

        # Down: one notification once it is back, asked for and taken back.
        self.fake.set_probes('fail')
        self.click(window, 'Check Now')
        # Confirmed by two more checks, 3 s and 10 s apart.
        self.click(window, "Notify Me When It's Back", timeout=30)
        wait_for(lambda: self.app.action('notify-when-back') == (True, True), 10, 'asked')
        self.click(window, 'Cancel')
        wait_for(lambda: self.app.action('notify-when-back') == (True, False), 10, 'not asked')

        self.menu(window, 'Main Menu', 'Quit')
        self.assertEqual(exit_status(self.app.process, 10), 0)


    def test_no_tray_banner_goes_once_a_tray_comes(self):
        '''Started where no tray is, the window says so; a tray that comes later (a panel
        started after Downbeat) takes the icon, and the banner goes (#18).'''
        window = wait_for(lambda: self.window('Downbeat'), 30, 'the window over AT-SPI')

        def banner():
            label = next(a for a in walk(window) if (a.name or '').startswith('No system tray'))
            label.clear_cache()
            return label.getState().contains(pyatspi.STATE_SHOWING)
        self.assertTrue(wait_for(banner, 10, 'the no-tray banner'))

        watcher = Watcher(bus())
        self.addCleanup(watcher.stop)
        watcher.wait_for_icon('operational')
        wait_for(lambda: not banner(), 10, 'the banner gone')

if __name__ == '__main__':
    unittest.main(argv=sys.argv[:1] + sys.argv[1:], verbosity=2)
