#!/usr/bin/python3
# test-flatpak.py: the Flatpak manifest agrees with meson, is built on a supported runtime from
# pinned sources, ships every module's licence and asks for nothing more than needed
#
# Usage: test-flatpak.py SOURCE-ROOT APP-ID EXECUTABLE VERSION
#
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import glob
import json
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ElementTree

ROOT, APP_ID, EXECUTABLE, VERSION = sys.argv[1:5]
del sys.argv[1:5]
FLATPAK = os.path.join(ROOT, 'flatpak')
METAINFO = os.path.join(ROOT, 'data', APP_ID + '.metainfo.xml.in')

# GNOME runtimes: (stable release, end of life). Releases from GNOME's release calendar
# (release.gnome.org; the days of 50.0 and 51.0 approximate). End of life as Flathub's
# notices say it ("The GNOME N runtime is no longer supported as of ..."); where none has been
# seen yet, Flathub's rule (docs.flathub.org, "Runtimes": a branch is supported for about a
# year and EOL-ed upon a new stable release): the day GNOME N+2 is released, or a year after N
# when that date is not known either.
D = datetime.date
GNOME_RUNTIMES = {
    40: (D(2021, 3, 24), D(2022, 3, 21)),
    41: (D(2021, 9, 22), D(2022, 9, 17)),
    42: (D(2022, 3, 23), D(2023, 3, 21)),
    43: (D(2022, 9, 21), D(2023, 9, 20)),
    44: (D(2023, 3, 22), D(2024, 3, 20)),
    45: (D(2023, 9, 20), D(2024, 9, 18)),
    46: (D(2024, 3, 20), D(2025, 4, 17)),
    47: (D(2024, 9, 18), D(2025, 10, 15)),
    48: (D(2025, 3, 19), D(2026, 3, 24)),
    49: (D(2025, 9, 17), None),
    50: (D(2026, 3, 18), None),
    51: (D(2026, 9, 16), None),
}


def end_of_life(version):
    released, eol = GNOME_RUNTIMES[version]
    if eol is not None:
        return eol
    if version + 2 in GNOME_RUNTIMES:
        return GNOME_RUNTIMES[version + 2][0]
    return released + datetime.timedelta(days=365)


def end_of_life_at(day):
    return sorted(v for v in GNOME_RUNTIMES if end_of_life(v) <= day)


# Each permission and why; README ("Flatpak") and SECURITY.md explain each one too.
ALLOWED_FINISH_ARGS = {
    '--share=network',                             # the checks are HTTP requests
    '--socket=wayland',                            # the windows on Wayland
    '--socket=fallback-x11',                       # the windows on X11 sessions only
    '--share=ipc',                                 # X11 shared memory
    '--talk-name=org.kde.StatusNotifierWatcher',   # registering the tray icon
    # The Spotify players' PlaybackStatus and Play (MPRIS): resuming the music a problem stopped
    '--talk-name=org.mpris.MediaPlayer2.spotify',
    '--talk-name=org.mpris.MediaPlayer2.spotifyd.*',
    '--talk-name=org.mpris.MediaPlayer2.ncspot.*',
    '--talk-name=org.mpris.MediaPlayer2.spotify_player',
    '--system-talk-name=org.freedesktop.login1',   # PrepareForSleep: a check at once on resume
}

# Talked to without a permission: the bus itself, the portals (notifications through libnotify,
# start at login, network status, opening links) and the application's own name.
UNGRANTED_NAMES = ('org.freedesktop.DBus', 'org.freedesktop.portal.', APP_ID)

LICENCE_DIR = '$FLATPAK_DEST/share/licenses/$FLATPAK_ID/'


def load(name):
    with open(os.path.join(FLATPAK, name)) as file:
        return json.load(file)


def modules(module, parents=()):
    """Every module with the chain of modules that contain it, included files read."""
    for child in module.get('modules', []):
        if isinstance(child, str):
            child = load(child)
        yield child, parents
        yield from modules(child, parents + (child,))


def ships_nothing(module, parents):
    return any(m.get('cleanup') == ['*'] for m in (module,) + parents)


class Manifest(unittest.TestCase):
    def setUp(self):
        self.manifest = load(APP_ID + '.json')
        self.modules = list(modules(self.manifest))

    def test_agrees_with_meson(self):
        self.assertEqual(self.manifest['id'], APP_ID)
        self.assertEqual(self.manifest['command'], EXECUTABLE)
        self.assertEqual(self.manifest['runtime'], 'org.gnome.Platform')
        self.assertEqual(self.manifest['sdk'], 'org.gnome.Sdk')
        app = self.manifest['modules'][-1]
        self.assertEqual(app['name'], 'downbeat')
        self.assertEqual(app['buildsystem'], 'meson')
        self.assertEqual(app['sources'], [{'type': 'dir', 'path': '..'}])
        self.assertEqual(self.manifest['modules'][0], 'appindicator.json')

    def test_runtime_supported_when_this_version_ships(self):
        shipped = datetime.date.fromisoformat(self.release().get('date'))
        self.assertRegex(self.manifest['runtime-version'], r'^\d+$')
        runtime = int(self.manifest['runtime-version'])
        self.assertIn(runtime, GNOME_RUNTIMES, 'add the runtime to GNOME_RUNTIMES, with its source')
        self.assertNotIn(runtime, end_of_life_at(shipped),
                         f'GNOME {runtime} is end-of-life on {shipped}')
        released = [v for v, (day, _) in GNOME_RUNTIMES.items() if day <= shipped]
        self.assertEqual(runtime, max(released),
                         f'the newest GNOME runtime released by {shipped} is {max(released)}')

    def test_end_of_life_table(self):
        self.assertEqual(end_of_life_at(D(2026, 12, 3)), list(range(40, 50)))
        self.assertEqual(end_of_life(51), D(2027, 9, 16))

    def test_asks_for_nothing_more(self):
        finish_args = self.manifest['finish-args']
        self.assertEqual(len(finish_args), len(set(finish_args)))
        self.assertEqual(set(finish_args), ALLOWED_FINISH_ARGS)

    def test_each_permission_explained(self):
        with open(os.path.join(ROOT, 'README.md')) as file:
            readme = file.read().split('\n## Flatpak\n', 1)[1].split('\n## ', 1)[0]
        with open(os.path.join(ROOT, 'SECURITY.md')) as file:
            security = file.read()
        for arg in self.manifest['finish-args']:
            self.assertTrue(f'`{arg}`' in readme, f'README, "Flatpak", does not explain {arg}')
            self.assertTrue(f'| `{arg}` |' in security, f'SECURITY.md does not explain {arg}')

    def test_every_bus_name_in_the_code_is_granted(self):
        granted = [arg.split('=', 1)[1] for arg in self.manifest['finish-args']
                   if arg.startswith(('--talk-name=', '--system-talk-name='))]
        names = set()
        for path in glob.glob(os.path.join(ROOT, 'src', '**', '*.c'), recursive=True):
            with open(path) as file:
                names |= set(re.findall(r'"((?:org\.freedesktop|org\.kde)\.[A-Za-z0-9_.]+)"',
                                        file.read()))
        self.assertIn('org.kde.StatusNotifierWatcher', names)
        for name in names:
            self.assertTrue(name.startswith(UNGRANTED_NAMES)
                            or any(name == g or name.startswith(g + '.') for g in granted),
                            f'{name} is talked to but not granted')

    def test_every_player_followed_is_granted(self):
        granted = [arg.split('=', 1)[1] for arg in self.manifest['finish-args']
                   if arg.startswith('--talk-name=org.mpris.')]
        with open(os.path.join(ROOT, 'src', 'desktop', 'downbeat-players.c')) as file:
            players = re.search(r'players\[\] = \{([^}]*)\}', file.read()).group(1)
        names = re.findall(r'"([^"]+)"', players)
        self.assertIn('spotify', names)
        # A wildcard grants the name itself and its instances (spotifyd.instance1234).
        for name in names:
            self.assertTrue({f'org.mpris.MediaPlayer2.{name}', f'org.mpris.MediaPlayer2.{name}.*'}
                            & set(granted), f'the player {name} is followed but not granted')
        self.assertEqual(len(granted), len(names), 'a player granted but not followed')

    def test_sources_are_pinned(self):
        app = self.manifest['modules'][-1]
        for module, _ in self.modules:
            for source in module['sources'] if module is not app else []:
                if source['type'] == 'git':
                    self.assertRegex(source.get('commit', ''), r'^[0-9a-f]{40}$', module['name'])
                elif source['type'] in ('archive', 'file'):
                    self.assertRegex(source.get('sha256', ''), r'^[0-9a-f]{64}$', module['name'])
                else:
                    self.assertEqual(source['type'], 'patch', module['name'])

    def test_licences_installed(self):
        self.assertTrue(os.path.isfile(os.path.join(ROOT, 'COPYING')))
        names = set()
        for module, parents in self.modules:
            name = module['name']
            names.add(name)
            if ships_nothing(module, parents):
                continue
            commands = [c for c in module.get('post-install', [])
                        if c.startswith('install ') and f'{LICENCE_DIR}{name}"' in c]
            self.assertEqual(len(commands), 1, f'{name} installs no licence')
            self.assertRegex(commands[0], r'/(COPYING|LICENSE)[^/ ]*$', name)
            for owner in (self.manifest, module) + parents:
                for pattern in owner.get('cleanup', []):
                    self.assertFalse('/share/licenses/'.startswith(pattern.rstrip('/') + '/'),
                                     f'{owner.get("name", "the app")} cleans up {pattern}')
        self.assertLessEqual({'downbeat', 'libayatana-appindicator', 'libdbusmenu', 'ayatana-ido',
                              'libayatana-indicator'}, names)

    def test_app_id_matches_desktop_file_and_metainfo(self):
        with open(os.path.join(ROOT, 'data', APP_ID + '.desktop.in')) as file:
            self.assertIn(f'\nIcon={APP_ID}\n', file.read())
        metainfo = ElementTree.parse(METAINFO)
        self.assertEqual(metainfo.find('id').text, APP_ID)
        self.assertEqual(metainfo.find('launchable').text, APP_ID + '.desktop')

    def test_release_agrees_with_meson(self):
        self.assertEqual(self.release().get('version'), VERSION)

    def release(self):
        return ElementTree.parse(METAINFO).find('releases/release')


if __name__ == '__main__':
    unittest.main(verbosity=2)
