/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the userspace kernel services (linux.c and the files
 * of harness/) share and nothing else sees.
 */
#ifndef HARNESS_INTERNAL_H
#define HARNESS_INTERNAL_H

/*
 * Count @nr objects about to be allocated; if the armed injected failure
 * falls among them, disarm it and return its position (0 .. nr - 1), else
 * return -1 (inject.c).
 */
long harness_inject_failure(unsigned long nr);
/* A multi-object request was cut by the bulk mode (inject.c). */
void harness_bulk_cut_made(void);
extern bool harness_bulk_lifted;

#endif /* HARNESS_INTERNAL_H */
