/* bench-history.c: a year of history at a 60 s interval, written through the real code path
 *
 * Usage: bench-history [DAYS]   (default 365)
 * Prints how long the writing took, the size of the file, and the time to open it and
 * answer the window's questions (30-day uptime, 24 h latency series, outages).
 * Goals: open + questions at most 50 ms; the file at most 20 MiB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "downbeat-history.h"

static const char * const probe_ids[] = { "access-points", "web-api", "login", "web-player" };

static DownbeatReport *
make_report (gint64         at,
             DownbeatLevel  level,
             GRand         *rand)
{
  DownbeatReport *report = downbeat_report_new ();

  report->level = level;
  report->service_name = g_strdup ("Spotify");
  report->checked_at = g_date_time_new_from_unix_utc (at);

  for (guint i = 0; i < G_N_ELEMENTS (probe_ids); i++)
    {
      DownbeatProbeSpec spec = { .id = (char *) probe_ids[i], .name = (char *) probe_ids[i] };
      DownbeatProbeStatus *status = downbeat_probe_status_new (&spec);

      status->result = g_new0 (DownbeatProbeResult, 1);
      status->result->ok = level != DOWNBEAT_LEVEL_OUTAGE;
      status->result->http_status = status->result->ok ? 200 : 503;
      status->result->latency_ms = g_rand_int_range (rand, 40, 400);
      g_ptr_array_add (report->probes, status);
    }

  return report;
}

static gint64
file_size (const char *path)
{
  GStatBuf buf;

  return g_stat (path, &buf) == 0 ? buf.st_size : 0;
}

int
main (int   argc,
      char *argv[])
{
  guint days = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 365;
  g_autofree char *directory = g_dir_make_tmp ("downbeat-bench-history-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "history.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 start = 1764547200;   /* 2025-12-01 */
  gint64 end = start + (gint64) days * 86400;
  gint64 began;
  double write_s;
  double open_ms, uptime_ms, latency_ms, outages_ms;
  g_autoptr(DownbeatHistory) history = downbeat_history_new (path);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (end);
  g_autoptr(GDateTime) month_ago = g_date_time_add_days (now, -30);
  g_autoptr(GDateTime) day_ago = g_date_time_add_days (now, -1);
  g_autoptr(GArray) points = NULL;
  g_autoptr(GPtrArray) outages = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  DownbeatUptime uptime;

  /* An outage of half an hour every week or so. */
  began = g_get_monotonic_time ();
  for (gint64 at = start; at < end; at += 60)
    {
      DownbeatLevel level = (at - start) % (7 * 86400 + 3600) < 1800
                            ? DOWNBEAT_LEVEL_OUTAGE : DOWNBEAT_LEVEL_OPERATIONAL;
      g_autoptr(DownbeatReport) report = make_report (at, level, rand);

      if (!downbeat_history_record (history, report))
        g_error ("%s", downbeat_history_get_problem (history));
    }
  write_s = (g_get_monotonic_time () - began) / 1e6;
  g_clear_object (&history);

  began = g_get_monotonic_time ();
  history = downbeat_history_new (path);
  open_ms = (g_get_monotonic_time () - began) / 1e3;

  began = g_get_monotonic_time ();
  uptime = downbeat_history_uptime (history, month_ago, now);
  uptime_ms = (g_get_monotonic_time () - began) / 1e3;

  began = g_get_monotonic_time ();
  points = downbeat_history_latency (history, day_ago, &ids);
  latency_ms = (g_get_monotonic_time () - began) / 1e3;

  began = g_get_monotonic_time ();
  outages = downbeat_history_outages (history, month_ago);
  outages_ms = (g_get_monotonic_time () - began) / 1e3;

  g_print ("%u days at 60 s: %.0f checks written in %.1f s (%.0f us a check)\n",
           days, days * 1440.0, write_s, write_s * 1e6 / (days * 1440.0));
  g_print ("file: %.1f MiB (+ %.1f MiB write-ahead log)          goal <= 20 MiB\n",
           file_size (path) / 1048576.0, file_size (wal) / 1048576.0);
  g_print ("open: %.2f ms, 30-day uptime: %.2f ms (%.3f%%), 24 h latency: %.2f ms (%u points),"
           " outages: %.2f ms (%u)\n",
           open_ms, uptime_ms, 100 * downbeat_uptime_ratio (&uptime), latency_ms, points->len,
           outages_ms, outages->len);
  g_print ("open + questions: %.2f ms                      goal <= 50 ms\n",
           open_ms + uptime_ms + latency_ms + outages_ms);

  g_clear_object (&history);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (directory);
  return 0;
}
