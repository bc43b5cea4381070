/* downbeat-memory.c: how much memory the process holds in live allocations
 *
 * What a leak grows: the bytes handed out by malloc and not yet freed. Unlike a process's
 * resident or private memory, it does not move with the allocator's arrangement, a thread's
 * first stack, a library's one-time tables or what a sanitizer keeps of freed blocks, so a test
 * can hold it to a few kilobytes over hundreds of checks on a loaded machine. One exception:
 * glibc counts the blocks a thread freed into its own cache (tcache, up to 7 of each size) as in
 * use, so the figure rises while those caches fill; tests turn them off
 * (GLIBC_TUNABLES=glibc.malloc.tcache_count=0, tests/desktop.py).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-memory"

#include "config.h"

#include "downbeat-memory.h"

#include <sqlite3.h>

#if defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#  define DOWNBEAT_SANITIZED 1
# endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
# define DOWNBEAT_SANITIZED 1
#endif

#if defined(DOWNBEAT_SANITIZED)
/* The sanitizers replace malloc; their runtime counts what is allocated and not freed (a block
 * in AddressSanitizer's quarantine is freed). */
size_t __sanitizer_get_current_allocated_bytes (void);
#elif defined(__GLIBC__)
# include <malloc.h>
#endif

/**
 * downbeat_memory_in_use:
 *
 * Returns: the bytes of the allocations this process holds now, in all threads; 0 where the C
 *   library does not say
 */
gsize
downbeat_memory_in_use (void)
{
#if defined(DOWNBEAT_SANITIZED)
  return __sanitizer_get_current_allocated_bytes ();
#elif defined(__GLIBC__)
  struct mallinfo2 info = mallinfo2 ();

  /* In the arenas, and in the blocks large enough to be mapped on their own. */
  return info.uordblks + info.hblkhd;
#else
  return 0;
#endif
}

/**
 * downbeat_memory_in_sqlite:
 *
 * Returns: the bytes of those allocations SQLite holds: mostly the history's page caches,
 *   which grow with the file up to their bound, a page every few checks, and are no leak
 */
gsize
downbeat_memory_in_sqlite (void)
{
  return sqlite3_memory_used ();
}

/**
 * downbeat_memory_one_arena:
 *
 * Makes every thread allocate from the main arena. glibc gives each thread that allocates an
 * arena of its own, whose pages stay dirty: with the history's writer, the notifier's courier
 * and GLib's workers, that was 200 KiB of the idle app's private memory (bench-desktop), for
 * threads that allocate a few times a minute and seldom together. Called before any thread.
 */
void
downbeat_memory_one_arena (void)
{
#if !defined(DOWNBEAT_SANITIZED) && defined(__GLIBC__)
  mallopt (M_ARENA_MAX, 1);
#endif
}

/**
 * downbeat_memory_give_back:
 *
 * Hands the free pages inside malloc's heap back to the system: what a check allocated and
 * freed again would otherwise stay dirty until the next check reuses it (90 KiB of the idle
 * app's private memory, bench-desktop). A few microseconds, once a check.
 */
void
downbeat_memory_give_back (void)
{
#if !defined(DOWNBEAT_SANITIZED) && defined(__GLIBC__)
  malloc_trim (0);
#endif
}
