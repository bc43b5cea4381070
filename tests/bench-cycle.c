/* bench-cycle.c: CPU time and bytes on the wire of one steady check cycle
 *
 * Runs the real monitor against tests/fake-spotify in a process of its own, so that only
 * Downbeat's own work is counted. Goals (issue: the engine): at most 2 ms CPU and 4 KiB per
 * cycle when nothing changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "downbeat-monitor.h"

#define WARM_UP 3

typedef struct
{
  GMainLoop *loop;
  guint      cycles;
  guint      wanted;
  guint64    bytes;
  double     cpu_started;
  gint64     wall_started;
  GPtrArray *levels;
} Bench;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static gboolean
next_cycle (gpointer user_data)
{
  downbeat_monitor_check_now (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_checked (DownbeatMonitor *monitor,
            DownbeatReport  *report,
            Bench           *bench)
{
  bench->cycles++;

  if (report->level != DOWNBEAT_LEVEL_OPERATIONAL)
    g_error ("cycle %u: %s", bench->cycles, report->summary);

  if (bench->cycles == WARM_UP)
    {
      bench->cpu_started = cpu_seconds ();
      bench->wall_started = g_get_monotonic_time ();
    }
  else if (bench->cycles > WARM_UP)
    bench->bytes += report->wire_bytes;

  if (bench->cycles == WARM_UP + bench->wanted)
    g_main_loop_quit (bench->loop);
  else
    g_idle_add (next_cycle, monitor);
}

/* The built-in definition's probes as they are now (tests/../data/spotify.json), pointed at the
 * fake: the access points' JSON, the handshake with the fake's access point (as the fake's own
 * definition has it, @handshake), the web player read for its status only, the Web API's 401. */
static char *
builtin_shape_json (const char *port,
                    const char *handshake)
{
  GString *json = g_string_new (
    "{\"format\":1,\"name\":\"Spotify\","
    "\"official\":[{\"name\":\"Spotify\",\"summary_url\":\"http://127.0.0.1:{PORT}/summary\"}],"
    "\"probes\":["
    "{\"id\":\"access-points\",\"name\":\"Access point list\",\"url\":\"http://127.0.0.1:{PORT}/ap\","
    "\"expect_status\":[200],\"expect_json_key\":\"accesspoint\"},{HANDSHAKE},"
    "{\"id\":\"web-player\",\"name\":\"Web player\",\"url\":\"http://127.0.0.1:{PORT}/player\"},"
    "{\"id\":\"web-api\",\"name\":\"Web API\",\"url\":\"http://127.0.0.1:{PORT}/api\","
    "\"expect_status\":[401],\"expect_json_key\":\"error\",\"audience\":\"developers\"}],"
    "\"control\":{\"url\":\"http://127.0.0.1:{PORT}/control\",\"expect_status\":[200],"
    "\"expect_body_contains\":\"NetworkManager is online\"}}");

  g_string_replace (json, "{PORT}", port, 0);
  g_string_replace (json, "{HANDSHAKE}", handshake, 1);
  return g_string_free (json, FALSE);
}

/* The handshake probe of the fake's definition, as JSON. */
static char *
handshake_json (const char *service_path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *probes;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  if (!json_parser_load_from_file (parser, service_path, &error))
    g_error ("%s", error->message);
  probes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "probes");
  json_generator_set_root (generator,
                           json_array_get_element (probes, json_array_get_length (probes) - 1));
  return json_generator_to_data (generator, NULL);
}

static void
run_bench (const char      *title,
           DownbeatService *service,
           guint            wanted)
{
  g_autoptr(SoupSession) session = downbeat_fetch_session_new ();
  g_autoptr(DownbeatMonitor) monitor = downbeat_monitor_new (service, session, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Bench bench = { 0 };
  double cpu;

  bench.loop = loop;
  bench.wanted = wanted;
  g_signal_connect (monitor, "checked", G_CALLBACK (on_checked), &bench);

  downbeat_monitor_start (monitor);
  g_main_loop_run (loop);

  cpu = cpu_seconds () - bench.cpu_started;
  printf ("%s\n", title);
  printf ("steady cycles:         %u (after %u to warm up)\n", bench.wanted, WARM_UP);
  printf ("requests per cycle:    %u probes, %s control, %u official pages\n",
          downbeat_service_get_probes (service)->len,
          downbeat_service_get_control (service) != NULL ? "1" : "no",
          downbeat_service_get_official (service)->len);
  printf ("CPU per cycle:         %.3f ms   (goal: at most 2 ms)\n", cpu * 1000 / bench.wanted);
  printf ("bytes per cycle:       %.0f B    (goal: at most 4096 B; HTTP headers and bodies)\n",
          (double) bench.bytes / bench.wanted);
  printf ("wall time per cycle:   %.2f ms\n\n",
          (g_get_monotonic_time () - bench.wall_started) / 1000.0 / bench.wanted);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_path_get_dirname (argv[0]);
  g_autofree char *fake_path = g_build_filename (dir, "fake-spotify", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("downbeat-bench-XXXXXX", NULL);
  g_autofree char *service_path = g_build_filename (tmp, "service.json", NULL);
  const char *fake_argv[] = { fake_path, "--access-point", service_path, NULL };
  g_autoptr(GSubprocess) fake = NULL;
  g_autoptr(GDataInputStream) fake_out = NULL;
  g_autofree char *port = NULL;
  g_autofree char *builtin = NULL;
  g_autofree char *handshake = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = NULL;
  g_autoptr(DownbeatService) builtin_service = NULL;
  guint wanted;

  wanted = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200;
  if (wanted == 0)
    g_error ("Usage: bench-cycle [CYCLES]");

  fake = g_subprocess_newv (fake_argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (fake == NULL)
    g_error ("%s", error->message);
  fake_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fake));
  port = g_data_input_stream_read_line (fake_out, NULL, NULL, &error);
  if (port == NULL)
    g_error ("fake-spotify did not start: %s", error ? error->message : "no port");

  service = downbeat_service_new_from_file (service_path, &error);
  if (service == NULL)
    g_error ("%s", error->message);
  handshake = handshake_json (service_path);
  builtin = builtin_shape_json (port, handshake);
  builtin_service = downbeat_service_new_from_data (builtin, strlen (builtin), "builtin-shape.json",
                                                    &error);
  if (builtin_service == NULL)
    g_error ("%s", error->message);

  run_bench ("== the fake's definition (four probes, two of them HEAD, and the handshake)", service,
             wanted);
  run_bench ("== the built-in definition's probes (GET each; the web player read for its status only)",
             builtin_service, wanted);

  g_subprocess_force_exit (fake);
  g_unlink (service_path);
  g_rmdir (tmp);
  return 0;
}
