/* downbeat-probe-row.h: one check in the detail window, updated in place with each cycle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "downbeat-report.h"

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_PROBE_ROW (downbeat_probe_row_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatProbeRow, downbeat_probe_row, DOWNBEAT, PROBE_ROW, GtkBox)

GtkWidget *downbeat_probe_row_new    (const DownbeatProbeSpec   *spec);
void       downbeat_probe_row_update (DownbeatProbeRow          *self,
                                      const DownbeatProbeStatus *status);

G_END_DECLS
