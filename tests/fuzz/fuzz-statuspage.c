/* fuzz-statuspage.c: the Statuspage summary parser, fed anything
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "downbeat-statuspage.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
assert_clean (const char *text)
{
  /* Whatever came in, what goes out is valid UTF-8 without control characters. */
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_assert_true (c == '\n' || !g_unichar_iscntrl (c));
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatStatuspageSummary) summary =
    downbeat_statuspage_parse ((const char *) data, size, &error);

  g_assert_true ((summary == NULL) != (error == NULL));
  if (summary == NULL)
    return 0;

  assert_clean (summary->page_name);
  assert_clean (summary->description);
  for (guint i = 0; i < summary->components->len; i++)
    assert_clean (((DownbeatComponent *) g_ptr_array_index (summary->components, i))->name);
  for (guint i = 0; i < summary->incidents->len; i++)
    {
      const DownbeatIncident *incident = g_ptr_array_index (summary->incidents, i);

      assert_clean (incident->name);
      assert_clean (incident->latest_update_body);
    }
  downbeat_statuspage_summary_maintenance_in_progress (summary);

  return 0;
}
