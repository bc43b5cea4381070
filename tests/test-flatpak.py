#!/usr/bin/python3
# test-flatpak.py: the Flatpak manifest agrees with meson, and asks for nothing more than needed
#
# Usage: test-flatpak.py SOURCE-ROOT APP-ID EXECUTABLE VERSION
#
# SPDX-License-Identifier: GPL-3.0-or-later

import configparser
import json
import os
import sys
import unittest
import xml.etree.ElementTree as ElementTree

ROOT, APP_ID, EXECUTABLE, VERSION = sys.argv[1:5]
del sys.argv[1:5]
FLATPAK = os.path.join(ROOT, 'flatpak')


def load(name):
    with open(os.path.join(FLATPAK, name)) as file:
        return json.load(file)


class Manifest(unittest.TestCase):
    def setUp(self):
        self.manifest = load(APP_ID + '.json')

    def test_agrees_with_meson(self):
        self.assertEqual(self.manifest['id'], APP_ID)
        self.assertEqual(self.manifest['command'], EXECUTABLE)
        self.assertEqual(self.manifest['runtime'], 'org.gnome.Platform')
        self.assertEqual(self.manifest['sdk'], 'org.gnome.Sdk')
        self.assertRegex(self.manifest['runtime-version'], r'^\d+$')
        app = self.manifest['modules'][-1]
        self.assertEqual(app['name'], 'downbeat')
        self.assertEqual(app['buildsystem'], 'meson')
        self.assertEqual(app['sources'], [{'type': 'dir', 'path': '..'}])

    def test_asks_for_nothing_more(self):
        self.assertEqual(sorted(self.manifest['finish-args']), sorted([
            '--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11',
            '--talk-name=org.kde.StatusNotifierWatcher']))

    def test_appindicator_stack(self):
        first = self.manifest['modules'][0]
        self.assertIsInstance(first, str)
        submodules = configparser.ConfigParser()
        submodules.read(os.path.join(ROOT, '.gitmodules'))
        paths = [submodules[section]['path'] for section in submodules.sections()]
        # Either Flathub's shared-modules (a submodule) or our own definitions beside it.
        self.assertTrue(first == 'appindicator.json'
                        or any(os.path.join('flatpak', first).startswith(p + '/') for p in paths),
                        first)

    def test_own_stack_is_pinned(self):
        stack = load('appindicator.json')
        modules = {module['name']: module for module in stack['modules']}
        self.assertEqual(stack['name'], 'libayatana-appindicator')
        for name in ('libdbusmenu', 'ayatana-ido', 'libayatana-indicator'):
            self.assertIn(name, modules)
        for module in [stack] + stack['modules']:
            for source in module['sources']:
                self.assertTrue('tag' in source or 'sha256' in source, module['name'])

    def test_release_agrees_with_meson(self):
        metainfo = ElementTree.parse(os.path.join(ROOT, 'data', APP_ID + '.metainfo.xml.in'))
        self.assertEqual(metainfo.find('id').text, APP_ID)
        newest = metainfo.find('releases/release')
        self.assertEqual(newest.get('version'), VERSION)


if __name__ == '__main__':
    unittest.main(verbosity=2)
