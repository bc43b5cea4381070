/* downbeat-report-words.h: a report in words, said once for every front end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-report.h"

G_BEGIN_DECLS

/* How a probe stands in this cycle, which a front end shows as a sign: ✓, ?, ✗ or an icon. */
typedef enum
{
  DOWNBEAT_PROBE_MARK_NOT_CHECKED,
  DOWNBEAT_PROBE_MARK_WORKING,
  DOWNBEAT_PROBE_MARK_SLOW,
  DOWNBEAT_PROBE_MARK_FAILING,
  DOWNBEAT_PROBE_MARK_NOT_COUNTED,  /* it failed, but that does not count */
} DownbeatProbeMark;

DownbeatProbeMark  downbeat_report_words_mark      (const DownbeatProbeStatus *status);
const char        *downbeat_report_words_mark_name (DownbeatProbeMark          mark);
char              *downbeat_report_words_note      (const DownbeatProbeStatus *status);
char              *downbeat_report_words_answer    (const DownbeatProbeStatus *status);
char              *downbeat_report_words_detail    (const DownbeatProbeStatus *status);
GPtrArray         *downbeat_report_words_problems  (DownbeatReport            *report);
GPtrArray         *downbeat_report_words_official  (DownbeatReport            *report);
const char        *downbeat_report_words_official_description
                                                   (const DownbeatOfficialStatus *official);
char              *downbeat_report_words_lead      (DownbeatReport            *report);
GPtrArray         *downbeat_report_words_unsaid    (const char                *summary,
                                                    const char * const        *reasons);

G_END_DECLS
