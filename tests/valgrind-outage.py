#!/usr/bin/python3
# valgrind-outage.py: the outage scenario of the desktop tests, with downbeat under memcheck
#
# Run by hand through build-aux/valgrind. Up, down, up again, then SIGTERM; valgrind's report
# goes to the file named by VALGRIND_LOG.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from desktop import Downbeat, FakeSpotify, Notifications, Watcher, bus, pump  # noqa: E402

directory = tempfile.TemporaryDirectory(prefix='downbeat-valgrind-')
watcher = Watcher(bus())
notifications = Notifications()
fake = FakeSpotify(directory.name)
app = Downbeat(fake.service, '--interval', '2', '--autostart', env={'G_SLICE': 'always-malloc'})
try:
    watcher.wait_for_icon('operational', timeout=120)
    fake.set_probes('fail')
    watcher.wait_for_icon('outage', timeout=120)
    fake.set_probes('ok')
    watcher.wait_for_icon('operational', timeout=120)
    pump(5)
    print('notifications:', notifications.summaries(), flush=True)
finally:
    app.process.terminate()
    app.process.wait(timeout=120)
    fake.stop()
    notifications.stop()
    watcher.stop()
sys.exit(app.process.returncode)
