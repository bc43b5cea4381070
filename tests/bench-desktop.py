#!/usr/bin/python3
# bench-desktop.py: what the running app costs, and how fast it tells of an outage
#
# Run by hand through build-aux/bench-desktop (a session bus, Xvfb, a tray watcher, a
# notification daemon and the fake Spotify, as in the desktop tests). Prints:
#   - start → tray item registered and → first check on the bus, to the millisecond, at login
#     (--autostart) and launched (the window built first);
#   - resident and private dirty memory of the idle app beside bench-floor, a minimal program on
#     the same libraries that shows one AppIndicator and makes a GET every 2 s, GL off for both
#     (goal: at most 1.05 times the floor), and where the difference lies, mapping by mapping:
#     libraries, malloc's heap and arenas, each thread's stack by the thread's name. Over HTTPS
#     as in real use (build-aux/bench-desktop makes the certificates and has both programs trust
#     them), and again over plain HTTP unless --no-plain-http;
#   - CPU time per idle hour at the default 60 s interval (goal: at most 1 s);
#   - outage onset to notification at default settings (goal: at most 75 s worst case),
#     over outages shared among --sessions test sessions side by side, each with a bus, a tray,
#     a notification server, a fake and a downbeat of its own;
#   - notifications raised while every endpoint fails every other request (goal: none);
#   - the lead over Spotify's page: each scripted outage's page acknowledges it late (a major
#     incident after --page-lag seconds), and the app's own record of when it noticed the
#     outage and when the page acknowledged it gives the lead it tells of.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SESSION_CONF = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'session.conf')

from desktop import (APP_PATH, ICON, Downbeat, FakeSpotify, Notifications,  # noqa: E402
                     Watcher, bus, pump, wait_for)
from gi.repository import GLib  # noqa: E402


def cpu_seconds(pid):
    '''Time on a CPU, from the scheduler: exact, unlike the 10 ms ticks of /proc/PID/stat.'''
    with open(f'/proc/{pid}/schedstat') as schedstat:
        return int(schedstat.read().split()[0]) / 1e9


GLIBC_HEAP = 64 << 20   # a malloc arena other than the main one: 64 MiB reserved, so aligned


def mappings(pid):
    '''Each mapping of @pid: its start, end, permissions, name and smaps fields (kB).'''
    found = []
    with open(f'/proc/{pid}/smaps') as smaps:
        for line in smaps:
            fields = line.split()
            if not fields[0].endswith(':'):
                start, end = (int(bound, 16) for bound in fields[0].split('-'))
                found.append({'start': start, 'end': end, 'perms': fields[1],
                              'name': ' '.join(fields[5:]), 'kB': {}})
            elif len(fields) >= 2 and fields[1].isdigit():
                found[-1]['kB'][fields[0][:-1]] = int(fields[1])
    return found


def thread_stacks(pid):
    '''Where each thread of @pid has its stack pointer, by thread name (its comm): read from
    /proc/PID/task/TID/syscall, whose second-to-last field is the stack pointer.'''
    stacks = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{tid}/comm') as comm:
                name = comm.read().strip()
            with open(f'/proc/{pid}/task/{tid}/syscall') as syscall:
                fields = syscall.read().split()
        except OSError:
            continue
        if len(fields) >= 3 and tid != str(pid):
            stacks[int(fields[-2], 16)] = name
    return stacks


def breakdown(pid):
    '''Resident and private dirty KiB of @pid by what holds them: each library or file, the
    main thread's stack, each other thread's stack by the thread's name, malloc's main heap, its
    other arenas, and other anonymous mappings.'''
    stacks = thread_stacks(pid)
    parts = {}
    for mapping in mappings(pid):
        name = mapping['name']
        if name.startswith('/'):
            what = os.path.basename(name)
        elif name == '[heap]':
            what = 'heap (malloc main arena)'
        elif name == '[stack]':
            what = 'stack: main thread'
        elif name:
            what = name
        else:
            owners = [thread for sp, thread in stacks.items()
                      if mapping['start'] <= sp < mapping['end']]
            if owners:
                what = 'stack: ' + ', '.join(sorted(owners))
            elif mapping['start'] % GLIBC_HEAP == 0 and mapping['perms'].startswith('rw'):
                what = 'malloc arenas (other threads)'
            else:
                what = 'anonymous (mmap: large allocations, caches, GL, …)'
        rss, dirty = parts.get(what, (0, 0))
        parts[what] = (rss + mapping['kB'].get('Rss', 0),
                       dirty + mapping['kB'].get('Private_Dirty', 0))
    return parts


def totals(parts):
    '''Resident and private dirty MiB of a breakdown().'''
    return (sum(rss for rss, _ in parts.values()) / 1024,
            sum(dirty for _, dirty in parts.values()) / 1024)


def print_breakdown(floor, app, over):
    '''What downbeat holds beyond the floor, by what holds it, largest first: 64 KiB or more,
    and every thread stack and malloc arena whatever its size.'''
    print(f'{"where downbeat holds more, " + over:44} {"resident":>12} {"private dirty":>14}')
    rows = []
    for what in set(floor) | set(app):
        floor_rss, floor_dirty = floor.get(what, (0, 0))
        app_rss, app_dirty = app.get(what, (0, 0))
        rows.append((app_rss - floor_rss, app_dirty - floor_dirty, what))
    rows.sort(key=lambda row: -max(abs(row[0]), abs(row[1])))
    for rss, dirty, what in rows:
        if max(abs(rss), abs(dirty)) >= 64 or what.startswith(('stack', 'malloc', 'heap')):
            print(f'  {what[:42]:42} {rss:+9d} KiB {dirty:+10d} KiB')


def count(notifications, summary):
    return notifications.summaries().count(summary)


def sightings(app):
    '''The app's record of when it noticed each problem and when Spotify's page acknowledged
    it: (kind, unix time), oldest first.'''
    path = app.history
    with sqlite3.connect(f'file:{path}?mode=ro', uri=True) as db:
        return db.execute('SELECT kind, at FROM sightings ORDER BY at, rowid').fetchall()


def measure_outages(app, fake, watcher, notifications, options):
    '''Seconds from each scripted outage to its notification, how many recoveries were not
    notified within 200 s, and the lead the app recorded over a page that acknowledged each
    outage --page-lag seconds after it began.'''
    latencies, leads, lags = [], [], []
    missed = 0
    label = options.session_label
    low, high = (int(bound) for bound in options.page_lag.split('-'))
    for trial in range(options.outages):
        # Onsets at random points of the poll cycle: the worst case is just after a check.
        pump(random.uniform(0, 60))
        downs = count(notifications, 'Spotify is down')
        backs = count(notifications, 'Spotify is back')
        onset = time.monotonic()
        fake.set_probes('fail')
        wait_for(lambda: count(notifications, 'Spotify is down') > downs, 200, 'the outage')
        latencies.append(time.monotonic() - onset)
        print(f'{label}outage {trial + 1}: notified after {latencies[-1]:.1f} s',
              file=sys.stderr, flush=True)

        # Spotify's page says so late; the notification then tells the lead, in place.
        lags.append(random.uniform(low, high))
        pump(max(0, onset + lags[-1] - time.monotonic()))
        shown = len(notifications.shown())
        fake.set('summary', 'major')
        try:
            wait_for(lambda: any('status page' in n['body']
                                 for n in notifications.shown()[shown:]), 200, 'the lead')
            seen = dict(sightings(app)[-2:])
            leads.append(seen['acknowledged'] - seen['noticed'])
            print(f'{label}outage {trial + 1}: page {lags[-1]:.0f} s late, '
                  f'lead told {leads[-1]} s', file=sys.stderr, flush=True)
        except (AssertionError, KeyError):
            print(f'{label}outage {trial + 1}: no lead told; sightings {sightings(app)[-2:]}',
                  file=sys.stderr, flush=True)
        fake.set('summary', 'ok')
        fake.set_probes('ok')
        try:
            wait_for(lambda: count(notifications, 'Spotify is back') > backs, 200, 'the recovery')
        except AssertionError:
            missed += 1
            print(f'{label}outage {trial + 1}: no recovery notified within 200 s; the icon is '
                  f'{watcher.icon()}, the last notifications {notifications.summaries()[-3:]}',
                  file=sys.stderr, flush=True)
    return latencies, missed, leads, lags


def start_sessions(options):
    '''Outages take minutes each at the default interval: they run in sessions of their own
    (a bus, a tray, a notification server, a fake and a downbeat each), side by side.'''
    sessions = []
    for index in range(options.sessions):
        share = options.outages // options.sessions + (index < options.outages % options.sessions)
        if share > 0:
            sessions.append(subprocess.Popen(
                ['dbus-run-session', '--config-file=' + SESSION_CONF, '--', sys.executable,
                 os.path.abspath(__file__),
                 '--session-label', f'session {index + 1}, ', '--outages', str(share),
                 '--page-lag', options.page_lag],
                stdout=subprocess.PIPE, text=True))
    return sessions


def gather_sessions(sessions):
    '''The latencies of every session, how many recoveries went unnotified, and how many
    sessions failed outright.'''
    latencies, leads, lags, missed, stalls, lost, failed = [], [], [], 0, 0, 0, 0
    for session in sessions:
        output, _ = session.communicate()
        # The line of our own among whatever else the session's programs printed.
        outcomes = [json.loads(line.removeprefix('outcome: '))
                    for line in output.splitlines() if line.startswith('outcome: ')]
        if session.returncode != 0 or not outcomes:
            failed += 1
            continue
        latencies += outcomes[0]['latencies']
        leads += outcomes[0]['leads']
        lags += outcomes[0]['lags']
        missed += outcomes[0]['missed']
        stalls += outcomes[0]['stalls']
        lost += outcomes[0]['lost']
    return latencies, leads, lags, missed, stalls, lost, failed


def measure_starts(fake, watcher, runs, *args):
    '''Seconds from starting downbeat with @args (fresh state, default settings) to its tray item
    registered with the watcher, and to its first check on the bus (the Status interface's
    LastCheck changing from 0), for each of @runs starts. The main loop blocks on the bus
    between events, so each moment is taken as it arrives, to the millisecond.'''
    context = GLib.MainContext.default()
    registered, checked = [], []
    for _ in range(runs):
        moments = {}

        def on_properties(interface, changed, invalidated):
            if changed.get('LastCheck', 0) != 0:
                moments.setdefault('checked', time.monotonic())

        receiver = bus().add_signal_receiver(on_properties, 'PropertiesChanged',
                                             'org.freedesktop.DBus.Properties', path=APP_PATH)
        watcher.items.clear()
        timeout = GLib.timeout_add(100, lambda: True)
        start = time.monotonic()
        app = Downbeat(fake.service, *args)
        while 'checked' not in moments and time.monotonic() - start < 30:
            context.iteration(True)
            if watcher.items:
                moments.setdefault('registered', time.monotonic())
        GLib.source_remove(timeout)
        receiver.remove()
        app.stop()
        registered.append(moments['registered'] - start)
        checked.append(moments['checked'] - start)
    watcher.items.clear()
    return registered, checked


def start_downbeat(fake, watcher, stderr=None):
    # Default settings: no --interval, the schema's 60 s, 10 s recheck and 3 confirmations.
    # Started at login: in the tray, without its window.
    app = Downbeat(fake.service, '--autostart', stderr=stderr)
    watcher.wait_for_icon('operational', timeout=30)
    return app


def measure_floor(fake, watcher):
    '''bench-floor's breakdown() after 10 s in the tray, asking the fake's control address
    every 2 s. It says nothing of a request that failed: the fake counts those answered, which
    over HTTPS means a TLS handshake completed.'''
    asked = fake.hits('control')
    floor = subprocess.Popen([os.environ['BENCH_FLOOR'], f'{fake.base}/control'],
                             env=dict(os.environ, NO_AT_BRIDGE='1'))
    wait_for(lambda: watcher.items, 30, 'the floor program in the tray')
    pump(10)
    parts = breakdown(floor.pid)
    floor.terminate()
    floor.wait()
    watcher.items.clear()
    if fake.hits('control') - asked < 3:
        sys.exit(f'bench-floor was not answered by {fake.base}: no figure is taken')
    return parts


def measure_idle(fake, watcher, seconds):
    '''The idle app's breakdown() after a full poll interval and @seconds more, and its CPU
    seconds over those @seconds. Checked first: every check since its first one passed (each
    one's requests answered by the fake, so over HTTPS each TLS handshake completed).'''
    app = start_downbeat(fake, watcher)
    asked = fake.hits('ap')
    scheme = fake.base.split(':')[0]
    print(f'warming up for 70 s (one full poll interval) over {scheme}…', flush=True)
    pump(70)
    start_cpu = cpu_seconds(app.process.pid)
    start = time.monotonic()
    if seconds:
        print(f'measuring idle CPU for {seconds} s…', flush=True)
        pump(seconds)
    cpu = (cpu_seconds(app.process.pid) - start_cpu) * 3600 / (time.monotonic() - start)
    parts = breakdown(app.process.pid)
    with sqlite3.connect(f'file:{app.history}?mode=ro', uri=True) as db:
        results, passed = db.execute('SELECT count(*), sum(ok) FROM probe_results').fetchone()
    if fake.hits('ap') - asked < 1 or results != passed or watcher.icon() != ICON + 'operational':
        sys.exit(f'downbeat did not check {fake.base} as it should ({passed} of {results} '
                 f'requests passed, the icon {watcher.icon()}): no figure is taken')
    return app, parts, cpu


def print_memory(floor_parts, app_parts, over):
    floor_rss, floor_dirty = totals(floor_parts)
    app_rss, app_dirty = totals(app_parts)
    print()
    print_breakdown(floor_parts, app_parts, over)
    print()
    print(f'{"resident, bench-floor, " + over:44} {floor_rss:8.1f} MiB')
    print(f'{"resident, downbeat idle, " + over:44} {app_rss:8.1f} MiB'
          f'   {app_rss / floor_rss:.3f}× the floor (goal ≤ 1.05×)')
    print(f'{"private dirty, bench-floor, " + over:44} {floor_dirty:8.1f} MiB')
    print(f'{"private dirty, downbeat idle, " + over:44} {app_dirty:8.1f} MiB'
          f'   {app_dirty / floor_dirty:.3f}× the floor (goal ≤ 1.05×)')


def run_session(options):
    '''One session of outages, inside its own dbus-run-session: prints their outcome.'''
    directory = tempfile.TemporaryDirectory(prefix='downbeat-bench-')
    watcher = Watcher(bus())
    notifications = Notifications()
    fake = FakeSpotify(directory.name)
    log = open(os.path.join(directory.name, 'downbeat.log'), 'w+')
    app = start_downbeat(fake, watcher, stderr=log)
    pump(random.uniform(0, 60))
    latencies, missed, leads, lags = measure_outages(app, fake, watcher, notifications, options)
    # What the app said of itself: a watchdog firing is a stall, a cycle ending without some
    # of its requests is libsoup losing them (harmless now, but counted).
    for part in (app, fake, notifications, watcher):
        part.stop()
    log.seek(0)
    said = log.read()
    print(said, file=sys.stderr, end='', flush=True)
    print('outcome:', json.dumps({'latencies': latencies, 'leads': leads, 'lags': lags,
                                  'missed': missed,
                                  'stalls': said.count('No check started'),
                                  'lost': said.count('had not ended')}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--idle-seconds', type=int, default=600,
                        help='how long to measure idle CPU (default 600)')
    parser.add_argument('--outages', type=int, default=5,
                        help='scripted outages for the detection latency (default 5)')
    parser.add_argument('--sessions', type=int, default=5,
                        help='test sessions the outages are shared among, side by side (default 5)')
    parser.add_argument('--starts', type=int, default=10,
                        help='starts to time, to the tray item and the first check (default 10)')
    parser.add_argument('--flapping-seconds', type=int, default=300,
                        help='how long the endpoints fail every other request (default 300)')
    parser.add_argument('--page-lag', default='180-420',
                        help="seconds after each outage's onset that Spotify's page "
                             'acknowledges it, drawn between the bounds (default 180-420)')
    parser.add_argument('--no-plain-http', action='store_true',
                        help='measure memory over HTTPS only, not over plain HTTP as well')
    parser.add_argument('--session-label', help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.session_label is not None:
        run_session(options)
        return

    directory = tempfile.TemporaryDirectory(prefix='downbeat-bench-')
    watcher = Watcher(bus())
    notifications = Notifications()
    fake = FakeSpotify(directory.name, os.environ['BENCH_CERTIFICATES'])

    # At login (--autostart) the tray item is all there is; launched, the window is built first.
    starts = {'at login': measure_starts(fake, watcher, options.starts, '--autostart'),
              'launched': measure_starts(fake, watcher, options.starts)}

    # Over plain HTTP, as the bench measured before its fake spoke HTTPS: neither program then
    # loads the TLS stack, but downbeat still maps Nettle and GMP for the access points'
    # handshake.
    plain = None
    if not options.no_plain_http:
        plain_directory = tempfile.TemporaryDirectory(prefix='downbeat-bench-')
        plain_fake = FakeSpotify(plain_directory.name)
        plain_floor = measure_floor(plain_fake, watcher)
        plain_app, plain_parts, _ = measure_idle(plain_fake, watcher, 0)
        plain_app.stop()
        plain_fake.stop()
        plain = (plain_floor, plain_parts)

    floor_parts = measure_floor(fake, watcher)
    app, app_parts, per_hour = measure_idle(fake, watcher, options.idle_seconds)

    # Only now: other processes on the same libraries would share their pages with these two,
    # and what is shared is not private.
    sessions = start_sessions(options)

    # Flapping: every endpoint fails every other request. Nothing may be notified.
    print(f'flapping for {options.flapping_seconds} s…', flush=True)
    before = len(notifications.summaries())
    fake.set_probes('flaky')
    pump(options.flapping_seconds)
    false_alarms = len(notifications.summaries()) - before
    fake.set_probes('ok')

    for part in (app, fake, notifications, watcher):
        part.stop()

    print(f'waiting for the outages of {len(sessions)} sessions…', flush=True)
    latencies, leads, lags, missed, stalls, lost, failed = gather_sessions(sessions)

    if plain:
        print_memory(*plain, 'plain HTTP')
    print_memory(floor_parts, app_parts, 'HTTPS')
    for how, (registered, checked) in starts.items():
        if not registered:
            continue
        for label, spans in ((f'{how} → tray item registered', registered),
                             (f'{how} → first check on the bus', checked)):
            print(f'{label + ", median":44} {statistics.median(spans) * 1000:8.0f} ms'
                  f'   worst {max(spans) * 1000:.0f} ms')
    print(f'{"CPU per idle hour at 60 s":44} {per_hour:8.3f} s     (goal ≤ 1 s)')
    if latencies:
        print(f'{"outage onset → notification, median":44} {statistics.median(latencies):8.1f} s')
        print(f'{"outage onset → notification, worst":44} {max(latencies):8.1f} s     '
              f'(goal ≤ 75 s; by the rules ≤ 60 + 3 + 10 s + request time)')
    print(f'{"outages notified":44} {len(latencies):8d} of {options.outages}'
          + (f'   ({failed} sessions failed)' if failed else ''))
    if leads:
        print(f'{"page acknowledged after, median":44} {statistics.median(lags):8.1f} s')
        print(f'{"lead told over the page, median":44} {statistics.median(leads):8.1f} s')
        print(f'{"lead told over the page, least":44} {min(leads):8.1f} s')
    print(f'{"outages whose lead was told":44} {len(leads):8d} of {options.outages}')
    print(f'{"recoveries not notified within 200 s":44} {missed:8d}       (goal 0)')
    print(f'{"stalls (no check for an interval + 20 s)":44} {stalls:8d}       (goal 0)')
    print(f'{"cycles ended by their deadline (lost requests)":44} {lost:8d}')
    print(f'{"false alarms while flapping":44} {false_alarms:8d}       (goal 0)')


if __name__ == '__main__':
    main()
