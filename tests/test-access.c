/* test-access.c: the window for those who read it with a screen reader, a keyboard or weak eyes
 *
 * Under a real X server: contrast in Adwaita and Adwaita-dark (the window and Preferences),
 * the graph in words and its lines told apart without colour, where focus starts and that it
 * shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "downbeat-graph.h"
#include "downbeat-history.h"
#include "downbeat-level.h"
#include "downbeat-preferences.h"
#include "downbeat-window-private.h"
#include "test-support.h"
#include "window-fixture.h"

typedef struct
{
  char            *directory;
  DownbeatHistory *history;
  MonitorFixture  *fixture;
  GtkWidget       *window;
} WindowOfADay;

static gboolean
history_is_shown (gpointer window)
{
  return !downbeat_window_is_reading_history (window);
}

static void
wait_for_frames (void)
{
  while (gtk_events_pending ())
    gtk_main_iteration ();
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       painted)
{
  *(gboolean *) painted = TRUE;
}

/* Until @widget's window has drawn a frame from now: styles are brought up to date there, so a
 * new state or theme shows in what is drawn after. */
static void
wait_for_a_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);

  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
  test_wait_until (test_flag_is_set, &painted, 10, "a frame drawn");
  g_signal_handler_disconnect (clock, id);
}

/* The window as it opens on a day of history, after a check that finds Spotify down. */
static void
window_of_a_day_init (WindowOfADay   *day,
                      GtkApplication *app)
{
  g_autofree char *path = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  day->directory = g_dir_make_tmp ("downbeat-access-XXXXXX", NULL);
  g_assert_nonnull (day->directory);
  path = g_build_filename (day->directory, "history.db", NULL);
  day->history = downbeat_history_new (path);
  history_fixture_fill_day (day->history, now);
  day->fixture = monitor_fixture_new (1);
  monitor_fixture_record_to (day->fixture, day->history);
  fake_spotify_set (day->fixture->fake, "api", FAKE_FAIL);
  fake_spotify_set (day->fixture->fake, "summary", FAKE_MAJOR);
  day->window = GTK_WIDGET (downbeat_window_new (app, day->fixture->monitor, day->history));
  gtk_window_set_default_size (GTK_WINDOW (day->window), 600, 500);
  gtk_widget_show (day->window);
  monitor_fixture_next_check (day->fixture);
  test_wait_until (history_is_shown, day->window, 30, "the history read");
  wait_for_frames ();
}

static void
window_of_a_day_clear (WindowOfADay *day)
{
  g_autofree char *command = NULL;

  g_clear_pointer (&day->window, gtk_widget_destroy);
  g_clear_pointer (&day->fixture, monitor_fixture_free);
  g_clear_object (&day->history);
  if (day->directory == NULL)
    return;
  command = g_strdup_printf ("rm -rf '%s'", day->directory);
  g_assert_cmpint (system (command), ==, 0);
  g_clear_pointer (&day->directory, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WindowOfADay, window_of_a_day_clear)

/* Contrast, by WCAG 2's formulas. */

static double
linear (double channel)
{
  return channel <= 0.04045 ? channel / 12.92 : pow ((channel + 0.055) / 1.055, 2.4);
}

static double
luminance (const GdkRGBA *color)
{
  return 0.2126 * linear (color->red) + 0.7152 * linear (color->green)
         + 0.0722 * linear (color->blue);
}

static double
contrast (const GdkRGBA *a,
          const GdkRGBA *b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* The contrast @label's text has where it is drawn: its colour, faded by its opacity and its
 * parents', over the first background behind it, as GTK computes them from the theme and the
 * application's style sheet. */
static double
label_contrast (GtkWidget *label,
                GdkRGBA   *text,
                GdkRGBA   *background)
{
  GtkStyleContext *style = gtk_widget_get_style_context (label);
  double opacity;

  gtk_style_context_get_color (style, gtk_style_context_get_state (style), text);
  opacity = text->alpha;
  for (GtkWidget *widget = label; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      GtkStyleContext *context = gtk_widget_get_style_context (widget);
      GtkStateFlags state = gtk_style_context_get_state (context);
      g_autoptr(GdkRGBA) color = NULL;
      double widget_opacity;

      gtk_style_context_get (context, state, "background-color", &color, "opacity",
                             &widget_opacity, NULL);
      if (color->alpha > 0)
        {
          *background = *color;
          break;
        }
      opacity *= widget_opacity;
    }
  g_assert_cmpfloat (background->alpha, ==, 1);

  text->red = text->red * opacity + background->red * (1 - opacity);
  text->green = text->green * opacity + background->green * (1 - opacity);
  text->blue = text->blue * opacity + background->blue * (1 - opacity);
  text->alpha = 1;
  return contrast (text, background);
}

static void
assert_readable (GtkWidget  *label,
                 const char *theme)
{
  GdkRGBA text, background;
  double ratio = label_contrast (label, &text, &background);
  g_autofree char *text_string = gdk_rgba_to_string (&text);
  g_autofree char *background_string = gdk_rgba_to_string (&background);

  g_test_message ("%s: %.2f:1, %s on %s: %s", theme, ratio, text_string, background_string,
                  gtk_label_get_text (GTK_LABEL (label)));
  if (ratio < 4.5)
    g_test_fail_printf ("%s: '%s' has a contrast of %.2f:1 (%s on %s), below 4.5:1", theme,
                        gtk_label_get_text (GTK_LABEL (label)), ratio, text_string,
                        background_string);
}

static void
add_widget (GtkWidget *widget,
            gpointer   array)
{
  g_ptr_array_add (array, widget);
}

/* Every label the window shows, but for those of a control that cannot be used now: WCAG lets
 * those be faint. */
static guint
assert_labels_readable (GtkWidget  *widget,
                        const char *theme)
{
  guint labels = 0;

  if (!gtk_widget_is_visible (widget) || !gtk_widget_is_sensitive (widget))
    return 0;
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    {
      assert_readable (widget, theme);
      return 1;
    }
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GPtrArray) children = g_ptr_array_new ();

      /* Their inner parts too, as a header bar's title. */
      gtk_container_forall (GTK_CONTAINER (widget), add_widget, children);
      for (guint i = 0; i < children->len; i++)
        labels += assert_labels_readable (g_ptr_array_index (children, i), theme);
    }
  return labels;
}

static void
use_theme (gboolean dark)
{
  g_object_set (gtk_settings_get_default (), "gtk-theme-name", "Adwaita",
                "gtk-application-prefer-dark-theme", dark, NULL);
}

static void
test_contrast (GtkApplication *app,
               gboolean        dark)
{
  const char *theme = dark ? "Adwaita-dark" : "Adwaita";
  g_auto (WindowOfADay) day = { 0 };
  g_autoptr(GtkWidget) badge = g_object_ref_sink (gtk_label_new ("Badge"));
  g_autoptr(GSettings) settings = g_settings_new ("io.github.downbeat.Downbeat");
  g_autoptr(DownbeatAutostart) autostart = downbeat_autostart_new (FALSE);
  GtkWidget *preferences;

  use_theme (dark);
  window_of_a_day_init (&day, app);
  preferences = GTK_WIDGET (downbeat_preferences_new (app, settings, autostart));

  g_assert_cmpuint (assert_labels_readable (day.window, theme), >, 30);
  g_assert_cmpuint (assert_labels_readable (gtk_window_get_titlebar (GTK_WINDOW (day.window)),
                                            theme), >, 0);
  gtk_widget_show (preferences);
  g_assert_cmpuint (assert_labels_readable (preferences, theme), >, 10);
  gtk_widget_destroy (preferences);

  /* The badge of each level, whichever the window shows now. */
  gtk_style_context_add_class (gtk_widget_get_style_context (badge), "badge");
  for (DownbeatLevel level = DOWNBEAT_LEVEL_UNKNOWN; level <= DOWNBEAT_LEVEL_OUTAGE; level++)
    {
      GtkStyleContext *style = gtk_widget_get_style_context (badge);

      gtk_label_set_text (GTK_LABEL (badge), downbeat_level_to_string (level));
      gtk_style_context_add_class (style, downbeat_level_to_string (level));
      assert_readable (badge, theme);
      gtk_style_context_remove_class (style, downbeat_level_to_string (level));
    }
  use_theme (FALSE);
}

static void
test_contrast_light (gconstpointer data)
{
  test_contrast (GTK_APPLICATION ((gpointer) data), FALSE);
}

static void
test_contrast_dark (gconstpointer data)
{
  test_contrast (GTK_APPLICATION ((gpointer) data), TRUE);
}

/* The graph alone, with @n_probes flat lines: the first at 10 ms, each next 20 ms higher. */
static GtkWidget *
graph_new (guint      n_probes,
           GPtrArray *outages,
           gint64     end)
{
  static const char *names[] = { "Access point list", "Web API", "Login", "Web player", "Other" };
  g_autoptr(GStrvBuilder) probes = g_strv_builder_new ();
  GArray *points = g_array_new (FALSE, FALSE, sizeof (DownbeatLatencyPoint));
  GtkWidget *graph = g_object_new (DOWNBEAT_TYPE_GRAPH, NULL);

  for (guint probe = 0; probe < n_probes; probe++)
    {
      g_strv_builder_add (probes, names[probe]);
      for (gint64 at = end - DOWNBEAT_GRAPH_SPAN; at <= end; at += 60)
        {
          DownbeatLatencyPoint point = { at, probe, 10 + 20 * probe, TRUE };

          g_array_append_val (points, point);
        }
    }
  downbeat_graph_set_data (DOWNBEAT_GRAPH (graph), points, g_strv_builder_end (probes),
                           outages, end);
  return graph;
}

static DownbeatOutage *
outage_new (gint64        start,
            gint64        end,
            DownbeatLevel worst)
{
  DownbeatOutage *outage = g_new0 (DownbeatOutage, 1);

  outage->start = g_date_time_new_from_unix_utc (start);
  outage->end = end != 0 ? g_date_time_new_from_unix_utc (end) : NULL;
  outage->worst = worst;
  return outage;
}

static void
test_graph_described (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 end = g_date_time_to_unix (now);
  GPtrArray *outages = g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_outage_free);
  GtkWidget *graph;
  AtkObject *accessible;
  const char *description;

  /* One ended before the span, which the window hands over too; one of 40 minutes; one going on. */
  g_ptr_array_add (outages, outage_new (end - 2 * DOWNBEAT_GRAPH_SPAN,
                                        end - 2 * DOWNBEAT_GRAPH_SPAN + 600,
                                        DOWNBEAT_LEVEL_OUTAGE));
  g_ptr_array_add (outages, outage_new (end - 7200, end - 7200 + 40 * 60, DOWNBEAT_LEVEL_OUTAGE));
  g_ptr_array_add (outages, outage_new (end - 300, 0, DOWNBEAT_LEVEL_DEGRADED));
  graph = g_object_ref_sink (graph_new (4, outages, end));
  accessible = gtk_widget_get_accessible (graph);
  description = atk_object_get_description (accessible);
  g_test_message ("%s", description);

  g_assert_cmpint (atk_object_get_role (accessible), ==, ATK_ROLE_CHART);
  g_assert_true (g_str_has_prefix (description, "Answer times from "));
  g_assert_nonnull (strstr (description, "Access point list as a solid line, Web API as a dashed "
                                         "line, Login as a dotted line and Web player as a "
                                         "dash-dot line."));
  g_assert_nonnull (strstr (description, " 2 problems shaded: "));
  g_assert_nonnull (strstr (description, ", for 40 minutes: down; "));
  g_assert_true (g_str_has_suffix (description, ", still going on: problems."));

  /* Told again when the data changes. */
  downbeat_graph_set_data (DOWNBEAT_GRAPH (graph), NULL, g_strdupv ((char *[]) { "Login", NULL }),
                           NULL, end);
  description = atk_object_get_description (accessible);
  g_assert_true (g_str_has_suffix (description, ": Login as a solid line. No problems in these "
                                                "24 hours."));
  downbeat_graph_set_data (DOWNBEAT_GRAPH (graph), NULL, NULL, NULL, end);
  g_assert_cmpstr (atk_object_get_description (accessible), ==,
                   "No answers recorded in the last 24 hours.");

  g_object_unref (graph);
}

/* @widget as it draws itself. */
static cairo_surface_t *
render (GtkWidget *widget)
{
  cairo_surface_t *surface;
  int width, height;
  cairo_t *cr;

  /* A label that changed meanwhile ("checked 2 minutes ago") is laid out again first. */
  gtk_container_check_resize (GTK_CONTAINER (gtk_widget_get_toplevel (widget)));
  width = gtk_widget_get_allocated_width (widget);
  height = gtk_widget_get_allocated_height (widget);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  gtk_widget_draw (widget, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static GtkWidget *
window_with (GtkWidget *widget)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);

  gtk_container_add (GTK_CONTAINER (window), widget);
  gtk_widget_set_size_request (widget, 600, 160);
  gtk_widget_show_all (window);
  wait_for_frames ();
  return window;
}

static gboolean
ink (cairo_surface_t *surface,
     int              x,
     int              y)
{
  const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface)
                                          + y * cairo_image_surface_get_stride (surface));

  return (row[x] >> 24) > 0x40;
}

/* Each line's dash pattern differs from every other's whatever their phase: the lines are told
 * apart without their colours. */
static void
test_graph_lines_without_colour (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint n_probes = 5;
  GtkWidget *graph = graph_new (n_probes, NULL, g_date_time_to_unix (now));
  GtkWidget *window = window_with (graph);
  cairo_surface_t *surface = render (graph);
  int height = gtk_widget_get_allocated_height (graph);
  /* Right of the legend, short of the right edge; the graph's scale is 8 to height - 24. */
  int from = 200, to = gtk_widget_get_allocated_width (graph) - 16, length = to - from;
  g_autofree gboolean *inked = g_new0 (gboolean, n_probes * length);

  for (guint probe = 0; probe < n_probes; probe++)
    {
      int y = (int) round (height - 24 - (10.0 + 20 * probe) / 100 * (height - 32));

      for (int x = 0; x < length; x++)
        inked[probe * length + x] = ink (surface, from + x, y) || ink (surface, from + x, y - 1)
                                    || ink (surface, from + x, y + 1);
    }

  for (guint a = 0; a < n_probes; a++)
    for (guint b = a + 1; b < n_probes; b++)
      for (int shift = 0; shift < 60; shift++)
        {
          int differ = 0;

          for (int x = 0; x + shift < length; x++)
            differ += inked[a * length + x] != inked[b * length + x + shift];
          if (differ < (length - shift) / 10)
            g_error ("lines %u and %u look alike (shifted by %d px, %d px of %d differ)", a, b,
                     shift, differ, length - shift);
        }

  cairo_surface_destroy (surface);
  gtk_widget_destroy (window);
}

/* The colour @surface has at (@x, @y) over @background, its pixels being premultiplied. */
static GdkRGBA
pixel_over (cairo_surface_t *surface,
            int              x,
            int              y,
            const GdkRGBA   *background)
{
  const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface)
                                          + y * cairo_image_surface_get_stride (surface));
  double alpha = (row[x] >> 24) / 255.0;

  return (GdkRGBA) {
    .red = ((row[x] >> 16) & 0xff) / 255.0 + background->red * (1 - alpha),
    .green = ((row[x] >> 8) & 0xff) / 255.0 + background->green * (1 - alpha),
    .blue = (row[x] & 0xff) / 255.0 + background->blue * (1 - alpha),
    .alpha = 1,
  };
}

/* Whether @surface, a label drawn, has ink at the end of its line, beyond its text and the
 * caret it draws. Read where it is drawn: a label's width may change as it is laid out again
 * ("checked 2 minutes ago"). */
static gboolean
ink_at_the_end (cairo_surface_t *surface)
{
  return ink (surface, cairo_image_surface_get_width (surface) - 2,
              cairo_image_surface_get_height (surface) / 2);
}

/* The contrast of @focus's focus mark, at the end of its line, with the first background
 * behind it. */
static double
focus_mark_contrast (GtkWidget *focus)
{
  GdkRGBA background = { 0 }, mark;
  cairo_surface_t *focused;

  for (GtkWidget *widget = focus; background.alpha == 0; widget = gtk_widget_get_parent (widget))
    {
      GtkStyleContext *style = gtk_widget_get_style_context (widget);
      g_autoptr(GdkRGBA) color = NULL;

      gtk_style_context_get (style, gtk_style_context_get_state (style), "background-color",
                             &color, NULL);
      if (widget != focus && color->alpha > 0)
        background = *color;
    }
  focused = render (focus);
  mark = pixel_over (focused, cairo_image_surface_get_width (focused) - 2,
                     cairo_image_surface_get_height (focused) / 2, &background);
  cairo_surface_destroy (focused);
  return contrast (&mark, &background);
}

static gboolean
window_is_active (gpointer window)
{
  return gtk_window_is_active (window);
}

static gboolean
surfaces_differ (cairo_surface_t *a,
                 cairo_surface_t *b)
{
  int size = cairo_image_surface_get_stride (a) * cairo_image_surface_get_height (a);

  g_assert_cmpint (cairo_image_surface_get_stride (a), ==, cairo_image_surface_get_stride (b));
  g_assert_cmpint (cairo_image_surface_get_height (a), ==, cairo_image_surface_get_height (b));
  return memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b), size) != 0;
}

/* The graph, taking focus from the keyboard, draws a ring. */
static void
test_graph_focus_ring (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GtkWidget *graph = graph_new (2, NULL, g_date_time_to_unix (now));
  GtkWidget *window = window_with (graph);
  cairo_surface_t *unfocused = render (graph), *focused;

  gtk_window_present (GTK_WINDOW (window));
  test_wait_until (window_is_active, window, 10, "the window to be active");
  gtk_widget_grab_focus (graph);
  gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
  g_assert_true (gtk_widget_has_visible_focus (graph));
  focused = render (graph);
  g_assert_true (surfaces_differ (unfocused, focused));
  /* On its edge, in the ring's colour: not the graph's own lines. */
  g_assert_true (ink (focused, 1, 80));
  g_assert_false (ink (unfocused, 1, 80));

  cairo_surface_destroy (focused);
  cairo_surface_destroy (unfocused);
  gtk_widget_destroy (window);
}

typedef gboolean (*Match) (GtkWidget *widget);

static gboolean
is_graph (GtkWidget *widget)
{
  return DOWNBEAT_IS_GRAPH (widget);
}

static gboolean
is_scrolled_window (GtkWidget *widget)
{
  return GTK_IS_SCROLLED_WINDOW (widget);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             Match      match)
{
  if (match (widget))
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_widget (l->data, match);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

/* Focus starts on the status sentence, shown, with a ring and nothing selected; tabbing on to
 * the graph scrolls it into view. */
static void
test_window_focus (gconstpointer data)
{
  g_auto (WindowOfADay) day = { 0 };
  GtkWidget *focus, *graph, *scrolled, *content;
  GtkAdjustment *scroll;
  cairo_surface_t *focused, *unfocused;
  int start, end, top;

  window_of_a_day_init (&day, GTK_APPLICATION ((gpointer) data));
  gtk_window_present (GTK_WINDOW (day.window));
  test_wait_until (window_is_active, day.window, 10, "the window to be active");
  wait_for_frames ();

  focus = gtk_window_get_focus (GTK_WINDOW (day.window));
  g_assert_true (GTK_IS_LABEL (focus));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (focus)), ==, "Spotify is down");
  g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (focus), &start, &end));
  scrolled = find_widget (day.window, is_scrolled_window);
  scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), ==, 0);

  /* Focused, no ring while the keyboard is not used, as GTK draws its own. */
  gtk_window_set_focus_visible (GTK_WINDOW (day.window), FALSE);
  wait_for_a_frame (focus);
  unfocused = render (focus);
  g_assert_false (ink_at_the_end (unfocused));
  cairo_surface_destroy (unfocused);

  gtk_window_set_focus_visible (GTK_WINDOW (day.window), TRUE);
  wait_for_a_frame (focus);
  focused = render (focus);
  gtk_window_set_focus (GTK_WINDOW (day.window), NULL);
  wait_for_a_frame (focus);
  unfocused = render (focus);
  g_assert_true (ink_at_the_end (focused));
  g_assert_false (ink_at_the_end (unfocused));
  gtk_window_set_focus (GTK_WINDOW (day.window), focus);
  wait_for_a_frame (focus);
  g_assert_cmpfloat (focus_mark_contrast (focus), >=, 3);
  use_theme (TRUE);
  wait_for_a_frame (focus);
  g_assert_cmpfloat (focus_mark_contrast (focus), >=, 3);
  use_theme (FALSE);
  wait_for_a_frame (focus);

  graph = find_widget (day.window, is_graph);
  for (guint i = 0; i < 30 && gtk_window_get_focus (GTK_WINDOW (day.window)) != graph; i++)
    g_signal_emit_by_name (day.window, "move-focus", GTK_DIR_TAB_FORWARD);
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (day.window)) == graph);
  wait_for_frames ();
  content = gtk_bin_get_child (GTK_BIN (gtk_bin_get_child (GTK_BIN (scrolled))));
  g_assert_true (gtk_widget_translate_coordinates (graph, content, 0, 0, NULL, &top));
  g_assert_cmpfloat (top - gtk_adjustment_get_value (scroll), >=, 0);
  g_assert_cmpfloat (top + gtk_widget_get_allocated_height (graph), <=,
                     gtk_adjustment_get_value (scroll) + gtk_adjustment_get_page_size (scroll));

  cairo_surface_destroy (focused);
  cairo_surface_destroy (unfocused);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr(GError) error = NULL;

  /* The tests choose the theme: GTK_THEME would override it. */
  g_unsetenv ("GTK_THEME");
  gtk_test_init (&argc, &argv, NULL);

  /* As the application loads it, for the whole screen. */
  gtk_css_provider_load_from_resource (css, "/io/github/downbeat/Downbeat/downbeat-style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  app = gtk_application_new ("io.github.downbeat.DownbeatAccessTest", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_data_func ("/access/contrast/light", app, test_contrast_light);
  g_test_add_data_func ("/access/contrast/dark", app, test_contrast_dark);
  g_test_add_func ("/access/graph/described", test_graph_described);
  g_test_add_func ("/access/graph/lines-without-colour", test_graph_lines_without_colour);
  g_test_add_func ("/access/graph/focus-ring", test_graph_focus_ring);
  g_test_add_data_func ("/access/window/focus", app, test_window_focus);

  return g_test_run ();
}
