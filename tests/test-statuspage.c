/* test-statuspage.c: the summary.json parser on real-shaped and broken bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "downbeat-statuspage.h"
#include "downbeat-text-private.h"

static DownbeatStatuspageSummary *
parse_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "statuspage", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  DownbeatStatuspageSummary *summary;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  summary = downbeat_statuspage_parse (contents, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

static void
assert_refused (const char *body,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatStatuspageSummary) summary = NULL;

  summary = downbeat_statuspage_parse (body, strlen (body), &error);
  g_assert_null (summary);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message_part);
}

static void
test_operational (void)
{
  g_autoptr(DownbeatStatuspageSummary) summary = parse_file ("operational.json");
  const DownbeatComponent *group, *web_player;

  g_assert_cmpint (summary->indicator, ==, DOWNBEAT_INDICATOR_NONE);
  g_assert_cmpstr (summary->description, ==, "All Systems Operational");
  g_assert_cmpstr (summary->page_name, ==, "Spotify");
  g_assert_nonnull (summary->updated_at);
  g_assert_cmpuint (summary->components->len, ==, 3);

  group = g_ptr_array_index (summary->components, 0);
  g_assert_true (group->group);
  g_assert_null (group->group_id);
  web_player = g_ptr_array_index (summary->components, 2);
  g_assert_cmpstr (web_player->name, ==, "Web Player");
  g_assert_cmpstr (web_player->group_id, ==, "grp1");
  g_assert_true (web_player->only_show_if_degraded);
  g_assert_cmpint (web_player->status, ==, DOWNBEAT_COMPONENT_OPERATIONAL);

  g_assert_cmpuint (summary->incidents->len, ==, 0);
  g_assert_false (downbeat_statuspage_summary_maintenance_in_progress (summary));
}

static void
test_minor_incident_newest_update (void)
{
  g_autoptr(DownbeatStatuspageSummary) summary = parse_file ("minor.json");
  const DownbeatIncident *incident;
  const DownbeatComponent *login;
  g_autofree char *at = NULL;

  g_assert_cmpint (summary->indicator, ==, DOWNBEAT_INDICATOR_MINOR);
  login = g_ptr_array_index (summary->components, 0);
  g_assert_cmpint (login->status, ==, DOWNBEAT_COMPONENT_DEGRADED_PERFORMANCE);

  g_assert_cmpuint (summary->incidents->len, ==, 1);
  incident = g_ptr_array_index (summary->incidents, 0);
  g_assert_cmpstr (incident->name, ==, "Some users cannot log in");
  g_assert_cmpstr (incident->impact, ==, "minor");
  g_assert_cmpstr (incident->shortlink, ==, "https://stspg.io/abc123");
  /* The updates come out of order: the newest is the one dated last. */
  g_assert_cmpstr (incident->latest_update_body, ==, "We found the cause and are fixing it.");
  g_assert_cmpstr (incident->latest_update_status, ==, "identified");
  at = g_date_time_format_iso8601 (incident->latest_update_at);
  g_assert_cmpstr (at, ==, "2026-11-28T10:40:00Z");
}

static void
test_major (void)
{
  g_autoptr(DownbeatStatuspageSummary) summary = parse_file ("major.json");
  const DownbeatComponent *login = g_ptr_array_index (summary->components, 0);
  const DownbeatComponent *playback = g_ptr_array_index (summary->components, 1);

  g_assert_cmpint (summary->indicator, ==, DOWNBEAT_INDICATOR_CRITICAL);
  g_assert_cmpint (login->status, ==, DOWNBEAT_COMPONENT_MAJOR_OUTAGE);
  g_assert_cmpint (playback->status, ==, DOWNBEAT_COMPONENT_PARTIAL_OUTAGE);
  g_assert_cmpuint (summary->incidents->len, ==, 1);
}

static void
test_maintenance (void)
{
  g_autoptr(DownbeatStatuspageSummary) summary = parse_file ("maintenance.json");
  const DownbeatIncident *upgrade;

  g_assert_cmpint (summary->indicator, ==, DOWNBEAT_INDICATOR_MAINTENANCE);
  g_assert_cmpuint (summary->scheduled_maintenances->len, ==, 2);
  g_assert_true (downbeat_statuspage_summary_maintenance_in_progress (summary));
  upgrade = g_ptr_array_index (summary->scheduled_maintenances, 0);
  g_assert_nonnull (upgrade->scheduled_for);
  g_assert_nonnull (upgrade->scheduled_until);
  g_assert_cmpstr (upgrade->latest_update_body, ==, "Maintenance is under way.");
}

static void
test_unknown_values (void)
{
  g_autoptr(DownbeatStatuspageSummary) summary = parse_file ("unknown.json");
  const DownbeatComponent *login = g_ptr_array_index (summary->components, 0);

  g_assert_cmpint (summary->indicator, ==, DOWNBEAT_INDICATOR_UNKNOWN);
  g_assert_cmpstr (summary->indicator_text, ==, "catastrophic");
  g_assert_cmpint (login->status, ==, DOWNBEAT_COMPONENT_UNKNOWN);
  g_assert_cmpstr (login->status_text, ==, "on_fire");
}

static void
test_missing_optional_fields (void)
{
  g_autoptr(DownbeatStatuspageSummary) summary = parse_file ("minimal.json");

  g_assert_cmpint (summary->indicator, ==, DOWNBEAT_INDICATOR_NONE);
  g_assert_null (summary->description);
  g_assert_null (summary->page_name);
  g_assert_cmpuint (summary->components->len, ==, 0);
  g_assert_cmpuint (summary->incidents->len, ==, 0);
  g_assert_cmpuint (summary->scheduled_maintenances->len, ==, 0);
}

static void
test_wrong_types (void)
{
  assert_refused ("[1,2,3]", "expected an object");
  assert_refused ("{\"components\":[]}", "status: missing");
  assert_refused ("{\"status\":\"none\"}", "status: expected an object");
  assert_refused ("{\"status\":{\"indicator\":3}}", "status.indicator: expected a string");
  assert_refused ("{\"status\":{\"indicator\":\"none\"},\"components\":{}}",
                  "components: expected a list");
  assert_refused ("{\"status\":{\"indicator\":\"none\"},\"components\":[7]}",
                  "components[0]: expected an object");
  assert_refused ("{\"status\":{\"indicator\":\"none\"},\"components\":[{\"name\":\"A\","
                  "\"status\":\"operational\",\"group\":\"yes\"}]}",
                  "components[0].group: expected true or false");
  assert_refused ("{\"status\":{\"indicator\":\"none\"},\"incidents\":[{\"name\":\"A\","
                  "\"incident_updates\":[{\"body\":5}]}]}",
                  "incidents[0].incident_updates[0].body: expected a string");
}

static void
test_not_json (void)
{
  assert_refused ("<!DOCTYPE html><html><body>Log in to the WiFi</body></html>", "not JSON");
  assert_refused ("{\"status\":", "not JSON");
  assert_refused ("", "empty");

  {
    g_autofree char *deep = g_strnfill (100000, '[');
    assert_refused (deep, "nested deeper");
  }
}

static void
test_hostile_text (void)
{
  g_autoptr(GString) body = g_string_new ("{\"status\":{\"indicator\":\"major\",\"description\":\"");
  g_autoptr(DownbeatStatuspageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  const DownbeatIncident *incident;

  for (guint i = 0; i < 5000; i++)
    g_string_append (body, "long ");
  g_string_append (body, "\"},\"incidents\":[{\"name\":\"Bad\\u0007 bell\\u202e and \xff byte\","
                         "\"shortlink\":\"javascript:alert(1)\","
                         "\"created_at\":\"0001-01-01T00:00:00Z\","
                         "\"updated_at\":\"not a date\"}]}");

  summary = downbeat_statuspage_parse (body->str, body->len, &error);
  g_assert_no_error (error);

  g_assert_true (g_utf8_validate (summary->description, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (summary->description, -1), <=, 200);
  g_assert_true (g_str_has_suffix (summary->description, "…"));

  incident = g_ptr_array_index (summary->incidents, 0);
  g_assert_true (g_utf8_validate (incident->name, -1, NULL));
  g_assert_null (strchr (incident->name, '\a'));
  g_assert_null (strstr (incident->name, "\u202e"));
  g_assert_true (g_str_has_prefix (incident->name, "Bad bell"));
  /* Kept as text: whoever opens links checks the scheme. */
  g_assert_cmpstr (incident->shortlink, ==, "javascript:alert(1)");
  g_assert_nonnull (incident->created_at);
  g_assert_null (incident->updated_at);
}

/* A real page's document, made a summary: the `status` object a summary has is added, and
 * @edit may change the rest before it is parsed. */
static DownbeatStatuspageSummary *
parse_real (const char  *name,
            const char  *indicator,
            void       (*edit) (JsonObject *root))
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "statuspage", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *root, *status;
  DownbeatStatuspageSummary *summary;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  status = json_object_new ();
  json_object_set_string_member (status, "indicator", indicator);
  json_object_set_object_member (root, "status", status);
  if (edit != NULL)
    edit (root);

  text = json_to_string (json_parser_get_root (parser), FALSE);
  summary = downbeat_statuspage_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  return summary;
}

/* GitHub's Git SSH incident as it stood at 13:38 UTC: its updates after that are dropped. */
static void
keep_git_ssh_incident_at_1338 (JsonObject *root)
{
  JsonArray *incidents = json_object_get_array_member (root, "incidents");
  JsonObject *incident = json_array_get_object_element (incidents, 1);
  JsonArray *updates = json_object_get_array_member (incident, "incident_updates");

  g_assert_cmpstr (json_object_get_string_member (incident, "name"), ==, "Disruption with Git SSH");
  json_array_remove_element (incidents, 0);
  for (guint i = json_array_get_length (updates); i > 0; i--)
    {
      JsonObject *update = json_array_get_object_element (updates, i - 1);

      if (g_strcmp0 (json_object_get_string_member (update, "created_at"),
                     "2024-09-16T13:38:25.023Z") > 0)
        json_array_remove_element (updates, i - 1);
    }
}

/* Statuspage keeps what people wrote as HTML: it is read as people read it. */
static void
test_real_html_update (void)
{
  g_autoptr(DownbeatStatuspageSummary) summary = parse_real ("real-github-incidents.json", "minor",
                                                             keep_git_ssh_incident_at_1338);
  const DownbeatIncident *incident;

  g_assert_cmpuint (summary->incidents->len, ==, 1);
  incident = g_ptr_array_index (summary->incidents, 0);
  g_assert_cmpstr (incident->latest_update_body, ==,
                   "We are seeing up to 2% of Git SSH connections failing.\n"
                   "\n"
                   "We have taken suspected problematic hosts out of rotation and are monitoring "
                   "for recovery and continuing to investigate.");
}

static void
test_html_entities_links_and_paragraphs (void)
{
  static const char body[] =
    "{\"status\":{\"indicator\":\"minor\"},\"incidents\":[{"
    "\"name\":\"Search &amp; Browse <b>slow</b>\","
    "\"incident_updates\":[{\"body\":\"<p>See <a href=\\\"https://status.example/x\\\">our page</a>"
    " &mdash; &lt;b&gt; is not a tag.</p><p>Second</p><ul><li>one</li><li>two</li></ul>"
    "<script>alert(1)</script>Line one\\nLine two<br><br><br><br>End\"}]}]}";
  g_autoptr(DownbeatStatuspageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  const DownbeatIncident *incident;

  summary = downbeat_statuspage_parse (body, strlen (body), &error);
  g_assert_no_error (error);
  incident = g_ptr_array_index (summary->incidents, 0);
  g_assert_cmpstr (incident->name, ==, "Search & Browse slow");
  g_assert_cmpstr (incident->latest_update_body, ==,
                   "See our page — <b> is not a tag.\n"
                   "\n"
                   "Second\n"
                   "\n"
                   "• one\n"
                   "• two\n"
                   "Line one\n"
                   "Line two\n"
                   "\n"
                   "End");
}

static char *
repeated (const char *before,
          const char *unit,
          guint       times,
          const char *after)
{
  GString *text = g_string_new (before);

  for (guint i = 0; i < times; i++)
    g_string_append (text, unit);
  g_string_append (text, after);
  return g_string_free (text, FALSE);
}

/* Text cleaning is linear. An update of 500,000 line breaks took a quadratic cleaner 2.2 s, and
 * each empty paragraph after a run of breaks read the whole run again. 8,000,000 breaks, or
 * 500,000 <br> and 200,000 empty paragraphs, take a linear cleaner a second or two and a
 * quadratic one many minutes: run apart, with a deadline far from both. */
static void
test_many_line_breaks (void)
{
  g_autofree char *newlines = NULL;
  g_autofree char *blocks = NULL;
  g_autofree char *newlines_text = NULL;
  g_autofree char *blocks_text = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  newlines = repeated ("<p>one", "\n", 8 * 1000 * 1000, "two</p>");
  newlines_text = downbeat_text_from_html (newlines, DOWNBEAT_TEXT_LONG);
  g_assert_cmpstr (newlines_text, ==, "one\n\ntwo");

  {
    g_autofree char *brs = repeated ("one", "<br>", 500 * 1000, "");

    blocks = repeated (brs, "<p></p>", 200 * 1000, "two");
  }
  blocks_text = downbeat_text_from_html (blocks, DOWNBEAT_TEXT_LONG);
  g_assert_cmpstr (blocks_text, ==, "one\n\ntwo");
}

static gboolean
libxml2_is_loaded (void)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, "/libxml2.so") != NULL;
}

/* libxml2 (and the ICU it brings) costs a tray app memory all day: it is loaded with the first
 * text that holds markup, not before. */
static void
test_html_parser_loaded_when_needed (void)
{
  g_autofree char *plain = NULL;
  g_autofree char *marked = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  plain = downbeat_text_from_html ("We are investigating.", DOWNBEAT_TEXT_LONG);
  g_assert_cmpstr (plain, ==, "We are investigating.");
  g_assert_false (libxml2_is_loaded ());

  marked = downbeat_text_from_html ("Logins &amp; playback<br>fail", DOWNBEAT_TEXT_LONG);
  g_assert_cmpstr (marked, ==, "Logins & playback\nfail");
  g_assert_true (libxml2_is_loaded ());
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/statuspage/operational", test_operational);
  g_test_add_func ("/statuspage/minor-incident-newest-update", test_minor_incident_newest_update);
  g_test_add_func ("/statuspage/major", test_major);
  g_test_add_func ("/statuspage/maintenance", test_maintenance);
  g_test_add_func ("/statuspage/unknown-values", test_unknown_values);
  g_test_add_func ("/statuspage/missing-optional-fields", test_missing_optional_fields);
  g_test_add_func ("/statuspage/wrong-types", test_wrong_types);
  g_test_add_func ("/statuspage/not-json", test_not_json);
  g_test_add_func ("/statuspage/hostile-text", test_hostile_text);
  g_test_add_func ("/statuspage/many-line-breaks", test_many_line_breaks);
  g_test_add_func ("/statuspage/html-parser-loaded-when-needed",
                   test_html_parser_loaded_when_needed);
  g_test_add_func ("/statuspage/real-html-update", test_real_html_update);
  g_test_add_func ("/statuspage/html-entities-links-and-paragraphs",
                   test_html_entities_links_and_paragraphs);

  return g_test_run ();
}
