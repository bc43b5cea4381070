#!/usr/bin/python3
# test-listing.py: the metainfo and the desktop file meet Flathub's quality guidelines, and the
# Debian changelog names this version
#
# Usage: test-listing.py SOURCE-ROOT APP-ID VERSION
#
# SPDX-License-Identifier: GPL-3.0-or-later

import configparser
import os
import re
import struct
import sys
import unittest
import xml.etree.ElementTree as ElementTree

ROOT, APP_ID, VERSION = sys.argv[1:4]
del sys.argv[1:4]
DATA = os.path.join(ROOT, 'data')
NOT_AFFILIATED = 'Downbeat is not affiliated with, endorsed by or sponsored by Spotify.'


def png_size(path):
    with open(path, 'rb') as file:
        header = file.read(24)
    assert header[:8] == b'\x89PNG\r\n\x1a\n', path + ' is not a PNG'
    return struct.unpack('>II', header[16:24])


class Metainfo(unittest.TestCase):
    def setUp(self):
        self.root = ElementTree.parse(os.path.join(DATA, APP_ID + '.metainfo.xml.in')).getroot()

    def test_summary_is_short(self):
        summary = self.root.findtext('summary')
        self.assertLessEqual(len(summary), 35, summary)

    def test_brand_colours_for_light_and_dark(self):
        colours = {colour.get('scheme_preference'): colour.text
                   for colour in self.root.findall('branding/color[@type="primary"]')}
        self.assertEqual(set(colours), {'light', 'dark'})
        for colour in colours.values():
            self.assertRegex(colour, r'^#[0-9a-f]{6}$')

    def test_screenshots_are_small_captioned_and_in_the_repository(self):
        homepage = self.root.findtext('url[@type="homepage"]')
        owner_name = re.fullmatch(r'https://github\.com/([^/]+/[^/]+)', homepage).group(1)
        base = 'https://raw.githubusercontent.com/%s/main/' % owner_name
        screenshots = self.root.findall('screenshots/screenshot')
        self.assertIn(len(screenshots), (3, 4))
        self.assertEqual([s.get('type') for s in screenshots].count('default'), 1)
        for screenshot in screenshots:
            self.assertTrue(screenshot.findtext('caption'))
            image = screenshot.find('image')
            self.assertTrue(image.text.startswith(base), image.text)
            path = os.path.join(ROOT, image.text[len(base):])
            width, height = png_size(path)
            self.assertLessEqual(width, 1000, path)
            self.assertLessEqual(height, 700, path)
            self.assertEqual((image.get('width'), image.get('height')), (str(width), str(height)))

    def test_says_it_is_not_affiliated(self):
        self.assertIn(NOT_AFFILIATED, [p.text for p in self.root.findall('description/p')])

    def test_release_notes_for_this_version(self):
        release = self.root.find('releases/release')
        self.assertEqual(release.get('version'), VERSION)
        self.assertTrue(release.findall('description/p'))


class Desktop(unittest.TestCase):
    def test_generic_name_is_not_spotifys(self):
        desktop = configparser.ConfigParser(interpolation=None)
        desktop.optionxform = str
        desktop.read(os.path.join(DATA, APP_ID + '.desktop.in'))
        self.assertNotIn('Spotify', desktop['Desktop Entry']['GenericName'])


class Elsewhere(unittest.TestCase):
    def test_readme_says_it_is_not_affiliated(self):
        with open(os.path.join(ROOT, 'README.md')) as file:
            self.assertTrue(NOT_AFFILIATED in file.read(), 'README.md does not say it')

    def test_debian_changelog_is_this_version(self):
        with open(os.path.join(ROOT, 'debian', 'changelog')) as file:
            self.assertRegex(file.readline(), r'^downbeat \(%s\) ' % re.escape(VERSION))


if __name__ == '__main__':
    unittest.main(verbosity=2)
