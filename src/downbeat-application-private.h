/* downbeat-application-private.h: the application's parts, shared by the files it is split over
 *
 * downbeat-application.c holds its life (start, activate, shut down) and what it wires
 * together; downbeat-application-options.c the command line; downbeat-application-actions.c
 * the actions the tray menu, the notification and the window activate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-application.h"
#include "downbeat-autostart.h"
#include "downbeat-history.h"
#include "downbeat-monitor.h"
#include "downbeat-notifier.h"
#include "downbeat-players.h"
#include "downbeat-dbus.h"
#include "downbeat-tray.h"
#include "downbeat-window.h"

G_BEGIN_DECLS

struct _DownbeatApplication
{
  GtkApplication    parent_instance;

  GSettings        *settings;       /* NULL when the schema is not installed */
  DownbeatService  *service;
  SoupSession      *session;
  DownbeatMonitor  *monitor;
  DownbeatHistory  *history;
  DownbeatNotifier *notifier;
  DownbeatPlayers  *players;        /* NULL without a session bus */
  DownbeatTray     *tray;
  DownbeatAutostart *autostart;
  GtkWindow        *preferences;    /* weak */
  DownbeatDbusStatus *status;       /* io.github.downbeat.Downbeat.Status, once registered */
  GDBusConnection  *system_bus;     /* for logind's PrepareForSleep; NULL without one */
  GCancellable     *cancellable;
  guint             sleep_subscription;
  guint             tray_idle_id;
  guint             sigterm_id;
  guint             sigint_id;
  guint             minute_id;
  guint             tray_gone_id;   /* the tray went away: the window, unless it comes back */
  guint             interval;       /* --interval, 0 when not given */
  gboolean          at_login;       /* --autostart: the tray only, no window at first */
  gboolean          activated;
  gboolean          held;
  gboolean          options_parsed; /* GApplication parsed the command line */
};

void            downbeat_application_add_options         (DownbeatApplication  *self);
int             downbeat_application_handle_local_options (GApplication        *app,
                                                          GVariantDict        *options);
int             downbeat_application_usage_error         (void);
void            downbeat_application_add_actions         (DownbeatApplication  *self);
const DownbeatChannel *downbeat_application_first_channel (DownbeatApplication *self);
DownbeatWindow *downbeat_application_find_window         (DownbeatApplication  *self);
void            downbeat_application_present_window      (DownbeatApplication  *self);
void            downbeat_application_add_close_action    (GtkApplicationWindow *window);
void            downbeat_application_update_when_back    (DownbeatApplication  *self);

G_END_DECLS
