/* downbeat-incident-row.h: one incident or maintenance of a status page, in the detail window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "downbeat-statuspage.h"

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_INCIDENT_ROW (downbeat_incident_row_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatIncidentRow, downbeat_incident_row, DOWNBEAT, INCIDENT_ROW, GtkBox)

GtkWidget *downbeat_incident_row_new (const DownbeatIncident *incident);

G_END_DECLS
