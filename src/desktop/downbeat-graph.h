/* downbeat-graph.h: every probe's answer time over a span, problems shaded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOWNBEAT_GRAPH_SPAN (24 * 60 * 60)

#define DOWNBEAT_TYPE_GRAPH (downbeat_graph_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatGraph, downbeat_graph, DOWNBEAT, GRAPH, GtkDrawingArea)

void downbeat_graph_set_data (DownbeatGraph *self,
                              GArray        *points,
                              GStrv          names,
                              GPtrArray     *outages,
                              gint64         end);

G_END_DECLS
