/* test-support.h: what several tests need and no part of Downbeat provides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*TestCondition) (gpointer data);

void            test_wait_until                 (TestCondition  condition,
                                                 gpointer       data,
                                                 guint          timeout_s,
                                                 const char    *what);
gboolean        test_result_arrived             (gpointer       res);
gboolean        test_flag_is_set                (gpointer       flag);

GProxyResolver *test_lost_request_resolver_new  (void);

G_END_DECLS
