/* fuzz-service.c: the service-definition parser, fed anything
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "downbeat-service.h"
#include "downbeat-text-private.h"
#include "fuzz-clean.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* What a definition names reaches terminals, notifications and windows: cleaned as network
 * text is (docs/design.md, "Service definition"). */
static void
assert_names_clean (DownbeatService *service)
{
  GPtrArray *official = downbeat_service_get_official (service);
  GPtrArray *probes = downbeat_service_get_probes (service);
  GPtrArray *outages = downbeat_service_get_notable_outages (service);

  fuzz_assert_clean (downbeat_service_get_name (service), DOWNBEAT_TEXT_SHORT, FALSE);
  for (guint i = 0; i < official->len; i++)
    fuzz_assert_clean (((DownbeatOfficialSource *) g_ptr_array_index (official, i))->name,
                       DOWNBEAT_TEXT_SHORT, FALSE);
  for (guint i = 0; i < probes->len; i++)
    {
      const DownbeatProbeSpec *probe = g_ptr_array_index (probes, i);

      fuzz_assert_clean (probe->id, DOWNBEAT_TEXT_SHORT, FALSE);
      fuzz_assert_clean (probe->name, DOWNBEAT_TEXT_SHORT, FALSE);
    }
  for (guint i = 0; i < outages->len; i++)
    {
      const DownbeatNotableOutage *outage = g_ptr_array_index (outages, i);

      fuzz_assert_clean (outage->title, DOWNBEAT_TEXT_SHORT, FALSE);
      fuzz_assert_clean (outage->details, DOWNBEAT_TEXT_LONG, TRUE);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service =
    downbeat_service_new_from_data ((const char *) data, size, "fuzz.json", &error);

  /* Either a service or an error naming what is wrong: never both, never neither. */
  g_assert_true ((service == NULL) != (error == NULL));
  if (error != NULL)
    g_assert_true (g_str_has_prefix (error->message, "fuzz.json"));
  else
    assert_names_clean (service);

  return 0;
}
