/* downbeat-words.h: durations, times and lists in words, for the tray and the notifications
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *downbeat_words_duration    (GTimeSpan    span);
char *downbeat_words_answer      (guint        http_status);
char *downbeat_words_checked_ago (GDateTime   *checked_at,
                                  GDateTime   *now);
char *downbeat_words_day_and_time (GDateTime  *time);
char *downbeat_words_join        (GPtrArray   *items);
char *downbeat_words_lead        (const char  *service,
                                  GDateTime   *noticed,
                                  GDateTime   *acknowledged,
                                  gboolean     over);

G_END_DECLS
