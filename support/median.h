/* SPDX-License-Identifier: GPL-2.0 */
/*
 * median.h: the median of a set of measurements, for the benchmarks
 * (bench/bench.c, fork/forkbench.c).  A run disturbed by another process
 * moves a mean; it moves the median only if it is most of the runs.
 */
#ifndef HARNESS_SUPPORT_MEDIAN_H
#define HARNESS_SUPPORT_MEDIAN_H

#include <stdlib.h>

static inline int median_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The median of the @n values at @v (@n > 0); for an even @n, the mean of
 * the two middle ones.  Sorts @v in place.
 */
static inline double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), median_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif /* HARNESS_SUPPORT_MEDIAN_H */
