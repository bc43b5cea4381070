/* fuzz-handshake.c: an access point's answer as the handshake reads it, fed anything
 *
 * The input is the message after its four bytes of length, which are made to tell the truth:
 * the reader is held to the bytes announced, in a block of exactly that size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "downbeat-handshake.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Any valid key: no input can be signed with it but by breaking RSA. */
static DownbeatHandshakeKey *
fuzz_key (void)
{
  static DownbeatHandshakeKey *key;

  if (key == NULL)
    {
      guint8 modulus[256];

      for (guint i = 0; i < sizeof modulus; i++)
        modulus[i] = 0xa5 ^ (i * 7);
      modulus[sizeof modulus - 1] |= 1;
      key = downbeat_handshake_key_new (modulus, sizeof modulus, 65537, NULL);
      g_assert (key != NULL);
    }
  return key;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree guint8 *answer = NULL;
  g_autofree char *detail = NULL;
  guint32 length;

  if (size + 4 > DOWNBEAT_HANDSHAKE_MAX_ANSWER)
    return 0;

  answer = g_malloc (size + 4);
  length = GUINT32_TO_BE (size + 4);
  memcpy (answer, &length, 4);
  memcpy (answer + 4, data, size);

  g_assert (downbeat_handshake_answer_length (answer, 4) == (gssize) size + 4 || size == 0);
  if (size == 0)
    return 0;

  g_assert (downbeat_handshake_check_answer (fuzz_key (), answer, size + 4, &detail)
            != DOWNBEAT_HANDSHAKE_VERIFIED);
  g_assert (detail != NULL && g_utf8_validate (detail, -1, NULL));
  return 0;
}
