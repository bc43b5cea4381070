#!/usr/bin/python3
# test-desktop.py: the real `downbeat` on a desktop session, seen from outside
#
# Runs under `dbus-run-session -- xvfb-run`, with the fake Spotify on 127.0.0.1,
# python-dbusmock's notification daemon and a test StatusNotifierWatcher on the session bus.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import glob
import html
import json
import os
import pwd
import re
import select
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
from zoneinfo import ZoneInfo

import dbus
import dbus.bus
import gi
gi.require_version('Pango', '1.0')
from gi.repository import GLib, Pango  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from desktop import (APP_ID, ICON, ITEM, Browser, Downbeat, Dunst, FakeSpotify,  # noqa: E402
                     Menu, Player, Trayer, Notifications, Watcher, bus, exit_status, press_keys,
                     pump, wait_for)


def growth_per_check(figures):
    '''How much @figures grow from one check to the next, by what most pairs of checks agree on
    (the Theil-Sen slope): an answer still in flight as some checks end does not move it.'''
    slopes = sorted((later - earlier) / (j - i)
                    for i, earlier in enumerate(figures)
                    for j, later in enumerate(figures) if j > i)
    return slopes[len(slopes) // 2]


class DesktopTestCase(unittest.TestCase):
    def setUp(self):
        directory = tempfile.TemporaryDirectory(prefix='downbeat-test-')
        self.addCleanup(directory.cleanup)
        self.fake = FakeSpotify(directory.name)
        self.addCleanup(self.fake.stop)

    def start_watcher(self):
        watcher = Watcher(bus())
        self.addCleanup(watcher.stop)
        return watcher

    def start_notifications(self, **kwargs):
        notifications = Notifications(**kwargs)
        self.addCleanup(notifications.stop)
        return notifications

    def settings_file(self, keys):
        '''A GSettings keyfile with @keys for the app (GSETTINGS_BACKEND=keyfile): its path, and
        the environment that makes the app read it (and follow its changes).'''
        config = tempfile.TemporaryDirectory(prefix='downbeat-config-')
        self.addCleanup(config.cleanup)
        os.makedirs(os.path.join(config.name, 'glib-2.0', 'settings'))
        path = os.path.join(config.name, 'glib-2.0', 'settings', 'keyfile')
        with open(path, 'w') as keyfile:
            keyfile.write('[io/github/downbeat/Downbeat]\n' + keys)
        return path, {'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': config.name}

    def start_downbeat(self, *args, **kwargs):
        app = Downbeat(self.fake.service, '--interval', '1', *args, **kwargs)
        self.addCleanup(self.stop_downbeat, app)
        return app

    def stop_downbeat(self, app):
        '''Run last: the app must still be running, and end cleanly on SIGTERM.'''
        alive = app.alive()
        code = app.stop()
        self.assertTrue(alive, f'downbeat ended by itself with status {code}')
        self.assertEqual(code, 0, 'downbeat did not end cleanly')

    def icons_over_checks(self, watcher, app, checks):
        '''Every icon the tray showed over @app's next @checks checks.'''
        seen = {watcher.icon()}
        start = len(app.in_use())

        # One check more: what the last of them decided has reached the tray by then.
        def done():
            seen.add(watcher.icon())
            return len(app.in_use()) > start + checks
        wait_for(done, 10 + 5 * checks, f'{checks} checks')
        return seen

    def announced(self, app):
        '''The notification server's id for the incident the history keeps, or None.'''
        path = app.history
        if not os.path.exists(path):
            return None
        with sqlite3.connect(f'file:{path}?mode=ro', uri=True) as db:
            row = db.execute('SELECT server_id FROM announcement').fetchone()
        return row[0] if row else None

    def outage_told(self):
        '''A run that told of an outage, and kept it: (the run, its tray, the notification
        server, the server's id for the outage's notification).'''
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        first = Downbeat(self.fake.service, '--interval', '1')
        self.addCleanup(first.state.cleanup)
        self.addCleanup(first.process.kill)
        watcher.wait_for_icon('operational')
        self.fake.set_probes('fail')
        wait_for(lambda: self.announced(first), 15, 'the outage notification kept')
        return first, watcher, notifications, self.announced(first)


class TrayAndNotifications(DesktopTestCase):
    def test_outage_and_recovery(self):
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        app = self.start_downbeat('--autostart')

        watcher.wait_for_icon('operational')
        self.assertEqual(watcher.item_property('Title'), 'Spotify is up')
        self.assertEqual(app.window_count(), 0, 'at login, with a tray, no window')
        # Run from the build tree: the tray host is told where the icons are.
        theme_path = watcher.item_property('IconThemePath')
        self.assertTrue(os.path.exists(os.path.join(
            theme_path, 'hicolor/scalable/status', ICON + 'outage.svg')), theme_path)
        self.assertEqual(notifications.shown(), [], 'none yet → operational says nothing')

        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        self.assertEqual(watcher.item_property('Title'), 'Spotify is down')
        wait_for(notifications.shown, 5, 'the outage notification')
        down = notifications.shown()
        self.assertEqual(len(down), 1)
        self.assertEqual(down[0]['summary'], 'Spotify is down')
        self.assertEqual(down[0]['urgency'], 2, 'an outage is critical')
        self.assertIn('Web API', down[0]['body'])
        self.assertIn('not answering', down[0]['body'])
        # One "Details" (the default action, which a click on the notification runs too), and
        # the icon's file for servers that do not look names up in our theme.
        self.assertEqual(down[0]['actions'], ['default', 'Details', 'mute', 'Mute for 1 Hour',
                                              'when-back', "Notify Me When It's Back"])
        self.assertTrue(down[0]['image-path'].endswith('/' + ICON + 'outage.svg'))
        self.assertTrue(os.path.exists(down[0]['image-path']))
        self.assertEqual(down[0]['image-data'], (64, 64), 'sharp where the server scales it')

        self.fake.set_probes('ok')
        watcher.wait_for_icon('operational')
        wait_for(lambda: len(notifications.shown()) == 2, 5, 'the recovery notification')
        app.wait_for_checks(2)
        shown = notifications.shown()
        self.assertEqual(notifications.summaries(), ['Spotify is down', 'Spotify is back'])
        self.assertEqual(shown[1]['urgency'], 1,
                         'a recovery is normal urgency: GNOME shows no banner for low')
        # GNOME Shell hides a critical banner updated in place to normal urgency at once,
        # unseen: the recovery is a new notification, once the outage's is closed.
        self.assertEqual(notifications.calls(), ['Notify', 'CloseNotification', 'Notify'])
        self.assertEqual(shown[1]['replaces_id'], 0, 'the recovery is a new notification')
        self.assertRegex(html.unescape(shown[1]['body']),
                         r"^Down for (less than a minute|\d+ minutes?)\.\n"
                         r"Spotify's status page never acknowledged this\.$")

        # Each level change is in the history, on disk, in $XDG_STATE_HOME.
        with sqlite3.connect(f'file:{app.history}?mode=ro', uri=True) as db:
            levels = [row[0] for row in db.execute('SELECT level FROM changes ORDER BY rowid')]
        self.assertEqual(levels, ['operational', 'outage', 'operational'])

    def start_again(self, app, *args):
        '''A later run of @app, on its history.'''
        return self.start_downbeat(*args, env={'XDG_STATE_HOME': app.state.name})

    def test_back_across_a_restart(self):
        '''Killed during an outage it told of; started once Spotify is back: "back" replaces
        the earlier run's "down" (#17).'''
        first, _, notifications, server_id = self.outage_told()
        first.process.kill()
        first.process.wait()

        self.fake.set_probes('ok')
        self.start_again(first)
        wait_for(lambda: len(notifications.shown()) == 2, 15, 'the recovery notification')
        down, back = notifications.shown()
        self.assertEqual([down['summary'], back['summary']], ['Spotify is down', 'Spotify is back'])
        self.assertEqual(notifications.closed(), [server_id], 'the critical "down" closed')
        self.assertEqual(back['replaces_id'], 0, 'and "back" a new one, for GNOME to show')
        self.assertRegex(html.unescape(back['body']),
                         r'^Down for at most (less than a minute|\d+ minutes?): '
                         r'it came back while Downbeat was not running')
        wait_for(lambda: self.announced(first) is None, 10, 'the incident forgotten')

    def test_outage_taken_up_after_a_restart(self):
        '''Quit during an outage it told of; started while it goes on: no second "down", and
        its end said as usual (#17).'''
        first, watcher, notifications, server_id = self.outage_told()
        first.process.send_signal(signal.SIGTERM)
        self.assertEqual(first.process.wait(timeout=10), 0)

        again = self.start_again(first)
        watcher.wait_for_icon('outage')
        again.wait_for_checks(3)
        self.assertEqual(notifications.summaries(), ['Spotify is down'])

        self.fake.set_probes('ok')
        wait_for(lambda: len(notifications.shown()) == 2, 15, 'the recovery notification')
        back = notifications.shown()[1]
        self.assertEqual(back['summary'], 'Spotify is back')
        self.assertEqual(notifications.closed(), [server_id], 'the critical "down" closed')
        self.assertEqual(back['replaces_id'], 0, 'and "back" a new one, for GNOME to show')
        self.assertRegex(html.unescape(back['body']),
                         r'^Down for (less than a minute|\d+ minutes?)')

    def test_back_after_down_dismissed(self):
        '''"Down" closed by the user: "back" is a new notification, with nothing to close.'''
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        app = self.start_downbeat()
        watcher.wait_for_icon('operational')
        self.fake.set_probes('fail')
        server_id = wait_for(lambda: self.announced(app), 15, 'the outage notification')
        notifications.dismiss(server_id)
        app.wait_for_checks(1)

        self.fake.set_probes('ok')
        wait_for(lambda: len(notifications.shown()) == 2, 15, 'the recovery notification')
        self.assertEqual(notifications.summaries(), ['Spotify is down', 'Spotify is back'])
        self.assertEqual(notifications.shown()[1]['replaces_id'], 0)
        self.assertEqual(notifications.closed(), [], 'nothing closed that the user closed')

    def test_icon_asks_for_attention_and_may_hide(self):
        '''An outage asks the panel to show the icon (NeedsAttention); with "Show the icon only
        when something is wrong", it asks to be hidden while Spotify works (#18).'''
        watcher = self.start_watcher()
        path, env = self.settings_file('icon-only-when-wrong=true\n')
        self.start_downbeat(env=env)
        watcher.wait_for_icon('operational')
        wait_for(lambda: watcher.item_property('Status') == 'Passive', 10, 'hidden while up')

        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        wait_for(lambda: watcher.item_property('Status') == 'NeedsAttention', 10, 'attention')
        self.assertEqual(watcher.item_property('AttentionIconName'), ICON + 'outage')

        self.fake.set_probes('ok')
        watcher.wait_for_icon('operational')
        wait_for(lambda: watcher.item_property('Status') == 'Passive', 10, 'hidden again')

        with open(path, 'w') as keyfile:
            keyfile.write('[io/github/downbeat/Downbeat]\nicon-only-when-wrong=false\n')
        wait_for(lambda: watcher.item_property('Status') == 'Active', 10, 'shown, the option off')
        # An outage asks for attention whatever the option.
        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        wait_for(lambda: watcher.item_property('Status') == 'NeedsAttention', 10,
                 'attention, the option off')

    def test_one_incident_is_one_notification(self):
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        self.start_downbeat()
        watcher.wait_for_icon('operational')

        steps = [
            ('degraded', {'login': 'fail'}),
            ('outage', {'ap': 'fail', 'api': 'fail', 'player': 'fail'}),
            ('degraded', {'ap': 'ok', 'api': 'ok', 'player': 'ok'}),
            ('operational', {'login': 'ok'}),
        ]
        for count, (level, modes) in enumerate(steps, start=1):
            for endpoint, mode in modes.items():
                self.fake.set(endpoint, mode)
            watcher.wait_for_icon(level)
            wait_for(lambda: len(notifications.shown()) >= count, 5, f'notification {count}')

        shown = notifications.shown()
        self.assertEqual(notifications.summaries(), [
            'Spotify is having problems', 'Spotify is down', 'Spotify is partly back',
            'Spotify is back'])
        # What to do meanwhile follows the reasons, and does not flicker while the other
        # checks' failures are being confirmed.
        self.assertEqual(shown[0]['body'], 'Login is not answering.\n'
                         '→ Don&apos;t sign out: apps that are signed in keep playing.\n'
                         '→ Your connection is fine.')
        # One on screen at a time: updated in place, but for the fall from critical, which
        # closes the "down" and is a new one (GNOME Shell would hide it at once, unseen).
        self.assertEqual(notifications.calls(),
                         ['Notify', 'Notify', 'CloseNotification', 'Notify', 'Notify'])
        self.assertEqual([n['replaces_id'] != 0 for n in shown], [False, True, False, True])
        self.assertEqual(notifications.closed(), [shown[1]['replaces_id']])

    def test_lead_over_the_official_page(self):
        '''Down here first; once Spotify's page says so, the notification tells by how much.'''
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        app = self.start_downbeat()
        watcher.wait_for_icon('operational')

        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        wait_for(notifications.shown, 5, 'the outage notification')
        app.wait_for_checks(2)
        self.assertEqual(len(notifications.shown()), 1, 'nothing new before Spotify says so')
        self.assertNotIn("status page", notifications.shown()[0]['body'])

        self.fake.set('summary', 'major')
        wait_for(lambda: len(notifications.shown()) == 2, 10, 'the notification updated')
        updated = notifications.shown()[1]
        self.assertEqual(updated['summary'], 'Spotify is down')
        self.assertNotEqual(updated['replaces_id'], 0, 'updated in place')
        # Last, after what to do meanwhile and Spotify's word (a server may cut a long body).
        self.assertRegex(html.unescape(updated['body']),
                         "\n→ Your connection is fine\\.\nSpotify says: [\\s\\S]*"
                         "\\.\nDownbeat noticed this (less than a minute|1 minute) "
                         "before Spotify's status page\\.$")

        self.fake.set('summary', 'ok')
        self.fake.set_probes('ok')
        wait_for(lambda: notifications.summaries()[-1:] == ['Spotify is back'], 15, 'the recovery')
        self.assertRegex(html.unescape(notifications.shown()[-1]['body']),
                         "^Down for .*\\.\nDownbeat noticed this .* before Spotify's status page\\.$")

        # Kept with the outage: the next --check of this history, and the window, read it.
        path = app.history
        wait_for(lambda: self.sightings(path) == ['noticed', 'acknowledged'], 10, 'the sightings')

    @staticmethod
    def sightings(path):
        with sqlite3.connect(f'file:{path}?mode=ro', uri=True) as db:
            return [row[0] for row in db.execute('SELECT kind FROM sightings ORDER BY at, rowid')]

    def update_on(self, server, version):
        '''An outage's notification updated (Spotify's page says so), on a notification server
        that calls itself @server at @version: its calls, and what each Notify showed.'''
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        notifications.pretend(server, version)
        self.start_downbeat()
        watcher.wait_for_icon('operational')
        self.fake.set_probes('fail')
        wait_for(notifications.shown, 10, 'the outage notification')
        self.fake.set('summary', 'major')
        wait_for(lambda: len(notifications.shown()) >= 2, 10, 'the notification updated')
        return notifications.calls(), notifications.shown()[:2]

    def test_gnome_shell_before_46_gets_a_new_one(self):
        '''GNOME Shell 43 shows an updated banner without its buttons (#18): there an update is
        the old notification closed and a new one, with the buttons.'''
        calls, shown = self.update_on('gnome-shell', '43.9')
        self.assertEqual(calls[:3], ['Notify', 'CloseNotification', 'Notify'])
        self.assertEqual([n['replaces_id'] for n in shown], [0, 0])
        self.assertEqual([n['summary'] for n in shown], ['Spotify is down'] * 2)
        self.assertIn('mute', shown[1]['actions'])

    def test_gnome_shell_46_updates_in_place(self):
        calls, shown = self.update_on('gnome-shell', '46.0')
        self.assertEqual(calls[:2], ['Notify', 'Notify'])
        self.assertNotEqual(shown[1]['replaces_id'], 0)

    def test_flapping_raises_nothing(self):
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        app = self.start_downbeat()

        watcher.wait_for_icon('operational')
        self.fake.set_probes('flaky')
        seen = self.icons_over_checks(watcher, app, 10)
        self.assertEqual(seen, {ICON + 'operational'}, 'failures never confirmed move nothing')
        self.assertEqual(notifications.shown(), [])

    def test_captive_portal_is_offline(self):
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        app = self.start_downbeat()

        watcher.wait_for_icon('operational')
        self.fake.set('all', 'portal')
        watcher.wait_for_icon('offline')
        self.assertEqual(watcher.item_property('Title'), 'Spotify: You are offline')
        seen = self.icons_over_checks(watcher, app, 5)
        self.assertEqual(seen, {ICON + 'offline'})

        # Logged in to the portal: the network is back, and that is no news either.
        self.fake.set('all', 'ok')
        watcher.wait_for_icon('operational', timeout=60)
        app.wait_for_checks(2)
        self.assertEqual(notifications.shown(), [])

    def test_machine_offline(self):
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        app = self.start_downbeat()

        watcher.wait_for_icon('operational')
        self.fake.stop()
        watcher.wait_for_icon('offline')
        seen = self.icons_over_checks(watcher, app, 5)
        self.assertEqual(seen, {ICON + 'offline'})
        self.assertEqual(notifications.shown(), [])

    def test_official_major_outage_is_escaped(self):
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        self.start_downbeat()

        watcher.wait_for_icon('operational')
        self.fake.set('summary', 'major')
        watcher.wait_for_icon('outage', timeout=10)
        wait_for(notifications.shown, 5, 'the outage notification')
        shown = notifications.shown()
        self.assertEqual(notifications.summaries(), ['Spotify is down'])
        self.assertIn('Spotify says: &lt;b&gt;Playback&lt;/b&gt; &amp; login down', shown[0]['body'])
        # Spotify's own HTML is read as text: its tags are gone, not shown.
        self.assertIn('We are looking into it.', shown[0]['body'])
        self.assertNotIn('<', shown[0]['body'])

    def test_plain_server_gets_plain_text(self):
        watcher = self.start_watcher()
        notifications = self.start_notifications(capabilities='body')
        self.start_downbeat()

        watcher.wait_for_icon('operational')
        self.fake.set('summary', 'major')
        watcher.wait_for_icon('outage', timeout=10)
        wait_for(notifications.shown, 5, 'the outage notification')
        shown = notifications.shown()[0]
        self.assertIn('Spotify says: <b>Playback</b> & login down', shown['body'])
        self.assertEqual(shown['actions'], [], 'no actions where the server has none')


class RightInTheWild(DesktopTestCase):
    '''Checks whose expectations the real Spotify no longer meets must not cry wolf.'''

    def test_fresh_install_with_two_mismatching_checks(self):
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        self.fake.set('api', 'not-found')
        self.fake.set('player', 'forbidden')
        app = self.start_downbeat()

        watcher.wait_for_icon('operational')
        seen = self.icons_over_checks(watcher, app, 8)
        self.assertEqual(seen, {ICON + 'operational'}, 'checks never seen working count for nothing')
        self.assertEqual(watcher.item_property('Title'), 'Spotify is up')
        self.assertEqual(notifications.shown(), [])

        # What was learnt is kept: the probes that worked are proven, the others not.
        path = app.history
        with sqlite3.connect(f'file:{path}?mode=ro', uri=True) as db:
            proven = sorted(row[0] for row in db.execute('SELECT probe FROM trust'))
        self.assertEqual(proven, ['access-points', 'login'])

    def test_proven_check_going_stale(self):
        '''A check that worked here, then alone answers otherwise for hours: it is outdated.'''
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        state = tempfile.TemporaryDirectory(prefix='downbeat-stale-')
        self.addCleanup(state.cleanup)
        env = {'XDG_STATE_HOME': state.name}

        app = Downbeat(self.fake.service, '--interval', '1', env=env)
        self.addCleanup(lambda: app.alive() and app.stop())
        watcher.wait_for_icon('operational')
        path = app.history
        wait_for(lambda: self.trust(path, 'web-player') is not None, 10, 'the web player proven')

        # Mismatching a little while: degraded at most, never "Spotify is down".
        self.fake.set('player', 'forbidden')
        self.fake.set('api', 'not-found')
        watcher.wait_for_icon('degraded')
        seen = self.icons_over_checks(watcher, app, 4)
        self.assertNotIn(ICON + 'outage', seen)
        wait_for(lambda: len(notifications.shown()) == 1, 5, 'the notification')
        self.assertEqual(notifications.summaries(), ['Spotify is having problems'])
        self.assertIn('answer otherwise than expected', notifications.shown()[0]['body'])
        self.assertNotIn('Spotify is down', notifications.summaries())
        self.assertEqual(app.stop(), 0)

        # The web player alone, as it has been for four hours (the bound is three).
        self.fake.set('api', 'ok')
        with sqlite3.connect(path) as db:
            db.execute('UPDATE trust SET alone_since = ? WHERE probe = ?',
                       (int(time.time()) - 4 * 3600, 'web-player'))
        app = self.start_downbeat(env=env)
        watcher.wait_for_icon('operational')
        seen = self.icons_over_checks(watcher, app, 6)
        self.assertEqual(seen, {ICON + 'operational'}, 'an outdated check counts for nothing')
        wait_for(lambda: self.trust(path, 'web-player') == (1,), 10, 'the web player outdated')

        # Until it answers as expected again.
        self.fake.set('player', 'ok')
        wait_for(lambda: self.trust(path, 'web-player') == (0,), 10, 'the web player trusted again')

    @staticmethod
    def trust(path, probe):
        try:
            with sqlite3.connect(f'file:{path}?mode=ro', uri=True) as db:
                return db.execute('SELECT outdated FROM trust WHERE probe = ?', (probe,)).fetchone()
        except sqlite3.OperationalError:
            return None


class StatusOnTheBus(DesktopTestCase):
    '''io.github.downbeat.Downbeat.Status, as a panel or a script reads it.'''

    INTERFACE = 'io.github.downbeat.Downbeat.Status'

    def status(self):
        app = bus().get_object('io.github.downbeat.Downbeat', '/io/github/downbeat/Downbeat')
        return app.GetAll(self.INTERFACE, dbus_interface=dbus.PROPERTIES_IFACE)

    def test_status_properties_and_changes(self):
        watcher = self.start_watcher()
        self.start_notifications()
        changes = []
        bus().add_signal_receiver(
            lambda interface, changed, invalidated: changes.append(dict(changed)),
            signal_name='PropertiesChanged', dbus_interface=dbus.PROPERTIES_IFACE,
            bus_name='io.github.downbeat.Downbeat', path='/io/github/downbeat/Downbeat')
        self.start_downbeat()

        watcher.wait_for_icon('operational')
        wait_for(lambda: self.status()['Level'] == 'operational', 5, 'Level operational')
        status = self.status()
        self.assertEqual(status['Summary'], 'Spotify is up.')
        self.assertEqual(list(status['Reasons']), [])
        self.assertGreater(int(status['LastCheck']), time.time() - 60)
        self.assertGreater(int(status['Since']), 0)
        since = int(status['Since'])

        self.fake.set_probes('fail')
        wait_for(lambda: any(c.get('Level') == 'outage' for c in changes), 30,
                 'PropertiesChanged with Level outage')
        status = self.status()
        self.assertEqual(status['Level'], 'outage')
        self.assertTrue(status['Summary'].startswith('Spotify is down'))
        self.assertIn('Web API is not answering as it should: HTTP 503 Service Unavailable',
                      list(status['Reasons']))
        self.assertGreaterEqual(int(status['Since']), since)

    def test_check_now(self):
        watcher = self.start_watcher()
        self.start_notifications()
        # An hour between checks: only CheckNow makes the next one.
        self.start_downbeat('--interval', '3600')
        watcher.wait_for_icon('operational')
        wait_for(lambda: int(self.status()['LastCheck']) > 0, 5, 'the first check')
        last = int(self.status()['LastCheck'])

        # LastCheck counts seconds: the next check must fall in a later one.
        wait_for(lambda: int(time.time()) > last, 3, 'the next second')
        app = bus().get_object('io.github.downbeat.Downbeat', '/io/github/downbeat/Downbeat')
        app.CheckNow(dbus_interface=self.INTERFACE)
        wait_for(lambda: int(self.status()['LastCheck']) > last, 10, 'a newer LastCheck')

    def test_check_now_flood_is_bounded(self):
        watcher = self.start_watcher()
        app = self.start_downbeat('--interval', '3600')
        watcher.wait_for_icon('operational')
        wait_for(lambda: int(self.status()['LastCheck']) > 0, 10, 'the first check')
        start = self.fake.hits('ap')

        # 200 requests 50 ms apart, on the bus and through the tray's action: a cycle every
        # 5 s at most (docs/design.md, "D-Bus"), each asking the fake's access points once.
        obj = bus().get_object('io.github.downbeat.Downbeat', '/io/github/downbeat/Downbeat')
        began = time.monotonic()
        for i in range(200):
            if i % 2:
                app.activate_action('check-now')
            else:
                obj.CheckNow(dbus_interface=self.INTERFACE)
            pump(0.05)
        cycles = self.fake.hits('ap') - start
        bound = 1 + int((time.monotonic() - began) // 5)
        self.assertGreaterEqual(cycles, 1, 'Check Now checked nothing')
        self.assertLessEqual(cycles, bound, f'{cycles} cycles for 200 requests')


class Watch(DesktopTestCase):
    '''`downbeat --watch`: a line at once and one per change, for waybar and scripts.'''

    @staticmethod
    def hang_up_ends_it():
        '''As from a terminal, whatever the suite was started under (nohup or a background job
        of a script ignores SIGHUP, and an ignored signal stays ignored across exec).'''
        signal.signal(signal.SIGHUP, signal.SIG_DFL)

    def watch(self, *args, text=True, service=None, **popen):
        popen.setdefault('preexec_fn', self.hang_up_ends_it)
        process = subprocess.Popen([os.environ['DOWNBEAT'], '--watch', '--service',
                                    service or self.fake.service, *args],
                                   stdout=subprocess.PIPE, text=text,
                                   env=dict(os.environ, GSETTINGS_BACKEND='memory',
                                            XDG_STATE_HOME=self.state.name), **popen)
        self.addCleanup(process.stdout.close)
        self.addCleanup(process.wait)
        self.addCleanup(process.terminate)
        return process

    def setUp(self):
        super().setUp()
        self.state = tempfile.TemporaryDirectory(prefix='downbeat-watch-')
        self.addCleanup(self.state.cleanup)

    @staticmethod
    def next_line(process, timeout=30):
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            raise AssertionError(f'no line within {timeout} s')
        return json.loads(process.stdout.readline())

    def lines_until(self, process, predicate, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            line = self.next_line(process, max(deadline - time.monotonic(), 0.1))
            if predicate(line):
                return line

    def test_waybar_checking_by_itself(self):
        process = self.watch('--format', 'waybar', '--interval', '1')
        first = self.next_line(process, 5)
        self.assertEqual(first, {'text': 'Spotify status unknown', 'alt': 'unknown',
                                 'tooltip': 'Spotify status unknown', 'class': 'unknown'})
        up = self.next_line(process)
        self.assertEqual((up['alt'], up['class'], up['text']),
                         ('operational', 'operational', 'Spotify is up'))

        self.fake.set_probes('fail')
        down = self.lines_until(process, lambda line: line['class'] == 'outage')
        self.assertEqual(down['text'], 'Spotify is down')
        self.assertIn('Web API is not answering', down['tooltip'])
        # The summary names the first reason: each is said once.
        reasons = [line[2:] for line in down['tooltip'].split('\n') if line.startswith('• ')]
        self.assertTrue(reasons)
        for reason in reasons:
            self.assertEqual(down['tooltip'].count(reason), 1, down['tooltip'])

        process.terminate()
        self.assertEqual(process.wait(timeout=10), 0)

    def renamed_service(self, name):
        '''The fake Spotify's definition under another name: its path.'''
        with open(self.fake.service) as spotify:
            definition = json.load(spotify)
        definition['name'] = name
        path = os.path.join(self.state.name, 'renamed.json')
        with open(path, 'w') as renamed:
            json.dump(definition, renamed)
        return path

    def test_waybar_lines_are_escaped_markup(self):
        '''waybar reads text and tooltip as Pango markup: a status page's words (and a name)
        show as they are written, never as markup of their own.'''
        self.fake.set('summary', 'hostile')
        process = self.watch('--format', 'waybar', '--interval', '1',
                             service=self.renamed_service('R&B <FM>'))
        line = self.lines_until(process, lambda line: 'reports' in line['tooltip'])
        _, attributes, text, _ = Pango.parse_markup(line['text'], -1, '\0')
        self.assertEqual(text, 'R&B <FM> is down')
        _, attributes, tooltip, _ = Pango.parse_markup(line['tooltip'], -1, '\0')
        self.assertIn("Spotify reports: <span foreground='red'>Down</span>.", tooltip)
        self.assertIn('• Spotify reports a major outage of <b>Login</b>', tooltip)
        self.assertEqual(attributes.get_attributes(), [], 'markup from the page')

    def test_json_following_the_app(self):
        watcher = self.start_watcher()
        self.start_notifications()
        self.start_downbeat()
        watcher.wait_for_icon('operational')
        wait_for(lambda: self.app_level() == 'operational', 5, 'the status on the bus')

        process = self.watch('--format', 'json')
        first = self.next_line(process, 5)
        self.assertEqual(first['level'], 'operational')
        self.assertEqual(first['summary'], 'Spotify is up.')

        self.fake.set_probes('fail')
        down = self.lines_until(process, lambda line: line['level'] == 'outage')
        self.assertIn('Web API is not answering as it should: HTTP 503 Service Unavailable',
                      down['reasons'])

    def test_another_definition_is_not_the_apps(self):
        '''`--watch --service other.json` while the app watches Spotify: it checks its own
        definition, never printing the app's status under another name (#22).'''
        self.start_watcher()
        self.start_downbeat()
        wait_for(lambda: self.app_level() == 'operational', 10, "the app's first check")
        process = self.watch('--format', 'json', service=self.renamed_service('Deezer'))
        line = self.lines_until(process, lambda line: line['level'] != 'unknown')
        self.assertEqual(line['summary'], 'Deezer is up.')

    def test_json_prints_only_changes(self):
        self.start_watcher()
        app = self.start_downbeat()
        wait_for(lambda: self.app_level() == 'operational', 10, "the app's first check")
        process = self.watch('--format', 'json')
        self.assertEqual(self.next_line(process, 5)['level'], 'operational')

        # Three more checks of the app, each with a new LastCheck: nothing new to say.
        app.wait_for_checks(3)
        ready, _, _ = select.select([process.stdout], [], [], 0)
        self.assertFalse(ready, 'a line without a change')

        self.fake.set_probes('fail')
        self.assertEqual(self.next_line(process)['level'], 'outage')

    def test_ends_once_its_reader_is_gone(self):
        # `downbeat --watch | head -n 2`: unknown, then up, and up it stays: nothing more is
        # written, only its reader is gone.
        process = self.watch('--format', 'waybar', '--interval', '1', text=False)
        head = subprocess.Popen(['head', '-n', '2'], stdin=process.stdout,
                                stdout=subprocess.PIPE, text=True)
        process.stdout.close()
        lines, _ = head.communicate(timeout=30)
        self.assertEqual([json.loads(line)['alt'] for line in lines.splitlines()],
                         ['unknown', 'operational'])
        wait_for(lambda: process.poll() is not None, 2, '--watch to end after head')
        self.assertEqual(process.returncode, 0)

    def test_ends_once_a_line_cannot_be_written(self):
        with open('/dev/full', 'w') as full:
            process = subprocess.Popen([os.environ['DOWNBEAT'], '--watch', '--service',
                                        self.fake.service], stdout=full, stderr=subprocess.PIPE,
                                       text=True, env=dict(os.environ, GSETTINGS_BACKEND='memory',
                                                           XDG_STATE_HOME=self.state.name))
        self.addCleanup(lambda: process.poll() is None and process.kill())
        _, errors = process.communicate(timeout=10)
        self.assertEqual(process.returncode, 0)
        self.assertIn('The status cannot be written: No space left on device', errors)

    def test_hang_up_ends_it(self):
        process = self.watch('--format', 'waybar', '--interval', '1')
        self.next_line(process, 5)
        process.send_signal(signal.SIGHUP)
        self.assertEqual(exit_status(process, 10), 0)

        # Unless it was started under nohup: its checks go on.
        nohup = self.watch('--format', 'waybar', '--interval', '1',
                           preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
        self.next_line(nohup, 5)
        nohup.send_signal(signal.SIGHUP)
        start = self.fake.hits('ap')
        wait_for(lambda: nohup.poll() is not None or self.fake.hits('ap') >= start + 2, 10,
                 'two more checks')
        self.assertIsNone(nohup.poll(), 'a hang-up under nohup ended it')
        nohup.terminate()
        self.assertEqual(exit_status(nohup, 10), 0)

        self.fake.set_probes('fail')
        start = self.fake.hits('ap')
        waiting = self.wait_until_up()
        wait_for(lambda: self.fake.hits('ap') > start, 20, 'a check')
        waiting.send_signal(signal.SIGHUP)
        self.assertEqual(exit_status(waiting, 10), 3, 'not up yet: unknown')

    def test_wait_until_up_ends_once_its_reader_is_gone(self):
        self.fake.set_probes('fail')
        waiting = self.wait_until_up(stdout=subprocess.PIPE)
        wait_for(lambda: self.fake.hits('ap') > 0, 20, 'a check')
        waiting.stdout.close()
        wait_for(lambda: waiting.poll() is not None, 2, '--wait-until-up to end')
        self.assertEqual(waiting.returncode, 3)

    def test_follows_the_app_once_it_starts(self):
        # Checking by itself once an hour: only the app can tell of the outage in time.
        process = self.watch('--format', 'json', '--interval', '3600')
        self.assertEqual(self.next_line(process, 5)['level'], 'unknown')
        self.assertEqual(self.next_line(process)['level'], 'operational')

        self.start_watcher()
        self.start_downbeat()
        wait_for(lambda: self.app_level() == 'operational', 10, "the app's first check")
        self.fake.set_probes('fail')
        # The very next line: switching said nothing of its own.
        down = self.next_line(process)
        self.assertEqual(down['level'], 'outage')
        self.assertNotIn('probes', down, 'not the app\'s line')
        self.assertEqual(self.app_level(), 'outage')

    def test_checks_by_itself_once_the_app_quits(self):
        self.start_watcher()
        app = Downbeat(self.fake.service, '--interval', '1')
        self.addCleanup(app.stop)
        wait_for(lambda: self.app_level() == 'operational', 10, "the app's first check")

        process = self.watch('--format', 'json', '--interval', '1')
        first = self.next_line(process, 5)
        self.assertEqual(first['level'], 'operational')
        self.assertNotIn('probes', first, 'not the app\'s line')

        self.assertEqual(app.stop(), 0)
        self.fake.set_probes('fail')

        # From the very next line on, its own checks: no "unknown" for the app gone. The four
        # endpoints turn one at a time, so a check in between may see some fail before the
        # others ("degraded" first).
        def own_check(line):
            self.assertIn('probes', line, 'not a line of its own checks')
            self.assertIn(line['level'], ('degraded', 'outage'))
            return line['level'] == 'outage'
        self.lines_until(process, own_check)

    def wait_until_up(self, *args, stdout=None):
        process = subprocess.Popen([os.environ['DOWNBEAT'], '--wait-until-up', '--service',
                                    self.fake.service, '--interval', '1', *args],
                                   stdout=stdout, preexec_fn=self.hang_up_ends_it,
                                   env=dict(os.environ, GSETTINGS_BACKEND='memory',
                                            XDG_STATE_HOME=self.state.name))
        self.addCleanup(lambda: process.poll() is None and process.kill())
        return process

    def test_wait_until_up(self):
        self.fake.set_probes('fail')
        process = self.wait_until_up()
        # Down, the failures confirmed by three checks: still waiting ("up, but a failure is
        # being confirmed" was never taken for up).
        wait_for(lambda: self.fake.hits('ap') >= 4, 20, 'four checks of the access points')
        self.assertIsNone(process.poll())
        self.fake.set_probes('ok')
        self.assertEqual(process.wait(timeout=30), 0)

    def test_wait_until_up_once_the_app_quits(self):
        '''Following the app during an outage, then the app quits: it checks by itself from
        then on, and ends once Spotify is up (#18).'''
        self.fake.set_probes('fail')
        self.start_watcher()
        app = Downbeat(self.fake.service, '--interval', '1')
        self.addCleanup(app.stop)
        wait_for(lambda: self.app_level() == 'outage', 30, "the app's outage")
        process = self.wait_until_up()

        self.assertEqual(app.stop(), 0)
        hits = self.fake.hits('ap')
        wait_for(lambda: self.fake.hits('ap') >= hits + 2, 20, 'checks of its own')
        self.assertIsNone(process.poll())
        self.fake.set_probes('ok')
        self.assertEqual(process.wait(timeout=30), 0)

    def test_wait_until_up_times_out(self):
        self.fake.set_probes('fail')
        self.assertEqual(self.wait_until_up('--timeout', '8').wait(timeout=30), 2,
                         'still down at the timeout')
        self.fake.set('all', 'portal')
        self.assertEqual(self.wait_until_up('--timeout', '4').wait(timeout=30), 3,
                         'offline at the timeout')

    def test_wait_until_up_while_the_app_confirms_a_failure(self):
        # Ten confirmations, a check a second: the app says operational, Confirming, ten
        # seconds long while every probe answers 503. That is not up.
        _, env = self.settings_file('confirmations=10\n')
        self.fake.set_probes('fail')
        self.start_watcher()
        self.start_downbeat(env=env)
        wait_for(lambda: self.app_level() == 'operational', 10, 'the first check')
        self.assertTrue(self.app_status('Confirming'))

        self.assertEqual(self.wait_until_up('--timeout', '3').wait(timeout=30), 3,
                         'an unconfirmed failure taken for up')
        self.assertEqual(self.app_level(), 'operational', 'the app stopped confirming')

    @staticmethod
    def app_status(name):
        app = bus().get_object('io.github.downbeat.Downbeat', '/io/github/downbeat/Downbeat')
        return app.Get('io.github.downbeat.Downbeat.Status', name,
                       dbus_interface=dbus.PROPERTIES_IFACE)

    @staticmethod
    def app_level():
        try:
            app = bus().get_object('io.github.downbeat.Downbeat', '/io/github/downbeat/Downbeat')
            return str(app.Get('io.github.downbeat.Downbeat.Status', 'Level',
                               dbus_interface=dbus.PROPERTIES_IFACE))
        except dbus.exceptions.DBusException:
            return None


class TrayMenu(DesktopTestCase):
    def test_menu_reads_and_acts(self):
        watcher = self.start_watcher()
        app = self.start_downbeat('--autostart')
        watcher.wait_for_icon('operational')
        menu = Menu(watcher)

        wait_for(lambda: menu.labels()[0] == 'Spotify is up · checked just now', 5,
                 'the status line')
        self.assertEqual(menu.labels()[1:], [
            '_Show Details', '_Check Now', "Notify Me When It's _Back",
            '_Mute Notifications', 'Open Spotify Status _Page', '_Preferences', '_Quit'])
        self.assertFalse(menu.items()[0][2], 'the status line is not a button')
        enabled = {label: on for _, label, on in menu.items()[1:]}
        self.assertFalse(enabled.pop("Notify Me When It's _Back"), 'nothing to wait for while up')
        self.assertTrue(all(enabled.values()))

        # The window's choices (WindowFirst), in a submenu.
        self.assertEqual(menu.submenu('_Mute Notifications'),
                         ['For _1 Hour', 'For _4 Hours', 'Until _Tomorrow Morning'])
        menu.click('For _4 Hours', parent='_Mute Notifications')
        wait_for(lambda: menu.labels()[4].startswith('Un_mute Notifications (muted until '), 5,
                 'the unmute item')
        self.assertNotIn('_Mute Notifications', menu.labels())
        menu.click(menu.labels()[4])
        wait_for(lambda: menu.labels()[4] == '_Mute Notifications', 5, 'the mute item')

        # Preferences first: Show Details must still open the status window beside it.
        menu.click('_Preferences')
        wait_for(lambda: app.window_count() == 1, 10, 'the preferences')
        menu.click('_Show Details')
        wait_for(lambda: app.window_count() == 2, 10, 'the status window')
        menu.click('_Show Details')
        app.wait_for_checks(2)
        self.assertEqual(app.window_count(), 2)

    def test_middle_click_shows_details(self):
        watcher = self.start_watcher()
        app = self.start_downbeat('--autostart')
        watcher.wait_for_icon('operational')

        owner, path = watcher.items[-1]
        item = bus().get_object(owner, path)
        item.SecondaryActivate(0, 0, dbus_interface=ITEM)
        wait_for(lambda: app.window_count() == 1, 10, 'the window')

    def test_quit(self):
        watcher = self.start_watcher()
        app = Downbeat(self.fake.service, '--interval', '1')
        watcher.wait_for_icon('operational')

        Menu(watcher).click('_Quit')
        self.assertEqual(app.process.wait(timeout=10), 0)
        app.stop()

    def test_quit_while_the_history_is_locked(self):
        '''The outage the disk refused is written at the end, once the lock goes (#17), and
        nothing keeps the application alive past its shutdown.'''
        watcher = self.start_watcher()
        app = Downbeat(self.fake.service, '--interval', '1')
        path = app.history

        def levels():
            with sqlite3.connect(f'file:{path}?mode=ro', uri=True) as db:
                return [row[0] for row in db.execute('SELECT level FROM changes ORDER BY rowid')]
        watcher.wait_for_icon('operational')
        wait_for(lambda: os.path.exists(path) and levels() == ['operational'], 10, 'the history')

        # Another process holds the write lock past the writer's 2 s: the outage is refused.
        holder = sqlite3.connect(path, isolation_level=None, timeout=10)
        holder.execute('BEGIN EXCLUSIVE')
        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        app.wait_for_checks(2)
        self.assertEqual(levels(), ['operational'])

        app.process.send_signal(signal.SIGTERM)
        pump(2)
        self.assertTrue(app.alive(), 'it waits for the lock')
        holder.rollback()
        holder.close()
        wait_for(lambda: not app.alive(), 10, 'the end')
        self.assertEqual(app.process.returncode, 0)
        self.assertEqual(levels(), ['operational', 'outage'])
        with open(app.log) as log:
            self.assertIn('Disposed: nothing holds the application any more', log.read())
        app.stop()


class WindowFirst(DesktopTestCase):
    '''Launched, Downbeat opens its window, also beside a tray; at login it stays in the tray.
    Everything the tray menu and the notification do can be done from the window (#19).'''

    def test_launch_opens_the_window_beside_a_tray(self):
        watcher = self.start_watcher()
        app = self.start_downbeat()
        watcher.wait_for_icon('operational')
        wait_for(lambda: app.window_count() == 1, 10, 'the window')

        # Closed (win.close, what Ctrl+W and the close button do), it lives on in the tray.
        app.activate_action('close', path=app.window_paths()[0])
        wait_for(lambda: app.window_count() == 0, 10, 'the window closed')
        app.wait_for_checks(2)
        self.assertTrue(app.alive(), 'closed, not quit: the tray is there')

    def test_autostart_with_a_tray_opens_none(self):
        watcher = self.start_watcher()
        app = self.start_downbeat('--autostart')
        watcher.wait_for_icon('operational')
        app.wait_for_checks(3)
        self.assertEqual(app.window_count(), 0)

    @staticmethod
    def muted_until(path):
        '''muted-until as the app wrote it to its settings, None before it did.'''
        keyfile = GLib.KeyFile()
        keyfile.load_from_file(path, GLib.KeyFileFlags.NONE)
        try:
            return int(keyfile.get_value('io/github/downbeat/Downbeat', 'muted-until'))
        except GLib.Error:
            return None

    def mute(self, app, path, choice):
        '''Mutes through the window's menu action; until when, and when it was asked.'''
        before = int(time.time())
        app.activate_action('mute-for', choice)
        wait_for(lambda: (self.muted_until(path) or 0) > before, 5, f'muted for {choice}')
        until = self.muted_until(path)
        # The window says until when from app.mute's state: the same time.
        wait_for(lambda: app.action('mute')[1] == until, 5, 'the state of mute')
        return until, before, int(time.time())

    def test_window_functions(self):
        '''Each of the window's controls, against the running app: the actions its buttons and
        menus activate, exported on the bus, and what they change.'''
        watcher = self.start_watcher()
        path, env = self.settings_file('')
        berlin = ZoneInfo('Europe/Berlin')
        stderr = tempfile.TemporaryFile(mode='w+')
        self.addCleanup(stderr.close)
        app = Downbeat(self.fake.service, '--interval', '3600',
                       env={**env, 'TZ': 'Europe/Berlin'}, stderr=stderr)
        self.addCleanup(app.stop)
        watcher.wait_for_icon('operational')
        wait_for(lambda: app.window_count() == 1, 10, 'the window')

        # Check Now: a cycle, an hour before the next one is due.
        wait_for(app.in_use, 10, 'the first check')
        hits = self.fake.hits('ap')
        app.activate_action('check-now')
        app.wait_for_checks(1, 'the check asked for')
        self.assertGreater(self.fake.hits('ap'), hits)

        until, before, after = self.mute(app, path, '1h')
        self.assertTrue(before + 3600 <= until <= after + 3600, (before, until, after))
        until, before, after = self.mute(app, path, '4h')
        self.assertTrue(before + 4 * 3600 <= until <= after + 4 * 3600, (before, until, after))

        # Tomorrow morning: 08:00 local time the next day (before 04:00, this day's).
        def morning(unix):
            now = datetime.datetime.fromtimestamp(unix, berlin)
            day = now.date() + datetime.timedelta(days=1 if now.hour >= 4 else 0)
            return int(datetime.datetime.combine(day, datetime.time(8), berlin).timestamp())
        until, before, after = self.mute(app, path, 'tomorrow')
        self.assertIn(until, {morning(before), morning(after)})

        # app.mute's state set (a script, a shell extension): muted until then.
        later = int(time.time()) + 600
        app.set_action_state('mute', dbus.Int64(later, variant_level=1))
        wait_for(lambda: self.muted_until(path) == later, 5, 'muted until the time set')

        app.activate_action('unmute')
        wait_for(lambda: self.muted_until(path) == 0, 5, 'unmuted')
        wait_for(lambda: app.action('mute')[1] == 0, 5, 'the state of mute')

        # A duration there is not: said, and nothing changes.
        app.activate_action('mute-for', 'forever')
        wait_for(lambda: stderr.seek(0) == 0 and '“forever”' in stderr.read(), 5, 'the warning')
        self.assertEqual(self.muted_until(path), 0)
        self.assertTrue(app.alive())

        app.activate_action('quit')
        self.assertEqual(app.process.wait(timeout=10), 0)

    def test_notify_when_back_then_cancel(self):
        watcher = self.start_watcher()
        app = self.start_downbeat()
        watcher.wait_for_icon('operational')
        wait_for(lambda: app.window_count() == 1, 10, 'the window')
        self.assertEqual(app.action('notify-when-back'), (False, False), 'nothing to wait for')

        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        wait_for(lambda: app.action('notify-when-back') == (True, False), 5, 'offered while down')
        app.activate_action('notify-when-back')
        wait_for(lambda: app.action('notify-when-back') == (True, True), 5, 'asked')
        app.activate_action('notify-when-back')
        wait_for(lambda: app.action('notify-when-back') == (True, False), 5, 'cancelled')


class RobustToItsDesktop(DesktopTestCase):
    def test_notification_server_appears_later(self):
        watcher = self.start_watcher()
        app = self.start_downbeat()

        watcher.wait_for_icon('operational')
        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        self.assertTrue(app.alive())

        notifications = self.start_notifications()
        self.fake.set_probes('ok')
        watcher.wait_for_icon('operational')
        app.wait_for_checks(2)
        # "Back" only follows a "down" that was seen: this one never was.
        self.assertEqual(notifications.summaries(), [])

        # The server is used from now on.
        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        wait_for(notifications.shown, 5, 'the outage notification')
        self.assertEqual(notifications.summaries(), ['Spotify is down'])

    def test_notification_server_restarts(self):
        watcher = self.start_watcher()
        first = Notifications()
        self.start_downbeat()

        watcher.wait_for_icon('operational')
        self.fake.set('summary', 'major')
        wait_for(first.shown, 30, 'the outage notification')
        first.stop()

        second = self.start_notifications()
        self.fake.set('summary', 'ok')
        watcher.wait_for_icon('operational')
        wait_for(second.shown, 5, 'the recovery notification on the new server')
        self.assertEqual(second.summaries(), ['Spotify is back'])

    def test_notification_server_that_never_answers(self):
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        # Notify takes the call and answers long after D-Bus's 25 s timeout.
        # It leaves a mark as it takes the call: the call did come, and hangs.
        marker = os.path.join(tempfile.mkdtemp(prefix='downbeat-notify-'), 'called')
        notifications.mock.AddMethod('org.freedesktop.Notifications', 'Notify',
                                     'susssasa{sv}i', 'u',
                                     f'import time\nopen({marker!r}, "w").close()\n'
                                     'time.sleep(60)\nret = 1')
        self.start_downbeat()
        watcher.wait_for_icon('operational')

        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        wait_for(lambda: os.path.exists(marker), 10, 'the Notify call to hang in the server')
        # The main loop goes on: it answers D-Bus calls, and the icon moves on.
        worst = 0
        app_object = bus().get_object('io.github.downbeat.Downbeat', '/io/github/downbeat/Downbeat')
        for _ in range(20):
            start = time.monotonic()
            app_object.DescribeAll(dbus_interface='org.gtk.Actions')
            worst = max(worst, time.monotonic() - start)
            pump(0.2)
        print(f'longest main loop answer while Notify hangs: {worst * 1000:.0f} ms',
              file=sys.stderr)
        self.assertLess(worst, 1.0)
        self.fake.set_probes('ok')
        watcher.wait_for_icon('operational', timeout=15)

    def test_tray_host_restarts(self):
        watcher = self.start_watcher()
        app = self.start_downbeat()
        watcher.wait_for_icon('operational')

        watcher.stop()
        app.wait_for_checks(2)
        self.assertTrue(app.alive(), 'the app outlives its tray host')
        again = Watcher(bus())
        self.addCleanup(again.stop)
        again.wait_for_icon('operational', timeout=15)
        self.assertEqual(again.item_property('Title'), 'Spotify is up')

    def test_escape_and_ctrl_w_close_the_windows(self):
        '''The keys every GNOME window closes with: Escape, Ctrl+W (#18).'''
        watcher = self.start_watcher()
        app = self.start_downbeat('--autostart')
        watcher.wait_for_icon('operational')

        for keys in ('Escape', 'Control_L+w'):
            app.activate_action('preferences')
            wait_for(lambda: app.window_count() == 1, 10, 'Preferences')
            wait_for(lambda: press_keys(app.process.pid, 'Preferences', [keys]), 10,
                     'the keys typed into Preferences')
            wait_for(lambda: app.window_count() == 0, 10, f'Preferences closed by {keys}')

            app.activate_action('show-details')
            wait_for(lambda: app.window_count() == 1, 10, 'the window')
            wait_for(lambda: press_keys(app.process.pid, 'Downbeat', [keys]), 10,
                     'the keys typed into the window')
            wait_for(lambda: app.window_count() == 0, 10, f'the window closed by {keys}')
        app.wait_for_checks(1)
        self.assertTrue(app.alive(), 'closed, not quit: the tray is there')

    def test_second_launch_presents_the_window(self):
        watcher = self.start_watcher()
        app = self.start_downbeat('--autostart')
        watcher.wait_for_icon('operational')
        self.assertEqual(app.window_count(), 0)

        second = app.run_again()
        self.assertEqual(second.returncode, 0)
        wait_for(lambda: app.window_count() == 1, 10, 'the window')

        second = app.run_again()
        self.assertEqual(second.returncode, 0)
        app.wait_for_checks(2)
        self.assertEqual(app.window_count(), 1, 'one window, presented again')

    def test_show_details_over_dbus(self):
        watcher = self.start_watcher()
        app = self.start_downbeat('--autostart')
        watcher.wait_for_icon('operational')

        app.activate_action('show-details')
        wait_for(lambda: app.window_count() == 1, 10, 'the window')

    def test_without_a_tray_the_window_shows(self):
        app = self.start_downbeat()
        wait_for(lambda: bus().name_has_owner('io.github.downbeat.Downbeat'), 10, 'the app')
        wait_for(lambda: app.window_count() == 1, 10, 'the window')

        # With an icon of its own, where the desktop file is not found (a panel's task list, a
        # window switcher): its X window carries the application's icon.
        # (GTK makes two X windows of that name: the toplevel, and its group leader.)
        def window_icon():
            tree = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True, text=True)
            found = None
            for line in tree.stdout.splitlines():
                if '"Downbeat"' not in line:
                    continue
                window = line.split()[0]
                props = subprocess.run(['xprop', '-id', window, '_NET_WM_PID', '_NET_WM_ICON',
                                        'WM_CLASS'], capture_output=True, text=True).stdout
                if f'_NET_WM_PID(CARDINAL) = {app.process.pid}' in props:
                    # The desktop file's id, as the Wayland app id is.
                    self.assertIn('WM_CLASS(STRING) = "io.github.downbeat.Downbeat"', props)
                    found = found or '_NET_WM_ICON(CARDINAL) = ' in props
            return found
        # (The icon is set once the window is there: waited for, as the window is.)
        wait_for(window_icon, 10, 'the X window, with an icon')

    def test_bus_activates_nothing(self):
        '''The tests' session bus (tests/session.conf) activates nothing of this machine: a
        contributor's dunst or xfce4-notifyd would take the notification server's name.'''
        names = bus().get_object('org.freedesktop.DBus', '/org/freedesktop/DBus') \
            .ListActivatableNames(dbus_interface='org.freedesktop.DBus')
        self.assertEqual([str(name) for name in names], ['org.freedesktop.DBus'])

    def assert_closing_keeps_it(self, tray, app):
        '''Closing the window, as a window manager's close button does, keeps @app running
        in @tray.'''
        wait_for(lambda: tray.close_windows(app.process.pid) == 1, 10, 'the window to close')
        wait_for(lambda: app.window_count() == 0, 10, 'the window closed')
        app.wait_for_checks(2)
        self.assertTrue(app.alive(), 'it lives on in the tray')

    def test_xembed_tray_is_a_tray(self):
        '''trayer, stalonetray, i3bar, polybar, tint2 have no StatusNotifierWatcher: the XEmbed
        icon libayatana-appindicator falls back to is shown there, and that is a tray.'''
        tray = Trayer()
        self.addCleanup(tray.stop)
        self.assertEqual(tray.icons(), 0)
        # With criticals fatal: libayatana-appindicator's own XEmbed icon logged one as it docked.
        app = self.start_downbeat('--autostart', env=tray.environment())
        wait_for(lambda: bus().name_has_owner('io.github.downbeat.Downbeat'), 10, 'the app')
        wait_for(lambda: tray.icons() == 1, 10, 'the icon docked in trayer')
        app.wait_for_checks(2)
        self.assertEqual(app.window_count(), 0, 'no "No system tray was found" window')

        # The middle button shows the details, as on an SNI host.
        self.assertTrue(tray.click(2), 'the icon to click')
        wait_for(lambda: app.window_count() == 1, 10, 'the window, from the middle button')
        self.assert_closing_keeps_it(tray, app)

        # Launched, the window opens; closed, the app lives on in that tray (without one,
        # closing it would quit).
        self.assertEqual(app.run_again().returncode, 0)
        self.assert_closing_keeps_it(tray, app)

    def test_xembed_tray_that_comes_later(self):
        '''A tray started after Downbeat (polybar, trayer later in the login) takes it in:
        closing the window then keeps it running in the tray (#18).'''
        tray = Trayer(tray=False)
        self.addCleanup(tray.stop)
        app = self.start_downbeat(env=tray.environment())
        wait_for(lambda: bus().name_has_owner('io.github.downbeat.Downbeat'), 10, 'the app')
        wait_for(lambda: app.window_count() == 1, 10, 'the window, with no tray yet')
        # Later, as a panel later in the login is: once the app is settled (its XEmbed icon made
        # while no tray was there, which a tray that starts in the same instant can miss).
        app.wait_for_checks(2)

        tray.start()
        wait_for(lambda: tray.icons() == 1, 10, 'the icon docked in trayer')
        self.assert_closing_keeps_it(tray, app)

    def test_xembed_tray_killed_mid_session(self):
        '''An XEmbed tray that dies while only the icon shows (polybar crashing, i3bar
        restarted) brings the window back; the tray started again takes the icon in, and
        closing the window then keeps the app in it (#18).'''
        tray = Trayer()
        self.addCleanup(tray.stop)
        app = self.start_downbeat('--autostart', env=tray.environment())
        wait_for(lambda: tray.icons() == 1, 10, 'the icon docked in trayer')
        app.wait_for_checks(2)
        self.assertEqual(app.window_count(), 0)

        tray.kill()
        wait_for(lambda: app.window_count() == 1, 20, 'the window, the tray gone')

        tray.start()
        wait_for(lambda: tray.icons() == 1, 10, 'the icon back in the new trayer')
        self.assert_closing_keeps_it(tray, app)

    def test_sni_tray_that_comes_later(self):
        '''Launched before any tray, then a StatusNotifierWatcher comes (the GNOME extension
        switched on): the icon shows, and closing the window keeps the app in it (#18).'''
        app = self.start_downbeat()
        wait_for(lambda: bus().name_has_owner('io.github.downbeat.Downbeat'), 10, 'the app')
        wait_for(lambda: app.window_count() == 1, 10, 'the window, with no tray yet')
        app.wait_for_checks(2)

        watcher = self.start_watcher()
        watcher.wait_for_icon('operational', timeout=15)
        wait_for(lambda: press_keys(app.process.pid, 'Downbeat', ['Control_L+w']), 10,
                 'the keys typed into the window')
        wait_for(lambda: app.window_count() == 0, 10, 'the window closed')
        app.wait_for_checks(2)
        self.assertTrue(app.alive(), 'it lives on in the tray')

    def test_tray_that_goes_brings_the_window(self):
        '''A tray host that goes away for good (the GNOME extension switched off) brings the
        window back, after a grace for a restart; closing it then quits (#18).'''
        watcher = self.start_watcher()
        app = Downbeat(self.fake.service, '--interval', '1', '--autostart')
        self.addCleanup(app.stop)
        watcher.wait_for_icon('operational')
        self.assertEqual(app.window_count(), 0)

        watcher.stop()
        wait_for(lambda: app.window_count() == 1, 20, 'the window, the tray gone')
        wait_for(lambda: press_keys(app.process.pid, 'Downbeat', ['Control_L+w']), 10,
                 'the keys typed into the window')
        wait_for(lambda: not app.alive(), 10, 'the app to quit, with no tray to stay in')
        self.assertEqual(app.process.returncode, 0)

    def test_at_login_no_window_even_without_a_tray(self):
        app = self.start_downbeat('--autostart')
        wait_for(lambda: bus().name_has_owner('io.github.downbeat.Downbeat'), 10, 'the app')
        app.wait_for_checks(3)
        self.assertEqual(app.window_count(), 0, 'at login the panel may come later')

        watcher = self.start_watcher()
        watcher.wait_for_icon('operational', timeout=15)

        # Another --autostart leaves the running one as it is.
        self.assertEqual(app.run_again('--autostart').returncode, 0)
        app.wait_for_checks(2)
        self.assertEqual(app.window_count(), 0)

    def test_mute_silences_notifications_not_the_icon(self):
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        app = self.start_downbeat()
        watcher.wait_for_icon('operational')

        app.activate_action('mute')
        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        app.wait_for_checks(2)
        self.assertEqual(notifications.shown(), [])

        app.activate_action('unmute')
        self.fake.set_probes('ok')
        watcher.wait_for_icon('operational')
        app.wait_for_checks(2)
        self.assertEqual(notifications.shown(), [], 'no recovery for an outage never shown')

    def test_notify_me_when_its_back(self):
        '''Asked for from the tray while down: checked, one "back", muted or not; then it
        clears. Chosen again, it cancels.'''
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        app = self.start_downbeat()
        watcher.wait_for_icon('operational')
        menu = Menu(watcher)

        app.activate_action('mute')
        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        when_back = "Notify Me When It's _Back"
        wait_for(lambda: dict((l, on) for _, l, on in menu.items())[when_back], 5,
                 'the item enabled while down')
        self.assertIs(menu.checked(when_back), False)
        menu.click(when_back)
        wait_for(lambda: menu.checked(when_back), 5, 'the item checked: asked')

        self.fake.set_probes('ok')
        watcher.wait_for_icon('operational')
        wait_for(notifications.shown, 10, 'the one recovery notification, though muted')
        self.assertEqual(notifications.summaries(), ['Spotify is back'])
        self.assertRegex(notifications.shown()[0]['body'], r'^Down for ')

        wait_for(lambda: not menu.checked(when_back), 5, 'the item unchecked once it is over')
        self.assertFalse(dict((l, on) for _, l, on in menu.items())[when_back],
                         'nothing to wait for while up')

        # Once only: the next outage and recovery, still muted, say nothing; asked and
        # cancelled, nothing either.
        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        wait_for(lambda: dict((l, on) for _, l, on in menu.items())[when_back], 5,
                 'the item enabled while down')
        menu.click(when_back)
        wait_for(lambda: menu.checked(when_back), 5, 'asked')
        menu.click(when_back)
        wait_for(lambda: not menu.checked(when_back), 5, 'cancelled')
        self.fake.set_probes('ok')
        watcher.wait_for_icon('operational')
        app.wait_for_checks(2)
        self.assertEqual(notifications.summaries(), ['Spotify is back'])


class BadInput(DesktopTestCase):
    '''Hostile and broken answers, against the running app: it stays up, its memory stays
    bounded, and the level comes from the evidence that is left.'''

    CASES = [
        # endpoint, mode, the level it must come to
        ('summary', 'malformed', 'operational'),
        ('summary', 'bad-utf8', 'operational'),
        ('summary', 'many', 'operational'),
        ('ap', 'malformed', 'degraded'),
        ('ap', 'huge', 'degraded'),
        ('ap', 'bomb', 'degraded'),
        ('ap', 'drip', 'degraded'),
        ('ap', 'loop', 'degraded'),
        ('summary', 'hostile', 'outage'),
    ]

    def test_bad_answers(self):
        for endpoint, mode, level in self.CASES:
            with self.subTest(endpoint=endpoint, mode=mode):
                self.run_case(endpoint, mode, level)

    def run_case(self, endpoint, mode, level):
        directory = tempfile.TemporaryDirectory(prefix='downbeat-bad-')
        fake = FakeSpotify(directory.name)
        watcher = Watcher(bus())
        notifications = Notifications()
        app = Downbeat(fake.service, '--interval', '1', '--autostart')
        try:
            watcher.wait_for_icon('operational')
            baseline = app.wait_for_checks(3)[-1]

            fake.set(endpoint, mode)
            if level == 'operational':
                seen = self.icons_over_checks(watcher, app, 6)
                self.assertEqual(seen, {ICON + 'operational'})
            else:
                watcher.wait_for_icon(level, timeout=20)
                wait_for(notifications.shown, 10, f'the {level} notification')

            # The bytes in live allocations after each check, by the app's own count: bounded
            # by what a parsed answer costs, and no more with each further check. (A leak of
            # less than an answer a check is the soak's to find, over thousands of checks.)
            figures = app.wait_for_checks(10, 'checks of the bad answers')
            self.assertTrue(app.alive(), 'downbeat is gone')
            kib = ', '.join(f'{(figure - baseline) / 1024:+.0f}' for figure in figures)
            self.assertLess(max(figures) - baseline, 16 << 20,
                            f'the bad answers cost too much (KiB, check after check: {kib})')
            self.assertLess(growth_per_check(figures), 4 << 10,
                            f'memory in use grew with each check (KiB: {kib})')

            if mode == 'hostile':
                wait_for(notifications.shown, 5, 'the outage notification')
                body = notifications.shown()[0]['body']
                for forbidden in ('<b>', '<a ', '<i>', '\x1b', '\x00', '\u202e', '\x07'):
                    self.assertNotIn(forbidden, body)
                self.assertIn('&lt;a href=', body)
        finally:
            code = app.stop()
            notifications.stop()
            watcher.stop()
            fake.stop()
            directory.cleanup()
        self.assertEqual(code, 0)


class Suspend(DesktopTestCase):
    def start_logind(self):
        '''python-dbusmock's logind on a bus of its own, standing in for the system bus.'''
        daemon = subprocess.Popen(['dbus-daemon', '--session', '--nofork', '--print-address=1'],
                                  stdout=subprocess.PIPE, text=True)
        self.addCleanup(daemon.wait)
        self.addCleanup(daemon.terminate)
        address = daemon.stdout.readline().strip()
        logind = subprocess.Popen(['/usr/bin/python3', '-m', 'dbusmock', '--system',
                                   '--template', 'logind'],
                                  env=dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address),
                                  stdout=subprocess.DEVNULL)
        self.addCleanup(logind.wait)
        self.addCleanup(logind.terminate)
        system = dbus.bus.BusConnection(address)
        wait_for(lambda: system.name_has_owner('org.freedesktop.login1'), 30, 'logind')
        mock = dbus.Interface(system.get_object('org.freedesktop.login1', '/org/freedesktop/login1'),
                              'org.freedesktop.DBus.Mock')
        return address, mock

    def test_resume_checks_at_once(self):
        address, logind = self.start_logind()
        watcher = self.start_watcher()
        app = Downbeat(self.fake.service, '--interval', '3600',
                       env={'DBUS_SYSTEM_BUS_ADDRESS': address})
        self.addCleanup(self.stop_downbeat, app)
        watcher.wait_for_icon('operational')

        self.fake.set('summary', 'major')
        logind.EmitSignal('org.freedesktop.login1.Manager', 'PrepareForSleep', 'b', [True])
        pump(3)
        self.assertEqual(watcher.icon(), ICON + 'operational', 'no check before the next hour')

        logind.EmitSignal('org.freedesktop.login1.Manager', 'PrepareForSleep', 'b', [False])
        # A check at once, and the page's word confirmed by a second answer a recheck (10 s)
        # later: well within the hour the interval would have taken.
        watcher.wait_for_icon('outage', timeout=25)


class Wayland(DesktopTestCase):
    '''On a Wayland compositor: weston (sway would do as well, but refuses to run as root).'''

    def start_weston(self):
        '''The environment of a program on it. Weston runs in a window on an X server of its
        own (Trayer's, without trayer): its headless backend has no seat, without which GTK
        logs criticals of its own.'''
        server = Trayer(tray=False)
        self.addCleanup(server.stop)
        runtime = tempfile.TemporaryDirectory(prefix='downbeat-wayland-')
        self.addCleanup(runtime.cleanup)
        os.chmod(runtime.name, 0o700)
        weston = subprocess.Popen(['weston', '--backend=x11-backend.so', '--use-pixman',
                                   '--shell=kiosk-shell.so', '--socket=wayland-downbeat',
                                   '--idle-time=0'],
                                  env={**os.environ, **server.environment(),
                                       'XDG_RUNTIME_DIR': runtime.name},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(weston.wait)
        self.addCleanup(weston.terminate)
        socket = os.path.join(runtime.name, 'wayland-downbeat')
        wait_for(lambda: os.path.exists(socket), 10, 'weston')
        return {'GDK_BACKEND': 'wayland', 'WAYLAND_DISPLAY': socket, 'DISPLAY': '',
                'XDG_RUNTIME_DIR': runtime.name}

    def test_tray_that_comes_later(self):
        '''Started before the tray, as at login: libayatana-appindicator's stand-in for a
        missing watcher is an XEmbed icon, which GTK cannot make on Wayland (a Gtk-CRITICAL at
        start and at each change, fatal here). The icon registers once a watcher comes.'''
        app = self.start_downbeat(env=self.start_weston())
        wait_for(lambda: bus().name_has_owner('io.github.downbeat.Downbeat'), 10, 'the app')
        wait_for(lambda: app.window_count() == 1, 10, 'the window, with no tray yet')
        app.wait_for_checks(2)

        watcher = self.start_watcher()
        watcher.wait_for_icon('operational')
        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        self.assertTrue(app.alive())


class SwayWaybar(DesktopTestCase):
    '''`downbeat --watch` in a real bar: waybar, with README's module as written, started,
    reloaded and stopped by sway (headless). sway refuses to run as root: as root, the whole
    session (its bus, sway, waybar, the app) runs as nobody.'''

    def setUp(self):
        super().setUp()
        home = tempfile.TemporaryDirectory(prefix='downbeat-sway-')
        self.addCleanup(home.cleanup)
        self.home = home.name
        os.chmod(self.home, 0o755)
        self.runtime = self.directory('runtime')
        os.chmod(self.runtime, 0o700)
        state = self.directory('state')
        # What the whole session, and nothing else, has in its environment.
        self.marker = f'XDG_RUNTIME_DIR={self.runtime}'.encode()
        self.addCleanup(self.kill_what_is_left)

        service = os.path.join(self.home, 'service.json')
        shutil.copy(self.fake.service, service)
        os.chmod(service, 0o644)
        # `downbeat` on the PATH, as installed, but for the fake Spotify and a check a second.
        self.downbeat = os.path.join(self.directory('bin'), 'downbeat')
        with open(self.downbeat, 'w') as script:
            script.write(f'#!/bin/sh\nexec {shlex.quote(os.environ["DOWNBEAT"])} --service '
                         f'{shlex.quote(service)} --interval 1 "$@"\n')
        os.chmod(self.downbeat, 0o755)

        with open(os.path.join(self.directory('config', 'sway'), 'config'), 'w') as config:
            config.write('xwayland disable\nbar {\n    swaybar_command waybar\n}\n')
        self.directory('config', 'waybar')

        self.user = []
        if os.geteuid() == 0:
            self.user = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups']
            for directory, _, files in os.walk(self.home):
                for name in [directory, *(os.path.join(directory, name) for name in files)]:
                    self.give(name)
            if subprocess.run([*self.user, 'test', '-x', os.environ['DOWNBEAT']]).returncode:
                self.skipTest('nobody cannot run the build tree\'s downbeat')

        environment = {name: value for name, value in os.environ.items()
                       if name not in ('DISPLAY', 'XAUTHORITY', 'WAYLAND_DISPLAY', 'G_DEBUG',
                                       'DBUS_SESSION_BUS_ADDRESS')}
        self.env = dict(environment, HOME=self.home, XDG_RUNTIME_DIR=self.runtime,
                        XDG_CONFIG_HOME=os.path.join(self.home, 'config'),
                        XDG_STATE_HOME=state,
                        PATH=os.path.dirname(self.downbeat) + ':' + os.environ['PATH'],
                        WLR_BACKENDS='headless', WLR_LIBINPUT_NO_DEVICES='1',
                        WLR_RENDERER='pixman')
        # Its own session bus: the suite's belongs to root.
        self.bus = self.start(['dbus-daemon', '--config-file=' + os.path.join(
            os.path.dirname(os.path.abspath(__file__)), 'session.conf'), '--nofork',
            '--print-address=1'], stdout=subprocess.PIPE, text=True)
        self.env['DBUS_SESSION_BUS_ADDRESS'] = self.bus.stdout.readline().strip()

    def directory(self, *names):
        path = os.path.join(self.home, *names)
        os.makedirs(path, exist_ok=True)
        return path

    def give(self, path):
        '''Gives @path to the session's user (nobody, when the suite runs as root).'''
        if self.user:
            nobody = pwd.getpwnam('nobody')
            os.chown(path, nobody.pw_uid, nobody.pw_gid)

    @staticmethod
    def readme_module():
        '''The waybar module of README.md, exactly as written there.'''
        readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'README.md')
        with open(readme) as text:
            blocks = re.findall(r'^```json\n(.*?)^```', text.read(), re.S | re.M)
        return json.loads('{' + next(b for b in blocks if '"custom/spotify"' in b) + '}')

    def start(self, argv, **popen):
        process = subprocess.Popen([*self.user, *argv], env=popen.pop('env', self.env), **popen)

        def stop():
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stdout:
                process.stdout.close()
        self.addCleanup(stop)
        return process

    def session(self):
        '''The processes of the session, pid → argv (zombies have no environment).'''
        found = {}
        for pid in filter(str.isdigit, os.listdir('/proc')):
            try:
                with open(f'/proc/{pid}/environ', 'rb') as environ:
                    if self.marker not in environ.read().split(b'\0'):
                        continue
                with open(f'/proc/{pid}/cmdline', 'rb') as cmdline:
                    found[int(pid)] = [arg.decode() for arg in cmdline.read().split(b'\0')[:-1]]
            except OSError:
                continue
        return found

    def settle(self, predicate, what):
        '''The session's processes once @predicate holds of them; what runs if it never does.'''
        session = {}

        def holds():
            session.clear()
            session.update(self.session())
            return predicate(session)
        try:
            wait_for(holds, 15, what)
        except AssertionError as error:
            raise AssertionError(f'{error}; running: {sorted(session.values())}') from None
        return session

    @staticmethod
    def watches(session):
        return {pid for pid, argv in session.items()
                if argv[:1] == [os.environ['DOWNBEAT']] and '--watch' in argv}

    def one_watch(self, before=frozenset()):
        '''The one `downbeat --watch` left, once there is one and none of @before is left.'''
        def one(session):
            watches = self.watches(session)
            return len(watches) == 1 and not watches & before
        return self.watches(self.settle(one, 'one --watch, none of those before')).pop()

    def kill_what_is_left(self):
        for pid in self.session():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def start_sway(self, **others):
        '''sway, and its bar: waybar with README's module, then custom modules named @others.'''
        modules = {**self.readme_module(),
                   **{f'custom/{name}': module for name, module in others.items()}}
        path = os.path.join(self.home, 'config', 'waybar', 'config')
        with open(path, 'w') as config:
            json.dump({'modules-left': list(modules), 'modules-right': ['tray'], **modules},
                      config)
        self.give(path)
        log = open(os.path.join(self.home, 'sway.log'), 'w')
        self.addCleanup(log.close)
        sway = self.start(['sway'], stdout=log, stderr=subprocess.STDOUT)
        self.sway_socket = wait_for(
            lambda: glob.glob(os.path.join(self.runtime, 'sway-ipc.*.sock')), 20, 'sway')[0]
        return sway

    def swaymsg(self, *args):
        subprocess.run([*self.user, 'swaymsg', '-s', self.sway_socket, *args], env=self.env,
                       check=True, stdout=subprocess.DEVNULL, timeout=10)

    def app_ids(self):
        '''The app id of each window sway has.'''
        tree = subprocess.run([*self.user, 'swaymsg', '-s', self.sway_socket, '-r', '-t',
                               'get_tree'], env=self.env, check=True, capture_output=True,
                              text=True, timeout=10).stdout
        nodes, ids = [json.loads(tree)], []
        while nodes:
            node = nodes.pop()
            ids += [node['app_id']] if node.get('app_id') else []
            nodes += node.get('nodes', []) + node.get('floating_nodes', [])
        return ids

    def wayland_display(self):
        return next(os.path.basename(path) for path in
                    glob.glob(os.path.join(self.runtime, 'wayland-*'))
                    if not path.endswith('.lock'))

    def checks_by_itself(self, watch, checks=2):
        start = self.fake.hits('ap')
        wait_for(lambda: self.fake.hits('ap') >= start + checks, 15, 'checks of its own')
        self.assertEqual(self.watches(self.session()), {watch})

    def test_reloads_and_the_app_coming_and_going(self):
        sway = self.start_sway()
        watch = self.one_watch()
        self.checks_by_itself(watch)

        # The app (as the module's on-click starts it), in the bar's tray: the watch follows
        # it, with no checks of its own.
        log = os.path.join(self.home, 'app.log')
        with open(log, 'w') as output:
            app = self.start([self.downbeat], stdout=output, env=dict(
                self.env, GDK_BACKEND='wayland', WAYLAND_DISPLAY=self.wayland_display(),
                G_DEBUG='fatal-criticals', G_MESSAGES_DEBUG='downbeat-application'))

        def app_checks():
            with open(log) as text:
                return text.read().count('Checked: ')
        # Its window, known by the desktop file's id (docks and app switchers match the two).
        wait_for(lambda: self.app_ids() == ['io.github.downbeat.Downbeat'], 10, 'the window')
        # The watch follows the app once it has checked: from its second check on, surely.
        wait_for(lambda: app_checks() >= 2, 20, "the app's first checks")
        start, checks = self.fake.hits('ap'), app_checks()
        wait_for(lambda: app_checks() >= checks + 5, 20, 'five more checks of the app')
        # One in flight at either end at most.
        self.assertLessEqual(self.fake.hits('ap') - start, 5 + 2, 'the watch checked too')
        self.assertEqual(self.watches(self.session()), {watch})

        app.terminate()
        self.assertEqual(exit_status(app, 10), 0)
        self.checks_by_itself(watch)

        for _ in range(3):
            self.swaymsg('reload')
            watch = self.one_watch(before={watch})
        self.checks_by_itself(watch)

        sway.terminate()
        self.assertEqual(exit_status(sway, 10), 0)
        self.bus.terminate()
        self.settle(lambda session: not session, 'nothing of the session left')

    def test_reload_while_another_module_holds_its_pipe(self):
        '''waybar before 0.9.18 (Debian 12 has 0.9.17) leaks the pipes of its modules into
        those it starts later, and Debian's sh runs a module's command as its child: a program
        of the next module, outliving the bar, keeps the read end of the watch's pipe open.
        The bar's shell, the watch's parent, is gone with the bar all the same.'''
        self.start_sway(later={'exec': 'sleep 600'})
        watch = self.one_watch()
        for _ in range(2):
            # Once it checks: a shell gone before the watch has asked to be told is not seen.
            self.checks_by_itself(watch, 1)
            self.swaymsg('reload')
            watch = self.one_watch(before={watch})


class NotificationButtons(DesktopTestCase):
    '''Each button of the outage's notification, clicked on the notification server.'''

    def click_on_outage(self, action):
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        app = self.start_downbeat('--autostart')
        watcher.wait_for_icon('operational')
        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        wait_for(notifications.shown, 5, 'the outage notification')
        self.assertIn(action, notifications.shown()[0]['actions'][::2])
        self.assertEqual(app.window_count(), 0, 'started at login beside a tray: no window yet')
        notifications.click(1, action)
        return watcher, app, notifications

    def test_details(self):
        _, app, _ = self.click_on_outage('default')
        wait_for(lambda: app.window_count() == 1, 10, 'the status window')

    def test_mute(self):
        watcher, app, notifications = self.click_on_outage('mute')
        menu = Menu(watcher)
        wait_for(lambda: menu.labels()[4].startswith('Un_mute Notifications (muted until '), 5,
                 "the tray's unmute item")
        self.assertEqual(app.window_count(), 0)

        # Back while muted: no "back", and nothing to close, the click having closed the "down"
        # (libnotify then forgets its id: a close would be CloseNotification 0).
        self.fake.set_probes('ok')
        watcher.wait_for_icon('operational')
        app.wait_for_checks(2)
        self.assertEqual(notifications.summaries(), ['Spotify is down'])
        self.assertEqual(notifications.closed(), [])

    def test_notify_me_when_its_back(self):
        watcher, app, _ = self.click_on_outage('when-back')
        menu = Menu(watcher)
        wait_for(lambda: menu.checked("Notify Me When It's _Back"), 5, "the tray's item checked")
        self.assertEqual(app.window_count(), 0)

    def test_follow_the_channel(self):
        '''Where the service speaks (the definition's first channel), offered by the outage's
        notification; the click opens it in the default browser, here a script that notes it.'''
        browser = Browser()
        self.addCleanup(browser.stop)
        with open(self.fake.service) as f:
            service = json.load(f)
        service['channels'] = [{'name': '@SpotifyStatus on X',
                                'url': 'https://x.com/SpotifyStatus'}]
        path = os.path.join(browser.home.name, 'service.json')
        with open(path, 'w') as f:
            json.dump(service, f)

        watcher = self.start_watcher()
        notifications = self.start_notifications()
        app = Downbeat(path, '--interval', '1', '--autostart', env=browser.environment())
        self.addCleanup(self.stop_downbeat, app)
        watcher.wait_for_icon('operational')
        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        wait_for(notifications.shown, 5, 'the outage notification')
        actions = notifications.shown()[0]['actions']
        self.assertIn('follow', actions[::2])
        self.assertEqual(actions[actions.index('follow') + 1], 'Follow @SpotifyStatus on X')

        notifications.click(1, 'follow')
        self.assertEqual(wait_for(browser.opened, 10, 'the browser opened'),
                         'https://x.com/SpotifyStatus')


class RealNotificationServer(DesktopTestCase):
    '''dunst, as on a contributor's i3 or sway, rather than the mock: an outage, its end and a
    click, through a real server (#18).'''

    def test_outage_back_and_a_click(self):
        dunst = Dunst()
        self.addCleanup(dunst.stop)
        watcher = self.start_watcher()
        app = self.start_downbeat('--autostart')
        watcher.wait_for_icon('operational')

        self.fake.set_probes('fail')
        wait_for(lambda: 'Spotify is down' in dunst.summaries(), 20, '"Spotify is down"')
        down = dunst.shown()[-1]
        self.assertEqual(down['urgency'], 'CRITICAL')
        self.assertIn('not answering', down['body'])
        self.assertEqual(down['raw_icon set'], 'true', 'the status icon, as image data')
        self.assertIn('Mute for 1 Hour', down['actions'])

        self.fake.set_probes('ok')
        wait_for(lambda: 'Spotify is back' in dunst.summaries(), 30, '"Spotify is back"')
        back = dunst.shown()[-1]
        self.assertEqual(back['urgency'], 'NORMAL')
        self.assertRegex(back['body'], r'^Down for ')
        wait_for(lambda: dunst.displayed() == 1, 5, '"down" withdrawn, "back" on screen')

        # Its click, as dunst tells it: the status window.
        self.assertEqual(app.window_count(), 0)
        dunst.click()
        wait_for(lambda: app.window_count() == 1, 10, 'the status window')


class InTheFlatpak(DesktopTestCase):
    '''Inside the Flatpak, with no org.freedesktop.Notifications: libnotify sends through
    xdg-desktop-portal's Notification portal (a mock here) once it finds /.flatpak-info, which
    bubblewrap gives the app alone, as flatpak does.'''

    def setUp(self):
        super().setUp()
        if subprocess.run(['bwrap', '--dev-bind', '/', '/', 'true']).returncode != 0:
            self.skipTest('bubblewrap cannot make a sandbox here')
        self.portal = subprocess.Popen(['/usr/bin/python3', os.path.join(
            os.path.dirname(os.path.abspath(__file__)), 'mock-notification-portal.py'), APP_ID])
        self.addCleanup(self.portal.wait)
        self.addCleanup(self.portal.terminate)
        wait_for(lambda: bus().name_has_owner('org.freedesktop.portal.Desktop'), 30,
                 'the portal')
        directory = tempfile.TemporaryDirectory(prefix='downbeat-flatpak-')
        self.addCleanup(directory.cleanup)
        self.directory = directory.name
        self.info = os.path.join(self.directory, 'flatpak-info')
        with open(self.info, 'w') as info:
            info.write(f'[Application]\nname={APP_ID}\n\n[Context]\nshared=network;ipc;\n')

    def sandbox(self):
        '''bubblewrap, with the whole file system but for /.flatpak-info.'''
        command = ['bwrap']
        for name in sorted(os.listdir('/')):
            path = '/' + name
            if os.path.islink(path):
                command += ['--symlink', os.readlink(path), path]
            elif os.path.isdir(path):
                command += ['--dev-bind', path, path]
        return command + ['--ro-bind', self.info, '/.flatpak-info', '--']

    def mock(self):
        portal = bus().get_object('org.freedesktop.portal.Desktop',
                                  '/org/freedesktop/portal/desktop')
        return dbus.Interface(portal, 'io.github.downbeat.MockPortal')

    def calls(self):
        return json.loads(self.mock().Calls())

    def added(self):
        return [call for call in self.calls() if call['method'] == 'AddNotification']

    def click(self, notification, label=None):
        '''A click on @notification's button @label, or on the notification itself.'''
        action = ''
        if label is not None:
            action = next(action for action, text in notification['buttons'] if text == label)
        self.mock().Invoke(notification['id'], action)

    def quit(self, app):
        '''Ends @app as flatpak does, by a signal to the app itself (bubblewrap passes none on):
        its exit status.'''
        with open(f'/proc/{app.process.pid}/task/{app.process.pid}/children') as pids:
            for pid in pids.read().split():
                os.kill(int(pid), signal.SIGTERM)
        return exit_status(app.process, 10)

    def start_sandboxed(self, env=None, stop=True):
        '''The app in its sandbox, and where its stderr goes; it must still run at the end, and
        end cleanly then, if @stop.'''
        stderr = open(os.path.join(self.directory, 'stderr'), 'a+')
        self.addCleanup(stderr.close)
        app = Downbeat(self.fake.service, '--interval', '1', '--autostart', env=env,
                       stderr=stderr, sandbox=self.sandbox())
        if not stop:
            self.addCleanup(app.state.cleanup)
            self.addCleanup(lambda: app.alive() and self.quit(app))
            return app, stderr

        def stop():
            alive = app.alive()
            if alive:
                self.quit(app)
            code = app.stop()
            self.assertTrue(alive, f'downbeat ended by itself with status {code}')
            self.assertEqual(code, 0, 'downbeat did not end cleanly')
        self.addCleanup(stop)
        return app, stderr

    def outage(self):
        '''The app in its sandbox, told of an outage: (its tray, its stderr, the notification).'''
        watcher = self.start_watcher()
        app, stderr = self.start_sandboxed()
        watcher.wait_for_icon('operational')
        self.fake.set_probes('fail')
        wait_for(self.added, 20, 'the outage notification')
        return app, watcher, stderr, self.added()[0]

    def test_outage_back_and_a_click(self):
        app, _, stderr, down = self.outage()
        self.assertTrue(down['id'].startswith(f'libnotify-flatpak.{APP_ID}-'), down['id'])
        self.assertEqual(down['title'], 'Spotify is down')
        self.assertIn('not answering', down['body'])
        self.assertNotIn('<', down['body'], 'plain text: the portal reads no markup')
        self.assertEqual(down['priority'], 'urgent')
        self.assertEqual(down['icon'], 'bytes', 'the status icon, as an image')
        # The application's own actions, which the portal has activated in it; a click on the
        # notification activates the application, which shows the details.
        self.assertEqual(down['buttons'], [['app.mute', 'Mute for 1 Hour'],
                                           ['app.ask-when-back', "Notify Me When It's Back"]])
        self.assertEqual(down['default-action'], '')

        self.fake.set_probes('ok')
        wait_for(lambda: 'Spotify is back' in [n['title'] for n in self.added()], 30,
                 '"Spotify is back"')
        back = self.added()[-1]
        self.assertEqual(back['priority'], 'normal')
        self.assertRegex(back['body'], r'^Down for ')
        self.assertEqual({n['id'] for n in self.added()[:-1]}, {down['id']},
                         'one notification for the outage')
        self.assertIn({'method': 'RemoveNotification', 'id': down['id']}, self.calls(),
                      '"down" withdrawn')

        self.assertEqual(app.window_count(), 0)
        self.click(back)
        wait_for(lambda: app.window_count() == 1, 10, 'the status window')
        stderr.seek(0)
        self.assertNotRegex(stderr.read(), r'CRITICAL|WARNING')

    def test_taken_up_after_a_restart(self):
        '''Quit during an outage it told of, started again while it goes on: the history kept
        libnotify's id for it, which names the same portal notification in the next run.'''
        watcher = self.start_watcher()
        first, _ = self.start_sandboxed(stop=False)
        watcher.wait_for_icon('operational')
        self.fake.set_probes('fail')
        wait_for(lambda: self.announced(first), 15, 'the outage notification kept')
        down = self.added()[0]
        self.assertEqual(self.quit(first), 0)
        before = len(self.calls())

        again, _ = self.start_sandboxed(env={'XDG_STATE_HOME': first.state.name})
        watcher.wait_for_icon('outage')
        again.wait_for_checks(3)
        self.assertEqual(len(self.calls()), before, 'no second "down"')

        self.fake.set_probes('ok')
        wait_for(lambda: len(self.calls()) == before + 2, 15, 'the recovery notification')
        remove, back = self.calls()[before:]
        self.assertEqual(remove, {'method': 'RemoveNotification', 'id': down['id']},
                         'the earlier run\'s "down" withdrawn')
        self.assertEqual(back['title'], 'Spotify is back')

    def test_a_button_then_back(self):
        '''A button does what it says, and no more: no window; "back", asked for, comes through
        the mute.'''
        app, watcher, _, down = self.outage()
        self.click(down, "Notify Me When It's Back")
        wait_for(lambda: Menu(watcher).checked("Notify Me When It's _Back"), 5,
                 "the tray's item checked")
        self.assertEqual(app.window_count(), 0, 'no window: the button said nothing of one')
        # Clicked again (the notification stays on screen): still asked, not cancelled. The
        # app takes the clicks in turn: once the mute is seen, so was the second click.
        self.click(down, "Notify Me When It's Back")
        self.click(down, 'Mute for 1 Hour')
        wait_for(lambda: Menu(watcher).labels()[4].startswith('Un_mute Notifications (muted '),
                 5, "the tray's unmute item")
        self.assertTrue(Menu(watcher).checked("Notify Me When It's _Back"), 'cancelled')

        self.fake.set_probes('ok')
        wait_for(lambda: 'Spotify is back' in [n['title'] for n in self.added()], 30,
                 '"Spotify is back"')
        self.assertEqual(app.window_count(), 0)


class ResumeMusic(DesktopTestCase):
    '''A Spotify player on the bus (MPRIS): music a problem stopped is resumed from "Spotify is
    back", and music that stops while all seems well is checked at once (#20).'''

    def start_player(self, status):
        player = Player(status)
        self.addCleanup(player.stop)
        return player

    def outage_then_back(self, player, stop_music):
        '''An outage and its end, told by notifications; the music stops with it if
        @stop_music. The "back" notification.'''
        notifications = self.start_notifications()
        watcher = self.start_watcher()
        app = self.start_downbeat('--autostart')
        watcher.wait_for_icon('operational')
        self.fake.set_probes('fail')
        if stop_music:
            player.set_status('Paused')
        watcher.wait_for_icon('outage')
        self.fake.set_probes('ok')
        wait_for(lambda: 'Spotify is back' in notifications.summaries(), 30, '"Spotify is back"')
        return app, notifications, notifications.shown()[-1]

    def test_back_offers_to_resume_the_music_it_stopped(self):
        player = self.start_player('Playing')
        app, notifications, back = self.outage_then_back(player, stop_music=True)
        self.assertIn('resume', back['actions'][::2])
        self.assertEqual(app.action('resume-playback'), (True, None), "the window's offer")

        # The mock numbers new notifications from 1.
        news = [n['replaces_id'] for n in notifications.shown()].count(0)
        server_id = back['replaces_id'] or news
        notifications.click(server_id, 'resume')
        wait_for(lambda: player.status() == 'Playing', 10, 'the music playing again')
        self.assertEqual(player.plays_asked(), 1)
        wait_for(lambda: app.action('resume-playback') == (False, None), 5, 'nothing more offered')

    def test_no_offer_for_music_that_was_not_playing(self):
        player = self.start_player('Paused')
        app, _, back = self.outage_then_back(player, stop_music=False)
        self.assertNotIn('resume', back['actions'][::2])
        self.assertEqual(app.action('resume-playback'), (False, None))
        self.assertEqual(player.plays_asked(), 0)

    def test_music_stopping_is_checked_at_once(self):
        player = self.start_player('Playing')
        app = Downbeat(self.fake.service, '--autostart', '--interval', '3600')
        self.addCleanup(self.stop_downbeat, app)
        wait_for(app.in_use, 10, 'the first check')
        hits = self.fake.hits('ap')

        # An hour before the next check is due.
        player.set_status('Paused')
        wait_for(lambda: self.fake.hits('ap') > hits, 15, 'a check as the music stopped')


class RemindersAndQuietHours(DesktopTestCase):
    '''The reminder and quiet hours wired to the real app; their timing is the notice model's
    (tests/test-notifier.c).'''

    def test_reminder_of_an_outage_going_on(self):
        '''An outage told of three hours ago, still down, reminders every 2 hours: its own
        notification again, in place, "still down" with how long so far.'''
        first, _, notifications, server_id = self.outage_told()
        first.process.send_signal(signal.SIGTERM)
        self.assertEqual(first.process.wait(timeout=10), 0)
        self.assertEqual(notifications.summaries(), ['Spotify is down'])
        # Its start moved three hours back, as if this were a later run.
        with sqlite3.connect(first.history) as db:
            db.execute('UPDATE announcement SET since = since - 3 * 60 * 60')

        _, env = self.settings_file('remind-every-hours=2\n')
        self.start_downbeat(env=dict(env, XDG_STATE_HOME=first.state.name))
        wait_for(lambda: len(notifications.shown()) >= 2, 20, 'the reminder')
        reminder = notifications.shown()[-1]
        self.assertEqual(reminder['summary'], 'Spotify is still down')
        self.assertEqual(reminder['replaces_id'], server_id, "the incident's own notification")
        self.assertEqual(reminder['urgency'], 2)
        self.assertRegex(html.unescape(reminder['body']),
                         r'^For 3 hours( \d+ minutes?)? so far\.\n.*not answering')
        self.assertEqual(notifications.calls().count('CloseNotification'), 0)

    def test_quiet_hours_hold_the_outage_until_they_end(self):
        '''Within quiet hours the icon changes and nothing pops up; at their end the outage is
        told, with how long it has lasted, and its end as usual.'''
        watcher = self.start_watcher()
        notifications = self.start_notifications()
        now = datetime.datetime.now()
        minute = now.hour * 60 + now.minute
        keys = 'quiet-hours=true\nquiet-from={}\nquiet-until={}\n'
        path, env = self.settings_file(keys.format((minute - 60) % 1440, (minute + 120) % 1440))
        app = self.start_downbeat(env=env)
        watcher.wait_for_icon('operational')

        self.fake.set_probes('fail')
        watcher.wait_for_icon('outage')
        app.wait_for_checks(3)
        self.assertEqual(notifications.shown(), [], 'no banner in quiet hours')

        # They end now.
        now = datetime.datetime.now()
        minute = now.hour * 60 + now.minute
        with open(path, 'w') as keyfile:
            keyfile.write('[io/github/downbeat/Downbeat]\n'
                          + keys.format((minute - 60) % 1440, minute))
        wait_for(notifications.shown, 10, 'the outage, told at their end')
        down = notifications.shown()
        self.assertEqual(len(down), 1)
        self.assertEqual(down[0]['summary'], 'Spotify is down')
        self.assertEqual(down[0]['urgency'], 2)
        self.assertRegex(html.unescape(down[0]['body']),
                         r'^For (less than a minute|\d+ minutes?) so far\.\n.*not answering')

        self.fake.set_probes('ok')
        watcher.wait_for_icon('operational')
        wait_for(lambda: len(notifications.shown()) == 2, 10, 'the recovery notification')
        self.assertEqual(notifications.summaries(), ['Spotify is down', 'Spotify is back'])

if __name__ == '__main__':
    unittest.main(verbosity=2)
