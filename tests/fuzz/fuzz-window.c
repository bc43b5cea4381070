/* fuzz-window.c: a service definition and its status page's summary, fed anything, through the
 * monitor's check to the detail window, built and drawn
 *
 * The input is a definition, a line "%%", then the summary its status pages answer (without
 * that line, the whole input is the definition and the pages answer nothing). Every address of
 * the definition is taken as http and every request goes to a server of this process on
 * 127.0.0.1, acting as the proxy: a probe gets "ok", a status page the summary. One check,
 * with the window open, must keep what docs/design.md promises of a hostile definition or
 * page: the main loop never held for long, libsoup's queue never flooded, the window's
 * status page section a few rows whatever the page lists, the whole input done in seconds.
 *
 * Needs a display (xvfb-run). Usage as the other targets: see fuzz-main.c and build-aux/fuzz.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "downbeat-fetch.h"
#include "downbeat-monitor.h"
#include "downbeat-probe-row.h"
#include "downbeat-window.h"

/* Sanitizers slow everything down and grow it by this much; the bounds are for the app. */
#if defined(__SANITIZE_THREAD__)
# define SLOWDOWN 8
#elif defined(__SANITIZE_ADDRESS__)
# define SLOWDOWN 3
#elif defined(__has_feature)
# if __has_feature(thread_sanitizer)
#  define SLOWDOWN 8
# elif __has_feature(address_sanitizer)
#  define SLOWDOWN 3
# endif
#endif
#ifndef SLOWDOWN
# define SLOWDOWN 1
#endif

/* The most CPU the main loop may spend at once: the app answers D-Bus and redraws between. CPU
 * time, not the clock's: fuzzers side by side on a busy machine do not stretch it. */
#define MAX_STALL_S (1 * SLOWDOWN)
/* The longest one input may take: a check with every request answered at once, and a draw. */
#define MAX_INPUT_S (10 * SLOWDOWN)
/* Requests queued in libsoup at once: the monitor sends a few at a time. */
#define MAX_QUEUED 64
/* The whole process at its largest: GTK and a window take some 100 MiB of it. */
#define MAX_RSS_MB (256 * SLOWDOWN)
/* The window's widgets but the probe rows: a few for the window, a few rows a status page. */
#define MAX_WIDGETS_FIXED 200
#define MAX_WIDGETS_PER_PAGE 40

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* An abort, not g_error()'s trap: libFuzzer keeps the input that caused it. */
G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN static void
fail (const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("fuzz-window: %s\n", message);
  abort ();
}

static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

typedef struct
{
  GtkApplication *app;
  SoupServer     *server;
  SoupSession    *session;
  guint           queued;
  GBytes         *summary;
  GHashTable     *summary_urls;
} Harness;

static void
serve (SoupServer        *server,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  Harness *harness = user_data;
  g_autofree char *uri = g_uri_to_string (soup_server_message_get_uri (msg));

  if (g_hash_table_contains (harness->summary_urls, uri))
    {
      gsize size;
      gconstpointer body = g_bytes_get_data (harness->summary, &size);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, size);
    }
  else if (g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_CONNECT))
    soup_server_message_set_status (msg, 403, NULL);
  else
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
    }
}

static void
on_request_queued (SoupSession *session,
                   SoupMessage *msg,
                   Harness     *harness)
{
  harness->queued++;
  if (harness->queued > MAX_QUEUED)
    fail ("%u requests queued in libsoup at once", harness->queued);
}

static void
on_request_unqueued (SoupSession *session,
                     SoupMessage *msg,
                     Harness     *harness)
{
  harness->queued--;
}

static Harness *
harness_get (void)
{
  static Harness *harness;
  g_autoptr(GError) error = NULL;
  g_autoptr(GProxyResolver) proxy = NULL;
  g_autofree char *proxy_uri = NULL;
  GSList *uris;

  if (harness != NULL)
    return harness;

  if (!gtk_init_check (NULL, NULL))
    g_error ("No display: run under xvfb-run");

  harness = g_new0 (Harness, 1);
  harness->app = gtk_application_new ("io.github.downbeat.DownbeatFuzz",
                                      G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (harness->app), NULL, &error))
    g_error ("%s", error->message);

  harness->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (harness->server, NULL, serve, harness, NULL);
  if (!soup_server_listen_local (harness->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("%s", error->message);
  uris = soup_server_get_uris (harness->server);
  proxy_uri = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* Nothing leaves this computer: every address, whatever its host, is asked of the server. */
  proxy = g_simple_proxy_resolver_new (proxy_uri, NULL);
  harness->session = downbeat_fetch_session_new ();
  soup_session_set_proxy_resolver (harness->session, proxy);
  g_signal_connect (harness->session, "request-queued", G_CALLBACK (on_request_queued), harness);
  g_signal_connect (harness->session, "request-unqueued", G_CALLBACK (on_request_unqueued),
                    harness);

  return harness;
}

/* The addresses the server answers with the summary, as it sees them. */
static GHashTable *
summary_urls (DownbeatService *service)
{
  GHashTable *urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *official = downbeat_service_get_official (service);

  for (guint i = 0; i < official->len; i++)
    {
      const DownbeatOfficialSource *source = g_ptr_array_index (official, i);
      g_autoptr(GUri) uri = g_uri_parse (source->summary_url, G_URI_FLAGS_ENCODED, NULL);

      if (uri != NULL)
        g_hash_table_add (urls, g_uri_to_string (uri));
    }
  return urls;
}

static guint
count_widgets_but_probe_rows (GtkWidget *widget)
{
  guint count = 1;

  if (DOWNBEAT_IS_PROBE_ROW (widget))
    return 0;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        count += count_widgets_but_probe_rows (l->data);
    }
  return count;
}

static void
on_checked (DownbeatMonitor *monitor,
            DownbeatReport  *report,
            gboolean        *checked)
{
  *checked = TRUE;
}

static gboolean
on_draw (GtkWidget *widget,
         cairo_t   *cr,
         gboolean  *drawn)
{
  *drawn = TRUE;
  return FALSE;
}

static void
run_until (gboolean   *flag,
           gint64      started_us,
           gint64     *longest_us,
           const char *what)
{
  while (!*flag)
    {
      gint64 before = thread_cpu_us ();

      if (g_get_monotonic_time () - started_us > MAX_INPUT_S * G_USEC_PER_SEC)
        fail ("Waited %d s in vain for %s", MAX_INPUT_S, what);
      g_main_context_iteration (NULL, TRUE);
      *longest_us = MAX (*longest_us, thread_cpu_us () - before);
    }
}

static void
check_held (gint64 longest_us)
{
  if (longest_us > MAX_STALL_S * G_USEC_PER_SEC)
    fail ("The main loop was held for %.1f s of CPU at once",
          longest_us / (double) G_USEC_PER_SEC);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  Harness *harness = harness_get ();
  g_autoptr(GString) definition = g_string_new_len ((const char *) data, size);
  g_autoptr(DownbeatService) service = NULL;
  g_autoptr(DownbeatMonitor) monitor = NULL;
  GtkWidget *window;
  const char *split = strstr (definition->str, "\n%%\n");
  gboolean checked = FALSE;
  gboolean drawn = FALSE;
  gint64 started_us = g_get_monotonic_time ();
  gint64 started_cpu_us = thread_cpu_us ();
  gint64 longest_us;
  guint widgets;
  struct rusage usage;

  if (split != NULL)
    {
      gsize at = split - definition->str;

      harness->summary = g_bytes_new (split + 4, definition->len - at - 4);
      g_string_truncate (definition, at);
    }
  else
    harness->summary = g_bytes_new (NULL, 0);
  g_string_replace (definition, "https://", "http://", 0);

  service = downbeat_service_new_from_data (definition->str, definition->len, "fuzz.json", NULL);
  if (service == NULL)
    {
      g_clear_pointer (&harness->summary, g_bytes_unref);
      return 0;
    }
  harness->summary_urls = summary_urls (service);

  monitor = downbeat_monitor_new (service, harness->session, NULL);
  g_object_set (monitor, "confirmations", 1, NULL);
  g_signal_connect (monitor, "checked", G_CALLBACK (on_checked), &checked);

  window = GTK_WIDGET (downbeat_window_new (harness->app, monitor, NULL));
  g_signal_connect (window, "draw", G_CALLBACK (on_draw), &drawn);
  gtk_widget_show (window);
  longest_us = thread_cpu_us () - started_cpu_us;

  downbeat_monitor_start (monitor);
  run_until (&checked, started_us, &longest_us, "the check");
  check_held (longest_us);
  widgets = count_widgets_but_probe_rows (window);
  if (widgets > MAX_WIDGETS_FIXED
                + MAX_WIDGETS_PER_PAGE * downbeat_service_get_official (service)->len)
    fail ("The window holds %u widgets besides its probe rows", widgets);

  drawn = FALSE;
  gtk_widget_queue_draw (window);
  run_until (&drawn, started_us, &longest_us, "the window drawn");
  check_held (longest_us);
  getrusage (RUSAGE_SELF, &usage);
  if (usage.ru_maxrss > MAX_RSS_MB * 1024)
    fail ("The process grew to %ld MiB", usage.ru_maxrss / 1024);

  gtk_widget_destroy (window);
  g_clear_object (&monitor);
  /* The requests the monitor cancelled call back before the next input counts its own. */
  while (harness->queued > 0)
    {
      if (g_get_monotonic_time () - started_us > MAX_INPUT_S * G_USEC_PER_SEC)
        fail ("%u requests still queued %d s after the input began", harness->queued, MAX_INPUT_S);
      g_main_context_iteration (NULL, TRUE);
    }
  g_clear_pointer (&harness->summary_urls, g_hash_table_unref);
  g_clear_pointer (&harness->summary, g_bytes_unref);

  return 0;
}
