/* downbeat-graph.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-graph"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-graph.h"
#include "downbeat-history.h"
#include "downbeat-words.h"

struct _DownbeatGraph
{
  GtkDrawingArea  parent_instance;

  GArray         *points;    /* of DownbeatLatencyPoint */
  GStrv           names;     /* the probes' names, which the points' probe field indexes */
  GPtrArray      *outages;   /* of DownbeatOutage */
  gint64          end;       /* unix time of the right edge */
};

G_DEFINE_FINAL_TYPE (DownbeatGraph, downbeat_graph, GTK_TYPE_DRAWING_AREA)

/* Each line has a colour and a dash pattern of its own: told apart without seeing colour. */
#define N_SERIES 5

typedef struct
{
  GdkRGBA color;
  double  dashes[4];
  int     n_dashes;
} Series;

static const Series *
series (guint index)
{
  static const Series all[N_SERIES] = {
    { { 0.21, 0.52, 0.89, 1 }, { 0 }, 0 },
    { { 0.57, 0.25, 0.67, 1 }, { 6, 4 }, 2 },
    { { 0.15, 0.64, 0.61, 1 }, { 0, 4 }, 2 },
    { { 0.90, 0.38, 0.00, 1 }, { 9, 3, 0, 3 }, 4 },
    { { 0.39, 0.27, 0.17, 1 }, { 16, 5 }, 2 },
  };

  return &all[index % N_SERIES];
}

/* The line in words, for those who cannot see it. */
static char *
series_words (guint       index,
              const char *name)
{
  switch (index % N_SERIES)
    {
    case 0:
      /* Translators: one line of the graph, by its pattern, "Login as a solid line" */
      return g_strdup_printf (_("%s as a solid line"), name);
    case 1:
      return g_strdup_printf (_("%s as a dashed line"), name);
    case 2:
      return g_strdup_printf (_("%s as a dotted line"), name);
    case 3:
      return g_strdup_printf (_("%s as a dash-dot line"), name);
    default:
      return g_strdup_printf (_("%s as a long-dashed line"), name);
    }
}

static void
set_series_line (cairo_t *cr,
                 guint    index)
{
  const Series *line = series (index);

  gdk_cairo_set_source_rgba (cr, &line->color);
  cairo_set_dash (cr, line->dashes, line->n_dashes, 0);
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

/* Where the graph draws, and its scale. */
typedef struct
{
  double left, right, top, bottom;
  gint64 start;                           /* unix time of the left edge */
  int    ceiling;                         /* milliseconds at the top */
} Frame;

static double
frame_x (const Frame *frame,
         gint64       at)
{
  return frame->left + ((double) (at - frame->start)) / DOWNBEAT_GRAPH_SPAN
                       * (frame->right - frame->left);
}

static double
frame_y (const Frame *frame,
         int          ms)
{
  return frame->bottom - ((double) ms) / frame->ceiling * (frame->bottom - frame->top);
}

/* Problems recorded here, shaded in their level's colour. */
static void
draw_outages (DownbeatGraph *self,
              cairo_t       *cr,
              const Frame   *frame)
{
  for (guint i = 0; self->outages != NULL && i < self->outages->len; i++)
    {
      const DownbeatOutage *outage = g_ptr_array_index (self->outages, i);
      gint64 from = MAX (g_date_time_to_unix (outage->start), frame->start);
      gint64 to = outage->end != NULL ? g_date_time_to_unix (outage->end) : self->end;
      GdkRGBA shade;

      /* The window hands over the last outages it lists, too: some ended before the span. */
      if (to < frame->start)
        continue;
      gdk_rgba_parse (&shade, downbeat_level_color (outage->worst));
      cairo_set_source_rgba (cr, shade.red, shade.green, shade.blue, 0.25);
      cairo_rectangle (cr, frame_x (frame, from), frame->top,
                       MAX (frame_x (frame, to) - frame_x (frame, from), 2),
                       frame->bottom - frame->top);
      cairo_fill (cr);
    }
}

/* Axes and labels in the theme's text colour, so the dark theme draws them light. */
static void
draw_scale (GtkWidget     *widget,
            cairo_t       *cr,
            const Frame   *frame,
            const GdkRGBA *fg)
{
  g_autofree char *top_label = NULL;

  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, frame->left, frame->top);
  cairo_line_to (cr, frame->left, frame->bottom);
  cairo_line_to (cr, frame->right, frame->bottom);
  cairo_stroke (cr);

  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.7);
  if (frame->ceiling < 1000)
    /* Translators: the top of the graph's scale, "500 ms" */
    top_label = g_strdup_printf (_("%d ms"), frame->ceiling);
  else
    /* Translators: the top of the graph's scale, "2 s" */
    top_label = g_strdup_printf (_("%d s"), frame->ceiling / 1000);
  draw_text (cr, widget, top_label, frame->left - 6, frame->top + 6, 1);
  draw_text (cr, widget, "0", frame->left - 6, frame->bottom, 1);
  /* Translators: the left end of a 24-hour graph */
  draw_text (cr, widget, _("24 h ago"), frame->left, frame->bottom + 12, 0);
  /* Translators: the right end of the graph */
  draw_text (cr, widget, _("now"), frame->right, frame->bottom + 12, 1);
}

/* One line a probe; a silence of more than ten minutes breaks it. Round caps draw a dash of
 * no length as a dot. */
static void
draw_lines (DownbeatGraph *self,
            cairo_t       *cr,
            const Frame   *frame,
            const GdkRGBA *fg)
{
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint probe = 0; self->names != NULL && self->names[probe] != NULL; probe++)
    {
      gint64 previous = 0;

      set_series_line (cr, probe);
      for (guint i = 0; i < self->points->len; i++)
        {
          const DownbeatLatencyPoint *point = &g_array_index (self->points, DownbeatLatencyPoint, i);

          if (point->probe != probe || point->latency_ms < 0)
            continue;
          if (previous == 0 || point->at - previous > 600)
            cairo_move_to (cr, frame_x (frame, point->at), frame_y (frame, point->latency_ms));
          else
            cairo_line_to (cr, frame_x (frame, point->at), frame_y (frame, point->latency_ms));
          previous = point->at;
        }
      cairo_stroke (cr);

      /* The legend, top left, where the scale leaves room: each line's own stroke. */
      {
        double y = frame->top + 8 + probe * 16;

        set_series_line (cr, probe);
        cairo_move_to (cr, frame->left + 8, y);
        cairo_line_to (cr, frame->left + 38, y);
        cairo_stroke (cr);
        cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.85);
        draw_text (cr, GTK_WIDGET (self), self->names[probe], frame->left + 44, y, 0);
      }
    }
}

static gboolean
downbeat_graph_draw (GtkWidget *widget,
                     cairo_t   *cr)
{
  DownbeatGraph *self = DOWNBEAT_GRAPH (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  double width = gtk_widget_get_allocated_width (widget);
  double height = gtk_widget_get_allocated_height (widget);
  Frame frame = { 56, width - 8, 8, height - 24, self->end - DOWNBEAT_GRAPH_SPAN, 100 };
  GdkRGBA fg;

  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &fg);

  for (guint i = 0; self->points != NULL && i < self->points->len; i++)
    frame.ceiling = MAX (frame.ceiling,
                         g_array_index (self->points, DownbeatLatencyPoint, i).latency_ms);
  frame.ceiling = nice_ceiling (frame.ceiling);

  draw_outages (self, cr, &frame);
  draw_scale (widget, cr, &frame, &fg);
  draw_lines (self, cr, &frame, &fg);

  if (gtk_widget_has_visible_focus (widget))
    gtk_render_focus (style, cr, 0, 0, width, height);

  return GDK_EVENT_PROPAGATE;
}

/* What the graph shows, in words, for those who cannot see it: its span, its lines and the
 * problems it shades. */
static char *
describe (DownbeatGraph *self)
{
  gint64 start = self->end - DOWNBEAT_GRAPH_SPAN;
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) to = g_date_time_new_from_unix_utc (self->end);
  g_autofree char *from_words = downbeat_words_day_and_time (from);
  g_autofree char *to_words = downbeat_words_day_and_time (to);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *joined = NULL;
  guint n_problems = 0;

  for (guint probe = 0; self->names != NULL && self->names[probe] != NULL; probe++)
    g_ptr_array_add (lines, series_words (probe, self->names[probe]));
  if (lines->len == 0)
    return g_strdup (_("No answers recorded in the last 24 hours."));

  for (guint i = 0; self->outages != NULL && i < self->outages->len; i++)
    {
      const DownbeatOutage *outage = g_ptr_array_index (self->outages, i);
      g_autofree char *began = NULL;
      const char *worst = outage->worst == DOWNBEAT_LEVEL_OUTAGE ? _("down") : _("problems");

      if (outage->end != NULL && g_date_time_to_unix (outage->end) < start)
        continue;
      began = downbeat_words_day_and_time (outage->start);
      if (n_problems++ > 0)
        g_string_append (problems, "; ");
      if (outage->end == NULL)
        g_string_append_printf (problems, _("%s, still going on: %s"), began, worst);
      else
        {
          g_autofree char *lasted = downbeat_words_duration (
            g_date_time_difference (outage->end, outage->start));

          g_string_append_printf (problems, _("%s, for %s: %s"), began, lasted, worst);
        }
    }

  joined = downbeat_words_join (lines);
  if (n_problems == 0)
    /* Translators: the graph's description, "Answer times from Nov 17, 14:05 to 14:05: Login
     * as a solid line and Web API as a dashed line. No problems in these 24 hours." */
    return g_strdup_printf (_("Answer times from %s to %s: %s. No problems in these 24 hours."),
                            from_words, to_words, joined);
  /* Translators: the graph's description, "Answer times from Nov 17, 14:05 to 14:05: Login as
   * a solid line and Web API as a dashed line. 1 problem shaded: 11:27, for 40 minutes: down." */
  return g_strdup_printf (ngettext ("Answer times from %s to %s: %s. %u problem shaded: %s.",
                                    "Answer times from %s to %s: %s. %u problems shaded: %s.",
                                    n_problems),
                          from_words, to_words, joined, n_problems, problems->str);
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
  gtk_widget_class_set_css_name (widget_class, "graph");
  gtk_widget_class_set_accessible_role (widget_class, ATK_ROLE_CHART);
}

static void
downbeat_graph_init (DownbeatGraph *self)
{
  gtk_widget_set_can_focus (GTK_WIDGET (self), TRUE);
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
  g_autofree char *description = NULL;

  g_return_if_fail (DOWNBEAT_IS_GRAPH (self));

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->outages, g_ptr_array_unref);
  self->points = points;
  self->names = names;
  self->outages = outages;
  self->end = end;
  description = describe (self);
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self)), description);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
