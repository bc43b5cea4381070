/* test-access.c: the window for those who read it with a screen reader, a keyboard or weak eyes
 *
 * Under a real X server: contrast in Adwaita and Adwaita-dark, the graph in words and its lines
 * told apart without colour, where focus starts and that it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "downbeat-graph.h"
#include "downbeat-history.h"
#include "downbeat-level.h"
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
  GtkWidget *badge = gtk_label_new ("Badge");

  use_theme (dark);
  window_of_a_day_init (&day, app);

  g_assert_cmpuint (assert_labels_readable (day.window, theme), >, 30);
  g_assert_cmpuint (assert_labels_readable (gtk_window_get_titlebar (GTK_WINDOW (day.window)),
                                            theme), >, 0);

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
  g_object_ref_sink (badge);
  g_object_unref (badge);
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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr(GError) error = NULL;

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

  return g_test_run ();
}
