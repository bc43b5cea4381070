/* test-autostart.c: start at login, as a file outside a sandbox and through the portal inside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "downbeat-autostart.h"
#include "test-support.h"
#include "window-fixture.h"

static void
test_file (void)
{
  g_autoptr(DownbeatAutostart) autostart = downbeat_autostart_new (FALSE);
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "autostart",
                                            "io.github.downbeat.Downbeat.desktop", NULL);
  g_autofree char *contents = NULL;

  downbeat_autostart_set_enabled (autostart, TRUE);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\nExec=downbeat --autostart\n"));
  g_assert_nonnull (strstr (contents, "\nNoDisplay=true\n"));
  g_assert_cmpstr (downbeat_autostart_get_status (autostart), ==,
                   "Downbeat starts in the tray when you log in.");

  downbeat_autostart_set_enabled (autostart, FALSE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (downbeat_autostart_get_status (autostart));

  /* Turning off what was never on is no error. */
  downbeat_autostart_set_enabled (autostart, FALSE);
  g_assert_null (downbeat_autostart_get_status (autostart));
}

static void
test_file_cannot_be_written (void)
{
  g_autoptr(DownbeatAutostart) autostart = downbeat_autostart_new (FALSE);
  g_autofree char *directory = g_build_filename (g_get_user_config_dir (), "autostart", NULL);
  g_autoptr(GError) error = NULL;

  /* A file where the folder should be: even root cannot write into it. */
  g_rmdir (directory);
  g_file_set_contents (directory, "", 0, &error);
  g_assert_no_error (error);

  downbeat_autostart_set_enabled (autostart, TRUE);
  g_assert_true (g_str_has_prefix (downbeat_autostart_get_status (autostart),
                                   "Downbeat could not set itself to start at login: "));
  /* The cause is the folder's, read when it failed. */
  g_assert_true (g_str_has_suffix (downbeat_autostart_get_status (autostart),
                                   g_strerror (ENOTDIR)));
  g_unlink (directory);
}

static gboolean
has_status (gpointer autostart)
{
  return downbeat_autostart_get_status (autostart) != NULL;
}

static void
wait_for_status (DownbeatAutostart *autostart)
{
  test_wait_until (has_status, autostart, 30, "the autostart status");
}

static GSubprocess *
start_portal (gboolean            refuse,
              GDataInputStream  **requests)
{
  const char *script = g_test_get_filename (G_TEST_DIST, "mock-portal.py", NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *portal;

  portal = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/usr/bin/python3", script,
                             refuse ? "--refuse" : NULL, NULL);
  g_assert_no_error (error);
  *requests = g_data_input_stream_new (g_subprocess_get_stdout_pipe (portal));
  bus_fixture_wait_for_name ("org.freedesktop.portal.Desktop");

  return portal;
}

static void
test_portal (void)
{
  g_autoptr(DownbeatAutostart) autostart = downbeat_autostart_new (TRUE);
  g_autoptr(GDataInputStream) requests = NULL;
  g_autoptr(GSubprocess) portal = start_portal (FALSE, &requests);
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "autostart",
                                            "io.github.downbeat.Downbeat.desktop", NULL);

  downbeat_autostart_set_enabled (autostart, TRUE);
  wait_for_status (autostart);
  g_assert_cmpstr (downbeat_autostart_get_status (autostart), ==,
                   "The system lets Downbeat start when you log in.");

  request = g_data_input_stream_read_line (requests, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (request, "\"autostart\": true"));
  g_assert_nonnull (strstr (request, "\"commandline\": [\"downbeat\", \"--autostart\"]"));
  /* Inside the sandbox, no file is written outside it. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_subprocess_force_exit (portal);
  g_subprocess_wait (portal, NULL, NULL);
}

static void
test_portal_refuses (void)
{
  g_autoptr(DownbeatAutostart) autostart = downbeat_autostart_new (TRUE);
  g_autoptr(GDataInputStream) requests = NULL;
  g_autoptr(GSubprocess) portal = start_portal (TRUE, &requests);

  downbeat_autostart_set_enabled (autostart, TRUE);
  wait_for_status (autostart);
  g_assert_cmpstr (downbeat_autostart_get_status (autostart), ==,
                   "Starting at login was not allowed.");

  g_subprocess_force_exit (portal);
  g_subprocess_wait (portal, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = g_dir_make_tmp ("downbeat-autostart-XXXXXX", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", config);
  int status;

  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/autostart/file", test_file);
  g_test_add_func ("/autostart/file-cannot-be-written", test_file_cannot_be_written);
  g_test_add_func ("/autostart/portal", test_portal);
  g_test_add_func ("/autostart/portal-refuses", test_portal_refuses);

  status = g_test_run ();
  if (system (command) != 0)
    return 1;
  return status;
}
