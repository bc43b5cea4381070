/* icon-sheet.c: draws the status icons as a tray shows them, for the README
 *
 * Usage: icon-sheet ICON-DIR OUTPUT.png
 * Rows: a light and a dark panel; columns: each level at 16, 22, 24 and 32 px.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <cairo.h>
#include <gdk/gdk.h>

static const char * const levels[] = {
  "operational", "degraded", "outage", "maintenance", "offline", "unknown",
};
static const int sizes[] = { 16, 22, 24, 32 };
static const double panels[][3] = {
  { 0xf6 / 255.0, 0xf5 / 255.0, 0xf4 / 255.0 },   /* Adwaita light */
  { 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0 },   /* a dark top bar */
};

#define GAP 10

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int group_width = 0;
  int row_height = 32 + 2 * GAP;
  int width, height;

  if (argc != 3)
    {
      g_printerr ("Usage: icon-sheet ICON-DIR OUTPUT.png\n");
      return 2;
    }

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    group_width += sizes[s] + GAP;
  width = G_N_ELEMENTS (levels) * (group_width + 2 * GAP) + GAP;
  height = G_N_ELEMENTS (panels) * row_height;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);

  for (guint p = 0; p < G_N_ELEMENTS (panels); p++)
    {
      int x = 2 * GAP;

      cairo_set_source_rgb (cr, panels[p][0], panels[p][1], panels[p][2]);
      cairo_rectangle (cr, 0, p * row_height, width, row_height);
      cairo_fill (cr);

      for (guint l = 0; l < G_N_ELEMENTS (levels); l++)
        {
          for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
            {
              g_autofree char *path = g_strdup_printf ("%s/io.github.downbeat.Downbeat-%s.svg",
                                                       argv[1], levels[l]);
              g_autoptr(GdkPixbuf) pixbuf =
                gdk_pixbuf_new_from_file_at_size (path, sizes[s], sizes[s], &error);

              if (pixbuf == NULL)
                {
                  g_printerr ("%s\n", error->message);
                  return 1;
                }
              gdk_cairo_set_source_pixbuf (cr, pixbuf, x,
                                           p * row_height + (row_height - sizes[s]) / 2);
              cairo_paint (cr);
              x += sizes[s] + GAP;
            }
          x += 2 * GAP;
        }
    }

  cairo_destroy (cr);
  if (cairo_surface_write_to_png (surface, argv[2]) != CAIRO_STATUS_SUCCESS)
    {
      g_printerr ("Cannot write %s\n", argv[2]);
      return 1;
    }
  cairo_surface_destroy (surface);
  return 0;
}
