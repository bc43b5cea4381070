/* fake-spotify-main.c: the fake as a program, for benchmarks and desktop tests
 *
 * Writes a service definition to the file named by its last argument, prints its port,
 * and serves until killed. GET /_control?endpoint=ap&mode=fail changes what it answers. With
 * --access-point it has an access point too, and the definition a handshake with it. With
 * --https PEM-FILE (a certificate and its key) it serves every endpoint over HTTPS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "fake-spotify.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FakeSpotify) fake = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *service = NULL;
  gboolean access_point = FALSE;
  int i;

  for (i = 1; i < argc - 1; i++)
    {
      if (g_str_equal (argv[i], "--access-point"))
        access_point = TRUE;
      else if (g_str_equal (argv[i], "--https") && i + 1 < argc - 1 && certificate == NULL)
        {
          certificate = g_tls_certificate_new_from_file (argv[++i], &error);
          if (certificate == NULL)
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
        }
      else
        break;
    }
  if (i != argc - 1)
    {
      g_printerr ("Usage: fake-spotify [--access-point] [--https PEM-FILE] SERVICE-FILE\n");
      return 2;
    }

  fake = fake_spotify_new_https (certificate);
  if (access_point)
    fake_spotify_add_access_point (fake);
  service = fake_spotify_service_json (fake);
  if (!g_file_set_contents (argv[argc - 1], service, -1, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  printf ("%u\n", fake_spotify_get_port (fake));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);
  return 0;
}
