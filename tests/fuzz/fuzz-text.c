/* fuzz-text.c: the cleaner of text nobody vouches for, plain and HTML, fed anything
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "downbeat-text-private.h"
#include "fuzz-clean.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *plain = downbeat_text_clean ((const char *) data, size, DOWNBEAT_TEXT_SHORT);
  g_autofree char *html = downbeat_text_from_html (text, DOWNBEAT_TEXT_LONG);

  fuzz_assert_clean (plain, DOWNBEAT_TEXT_SHORT, TRUE);
  fuzz_assert_clean (html, DOWNBEAT_TEXT_LONG, TRUE);

  return 0;
}
