/* downbeat-graph.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-graph"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-graph.h"
#include "downbeat-history.h"

struct _DownbeatGraph
{
  GtkDrawingArea  parent_instance;

  GArray         *points;    /* of DownbeatLatencyPoint */
  GStrv           names;     /* the probes' names, which the points' probe field indexes */
  GPtrArray      *outages;   /* of DownbeatOutage */
  gint64          end;       /* unix time of the right edge */
};

G_DEFINE_FINAL_TYPE (DownbeatGraph, downbeat_graph, GTK_TYPE_DRAWING_AREA)

static const GdkRGBA *
series_color (guint index)
{
  static const GdkRGBA palette[] = {
    { 0.21, 0.52, 0.89, 1 },   /* blue */
    { 0.57, 0.25, 0.67, 1 },   /* purple */
    { 0.15, 0.64, 0.61, 1 },   /* teal */
    { 0.90, 0.38, 0.00, 1 },   /* orange */
    { 0.39, 0.27, 0.17, 1 },   /* brown */
  };

  return &palette[index % G_N_ELEMENTS (palette)];
}

static int
nice_ceiling (int value)
{
  static const int steps[] = { 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000, 300000 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (value <= steps[i])
      return steps[i];
  return steps[G_N_ELEMENTS (steps) - 1];
}

static void
draw_text (cairo_t    *cr,
           GtkWidget  *widget,
           const char *text,
           double      x,
           double      y,
           double      align)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - align * width, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static gboolean
downbeat_graph_draw (GtkWidget *widget,
                     cairo_t   *cr)
{
  DownbeatGraph *self = DOWNBEAT_GRAPH (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  double width = gtk_widget_get_allocated_width (widget);
  double height = gtk_widget_get_allocated_height (widget);
  double left = 56, right = width - 8, top = 8, bottom = height - 24;
  gint64 start = self->end - DOWNBEAT_GRAPH_SPAN;
  int ceiling = 100;
  GdkRGBA fg;
  g_autofree char *top_label = NULL;

  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &fg);

  for (guint i = 0; self->points != NULL && i < self->points->len; i++)
    ceiling = MAX (ceiling, g_array_index (self->points, DownbeatLatencyPoint, i).latency_ms);
  ceiling = nice_ceiling (ceiling);

#define X(at) (left + ((double) ((at) - start)) / DOWNBEAT_GRAPH_SPAN * (right - left))
#define Y(ms) (bottom - ((double) (ms)) / ceiling * (bottom - top))

  /* Problems recorded here, shaded in their level's colour. */
  for (guint i = 0; self->outages != NULL && i < self->outages->len; i++)
    {
      const DownbeatOutage *outage = g_ptr_array_index (self->outages, i);
      gint64 from = MAX (g_date_time_to_unix (outage->start), start);
      gint64 to = outage->end != NULL ? g_date_time_to_unix (outage->end) : self->end;
      GdkRGBA shade;

      /* The window hands over the last outages it lists, too: some ended before the span. */
      if (to < start)
        continue;
      gdk_rgba_parse (&shade, downbeat_level_color (outage->worst));
      cairo_set_source_rgba (cr, shade.red, shade.green, shade.blue, 0.25);
      cairo_rectangle (cr, X (from), top, MAX (X (to) - X (from), 2), bottom - top);
      cairo_fill (cr);
    }

  /* Axes and labels in the theme's text colour, so the dark theme draws them light. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, left, top);
  cairo_line_to (cr, left, bottom);
  cairo_line_to (cr, right, bottom);
  cairo_stroke (cr);

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
  if (ceiling < 1000)
    /* Translators: the top of the graph's scale, "500 ms" */
    top_label = g_strdup_printf (_("%d ms"), ceiling);
  else
    /* Translators: the top of the graph's scale, "2 s" */
    top_label = g_strdup_printf (_("%d s"), ceiling / 1000);
  draw_text (cr, widget, top_label, left - 6, top + 6, 1);
  draw_text (cr, widget, "0", left - 6, bottom, 1);
  /* Translators: the left end of a 24-hour graph */
  draw_text (cr, widget, _("24 h ago"), left, bottom + 12, 0);
  /* Translators: the right end of the graph */
  draw_text (cr, widget, _("now"), right, bottom + 12, 1);

  /* One line a probe; a silence of more than ten minutes breaks it. */
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint probe = 0; self->names != NULL && self->names[probe] != NULL; probe++)
    {
      gint64 previous = 0;

      gdk_cairo_set_source_rgba (cr, series_color (probe));
      for (guint i = 0; i < self->points->len; i++)
        {
          const DownbeatLatencyPoint *point = &g_array_index (self->points, DownbeatLatencyPoint, i);

          if (point->probe != probe || point->latency_ms < 0)
            continue;
          if (previous == 0 || point->at - previous > 600)
            cairo_move_to (cr, X (point->at), Y (point->latency_ms));
          else
            cairo_line_to (cr, X (point->at), Y (point->latency_ms));
          previous = point->at;
        }
      cairo_stroke (cr);

      /* The legend, top left, where the scale leaves room. */
      {
        double y = top + 8 + probe * 16;

        cairo_rectangle (cr, left + 8, y - 4, 10, 8);
        cairo_fill (cr);
        cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.85);
        draw_text (cr, widget, self->names[probe], left + 24, y, 0);
      }
    }

#undef X
#undef Y

  return GDK_EVENT_PROPAGATE;
}

static void
downbeat_graph_finalize (GObject *object)
{
  DownbeatGraph *self = (DownbeatGraph *)object;

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->outages, g_ptr_array_unref);

  G_OBJECT_CLASS (downbeat_graph_parent_class)->finalize (object);
}

static void
downbeat_graph_class_init (DownbeatGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = downbeat_graph_finalize;
  widget_class->draw = downbeat_graph_draw;
}

static void
downbeat_graph_init (DownbeatGraph *self)
{
}

/**
 * downbeat_graph_set_data:
 * @points: (transfer full) (nullable) (element-type DownbeatLatencyPoint): the answers
 * @names: (transfer full) (nullable): the probes' names, as the points index them
 * @outages: (transfer full) (nullable) (element-type DownbeatOutage): the problems to shade
 * @end: unix time of the right edge, usually now
 */
void
downbeat_graph_set_data (DownbeatGraph *self,
                         GArray        *points,
                         GStrv          names,
                         GPtrArray     *outages,
                         gint64         end)
{
  g_return_if_fail (DOWNBEAT_IS_GRAPH (self));

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->outages, g_ptr_array_unref);
  self->points = points;
  self->names = names;
  self->outages = outages;
  self->end = end;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
