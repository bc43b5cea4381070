/* window-fixture.h: what the window's tests, screenshots and benchmark build it from, and what
 * the monitor tests and the soak run
 *
 * A monitor of the fake Spotify, and a day of made-up history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-history.h"
#include "downbeat-monitor.h"
#include "fake-spotify.h"

G_BEGIN_DECLS

typedef struct
{
  FakeSpotify     *fake;
  DownbeatService *service;
  SoupSession     *session;
  DownbeatMonitor *monitor;
  guint            checked;     /* cycles so far */
  SoupServer      *page_server; /* nullable: a status page of its own */
  GBytes          *page;
} MonitorFixture;

MonitorFixture *monitor_fixture_new        (guint            confirmations);
MonitorFixture *monitor_fixture_new_full   (guint            confirmations,
                                            const char      *developers);
MonitorFixture *monitor_fixture_new_access_point (guint      confirmations);
MonitorFixture *monitor_fixture_new_page   (guint            confirmations,
                                            GBytes          *summary);
void            monitor_fixture_set_page   (MonitorFixture  *fixture,
                                            GBytes          *summary);
GBytes         *page_fixture_summary       (guint            components,
                                            guint            incidents);
void            monitor_fixture_record_to  (MonitorFixture  *fixture,
                                            DownbeatHistory *history);
void            monitor_fixture_next_check (MonitorFixture  *fixture);
void            monitor_fixture_free       (MonitorFixture  *fixture);

void            history_fixture_fill       (DownbeatHistory *history,
                                            GDateTime       *now,
                                            gint64           span,
                                            gint64           step);
void            history_fixture_fill_day   (DownbeatHistory *history,
                                            GDateTime       *now);

void            bus_fixture_wait_for_name  (const char      *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MonitorFixture, monitor_fixture_free)

G_END_DECLS
