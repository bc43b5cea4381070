/* fuzz-service.c: the service-definition parser, fed anything
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "downbeat-service.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

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

  return 0;
}
