/* downbeat-notifier.h: one desktop notification per incident, when it starts, changes and ends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "downbeat-announcement.h"
#include "downbeat-report.h"

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_NOTIFIER (downbeat_notifier_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatNotifier, downbeat_notifier, DOWNBEAT, NOTIFIER, GObject)

DownbeatNotifier *downbeat_notifier_new    (GActionGroup     *actions);
void              downbeat_notifier_update (DownbeatNotifier *self,
                                            DownbeatReport   *report);
void              downbeat_notifier_resume (DownbeatNotifier           *self,
                                            const DownbeatAnnouncement *announcement);
void              downbeat_notifier_set_channel (DownbeatNotifier *self,
                                                 const char       *name);
DownbeatAnnouncement *downbeat_notifier_dup_announcement (DownbeatNotifier *self);

G_END_DECLS
