#!/usr/bin/python3
# test-translations.py: every translatable string reaches the template, and every language
# translates all of it
#
# Usage: test-translations.py SOURCE-ROOT
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = sys.argv.pop(1)
PO = os.path.join(ROOT, 'po')

# As meson's i18n.gettext(preset: 'glib') calls xgettext.
XGETTEXT = [
    'xgettext', '--from-code=UTF-8', '--add-comments', '--package-name=downbeat',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format',
]


def read(path):
    with open(path, encoding='utf-8') as file:
        return file.read()


def potfiles():
    return [line.strip() for line in read(os.path.join(PO, 'POTFILES.in')).splitlines()
            if line.strip() and not line.startswith('#')]


def languages():
    return read(os.path.join(PO, 'LINGUAS')).split()


class Translations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory(prefix='downbeat-pot-')
        cls.pot = os.path.join(cls.directory.name, 'downbeat.pot')
        subprocess.run(XGETTEXT + ['--directory=' + ROOT, '--output=' + cls.pot] + potfiles(),
                       check=True)

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def test_every_source_with_strings_is_listed(self):
        listed = set(potfiles())
        for directory in ('src', 'src/engine', 'src/desktop', 'data'):
            for name in sorted(os.listdir(os.path.join(ROOT, directory))):
                path = os.path.join(directory, name)
                if not os.path.isfile(os.path.join(ROOT, path)):
                    continue
                text = read(os.path.join(ROOT, path)) if not name.endswith('.png') else ''
                translatable = (
                    (name.endswith('.c') and re.search(r'\b(_|N_|C_|ngettext)\s*\(', text))
                    or (name.endswith('.ui') and 'translatable="yes"' in text)
                    or name.endswith('.desktop.in') or name.endswith('.metainfo.xml.in')
                    or name.endswith('.gschema.xml'))
                if translatable:
                    self.assertIn(path, listed, f'{path} has strings but is not in POTFILES.in')

    def test_every_language_is_complete(self):
        self.assertGreaterEqual(set(languages()), {'de', 'es', 'fr', 'pt_BR', 'sv'})
        for language in languages():
            with self.subTest(language=language):
                po = os.path.join(PO, language + '.po')
                merged = subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching',
                                         '--output-file=-', po, self.pot],
                                        check=True, capture_output=True).stdout
                statistics = subprocess.run(['msgfmt', '--check', '--statistics',
                                             '--output-file=/dev/null', '-'],
                                            input=merged, check=True,
                                            capture_output=True).stderr.decode()
                self.assertNotIn('untranslated', statistics, f'{language}: {statistics}')
                self.assertNotIn('fuzzy', statistics, f'{language}: {statistics}')

    def test_one_way_to_write_a_percentage(self):
        '''A language writes "97.2 %" or "97.2%" throughout: the window shows its shares side by
        side.'''
        for language in languages():
            with self.subTest(language=language):
                texts = re.findall(r'^msgstr "(.*)"$', read(os.path.join(PO, language + '.po')),
                                   re.M)
                ways = {way for text in texts for way in re.findall(r'%\.1f( ?)%%', text)}
                self.assertLessEqual(len(ways), 1, f'{language}: "%.1f%%" and "%.1f %%" both')

    def test_every_po_file_compiles(self):
        for language in languages():
            with self.subTest(language=language):
                subprocess.run(['msgfmt', '--check', '--output-file=/dev/null',
                                os.path.join(PO, language + '.po')], check=True)


if __name__ == '__main__':
    unittest.main(verbosity=2)
